/**
 * Taking the handshake back from a silent firmware, end to end: a real
 * wpa-offloadd on the simulated radio (-D sim, and for 802.1X also over the
 * wire to a wpa-offload-sim process, -D ext), driven by the real wpa_cli.
 * The simulated AP treats EAPOL-Start as hostapd does (src/driver/sim/ap.ts):
 * SIM_STATUS reports what it saw (EAPOL-Starts, EAP requests, whether it
 * still holds the 802.1X PMKSA, "more than three restarts" disconnects).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { build, pskNetwork, Rig, simSection } from '../station/rig.js';

const haveCli = requireTool(WPA_CLI);
const OWN = '02:00:00:00:00:01';
const FW = 'four_way_psk = true\nfour_way_8021x = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nmode = mute\n';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});
beforeAll(() => build(), 120_000);

const kv = (text: string): Record<string, string> => Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

async function cliConnected(r: Rig, bssid: string): Promise<void> {
  const from = r.mark();
  expect((await r.cli('select_network', '0')).trim()).toBe('OK');
  await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${bssid} completed`), from);
  expect(await r.cli('status')).toMatch(/^wpa_state=COMPLETED$/m);
}

/** SIM_STATUS through wpa_cli, once msg 4/4 had time to reach the AP. */
async function apView(r: Rig): Promise<Record<string, string>> {
  await new Promise((res) => setTimeout(res, 100));
  return kv(await r.cli('raw', 'DRIVER SIM_STATUS'));
}

