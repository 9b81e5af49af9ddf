/**
 * The configuration-file reader against wpa_supplicant 2.10's: each file is
 * written over the reference's configuration and loaded with RECONFIGURE.
 * Accepted files must give the same GET_NETWORK values and the same
 * SAVE_CONFIG bytes; rejected files must be rejected by ours too, at a line
 * the reference also names in its error output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigParseError, parseConfig } from '../../src/config/parse.js';
import { serializeConfig } from '../../src/config/write.js';
import { ReferenceSupplicant, referenceAvailable } from './reference.js';

const CI = process.env.CI === 'true';
const available = referenceAvailable();

const FIELDS = ['ssid', 'psk', 'sae_password', 'key_mgmt', 'proto', 'pairwise', 'group', 'group_mgmt', 'ieee80211w', 'bssid',
  'bssid_ignore', 'bssid_accept', 'priority', 'scan_ssid', 'disabled', 'id_str', 'freq_list', 'scan_freq', 'frequency', 'mode',
  'auth_alg', 'mesh_fwding', 'mem_only_psk', 'eap', 'identity', 'anonymous_identity', 'password', 'ca_cert', 'client_cert', 'private_key',
  'private_key_passwd', 'altsubject_match', 'domain_suffix_match', 'phase1', 'phase2', 'bgscan', 'sae_password_id', 'bg_scan_period',
  'eap_workaround', 'fragment_size', 'proactive_key_caching', 'mac_addr', 'wep_key0', 'wep_key1', 'wep_tx_keyidx'];
const GLOBALS = ['eapol_version', 'ap_scan', 'driver_param', 'device_name', 'country', 'bss_max_count', 'pmf', 'okc', 'key_mgmt_offload',
  'dot11RSNAConfigPMKLifetime', 'filter_rssi', 'wowlan_triggers', 'wowlan_disconnect_on_deinit'];

/** Network blocks stay disabled so the wired reference never tries to connect (that would rewrite ap_scan). */
const GOOD: Record<string, string> = {
  'comments, blanks, CRLF, quoted #': [
    '# leading comment', '', '   \t# indented comment', 'pmf=1   # trailing comment\r', 'okc=1\t\t', 'device_name=dev # name', 'country=SE',
    'network={  # block comment', '\tssid="a#b" # c "d"', '  psk="pass#word" # comment', '\tkey_mgmt=WPA-PSK\tSAE   ', '\tdisabled=1', '}',
    'network={', 'ssid="#"', 'key_mgmt=NONE', 'disabled=1', 'id_str="x"#y', '}  ', '',
  ].join('\n'),
  'all modelled fields': [
    'network={', '\tssid=P"esc\\x41\\n"', `\tpsk=${'ab'.repeat(32)}`, '\tsae_password="sae#pw"', '\tkey_mgmt=SAE FT-SAE WPA-PSK',
    '\tproto=WPA2', '\tpairwise=GCMP CCMP', '\tgroup=TKIP CCMP', '\tgroup_mgmt=BIP-GMAC-256', '\tieee80211w=1', '\tbssid=02:00:00:00:00:01',
    '\tbssid_ignore=02:00:00:00:00:02/ff:ff:ff:00:00:00 02:00:00:00:00:03', '\tbssid_accept=02:00:00:00:00:04', '\tpriority=0x20',
    '\tscan_ssid=1', '\tdisabled=1', '\tid_str=6869', '\tfreq_list=2412 2437', '\tscan_freq=2462 2412', '\tfrequency=2462', '\tmode=0', '\tauth_alg=OPEN SHARED',
    '\tmesh_fwding=0', '}',
  ].join('\n'),
  'an enterprise (802.1X) network block': [
    'network={', '\tssid="corp"', '\tkey_mgmt=WPA-EAP', '\teap=PEAP TTLS', '\tidentity="user@example.com"', '\tanonymous_identity="anon"',
    '\tpassword="secret # pass"', '\tca_cert="/etc/ssl/ca.pem"', '\tphase1="peapver=0"', '\tphase2="auth=MSCHAPV2"',
    '\tdomain_suffix_match="example.com"', '\tbgscan="simple:30:-65:300"', '\tproactive_key_caching=1', '\tmac_addr=1', '\tdisabled=1', '}',
    'network={', '\tssid="corp tls"', '\tkey_mgmt=IEEE8021X', '\teap=TLS', '\tclient_cert="/c.pem"', '\tprivate_key="/k.pem"',
    '\tprivate_key_passwd="kp"', '\tpassword=hash:00112233445566778899aabbccddeeff', '\tfragment_size=1000', '\teap_workaround=0',
    '\tbg_scan_period=30', '\tsae_password_id="x"', '\taltsubject_match="DNS:a"', '\tdisabled=1', '}',
  ].join('\n'),
  'a legacy WEP network block': ['network={', '\tssid="old"', '\tkey_mgmt=NONE', '\twep_key0="abcde"', '\twep_key1=0102030405',
    '\twep_tx_keyidx=1', '\tauth_alg=SHARED', '\tdisabled=1', '}'].join('\n'),
  'group CCMP dropped when pairwise cannot carry it': ['network={', 'ssid="t"', 'key_mgmt=NONE', 'pairwise=TKIP', 'group=CCMP TKIP', 'disabled=1', '}'].join('\n'),
  // 1999 characters plus the newline just fit the 2000-byte buffer of a network block.
  'long lines are cut at the fgets buffer': [`driver_param=${'d'.repeat(1100)}`, 'network={', `\tid_str="${'i'.repeat(1989)}"`, 'ssid="long"', 'key_mgmt=NONE', 'disabled=1', '}'].join('\n'),
  'quote pairs protect #': ['network={', 'ssid="a"#"b"', 'key_mgmt=NONE', 'disabled=1', 'id_str="x#y"z"#w', '}'].join('\n'),
  'empty values and unset forms': ['network={', 'ssid=', 'key_mgmt=NONE', 'bssid=any', 'id_str=NULL', 'freq_list=', 'scan_freq=', 'disabled=1', '}', 'network={', 'ssid=""', 'key_mgmt=OWE', 'disabled=2', '}'].join('\n'),
  'last line without newline': ['network={', 'ssid="n"', 'key_mgmt=NONE', 'disabled=1', '}'].join('\n').replace(/\n$/, ''),
  'wowlan options (wowlan_disconnect_on_deinit written after gas_rand_mac_addr)': ['wowlan_triggers=disconnect gtk_rekey_failure', 'gas_rand_mac_addr=1', 'wowlan_disconnect_on_deinit=1'].join('\n'),
  'wowlan_disconnect_on_deinit=0 is the default, not written': ['wowlan_disconnect_on_deinit=0x0'].join('\n'),
  'dot11RSNA options and ranges from the file': ['dot11RSNAConfigPMKLifetime=0x10', 'filter_rssi=-100', 'eapol_version=3', 'bss_max_count=1'].join('\n'),
};

