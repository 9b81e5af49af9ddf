/**
 * SAVE_CONFIG: the same command sequence on both sides, then the two files
 * compared byte for byte (after the per-side paths and the wired ap_scan=0
 * artefact), plus the mode difference the project documents, update_config=0,
 * line injection, and RECONFIGURE reading the file back (or refusing a broken one).
 */
import { appendFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAVED_CONFIG_MODE, normaliseSavedConfig } from './expected-differences.js';
import { show, type Pair } from './pair.js';
import { referenceAvailable, usePair } from './setup.js';

const HEX64 = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe.skipIf(!referenceAvailable())('SAVE_CONFIG vs wpa_supplicant 2.10', () => {
  const { pair } = usePair({ confExtra: 'update_config=1\n' });

  async function saveAndCompare(p: Pair, apScanSetByTest = false): Promise<string> {
    await p.same('SAVE_CONFIG');
    const files = p.savedConfigs();
    const ref = normaliseSavedConfig(files.ref, p.ref.ctx, apScanSetByTest);
    const dut = normaliseSavedConfig(files.dut, p.dut.ctx, apScanSetByTest);
    expect(dut, 'saved configuration file').toBe(ref);
    return ref;
  }

  it('every network field and their writer order', async () => {
    const p = pair();
    const sets: [string, string][] = [
      ['ssid', '"full"'],
      ['psk', '"passphrase123"'],
      ['key_mgmt', 'WPA-PSK-SHA256 FT-PSK SAE FT-SAE'],
      ['sae_password', '"saepass"'],
      ['proto', 'WPA2'],
      ['pairwise', 'CCMP GCMP'],
      ['group', 'CCMP TKIP'],
      ['group_mgmt', 'BIP-GMAC-256'],
      ['ieee80211w', '2'],
      ['bssid', '00:11:22:AA:BB:CC'],
      ['bssid_ignore', '02:00:00:00:00:01 02:00:00:00:00:02'],
      ['bssid_accept', '02:00:00:00:00:03'],
      ['priority', '7'],
      ['scan_ssid', '1'],
      ['id_str', '"office"'],
      ['freq_list', '2412 2437'],
      ['frequency', '2412'],
      ['mode', '0'],
      ['auth_alg', 'OPEN SHARED'],
    ];
    await p.same('ADD_NETWORK');
    for (const [f, v] of sets) await p.same(`SET_NETWORK 0 ${f} ${v}`);
    await p.same('ADD_NETWORK');
    await p.sameAll(['SET_NETWORK 1 ssid 0a0b0c', `SET_NETWORK 1 psk ${HEX64}`, 'SET_NETWORK 1 priority -2']);
    await saveAndCompare(p);
  });

  it('global options: only non-defaults, fixed order, raw strings', async () => {
    const p = pair();
    await p.sameAll([
      'SET country  SE',
      'SET device_name "x y"',
      'SET okc 1',
      'SET pmf 1',
      'SET bss_max_count 123',
      'SET dot11RSNAConfigPMKLifetime 7200',
      'ADD_NETWORK',
      'SET_NETWORK 0 ssid "g"',
      'SET_NETWORK 0 key_mgmt NONE',
    ]);
    await saveAndCompare(p);
    await p.sameAll(['SET okc 0', 'SET pmf 0', 'SET bss_max_count 200', 'SET dot11RSNAConfigPMKLifetime 43200']);
  });

  it('networks that are silently skipped (WPA-PSK without psk, SAE without password)', async () => {
    const p = pair();
    await p.sameAll([
      'ADD_NETWORK',
      'ADD_NETWORK',
      'SET_NETWORK 1 ssid "nopsk"',
      'ADD_NETWORK',
      'SET_NETWORK 2 ssid "sae"',
      'SET_NETWORK 2 key_mgmt SAE',
      'ADD_NETWORK',
      'SET_NETWORK 3 ssid "open"',
      'SET_NETWORK 3 key_mgmt NONE',
    ]);
    await saveAndCompare(p);
  });

  it('enabled and disabled networks (the wired ap_scan=0 artefact normalised)', async () => {
    const p = pair();
    await p.sameAll([
      'ADD_NETWORK',
      'SET_NETWORK 0 ssid "on"',
      'SET_NETWORK 0 key_mgmt NONE',
      'ADD_NETWORK',
      'SET_NETWORK 1 ssid "off"',
      'SET_NETWORK 1 key_mgmt NONE',
      'ENABLE_NETWORK 0',
      'ADD_NETWORK',
      'SET_NETWORK 2 ssid "temp"',
      'SET_NETWORK 2 key_mgmt NONE',
      'SET_NETWORK 2 disabled 2',
    ]);
    await saveAndCompare(p);
  });

  it('no value injects a line: newline, quote, control characters', async () => {
    const p = pair();
    await p.sameAll([
      'ADD_NETWORK',
      'SET_NETWORK 0 ssid "a\nnetwork={"',
      'SET_NETWORK 0 psk "pass\nword1"',
      'SET_NETWORK 0 sae_password "sae\n}\nnetwork={"',
      'SET_NETWORK 0 id_str "x\n\tpsk=\\"evil\\""',
      'SET_NETWORK 0 key_mgmt SAE',
      'SET device_name evil\nupdate_config=0',
    ]);
    const ref = await saveAndCompare(p);
    const blocks = (t: string): number => t.split('\n').filter((l) => l === 'network={').length;
    expect(blocks(ref)).toBe(1);
    expect(blocks(p.savedConfigs().dut)).toBe(1);
  });

  it('mode of the saved file: 0600 kept by wpa-offloadd (deliberate; 2.10 leaves 0644)', async () => {
    const p = pair();
    await p.sameAll(['ADD_NETWORK', 'SET_NETWORK 0 ssid "m"', 'SET_NETWORK 0 psk "12345678"']);
    await saveAndCompare(p);
    expect(statSync(p.ref.ctx.confPath).mode & 0o777).toBe(SAVED_CONFIG_MODE.reference);
    expect((statSync(p.dut.ctx.confPath).mode & 0o777).toString(8)).toBe(SAVED_CONFIG_MODE.offloadd.toString(8));
  });

  it('update_config=0: SAVE_CONFIG answers FAIL and the file is untouched', async () => {
    const p = pair();
    await p.sameAll(['ADD_NETWORK', 'SET_NETWORK 0 ssid "u"', 'SET_NETWORK 0 key_mgmt NONE', 'SAVE_CONFIG']);
    const before = p.savedConfigs();
    await p.sameAll(['SET update_config 0', 'GET update_config', 'ADD_NETWORK', 'SET_NETWORK 1 ssid "v"', 'SAVE_CONFIG']);
    const after = p.savedConfigs();
    expect(after.ref).toBe(before.ref);
    expect(show(after.dut)).toBe(show(before.dut));
    await p.same('SET update_config 1');
  });

  it('RECONFIGURE reads the saved file back', async () => {
    const p = pair();
    await p.sameAll([
      'ADD_NETWORK',
      'SET_NETWORK 0 ssid "back"',
      'SET_NETWORK 0 psk "12345678"',
      'SET_NETWORK 0 priority 3',
      'SAVE_CONFIG',
      'ADD_NETWORK', // not saved: gone after RECONFIGURE
      'RECONFIGURE',
      'LIST_NETWORKS',
      'GET_NETWORK 0 ssid',
      'GET_NETWORK 0 psk',
      'GET_NETWORK 0 priority',
      'GET_NETWORK 0 disabled',
    ]);
  });

  it('RECONFIGURE with a broken file: FAIL, running configuration untouched', async () => {
    const p = pair();
    await p.sameAll(['ADD_NETWORK', 'SET_NETWORK 0 ssid "keep"', 'SET_NETWORK 0 key_mgmt NONE', 'SAVE_CONFIG']);
    for (const side of [p.ref, p.dut]) appendFileSync(side.ctx.confPath, 'network={\n\tbogus_field=1\n}\n');
    await p.sameAll(['RECONFIGURE', 'LIST_NETWORKS', 'GET_NETWORK 0 ssid', 'PING']);
    await p.same('SAVE_CONFIG'); // repairs the files for the next case
  });
});