describe.skipIf(!haveCli)('taking the handshake back, real daemon and wpa_cli', () => {
  it('PSK, silent firmware (-D sim): exactly one EAPOL-Start, then COMPLETED on the same association', async () => {
    const A = '02:00:00:00:7a:01';
    rig = await Rig.start({
      scenario: `${simSection(701)}[firmware]\n${FW}\n[ap a]\nbssid = ${A}\nssid = tb-psk\nfreq = 2437\nsignal = -45\npassphrase = tb passphrase\n`,
      networks: pskNetwork('tb-psk', 'tb passphrase', '\tdisabled=1\n'),
      backend: 'sim',
    });
    await cliConnected(rig, A);
    const owners = rig.eventsFrom(0).filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatch(/owner=host completion=host-after-firmware-silence reason=.*sent EAPOL-Start/);
    expect(rig.eventsFrom(0).filter((e) => e.startsWith('Trying to associate'))).toHaveLength(1);
    const ap = await apView(rig);
    expect([ap.ap_eapol_starts, ap.ap_restart_limit, ap.host_tk_ok]).toEqual(['1', '0', '1']);
    expect(await rig.cli('raw', 'OFFLOAD_STATUS')).toMatch(/^in_sync=1$/m);
  });

  it('PSK, a firmware that swallows the handshake for good and an AP that ignores EAPOL-Start (hostapd): one EAPOL-Start in all; the next association runs on the host', async () => {
    const A = '02:00:00:00:7a:04';
    rig = await Rig.start({
      scenario: `${simSection(705)}[firmware]\n${FW.replace('mode = mute', 'mode = deaf')}\n[ap a]\nbssid = ${A}\nssid = tb-deaf\nfreq = 2437\nsignal = -45\npassphrase = tb passphrase\npsk_eapol_start = ignore\n`,
      networks: pskNetwork('tb-deaf', 'tb passphrase', '\tdisabled=1\n'),
      backend: 'sim',
      offload: 'offload_wait_ms = 300\nauth_timeout_ms = 2000\n',
    });
    await cliConnected(rig, A);
    const evs = rig.eventsFrom(0);
    expect(evs.filter((e) => e.startsWith('Trying to associate'))).toHaveLength(2);
    expect(evs.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    expect(evs.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER')).at(-1)).toMatch(/owner=host completion=host-only /);
    const ap = await apView(rig);
    expect([ap.ap_eapol_starts, ap.ap_restart_limit, ap.host_tk_ok]).toEqual(['1', '0', '1']);
  });

  for (const backend of ['sim', 'ext'] as const) {
    it(`802.1X with a cached PMKSA, silent firmware (-D ${backend}): no EAPOL-Start; reassociation with offload off offering the PMKID; COMPLETED; the AP keeps its PMKSA`, async () => {
      const E = '02:00:00:00:7a:02';
      const PMK = '6d'.repeat(32);
      const pmkid = createHmac('sha1', Buffer.from(PMK, 'hex'))
        .update(Buffer.concat([Buffer.from('PMK Name'), Buffer.from(E.replace(/:/g, ''), 'hex'), Buffer.from(OWN.replace(/:/g, ''), 'hex')]))
        .digest().subarray(0, 16).toString('hex');
      rig = await Rig.start({
        scenario: `${simSection(backend === 'sim' ? 702 : 703)}[firmware]\n${FW}\n[ap e]\nbssid = ${E}\nssid = tb-eap\nfreq = 2437\nsignal = -45\nakm = WPA-EAP\npmk = ${PMK}\n`,
        networks: 'network={\n\tssid="tb-eap"\n\tkey_mgmt=WPA-EAP\n\tdisabled=1\n}\n',
        backend,
        offload: 'offload_wait_ms = 300\nauth_timeout_ms = 10000\npmksa_testing = true\n',
      });
      // akmp 1 = WPA_KEY_MGMT_IEEE8021X
      expect((await rig.cli('raw', `PMKSA_ADD 0 ${E} ${pmkid} ${PMK} 30000 43200 1 0`)).trim()).toBe('OK');
      await cliConnected(rig, E);
      const evs = rig.eventsFrom(0);
      const owners = evs.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
      expect(owners[0]).toMatch(/owner=host completion=host-after-firmware-silence reason=.*reassociating with the handshake on the host/);
      expect(owners.at(-1)).toMatch(/owner=host completion=host-only /);
      expect(evs.filter((e) => e.startsWith('Trying to associate'))).toHaveLength(2);
      expect(evs.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
      const ap = await apView(rig);
      expect([ap.ap_pmksa, ap.ap_eapol_starts, ap.ap_eap_requests, ap.ap_restart_limit, ap.host_tk_ok]).toEqual(['1', '0', '0', '0', '1']);
      // The association runs on the cached PMKSA: the MIB names its PMKID, PMKSA lists it.
      expect(await rig.cli('pmksa')).toContain(pmkid);
      expect(await rig.cli('raw', 'OFFLOAD_STATUS')).toMatch(/^completion=host-only$/m);
    });
  }

  it('FT-PSK, silent firmware (-D sim): no EAPOL-Start; reassociation with offload off; the host runs the FT 4-way handshake; COMPLETED', async () => {
    const F = '02:00:00:00:7a:03';
    rig = await Rig.start({
      scenario: `${simSection(704)}[firmware]\n${FW}akms = WPA-PSK, FT-PSK\n\n[ap f]\nbssid = ${F}\nssid = tb-ft\nfreq = 2437\nsignal = -45\nakm = FT-PSK\nmdid = 5a5a\npassphrase = tb passphrase\n`,
      networks: 'network={\n\tssid="tb-ft"\n\tkey_mgmt=FT-PSK\n\tpsk="tb passphrase"\n\tdisabled=1\n}\n',
      backend: 'sim',
    });
    await cliConnected(rig, F);
    expect(await rig.cli('status')).toMatch(/^key_mgmt=FT-PSK$/m);
    const evs = rig.eventsFrom(0);
    const owners = evs.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
    expect(owners[0]).toMatch(/owner=host completion=host-after-firmware-silence reason=.*reassociating with the handshake on the host/);
    expect(owners.at(-1)).toMatch(/owner=host completion=host-only /);
    expect(evs.filter((e) => e.startsWith('Trying to associate'))).toHaveLength(2);
    const ap = await apView(rig);
    expect([ap.ap_eapol_starts, ap.ap_restart_limit, ap.host_tk_ok]).toEqual(['0', '0', '1']);
  });
});
