/**
 * A connection lost after it completed, as 2.10's
 * wpa_supplicant_event_disassoc_finish(): the loss is a failed connection
 * like any other (wpas_connection_failed(): the BSS into the BSSID ignore
 * list, twice when another BSS of the ESS has been seen; the consecutive
 * failures counted for the next scan's delay); when the AP itself ended the
 * association with a reason it may take back (4 inactivity, 6 class 2 frame
 * from a nonauthenticated station, 7 class 3 frame from a nonassociated
 * station) the station reconnects to the same BSS at once, without a scan;
 * an AP the driver lost (locally generated reason 4) leaves the BSS table;
 * with STA_AUTOCONNECT 0 nothing is counted.
 *
 * In process on the simulator and virtual time (test/offload/inproc.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectParams } from '../../src/driver/backend.js';
import { Inproc } from '../offload/inproc.js';
import { pskNetwork, simSection } from './rig.js';

const A = '02:00:00:00:7e:01';
const B = '02:00:00:00:7e:02';
const SSID = 'lost-net';
const PASS = 'lost passphrase';
const NOFW = 'four_way_psk = false\nkey_mgmt_offload = false\ngtk_rekey_offload = false\npmksa_offload = false\n';
const STATUS_AP_UNABLE_TO_HANDLE_NEW_STA = 17;

function ap(name: string, bssid: string, signal: number, freq: number): string {
  return `[ap ${name}]\nbssid = ${bssid}\nssid = ${SSID}\nfreq = ${freq}\nsignal = ${signal}\nakm = WPA-PSK\npassphrase = ${PASS}\n\n`;
}

/** A (stronger, channel 6) alone, or with B (channel 1) of the same ESS. */
function scenario(withB: boolean): string {
  return `${simSection(31)}[firmware]\n${NOFW}\n${ap('a', A, -40, 2437)}${withB ? ap('b', B, -60, 2412) : ''}`;
}

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});



/** Connected to A, the stronger BSS, from a network enabled in the configuration. */
async function connected(withB: boolean): Promise<Inproc> {
  rig = await Inproc.start({ scenario: scenario(withB), conf: pskNetwork(SSID, PASS) });
  await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
  return rig;
}