const BAD: Record<string, string> = {
  'unknown global': 'no_such_option=1',
  'global without =': 'pmf',
  'global with a space before =': 'pmf =1',
  'bad global value': 'pmf=x',
  'wowlan_disconnect_on_deinit out of range': 'wowlan_disconnect_on_deinit=2',
  'network line without =': 'network={\nssid="x"\nkey_mgmt\n}',
  'invalid quotation': 'network={\nssid="x\n}',
  'bad network value': 'network={\nssid="x"\npsk="short"\n}',
  'unknown network field': 'network={\nssid="x"\nno_field=1\n}',
  'unknown EAP method': 'network={\nssid="x"\nkey_mgmt=WPA-EAP\neap=PEAP NOPE\n}',
  'unterminated block': 'network={\nssid="x"\nkey_mgmt=NONE\n',
  'mesh network with PSK': 'network={\nssid="x"\nmode=5\nkey_mgmt=WPA-PSK\npsk="12345678"\n}',
  'out of range integer': 'network={\nssid="x"\nscan_ssid=2\n}',
  'name case': 'network={\nSSID="x"\n}',
  'a cut line loses its closing quote': `network={\n\tid_str="${'i'.repeat(1990)}"\nssid="x"\nkey_mgmt=NONE\n}`,
  'unpaired quote does not protect #': 'network={\nssid="ab#c\n}',
  // What 2.10 itself writes for the passphrase abc"#defgh: the '#' after the
  // first quote pair starts a comment, leaving a 3-byte passphrase.
  'passphrase cut by a # after a quote pair': 'network={\nssid="x"\npsk="abc"#defgh"\n}',
  'space around =': 'network={\nssid = "x"\n}',
};

describe.skipIf(!available && !CI)('config file reader vs real wpa_supplicant 2.10', () => {
  let ref: ReferenceSupplicant | undefined;

  beforeAll(async () => {
    if (!available) return;
    ref = new ReferenceSupplicant('wocfg2', 'wocfg3');
    await ref.start();
  });

  afterAll(async () => {
    await ref?.stop();
  });

  it('has the reference tools (a missing tool fails under CI)', () => {
    expect(available).toBe(true);
  });

  it.each(Object.entries(GOOD))('accepts like 2.10: %s', async (_name, body) => {
    const r = ref!;
    const text = `${r.initialConf}${body}\n`;
    writeFileSync(r.confPath, text);
    expect(await r.request('RECONFIGURE')).toBe('OK\n');
    const ours = parseConfig(text);
    const ids = (await r.request('LIST_NETWORKS')).split('\n').slice(1, -1).map((l) => Number(l.split('\t')[0]));
    expect(ours.networks.length).toBe(ids.length);
    // 2.10 numbers networks with a counter that survives RECONFIGURE; ours restart at 0 for a fresh read.
    for (const [i, net] of ours.networks.entries()) {
      for (const f of FIELDS) expect(net.get(f) ?? 'FAIL\n', `${i} ${f}`).toBe(await r.request(`GET_NETWORK ${ids[i]} ${f}`));
    }
    for (const g of GLOBALS) expect(ours.getGlobal(g) ?? 'FAIL\n', g).toBe(await r.request(`GET ${g}`));
    expect(await r.request('SAVE_CONFIG')).toBe('OK\n');
    expect(serializeConfig(ours)).toBe(readFileSync(r.confPath, 'latin1'));
  });

  it.each(Object.entries(BAD))('rejects like 2.10, naming a line it names: %s', async (_name, body) => {
    const r = ref!;
    const text = `${r.initialConf}${body}\n`;
    writeFileSync(r.confPath, text);
    const before = r.output.length;
    expect(await r.request('RECONFIGURE')).toBe('FAIL\n');
    let err: unknown;
    try {
      parseConfig(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigParseError);
    const line = (err as ConfigParseError).line;
    expect(await r.outputSince(before, `Line ${line}:`)).toContain(`Line ${line}:`);
  });
});
