/**
 * Differential conformance of src/config against the real wpa_supplicant 2.10:
 * the same SET_NETWORK / GET_NETWORK / SET / GET requests go to the reference
 * daemon and to our NetworkConfig / SupplicantConfig, and SAVE_CONFIG must
 * produce the same bytes as serializeConfig.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupplicantConfig } from '../../src/config/config.js';
import { NetworkConfig } from '../../src/config/network.js';
import { parseConfig } from '../../src/config/parse.js';
import { serializeConfig } from '../../src/config/write.js';
import { ReferenceSupplicant, referenceAvailable } from './reference.js';

const CI = process.env.CI === 'true';
const available = referenceAvailable();

/**
 * Fields where 2.10 leaves a partial result behind after answering FAIL
 * (token lists keep the tokens parsed before the bad one, range-checked
 * integers are clamped to the bound, a bad bssid overwrites leading bytes).
 * Ours changes nothing; that is the only difference allowed after a FAIL.
 */
const PARTIAL_ON_FAIL = new Set(['key_mgmt', 'eap', 'wep_key0', 'wep_key3', 'proactive_key_caching', 'mac_addr', 'proto', 'auth_alg', 'bssid', 'scan_ssid', 'mode', 'frequency', 'disabled', 'ieee80211w', 'mesh_fwding']);

const HEX64 = '0123456789abcdef'.repeat(4);
const macs = (n: number, mask = '') => Array.from({ length: n }, (_, i) => `02:00:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}${mask}`).join(' ');

type Case = [field: string, value: string, pre?: string];

