/**
 * SAE on the host, end to end in process (test/offload/inproc.ts): the real
 * Station, KeyPath and rsn SaeStation on the simulator, whose AP answers
 * with the rsn SaeApPeer over the driver protocol's `auth`/`auth_rx`, then
 * runs the 4-way handshake with the SAE PMK. Virtual time, so the SAE
 * retransmission timers cost nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { simSection } from '../station/rig.js';
import { associationStatusLines } from '../../src/ctrl/status-text.js';
import { Inproc } from './inproc.js';
import { buildEapolStart } from '../../src/rsn/eapol.js';

const A = '02:00:00:00:5a:01';
const SSID = 'wpa3-net';
const PASS = 'correct horse battery';

function scenario(ap = '', firmware = 'four_way_psk = true\n'): string {
  return `${simSection(7)}[firmware]\n${firmware}\n[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\nakm = SAE\npassphrase = ${PASS}\n${ap}\n`;
}

function saeNetwork(password: string, extra = ''): string {
  return `network={\n\tssid="${SSID}"\n\tsae_password="${password}"\n\tkey_mgmt=SAE\n\tieee80211w=2\n\tdisabled=1\n${extra}}\n`;
}

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

/** Counts the Authentication frames the host handed to the driver. */
function countAuth(r: Inproc): { n: number } {
  const c = { n: 0 };
  const drv = r.sim;
  const orig = drv.auth.bind(drv);
  drv.auth = (p) => {
    c.n++;
    return orig(p);
  };
  return c;
}

async function select(r: Inproc): Promise<number> {
  const from = r.mark();
  const net = r.config.getNetwork(0)!;
  net.set('disabled', '0');
  r.station.selectNetwork(net);
  return from;
}

