/**
 * The station end to end: the real wpa_cli drives a real wpa-offloadd over its
 * control socket, on the in-process simulator (-D sim) and over the wire
 * protocol to a separate wpa-offload-sim process (-D ext). Every wait is for a
 * named event; every check reads the daemon's own STATUS.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { build, pskNetwork, Rig, simSection } from './rig.js';

const haveCli = requireTool(WPA_CLI);

const A = '02:00:00:00:5a:01';
const B = '02:00:00:00:5a:02';
const SSID = 'station-net';
const PASS = 'station passphrase';

/** Two APs of one ESS, A stronger; the firmware offloads nothing (the host runs every handshake). */
function scenario(seed: number, firmware = 'four_way_psk = false\nkey_mgmt_offload = false\ngtk_rekey_offload = false\npmksa_offload = false\n'): string {
  return `${simSection(seed)}[firmware]\n${firmware}\n` +
    `[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n\n` +
    `[ap b]\nbssid = ${B}\nssid = ${SSID}\nfreq = 5180\nsignal = -60\npassphrase = ${PASS}\n`;
}

/** disabled=1: nothing happens before the test attached and selected the network. */
const NET = pskNetwork(SSID, PASS, '\tdisabled=1\n');

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

beforeAll(() => build(), 120_000);

async function connectWithCli(r: Rig): Promise<void> {
  const from = r.mark();
  expect((await r.cli('select_network', '0')).trim()).toBe('OK');
  await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed \[id=0 id_str=\]/, from);
  const st = await r.cli('status');
  expect(st).toMatch(/^wpa_state=COMPLETED$/m);
  expect(st).toMatch(/^bssid=02:00:00:00:5a:01$/m);
  expect(st).toMatch(/^ssid=station-net$/m);
  expect(st).toMatch(/^key_mgmt=WPA2-PSK$/m);
  // The AP checks the keys the host installed against its own.
  const sim = await r.simUntil((x) => x.host_tk_ok === '1' && x.host_gtk_ok === '1');
  expect(sim.host_tk_ok).toBe('1');
  expect(sim.host_gtk_ok).toBe('1');
  // wpa_sm_get_mib(): the suites of the association, the port open.
  const mib = await r.cli('mib');
  expect(mib).toMatch(/^dot11RSNAEnabled=TRUE\ndot11RSNAPreauthenticationEnabled=TRUE\n/m);
  expect(mib).toMatch(/^dot11RSNAConfigGroupCipherSize=128$/m);
  expect(mib).toMatch(/^dot11RSNAAuthenticationSuiteSelected=00-0f-ac-2\ndot11RSNAPairwiseCipherSelected=00-0f-ac-4\ndot11RSNAGroupCipherSelected=00-0f-ac-4\ndot11RSNAPMKIDUsed=\n/m);
  expect(mib).toMatch(/^dot1xSuppSuppControlledPortStatus=Authorized$/m);
}