/**
 * Lines a 2.10 configuration file carries that wpa-offloadd must load, show
 * and write back unchanged: ap_scan=0, uuid= (any case, trailing text
 * ignored), a network's bssid_hint.
 */
describe.skipIf(!referenceAvailable())('a 2.10 file with ap_scan=0, uuid and bssid_hint vs wpa_supplicant 2.10', () => {
  const { pair } = usePair({
    confExtra:
      'update_config=1\nap_scan=0\nuuid=12345678-1234-1234-1234-123456789ABCxyz\n' +
      'network={\n\tssid="hint"\n\tpsk="12345678"\n\tbssid_hint=02:00:00:00:00:AA\n\tdisabled=1\n}\n',
    resetEach: false,
  });

  it('GET, STATUS, GET_NETWORK show them; SAVE_CONFIG keeps them; SET_NETWORK bssid_hint any drops it', async () => {
    const p = pair();
    await p.sameAll(['GET ap_scan', 'GET uuid', 'STATUS', 'GET_NETWORK 0 bssid_hint', 'LIST_NETWORKS']);
    const status = await p.both('STATUS');
    for (const r of [status.ref, status.dut]) expect(r.toString('latin1')).toContain('uuid=12345678-1234-1234-1234-123456789abc\n');
    // The raw files: uuid= is a volatile field elsewhere, here it is the point.
    const save = async (): Promise<string> => {
      await p.same('SAVE_CONFIG');
      const files = p.savedConfigs();
      const dir = (t: string, side: typeof p.ref): string => t.split(side.ctx.ctrlDir).join('<CTRL_DIR>');
      expect(dir(files.dut, p.dut), 'saved configuration file').toBe(dir(files.ref, p.ref));
      return files.ref;
    };
    const saved = await save();
    expect(saved).toContain('ap_scan=0\n');
    expect(saved).toContain('uuid=12345678-1234-1234-1234-123456789abc\n');
    expect(saved).toContain('\tbssid_hint=02:00:00:00:00:aa\n');
    await p.sameAll(['SET_NETWORK 0 bssid_hint any', 'GET_NETWORK 0 bssid_hint', 'SET uuid 00000000-0000-0000-0000-000000000000']);
    const again = await save();
    expect(again).not.toContain('bssid_hint');
    expect(again).not.toContain('uuid=');
  });
});
