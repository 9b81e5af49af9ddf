/**
 * The station's SME (src/station/sme.ts) in process on the simulator, on
 * virtual time (test/offload/inproc.ts): what 2.10's sme.c and
 * wpas_connection_failed() do when an authentication the host runs fails.
 *  - a ROAM through the host's SME (a driver that says `smeAssociated`, as
 *    nl80211 on mac80211 after an SAE association) whose SAE with the target
 *    fails: the driver has left the old BSS (the simulator, as mac80211,
 *    leaves it when the new authentication starts); the target goes into the
 *    BSSID ignore list, no temporary disabling, a scan, and the station
 *    connects again to the BSS it came from;
 *  - 2.10's 5 s SME authentication timer (sme_auth_timer) for a driver that
 *    never reports what became of its Authentication frames.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';

const A = '02:00:00:00:5b:01';
const B = '02:00:00:00:5b:02';
const SSID = 'wpa3-roam';
const PASS = 'correct horse battery';

/** Two SAE BSSes of one ESS; B takes only group 20, which the station (sae_groups=19) does not offer: it refuses our commit with status 77. */
function scenario(): string {
  const ap = (name: string, bssid: string, signal: number, extra = ''): string =>
    `[ap ${name}]\nbssid = ${bssid}\nssid = ${SSID}\nfreq = 2437\nsignal = ${signal}\nakm = SAE\npassphrase = ${PASS}\n${extra}\n`;
  return `${simSection(11)}[firmware]\nfour_way_psk = true\n\n${ap('a', A, -45)}${ap('b', B, -60, 'sae_groups = 20\n')}`;
}

const CONF = `sae_groups=19\nnetwork={\n\tssid="${SSID}"\n\tsae_password="${PASS}"\n\tkey_mgmt=SAE\n\tieee80211w=2\n\tdisabled=1\n}\n`;

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function connected(): Promise<Inproc> {
  const r = await Inproc.start({ scenario: scenario(), conf: CONF });
  // As nl80211 on mac80211 after an association of the host's SME: ROAM goes through the SME (Sme.smeRoam()).
  Object.defineProperty(r.sim, 'smeAssociated', { value: true });
  const from = r.mark();
  const net = r.config.getNetwork(0)!;
  net.set('disabled', '0');
  r.station.selectNetwork(net);
  await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
  expect(r.station.bss.get(B), 'both BSSes scanned').toBeDefined();
  return r;
}

describe('a ROAM through the host\'s SME whose SAE with the target fails (2.10: wpas_connection_failed())', () => {
  it('the target is ignored, the network is not disabled, and the station connects again to the BSS it came from', async () => {
    rig = await connected();
    const from = rig.mark();
    expect(rig.station.roam(B)).toBe(true);
    await rig.until(new RegExp(`SME: Trying to authenticate with ${B}`), from);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    const ev = rig.eventsFrom(from);
    // Status 77 with no other group to offer: no AUTH-REJECT (sme_sae_auth()), and the first failure disables nothing.
    expect(ev.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED')), ev.join('\n')).toEqual([]);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-AUTH-REJECT')), ev.join('\n')).toBe(false);
    // A scan between the failure and the new connection, which goes to A, not B.
    const failedAt = ev.findIndex((e) => e.startsWith(`SME: Trying to authenticate with ${B}`));
    const scanAt = ev.findIndex((e, i) => i > failedAt && e.startsWith('CTRL-EVENT-SCAN-RESULTS'));
    expect(scanAt, ev.join('\n')).toBeGreaterThan(failedAt);
    expect(ev.slice(scanAt).some((e) => e.includes(B)), ev.join('\n')).toBe(false);
    expect(rig.station.ignoredBssids()).toEqual([B]);
    expect(rig.station.wpaState).toBe('COMPLETED');
    expect(rig.station.association()?.bssid).toBe(A);
  });

  it('more than three consecutive failures disable the network for a while (CONN_FAILED), as 2.10', async () => {
    rig = await connected();
    // Every authentication the SME starts from now on goes unanswered and is reported timed out, as mac80211 does after its retries.
    rig.sim.auth = async (p) => {
      setTimeout(() => rig!.driver.emit('auth_timeout', { bssid: p.bssid }), 10);
    };
    rig.pmksa.dropNetwork(0); // A needs SAE again too
    const from = rig.mark();
    rig.station.roam(B);
    await rig.until(/CTRL-EVENT-SSID-TEMP-DISABLED/, from);
    const ev = rig.eventsFrom(from);
    expect(ev.filter((e) => e.startsWith('SME: Trying to authenticate')).length, ev.join('\n')).toBeGreaterThanOrEqual(4);
    expect(ev.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([`CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="${SSID}" auth_failures=1 duration=10 reason=CONN_FAILED`]);
  });
});

describe('2.10\'s SME authentication timer (sme_auth_timer, 5 s) for a driver that reports nothing', () => {
  it('no answer to the SAE commit and no report from the driver: at 5 s "SME: Authentication timeout", the driver asked to leave (reason 3, no CTRL-EVENT-DISCONNECTED), then wpas_connection_failed(): the BSS ignored, DISCONNECTED, a new scan', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: CONF });
    // The Authentication frames go nowhere and the driver never says what became of them.
    const sent: string[] = [];
    rig.sim.auth = async (p) => {
      sent.push(p.bssid);
    };
    const leaves: number[] = [];
    const disconnect = rig.sim.disconnect.bind(rig.sim);
    rig.sim.disconnect = (reason: number) => {
      leaves.push(reason);
      return disconnect(reason);
    };
    const from = rig.mark();
    const net = rig.config.getNetwork(0)!;
    net.set('disabled', '0');
    rig.station.selectNetwork(net);
    await rig.until(new RegExp(`SME: Trying to authenticate with ${A}`), from);
    const startedAt = Date.now();
    await rig.run(4_900);
    // SAE retransmits the commit meanwhile (our stand-in for mac80211's retries); the SME still waits.
    expect(rig.station.wpaState).toBe('AUTHENTICATING');
    expect(rig.eventsFrom(from)).not.toContain('SME: Authentication timeout');
    await rig.until(/^SME: Authentication timeout$/, from);
    expect(Date.now() - startedAt).toBe(5_000);
    const ev = rig.eventsFrom(from);
    expect(leaves).toEqual([3]);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED')), ev.join('\n')).toBe(false);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED')), ev.join('\n')).toBe(false);
    expect(rig.station.wpaState).toBe('DISCONNECTED');
    expect(rig.station.ignoredBssids()).toEqual([A]);
    // The exchange is over: no more frames to A; the scan that follows tries the other BSS of the ESS.
    const frames = sent.length;
    const timedOutAt = rig.mark();
    await rig.until(/CTRL-EVENT-SCAN-RESULTS/, timedOutAt);
    await rig.run(100);
    expect(sent.slice(frames).filter((b) => b === A)).toEqual([]);
    expect(rig.eventsFrom(timedOutAt)).toContain(`SME: Trying to authenticate with ${B} (SSID='${SSID}' freq=2437 MHz)`);
  });
});
