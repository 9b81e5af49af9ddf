/**
 * CTRL-EVENT-CONNECTED after a host 4-way handshake comes once the driver has
 * answered for msg 4/4 and the keys, as 2.10 sends it after its (synchronous)
 * msg 4/4 send and NEW_KEYs: a client acting on the event finds the keys
 * installed. In process on the simulator and virtual time, with a driver
 * whose EAPOL sends and key installations take 20 ms each to be answered
 * (nl80211 sends them on the next turn of the event loop, then waits for the
 * kernel's acknowledgement).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SetKeyParams } from '../../src/driver/backend.js';
import { pskNetwork, simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';

const A = '02:00:00:00:6c:01';
const SSID = 'keys-first';
const PASS = 'keys first passphrase';
const DRIVER_MS = 20;

function scenario(fourWayOffload: boolean): string {
  return `${simSection(12)}[firmware]\nfour_way_psk = ${fourWayOffload}\n\n[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -40\nakm = WPA-PSK\npassphrase = ${PASS}\n\n`;
}

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

/** The driver's EAPOL sends and key installations answered DRIVER_MS later; what was still unanswered at each event. */
function slowDriver(r: Inproc): { pendingAt: Map<string, string[]> } {
  const pending = new Set<string>();
  const pendingAt = new Map<string, string[]>();
  const slow = <A extends unknown[]>(name: (...a: A) => string, op: (...a: A) => Promise<void>) => (...a: A): Promise<void> => {
    const what = name(...a);
    pending.add(what);
    const done = op(...a);
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        pending.delete(what);
        done.then(resolve, reject);
      }, DRIVER_MS),
    );
  };
  let frames = 0;
  r.driver.txEapol = slow((_dst: string, _f: Buffer) => `eapol ${++frames}`, r.driver.txEapol.bind(r.driver));
  r.driver.setKey = slow((p: SetKeyParams) => `key ${p.kind} ${p.idx}`, r.driver.setKey.bind(r.driver));
  r.station.on('ctrlEvent', (_level: number, e: string) => {
    const name = e.split(' ')[0];
    if (!pendingAt.has(name)) pendingAt.set(name, [...pending]);
  });
  return { pendingAt };
}

describe('CTRL-EVENT-CONNECTED after the driver has msg 4/4 and the keys', () => {
  it('host 4-way handshake: nothing unanswered when CONNECTED is sent; the keys were asked for before it', async () => {
    rig = await Inproc.start({ scenario: scenario(false), conf: pskNetwork(SSID, PASS, '\tdisabled=1\n') });
    const { pendingAt } = slowDriver(rig);
    const from = rig.mark();
    const net = rig.config.getNetwork(0)!;
    net.set('disabled', '0');
    rig.station.selectNetwork(net);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    // msg 2/4 and 4/4, the pairwise and the group key: all answered by then.
    expect(pendingAt.get('CTRL-EVENT-CONNECTED')).toEqual([]);
    expect(rig.simStatus().host_tk_ok).toBe('1');
    const shown = rig.eventsFrom(from).filter((e) => !e.startsWith('OFFLOAD-'));
    // The order 2.10 shows: the subnet status at the association, then the handshake's lines.
    expect(shown.slice(-3)).toEqual([
      'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0',
      `WPA: Key negotiation completed with ${A} [PTK=CCMP GTK=CCMP]`,
      `CTRL-EVENT-CONNECTED - Connection to ${A} completed [id=0 id_str=]`,
    ]);
  });
});
