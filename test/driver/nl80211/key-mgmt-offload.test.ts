/**
 * Key management offload on nl80211 (QCA), from the station down, as
 * wpa_supplicant 2.10 does it: with the global key_mgmt_offload (default 1)
 * and a PSK AKM, wpas_start_assoc_cb() sets req_key_mgmt_offload and
 * params.psk, and wpa_driver_nl80211_try_connect() gives the PSK to the
 * firmware for its own roams with NL80211_CMD_VENDOR (OUI_QCA,
 * QCA_NL80211_VENDOR_SUBCMD_KEY_MGMT_SET_KEY, the 32 octets as VENDOR_DATA)
 * before NL80211_CMD_CONNECT, on a driver whose wiphy lists that vendor
 * command (WPA_DRIVER_FLAGS_KEY_MGMT_OFFLOAD); a refusal fails the connect.
 * The kernel is played here: a connect-style (full-MAC) wiphy, every request
 * recorded and compared byte for byte with attributes built by hand from
 * nl80211.h's and qca-vendor.h's numbers (nla.ts), never with the encoder.
 */
import { pbkdf2Sync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { encodeAttrs, type GenlMessage } from '../../../src/driver/nl80211/attrs.js';
import { Nl80211Driver, type Nl80211System } from '../../../src/driver/nl80211/backend.js';
import type { EapolTransport } from '../../../src/driver/nl80211/eapol-transport.js';
import type { Request } from '../../../src/driver/nl80211/encode.js';
import { type Nl80211Link, Nl80211RequestError } from '../../../src/driver/nl80211/socket.js';
import { MsgLevel, onLog, setLogLevel, logLevel } from '../../../src/log.js';
import { DEFAULT_POLICY } from '../../../src/offload/policy.js';
import { PmksaSync } from '../../../src/offload/pmksa-sync.js';
import { PmksaCache } from '../../../src/rsn/pmksa.js';
import { Station } from '../../../src/station/station.js';
import { cat, flag, hex, nla, u16, u32 } from './nla.js';

// nl80211.h: enum nl80211_commands, enum nl80211_attrs, enum nl80211_bss.
const CMD = { GET_WIPHY: 1, NEW_WIPHY: 3, GET_INTERFACE: 5, NEW_INTERFACE: 7, GET_SCAN: 32, TRIGGER_SCAN: 33, NEW_SCAN_RESULTS: 34, CONNECT: 46, DISCONNECT: 48, VENDOR: 103 };
const A = {
  WIPHY: 1, IFINDEX: 3, IFNAME: 4, MAC: 6, WIPHY_FREQ: 38, IE: 42, BSS: 47, SUPPORTED_COMMANDS: 50, SSID: 52, AUTH_TYPE: 53, STATUS_CODE: 72,
  CONTROL_PORT: 68, PRIVACY: 70, CIPHER_SUITES_PAIRWISE: 73, CIPHER_SUITE_GROUP: 74, WPA_VERSIONS: 75, AKM_SUITES: 76, REQ_IE: 77, RESP_IE: 78,
  VENDOR_ID: 195, VENDOR_SUBCMD: 196, VENDOR_DATA: 197, SOCKET_OWNER: 204, EXT_FEATURES: 217, CONTROL_PORT_ETHERTYPE: 102,
  CONTROL_PORT_OVER_NL80211: 264, CONTROL_PORT_NO_PREAUTH: 286,
};
const BSS = { BSSID: 1, FREQUENCY: 2, CAPABILITY: 5, INFORMATION_ELEMENTS: 6, SIGNAL_MBM: 7 };
// qca-vendor.h: OUI_QCA, enum qca_nl80211_vendor_subcmds.
const OUI_QCA = 0x001374;
const KEY_MGMT_SET_KEY = 50;
const KEY_MGMT_ROAM_AUTH = 51;
const IFINDEX = 7;
const AP = '02:00:00:00:7d:01';
const SSID = 'km-net';
const PASS = 'key management passphrase';
const PSK = pbkdf2Sync(PASS, SSID, 4096, 32, 'sha1');
// EXT_FEATURES with bit 26 (CONTROL_PORT_OVER_NL80211) only: no 4-way handshake offload, the host runs it.
const EXT_CONTROL_PORT = Buffer.from([0, 0, 0, 0x04, 0, 0, 0, 0]);
const RSNE = hex('3014 0100 000fac04 0100 000fac04 0100 000fac02 0000');
const BEACON_IES = cat(Buffer.from([0, SSID.length]), Buffer.from(SSID), RSNE);

/** A full-MAC wiphy (CONNECT, no AUTHENTICATE) that lists `vendor` commands of OUI_QCA; a command in `refuse` fails once with its errno. */
class QcaKernel implements Nl80211System {
  sent: { cmd: number; data: Buffer }[] = [];
  refuse = new Map<number, string>();
  deliver: (m: GenlMessage) => void = () => undefined;
  constructor(readonly vendor: number[]) {}

  async open(onEvent: (m: GenlMessage) => void): Promise<Nl80211Link> {
    this.deliver = onEvent;
    return {
      request: async (r: Request): Promise<GenlMessage[]> => {
        this.sent.push({ cmd: r.cmd, data: encodeAttrs(r.attrs) });
        const code = this.refuse.get(r.cmd);
        if (code) {
          this.refuse.delete(r.cmd);
          throw new Nl80211RequestError(r.cmd, code, `nl80211 command ${r.cmd}: ${code}`);
        }
        return [];
      },
      dump: async (r: Request): Promise<GenlMessage[]> => {
        if (r.cmd === CMD.GET_INTERFACE) {
          return [{ cmd: CMD.NEW_INTERFACE, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.IFNAME, Buffer.from('wlan0\0')), nla(A.WIPHY, u32(0)), nla(A.MAC, hex('020000000100'))) }];
        }
        if (r.cmd === CMD.GET_WIPHY) {
          // struct nl80211_vendor_cmd_info { u32 vendor_id; u32 subcmd; } per nested entry.
          const vendor = this.vendor.length ? [nla(A.VENDOR_DATA, cat(...this.vendor.map((s, i) => nla(i + 1, cat(u32(OUI_QCA), u32(s))))))] : [];
          const commands = nla(A.SUPPORTED_COMMANDS, cat(...[CMD.CONNECT, CMD.DISCONNECT, CMD.VENDOR].map((c, i) => nla(i + 1, u32(c)))));
          return [{ cmd: CMD.NEW_WIPHY, data: cat(nla(A.WIPHY, u32(0)), nla(A.EXT_FEATURES, EXT_CONTROL_PORT), commands, ...vendor) }];
        }
        if (r.cmd === CMD.GET_SCAN) {
          const bss = cat(nla(BSS.BSSID, hex(AP)), nla(BSS.FREQUENCY, u32(2437)), nla(BSS.CAPABILITY, u16(0x0011)), nla(BSS.INFORMATION_ELEMENTS, BEACON_IES), nla(BSS.SIGNAL_MBM, u32(-4500)));
          return [{ cmd: CMD.NEW_SCAN_RESULTS, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.BSS, bss)) }];
        }
        return [];
      },
      close: () => undefined,
    };
  }

  async setInterfaceUp(): Promise<boolean> {
    return true;
  }
  netdevDriver(): string | undefined {
    return 'qcacld';
  }
  watchLinks(): { close(): void } {
    return { close: () => undefined };
  }
  openPacketEapol(): EapolTransport {
    return { send: async () => undefined, close: () => undefined } as unknown as EapolTransport;
  }

  /** VENDOR and CONNECT requests so far, in order. */
  connectPath(): { cmd: number; data: Buffer }[] {
    return this.sent.filter((s) => s.cmd === CMD.VENDOR || s.cmd === CMD.CONNECT);
  }
}

