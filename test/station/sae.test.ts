/**
 * WPA3-Personal with the real wpa_cli against a real wpa-offloadd process:
 * SAE on the host over the driver protocol's `auth`/`auth_rx` (-D sim in
 * process, and -D ext to a separate wpa-offload-sim), the PMKSA SAE made in
 * the cache, and a reconnect that uses it instead of running SAE again; a
 * transition-mode AP (WPA-PSK and SAE); an AP that demands anti-clogging
 * tokens; the conf/scenarios/wpa3-transition.ini example with SAE offload.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import fs from 'node:fs';
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

    it('a transition-mode AP (WPA-PSK SAE): key_mgmt=WPA-PSK SAE connects with SAE, key_mgmt=WPA-PSK with WPA-PSK', async () => {
      const T = '02:00:00:00:5a:32';
      const scenario = `${simSection(32)}[firmware]\nfour_way_psk = false\n\n` +
        `[ap t]\nbssid = ${T}\nssid = mixed\nfreq = 2437\nsignal = -45\nakm = WPA-PSK SAE\npassphrase = ${PASS}\n`;
      const net = (keyMgmt: string): string => `network={\n\tssid="mixed"\n\tpsk="${PASS}"\n\tkey_mgmt=${keyMgmt}\n\tdisabled=1\n}\n`;
      rig = await Rig.start({ scenario, networks: net('WPA-PSK SAE'), backend });
      let from = rig.mark();
      expect((await rig.cli('select_network', '0')).trim()).toBe('OK');
      await rig.wait(new RegExp(`SME: Trying to authenticate with ${T}`), from);
      await rig.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${T} completed`), from);
      // 2.10's flags for an RSNE with both AKMs; PMF capable, not required.
      expect(await rig.cli('scan_results')).toMatch(new RegExp(`^${T}\t2437\t-45\t\\[WPA2-PSK\\+SAE-CCMP\\]\\[ESS\\]\tmixed$`, 'm'));
      let st = await rig.cli('status');
      expect(st).toMatch(/^key_mgmt=SAE$/m);
      expect(st).toMatch(/^pmf=1$/m);
      expect(st).toMatch(/^sae_group=19$/m);
      expect((await rig.simUntil((x) => x.host_tk_ok === '1')).host_tk_ok).toBe('1');
      await rig.stop();

      rig = await Rig.start({ scenario, networks: net('WPA-PSK'), backend });
      from = rig.mark();
      expect((await rig.cli('select_network', '0')).trim()).toBe('OK');
      await rig.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${T} completed`), from);
      expect(rig.eventsFrom(from).some((e) => e.includes('SME: Trying to authenticate'))).toBe(false);
      st = await rig.cli('status');
      expect(st).toMatch(/^key_mgmt=WPA2-PSK$/m);
      expect(st).not.toMatch(/^sae_group=/m);
      expect((await rig.simUntil((x) => x.host_tk_ok === '1')).host_tk_ok).toBe('1');
    });

    it('anti-clogging: an AP with sae_anti_clogging_threshold=0 asks for a token, the commit is repeated with it, the connection completes', async () => {
      rig = await Rig.start({ scenario: `${SCENARIO}sae_anti_clogging_threshold = 0\n`, networks: NET, backend });
      const r = rig;
      const from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-AUTH-REJECT'))).toBe(false);
      expect(await r.cli('status')).toMatch(/^key_mgmt=SAE$/m);
      const sim = await r.simUntil((x) => x.host_tk_ok === '1');
      expect(sim.sae_token_requests).toBe('1');
    });

    it('conf/scenarios/wpa3-transition.ini: SAE offload to the firmware on the transition AP, and through anti-clogging on the WPA3 one', async () => {
      const scenario = fs.readFileSync('conf/scenarios/wpa3-transition.ini', 'utf8');
      const nets = 'network={\n\tssid="home-transition"\n\tpsk="transition passphrase"\n\tkey_mgmt=WPA-PSK SAE\n\tdisabled=1\n}\n' +
        'network={\n\tssid="home-wpa3"\n\tsae_password="wpa3 passphrase"\n\tkey_mgmt=SAE\n\tieee80211w=2\n\tdisabled=1\n}\n';
      rig = await Rig.start({ scenario, networks: nets, backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:13:01 completed/, from);
      // The firmware ran SAE: the host sent no Authentication frame.
      expect(r.eventsFrom(from).some((e) => e.includes('SME: Trying to authenticate'))).toBe(false);
      expect(await r.cli('status')).toMatch(/^key_mgmt=SAE$/m);
      expect(await r.cli('raw', 'OFFLOAD_STATUS')).toMatch(/^key_owner=firmware$/m);
      expect((await r.simStatus()).fw_sae_runs).toBe('1');
      from = r.mark();
      expect((await r.cli('select_network', '1')).trim()).toBe('OK');
      await r.wait(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:13:02 completed/, from);
      const sim = await r.simStatus();
      expect([sim.fw_sae_runs, sim.sae_token_requests]).toEqual(['2', '1']);
      expect(await r.cli('pmksa')).toMatch(/^2 02:00:00:00:13:02 [0-9a-f]{32} \d+ 0$/m);
    });
  });
}