const CASES: Case[] = [
  // ssid: quoted (last quote ends it), hex, P"..." escapes, lengths, unset
  ...['"abc"', '"a"b"', '616263', 'ABCDEF', 'abcdeF', 'P"x\\x41y\\n"', '""', '', '"abc', 'abc', '"0123456789012345678901234567890123"',
    '"01234567890123456789012345678901"', '"a\tb"', '"\xe9t\xe9"', 'P"\\"q\\\\"', 'P"\\x00"', 'P"abc', 'NULL', '"NULL"', 'P"\\e\\t\\r\\y"',
    'P"\\101\\777"', 'P"\\x4"', 'P"trail\\"', '"a\nb"', '"# x"', '" lead"', '"x y" junk"', '"', 'P"', '0', '6', 'zz', '"a"\n'].map((v): Case => ['ssid', v]),
  // psk: passphrase 8..63 bytes without control characters, or 64 hex digits
  ...['"12345678"', '"1234567"', '"abcdefgh', '12345678', HEX64, HEX64.toUpperCase(), HEX64.slice(1), HEX64 + '0', '"a\tbcdefgh"',
    `"${'x'.repeat(63)}"`, `"${'x'.repeat(64)}"`, '"\xe9\xe9\xe9\xe9"', '"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"', '"x"y"z"w"', 'NULL', '', 'ext:foo',
    '"abcdefg\x7f"', `${HEX64.slice(0, 62)}zz`].map((v): Case => ['psk', v, '"previous-pass"']),
  ...['"sae pass"', 'abc', '616263', '""', 'NULL', 'P"a\\nb"', '"x', 'P"a\\x00b"'].map((v): Case => ['sae_password', v]),
  ...['"hi"', '6869', 'hi', '"a b"', 'NULL', '""', 'P"q\\x00r"', '"tab\there"', '"quote"inside"'].map((v): Case => ['id_str', v]),
  // token lists
  ...['WPA-PSK', 'WPA-EAP', 'IEEE8021X', 'NONE', 'WPA-NONE', 'FT-PSK', 'FT-EAP', 'FT-EAP-SHA384', 'WPA-EAP-SHA384', 'WPA-PSK-SHA256',
    'WPA-EAP-SHA256', 'WPS', 'SAE', 'SAE-EXT-KEY', 'FT-SAE', 'OSEN', 'WPA-EAP-SUITE-B', 'WPA-EAP-SUITE-B-192', 'FILS-SHA256', 'FILS-SHA384',
    'FT-FILS-SHA256', 'FT-FILS-SHA384', 'OWE', 'DPP', 'WPA-PSK-SHA256 FT-PSK SAE FT-SAE', 'OSEN OWE DPP FT-SAE SAE WPS NONE',
    'WPA-PSK WPA-EAP IEEE8021X NONE WPA-NONE FT-PSK FT-EAP FT-EAP-SHA384 WPA-PSK-SHA256 WPA-EAP-SHA256 WPS SAE FT-SAE OSEN WPA-EAP-SUITE-B',
    'WPA-PSK\tSAE', '  SAE  ', '"WPA-PSK"', 'wpa-psk', '', ' ', 'SAE BOGUS', 'SAE\nWPA-PSK'].map((v): Case => ['key_mgmt', v, 'NONE']),
  ...['WPA', 'RSN', 'WPA2', 'OSEN', 'OSEN RSN WPA', 'WPA2 WPA', '', 'WPA X', 'rsn', '\tRSN\t'].map((v): Case => ['proto', v, 'WPA']),
  ...['CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP', 'NONE', 'WEP104', 'WEP40', 'GTK_NOT_USED', 'AES-128-CMAC', 'ccmp', '',
    'TKIP  GCMP\tCCMP GCMP-256 CCMP-256 NONE', 'TKIP WEP40', 'TKIP X'].flatMap((v): Case[] => [['pairwise', v, 'TKIP'], ['group', v, 'TKIP'], ['group_mgmt', v, 'BIP-GMAC-128']]),
  ...['BIP-GMAC-128', 'BIP-GMAC-256', 'BIP-CMAC-256', 'BIP-CMAC-256 AES-128-CMAC BIP-GMAC-128', 'BIP-CMAC-256 BIP-GMAC-256 BIP-GMAC-128 AES-128-CMAC'].map((v): Case => ['group_mgmt', v]),
  ...['OPEN', 'SHARED', 'LEAP', 'LEAP OPEN', 'OPEN SHARED LEAP', 'OPEN\tSHARED', 'SAE', 'FT', 'open', '', 'OPEN X'].map((v): Case => ['auth_alg', v, 'SHARED']),
  // integers: strtol base 0, 32-bit wrap, bounds checked only when non-zero
  ...['0', '1', '2', '3', '4', '-1', '-2', '0x2', ' 1', '1 ', '+1', '', 'x', '08', '0x', '99999999999'].map((v): Case => ['ieee80211w', v, '1']),
  ...['5', '-5', '0x10', '010', '99999999999', '2147483648', '-2147483649', '4294967296', '1x', '', ' 7', '7 ', '0x', '08', '-0x10', '+3',
    '99999999999999999999999', '-99999999999999999999999', '0X1f', '\t4', '-', '+'].map((v): Case => ['priority', v, '9']),
  ...['0', '1', '2', '-1', ''].map((v): Case => ['scan_ssid', v, '1']),
  ...['0', '1', '2', '3', '-1', '9'].map((v): Case => ['disabled', v]),
  ...['0', '1', '4', '5', '6', '-1'].map((v): Case => ['mode', v, '2']),
  ...['2412', '0', '5180', '-1', '70200', '70201', '100000', '5'].map((v): Case => ['frequency', v, '2437']),
  ...['0', '1', '2', '-1'].map((v): Case => ['mesh_fwding', v]),
  ...['0', '1', '2', '-1'].map((v): Case => ['mem_only_psk', v]),
  // addresses
  ...['00:11:22:33:44:55', 'AA:BB:CC:DD:EE:FF', '001122334455', '00-11-22-33-44-55', 'any', '', '""', '00:11:22:33:44:5',
    '00:11:22:33:44:55x', '00:11:22:33:44:55 ', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff'].map((v): Case => ['bssid', v, '02:00:00:00:00:09']),
  ...['00:11:22:33:44:55', '00:11:22:33:44:55 66:77:88:99:aa:bb', '  00:11:22:33:44:55   66:77:88:99:AA:BB', '00:11:22:33:44:55 ',
    '00:11:22:33:44:55/ff:ff:ff:00:00:00', '00:11:22:33:44:55/ff:ff:ff:ff:ff:ff', 'bogus', '00:11:22:33:44:55 bogus', '',
    '00:11:22:33:44:55\t66:77:88:99:aa:bb', '001122334455', '00:11:22:33:44:55/ff:ff', '00:11:22:33:44:55/ff:ff:ff:00:00:00junk',
    '00:11:22:33:44:55-', macs(227), macs(228), macs(116, '/ff:ff:ff:ff:00:00'), macs(117, '/ff:ff:ff:ff:00:00')]
    .flatMap((v): Case[] => [['bssid_ignore', v, '02:00:00:00:00:09'], ['bssid_accept', v]]),
  ['bssid_blacklist', '02:00:00:00:00:07'],
  ['bssid_whitelist', '02:00:00:00:00:08'],
  // freq_list, scan_freq: atoi words until a 0
  ...['2412', '2412 5180 2437', '5180 2412 5180', '  2412  2437 ', '2412,2437', 'abc', '2412 abc', '', '0', '-5 10', '-5 -5', '0x10',
    '2412\t2437', '99999999999', '2412 0 2437', Array.from({ length: 450 }, (_, i) => 2400 + i).join(' '),
    // 4095 and 4096 bytes of GET_NETWORK text: the second no longer fits the reply buffer.
    [...Array<string>(818).fill('1000'), '10000'].join(' '), [...Array<string>(817).fill('1000'), '10000', '10000'].join(' ')]
    .flatMap((v): Case[] => [['freq_list', v, '2462'], ['scan_freq', v, '2437']]),
  // 802.1X fields: kept, shown and saved (no EAP method runs here)
  ...['PEAP', 'peap', 'PEAP TTLS', 'TTLS PEAP', 'PEAP PEAP', 'MD5 MSCHAPV2 OTP GTC TLS PEAP TTLS SIM AKA', "AKA' FAST LEAP PSK PAX SAKE GPSK PWD EKE IKEV2 TNC WSC",
    'WFA-UNAUTH-TLS', 'UNAUTH-TLS', 'TEAP', 'NONE', '', 'PEAP junk', '  PEAP   TTLS ', 'PEAP\tTTLS', '"PEAP"']
    .flatMap((v): Case[] => [['eap', v], ['eap', v, 'PEAP TTLS']]),
  ['eap', 'PEAP TTLS', 'PEAP PEAP'], ['eap', 'TTLS PEAP MD5', 'MD5 TTLS PEAP'], ['eap', Array<string>(12).fill('MSCHAPV2').join(' ')],
  ['eap', Array<string>(11).fill('MSCHAPV2').join(' ')], ['eap', `${Array<string>(10).fill('MSCHAPV2').join(' ')} MD5 GTC`],
  ...['identity', 'anonymous_identity', 'password', 'ca_cert', 'client_cert', 'private_key', 'private_key_passwd', 'altsubject_match',
    'domain_suffix_match', 'phase1', 'phase2', 'bgscan', 'sae_password_id'].flatMap((f) =>
    ['"abc"', 'P"a\\x00b"', '616263', '6100', 'NULL', '""', '"a"b"', 'abc', `"${'x'.repeat(300)}"`, 'P"a\\nb"'].map((v): Case => [f, v, '"prev"'])),
  ...['hash:00112233445566778899aabbccddeeff', 'hash:00112233445566778899AABBCCDDEEFF', 'hash:0011', 'hash:zz112233445566778899aabbccddeeff',
    'hash:', 'hash:00112233445566778899aabbccddeeff00'].map((v): Case => ['password', v, '"prev"']),
  ...['"abcde"', '0102030405', '"abc"', 'NULL', '""', 'P"\\x00ab"', 'zz', '"0123456789abcdef"', '"0123456789abcdefg"', `${'ab'.repeat(17)}`]
    .flatMap((v): Case[] => [['wep_key0', v], ['wep_key3', v, '"prev1"']]),
  ...['bg_scan_period', 'eap_workaround', 'fragment_size', 'proactive_key_caching', 'mac_addr', 'wep_tx_keyidx'].flatMap((f) =>
    ['-2', '-1', '0', '1', '2', '3', '86401', '0x10', 'junk', ''].map((v): Case => [f, v])),
  // unknown and case-sensitive names
  ['SSID', '"x"'], ['nonexistent', '1'], ['', '1'],
];

/** The 802.1X and other fields added together; GET-compared wherever the modelled fields are. */
const EXTRA_FIELDS = ['eap', 'identity', 'anonymous_identity', 'password', 'ca_cert', 'client_cert', 'private_key', 'private_key_passwd',
  'altsubject_match', 'domain_suffix_match', 'phase1', 'phase2', 'bgscan', 'sae_password_id', 'bg_scan_period', 'eap_workaround',
  'fragment_size', 'proactive_key_caching', 'mac_addr', 'wep_key0', 'wep_key1', 'wep_key2', 'wep_key3', 'wep_tx_keyidx'];

describe.skipIf(!available && !CI)('config vs real wpa_supplicant 2.10', () => {
  let ref: ReferenceSupplicant | undefined;
  /** Our model of the reference's whole configuration, kept in step across the tests below. */
  let model: SupplicantConfig;

  beforeAll(async () => {
    if (!available) return;
    ref = new ReferenceSupplicant('wocfg0', 'wocfg1');
    await ref.start();
    model = parseConfig(ref.initialConf);
  });

  afterAll(async () => {
    await ref?.stop();
  });

  it('has the reference tools (a missing tool fails under CI)', () => {
    expect(available).toBe(true);
  });

  it('SET_NETWORK / GET_NETWORK agree for every field, good and bad values', async () => {
    const r = ref!;
    const partial: string[] = [];
    for (const [field, value, pre] of CASES) {
      const id = Number(await r.request('ADD_NETWORK'));
      const ours = new NetworkConfig(id);
      ours.setDisabled(1);
      if (pre !== undefined) {
        expect(await r.request(`SET_NETWORK ${id} ${field} ${pre}`)).toBe('OK\n');
        expect(ours.set(field, pre)).toBe(true);
      }
      const before = ours.get(field);
      const label = `${field} ${JSON.stringify(value).slice(0, 80)}`;
      const refSet = await r.request(`SET_NETWORK ${id} ${field} ${value}`);
      const ourSet = ours.set(field, value);
      expect(ourSet ? 'OK\n' : 'FAIL\n', label).toBe(refSet);
      const refGet = await r.request(`GET_NETWORK ${id} ${field}`);
      const ourGet = ours.get(field);
      if (ourSet) {
        expect(ourGet ?? 'FAIL\n', label).toBe(refGet);
      } else {
        expect(ourGet, `${label}: a FAIL changes nothing`).toBe(before);
        if ((ourGet ?? 'FAIL\n') !== refGet) {
          partial.push(field);
          expect(PARTIAL_ON_FAIL.has(field), `${label}: unexpected difference after FAIL (ref ${JSON.stringify(refGet)})`).toBe(true);
        }
      }
      expect(await r.request(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
    }
    // The documented 2.10 partial updates really occur in these cases.
    expect(partial).toContain('key_mgmt');
    expect(partial).toContain('frequency');
  });

  it('defaults of a network added over the control interface agree', async () => {
    const r = ref!;
    const id = Number(await r.request('ADD_NETWORK'));
    const ours = new NetworkConfig(id);
    ours.setDisabled(1);
    for (const f of ['ssid', 'psk', 'sae_password', 'key_mgmt', 'proto', 'pairwise', 'group', 'group_mgmt', 'ieee80211w', 'bssid',
      'bssid_ignore', 'bssid_accept', 'priority', 'scan_ssid', 'disabled', 'id_str', 'freq_list', 'scan_freq', 'frequency', 'mode',
      'auth_alg', 'mesh_fwding', 'mem_only_psk', ...EXTRA_FIELDS]) {
      expect(ours.get(f) ?? 'FAIL\n', f).toBe(await r.request(`GET_NETWORK ${id} ${f}`));
    }
    expect(await r.request(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
  });

  it('the real wpa_cli reads back what we predict', async () => {
    const r = ref!;
    const id = Number(await r.request('ADD_NETWORK'));
    const ours = new NetworkConfig(id);
    for (const [f, v] of [['ssid', '"cli test"'], ['key_mgmt', 'SAE WPA-PSK-SHA256 FT-PSK'], ['proto', 'WPA2']]) {
      expect(r.cli('set_network', String(id), f, v).trim()).toBe('OK');
      expect(ours.set(f, v)).toBe(true);
      expect(r.cli('get_network', String(id), f)).toBe(ours.get(f));
    }
    expect(await r.request(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
  });

  it('SET / GET of global options agree', async () => {
    const r = ref!;
    const ours = model;
    const cases: [string, string][] = [
      ['eapol_version', '0'], ['eapol_version', '3'], ['eapol_version', '4'], ['eapol_version', '2'],
      ['ap_scan', '5'], ['ap_scan', '-1'], ['ap_scan', '1'],
      ['filter_rssi', '1'], ['filter_rssi', '-50'], ['filter_ssids', '-1'], ['filter_ssids', '0'],
      ['dot11RSNAConfigPMKLifetime', '0'], ['dot11RSNAConfigPMKLifetime', '5x'], ['dot11RSNAConfigPMKLifetime', '100'],
      ['dot11RSNAConfigPMKLifetime', '-4'], ['dot11RSNAConfigPMKLifetime', '0x20'], ['dot11rsnaconfigpmklifetime', '200'],
      ['dot11RSNAConfigPMKReauthThreshold', '101'], ['dot11RSNAConfigPMKReauthThreshold', '50'], ['dot11RSNAConfigPMKReauthThreshold', '-4'],
      ['dot11RSNAConfigSATimeout', '0'], ['dot11RSNAConfigSATimeout', '30'],
      ['country', 'DE'], ['country', 'D'], ['country', ''], ['country', 'XYZ'], ['country', ' S'],
      ['device_name', '"x y"'], ['device_name', 'plain name'], ['device_name', ''], ['device_name', 'x'.repeat(33)], ['device_name', 'x'.repeat(32)],
      ['device_name', 'a\nb'], ['device_name', 'a\rb'], ['device_name', 'a\tb'], ['manufacturer', 'm'.repeat(65)], ['manufacturer', 'acme'],
      ['ignore_old_scan_res', '2'], ['ignore_old_scan_res', '-1'], ['ignore_old_scan_res', '1'],
      ['pmf', '1'], ['pmf', '2'], ['okc', '1'], ['key_mgmt_offload', '0'], ['bss_max_count', '0'], ['bss_max_count', 'x'], ['bss_max_count', '150'],
      ['bss_expiration_age', '0x40'], ['bss_expiration_scan_count', '3'], ['fast_reauth', '0'], ['disable_scan_offload', '1'],
      ['driver_param', 'p\nq'], ['driver_param', 'dp'], ['config_methods', 'display'], ['max_num_sta', '5'], ['ap_isolate', '1'],
      ['disassoc_low_ack', '1'], ['p2p_disabled', '1'], ['dtim_period', '2'], ['beacon_int', '100'], ['sae_pwe', '1'], ['sae_pwe', '4'], ['sae_pwe', '2'],
      ['sae_groups', '19 20'], ['freq_list', '2412 2437'], ['bgscan', '"simple:30:-45:300"'], ['bgscan', 'nothex'], ['autoscan', 'periodic:10'],
      ['scan_cur_freq', '1'], ['sched_scan_interval', '10'], ['external_sim', '1'], ['wowlan_triggers', 'any'], ['rand_addr_lifetime', '30'],
      ['passive_scan', '1'], ['mac_addr', '3'], ['mac_addr', '-1'], ['mac_addr', 'x'], ['mac_addr', '2'], ['preassoc_mac_addr', '-1'],
      ['preassoc_mac_addr', '1'], ['gas_rand_mac_addr', '9'], ['gas_rand_mac_addr', '-1'], ['gas_rand_mac_addr', '2'], ['wowlan_disconnect_on_deinit', '2'], ['wowlan_disconnect_on_deinit', 'x'], ['wowlan_disconnect_on_deinit', '1'], ['ctrl_interface_group', '0'], ['ctrl_interface_group', 'netdev'], ['eapol_version', '1'], ['no_such_option', '1'],
    ];
    for (const [name, value] of cases) {
      const label = `SET ${name} ${JSON.stringify(value)}`;
      const refSet = await r.request(`SET ${name} ${value}`);
      const ourSet = ours.setGlobal(name, value);
      expect(ourSet ? 'OK\n' : 'FAIL\n', label).toBe(refSet);
      const refGet = await r.request(`GET ${name}`);
      const ourGet = ours.getGlobal(name) ?? 'FAIL\n';
      // 2.10 clamps an out-of-range integer to the bound even though it answers FAIL.
      if (ourSet || refGet === ourGet) expect(ourGet, label).toBe(refGet);
      else expect(['eapol_version', 'filter_rssi', 'filter_ssids', 'sae_pwe', 'ignore_old_scan_res', 'gas_rand_mac_addr', 'wowlan_disconnect_on_deinit'], label).toContain(name);
    }
  });

  it('SAVE_CONFIG output is byte-identical, and re-reading it gives the same state', async () => {
    const r = ref!;
    // Both sides carry the global options set by the previous test; no networks yet.
    expect(await r.request('REMOVE_NETWORK all')).toBe('OK\n');
    const ours = model;
    expect(ours.networks).toEqual([]);
    const script: string[] = [
      'SET country SE', 'SET device_name "x y"', 'SET bss_max_count 100', 'SET pmf 1', 'SET okc 1', 'SET sae_groups 19 20',
      'SET freq_list 2412 2437', 'SET ignore_old_scan_res 1', 'SET bgscan "simple:30:-45:300"', 'SET dot11RSNAConfigPMKLifetime -4', 'SET key_mgmt_offload 0',
      'SET autoscan periodic:10', 'SET eapol_version 2', 'SET filter_ssids 1', 'SET mac_addr 1', 'SET preassoc_mac_addr 2', 'SET gas_rand_mac_addr 1',
      'ADD_NETWORK', 'SET_NETWORK 0 ssid "home"', 'SET_NETWORK 0 psk "correct horse"', 'SET_NETWORK 0 sae_password "s#e"',
      'SET_NETWORK 0 key_mgmt WPA-PSK SAE', 'SET_NETWORK 0 proto RSN', 'SET_NETWORK 0 pairwise CCMP', 'SET_NETWORK 0 group CCMP',
      'SET_NETWORK 0 group_mgmt AES-128-CMAC', 'SET_NETWORK 0 ieee80211w 2', 'SET_NETWORK 0 bssid 02:00:00:00:00:01',
      'SET_NETWORK 0 bssid_ignore 02:00:00:00:00:02 02:00:00:00:00:03/ff:ff:ff:00:00:00', 'SET_NETWORK 0 bssid_accept 02:00:00:00:00:04',
      'SET_NETWORK 0 priority 0x10', 'SET_NETWORK 0 scan_ssid 1', 'SET_NETWORK 0 id_str "home # 1"', 'SET_NETWORK 0 freq_list 2412 2437', 'SET_NETWORK 0 scan_freq 2462 2412',
      'SET_NETWORK 0 frequency 2412', 'SET_NETWORK 0 auth_alg OPEN', 'SET_NETWORK 0 disabled 0',
      'ADD_NETWORK', 'SET_NETWORK 1 ssid "open"', 'SET_NETWORK 1 key_mgmt NONE',
      'ADD_NETWORK', 'SET_NETWORK 2 ssid "sae without password"', 'SET_NETWORK 2 key_mgmt SAE',
      'ADD_NETWORK', 'SET_NETWORK 3 ssid "sae"', 'SET_NETWORK 3 key_mgmt SAE', 'SET_NETWORK 3 sae_password ""',
      'ADD_NETWORK', 'SET_NETWORK 4 ssid "psk-sha256 without psk"', 'SET_NETWORK 4 key_mgmt WPA-PSK-SHA256',
      'ADD_NETWORK', 'SET_NETWORK 5 ssid P"new\\nline\\x00"', 'SET_NETWORK 5 psk "12345678"', 'SET_NETWORK 5 mem_only_psk 1',
      'ADD_NETWORK', 'SET_NETWORK 6 ssid "eap"', 'SET_NETWORK 6 key_mgmt WPA-EAP IEEE8021X', 'SET_NETWORK 6 id_str P"tab\\there"',
      'ADD_NETWORK', `SET_NETWORK 7 ssid "raw"`, `SET_NETWORK 7 psk ${'ab'.repeat(32)}`, 'SET_NETWORK 7 group GTK_NOT_USED',
      'SET_NETWORK 7 ieee80211w -1', 'SET_NETWORK 7 mesh_fwding 0', 'SET_NETWORK 7 mode 5', 'SET_NETWORK 7 pairwise CCMP-256 GCMP-256 CCMP GCMP TKIP NONE',
      'ADD_NETWORK', 'SET_NETWORK 8 ssid "removed"', 'SET_NETWORK 8 key_mgmt NONE', 'REMOVE_NETWORK 8',
      'ADD_NETWORK', 'SET_NETWORK 9 ssid "sae-psk raw only"', 'SET_NETWORK 9 key_mgmt SAE WPA-PSK', `SET_NETWORK 9 psk ${'cd'.repeat(32)}`,
      'ADD_NETWORK', 'SET_NETWORK 10 ssid "quote"inside"', 'SET_NETWORK 10 key_mgmt FT-PSK', 'SET_NETWORK 10 psk "pass"phrase"',
      'SET_NETWORK 10 psk "short"', 'SET_NETWORK 10 ssid "'.padEnd(40, 'x') + '"', 'SET_NETWORK 10 group_mgmt BIP-CMAC-256 BIP-GMAC-256 BIP-GMAC-128 AES-128-CMAC',
      'ADD_NETWORK', 'SET_NETWORK 11 ssid ""', 'SET_NETWORK 11 key_mgmt OWE', 'SET_NETWORK 11 priority -7',
      'ADD_NETWORK', 'SET_NETWORK 12 ssid "enterprise"', 'SET_NETWORK 12 key_mgmt WPA-EAP', 'SET_NETWORK 12 eap PEAP TTLS',
      'SET_NETWORK 12 identity "user"', 'SET_NETWORK 12 anonymous_identity "anon"', 'SET_NETWORK 12 password "pw"',
      'SET_NETWORK 12 ca_cert "/etc/ca.pem"', 'SET_NETWORK 12 client_cert "/c.pem"', 'SET_NETWORK 12 private_key "/k.pem"',
      'SET_NETWORK 12 private_key_passwd "kp"', 'SET_NETWORK 12 altsubject_match "DNS:x"', 'SET_NETWORK 12 domain_suffix_match "example.com"',
      'SET_NETWORK 12 phase1 "peapver=0"', 'SET_NETWORK 12 phase2 "auth=MSCHAPV2"', 'SET_NETWORK 12 bgscan "simple:30:-45:300"',
      'SET_NETWORK 12 bg_scan_period 10', 'SET_NETWORK 12 sae_password_id "pid"', 'SET_NETWORK 12 eap_workaround 0',
      'SET_NETWORK 12 fragment_size 1000', 'SET_NETWORK 12 proactive_key_caching 1', 'SET_NETWORK 12 mac_addr 1', 'SET_NETWORK 12 scan_freq 2412',
      'ADD_NETWORK', 'SET_NETWORK 13 ssid "enterprise 2"', 'SET_NETWORK 13 key_mgmt IEEE8021X', 'SET_NETWORK 13 eap TLS',
      'SET_NETWORK 13 password hash:00112233445566778899aabbccddeeff', 'SET_NETWORK 13 identity P"a\\x00b"', 'SET_NETWORK 13 mac_addr 0',
      'SET_NETWORK 13 proactive_key_caching 0', 'SET_NETWORK 13 fragment_size 1398', 'SET_NETWORK 13 eap_workaround -1',
      'SET_NETWORK 13 phase2 P"tab\\there"', 'SET_NETWORK 13 bg_scan_period -1',
      'ADD_NETWORK', 'SET_NETWORK 14 ssid "legacy wep"', 'SET_NETWORK 14 key_mgmt NONE', 'SET_NETWORK 14 wep_key0 "abcde"',
      'SET_NETWORK 14 wep_key1 0102030405', 'SET_NETWORK 14 wep_key2 P"\\x00ab"', 'SET_NETWORK 14 wep_key3 "a b"', 'SET_NETWORK 14 wep_tx_keyidx 1',
    ];
    for (const cmd of script) {
      const refReply = await r.request(cmd);
      expect(applyToOurs(ours, cmd), cmd).toBe(refReply);
    }
    expect(await r.request('SAVE_CONFIG')).toBe('OK\n');
    const refText = readFileSync(r.confPath, 'latin1');
    expect(serializeConfig(ours)).toBe(refText);
    // 2.10 wrote a mesh block (mode=5) with the default key_mgmt, which its own
    // reader rejects at the block's closing line; ours rejects the same line.
    const meshEnd = refText.split('\n').indexOf('\tieee80211w=-1') + 2;
    expect(() => parseConfig(refText)).toThrowError(expect.objectContaining({ line: meshEnd }) as Error);
    expect(await r.request('RECONFIGURE')).toBe('FAIL\n');
    expect(await r.request('REMOVE_NETWORK 7')).toBe('OK\n');
    expect(ours.removeNetwork(7)).toBe(true);
    expect(await r.request('SAVE_CONFIG')).toBe('OK\n');
    const refText1 = readFileSync(r.confPath, 'latin1');
    expect(serializeConfig(ours)).toBe(refText1);

    // Re-reading the file: 2.10 after RECONFIGURE and our reader reach the same
    // state (the mem_only_psk network has lost its psk, mesh_fwding is back to 1).
    const reread = parseConfig(refText1);
    expect(await r.request('RECONFIGURE')).toBe('OK\n');
    for (const net of reread.networks) {
      for (const f of ['ssid', 'psk', 'key_mgmt', 'group', 'group_mgmt', 'pairwise', 'disabled', 'mem_only_psk', 'mesh_fwding', 'id_str',
        'ieee80211w', 'bssid_ignore', 'freq_list', 'scan_freq', 'priority', ...EXTRA_FIELDS]) {
        expect(net.get(f) ?? 'FAIL\n', `${net.id} ${f}`).toBe(await r.request(`GET_NETWORK ${net.id} ${f}`));
      }
    }
    expect(await r.request('SAVE_CONFIG')).toBe('OK\n');
    const refText2 = readFileSync(r.confPath, 'latin1');
    expect(refText2).not.toBe(refText1);
    // Reference artefact (wired driver): re-reading enabled network 0 made it
    // connect, which forces ap_scan=0 into its configuration.
    expect(refText2).toContain('\nap_scan=0\n');
    expect(reread.setGlobal('ap_scan', '0')).toBe(true);
    expect(serializeConfig(reread)).toBe(refText2);
    expect(serializeConfig(parseConfig(refText2))).toBe(refText2);
  });
});

/** The few control commands the save script uses, applied to our model; returns the reply 2.10 would send. */
function applyToOurs(cfg: SupplicantConfig, cmd: string): string {
  const ok = (b: boolean) => (b ? 'OK\n' : 'FAIL\n');
  if (cmd === 'ADD_NETWORK') return `${cfg.addNetwork().id}\n`;
  let m = /^SET_NETWORK (\d+) ([^ ]*) ([\s\S]*)$/.exec(cmd);
  if (m) return ok(cfg.getNetwork(Number(m[1]))?.set(m[2], m[3]) ?? false);
  m = /^REMOVE_NETWORK (\d+)$/.exec(cmd);
  if (m) return ok(cfg.removeNetwork(Number(m[1])));
  m = /^SET ([^ ]*) ([\s\S]*)$/.exec(cmd);
  if (m) return ok(cfg.setGlobal(m[1], m[2]));
  throw new Error(`script command not modelled: ${cmd}`);
}