const connectedTo = (bssid: string): RegExp => new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${bssid} completed`);

describe('the AP deauthenticates with a recoverable reason after COMPLETED: 2.10\'s fast reconnect', () => {
  it.each([4, 6, 7])('reason %i: the station goes back to the same BSS at once, without a scan, though another BSS of the ESS was seen; the loss counted in the ignore list, which the completed connection leaves', async (reason) => {
    const r = await connected(true);
    const lines = rig!.ignoreLog();
    const from = r.mark();
    expect(r.simCmd(`SIM_DEAUTH ${reason}`)).toBe('OK');
    await r.until(/CTRL-EVENT-CONNECTED/, from);
    const evs = r.eventsFrom(from);
    expect(evs[0]).toBe(`CTRL-EVENT-DISCONNECTED bssid=${A} reason=${reason}`);
    expect(evs[1], evs.join('\n')).toBe(`Trying to associate with ${A} (SSID='${SSID}' freq=2437 MHz)`);
    expect(evs.filter((e) => e.startsWith('CTRL-EVENT-SCAN-')), evs.join('\n')).toEqual([]);
    expect(evs[evs.length - 1]).toMatch(connectedTo(A));
    // wpas_connection_failed() ran (B seen: A counted twice), and the connection that completed took A off the list.
    expect(lines).toEqual([
      `Added BSSID ${A} into ignore list, ignoring for 10 seconds`,
      `BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`,
      `Removed BSSID ${A} from ignore list`,
    ]);
    expect(r.station.ignoredBssids()).toEqual([]);
    expect(r.station.wpaState).toBe('COMPLETED');
  });

  it('the AP refuses the fast reconnect: that is the second consecutive failure, so the scan comes 500 ms after it', async () => {
    const r = await connected(false);
    const connect = r.driver.connect.bind(r.driver);
    let refuse = 1;
    r.driver.connect = async (p: ConnectParams) => {
      if (refuse-- <= 0) return connect(p);
      setTimeout(() => r.driver.emit('assoc_reject', { bssid: p.bssid, status: STATUS_AP_UNABLE_TO_HANDLE_NEW_STA, timeout: false }), 5);
    };
    const ev = r.stamped();
    const from = r.mark();
    expect(r.simCmd('SIM_DEAUTH 7')).toBe('OK');
    await r.until(connectedTo(A), from);
    const evs = r.eventsFrom(from);
    expect(evs.slice(0, 3), evs.join('\n')).toEqual([
      `CTRL-EVENT-DISCONNECTED bssid=${A} reason=7`,
      `Trying to associate with ${A} (SSID='${SSID}' freq=2437 MHz)`,
      `CTRL-EVENT-ASSOC-REJECT bssid=${A} status_code=${STATUS_AP_UNABLE_TO_HANDLE_NEW_STA}`,
    ]);
    const reject = ev.find((x) => x.e.startsWith('CTRL-EVENT-ASSOC-REJECT'))!;
    const scan = ev.find((x) => x.t >= reject.t && x.e === 'CTRL-EVENT-SCAN-STARTED ')!;
    // 500 ms (the simulator reports a scan started one 1 ms air delay after it was asked for).
    expect(scan.t - reject.t).toBe(501);
  });
});

describe('the AP deauthenticates with a reason it will not take back after COMPLETED: a failed connection, then a scan', () => {
  it.each([2, 3])('reason %i: the BSS is ignored (twice: another BSS of the ESS was seen), the scan 100 ms later covers only the other\'s channel, and the station connects there', async (reason) => {
    const r = await connected(true);
    const scans: (number[] | undefined)[] = [];
    const scan = r.driver.scan.bind(r.driver);
    r.driver.scan = (p) => {
      scans.push(p.freqs);
      return scan(p);
    };
    const lines = rig!.ignoreLog();
    const ev = r.stamped();
    const from = r.mark();
    expect(r.simCmd(`SIM_DEAUTH ${reason}`)).toBe('OK');
    await r.until(/CTRL-EVENT-CONNECTED/, from);
    const evs = r.eventsFrom(from);
    expect(evs[evs.length - 1]).toMatch(connectedTo(B));
    expect(lines).toEqual([`Added BSSID ${A} into ignore list, ignoring for 10 seconds`, `BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`]);
    expect(scans).toEqual([[2412]]);
    const disc = ev.find((x) => x.e.startsWith('CTRL-EVENT-DISCONNECTED'))!;
    expect(ev.find((x) => x.e === 'CTRL-EVENT-SCAN-STARTED ')!.t - disc.t).toBe(101);
    expect(r.station.ignoredBssids()).toEqual([A]);
    expect(evs.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
  });

  it('the only BSS: ignored from the loss on, taken again by the next selection once the list is cleared for want of another', async () => {
    const r = await connected(false);
    const lines = rig!.ignoreLog();
    const from = r.mark();
    expect(r.simCmd('SIM_DEAUTH 2')).toBe('OK');
    await r.until(/CTRL-EVENT-CONNECTED/, from);
    const evs = r.eventsFrom(from);
    expect(evs.filter((e) => /^(CTRL-EVENT-(DISCONNECTED|SCAN-STARTED|CONNECTED)|Trying)/.test(e))).toEqual([
      `CTRL-EVENT-DISCONNECTED bssid=${A} reason=2`,
      'CTRL-EVENT-SCAN-STARTED ',
      `Trying to associate with ${A} (SSID='${SSID}' freq=2437 MHz)`,
      `CTRL-EVENT-CONNECTED - Connection to ${A} completed [id=0 id_str=]`,
    ]);
    expect(lines).toEqual([
      `Added BSSID ${A} into ignore list, ignoring for 10 seconds`,
      'wlan0: No APs found - clear BSSID ignore list and try again',
      `Removed BSSID ${A} from ignore list (clear)`,
    ]);
  });
});

describe('the driver lost the AP (locally generated reason 4, as mac80211 reports beacon loss)', () => {
  it('the BSS leaves the BSS table at once ("Connection to AP lost"), is ignored, and the scan 100 ms later finds the other BSS of the ESS', async () => {
    const r = await connected(true);
    const aId = r.station.bss.get(A)!.id;
    const lines = rig!.ignoreLog();
    const from = r.mark();
    expect(r.simCmd(`SIM_AP_DOWN ${A}`)).toBe('OK');
    await r.until(/CTRL-EVENT-CONNECTED/, from);
    const evs = r.eventsFrom(from).filter((e) => !e.startsWith('CTRL-EVENT-BEACON-LOSS'));
    expect(evs.slice(0, 3), evs.join('\n')).toEqual([`CTRL-EVENT-DISCONNECTED bssid=${A} reason=4 locally_generated=1`, `CTRL-EVENT-BSS-REMOVED ${aId} ${A}`, 'CTRL-EVENT-SCAN-STARTED ']);
    expect(evs[evs.length - 1]).toMatch(connectedTo(B));
    expect(r.station.bss.get(A)).toBeUndefined();
    expect(lines).toEqual([`Added BSSID ${A} into ignore list, ignoring for 10 seconds`, `BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`]);
  });
});

describe('STA_AUTOCONNECT 0: a lost connection is no failed connection (2.10: "Ignore connection failure indication since interface has been put into disconnected state")', () => {
  it('neither a loss after COMPLETED nor one before the association puts the BSS into the ignore list; no reconnection', async () => {
    const r = await connected(true);
    r.station.setAutoconnect(false);
    const lines = rig!.ignoreLog();
    let from = r.mark();
    expect(r.simCmd('SIM_DEAUTH 7')).toBe('OK');
    await r.until(/CTRL-EVENT-DISCONNECTED/, from);
    await r.run(2000);
    expect(r.eventsFrom(from).filter((e) => /^(Trying|CTRL-EVENT-SCAN-STARTED)/.test(e))).toEqual([]);
    expect(r.station.wpaState).toBe('DISCONNECTED');
    // A new attempt the AP ends before it is associated.
    r.driver.connect = async (p: ConnectParams) => {
      setTimeout(() => r.driver.emit('disconnected', { bssid: p.bssid, reason: 2, locallyGenerated: false }), 5);
    };
    from = r.mark();
    r.station.selectNetwork(r.config.getNetwork(0));
    await r.until(/CTRL-EVENT-DISCONNECTED/, from);
    await r.run(2000);
    expect(r.eventsFrom(from).filter((e) => e.startsWith('Trying'))).toHaveLength(1);
    expect(lines).toEqual([]);
    expect(r.station.ignoredBssids()).toEqual([]);
  });
});