const VENDOR_SET_KEY = cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.VENDOR_ID, u32(OUI_QCA)), nla(A.VENDOR_SUBCMD, u32(KEY_MGMT_SET_KEY)), nla(A.VENDOR_DATA, PSK));
// CONNECT for WPA2-PSK with the host running the handshake: no ATTR_PMK, no WANT_1X_4WAY_HS.
const CONNECT = cat(
  nla(A.IFINDEX, u32(IFINDEX)),
  flag(A.SOCKET_OWNER),
  nla(A.MAC, hex(AP)),
  nla(A.WIPHY_FREQ, u32(2437)),
  nla(A.SSID, Buffer.from(SSID)),
  nla(A.IE, RSNE),
  nla(A.WPA_VERSIONS, u32(2)),
  nla(A.CIPHER_SUITES_PAIRWISE, u32(0x000fac04)),
  nla(A.CIPHER_SUITE_GROUP, u32(0x000fac04)),
  nla(A.AKM_SUITES, u32(0x000fac02)),
  flag(A.CONTROL_PORT),
  nla(A.AUTH_TYPE, u32(0)),
  flag(A.PRIVACY),
  flag(A.CONTROL_PORT_OVER_NL80211),
  nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)),
  flag(A.CONTROL_PORT_NO_PREAUTH),
);

