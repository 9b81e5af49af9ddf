/**
 * 2.10's wpas_connection_failed() for failures outside the host's SME, in
 * process on the simulator and virtual time (test/offload/inproc.ts): an
 * association the driver reports rejected (wpas_event_assoc_reject(), the
 * driver's SME: nl80211 CONNECT, ext, sim) and a connect the driver refuses
 * ("Association request to the driver failed"). As for the SME's failures:
 * the BSS goes into the BSSID ignore list (twice when another BSS of the ESS
 * has been seen), the network is disabled only after more than three
 * consecutive failures, the next scan comes 0.1, 0.5, 1, 5 s after the 1st,
 * 2nd, 3rd, 4th failure; a connection that completes takes its BSS off the
 * list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectParams } from '../../src/driver/backend.js';
import { pskNetwork, simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';

const A = '02:00:00:00:6c:01';
const B = '02:00:00:00:6c:02';
const SSID = 'connfail-net';
const PASS = 'connfail passphrase';
const STATUS_AP_UNABLE_TO_HANDLE_NEW_STA = 17;

function ap(name: string, bssid: string, signal: number, freq = 2437): string {
  return `[ap ${name}]\nbssid = ${bssid}\nssid = ${SSID}\nfreq = ${freq}\nsignal = ${signal}\nakm = WPA-PSK\npassphrase = ${PASS}\n\n`;
}

/** A alone, or A (stronger, channel 6) and B (channel 1) of one ESS. */
function scenario(withB: boolean): string {
  return `${simSection(12)}[firmware]\nfour_way_psk = true\n\n${ap('a', A, -40)}${withB ? ap('b', B, -60, 2412) : ''}`;
}

/** The network, disabled until the test selects it; `other`: a second enabled network that matches no BSS. */
function conf(other = false): string {
  return pskNetwork(SSID, PASS, '\tdisabled=1\n') + (other ? pskNetwork('elsewhere', 'other passphrase') : '');
}

let rig: Inproc | undefined;
const stopStates: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stopStates.splice(0)) stop();
  await rig?.stop();
  rig = undefined;
});



/** The driver refuses the association with these BSSes (status 17), as the AP's Association Response would. */
function rejectAt(r: Inproc, bssids: Set<string>, times = Infinity): void {
  const connect = r.driver.connect.bind(r.driver);
  let left = times;
  r.driver.connect = async (p: ConnectParams) => {
    if (!bssids.has(p.bssid) || left <= 0) return connect(p);
    left--;
    setTimeout(() => r.driver.emit('assoc_reject', { bssid: p.bssid, status: STATUS_AP_UNABLE_TO_HANDLE_NEW_STA, timeout: false }), 5);
  };
}

/** The station's states from now on, read after every event and timer step. */
function stateLog(r: Inproc): string[] {
  const seen: string[] = [];
  const note = (): void => {
    if (seen[seen.length - 1] !== r.station.wpaState) seen.push(r.station.wpaState);
  };
  r.station.on('ctrlEvent', note);
  const id = setInterval(note, 1);
  stopStates.push(() => clearInterval(id));
  return seen;
}

async function select(r: Inproc): Promise<void> {
  const net = r.config.getNetwork(0)!;
  net.set('disabled', '0');
  r.station.selectNetwork(net);
}

