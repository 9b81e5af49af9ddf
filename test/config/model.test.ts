/**
 * Unit tests of the configuration model: the parts the differential tests
 * cannot reach through the reference (typed views, ids, copies, change
 * reporting, the daemon's typed getters, error objects).
 */
import { describe, expect, it } from 'vitest';
import { SupplicantConfig } from '../../src/config/config.js';
import { NetworkConfig, invalidatesPmksa } from '../../src/config/network.js';
import { ConfigParseError, parseConfig } from '../../src/config/parse.js';

describe('NetworkConfig', () => {
  it('exposes typed views of what was set', () => {
    const n = new NetworkConfig(4);
    expect(n.set('ssid', 'P"caf\\xc3\\xa9"')).toBe(true);
    expect(n.ssid).toEqual(Buffer.from('café', 'utf8'));
    expect(n.set('key_mgmt', 'SAE WPA-PSK')).toBe(true);
    expect(n.keyMgmt).toEqual(['WPA-PSK', 'SAE']);
    expect(n.set('psk', 'ab'.repeat(32))).toBe(true);
    expect(n.psk).toEqual(Buffer.alloc(32, 0xab));
    expect(n.passphrase).toBeUndefined();
    expect(n.set('psk', '"correct horse"')).toBe(true);
    expect(n.passphrase).toBe('correct horse');
    expect(n.psk).toBeUndefined();
    expect(n.set('group', 'GTK_NOT_USED')).toBe(true);
    expect(n.group).toEqual(['GTK_NOT_USED']);
    expect(n.get('group')).toBe('');
    expect(n.groupMgmt).toBeUndefined();
    expect(n.set('bssid_ignore', '02:00:00:00:00:01/ff:ff:ff:00:00:00 02:00:00:00:00:02')).toBe(true);
    expect(n.bssidIgnore).toEqual(['02:00:00:00:00:01/ff:ff:ff:00:00:00', '02:00:00:00:00:02']);
    expect(n.set('freq_list', '2412 5180')).toBe(true);
    expect(n.freqList).toEqual([2412, 5180]);
    expect(n.set('id_str', 'P"a\\x00b"')).toBe(true);
    expect(n.idStr).toBe('a');
    expect(n.ieee80211w).toBe(3);
    expect(n.authAlg).toBeUndefined();
    expect(n.bssid).toBeUndefined();
  });

  it('answers * for secrets but keeps the value for the writer', () => {
    const n = new NetworkConfig(0);
    n.set('sae_password', '"s3cret"');
    expect(n.get('sae_password')).toBe('*');
    expect(n.getRaw('sae_password')).toBe('"s3cret"');
  });

  it('reports whether a SET changed anything, and a FAIL changes nothing', () => {
    const n = new NetworkConfig(0);
    expect(n.update('priority', '5')).toBe('CHANGED');
    expect(n.update('priority', '0x5')).toBe('UNCHANGED');
    expect(n.update('priority', '5x')).toBe('FAIL');
    expect(n.priority).toBe(5);
    expect(n.update('key_mgmt', 'SAE BOGUS')).toBe('FAIL');
    expect(n.keyMgmt).toEqual(['WPA-PSK', 'WPA-EAP']);
    expect(n.update('nonexistent', '1')).toBe('FAIL');
  });

  it('names the fields whose change keeps PMKSA entries: bssid, priority, bgscan (and nothing else)', () => {
    for (const f of ['ssid', 'psk', 'key_mgmt', 'id_str', 'scan_freq', 'bssid_ignore', 'bssid_accept', 'bssid_blacklist', 'password', 'eap']) {
      expect(invalidatesPmksa(f), f).toBe(true);
    }
    for (const f of ['bssid', 'priority', 'bgscan']) expect(invalidatesPmksa(f), f).toBe(false);
  });
});

