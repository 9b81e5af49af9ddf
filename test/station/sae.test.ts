/**
 * WPA3-Personal with the real wpa_cli against a real wpa-offloadd process:
 * SAE on the host over the driver protocol's `auth`/`auth_rx` (-D sim in
 * process, and -D ext to a separate wpa-offload-sim), the PMKSA SAE made in
 * the cache, and a reconnect that uses it instead of running SAE again.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { build, Rig, simSection } from './rig.js';

const haveCli = requireTool(WPA_CLI);

const A = '02:00:00:00:5a:31';
const SSID = 'wpa3-station';
const PASS = 'wpa3 password';

const SCENARIO = `${simSection(31)}[firmware]\nfour_way_psk = true\n\n` +
  `[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\nakm = SAE\npassphrase = ${PASS}\n`;
const NET = `network={\n\tssid="${SSID}"\n\tsae_password="${PASS}"\n\tkey_mgmt=SAE\n\tieee80211w=2\n\tdisabled=1\n}\n`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

beforeAll(() => build(), 120_000);

for (const backend of ['sim', 'ext'] as const) {
  describe.skipIf(!haveCli)(`SAE with the real wpa_cli, -D ${backend}`, () => {
    it('connects with SAE (STATUS key_mgmt=SAE, sae_group=19), lists the PMKSA, and reconnects with it without SAE', async () => {
      rig = await Rig.start({ scenario: SCENARIO, networks: NET, backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(new RegExp(`SME: Trying to authenticate with ${A} \\(SSID='${SSID}' freq=2437 MHz\\)`), from);
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed \\[id=0 id_str=\\]`), from);
      const st = await r.cli('status');
      expect(st).toMatch(/^wpa_state=COMPLETED$/m);
      expect(st).toMatch(/^key_mgmt=SAE$/m);
      expect(st).toMatch(/^pmf=2$/m);
      expect(st).toMatch(/^sae_group=19\nsae_h2e=0\nsae_pk=0\nwpa_state=COMPLETED$/m);
      const sim = await r.simUntil((x) => x.host_tk_ok === '1');
      expect(sim.host_tk_ok).toBe('1');
      const pmksa = await r.cli('pmksa');
      const line = pmksa.split('\n').find((l) => l.includes(A));
      expect(line, pmksa).toMatch(new RegExp(`^1 ${A} [0-9a-f]{32} \\d+ 0$`));
      const pmkid = line!.split(' ')[2];

      from = r.mark();
      expect((await r.cli('reassociate')).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
      const after = r.eventsFrom(from);
      expect(after.some((e) => e.includes('SME: Trying to authenticate'))).toBe(false);
      expect((await r.cli('status'))).toMatch(/^key_mgmt=SAE$/m);
      expect(await r.cli('mib')).toMatch(new RegExp(`^dot11RSNAPMKIDUsed=${pmkid}$`, 'm'));
    });

    it('a wrong password: SAE fails, CTRL-EVENT-SSID-TEMP-DISABLED reason=WRONG_KEY, no association', async () => {
      rig = await Rig.start({ scenario: SCENARIO, networks: NET.replace(PASS, 'wrong password'), backend });
      const r = rig;
      const from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="${SSID}" auth_failures=1 duration=10 reason=WRONG_KEY`), from);
      expect(r.eventsFrom(from).some((e) => e.includes('CTRL-EVENT-CONNECTED'))).toBe(false);
      expect(await r.cli('status')).toMatch(/^wpa_state=DISCONNECTED$/m);
    });
  });
}