describe('SAE on the host through the simulated driver', () => {
  it('authenticates with SAE, caches the PMKSA, and completes the 4-way handshake with the SAE PMK', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
    const ev = rig.eventsFrom(from);
    expect(ev).toContain(`SME: Trying to authenticate with ${A} (SSID='${SSID}' freq=2437 MHz)`);
    expect(ev.indexOf(`SME: Trying to authenticate with ${A} (SSID='${SSID}' freq=2437 MHz)`)).toBeLessThan(ev.indexOf(`Trying to associate with ${A} (SSID='${SSID}' freq=2437 MHz)`));
    expect(auth.n).toBe(2); // commit and confirm
    expect(rig.station.wpaState).toBe('COMPLETED');
    const cur = rig.station.association()!;
    expect(cur.sec.akm).toBe('SAE');
    expect(cur.sec.mfpRequired).toBe(true);
    const status = associationStatusLines(cur);
    expect(status).toContain('key_mgmt=SAE\n');
    expect(status).toContain('pmf=2\n');
    expect(status).toContain('sae_group=19\nsae_h2e=0\nsae_pk=0\n');
    // The PMKSA SAE made is cached (PMKSA shows it) and the firmware has it too.
    const entries = rig.pmksa.cache.list();
    expect(entries).toHaveLength(1);
    expect(entries[0].aa).toBe(A);
    expect(entries[0].akm).toBe('SAE');
    await rig.run(10);
    const sim = rig.simStatus();
    expect(sim.host_tk_ok).toBe('1');
    expect((await rig.offload()).in_sync).toBe('1');
  });

  it('reconnects with the cached PMKSA: the connect names its PMKID and no SAE frame is sent', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    let from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    const pmkid = rig.pmksa.cache.list()[0].pmkid;
    expect(auth.n).toBe(2);
    const connects = rig.recordConnects();
    from = rig.mark();
    rig.station.reconnect(true);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(auth.n).toBe(2);
    expect(connects).toHaveLength(1);
    expect(connects[0].pmkid?.equals(pmkid)).toBe(true);
    expect(rig.eventsFrom(from).some((e) => e.startsWith('SME: Trying to authenticate'))).toBe(false);
    const cur = rig.station.association()!;
    expect(associationStatusLines(cur)).toContain('key_mgmt=SAE\n');
    await rig.run(10);
    expect(rig.simStatus().host_tk_ok).toBe('1');
  });

  it('an EAPOL-Start from an SAE station is ignored by the AP, as hostapd 2.10 does on a BSS without 802.1X (measured on the kernel radio, test/radio/takeback.ts): no EAP, the PMKSA stays and the next connection uses it', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    let from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    await rig.sim.txEapol(A, buildEapolStart());
    await rig.run(10);
    expect(rig.simStatus()).toMatchObject({ ap_eapol_starts: '1', ap_eap_requests: '0' });
    expect(rig.station.wpaState).toBe('COMPLETED');
    from = rig.mark();
    rig.station.reconnect(true);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(auth.n).toBe(2); // the PMKSA was accepted: no second SAE exchange
  });

  it('an AP that lost the PMKSA rejects the cached PMKID (status 53): the entry goes and SAE runs again at once', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    let from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    const first = rig.pmksa.cache.list()[0].pmkid;
    // The AP restarts: it forgets its PMKSA cache.
    expect(rig.simCmd(`SIM_AP_DOWN ${A}`)).toBe('OK');
    expect(rig.simCmd(`SIM_AP_UP ${A}`)).toBe('OK');
    from = rig.mark();
    rig.station.reconnect(true);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    const ev = rig.eventsFrom(from);
    expect(ev).toContain(`CTRL-EVENT-ASSOC-REJECT bssid=${A} status_code=53`);
    // One per SAE frame sent (commit, confirm), as 2.10's sme_send_authentication() on the kernel radio.
    expect(ev.filter((e) => e.startsWith('SME: Trying to authenticate'))).toHaveLength(2);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    expect(auth.n).toBe(4);
    const entries = rig.pmksa.cache.list();
    expect(entries).toHaveLength(1);
    expect(entries[0].pmkid.equals(first)).toBe(false);
    await rig.run(10);
    expect(rig.simStatus().host_tk_ok).toBe('1');
  });

  it('a wrong password fails SAE: no association, the network is temporarily disabled with reason WRONG_KEY', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork('not the password') });
    const from = await select(rig);
    const dis = await rig.until(/CTRL-EVENT-SSID-TEMP-DISABLED/, from);
    expect(dis).toBe(`CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="${SSID}" auth_failures=1 duration=10 reason=WRONG_KEY`);
    const ev = rig.eventsFrom(from);
    expect(ev.some((e) => e.startsWith('Trying to associate'))).toBe(false);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toBe(false);
    expect(rig.pmksa.cache.list()).toHaveLength(0);
    expect(rig.station.wpaState).toBe('DISCONNECTED');
    expect(rig.station.isTempDisabled(0)).toBe(true);
  });

  it('group fallback: the AP refuses group 20 (status 77) and the exchange moves to 19', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_groups = 19\n'), conf: `sae_groups=20 19\n${saeNetwork(PASS)}` });
    const auth = countAuth(rig);
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(auth.n).toBe(3); // commit(20), commit(19), confirm
    expect(associationStatusLines(rig.station.association()!)).toContain('sae_group=19\n');
  });

  it('group 20 end to end when both sides take it first', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_groups = 20 19\n'), conf: `sae_groups=20\n${saeNetwork(PASS)}` });
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(associationStatusLines(rig.station.association()!)).toContain('sae_group=20\n');
    await rig.run(10);
    expect(rig.simStatus().host_tk_ok).toBe('1');
  });

  it('hash-to-element: an AP with sae_pwe=1 advertises it (RSNXE) and a station with sae_pwe=2 uses it', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_pwe = 1\n'), conf: `sae_pwe=2\n${saeNetwork(PASS)}` });
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(associationStatusLines(rig.station.association()!)).toContain('sae_group=19\nsae_h2e=1\n');
    await rig.run(10);
    expect(rig.simStatus().host_tk_ok).toBe('1');
  });

  it('a password identifier the AP does not know: CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER, no AUTH-REJECT, no association', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_pwe = 2\n'), conf: saeNetwork(PASS, '\tsae_password_id="alice"\n') });
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-SSID-TEMP-DISABLED/, from);
    const ev = rig.eventsFrom(from);
    expect(ev).toContain(`CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER ${A}`);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-AUTH-REJECT'))).toBe(false);
    expect(ev.some((e) => e.startsWith('Trying to associate'))).toBe(false);
  });

  it('the AP refuses the commit (every group refused): the exchange ends without AUTH-REJECT for status 77', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_groups = 21\n'), conf: `sae_groups=19 20\n${saeNetwork(PASS)}` });
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="wpa3-net" auth_failures=1 duration=10 reason=CONN_FAILED/, from);
    expect(rig.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-AUTH-REJECT'))).toBe(false);
  });

  it('a network with only a psk passphrase uses it as the SAE password', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: `network={\n\tssid="${SSID}"\n\tpsk="${PASS}"\n\tkey_mgmt=SAE\n\tdisabled=1\n}\n` });
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    expect(rig.station.association()!.sec.akm).toBe('SAE');
  });
});