for (const backend of ['sim', 'ext'] as const) {
  describe.skipIf(!haveCli)(`station with the real wpa_cli, -D ${backend}`, () => {
    it('scan, connect, disconnect, reconnect, roam', async () => {
      rig = await Rig.start({ scenario: scenario(11), networks: NET, backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('scan')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
      const results = await r.cli('scan_results');
      expect(results.split('\n')[0]).toBe('bssid / frequency / signal level / flags / ssid');
      expect(results).toMatch(new RegExp(`^${A}\\t2437\\t-45\\t\\[WPA2-PSK-CCMP\\]\\[ESS\\]\\tstation-net$`, 'm'));
      expect(results).toMatch(new RegExp(`^${B}\\t5180\\t-60\\t\\[WPA2-PSK-CCMP\\]\\[ESS\\]\\tstation-net$`, 'm'));

      await connectWithCli(r);

      from = r.mark();
      expect((await r.cli('disconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01 reason=3 locally_generated=1/, from);
      expect(await r.cli('status')).toMatch(/^wpa_state=DISCONNECTED$/m);

      from = r.mark();
      expect((await r.cli('reconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01/, from);
      expect(await r.cli('status')).toMatch(/^wpa_state=COMPLETED$/m);

      from = r.mark();
      expect((await r.cli('roam', B)).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      // As 2.10 (wpa_supplicant_associate() for the roam's association).
      expect(r.eventsFrom(from)[0]).toBe(`Trying to associate with ${B} (SSID='${SSID}' freq=5180 MHz)`);
      const st = await r.cli('status');
      expect(st).toMatch(/^wpa_state=COMPLETED$/m);
      expect(st).toMatch(/^bssid=02:00:00:00:5a:02$/m);
      expect(st).toMatch(/^freq=5180$/m);
      const sim = await r.simUntil((x) => x.bssid === B && x.host_tk_ok === '1');
      expect(sim.bssid).toBe(B);
      expect(sim.host_tk_ok).toBe('1');
      // ROAM to a BSS not in the table is refused.
      expect((await r.cli('roam', '02:00:00:00:99:99')).trim()).toBe('FAIL');
    });

    it('SELECT_NETWORK within 5 s of a scan connects from its results without scanning (wpa_supplicant_fast_associate); after BSS_FLUSH, RECONNECT scans', async () => {
      rig = await Rig.start({ scenario: scenario(23), networks: NET, backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('scan')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
      from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SCAN-STARTED'))).toEqual([]);

      from = r.mark();
      expect((await r.cli('disconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-DISCONNECTED/, from);
      expect((await r.cli('bss_flush', '0')).trim()).toBe('OK');
      from = r.mark();
      expect((await r.cli('reconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SCAN-STARTED'))).toHaveLength(1);

      // Fresh results without the selected network: NETWORK-NOT-FOUND at once, then a scan.
      expect((await r.cli('add_network')).trim()).toBe('1');
      expect((await r.cli('set_network', '1', 'ssid', '"not-on-air"')).trim()).toBe('OK');
      expect((await r.cli('set_network', '1', 'key_mgmt', 'NONE')).trim()).toBe('OK');
      from = r.mark();
      expect((await r.cli('select_network', '1')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SCAN-STARTED/, from);
      expect(r.eventsFrom(from).filter((e) => !e.startsWith('CTRL-EVENT-NETWORK-REMOVED')).slice(0, 4)).toEqual([
        `CTRL-EVENT-DISCONNECTED bssid=${A} reason=3 locally_generated=1`,
        'CTRL-EVENT-DSCP-POLICY clear_all',
        'CTRL-EVENT-NETWORK-NOT-FOUND ',
        'CTRL-EVENT-SCAN-STARTED ',
      ]);
    });

    it('freq_list confines a network to its channels; scan_freq limits the station scans, not SCAN', async () => {
      rig = await Rig.start({ scenario: scenario(21), networks: NET, backend });
      const r = rig;
      // A (2437) is stronger, but freq_list leaves only B (5180).
      expect((await r.cli('set_network', '0', 'freq_list', '5180')).trim()).toBe('OK');
      let from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      expect(await r.cli('status')).toMatch(/^freq=5180$/m);

      // Both channels allowed, but the station's own scans cover only scan_freq.
      expect((await r.cli('set_network', '0', 'freq_list', '2437 5180')).trim()).toBe('OK');
      expect((await r.cli('set_network', '0', 'scan_freq', '5180')).trim()).toBe('OK');
      from = r.mark();
      expect((await r.cli('disconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-DISCONNECTED/, from);
      expect((await r.cli('bss_flush', '0')).trim()).toBe('OK');
      // An enabled PSK network with no passphrase is not scanned for (wpas_network_disabled), so its missing scan_freq does not widen the scan.
      expect((await r.cli('add_network')).trim()).toBe('1');
      expect((await r.cli('set_network', '1', 'ssid', '"no-psk"')).trim()).toBe('OK');
      expect((await r.cli('enable_network', '1')).trim()).toBe('OK');
      from = r.mark();
      expect((await r.cli('reconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      const own = await r.cli('scan_results');
      expect(own).toContain(B);
      expect(own).not.toContain(A);

      // SCAN is a manual scan: every channel, whatever scan_freq says.
      from = r.mark();
      expect((await r.cli('scan')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
      const all = await r.cli('scan_results');
      expect(all).toContain(A);
      expect(all).toContain(B);
    });

    it('FLUSH while connected: leaves (reason 3), removes networks, BSSes and the ignore list, stays DISCONNECTED', async () => {
      rig = await Rig.start({ scenario: scenario(22), networks: NET, backend });
      const r = rig;
      await connectWithCli(r);
      expect((await r.cli('bssid_ignore', B)).trim()).toBe('OK');
      let from = r.mark();
      expect((await r.cli('flush')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-BSS-REMOVED 1 /, from);
      expect(r.eventsFrom(from)).toEqual([
        `CTRL-EVENT-DISCONNECTED bssid=${A} reason=3 locally_generated=1`,
        'CTRL-EVENT-DSCP-POLICY clear_all',
        'CTRL-EVENT-NETWORK-REMOVED 0',
        // Ids in 2.10's scan order: both WPA2, SNRs over 25 dB (as good as any): 5 GHz (B) first.
        `CTRL-EVENT-BSS-REMOVED 0 ${B}`,
        `CTRL-EVENT-BSS-REMOVED 1 ${A}`,
      ]);
      expect(await r.cli('status')).toMatch(/^wpa_state=DISCONNECTED$/m);
      expect(await r.cli('list_networks')).toBe('network id / ssid / bssid / flags\n');
      expect(await r.cli('scan_results')).toBe('bssid / frequency / signal level / flags / ssid\n');
      expect(await r.cli('bssid_ignore')).toBe('');
      // A fresh start works: a new network connects.
      expect((await r.cli('add_network')).trim()).toBe('0');
      for (const [k, v] of [['ssid', `"${SSID}"`], ['psk', `"${PASS}"`]] as const) {
        expect((await r.cli('set_network', '0', k, v)).trim()).toBe('OK');
      }
      from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
      // FLUSH changes no other state: after DISCONNECT it stays DISCONNECTED.
      expect((await r.cli('disconnect')).trim()).toBe('OK');
      expect((await r.cli('flush')).trim()).toBe('OK');
      expect(await r.cli('status')).toMatch(/^wpa_state=DISCONNECTED$/m);
    });

    it('FLUSH during a scan: SCAN is busy until that scan ends, and its results do not refill the BSS table', async () => {
      // Scans take 300 ms; SCAN and FLUSH go straight to the socket, well within that.
      rig = await Rig.start({ scenario: scenario(23).replace('scan_delay_ms = 5', 'scan_delay_ms = 300'), networks: NET, backend });
      const r = rig;
      const from = r.mark();
      expect(await r.req('SCAN')).toBe('OK\n');
      expect(await r.req('FLUSH')).toBe('OK\n');
      expect(await r.req('SCAN')).toBe('FAIL-BUSY\n');
      // SCAN is accepted again once the flushed scan has reported; the new
      // one's results are 300 ms away, so the table seen now is what the
      // flushed scan left: nothing.
      const deadline = Date.now() + 5000;
      let reply = 'FAIL-BUSY\n';
      while (reply === 'FAIL-BUSY\n' && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 20));
        reply = await r.req('SCAN');
      }
      expect(reply).toBe('OK\n');
      expect(await r.req('SCAN_RESULTS')).toBe('bssid / frequency / signal level / flags / ssid\n');
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SCAN-RESULTS'))).toEqual([]);
      // The new scan fills the table.
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
      const results = await r.req('SCAN_RESULTS');
      expect(results).toContain(A);
      expect(results).toContain(B);
    });

    it('a TKIP-only BSS is not a candidate (no WPA1-era key descriptor here); the CCMP BSS of the ESS is chosen', async () => {
      const tkip = scenario(24).replace(`[ap a]\nbssid = ${A}\nssid = ${SSID}\n`, `[ap a]\nbssid = ${A}\nssid = ${SSID}\npairwise = TKIP\ngroup = TKIP\n`);
      expect(tkip).toContain('pairwise = TKIP');
      rig = await Rig.start({ scenario: tkip, networks: NET, backend });
      const r = rig;
      const from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      // A (-45 dBm, TKIP) is stronger than B (-60 dBm, CCMP), and the network allows TKIP by default.
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      expect(r.eventsFrom(from).some((e) => e.startsWith(`Trying to associate with ${A}`))).toBe(false);
      expect(await r.cli('status')).toMatch(/^pairwise_cipher=CCMP$/m);
    });

    it('STA_AUTOCONNECT 0: a lost association is not re-established on its own; SELECT_NETWORK still connects', async () => {
      rig = await Rig.start({ scenario: scenario(25), networks: NET, backend });
      const r = rig;
      expect((await r.cli('sta_autoconnect', '0')).trim()).toBe('OK');
      // Disabled auto-reconnect does not stop an explicit selection.
      await connectWithCli(r);
      let from = r.mark();
      expect((await r.cli('raw', 'DRIVER SIM_DEAUTH 7')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01 reason=7/, from);
      // Scan results would start a connection at once if one were wanted.
      expect((await r.cli('scan')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
      expect(await r.cli('status')).toMatch(/^wpa_state=DISCONNECTED$/m);
      expect(r.eventsFrom(from).some((e) => e.startsWith('Trying to associate'))).toBe(false);
      from = r.mark();
      expect((await r.cli('reconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:0[12] completed/, from);
    });

    it('SELECT_NETWORK <id> freq=: the scan that follows covers only those channels', async () => {
      rig = await Rig.start({ scenario: scenario(26), networks: NET, backend });
      const r = rig;
      const from = r.mark();
      // A (2437, stronger) is not looked for, so B (5180) is the one found.
      expect(await r.req('SELECT_NETWORK 0 freq=5170-5190')).toBe('OK\n');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      const results = await r.req('SCAN_RESULTS');
      expect(results).toContain(B);
      expect(results).not.toContain(A);
    });

    it('wrong passphrase: 4-way handshake fails, network temporarily disabled with WRONG_KEY', async () => {
      rig = await Rig.start({ scenario: scenario(12), networks: pskNetwork(SSID, 'not the passphrase', '\tdisabled=1\n'), backend });
      const r = rig;
      const from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="station-net" auth_failures=1 duration=10 reason=WRONG_KEY/, from);
      const evs = r.eventsFrom(from);
      const disc = evs.findIndex((e) => /^CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01 reason=\d+/.test(e));
      const failed = evs.indexOf('WPA: 4-Way Handshake failed - pre-shared key may be incorrect');
      const temp = evs.findIndex((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'));
      expect(disc).toBeGreaterThanOrEqual(0);
      expect(failed).toBeGreaterThan(disc);
      expect(temp).toBeGreaterThan(failed);
      expect(evs.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toBe(false);
      expect(await r.cli('status')).not.toMatch(/^wpa_state=COMPLETED$/m);
      expect((await r.cli('ping')).trim()).toBe('PONG');
      const mib = await r.cli('mib');
      expect(mib).toMatch(/^dot11RSNA4WayHandshakeFailures=1$/m);
      expect(mib).toMatch(/^dot1xSuppSuppControlledPortStatus=Unauthorized$/m);
    });

    it('DSCP policies are cleared at every DISCONNECT, associated or not, and after every association comes SUBNET-STATUS-UPDATE, as 2.10', async () => {
      rig = await Rig.start({ scenario: scenario(20), networks: NET, backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('disconnect')).trim()).toBe('OK');
      // Nothing to leave: only the mark of a disassociation.
      await r.wait(/CTRL-EVENT-DSCP-POLICY clear_all/, from);
      expect(r.eventsFrom(from)).toEqual(['CTRL-EVENT-DSCP-POLICY clear_all']);
      await connectWithCli(r);
      const assoc = r.eventsFrom(0).filter((e) => /^(Associated with|CTRL-EVENT-SUBNET-STATUS-UPDATE)/.test(e));
      expect(assoc).toEqual([`Associated with ${A}`, 'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0']);
      from = r.mark();
      expect((await r.cli('disconnect')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-DSCP-POLICY clear_all/, from);
      expect(r.eventsFrom(from)).toEqual([`CTRL-EVENT-DISCONNECTED bssid=${A} reason=3 locally_generated=1`, 'CTRL-EVENT-DSCP-POLICY clear_all']);
    });

    it('the AP deauthenticates: DISCONNECTED with its reason, then the station reconnects', async () => {
      rig = await Rig.start({ scenario: scenario(13), networks: NET, backend });
      const r = rig;
      await connectWithCli(r);
      const from = r.mark();
      expect((await r.cli('raw', 'DRIVER SIM_DEAUTH 7')).trim()).toBe('OK');
      const disc = await r.wait(/CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01/, from);
      expect(disc).toBe('CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01 reason=7');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:0[12] completed/, from);
      // A disconnection the station did not ask for clears no DSCP policies
      // (2.10 on the kernel radio: test/radio/scenarios.test.ts, deauth).
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-DSCP-POLICY'))).toEqual([]);
      const st = await r.status();
      expect(st.wpa_state).toBe('COMPLETED');
      expect((await r.simUntil((x) => x.host_tk_ok === '1')).host_tk_ok).toBe('1');
    });

    it('SCAN parameters: freq= ranges, ssid <hex>, use_id=1; a partial scan does not age BSSes on other channels', async () => {
      rig = await Rig.start({ scenario: scenario(18), networks: NET, backend });
      const r = rig;
      const scanned = async (args: string, reply: string): Promise<string[]> => {
        const from = r.mark();
        expect(await r.cli('raw', `SCAN ${args}`.trim())).toBe(reply);
        await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
        return (await r.cli('scan_results')).trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
      };
      const hex = Buffer.from(SSID).toString('hex');
      let from = r.mark();
      expect(await scanned(`freq=5170-5190 ssid ${hex} use_id=1`, '1\n')).toEqual([B]);
      // The results event of a use_id scan names it (and only that scan's).
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SCAN-RESULTS'))).toEqual(['CTRL-EVENT-SCAN-RESULTS id=1']);
      from = r.mark();
      expect(await scanned('freq=2437', 'OK\n')).toEqual([B, A]);
      // Two more scans of 2437 only: B, on 5180, was not looked for, so it stays.
      expect(await scanned('freq=2437', 'OK\n')).toEqual([B, A]);
      expect(await scanned('freq=2437 use_id=1', '2\n')).toEqual([B, A]);
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SCAN-RESULTS'))).toEqual([
        'CTRL-EVENT-SCAN-RESULTS ',
        'CTRL-EVENT-SCAN-RESULTS ',
        'CTRL-EVENT-SCAN-RESULTS id=2',
      ]);
      // Every channel: now B's absence would count, but it is there.
      expect(await scanned('', 'OK\n')).toEqual([B, A]);
      // A bare trailing "ssid" is no keyword (2.10 matches "ssid " with its space): a full scan.
      expect(await scanned('ssid', 'OK\n')).toEqual([B, A]);
      // "ssid " with nothing after it is a zero-length (wildcard) SSID: accepted, as 2.10.
      const wild = r.mark();
      expect(await r.req('SCAN ssid ')).toBe('OK\n');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, wild);
      for (const bad of ['freq=abc', 'freq=100-200', 'ssid zz', `ssid ${'41'.repeat(33)}`, 'bssid=nonsense']) {
        expect((await r.cli('raw', `SCAN ${bad}`)).trim(), bad).toBe('FAIL');
      }
    });

    it('PSK-SHA256 with PMF required: STATUS shows pmf=2 and the BIP, MIB the SHA256 suite', async () => {
      const pmfAp = `${simSection(19)}[firmware]\nfour_way_psk = false\n\n[ap office]\nbssid = 02:00:00:00:5a:07\nssid = office\nfreq = 5240\nsignal = -50\nakm = WPA-PSK-SHA256\nmfp = required\ngroup_mgmt = BIP\npassphrase = office passphrase\n`;
      const net = 'network={\n\tssid="office"\n\tpsk="office passphrase"\n\tkey_mgmt=WPA-PSK-SHA256\n\tieee80211w=2\n\tdisabled=1\n}\n';
      rig = await Rig.start({ scenario: pmfAp, networks: net, backend });
      const r = rig;
      const from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:07 completed/, from);
      expect(await r.cli('status')).toMatch(/^pairwise_cipher=CCMP\ngroup_cipher=CCMP\nkey_mgmt=WPA2-PSK-SHA256\npmf=2\nmgmt_group_cipher=BIP\nwpa_state=COMPLETED$/m);
      expect(await r.cli('mib')).toMatch(/^dot11RSNAAuthenticationSuiteSelected=00-0f-ac-6$/m);
      expect((await r.simUntil((x) => x.host_tk_ok === '1')).host_tk_ok).toBe('1');
    });

    it('SCAN TYPE=ONLY reports results without selecting a network; a plain SCAN then connects', async () => {
      rig = await Rig.start({ scenario: scenario(21), networks: NET, backend });
      const r = rig;
      expect((await r.cli('raw', `DRIVER SIM_AP_DOWN ${A}`)).trim()).toBe('OK');
      expect((await r.cli('raw', `DRIVER SIM_AP_DOWN ${B}`)).trim()).toBe('OK');
      expect((await r.cli('scan_interval', '100')).trim()).toBe('OK');
      let from = r.mark();
      expect((await r.cli('enable_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-NETWORK-NOT-FOUND/, from);
      expect((await r.cli('raw', `DRIVER SIM_AP_UP ${A}`)).trim()).toBe('OK');
      from = r.mark();
      expect((await r.cli('raw', 'SCAN TYPE=ONLY')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
      expect((await r.cli('scan_results')).split('\n')[1]).toMatch(new RegExp(`^${A}\t`));
      expect(r.eventsFrom(from).some((e) => e.startsWith('Trying to associate'))).toBe(false);
      expect((await r.status()).wpa_state).toBe('DISCONNECTED');
      from = r.mark();
      expect((await r.cli('scan')).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    });

    it('an open network (key_mgmt=NONE) completes at association, with no key handshake', async () => {
      const open = scenario(17) + `\n[ap cafe]\nbssid = 02:00:00:00:5a:09\nssid = cafe-open\nfreq = 2412\nsignal = -50\nakm = NONE\n`;
      rig = await Rig.start({ scenario: open, networks: 'network={\n\tssid="cafe-open"\n\tkey_mgmt=NONE\n\tdisabled=1\n}\n', backend });
      const r = rig;
      const from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:09 completed \[id=0 id_str=\]/, from);
      const evs = r.eventsFrom(from);
      expect(evs.some((e) => e.startsWith('WPA: Key negotiation completed') || e.startsWith('OFFLOAD-KEY-OWNER'))).toBe(false);
      expect(evs.some((e) => /^Trying to associate with 02:00:00:00:5a:0[12]/.test(e))).toBe(false);
      const st = await r.cli('status');
      expect(st).toMatch(/^wpa_state=COMPLETED$/m);
      expect(st).toMatch(/^pairwise_cipher=NONE\ngroup_cipher=NONE\nkey_mgmt=NONE$/m);
      expect((await r.offload()).key_owner).toBe('none');
    });

    it('BSSID_IGNORE keeps the stronger AP out of selection; SIGNAL_MONITOR reports threshold crossings', async () => {
      rig = await Rig.start({ scenario: scenario(16), networks: NET, backend });
      const r = rig;
      expect((await r.cli('bssid_ignore', A)).trim()).toBe('OK');
      expect(await r.cli('bssid_ignore')).toBe(`${A}\n`);
      let from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      expect(r.eventsFrom(from).some((e) => e.startsWith(`Trying to associate with ${A}`))).toBe(false);

      expect((await r.cli('raw', 'SIGNAL_MONITOR THRESHOLD=-70 HYSTERESIS=4')).trim()).toBe('OK');
      from = r.mark();
      expect((await r.cli('raw', `DRIVER SIM_SIGNAL ${B} -80`)).trim()).toBe('OK');
      expect(await r.wait(/CTRL-EVENT-SIGNAL-CHANGE/, from)).toBe('CTRL-EVENT-SIGNAL-CHANGE above=0 signal=-80 noise=-95 txrate=0');
      // Inside the hysteresis band: no event. Past it: above=1.
      expect((await r.cli('raw', `DRIVER SIM_SIGNAL ${B} -68`)).trim()).toBe('OK');
      expect((await r.cli('raw', `DRIVER SIM_SIGNAL ${B} -60`)).trim()).toBe('OK');
      expect(await r.wait(/CTRL-EVENT-SIGNAL-CHANGE above=1/, from)).toBe('CTRL-EVENT-SIGNAL-CHANGE above=1 signal=-60 noise=-95 txrate=0');
      expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-SIGNAL-CHANGE'))).toHaveLength(2);
      expect((await r.status()).wpa_state).toBe('COMPLETED');
    });

    it('the AP disappears: the station loses it and moves to the other AP of the ESS', async () => {
      rig = await Rig.start({ scenario: scenario(14), networks: NET, backend });
      const r = rig;
      await connectWithCli(r);
      const from = r.mark();
      expect((await r.cli('raw', `DRIVER SIM_AP_DOWN ${A}`)).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01 reason=\d+/, from);
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:02 completed/, from);
      // The firmware's beacon loss first, then the link lost (as 2.10 on mac80211).
      expect(r.eventsFrom(from).slice(0, 2)).toEqual(['CTRL-EVENT-BEACON-LOSS ', `CTRL-EVENT-DISCONNECTED bssid=${A} reason=4 locally_generated=1`]);
      const st = await r.status();
      expect(st.wpa_state).toBe('COMPLETED');
      expect(st.bssid).toBe(B);
      // Like wpa_supplicant, candidates come from the last scan's results: the
      // AP that went off the air is not tried again, and the ESS is not
      // temporarily disabled while B answers.
      const after = r.eventsFrom(from);
      expect(after.filter((e) => e.startsWith('Trying to associate with 02:00:00:00:5a:01'))).toEqual([]);
      expect(after.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toEqual([]);
    });
  });
}

describe.skipIf(!haveCli)('station: 1000 APs (conf/scenarios/scale-1000.ini)', () => {
  it('SCAN_RESULTS and BSS RANGE replies stay within 4095 bytes and end on whole lines', async () => {
    const text = `${simSection(5)}[ap crowd]\ncount = 999\nbssid = 02:10:00:00:00:00\nssid = crowd-%d\nfreq = 2412, 2437, 2462\nsignal = -80\npassphrase = crowded passphrase\n\n` +
      `[ap home]\nbssid = 02:00:00:00:0e:01\nssid = scale-home\nfreq = 5180\nsignal = -40\npassphrase = scale passphrase\n`;
    rig = await Rig.start({ scenario: text, networks: pskNetwork('scale-home', 'scale passphrase', '\tdisabled=1\n'), backend: 'sim' });
    const r = rig;
    // 1000 CTRL-EVENT-BSS-ADDED in a burst overflow any monitor's datagram queue
    // (wpa_supplicant's rule: the 11th failed send drops the monitor), so this
    // test follows the daemon's own log of its events instead.
    let out = r.daemon.output.length;
    expect((await r.cli('scan')).trim()).toBe('OK');
    await r.waitOutput(/CTRL-EVENT-SCAN-RESULTS/, out);
    const results = await r.req('SCAN_RESULTS');
    expect(results.length).toBeLessThanOrEqual(4095);
    expect(results.endsWith('\n')).toBe(true);
    const lines = results.split('\n').slice(1, -1);
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(l).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}\t\d+\t-\d+\t\S*\t.*$/);
    // Far more BSSes than fit: the reply was cut close to the limit, at a line end.
    expect(results.length).toBeGreaterThan(4095 - 80);

    const range = await r.req('BSS RANGE=0- MASK=0x1');
    expect(range.length).toBeLessThanOrEqual(4095);
    expect(range.endsWith('\n')).toBe(true);
    const ids = range.trim().split('\n');
    expect(ids.length).toBeGreaterThan(100);
    for (const l of ids) expect(l).toMatch(/^id=\d+$/);
    // Ascending ids. The scan's results join the table in 2.10's order: the
    // home network's BSS (RSN, the strongest) first, as id 0; a full table
    // evicts the oldest BSS no configured network names, so id 0 stays and the
    // rest are the newest crowd entries, without gaps.
    const nums = ids.map((l) => Number(l.slice(3)));
    expect(nums[0]).toBe(0);
    nums.slice(1).forEach((n, i) => expect(n).toBe(nums[1] + i));
    expect(await r.req('BSS 0')).toMatch(/^bssid=02:00:00:00:0e:01$/m);

    const full = await r.req('BSS RANGE=0-999');
    expect(full.length).toBeLessThanOrEqual(4095);
    expect(full.endsWith('\n')).toBe(true);
    // The real wpa_cli prints the same reply.
    const viaCli = await r.cli('bss', '02:00:00:00:0e:01');
    expect(viaCli).toMatch(/^bssid=02:00:00:00:0e:01$/m);
    expect(viaCli).toMatch(/^ssid=scale-home$/m);
    // And the station still connects among 1000 BSSes.
    out = r.daemon.output.length;
    expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
    await r.waitOutput(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0e:01/, out);
    expect((await r.status()).wpa_state).toBe('COMPLETED');
  });
});

describe.skipIf(!haveCli)('station: the wpa-offload-sim process killed mid-association', () => {
  it('reports locally_generated=1, INTERFACE_DISABLED while the driver is gone, reconnects to the restarted driver, STATUS matches', async () => {
    // A long air delay keeps the association in flight while we kill the driver.
    const text = scenario(15).replace('air_delay_ms = 1', 'air_delay_ms = 150');
    rig = await Rig.start({ scenario: text, networks: NET, backend: 'ext' });
    const r = rig;
    let from = r.mark();
    await r.req('SELECT_NETWORK 0');
    await r.wait(/Associated with 02:00:00:00:5a:01/, from);
    // The host now runs the 4-way handshake over the wire; kill the driver under it.
    from = r.mark();
    await r.sim!.kill();
    await r.wait(/CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:5a:01 reason=\d+ locally_generated=1/, from);
    expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toBe(false);
    expect((await r.req('PING')).trim()).toBe('PONG');
    // No driver link: the interface is down, as a netdev that is gone, and SCAN
    // answers FAIL (wpa_supplicant's reply in INTERFACE_DISABLED), not a silent OK.
    expect((await r.status()).wpa_state).toBe('INTERFACE_DISABLED');
    expect((await r.cli('scan')).trim()).toBe('FAIL');
    for (const cmd of ['RECONNECT', 'REASSOCIATE', 'REATTACH']) expect(await r.req(cmd), cmd).toBe('FAIL\n');
    await r.sim!.start();
    await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:5a:01 completed/, from);
    const st = await r.cli('status');
    expect(st).toMatch(/^wpa_state=COMPLETED$/m);
    expect(st).toMatch(/^bssid=02:00:00:00:5a:01$/m);
    const sim = await r.simUntil((x) => x.bssid === A && x.host_tk_ok === '1');
    expect(sim.bssid).toBe(A);
    expect(sim.host_tk_ok).toBe('1');
  });
});