describe('association rejected (the driver\'s SME): 2.10\'s wpas_connection_failed()', () => {
  it('the only BSS keeps refusing: no temporary disabling before the fourth failure, CONN_FAILED then; scans 0.1, 0.5 and 1 s after the first three; the BSS ignored at each', async () => {
    rig = await Inproc.start({ scenario: scenario(false), conf: conf() });
    rejectAt(rig, new Set([A]));
    const ev = rig.stamped();
    const lines = rig!.ignoreLog();
    const from = rig.mark();
    await select(rig);
    await rig.until(/CTRL-EVENT-SSID-TEMP-DISABLED/, from);
    const all = rig.eventsFrom(from);
    const rejects = ev.filter((x) => x.e.startsWith('CTRL-EVENT-ASSOC-REJECT'));
    expect(rejects.map((x) => x.e)).toEqual(Array(4).fill(`CTRL-EVENT-ASSOC-REJECT bssid=${A} status_code=17`));
    expect(all.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([`CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="${SSID}" auth_failures=1 duration=10 reason=CONN_FAILED`]);
    // The temporary disabling comes with the fourth rejection, not before.
    const disabledAt = all.findIndex((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'));
    expect(all.slice(0, disabledAt).filter((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT')).length, all.join('\n')).toBe(4);
    // One network: its only BSS, ignored from the first failure on, is taken again once the list is cleared for want of another.
    expect(lines.filter((e) => e === `Added BSSID ${A} into ignore list, ignoring for 10 seconds`).length, lines.join('\n')).toBe(4);
    expect(lines.filter((e) => e === `Removed BSSID ${A} from ignore list (clear)`).length, lines.join('\n')).toBe(3);
    expect(all.some((e) => e.includes('ignore list')), 'no monitor event about the list').toBe(false);
    // The scan after each failure: 100, 500, 1000 ms after the first three (and the simulator's 1 ms air delay before it reports a scan started).
    const delays = rejects.slice(0, 3).map((r) => ev.find((x) => x.t >= r.t && x.e === 'CTRL-EVENT-SCAN-STARTED ')!.t - r.t);
    expect(delays).toEqual([101, 501, 1001]);
    expect(rig.station.ignoredBssids()).toEqual([A]);
  });

  it('a stronger BSS refuses while another BSS of the ESS has been seen: it is listed twice (count 2), the next scan covers only the other\'s channel, and the other is tried next; no temporary disabling', async () => {
    rig = await Inproc.start({ scenario: scenario(true), conf: conf() });
    rejectAt(rig, new Set([A]));
    const scans: (number[] | undefined)[] = [];
    const scan = rig.driver.scan.bind(rig.driver);
    rig.driver.scan = (p) => {
      scans.push(p.freqs);
      return scan(p);
    };
    const lines = rig!.ignoreLog();
    const states = stateLog(rig);
    const from = rig.mark();
    await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), from);
    const all = rig.eventsFrom(from);
    expect(all.filter((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT'))).toEqual([`CTRL-EVENT-ASSOC-REJECT bssid=${A} status_code=17`]);
    // wpa_supplicant_mark_disassoc(): DISCONNECTED from the rejection to the next scan.
    expect(states.slice(states.indexOf('ASSOCIATING'))).toEqual(['ASSOCIATING', 'DISCONNECTED', 'SCANNING', 'ASSOCIATING', 'ASSOCIATED', 'COMPLETED']);
    expect(lines).toEqual([`Added BSSID ${A} into ignore list, ignoring for 10 seconds`, `BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`]);
    // 2.10's next_scan_freqs: the scan after the failure, on B's channel only (the first scan, all channels).
    expect(scans).toEqual([undefined, [2412]]);
    expect(all.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED')), all.join('\n')).toBe(false);
    expect(rig.station.ignoredBssids()).toEqual([A]);
  });

  it('with more than one enabled network a BSS that failed once is not skipped; the connection that completes takes it off the list', async () => {
    rig = await Inproc.start({ scenario: scenario(false), conf: conf(true) });
    rejectAt(rig, new Set([A]), 1);
    const lines = rig!.ignoreLog();
    const from = rig.mark();
    await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    const all = rig.eventsFrom(from);
    expect(lines).toEqual([`Added BSSID ${A} into ignore list, ignoring for 10 seconds`, `Removed BSSID ${A} from ignore list`]);
    expect(all.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED')), all.join('\n')).toBe(false);
    expect(rig.station.ignoredBssids()).toEqual([]);
  });
});

describe('connect refused by the driver: 2.10\'s "Association request to the driver failed", then wpas_connection_failed()', () => {
  it('the first failure ignores the BSS and disables nothing; the station tries another BSS of the ESS next', async () => {
    rig = await Inproc.start({ scenario: scenario(true), conf: conf() });
    const connect = rig.driver.connect.bind(rig.driver);
    rig.driver.connect = async (p: ConnectParams) => {
      if (p.bssid === A) throw new Error('driver says no');
      return connect(p);
    };
    const lines = rig!.ignoreLog();
    const from = rig.mark();
    await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), from);
    const all = rig.eventsFrom(from);
    expect(all.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED')), all.join('\n')).toBe(false);
    expect(lines).toContain(`BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`);
    expect(rig.station.ignoredBssids()).toEqual([A]);
  });
});

describe('BSSID_IGNORE <bssid> (count 2) is in force for 10 s, as 2.10\'s list', () => {
  it('the stronger BSS ignored by hand is skipped, and taken again by a selection after 10 s; the entry stays listed', async () => {
    rig = await Inproc.start({ scenario: scenario(true), conf: conf() });
    const lines = rig!.ignoreLog();
    rig.station.ignoreBssid(A);
    expect(lines).toEqual([`Added BSSID ${A} into ignore list, ignoring for 10 seconds`, `BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`]);
    let from = rig.mark();
    await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), from);
    await rig.run(10_500);
    from = rig.mark();
    rig.station.reconnect(true);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(rig.eventsFrom(from).find((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toContain(A);
    expect(rig.station.ignoredBssids()).toEqual([]);
  });
});