describe('transition mode, anti-clogging and SAE offload on the simulated APs', () => {
  const T = '02:00:00:00:5a:02';
  const TSSID = 'mixed-net';
  /** An AP with wpa_key_mgmt=WPA-PSK SAE (WPA3-Personal transition, PMF optional). */
  function transition(firmware = 'four_way_psk = true\n'): string {
    return `${simSection(8)}[firmware]\n${firmware}\n[ap t]\nbssid = ${T}\nssid = ${TSSID}\nfreq = 2437\nsignal = -45\nakm = WPA-PSK SAE\npassphrase = ${PASS}\n`;
  }
  const mixedNet = (keyMgmt: string): string => `network={\n\tssid="${TSSID}"\n\tpsk="${PASS}"\n\tkey_mgmt=${keyMgmt}\n\tdisabled=1\n}\n`;

  it('key_mgmt=WPA-PSK SAE picks SAE on a transition AP (PMF optional, pmf=1); key_mgmt=WPA-PSK picks WPA-PSK', async () => {
    rig = await Inproc.start({ scenario: transition(), conf: mixedNet('WPA-PSK SAE') });
    const auth = countAuth(rig);
    let from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${T} completed`), from);
    expect(auth.n).toBe(2);
    let cur = rig.station.association()!;
    expect([cur.sec.akm, cur.sec.mfp, cur.sec.mfpRequired]).toEqual(['SAE', true, false]);
    expect(associationStatusLines(cur)).toContain('key_mgmt=SAE\n');
    await rig.run(10);
    expect(rig.simStatus().host_tk_ok).toBe('1');
    await rig.stop();

    rig = await Inproc.start({ scenario: transition(), conf: mixedNet('WPA-PSK') });
    const auth2 = countAuth(rig);
    from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${T} completed`), from);
    expect(auth2.n).toBe(0);
    cur = rig.station.association()!;
    expect(cur.sec.akm).toBe('WPA-PSK');
    expect(associationStatusLines(cur)).toContain('key_mgmt=WPA2-PSK\n');
    await rig.run(10);
    // The firmware (four_way_psk) ran this PSK handshake with the AP's PSK.
    expect(rig.simStatus().fw_handshake).toBe('1');
    expect((await rig.offload()).in_sync).toBe('1');
  });

  it('anti-clogging (sae_anti_clogging_threshold=0): the AP asks for a token, the host repeats its commit with it, and the connection completes', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_anti_clogging_threshold = 0\n'), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(auth.n).toBe(3); // commit, commit with the token, confirm
    expect(rig.simStatus().sae_token_requests).toBe('1');
    expect(rig.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-AUTH-REJECT'))).toBe(false);
    await rig.run(10);
    expect(rig.simStatus().host_tk_ok).toBe('1');
  });

  it('SAE offload: the firmware runs SAE (through the anti-clogging token too), the host sends no Authentication frame and caches the PMKSA the firmware reported', async () => {
    rig = await Inproc.start({ scenario: scenario('sae_anti_clogging_threshold = 0\n', 'four_way_psk = true\nsae_offload = true\n'), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    const seen: unknown[] = [];
    const orig = rig.sim.connect.bind(rig.sim);
    rig.sim.connect = (p) => {
      seen.push(p.sae && { password: p.sae.password.toString(), pwe: p.sae.pwe, pmk: p.pmk !== undefined });
      return orig(p);
    };
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(auth.n).toBe(0);
    expect(seen).toEqual([{ password: PASS, pwe: 0, pmk: false }]);
    const sim = rig.simStatus();
    expect([sim.fw_sae_runs, sim.sae_token_requests, sim.fw_handshake]).toEqual(['1', '1', '1']);
    expect(rig.eventsFrom(from)).toContain(`OFFLOAD-KEY-OWNER bssid=${A} owner=firmware completion=firmware-at-assoc reason=firmware completed the 4-way handshake`);
    const entries = rig.pmksa.cache.list();
    expect(entries.map((e) => [e.aa, e.akm])).toEqual([[A, 'SAE']]);
    expect((await rig.offload()).in_sync).toBe('1');

    // The next connection offers that PMKID (with the PMK, so the firmware skips SAE).
    const again = rig.mark();
    rig.station.reconnect(true);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), again);
    expect(rig.simStatus().fw_sae_runs).toBe('1');
    expect(rig.station.mib().rsna?.pmkid?.equals(entries[0].pmkid)).toBe(true);
  });
});

