/**
 * FT over the air on ROAM, end to end: a real wpa-offloadd process (-D sim in
 * process, and -D ext to a separate wpa-offload-sim over the driver
 * protocol), the real wpa_cli's `roam`, two simulated FT-PSK APs of one
 * mobility domain. The events and STATUS are those 2.10 shows for an FT roam
 * through its SME: "SME: Trying to authenticate", "Trying to associate",
 * "Associated with", CTRL-EVENT-CONNECTED, no 4-way handshake and no
 * "WPA: Key negotiation completed"; the simulated AP checked the FTE MIC and
 * the host's keys are the AP's.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { build, Rig, simSection } from './rig.js';

const haveCli = requireTool(WPA_CLI);

const A = '02:00:00:00:f7:11';
const B = '02:00:00:00:f7:12';
const SSID = 'ft-roam';
const PASS = 'ft roam passphrase';

const ap = (name: string, bssid: string, freq: number, signal: number): string =>
  `[ap ${name}]\nbssid = ${bssid}\nssid = ${SSID}\nfreq = ${freq}\nsignal = ${signal}\nakm = FT-PSK\nmdid = a1b2\nr0kh_id = r0kh.${name}.example\npassphrase = ${PASS}\n`;
const SCENARIO = `${simSection(41)}[firmware]\nakms = WPA-PSK, FT-PSK\n\n${ap('a', A, 2412, -45)}${ap('b', B, 2437, -55)}`;
const NET = `network={\n\tssid="${SSID}"\n\tpsk="${PASS}"\n\tkey_mgmt=FT-PSK\n\tdisabled=1\n}\n`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

beforeAll(() => build(), 120_000);

for (const backend of ['sim', 'ext'] as const) {
  describe.skipIf(!haveCli)(`FT roam with the real wpa_cli, -D ${backend}`, () => {
    it('roam within the mobility domain: FT Authentication and reassociation, keys from the Reassociation Response, CONNECTED; STATUS on the new BSS; GET_CAPABILITY lists FT-PSK', async () => {
      rig = await Rig.start({ scenario: SCENARIO, networks: NET, backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
      expect((await r.cli('get_capability', 'key_mgmt')).trim()).toBe('NONE WPA-PSK FT-PSK');
      await r.cli('scan');
      await r.wait(/CTRL-EVENT-SCAN-RESULTS/, from);

      from = r.mark();
      expect((await r.cli('roam', B)).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed \\[id=0 id_str=\\]`), from);
      await r.wait(/CTRL-EVENT-SUBNET-STATUS-UPDATE status=0/, from);
      const seen = r.eventsFrom(from).filter((e) => !e.startsWith('OFFLOAD-') && !e.startsWith('CTRL-EVENT-SCAN'));
      expect(seen).toEqual([
        `SME: Trying to authenticate with ${B} (SSID='${SSID}' freq=2437 MHz)`,
        `Trying to associate with ${B} (SSID='${SSID}' freq=2437 MHz)`,
        `Associated with ${B}`,
        `CTRL-EVENT-CONNECTED - Connection to ${B} completed [id=0 id_str=]`,
        'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0',
      ]);
      const st = await r.cli('status');
      expect(st).toMatch(new RegExp(`^bssid=${B}$`, 'm'));
      expect(st).toMatch(/^freq=2437$/m);
      expect(st).toMatch(/^key_mgmt=FT-PSK$/m);
      expect(st).toMatch(/^wpa_state=COMPLETED$/m);
      const sim = await r.simUntil((x) => x.bssid === B && x.host_tk_ok === '1' && x.host_gtk_ok === '1');
      expect([sim.bssid, sim.host_tk_ok, sim.host_gtk_ok, sim.ap_eapol_starts]).toEqual([B, '1', '1', '0']);
      expect((await r.offload()).completion).toBe('host-ft');

      // A group rekey after the roam verifies with the KCK of the FT PTK.
      from = r.mark();
      expect((await r.req('DRIVER SIM_GTK_REKEY host')).trim()).toBe('OK');
      await r.wait(new RegExp(`WPA: Group rekeying completed with ${B}`), from);
    });
  });
}