describe('SupplicantConfig', () => {
  it('allocates ids like wpa_supplicant: highest id + 1, list order kept', () => {
    const c = new SupplicantConfig();
    expect([c.addNetwork().id, c.addNetwork().id, c.addNetwork().id]).toEqual([0, 1, 2]);
    expect(c.networks.every((n) => n.disabled === 1)).toBe(true);
    expect(c.removeNetwork(1)).toBe(true);
    expect(c.removeNetwork(1)).toBe(false);
    expect(c.addNetwork().id).toBe(3);
    expect(c.removeNetwork(3) && c.removeNetwork(2)).toBe(true);
    expect(c.addNetwork().id).toBe(1);
    expect(c.networks.map((n) => n.id)).toEqual([0, 1]);
    expect(c.getNetwork(1)).toBe(c.networks[1]);
    expect(c.getNetwork(9)).toBeUndefined();
    // The config-file path creates enabled networks.
    expect(c.appendNetwork().disabled).toBe(0);
  });

  it('gives the daemon typed values, with the RSN defaults for 0', () => {
    const c = parseConfig('ctrl_interface=DIR=/run/x GROUP=netdev\nupdate_config=1\nap_scan=2\ncountry=DE\npmf=2\nkey_mgmt_offload=0\n');
    expect(c.ctrlInterface).toBe('/run/x');
    expect(c.ctrlInterfaceGroup).toBe('netdev');
    expect(c.getGlobal('ctrl_interface')).toBe('DIR=/run/x GROUP=netdev');
    expect(c.getGlobal('ctrl_interface_group')).toBeUndefined();
    expect(c.updateConfig).toBe(true);
    expect(c.apScan).toBe(2);
    expect(c.country).toBe('DE');
    expect(c.pmf).toBe(2);
    expect(c.keyMgmtOffload).toBe(false);
    expect(c.bssMaxCount).toBe(200);
    expect(c.bssExpirationAge).toBe(180);
    expect(c.dot11RSNAConfigPMKLifetime).toBe(43200);
    expect(c.dot11RSNAConfigPMKReauthThreshold).toBe(70);
    const d = parseConfig('ctrl_interface=/var/run/wpa\nctrl_interface_group=4\ndot11RSNAConfigPMKLifetime=600\n');
    expect(d.ctrlInterface).toBe('/var/run/wpa');
    expect(d.ctrlInterfaceGroup).toBe('4');
    expect(d.updateConfig).toBe(false);
    expect(d.dot11RSNAConfigPMKLifetime).toBe(600);
  });

  it('SET of the dot11RSNAConfig options follows the ctrl-interface rules', () => {
    const c = new SupplicantConfig();
    expect(c.setGlobal('dot11RSNAConfigPMKLifetime', '0')).toBe(false);
    expect(c.setGlobal('dot11RSNAConfigPMKLifetime', '5x')).toBe(true);
    expect(c.getGlobal('dot11RSNAConfigPMKLifetime')).toBe('0');
    expect(c.setGlobal('DOT11RSNACONFIGPMKLIFETIME', '99')).toBe(true);
    expect(c.getGlobal('dot11RSNAConfigPMKLifetime')).toBe('0');
    expect(c.setGlobal('dot11RSNAConfigPMKLifetime', '99')).toBe(true);
    expect(c.dot11RSNAConfigPMKLifetime).toBe(99);
    // The config file has no such special case: 0 is just the default.
    expect(c.processGlobal('dot11RSNAConfigPMKLifetime', '0')).toBe(true);
    expect(c.setGlobal('constructor', '1')).toBe(false);
    expect(c.getGlobal('__proto__')).toBeUndefined();
  });
});

describe('parseConfig errors', () => {
  const lineOf = (text: string): number => {
    try {
      parseConfig(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigParseError);
      expect((e as Error).message).toMatch(/^Line \d+: /);
      return (e as ConfigParseError).line;
    }
    throw new Error('accepted');
  };

  it('names the bad line, counting comments and blank lines', () => {
    expect(lineOf('# c\n\nbogus=1\n')).toBe(3);
    expect(lineOf('network={\nssid="x"\n\n# c\npsk="short"\n}\n')).toBe(5);
    expect(lineOf('network={\nssid="x"\n')).toBe(2);
    expect(lineOf('network={\r\nssid="x\r\n}\r\n')).toBe(2);
  });

  it('never puts a secret value in the message', () => {
    for (const text of ['network={\npsk="1234567"\n}\n', 'network={\n"my secret passphrase"\n}\n', '"my secret passphrase"\n']) {
      expect(() => parseConfig(text)).toThrowError(ConfigParseError);
      try {
        parseConfig(text);
      } catch (e) {
        expect((e as Error).message).not.toMatch(/1234567|secret/);
      }
    }
  });
});