describe('SAE PMKSA lifetime and reauthentication threshold (dot11RSNAConfigPMKLifetime=120, dot11RSNAConfigPMKReauthThreshold=50)', () => {
  const GLOBALS = 'dot11RSNAConfigPMKLifetime=120\ndot11RSNAConfigPMKReauthThreshold=50\n';

  it('OFFLOAD_STATUS shows the times; past the threshold the entry is still offered (2.10 reauthenticates no SAE PMKSA); in use it outlives its expiry, and once the association ends it goes, from the firmware too, and SAE runs again', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: GLOBALS + saeNetwork(PASS) });
    const auth = countAuth(rig);
    let from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(auth.n).toBe(2);
    expect((await rig.offload()).host_pmksa_lifetime).toBe(`${A}/SAE/120/60`);
    expect(rig.simStatus().pmksa).toBe(`${A}/120/50`);

    // 70 s on: past the threshold. A reassociation still offers the PMKID and skips SAE.
    await rig.run(70_000);
    expect((await rig.offload()).host_pmksa_lifetime).toBe(`${A}/SAE/50/-10`);
    from = rig.mark();
    rig.station.reconnect(true);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(auth.n).toBe(2);
    const pmkid = rig.pmksa.cache.list()[0].pmkid;
    expect(rig.station.mib().rsna?.pmkid?.equals(pmkid)).toBe(true);

    // 60 s more: expired, but in use by this association, so kept (and still in the firmware).
    await rig.run(60_000);
    expect(rig.pmksa.cache.list().map((e) => e.aa)).toEqual([A]);
    expect(rig.simStatus().pmksa_entries).toBe('1');

    // The association ends: the entry goes at once, from the firmware as well; the next connection runs SAE.
    rig.station.disconnect();
    await rig.run(10);
    expect(rig.pmksa.cache.list()).toEqual([]);
    expect(rig.simStatus().pmksa_entries).toBe('0');
    from = rig.mark();
    rig.station.reconnect(false);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(auth.n).toBe(4);
    expect(rig.pmksa.cache.list()[0].pmkid.equals(pmkid)).toBe(false);
  });

  it('an entry not in use expires on its own timer: gone from the cache and the firmware 121 s after it was made, without a lookup', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: GLOBALS + saeNetwork(PASS) });
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    rig.station.disconnect();
    await rig.run(100_000);
    expect(rig.simStatus().pmksa_entries).toBe('1');
    await rig.run(21_000);
    expect(rig.simStatus().pmksa_entries).toBe('0');
    expect(rig.pmksa.cache.size).toBe(0);
  });

  it('SAE offload: the PMKSA the firmware reported expires the same way, and the next connection has the firmware run SAE again', async () => {
    rig = await Inproc.start({ scenario: scenario('', 'four_way_psk = true\nsae_offload = true\n'), conf: GLOBALS + saeNetwork(PASS) });
    let from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(rig.simStatus().fw_sae_runs).toBe('1');
    expect((await rig.offload()).host_pmksa_lifetime).toMatch(new RegExp(`^${A}/SAE/\\d+/-?\\d+$`));
    rig.station.disconnect();
    // The firmware said 43200 s (its own lifetime, pmksa_added): the host keeps what it was told, not its 120 s.
    await rig.run(121_000);
    expect(rig.pmksa.cache.size).toBe(1);
    await rig.run(43_202_000 - 121_000);
    expect(rig.pmksa.cache.size).toBe(0);
    expect(rig.simStatus().pmksa_entries).toBe('0');
    from = rig.mark();
    rig.station.reconnect(false);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(rig.simStatus().fw_sae_runs).toBe('2');
    expect(rig.pmksa.cache.size).toBe(1);
  });
});

