/**
 * DISCONNECT, then at once SELECT_NETWORK (or RECONNECT) to the same network.
 * Fast associate connects from the fresh scan results without scanning, so
 * the new connect to the same BSS starts before the driver's report of the
 * disconnect the host asked for arrives (the simulator reports it one air
 * delay later, as the driver protocol says). That report is not about the new
 * attempt and must not end it (2.10's ignore_next_local_disconnect in
 * driver_nl80211); a disconnect by the AP during the new attempt still ends it.
 *
 * In process on virtual time (test/offload/inproc.ts), and with a real daemon
 * on -D sim and -D ext, the control client sending both commands at once.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Inproc } from '../offload/inproc.js';
import { build, pskNetwork, Rig, simSection } from './rig.js';

const A = '02:00:00:00:7d:01';
const SSID = 'late-net';
const PASS = 'late passphrase';
const NOFW = 'four_way_psk = false\nkey_mgmt_offload = false\ngtk_rekey_offload = false\npmksa_offload = false\n';

function scenario(): string {
  return `${simSection(21)}[firmware]\n${NOFW}\n[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n`;
}

const connected = new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`);

describe('in process: the late report of our own disconnect', () => {
  let rig: Inproc | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  async function connectedRig(): Promise<Inproc> {
    rig = await Inproc.start({ scenario: scenario(), conf: pskNetwork(SSID, PASS) });
    await rig.until(connected);
    return rig;
  }

  it('DISCONNECT then SELECT_NETWORK at once: the new connect to the same BSS completes, nothing is temp-disabled', async () => {
    const r = await connectedRig();
    const from = r.mark();
    r.station.disconnect();
    r.station.selectNetwork(r.config.getNetwork(0)!);
    await r.until(connected, from);
    const evs = r.eventsFrom(from);
    expect(evs.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([]);
    // One disconnection (the station's own, marked when asked), one connection: the driver's report adds nothing.
    expect(evs.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toEqual([`CTRL-EVENT-DISCONNECTED bssid=${A} reason=3 locally_generated=1`]);
    await r.run(2000);
    expect(r.station.wpaState).toBe('COMPLETED');
  });

  it('DISCONNECT then RECONNECT at once: the same', async () => {
    const r = await connectedRig();
    const from = r.mark();
    r.station.disconnect();
    r.station.reconnect(false);
    await r.until(connected, from);
    expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([]);
    await r.run(2000);
    expect(r.station.wpaState).toBe('COMPLETED');
  });

  it('the AP deauthenticating during the new attempt still ends it (a connection failure: the BSS ignored, nothing disabled at the first)', async () => {
    const r = await connectedRig();
    const from = r.mark();
    r.station.disconnect();
    r.station.selectNetwork(r.config.getNetwork(0)!);
    // Ahead of the late local report: the AP's own deauthentication (not locally generated) of the attempt.
    r.sim.emit('disconnected', { bssid: A, reason: 7, locallyGenerated: false });
    const evs = r.eventsFrom(from);
    expect(evs).toContain(`CTRL-EVENT-DISCONNECTED bssid=${A} reason=7`);
    // A failed connection as 2.10's wpas_connection_failed() counts it: the BSS ignored, no temporary disabling at the first failure.
    expect(evs.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([]);
    expect(r.station.ignoredBssids()).toEqual([A]);
    expect(r.station.wpaState).toBe('DISCONNECTED');
  });

  it('a locally generated disconnect the station did not ask for still ends the association', async () => {
    const r = await connectedRig();
    // The previous DISCONNECT's report came and went: nothing is left to ignore.
    const again = r.mark();
    r.station.disconnect();
    r.station.selectNetwork(r.config.getNetwork(0)!);
    await r.until(connected, again);
    const from = r.mark();
    r.sim.emit('disconnected', { bssid: A, reason: 4, locallyGenerated: true });
    expect(r.eventsFrom(from)).toContain(`CTRL-EVENT-DISCONNECTED bssid=${A} reason=4 locally_generated=1`);
    expect(r.station.wpaState).toBe('DISCONNECTED');
  });
});

for (const backend of ['sim', 'ext'] as const) {
  describe(`a real daemon, -D ${backend}: DISCONNECT and SELECT_NETWORK sent at once`, () => {
    let rig: Rig | undefined;
    beforeAll(() => build(), 120_000);
    afterEach(async () => {
      await rig?.stop();
      rig = undefined;
    });

    it('connects again to the same BSS: CTRL-EVENT-CONNECTED, no CTRL-EVENT-SSID-TEMP-DISABLED', async () => {
      rig = await Rig.start({ scenario: scenario(), networks: pskNetwork(SSID, PASS), backend });
      const r = rig;
      await r.wait(connected);
      for (let i = 0; i < 3; i++) {
        const from = r.mark();
        const replied = r.ctrl.received.length;
        // Both datagrams are queued before the daemon answers the first (the client waits for one reply at a time: the second is sent raw).
        const disconnect = r.req('DISCONNECT');
        const select = Buffer.from('SELECT_NETWORK 0');
        r.ctrl.sock.sendto(select, 0, select.length, r.ctrl.target, () => undefined);
        expect(await disconnect).toBe('OK\n');
        await r.wait(connected, from);
        expect(r.ctrl.received.slice(replied).filter((m) => !m.startsWith('<'))).toEqual(['OK\n', 'OK\n']);
        expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([]);
      }
      expect((await r.status()).wpa_state).toBe('COMPLETED');
    });
  });
}
