/**
 * Per-interface commands of issue 2, each case one command family, replies
 * compared byte for byte with wpa_supplicant 2.10 (see expected-differences.ts
 * for the only normalisation).
 */
import { describe, expect, it } from 'vitest';
import { DRIVER_DEPENDENT_COMMANDS } from './expected-differences.js';
import { Pair } from './pair.js';
import { referenceAvailable, usePair } from './setup.js';

describe.skipIf(!referenceAvailable())('per-interface commands vs wpa_supplicant 2.10', () => {
  const { pair } = usePair();

  /** ADD_NETWORK n times on both sides, with an SSID each (compared too). */
  async function networks(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await pair().same('ADD_NETWORK');
      await pair().same(`SET_NETWORK ${i} ssid "net${i}"`);
    }
  }

  it('PING', async () => {
    await pair().sameAll(['PING', 'PING extra', 'PINGX']);
  });

  it('IFNAME', async () => {
    await pair().sameAll(['IFNAME', 'IFNAME x']);
  });

  it('INTERFACES', async () => {
    await pair().sameAll(['INTERFACES', 'INTERFACES ctrl', 'INTERFACESX']);
  });

  it('STATUS (idle) and its prefix forms', async () => {
    await pair().sameAll(['STATUS', 'STATUSX', 'STATUS bogus', 'STATUS\tVERBOSE']);
  });

  it('STATUS-VERBOSE (idle)', async () => {
    await pair().same('STATUS-VERBOSE');
  });

  it('LIST_NETWORKS: empty, rows, flags, LAST_ID paging', async () => {
    const p = pair();
    await p.same('LIST_NETWORKS');
    await networks(3);
    await p.same('DISABLE_NETWORK 1');
    await p.sameAll(['LIST_NETWORKS', 'LIST_NETWORKS LAST_ID=0', 'LIST_NETWORKS LAST_ID=1', 'LIST_NETWORKS LAST_ID=x']);
  });

  it('LIST_NETWORKS: SSID escaping (quote, backslash, tab, newline, UTF-8, bytes)', async () => {
    const p = pair();
    const ssids = ['"q\\"uote"', '"back\\\\slash"', '09746162', '0a6e6c', '"ümlaut"', '00ff7f', '"with space"'];
    for (let i = 0; i < ssids.length; i++) {
      await p.same('ADD_NETWORK');
      await p.same(`SET_NETWORK ${i} ssid ${ssids[i]}`);
    }
    await p.same('LIST_NETWORKS');
  });

  it('LIST_NETWORKS: stops at the last row that fits 4096 bytes', async () => {
    const p = pair();
    for (let i = 0; i < 80; i++) {
      await p.same('ADD_NETWORK');
      await p.same(`SET_NETWORK ${i} ssid "${'s'.repeat(28)}${String(i).padStart(4, '0')}"`);
    }
    const full = await p.same('LIST_NETWORKS');
    expect(full.length).toBeLessThanOrEqual(4096);
    const lastId = full.trimEnd().split('\n').at(-1)!.split('\t')[0];
    await p.same(`LIST_NETWORKS LAST_ID=${lastId}`);
  });

  it('ADD_NETWORK: ids, events-free reply, ids after removal', async () => {
    const p = pair();
    await p.sameAll(['ADD_NETWORK', 'ADD_NETWORK', 'ADD_NETWORK', 'REMOVE_NETWORK 1', 'ADD_NETWORK', 'REMOVE_NETWORK 3']);
    await p.sameAll(['ADD_NETWORK', 'ADD_NETWORKX', 'ADD_NETWORK x', 'LIST_NETWORKS']);
  });

  it('REMOVE_NETWORK: id, all, bad ids, atoi forms', async () => {
    const p = pair();
    await networks(3);
    await p.sameAll([
      'REMOVE_NETWORK 7',
      'REMOVE_NETWORK -1',
      'REMOVE_NETWORK 1abc',
      'REMOVE_NETWORK x',
      'REMOVE_NETWORK 0x0',
      'REMOVE_NETWORK',
      'REMOVE_NETWORK ',
      'REMOVE_NETWORK ALL',
      'LIST_NETWORKS',
      'REMOVE_NETWORK all',
      'REMOVE_NETWORK all',
      'LIST_NETWORKS',
    ]);
  });

  it('ENABLE_NETWORK / DISABLE_NETWORK: id, all, bad ids, bare forms', async () => {
    const p = pair();
    await networks(3);
    await p.sameAll([
      'ENABLE_NETWORK 1',
      'LIST_NETWORKS',
      'GET_NETWORK 1 disabled',
      'DISABLE_NETWORK 1',
      'GET_NETWORK 1 disabled',
      'ENABLE_NETWORK 9',
      'DISABLE_NETWORK 9',
      'ENABLE_NETWORK x',
      'ENABLE_NETWORK',
      'DISABLE_NETWORK',
      'ENABLE_NETWORK ',
      'LIST_NETWORKS',
      'DISABLE_NETWORK all',
      'LIST_NETWORKS',
      'ENABLE_NETWORK all',
      'LIST_NETWORKS',
      'DISABLE_NETWORK ALL',
      'DISABLE_NETWORK all',
      'LIST_NETWORKS',
    ]);
  });

  it('SELECT_NETWORK: id, any, prefix of any, bad ids', async () => {
    const p = pair();
    await networks(3);
    await p.sameAll([
      'SELECT_NETWORK 9',
      'SELECT_NETWORK x',
      'SELECT_NETWORK',
      'SELECT_NETWORK 2',
      'LIST_NETWORKS',
      'SELECT_NETWORK any',
      'LIST_NETWORKS',
      'SELECT_NETWORK anything',
      'SELECT_NETWORK ANY',
      'LIST_NETWORKS',
    ]);
  });

  it('DUP_NETWORK on the interface socket (a global-socket command)', async () => {
    await networks(1);
    await pair().sameAll(['DUP_NETWORK', `DUP_NETWORK ${pair().ifname} ${pair().ifname} 0 0 ssid`]);
  });

  it('GET of global options', async () => {
    await pair().sameAll([
      'GET version',
      'GET max_command_len',
      'GET ctrl_interface',
      'GET ctrl_interface_group',
      'GET update_config',
      'GET country',
      'GET ap_scan',
      'GET eapol_version',
      'GET fast_reauth',
      'GET device_name',
      'GET bss_max_count',
      'GET dot11RSNAConfigPMKLifetime',
      'GET pmf',
      'GET okc',
      'GET sae_groups',
      'GET bogus_option',
      'GET Version',
      'GET ',
      'GET',
      'GETX version',
    ]);
  });

  it('SET of global options, then GET', async () => {
    await pair().sameAll([
      'SET country SE',
      'GET country',
      'SET country  SE',
      'GET country',
      'SET device_name "x y"',
      'GET device_name',
      'SET device_name plain name',
      'GET device_name',
      'SET bss_max_count 300',
      'GET bss_max_count',
      'SET bss_max_count 0',
      'SET bss_max_count x',
      'GET bss_max_count',
      'SET okc 1',
      'GET okc',
      'SET pmf 2',
      'GET pmf',
      'SET pmf 3',
      'GET pmf',
      'SET bogus_option 1',
      'SET country',
      'SET ',
      'SET',
      'SET country SE extra',
      'SET dot11RSNAConfigPMKLifetime 3600',
      'GET dot11RSNAConfigPMKLifetime',
      'SET pmf 0',
      'SET okc 0',
      'SET bss_max_count 200',
    ]);
  });

  it('GET_CAPABILITY: driver-independent fields, bad fields', async () => {
    await pair().sameAll([
      'GET_CAPABILITY eap',
      'GET_CAPABILITY tdls',
      'GET_CAPABILITY ocv',
      'GET_CAPABILITY erp',
      'GET_CAPABILITY fips',
      'GET_CAPABILITY dpp',
      'GET_CAPABILITY acs',
      'GET_CAPABILITY bogus',
      'GET_CAPABILITY EAP',
      'GET_CAPABILITY ',
      'GET_CAPABILITY',
      'GET_CAPABILITY eap strict',
    ]);
  });

  it('GET_CAPABILITY: driver-dependent fields answer well-formed token lists (expected differences)', async () => {
    const tokens = /^[A-Z0-9][A-Za-z0-9_/ .-]*$/;
    for (const { command } of DRIVER_DEPENDENT_COMMANDS.filter((d) => d.command.startsWith('GET_CAPABILITY'))) {
      const r = (await Pair.ask(pair().dut.ctrl, command)).toString('latin1');
      expect(r === '' || tokens.test(r), `${command} -> ${JSON.stringify(r)}`).toBe(true);
      expect(r.endsWith('\n'), `${command}: GET_CAPABILITY lists have no newline`).toBe(false);
    }
  });

  it('LOG_LEVEL: show, set by name (any case), numbers rejected, timestamp flag', async () => {
    await pair().sameAll([
      'LOG_LEVEL',
      'LOG_LEVEL debug',
      'LOG_LEVEL',
      'LOG_LEVEL MsgDump 1',
      'LOG_LEVEL',
      'LOG_LEVEL 2',
      'LOG_LEVEL bogus',
      'LOG_LEVEL',
      'LOG_LEVELX',
      'LOG_LEVEL INFO 0',
      'LOG_LEVEL',
    ]);
  });

  it('NOTE', async () => {
    await pair().sameAll(['NOTE hello world', 'NOTE ', 'NOTE', 'NOTEX']);
  });

  it('RELOG', async () => {
    await pair().sameAll(['RELOG', 'RELOG x']);
  });

  it('MIB (idle)', async () => {
    await pair().same('MIB');
  });

  it('PMKSA and PMKSA_FLUSH (empty cache)', async () => {
    await pair().sameAll(['PMKSA', 'PMKSA_FLUSH', 'PMKSA']);
  });

  it('station commands with nothing in range (no -D: the none driver)', async () => {
    await networks(1);
    await pair().sameAll([
      'SCAN_RESULTS', 'BSS 0', 'BSS FIRST', 'BSS LAST', 'BSS 00:11:22:33:44:55', 'BSS RANGE=ALL', 'BSS_FLUSH', 'BSS_FLUSH 10',
      'BSSID_IGNORE', 'BSSID_IGNORE 02:00:00:00:00:01', 'BSSID_IGNORE 02:00:00:00:00:02', 'BSSID_IGNORE', 'BLACKLIST',
      'BSSID_IGNORE bogus', 'BSSID_IGNORE  02:00:00:00:00:03', 'BSSID_IGNORE 02:00:00:00:00:04 x', 'BSSID_IGNORE clear x',
      'BSSID_IGNORE', 'BSSID_IGNORE 02:00:00:00:00:05', 'BSSID_IGNORE clearance', 'BSSID_IGNORE', 'BSSID_IGNORE clear', 'BSSID_IGNORE', 'BSS_EXPIRE_AGE 100', 'BSS_EXPIRE_AGE 5', 'BSS_EXPIRE_COUNT 2',
      'BSS_EXPIRE_COUNT 0', 'SCAN_INTERVAL 3', 'SCAN_INTERVAL 0', 'SCAN_INTERVAL -1', 'STA_AUTOCONNECT 0', 'STA_AUTOCONNECT 1',
      'REATTACH', 'ROAM 00:11:22:33:44:55', 'ROAM junk', 'BSSID 0 00:11:22:33:44:55', 'GET_NETWORK 0 bssid', 'BSSID 0 00:00:00:00:00:00',
      'GET_NETWORK 0 bssid', 'BSSID 9 00:11:22:33:44:55', 'ABORT_SCAN', 'SUSPEND', 'RESUME', 'PMKSA',
      'DRIVER_FLAGS2', 'DRIVER_FLAGS2X', 'PKTCNT_POLL', 'PKTCNT_POLLX',
    ]);
  });

  it('RECONFIGURE with the unchanged file', async () => {
    await networks(1);
    await pair().sameAll(['RECONFIGURE', 'LIST_NETWORKS']);
  });

  it('unknown and lowercase commands', async () => {
    await pair().sameAll([
      'BOGUS',
      'ping',
      'status',
      'list_networks',
      'add_network',
      'Ping',
      'ATTACH ',
      'DETACH',
      'LEVEL 3',
      'IFNAME=x PING',
      'INTERFACE_ADD x',
      'INTERFACE_REMOVE x',
      'INTERFACE_LIST',
    ]);
  });
});