describe('SAE offload: policy', () => {
  it('[offload] sae = false keeps SAE on the host even with a firmware that says sae_offload', async () => {
    rig = await Inproc.start({ scenario: scenario('', 'four_way_psk = true\nsae_offload = true\n'), conf: saeNetwork(PASS), policy: { sae: false } });
    const auth = countAuth(rig);
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(auth.n).toBe(2);
    expect(rig.simStatus().fw_sae_runs).toBe('0');
    expect((await rig.offload()).completion).toBe('host-only');
  });
});

describe('SAE offload: taking back', () => {
  const OFFLOAD = 'four_way_psk = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nsae_offload = true\n';

  it('a firmware that forwards msg 1/4 after its SAE: the host runs the 4-way handshake with the PMK of its pmksa_added, no reconnection', async () => {
    rig = await Inproc.start({ scenario: scenario('', `${OFFLOAD}mode = silent\n`), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    const ev = rig.eventsFrom(from);
    expect(ev).toContain(`OFFLOAD-KEY-OWNER bssid=${A} owner=host completion=host-after-firmware-silence reason=firmware forwarded EAPOL-Key msg 1/4 instead of completing`);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
    expect(auth.n).toBe(0);
    await rig.run(10);
    const sim = rig.simStatus();
    expect([sim.fw_sae_runs, sim.host_tk_ok]).toEqual(['1', '1']);
  });

  it('a firmware that completes after SAE without reporting the PMKSA keeps the association: the host holds no PMK, no take-back', async () => {
    rig = await Inproc.start({ scenario: scenario('', `${OFFLOAD}sae_report_pmksa = false\nmode = complete\n`), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    await rig.run(5000);
    const ev = rig.eventsFrom(from);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
    expect(auth.n).toBe(0);
    expect(rig.pmksa.cache.size).toBe(0);
    // It reported KCK/KEK with the assoc: the host can verify group messages, though it holds no PMK.
    const off = await rig.offload();
    expect([off.key_owner, off.completion, off.fw_pmksa_unreported, off.in_sync]).toEqual(['firmware', 'firmware-at-assoc', A, '1']);
  });

  it('a firmware that associates after SAE without reporting the PMKSA and then forwards msg 1/4: the host cannot answer it, so it reconnects and runs SAE itself (auth op), no temporary disabling', async () => {
    rig = await Inproc.start({ scenario: scenario('', `${OFFLOAD}sae_report_pmksa = false\nmode = silent\n`), conf: saeNetwork(PASS) });
    const auth = countAuth(rig);
    const connects = rig.recordConnects();
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-DISCONNECTED/, from);
    expect(rig.pmksa.cache.size).toBe(0);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    const ev = rig.eventsFrom(from);
    expect(ev.filter((e) => e.startsWith('Trying to associate with'))).toHaveLength(2);
    expect(ev).toContain(`SME: Trying to authenticate with ${A} (SSID='${SSID}' freq=2437 MHz)`);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    expect(auth.n).toBe(2);
    expect(rig.simStatus().fw_sae_runs).toBe('1');
    // The take-back rule for SAE: offload off is four_way_offload false and no SAE password (nor PMK).
    expect(connects.map((p) => ({ fourWayOffload: p.fourWayOffload, sae: p.sae !== undefined, pmk: p.pmk !== undefined }))).toEqual([
      { fourWayOffload: true, sae: true, pmk: false },
      { fourWayOffload: false, sae: false, pmk: false },
    ]);
    expect(rig.pmksa.cache.list().map((e) => [e.aa, e.akm])).toEqual([[A, 'SAE']]);
    expect((await rig.offload()).key_owner).toBe('host');
  });
});

describe('SAE roams in the simulated firmware', () => {
  it('a host ROAM to a BSS with no PMKSA, the firmware holding no SAE password, is refused by the driver (no association with a key the AP does not have)', async () => {
    const B = '02:00:00:00:5a:03';
    const two = `${scenario()}\n[ap b]\nbssid = ${B}\nssid = ${SSID}\nfreq = 5180\nsignal = -60\nakm = SAE\npassphrase = ${PASS}\n`;
    rig = await Inproc.start({ scenario: two, conf: saeNetwork(PASS) });
    const from = await select(rig);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    const roamed = rig.sim.roam(B);
    await expect(roamed).rejects.toThrow(/no PMKSA for 02:00:00:00:5a:03/);
    await rig.run(100);
    expect(rig.station.association()?.bssid).toBe(A);
    expect(rig.station.wpaState).toBe('COMPLETED');
  });
});

describe('SAE offload without a PMKSA report (nl80211 SAE_OFFLOAD_STA, brcmfmac)', () => {
  const BRCM = 'four_way_psk = true\nsae_offload = true\nsae_report_pmksa = false\nmode = no_material\n';
  const net = { id: 0, ssid: Buffer.from(SSID), keyMgmt: ['SAE'] };

  for (const change of ['sae_password', 'psk', 'removed'] as const) {
    it(`the firmware's entry is known by its AP only; ${change === 'removed' ? 'removing the network' : `a new ${change}`} deletes it by SSID`, async () => {
      rig = await Inproc.start({ scenario: scenario('', BRCM), conf: saeNetwork(PASS) });
      const from = await select(rig);
      await rig.until(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
      const off = await rig.offload();
      expect([off.key_owner, off.completion, off.host_pmksa, off.fw_pmksa_unreported, off.in_sync]).toEqual(['firmware', 'firmware-no-material', '', A, '1']);
      expect(rig.simStatus().pmksa_entries).toBe('1');
      // What REMOVE_NETWORK / SET_NETWORK do: the configuration first, then the station hears of it.
      if (change === 'removed') {
        rig.config.removeNetwork(0);
        rig.station.networkRemoved(net);
      } else {
        rig.config.getNetwork(0)!.set(change, '"another password"');
        rig.station.networkChanged(net, change);
      }
      await rig.run(10);
      expect(rig.simStatus().pmksa_entries).toBe('0');
      expect((await rig.offload()).fw_pmksa_unreported).toBeUndefined();
    });
  }

  it('a network change that keeps the PMKSA (priority) leaves the firmware its entry', async () => {
    rig = await Inproc.start({ scenario: scenario('', BRCM), conf: saeNetwork(PASS) });
    const from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
    rig.station.networkChanged(net, 'priority');
    await rig.run(10);
    expect(rig.simStatus().pmksa_entries).toBe('1');
    expect((await rig.offload()).fw_pmksa_unreported).toBe(A);
  });
});

describe('the driver\'s SME ending an authentication (nl80211: AUTHENTICATE or ASSOCIATE TIMED_OUT, an Open System refusal)', () => {
  it('an authentication timeout during SAE ends the attempt as 2.10\'s sme_event_auth_timed_out() and wpas_connection_failed(): no rejection event, the BSS ignored, no temporary disabling at the first failure, a new scan; the SAE exchange sends no more frames', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    // The AP never hears us: the driver reports the timeout, as mac80211 does after its retries.
    const sent: string[] = [];
    rig.sim.auth = async (p) => {
      sent.push(p.bssid);
    };
    const from = await select(rig);
    await rig.until(/SME: Trying to authenticate/, from);
    rig.driver.emit('auth_timeout', { bssid: A });
    await rig.run(0);
    const ev = rig.eventsFrom(from);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    expect(ev.some((e) => /CTRL-EVENT-(ASSOC|AUTH)-REJECT/.test(e))).toBe(false);
    expect(rig.station.wpaState).toBe('DISCONNECTED');
    expect(rig.station.ignoredBssids()).toEqual([A]);
    const frames = sent.length;
    const failedAt = rig.mark();
    await rig.until(/CTRL-EVENT-SCAN-STARTED/, failedAt);
    // Until the new attempt, nothing more of the old exchange.
    expect(sent).toHaveLength(frames);
    expect(rig.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toBe(false);
  });

  it('an association timeout after SAE ends the attempt as 2.10\'s sme_event_assoc_timed_out() and wpas_connection_failed(): the BSS ignored, no temporary disabling at the first failure, no CTRL-EVENT-ASSOC-REJECT, the PMKSA kept', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    // SAE succeeds; the AP never answers the Association Request, and the driver reports the timeout as mac80211 does.
    rig.sim.connect = async () => undefined;
    const from = await select(rig);
    await rig.until(/Trying to associate/, from);
    rig.driver.emit('assoc_timeout', { bssid: A });
    await rig.run(0);
    const ev = rig.eventsFrom(from);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT'))).toBe(false);
    expect(rig.station.wpaState).toBe('DISCONNECTED');
    expect(rig.station.ignoredBssids()).toEqual([A]);
    expect(rig.pmksa.cache.list()).toHaveLength(1);
  });

  it('an Open System authentication refused during a PMKSA-cached reconnect: CTRL-EVENT-AUTH-REJECT auth_type=0, then wpas_connection_failed() (the BSS ignored, no temporary disabling at the first failure), as 2.10\'s sme_event_auth()', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: saeNetwork(PASS) });
    let from = await select(rig);
    await rig.until(/CTRL-EVENT-CONNECTED/, from);
    rig.station.disconnect();
    await rig.run(0);
    // The reconnect offers the cached PMKID; the driver's SME reports the AP's refusal of its Open System authentication.
    rig.sim.connect = async () => undefined;
    from = rig.mark();
    rig.station.reconnect(false);
    await rig.until(/Trying to associate/, from);
    rig.driver.emit('auth_rx', { bssid: A, data: Buffer.from('000002000d00', 'hex'), status: 13 });
    await rig.run(0);
    const ev = rig.eventsFrom(from);
    expect(ev).toContain(`CTRL-EVENT-AUTH-REJECT ${A} auth_type=0 auth_transaction=2 status_code=13`);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    expect(ev.some((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT'))).toBe(false);
    expect(rig.station.wpaState).toBe('DISCONNECTED');
    expect(rig.station.ignoredBssids()).toEqual([A]);
    // Not the rejection of the PMKID at association (status 53): the entry stays.
    expect(rig.pmksa.cache.list()).toHaveLength(1);
  });
});
