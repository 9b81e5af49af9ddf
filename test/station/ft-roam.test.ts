/**
 * FT over the air on ROAM, end to end: a real wpa-offloadd process (-D sim in
 * process, and -D ext to a separate wpa-offload-sim over the driver
 * protocol), the real wpa_cli's `roam`, two simulated FT-PSK APs of one
 * mobility domain. The events and STATUS are those wpa_supplicant 2.10
 * showed for an FT roam through its SME on the kernel radio
 * (test/fixtures/vectors/ft-psk-roam-2.10.json): "SME: Trying to
 * authenticate", "Trying to associate", "Associated with", "WPA: Key
 * negotiation completed", CTRL-EVENT-CONNECTED; no EAPOL frame; the simulated
 * AP checked the FTE MIC and the host's keys are the AP's.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { build, Rig, simSection } from './rig.js';
import { readVector } from '../fixtures/vectors.js';

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
      // 2.10's, for its target (same frequency, 2437 MHz) and SSID.
      const v = readVector('ft-psk-roam-2.10.json');
      const mine = (l: string): string => l.replaceAll(v.target, B).replaceAll(`'${v.ssid}'`, `'${SSID}'`).replace(`ssid=${v.ssid}`, `ssid=${SSID}`);
      expect(seen).toEqual((v.events as string[]).map(mine));
      // STATUS as 2.10's after the roam, up to the lines of other features (p2p, address, uuid).
      const st = (await r.cli('status')).split('\n');
      const want = (v.status as string[]).filter((l) => !/^(p2p_device_address|address|uuid)=/.test(l)).map(mine);
      expect(st.filter((l) => want.some((w) => w.split('=')[0] === l.split('=')[0]))).toEqual(want);
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