let station: Station | undefined;
afterEach(async () => {
  await station?.terminate();
  station = undefined;
});

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The station on the kernel, its network enabled, up to the first connect attempt (or its failure). */
async function connectAttempt(k: QcaKernel, globals = ''): Promise<{ s: Station; events: string[] }> {
  const cfg = parseConfig(`${globals}network={\n\tssid="${SSID}"\n\tpsk="${PASS}"\n\tkey_mgmt=WPA-PSK\n}\n`);
  const driver = new Nl80211Driver('wlan0', k);
  const s = new Station({ ifname: 'wlan0', driver, config: () => cfg, policy: DEFAULT_POLICY, pmksa: new PmksaSync(new PmksaCache(), driver, 'wlan0') });
  station = s;
  const events: string[] = [];
  s.on('ctrlEvent', (_level: number, text: string) => events.push(text));
  await s.start();
  for (let i = 0; i < 20 && !k.sent.some((m) => m.cmd === CMD.TRIGGER_SCAN); i++) await settle();
  k.deliver({ cmd: CMD.NEW_SCAN_RESULTS, data: nla(A.IFINDEX, u32(IFINDEX)) });
  for (let i = 0; i < 50 && !events.some((e) => e.startsWith('Trying to associate')); i++) await settle();
  for (let i = 0; i < 10; i++) await settle();
  return { s, events };
}

describe('nl80211: the PSK for the firmware\'s own roams (QCA KEY_MGMT_SET_KEY before CONNECT, as 2.10\'s try_connect)', () => {
  it('a wiphy listing the vendor command: VENDOR with OUI_QCA, subcmd 50 and the 32-octet PSK as VENDOR_DATA, then CONNECT without ATTR_PMK (byte-exact)', async () => {
    const k = new QcaKernel([KEY_MGMT_SET_KEY, KEY_MGMT_ROAM_AUTH]);
    const { events } = await connectAttempt(k);
    expect(events.some((e) => e.startsWith(`Trying to associate with ${AP}`))).toBe(true);
    expect(k.connectPath().map((m) => [m.cmd, m.data.toString('hex')])).toEqual([
      [CMD.VENDOR, VENDOR_SET_KEY.toString('hex')],
      [CMD.CONNECT, CONNECT.toString('hex')],
    ]);
  });

  it('a wiphy without the vendor command: CONNECT alone', async () => {
    const k = new QcaKernel([KEY_MGMT_ROAM_AUTH]);
    await connectAttempt(k);
    expect(k.connectPath().map((m) => [m.cmd, m.data.toString('hex')])).toEqual([[CMD.CONNECT, CONNECT.toString('hex')]]);
  });

  it('the global key_mgmt_offload=0: CONNECT alone', async () => {
    const k = new QcaKernel([KEY_MGMT_SET_KEY, KEY_MGMT_ROAM_AUTH]);
    await connectAttempt(k, 'key_mgmt_offload=0\n');
    expect(k.connectPath().map((m) => [m.cmd, m.data.toString('hex')])).toEqual([[CMD.CONNECT, CONNECT.toString('hex')]]);
  });

  it('the vendor command refused: no CONNECT, the connect fails as 2.10\'s "Association request to the driver failed" (DISCONNECTED); the PSK reaches no log', async () => {
    const k = new QcaKernel([KEY_MGMT_SET_KEY]);
    k.refuse.set(CMD.VENDOR, 'EINVAL');
    const was = logLevel();
    setLogLevel(MsgLevel.EXCESSIVE);
    const lines: string[] = [];
    const stop = onLog((_level, text) => lines.push(text));
    let s: Station;
    try {
      ({ s } = await connectAttempt(k));
    } finally {
      stop();
      setLogLevel(was);
    }
    expect(k.connectPath().map((m) => m.cmd)).toEqual([CMD.VENDOR]);
    expect(s.wpaState).toBe('DISCONNECTED');
    expect(lines.some((l) => /connect failed: nl80211 command 103: EINVAL/.test(l))).toBe(true);
    expect(lines.some((l) => l === 'nl80211: Key management set PSK')).toBe(true);
    const all = lines.join('\n').toLowerCase();
    expect(all).not.toContain(PSK.toString('hex'));
    expect(all).not.toContain(PASS);
  });
});

describe('nl80211: a roam by CONNECT (EALREADY) gives the PSK again before each CONNECT, as 2.10 calls try_connect twice', () => {
  it('VENDOR, CONNECT (EALREADY), DISCONNECT reason 2, VENDOR, CONNECT', async () => {
    const k = new QcaKernel([KEY_MGMT_SET_KEY]);
    const { s } = await connectAttempt(k);
    const driver = (s as unknown as { opts: { driver: Nl80211Driver } }).opts.driver;
    k.deliver({ cmd: CMD.CONNECT, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP)), nla(A.STATUS_CODE, u16(0)), nla(A.REQ_IE, RSNE), nla(A.RESP_IE, hex('010482848b96'))) });
    await settle();
    k.sent = [];
    k.refuse.set(CMD.CONNECT, 'EALREADY');
    await driver.roam('02:00:00:00:7d:02');
    expect(k.sent.map((m) => m.cmd)).toEqual([CMD.VENDOR, CMD.CONNECT, CMD.DISCONNECT, CMD.VENDOR, CMD.CONNECT]);
    expect(k.sent[0].data).toEqual(VENDOR_SET_KEY);
    expect(k.sent[3].data).toEqual(VENDOR_SET_KEY);
  });
});
