/**
 * The nl80211 backend's association path on a fake kernel: every request the
 * backend sends is recorded and compared byte for byte with attributes built
 * here by hand from nl80211.h's numbers (struct nlattr: u16 len, u16 type,
 * payload, padding to 4), never with the encoder under test; events are fed
 * in the same way, as the kernel would send them.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type AssocEvent, type ConnectParams, type DriverEvents, type HelloResult, NoDriverCommandsError } from '../../../src/driver/backend.js';
import { type GenlMessage, parseAttrs } from '../../../src/driver/nl80211/attrs.js';
import { Nl80211Driver } from '../../../src/driver/nl80211/backend.js';
import type { EapolTransport } from '../../../src/driver/nl80211/eapol-transport.js';
import type { AssumedOffload, EapolMode } from '../../../src/driver/nl80211/options.js';
import { Nl80211RequestError } from '../../../src/driver/nl80211/socket.js';
import { logLevel, MsgLevel, onLog, setLogLevel } from '../../../src/log.js';
import { FakeNl80211Kernel, IFINDEX } from './fake-kernel.js';
import { cat, flag, hex, nla, u16, u32, u8 } from './nla.js';


// nl80211.h: enum nl80211_commands.
const CMD = { AUTHENTICATE: 37, ASSOCIATE: 38, DEAUTHENTICATE: 39, GET_STATION: 17, NEW_STATION: 19, SET_CQM: 63, NOTIFY_CQM: 64, GET_WIPHY: 1, NEW_WIPHY: 3, GET_INTERFACE: 5, NEW_INTERFACE: 7, NEW_KEY: 11, SET_STATION: 18, NEW_SCAN_RESULTS: 34, GET_SCAN: 32, CONNECT: 46, ROAM: 47, DISCONNECT: 48, GET_WOWLAN: 73, SET_WOWLAN: 74, SET_REKEY_OFFLOAD: 79, CONTROL_PORT_FRAME: 129 };
// enum nl80211_attrs.
const A = {
  WIPHY: 1, IFINDEX: 3, STA_INFO: 21, CQM: 94, IFNAME: 4, MAC: 6, REASON_CODE: 54, STA_FLAGS2: 67, WIPHY_FREQ: 38, IE: 42, BSS: 47, FRAME: 51, SSID: 52, AUTH_TYPE: 53,
  USE_MFP: 66, CONTROL_PORT: 68, PRIVACY: 70, DISCONNECTED_BY_AP: 71, STATUS_CODE: 72, CIPHER_SUITES_PAIRWISE: 73, CIPHER_SUITE_GROUP: 74,
  WPA_VERSIONS: 75, AKM_SUITES: 76, REQ_IE: 77, RESP_IE: 78, PREV_BSSID: 79, KEY: 80, CONTROL_PORT_ETHERTYPE: 102, CONTROL_PORT_NO_ENCRYPT: 103,
  TIMED_OUT: 65, FEATURE_FLAGS: 143, AUTH_DATA: 156, SOCKET_OWNER: 204, EXT_FEATURES: 217, PMK: 254, SAE_PASSWORD: 277, CONTROL_PORT_OVER_NL80211: 264,
  CONTROL_PORT_NO_PREAUTH: 286, SAE_PWE: 298, WOWLAN_TRIGGERS: 117, WOWLAN_TRIGGERS_SUPPORTED: 118, REKEY_DATA: 122, SUPPORTED_COMMANDS: 50,
};
// enum nl80211_auth_type; enum nl80211_sae_pwe_mechanism; NL80211_WPA_VERSION_3.
const AUTHTYPE_SAE = 4;
const SAE_PWE = { HUNT_AND_PECK: 1, HASH_TO_ELEMENT: 2, BOTH: 3 };
const WPA_VERSION_3 = 4;
// enum nl80211_key_attributes; enum nl80211_bss.
const KEY = { DATA: 1, IDX: 2, CIPHER: 3, SEQ: 4 };
const BSS = { BSSID: 1, FREQUENCY: 2, INFORMATION_ELEMENTS: 6 };
// enum nl80211_sta_info, nl80211_rate_info, nl80211_attr_cqm.
const STA = { SIGNAL: 7, TX_BITRATE: 8, SIGNAL_AVG: 13 };
const RATE = { BITRATE: 1, BITRATE32: 5 };
const CQM = { RSSI_THOLD: 1, RSSI_HYST: 2, RSSI_THRESHOLD_EVENT: 3, RSSI_LEVEL: 9 };
const s32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};

const AP = '02:00:00:00:00:00';
const AP2 = '02:00:00:00:02:00';
const OWN = '02:00:00:00:01:00';
// EXT_FEATURES with bit 26 (CONTROL_PORT_OVER_NL80211): byte 3, bit 2.
const EXT_CONTROL_PORT = Buffer.from([0, 0, 0, 0x04, 0, 0, 0, 0]);
// SSID element "ap", RSNE WPA2-PSK CCMP.
const BEACON_IES = hex('00026170 3014 0100 000fac04 0100 000fac04 0100 000fac02 0000');
const OUR_RSNE = hex('3014 0100 000fac04 0100 000fac04 0100 000fac02 0000');

/** The kernel's side: interface and wiphy dumps, recorded requests, refusals on demand, events pushed. */
class FakeKernel extends FakeNl80211Kernel {
  /** The next request with this command fails with this errno name. */
  refuse = new Map<number, string>();
  /** The kernel's reply to a command (GET_STATION's NEW_STATION). */
  replies = new Map<number, GenlMessage[]>();
  scan: Buffer[] = [];

  constructor() {
    super('wlan1', OWN, 'mac80211_hwsim');
  }

  protected override reply(cmd: number): GenlMessage[] {
    const code = this.refuse.get(cmd);
    if (code) {
      this.refuse.delete(cmd);
      throw new Nl80211RequestError(cmd, code, `nl80211 command ${cmd}: ${code}`);
    }
    return this.replies.get(cmd) ?? [];
  }

  protected override wiphy(): Buffer[] {
    const features = this.features === undefined ? [] : [nla(A.FEATURE_FLAGS, u32(this.features))];
    const wowlan = this.wowlan === undefined ? [] : [nla(A.WOWLAN_TRIGGERS_SUPPORTED, this.wowlan)];
    // The supported commands nested as the kernel lists them: attribute i+1 holds a u32 command number.
    const commands = nla(A.SUPPORTED_COMMANDS, cat(...this.commands.map((c, i) => nla(i + 1, u32(c)))));
    return [nla(A.EXT_FEATURES, this.ext), ...features, ...wowlan, commands];
  }

  protected override scanResults(): Buffer[] {
    return this.scan;
  }

  /** The packet socket's frames sent, and its receive side; null until the backend opens it. */
  packet: { ifname: string; own: string; sent: { dst: string; frame: Buffer }[]; rx: (src: string, frame: Buffer) => void; closed: boolean } | null = null;
  packetFails = false;
  openPacketEapol(ifname: string, own: string, onFrame: (src: string, frame: Buffer) => void): EapolTransport {
    if (this.packetFails) throw new Error('Operation not permitted');
    const p = { ifname, own, sent: [] as { dst: string; frame: Buffer }[], rx: onFrame, closed: false };
    this.packet = p;
    return {
      send: async (dst, frame) => void p.sent.push({ dst, frame }),
      close: () => void (p.closed = true),
    };
  }

  /** EXT_FEATURES of the wiphy. */
  ext = EXT_CONTROL_PORT;
  /** ATTR_FEATURE_FLAGS of the wiphy, when it sends them. */
  features: number | undefined;
  /** ATTR_SUPPORTED_COMMANDS of the wiphy: a mac80211 driver's take AUTHENTICATE (the host may run the SME); a connect-style one's not. */
  commands: number[] = [CMD.AUTHENTICATE, CMD.ASSOCIATE, CMD.DEAUTHENTICATE, CMD.CONNECT, CMD.DISCONNECT];
  /** ATTR_WOWLAN_TRIGGERS_SUPPORTED of the wiphy, when it has WoWLAN (mac80211_hwsim has not). */
  wowlan: Buffer | undefined;
}

const WPA2: ConnectParams = { bssid: AP, ssid: Buffer.from('ap'), freq: 2412, ies: OUR_RSNE, akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: 'none' };

let driver: Nl80211Driver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

async function up(k = new FakeKernel(), eapol: EapolMode = 'auto', assumed: AssumedOffload[] = []): Promise<{ d: Nl80211Driver; k: FakeKernel; hello: HelloResult }> {
  const d = new Nl80211Driver('wlan1', k, { eapol, assume4WayOffload: assumed });
  driver = d;
  const hello = once(d, 'link_up') as Promise<[HelloResult]>;
  d.start();
  const [h] = await hello;
  return { d, k, hello: h };
}

function next<K extends keyof DriverEvents>(d: Nl80211Driver, name: K): DriverEvents[K][] {
  const got: DriverEvents[K][] = [];
  d.on(name, ((...args: DriverEvents[K]) => got.push(args)) as never);
  return got;
}

const connectEvent = (bssid: string): Buffer[] => [nla(A.MAC, hex(bssid)), nla(A.STATUS_CODE, u16(0)), nla(A.REQ_IE, OUR_RSNE), nla(A.RESP_IE, hex('010482848b96'))];

describe('nl80211 backend: connect', () => {
  it('WPA2-PSK: CONNECT as 2.10 sends it, with the control port over nl80211 (byte-exact)', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect(WPA2);
    const [c] = k.take();
    expect(c.cmd).toBe(CMD.CONNECT);
    expect(c.data.toString('hex')).toBe(
      cat(
        nla(A.IFINDEX, u32(IFINDEX)),
        flag(A.SOCKET_OWNER),
        nla(A.MAC, hex(AP)),
        nla(A.WIPHY_FREQ, u32(2412)),
        nla(A.SSID, Buffer.from('ap')),
        nla(A.IE, OUR_RSNE),
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
      ).toString('hex'),
    );
  });

  it('PMF (negotiated or required) asks the driver for USE_MFP REQUIRED, as 2.10 does when the AP offers it', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect({ ...WPA2, akm: 'WPA-PSK-SHA256', mfp: 'optional' });
    const [c] = k.take();
    expect(c.data.includes(nla(A.USE_MFP, u32(1)))).toBe(true);
    expect(c.data.includes(nla(A.AKM_SUITES, u32(0x000fac06)))).toBe(true);
  });

  it('an open network: no security attributes, no controlled port, no PRIVACY', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect({ ...WPA2, ies: Buffer.alloc(0), akm: 'NONE', pairwise: 'NONE', group: 'NONE' });
    const [c] = k.take();
    expect(c.data.toString('hex')).toBe(
      cat(nla(A.IFINDEX, u32(IFINDEX)), flag(A.SOCKET_OWNER), nla(A.MAC, hex(AP)), nla(A.WIPHY_FREQ, u32(2412)), nla(A.SSID, Buffer.from('ap')), nla(A.IE, Buffer.alloc(0)), nla(A.AUTH_TYPE, u32(0))).toString('hex'),
    );
  });

  it('CONNECT event: assoc with the IEs, the Beacon IEs from the last scan; a failed one is assoc_reject', async () => {
    const { d, k } = await up();
    k.scan = [cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.BSS, cat(nla(BSS.BSSID, hex(AP)), nla(BSS.FREQUENCY, u32(2412)), nla(BSS.INFORMATION_ELEMENTS, BEACON_IES))))];
    const results = once(d, 'scan_results');
    k.event(CMD.NEW_SCAN_RESULTS);
    await results;
    const assoc = next(d, 'assoc');
    const reject = next(d, 'assoc_reject');
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    expect(assoc).toHaveLength(1);
    const a = assoc[0][0] as AssocEvent;
    expect([a.bssid, a.roam, a.authorized]).toEqual([AP, false, false]);
    expect(a.reqIes).toEqual(OUR_RSNE);
    expect(a.beaconIes).toEqual(BEACON_IES);
    k.event(CMD.CONNECT, nla(A.MAC, hex(AP)), nla(A.STATUS_CODE, u16(17)));
    expect(reject).toEqual([[{ bssid: AP, status: 17, timeout: false }]]);
  });

  it('DISCONNECT by the AP names the BSS of the association; our own DISCONNECT\'s event is not reported again', async () => {
    const { d, k } = await up();
    const gone = next(d, 'disconnected');
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(15)), flag(A.DISCONNECTED_BY_AP));
    expect(gone).toEqual([[{ bssid: AP, reason: 15, locallyGenerated: false }]]);
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    k.take();
    await d.disconnect(3);
    expect(k.take()).toEqual([{ cmd: CMD.DISCONNECT, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.REASON_CODE, u16(3))) }]);
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(3)));
    expect(gone).toHaveLength(1);
  });

  it('roam as 2.10 on a connect-API driver: CONNECT to the target, EALREADY, DISCONNECT reason 2, CONNECT again; its event is a roam', async () => {
    const { d, k } = await up();
    const assoc = next(d, 'assoc');
    const gone = next(d, 'disconnected');
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    k.take();
    k.refuse.set(CMD.CONNECT, 'EALREADY');
    await d.roam(AP2);
    const sent = k.take();
    expect(sent.map((s) => s.cmd)).toEqual([CMD.CONNECT, CMD.DISCONNECT, CMD.CONNECT]);
    expect(sent[1].data).toEqual(cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.REASON_CODE, u16(2))));
    expect(sent[2].data.includes(nla(A.MAC, hex(AP2)))).toBe(true);
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(2)));
    k.event(CMD.CONNECT, ...connectEvent(AP2));
    expect(gone).toEqual([]);
    expect(assoc.map(([a]) => [a.bssid, a.roam])).toEqual([[AP, false], [AP2, true]]);
  });
});

describe('nl80211 backend: SAE offload (EXT_FEATURE_SAE_OFFLOAD)', () => {
  const PASSWORD = 'sae offload secret';
  const SAE: ConnectParams = {
    ...WPA2,
    akm: 'SAE',
    mfp: 'required',
    // A cached SAE PMKSA: its PMKID is in our RSNE; the PMK does not go in CONNECT.
    pmk: Buffer.alloc(32, 0x5a),
    pmkid: Buffer.alloc(16, 0x11),
    sae: { password: Buffer.from(PASSWORD), pwe: 2 },
  };

  it('CONNECT as 2.10 with SAE_OFFLOAD_STA: WPA_VERSIONS 3, AKM SAE, SAE_PWE, SAE_PASSWORD, SAE authentication, no PMK (byte-exact)', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect(SAE);
    const [c] = k.take();
    expect(c.cmd).toBe(CMD.CONNECT);
    expect(c.data.toString('hex')).toBe(
      cat(
        nla(A.IFINDEX, u32(IFINDEX)),
        flag(A.SOCKET_OWNER),
        nla(A.MAC, hex(AP)),
        nla(A.WIPHY_FREQ, u32(2412)),
        nla(A.SSID, Buffer.from('ap')),
        nla(A.IE, OUR_RSNE),
        nla(A.WPA_VERSIONS, u32(WPA_VERSION_3)),
        nla(A.CIPHER_SUITES_PAIRWISE, u32(0x000fac04)),
        nla(A.CIPHER_SUITE_GROUP, u32(0x000fac04)),
        nla(A.AKM_SUITES, u32(0x000fac08)),
        flag(A.CONTROL_PORT),
        nla(A.USE_MFP, u32(1)),
        nla(A.SAE_PWE, u8(SAE_PWE.BOTH)),
        nla(A.SAE_PASSWORD, Buffer.from(PASSWORD)),
        nla(A.AUTH_TYPE, u32(AUTHTYPE_SAE)),
        flag(A.PRIVACY),
        flag(A.CONTROL_PORT_OVER_NL80211),
        nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)),
        flag(A.CONTROL_PORT_NO_PREAUTH),
      ).toString('hex'),
    );
  });

  it('sae_pwe 0 and 1 are NL80211_SAE_PWE_HUNT_AND_PECK and _HASH_TO_ELEMENT; without SAE offload an SAE PMK goes in ATTR_PMK as before', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect({ ...SAE, sae: { password: Buffer.from(PASSWORD), pwe: 0 } });
    await d.connect({ ...SAE, sae: { password: Buffer.from(PASSWORD), pwe: 1 } });
    const { sae: _, ...noSae } = SAE;
    await d.connect(noSae);
    const sent = k.take().filter((s) => s.cmd === CMD.CONNECT);
    expect(sent[0].data.includes(nla(A.SAE_PWE, u8(SAE_PWE.HUNT_AND_PECK)))).toBe(true);
    expect(sent[1].data.includes(nla(A.SAE_PWE, u8(SAE_PWE.HASH_TO_ELEMENT)))).toBe(true);
    const plain = sent[2].data;
    expect([plain.includes(nla(A.PMK, Buffer.alloc(32, 0x5a))), plain.includes(nla(A.AUTH_TYPE, u32(0))), plain.includes(nla(A.WPA_VERSIONS, u32(2)))]).toEqual([true, true, true]);
    expect(plain.includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('a password identifier (no nl80211 attribute) or a password nl80211 cannot carry is refused before anything is sent, as 2.10 refuses it', async () => {
    const { d, k } = await up();
    k.take();
    await expect(d.connect({ ...SAE, sae: { password: Buffer.from(PASSWORD), passwordId: Buffer.from('id'), pwe: 1 } })).rejects.toThrow(/password identifiers are not supported/);
    await expect(d.connect({ ...SAE, sae: { password: Buffer.alloc(129, 0x61), pwe: 1 } })).rejects.toThrow(/SAE password of 129 octets/);
    expect(k.take()).toEqual([]);
  });

  it('the SAE password reaches no log, at the most verbose level, whether the CONNECT goes through or is refused', async () => {
    const was = logLevel();
    setLogLevel(MsgLevel.EXCESSIVE);
    const lines: string[] = [];
    const stop = onLog((_l, text) => lines.push(text));
    try {
      const { d, k } = await up();
      await d.connect(SAE);
      k.event(CMD.CONNECT, ...connectEvent(AP));
      k.refuse.set(CMD.CONNECT, 'EINVAL');
      await expect(d.connect(SAE)).rejects.toThrow();
      await expect(d.connect({ ...SAE, sae: { password: Buffer.from(PASSWORD), passwordId: Buffer.from('id'), pwe: 1 } })).rejects.toThrow();
    } finally {
      stop();
      setLogLevel(was);
    }
    expect(lines.length).toBeGreaterThan(0);
    const hexPw = Buffer.from(PASSWORD).toString('hex');
    expect(lines.filter((l) => l.includes(PASSWORD) || l.toLowerCase().includes(hexPw))).toEqual([]);
  });
});

describe('nl80211 backend: EAPOL, keys, port', () => {
  it('EAPOL goes over the control port, unencrypted until the pairwise key is in, then encrypted (2.10 wpa_ether_send)', async () => {
    const { d, k } = await up();
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    k.take();
    const frame = hex('0103005f02');
    await d.txEapol(AP, frame);
    await d.setKey({ kind: 'pairwise', idx: 0, cipher: 'CCMP', key: Buffer.alloc(16, 0x11), rsc: Buffer.alloc(6), addr: AP });
    await d.txEapol(AP, frame);
    const [tx1, key, tx2] = k.take();
    const body = cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)), nla(A.MAC, hex(AP)), nla(A.FRAME, frame));
    expect(tx1).toEqual({ cmd: CMD.CONTROL_PORT_FRAME, data: cat(body, flag(A.CONTROL_PORT_NO_ENCRYPT)) });
    expect(key.cmd).toBe(CMD.NEW_KEY);
    expect(tx2).toEqual({ cmd: CMD.CONTROL_PORT_FRAME, data: body });
  });

  it('received EAPOL: a unicast CONTROL_PORT_FRAME is eapol_rx', async () => {
    const { d, k } = await up();
    const rx = next(d, 'eapol_rx');
    k.event(CMD.CONTROL_PORT_FRAME, nla(A.FRAME, hex('0203005f')), nla(A.MAC, hex(AP)), nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)));
    expect(rx).toEqual([[{ src: AP, data: hex('0203005f') }]]);
  });

  it('an EAPOL frame of the BSS being connected that beats the CONNECT event is held and passed on after the assoc', async () => {
    const { d, k } = await up();
    const order: string[] = [];
    d.on('assoc', (a) => order.push(`assoc ${a.bssid}`));
    d.on('eapol_rx', (e) => order.push(`eapol ${e.src} ${e.data.toString('hex')}`));
    await d.connect(WPA2);
    k.event(CMD.CONTROL_PORT_FRAME, nla(A.FRAME, hex('0203005f')), nla(A.MAC, hex(AP)), nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)));
    expect(order).toEqual([]);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    expect(order).toEqual([`assoc ${AP}`, `eapol ${AP} 0203005f`]);
  });

  it('NEW_KEY for the PTK (AP address), the GTK (no address, RSC) and the IGTK (BIP, key ID 4, IPN), keys nested as 2.10 sends them', async () => {
    const { d, k } = await up();
    k.take();
    await d.setKey({ kind: 'pairwise', idx: 0, cipher: 'CCMP', key: Buffer.alloc(16, 0x11), rsc: Buffer.alloc(6), addr: AP });
    await d.setKey({ kind: 'group', idx: 1, cipher: 'CCMP', key: Buffer.alloc(16, 0x22), rsc: hex('010000000000'), addr: 'ff:ff:ff:ff:ff:ff' });
    await d.setKey({ kind: 'igtk', idx: 4, cipher: 'AES-128-CMAC', key: Buffer.alloc(16, 0x33), rsc: hex('020000000000'), addr: 'ff:ff:ff:ff:ff:ff' });
    const [ptk, gtk, igtk] = k.take();
    const ifx = nla(A.IFINDEX, u32(IFINDEX));
    expect(ptk).toEqual({ cmd: CMD.NEW_KEY, data: cat(ifx, nla(A.MAC, hex(AP)), nla(A.KEY, cat(nla(KEY.DATA, Buffer.alloc(16, 0x11)), nla(KEY.CIPHER, u32(0x000fac04)), nla(KEY.SEQ, Buffer.alloc(6)), nla(KEY.IDX, u8(0))))) });
    expect(gtk).toEqual({ cmd: CMD.NEW_KEY, data: cat(ifx, nla(A.KEY, cat(nla(KEY.DATA, Buffer.alloc(16, 0x22)), nla(KEY.CIPHER, u32(0x000fac04)), nla(KEY.SEQ, hex('010000000000')), nla(KEY.IDX, u8(1))))) });
    expect(igtk).toEqual({ cmd: CMD.NEW_KEY, data: cat(ifx, nla(A.KEY, cat(nla(KEY.DATA, Buffer.alloc(16, 0x33)), nla(KEY.CIPHER, u32(0x000fac06)), nla(KEY.SEQ, hex('020000000000')), nla(KEY.IDX, u8(4))))) });
  });

  it('the port: SET_STATION for the associated BSS with STA_FLAGS2 mask/set AUTHORIZED', async () => {
    const { d, k } = await up();
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    k.take();
    await d.setPort(true);
    // struct nl80211_sta_flag_update { u32 mask; u32 set; }, NL80211_STA_FLAG_AUTHORIZED = 1.
    expect(k.take()).toEqual([{ cmd: CMD.SET_STATION, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP)), nla(A.STA_FLAGS2, cat(u32(2), u32(2)))) }]);
  });

  it('rekey data: a radio without rekey offload (EOPNOTSUPP, mac80211_hwsim) is left alone; other refusals are errors', async () => {
    const { d, k } = await up();
    const data = { kck: Buffer.alloc(16), kek: Buffer.alloc(16), replayCtr: Buffer.alloc(8), akm: 'WPA-PSK' };
    k.refuse.set(CMD.SET_REKEY_OFFLOAD, 'EOPNOTSUPP');
    await expect(d.setRekeyData(data)).resolves.toBeUndefined();
    k.refuse.set(CMD.SET_REKEY_OFFLOAD, 'EINVAL');
    await expect(d.setRekeyData(data)).rejects.toThrow(/EINVAL/);
  });
});

describe('nl80211 backend: SIGNAL_POLL and SIGNAL_MONITOR', () => {
  async function associated(): Promise<{ d: Nl80211Driver; k: FakeKernel }> {
    const r = await up();
    await r.d.connect(WPA2);
    r.k.event(CMD.CONNECT, ...connectEvent(AP));
    r.k.take();
    return r;
  }
  const station = (signal: number, rate: Buffer[]): GenlMessage => ({
    cmd: CMD.NEW_STATION,
    data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP)), nla(A.STA_INFO, cat(nla(STA.SIGNAL, Buffer.of(signal & 0xff)), nla(STA.TX_BITRATE, cat(...rate)), nla(STA.SIGNAL_AVG, Buffer.of(-40 & 0xff))))),
  });

  it('GET_STATION for the AP: signal (s8), average, transmit rate (BITRATE32, else BITRATE, 100 kbit/s)', async () => {
    const { d, k } = await associated();
    k.replies.set(CMD.GET_STATION, [station(-42, [nla(RATE.BITRATE, u16(60)), nla(RATE.BITRATE32, u32(540))])]);
    expect(await d.signalPoll()).toEqual({ rssi: -42, txRateKbps: 54000, avgRssi: -40 });
    expect(k.take()).toEqual([{ cmd: CMD.GET_STATION, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP))) }]);
    k.replies.set(CMD.GET_STATION, [station(-90, [nla(RATE.BITRATE, u16(10))])]);
    expect(await d.signalPoll()).toEqual({ rssi: -90, txRateKbps: 1000, avgRssi: -40 });
  });

  it('SET_CQM with the threshold (s32) and hysteresis nested in ATTR_CQM', async () => {
    const { d, k } = await associated();
    await d.signalMonitor(-70, 4);
    expect(k.take()).toEqual([{ cmd: CMD.SET_CQM, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.CQM, cat(nla(CQM.RSSI_THOLD, s32(-70)), nla(CQM.RSSI_HYST, u32(4))))) }]);
  });

  it('NOTIFY_CQM: signal for the AP, with the level the kernel reports or, without one, a GET_STATION', async () => {
    const { d, k } = await associated();
    const sig = next(d, 'signal');
    k.event(CMD.NOTIFY_CQM, nla(A.CQM, cat(nla(CQM.RSSI_THRESHOLD_EVENT, u32(0)), nla(CQM.RSSI_LEVEL, s32(-75)))));
    expect(sig).toEqual([[{ bssid: AP, signal: -75 }]]);
    k.replies.set(CMD.GET_STATION, [station(-61, [])]);
    const polled = once(d, 'signal');
    k.event(CMD.NOTIFY_CQM, nla(A.CQM, nla(CQM.RSSI_THRESHOLD_EVENT, u32(1))));
    await polled;
    expect(sig[1]).toEqual([{ bssid: AP, signal: -61 }]);
  });
});

describe('nl80211 backend: capabilities', () => {
  // EXT_FEATURES bit 15 (4WAY_HANDSHAKE_STA_PSK): byte 1, bit 7; 26 (control port) as before.
  const PSK_OFFLOAD = Buffer.from([0, 0x80, 0, 0, 0, 0, 0, 0]);

  it('nl80211 cannot read PMKSA or PTK back (sync_state false); completion is PORT_AUTHORIZED for mac80211 and an offloading QCA driver', async () => {
    expect((await up()).hello.capabilities).toMatchObject({ completion: 'port_authorized', sync_state: false });
    const qca = new FakeKernel();
    qca.driver = 'ath10k_pci';
    qca.ext = PSK_OFFLOAD;
    await driver?.close();
    expect((await up(qca)).hello.capabilities).toMatchObject({ four_way_psk: true, completion: 'port_authorized' });
  });

  it('brcmfmac with FWSUP (4-way offload features) signals completion by CONNECT; without offload features it has nothing to signal', async () => {
    const brcm = new FakeKernel();
    brcm.driver = 'brcmfmac';
    brcm.ext = PSK_OFFLOAD;
    expect((await up(brcm)).hello.capabilities).toMatchObject({ four_way_psk: true, completion: 'connect' });
    await driver?.close();
    const plain = new FakeKernel();
    plain.driver = 'brcmfmac';
    plain.ext = Buffer.alloc(8);
    expect((await up(plain)).hello.capabilities.completion).toBe('port_authorized');
  });

  it('brcmfmac with SAE offload only (EXT_FEATURE_SAE_OFFLOAD, bit 38) signals completion by CONNECT too', async () => {
    const brcm = new FakeKernel();
    brcm.driver = 'brcmfmac';
    // Bit 38: byte 4, bit 6; bit 26 (control port over nl80211): byte 3, bit 2.
    brcm.ext = Buffer.from([0, 0, 0, 0x04, 0x40, 0, 0, 0]);
    expect((await up(brcm)).hello.capabilities).toMatchObject({ four_way_psk: false, sae_offload: true, completion: 'connect' });
  });
});

describe('nl80211 backend: the netdev down/up and removed (route-netlink)', () => {
  it('set down by someone else: link_down, and link_up with the same hello when it is up again; the backend does not set it up', async () => {
    const { d, k, hello } = await up();
    const downs = next(d, 'link_down');
    const ups = next(d, 'link_up');
    k.link({ kind: 'new', ifindex: IFINDEX, ifname: 'wlan1', up: false });
    expect(downs.length).toBe(1);
    expect(d.hello).toBeNull();
    // Other interfaces and repeated notifications change nothing.
    k.link({ kind: 'new', ifindex: IFINDEX + 1, ifname: 'wlan9', up: true });
    k.link({ kind: 'new', ifindex: IFINDEX, ifname: 'wlan1', up: false });
    expect([downs.length, ups.length]).toEqual([1, 0]);
    k.link({ kind: 'new', ifindex: IFINDEX, ifname: 'wlan1', up: true });
    expect(ups).toEqual([[hello]]);
    expect(d.hello).toBe(hello);
  });

  it('removed: link_down; a netdev of the name appearing brings the link up again at once (no 5 s retry)', async () => {
    const { d, k } = await up();
    const downs = next(d, 'link_down');
    k.link({ kind: 'del', ifindex: IFINDEX, ifname: 'wlan1' });
    expect(downs.length).toBe(1);
    expect(d.hello).toBeNull();
    const back = once(d, 'link_up');
    k.link({ kind: 'new', ifindex: IFINDEX, ifname: 'wlan1', up: false });
    await back;
    expect(d.hello?.address).toBe(OWN);
  });

  it('a link notification that did not parse is dropped', async () => {
    const { d, k } = await up();
    k.link({ kind: 'dropped', reason: 'bad link notification: short' });
    expect(d.hello).not.toBeNull();
  });
});

describe('nl80211 backend: EAPOL over a packet socket ([driver] eapol)', () => {
  const NO_CONTROL_PORT = Buffer.alloc(8);
  const M1 = hex('0203005f02008a');

  it('a wiphy without control port over nl80211 (auto): the packet socket on the netdev; CONNECT asks for no control port over nl80211; frames both ways', async () => {
    const k = new FakeKernel();
    k.ext = NO_CONTROL_PORT;
    const { d } = await up(k);
    expect(k.packet).toMatchObject({ ifname: 'wlan1', own: OWN, closed: false });
    k.take();
    await d.connect(WPA2);
    const [c] = k.take();
    expect(c.cmd).toBe(CMD.CONNECT);
    expect(c.data.includes(flag(A.CONTROL_PORT_OVER_NL80211))).toBe(false);
    const rx = next(d, 'eapol_rx');
    // Msg 1/4 before the CONNECT event is held, as on the control port.
    k.packet!.rx(AP, M1);
    expect(rx).toEqual([]);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    expect(rx).toEqual([[{ src: AP, data: M1 }]]);
    await d.txEapol(AP, hex('0103005f'));
    expect(k.packet!.sent).toEqual([{ dst: AP, frame: hex('0103005f') }]);
    expect(k.take().filter((x) => x.cmd === CMD.CONTROL_PORT_FRAME)).toEqual([]);
  });

  it('eapol = packet forces the packet socket on a wiphy that has the control port', async () => {
    const { d, k } = await up(new FakeKernel(), 'packet');
    expect(k.packet).not.toBeNull();
    await d.txEapol(AP, hex('0103'));
    expect(k.packet!.sent.length).toBe(1);
  });

  it('eapol = control_port on a wiphy without it, or a packet socket that cannot be opened: no transport, tx_eapol fails', async () => {
    const k = new FakeKernel();
    k.ext = NO_CONTROL_PORT;
    const { d } = await up(k, 'control_port');
    expect(k.packet).toBeNull();
    await expect(d.txEapol(AP, hex('0103'))).rejects.toThrow(/no EAPOL transport/);
    await d.close();
    const k2 = new FakeKernel();
    k2.ext = NO_CONTROL_PORT;
    k2.packetFails = true;
    const { d: d2 } = await up(k2);
    await expect(d2.txEapol(AP, hex('0103'))).rejects.toThrow(/no EAPOL transport/);
  });

  it('the packet socket is closed when the netdev goes, and at close', async () => {
    const { d, k } = await up(new FakeKernel(), 'packet');
    const first = k.packet!;
    k.link({ kind: 'del', ifindex: IFINDEX, ifname: 'wlan1' });
    expect(first.closed).toBe(true);
    const back = once(d, 'link_up');
    k.link({ kind: 'new', ifindex: IFINDEX, ifname: 'wlan1', up: false });
    await back;
    expect(k.packet).not.toBe(first);
    await d.close();
    expect(k.packet!.closed).toBe(true);
  });
});

// enum nl80211_feature_flags: NL80211_FEATURE_SAE.
const FEATURE_SAE = 1 << 5;
// RSNE SAE CCMP, PMF required (MFPC|MFPR).
const SAE_RSNE = hex('3014 0100 000fac04 0100 000fac04 0100 000fac08 c000');
const SAE: ConnectParams = { ...WPA2, ies: SAE_RSNE, akm: 'SAE', mfp: 'required' };
// An SAE commit as the driver protocol carries it: algorithm 3, transaction 1, status 0, group 19, then scalar and element (shortened).
const COMMIT = hex('0300 0100 0000 1300');
const COMMIT_BODY = cat(COMMIT, Buffer.alloc(96, 0xab));
/** A management frame as mac80211 passes it up in ATTR_FRAME: frame control, duration, DA, SA, BSSID, sequence control, body. */
const mgmt = (fc: string, from: string, body: Buffer): Buffer => cat(hex(fc), hex('0000'), hex(OWN), hex(from), hex(from), hex('1000'), body);
const authFrame = (from: string, body: Buffer): Buffer => mgmt('b000', from, body);
// Association Response: capability, status, AID, then the IEs.
const assocResp = (from: string, status: number, ies: Buffer): Buffer => mgmt('1000', from, cat(hex('1104'), u16(status), hex('01c0'), ies));
const RESP_IES = hex('010482848b96');

async function saeUp(): Promise<{ d: Nl80211Driver; k: FakeKernel; hello: HelloResult }> {
  const k = new FakeKernel();
  k.features = FEATURE_SAE;
  return up(k);
}

describe('nl80211 backend: SAE in the host SME (AUTHENTICATE, ASSOCIATE)', () => {
  it('sae_auth comes from NL80211_FEATURE_SAE in the wiphy\'s feature flags', async () => {
    expect((await saeUp()).hello.capabilities.sae_auth).toBe(true);
    await driver?.close();
    const k = new FakeKernel();
    k.features = 1 << 0;
    expect((await up(k)).hello.capabilities.sae_auth).toBe(false);
  });

  it('auth: AUTHENTICATE with AUTH_TYPE SAE and AUTH_DATA from the transaction number on (byte-exact)', async () => {
    const { d, k } = await saeUp();
    k.take();
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    expect(k.take()).toEqual([
      {
        cmd: CMD.AUTHENTICATE,
        data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP)), nla(A.WIPHY_FREQ, u32(2412)), nla(A.SSID, Buffer.from('ap')), nla(A.AUTH_TYPE, u32(4)), nla(A.AUTH_DATA, COMMIT_BODY.subarray(2))),
      },
    ]);
  });

  it('auth: a body that is not SAE is refused before the kernel sees it', async () => {
    const { d, k } = await saeUp();
    k.take();
    await expect(d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: hex('0000 0100 0000') })).rejects.toThrow(/algorithm 0, expected 3/);
    expect(k.take()).toEqual([]);
  });

  it('the AP\'s SAE Authentication frame (AUTHENTICATE event, ATTR_FRAME) is auth_rx from the algorithm field on, with its status', async () => {
    const { d, k } = await saeUp();
    const rx = next(d, 'auth_rx');
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    const reply = cat(hex('0300 0100 4c00 1300'), Buffer.alloc(32, 0x11));
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, reply)));
    expect(rx).toEqual([[{ bssid: AP, data: reply, status: 76 }]]);
    // Truncated: dropped, nothing emitted, nothing thrown.
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, reply).subarray(0, 27)));
    expect(rx).toHaveLength(1);
  });

  it('connect after SAE: ASSOCIATE (byte-exact), never CONNECT; the ASSOCIATE event is the assoc, cfg80211\'s CONNECT event after it is not reported again', async () => {
    const { d, k } = await saeUp();
    const assoc = next(d, 'assoc');
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    k.take();
    await d.connect(SAE);
    expect(k.take()).toEqual([
      {
        cmd: CMD.ASSOCIATE,
        data: cat(
          nla(A.IFINDEX, u32(IFINDEX)),
          flag(A.SOCKET_OWNER),
          nla(A.MAC, hex(AP)),
          nla(A.WIPHY_FREQ, u32(2412)),
          nla(A.SSID, Buffer.from('ap')),
          nla(A.IE, SAE_RSNE),
          nla(A.WPA_VERSIONS, u32(2)),
          nla(A.CIPHER_SUITES_PAIRWISE, u32(0x000fac04)),
          nla(A.CIPHER_SUITE_GROUP, u32(0x000fac04)),
          nla(A.AKM_SUITES, u32(0x000fac08)),
          flag(A.CONTROL_PORT),
          nla(A.USE_MFP, u32(1)),
          flag(A.CONTROL_PORT_OVER_NL80211),
          nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)),
          flag(A.CONTROL_PORT_NO_PREAUTH),
        ),
      },
    ]);
    k.event(CMD.ASSOCIATE, nla(A.WIPHY_FREQ, u32(2412)), nla(A.FRAME, assocResp(AP, 0, RESP_IES)), nla(A.REQ_IE, SAE_RSNE));
    k.event(CMD.CONNECT, ...connectEvent(AP));
    expect(assoc).toHaveLength(1);
    const a = assoc[0][0] as AssocEvent;
    expect([a.bssid, a.freq, a.roam]).toEqual([AP, 2412, false]);
    expect(a.respIes).toEqual(RESP_IES);
    expect(a.reqIes).toEqual(SAE_RSNE);
  });

  it('a refused association (status in the Association Response) is assoc_reject', async () => {
    const { d, k } = await saeUp();
    const reject = next(d, 'assoc_reject');
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    await d.connect(SAE);
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP, 30, Buffer.alloc(0))));
    k.event(CMD.CONNECT, nla(A.MAC, hex(AP)), nla(A.STATUS_CODE, u16(30)));
    expect(reject).toEqual([[{ bssid: AP, status: 30, timeout: false }]]);
  });

  it('an ASSOCIATE timeout (mac80211 gave up on the AP) is assoc_timeout, never an association rejection (2.10: EVENT_ASSOC_TIMED_OUT)', async () => {
    const { d, k } = await saeUp();
    const reject = next(d, 'assoc_reject');
    const timeout = next(d, 'assoc_timeout');
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    await d.connect(SAE);
    k.event(CMD.ASSOCIATE, flag(A.TIMED_OUT), nla(A.MAC, hex(AP)));
    expect(timeout).toEqual([[{ bssid: AP }]]);
    expect(reject).toEqual([]);
  });

  it('a PMKSA-cached reconnect (no SAE first): Open System AUTHENTICATE, then ASSOCIATE once the AP accepts', async () => {
    const { d, k } = await saeUp();
    const assoc = next(d, 'assoc');
    k.take();
    await d.connect({ ...SAE, pmkid: Buffer.alloc(16, 1) });
    expect(k.take()).toEqual([
      { cmd: CMD.AUTHENTICATE, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP)), nla(A.WIPHY_FREQ, u32(2412)), nla(A.SSID, Buffer.from('ap')), nla(A.AUTH_TYPE, u32(0))) },
    ]);
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, hex('0000 0200 0000'))));
    await new Promise((r) => setImmediate(r));
    expect(k.take().map((s) => s.cmd)).toEqual([CMD.ASSOCIATE]);
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP, 0, RESP_IES)));
    expect(assoc.map(([a]) => a.bssid)).toEqual([AP]);
  });

  it('leaving a BSS the host SME joined: DEAUTHENTICATE with the BSSID and reason (byte-exact); its DISCONNECT event is not news', async () => {
    const { d, k } = await saeUp();
    const gone = next(d, 'disconnected');
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    await d.connect(SAE);
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP, 0, RESP_IES)));
    k.take();
    await d.disconnect(3);
    expect(k.take()).toEqual([{ cmd: CMD.DEAUTHENTICATE, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP)), nla(A.REASON_CODE, u16(3))) }]);
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(3)));
    expect(gone).toEqual([]);
  });

  it('without NL80211_FEATURE_SAE an SAE network still goes through CONNECT (cfg80211\'s SME)', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect(SAE);
    expect(k.take().map((s) => s.cmd)).toEqual([CMD.CONNECT]);
  });
});

describe('nl80211 backend: SAE roaming through the host SME', () => {
  /** Associated with AP through the host SME (SAE, then ASSOCIATE). */
  async function smeAssociated(): Promise<{ d: Nl80211Driver; k: FakeKernel }> {
    const { d, k } = await saeUp();
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    await d.connect(SAE);
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP, 0, RESP_IES)));
    k.take();
    return { d, k };
  }

  it('smeAssociated says so; ROAM itself is refused (a CONNECT would have cfg80211 authenticate with Open System)', async () => {
    const { d, k } = await smeAssociated();
    expect(d.smeAssociated).toBe(true);
    await expect(d.roam(AP2)).rejects.toThrow(/roams through connect with prevBssid/);
    expect(k.take()).toEqual([]);
  });

  it('SAE with the target while associated: the kernel\'s local DISCONNECT of the old BSS is not news; the association follows with PREV_BSSID (a Reassociation Request)', async () => {
    const { d, k } = await smeAssociated();
    const gone = next(d, 'disconnected');
    const assoc = next(d, 'assoc');
    await d.auth({ bssid: AP2, freq: 2437, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    expect(k.take().map((s) => s.cmd)).toEqual([CMD.AUTHENTICATE]);
    // mac80211 leaves the old AP for the new authentication ("disconnect from AP ... for new auth").
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(1)));
    expect(gone).toEqual([]);
    expect(d.smeAssociated).toBe(false);
    await d.connect({ ...SAE, bssid: AP2, freq: 2437, prevBssid: AP });
    const [sent] = k.take();
    expect(sent?.cmd).toBe(CMD.ASSOCIATE);
    expect(sent?.data.subarray(-12)).toEqual(nla(A.PREV_BSSID, hex(AP)));
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP2, 0, RESP_IES)));
    expect(assoc.map(([a]) => [a.bssid, a.roam])).toEqual([[AP2, false]]);
    expect(d.smeAssociated).toBe(true);
  });

  it('to a BSS with a cached PMKSA: Open System AUTHENTICATE, then ASSOCIATE with PREV_BSSID; no disconnect reported', async () => {
    const { d, k } = await smeAssociated();
    const gone = next(d, 'disconnected');
    await d.connect({ ...SAE, bssid: AP2, freq: 2437, pmkid: Buffer.alloc(16, 1), prevBssid: AP });
    expect(k.take().map((s) => [s.cmd, s.data.subarray(-8).readUInt32LE(4)])).toEqual([[CMD.AUTHENTICATE, 0]]);
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(1)));
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP2, hex('0000 0200 0000'))));
    await new Promise((r) => setImmediate(r));
    const [sent] = k.take();
    expect(sent?.cmd).toBe(CMD.ASSOCIATE);
    expect(sent?.data.subarray(-12)).toEqual(nla(A.PREV_BSSID, hex(AP)));
    expect(gone).toEqual([]);
  });
});

describe('nl80211 backend: the host SME\'s authentication ending without an answer or refused', () => {
  it('SAE: AUTHENTICATE with TIMED_OUT (mac80211 gave up on the AP) is auth_timeout; one for another BSS is not ours', async () => {
    const { d, k } = await saeUp();
    const timeout = next(d, 'auth_timeout');
    await d.auth({ bssid: AP, freq: 2412, ssid: Buffer.from('ap'), algorithm: 'sae', data: COMMIT_BODY });
    k.event(CMD.AUTHENTICATE, flag(A.TIMED_OUT), nla(A.MAC, hex(AP2)));
    k.event(CMD.AUTHENTICATE, flag(A.TIMED_OUT), nla(A.MAC, hex(AP)));
    expect(timeout).toEqual([[{ bssid: AP }]]);
  });

  it('Open System (a PMKSA-cached connection): TIMED_OUT is auth_timeout, never an association rejection; no ASSOCIATE follows', async () => {
    const { d, k } = await saeUp();
    const timeout = next(d, 'auth_timeout');
    const reject = next(d, 'assoc_reject');
    await d.connect({ ...SAE, pmkid: Buffer.alloc(16, 1) });
    k.take();
    k.event(CMD.AUTHENTICATE, flag(A.TIMED_OUT), nla(A.MAC, hex(AP)));
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, hex('0000 0200 0000'))));
    await new Promise((r) => setImmediate(r));
    expect(timeout).toEqual([[{ bssid: AP }]]);
    expect(reject).toEqual([]);
    expect(k.take()).toEqual([]);
  });

  it('Open System refused by the AP: the frame goes up as auth_rx (algorithm 0, its status), not as an association rejection', async () => {
    const { d, k } = await saeUp();
    const rx = next(d, 'auth_rx');
    const reject = next(d, 'assoc_reject');
    await d.connect({ ...SAE, pmkid: Buffer.alloc(16, 1) });
    k.take();
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, hex('0000 0200 0d00'))));
    await new Promise((r) => setImmediate(r));
    expect(rx).toEqual([[{ bssid: AP, data: hex('0000 0200 0d00'), status: 13 }]]);
    expect(reject).toEqual([]);
    expect(k.take()).toEqual([]);
  });
});

describe('nl80211 backend: SAE, the kernel refusing the association', () => {
  it('an ASSOCIATE refused by the kernel after the Open System authentication ends the attempt as assoc_reject', async () => {
    const { d, k } = await saeUp();
    const reject = next(d, 'assoc_reject');
    await d.connect({ ...SAE, pmkid: Buffer.alloc(16, 1) });
    k.refuse.set(CMD.ASSOCIATE, 'ENOLINK');
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, hex('0000 0200 0000'))));
    await new Promise((r) => setImmediate(r));
    expect(reject).toEqual([[{ bssid: AP, status: 1, timeout: false }]]);
  });
});

// FT-PSK (00-0f-ac:4), mobility domain a1b2 (FT over the air), and an Extended Capabilities element the reassociation keeps.
const FT_RSNE = hex('3014 0100 000fac04 0100 000fac04 0100 000fac04 0000');
const FT_MDE = hex('3603 a1b2 00');
const EXT_CAPAB = hex('7f04 00000040');
const FT_PSK: ConnectParams = { ...WPA2, ies: cat(FT_RSNE, FT_MDE, EXT_CAPAB), akm: 'FT-PSK' };
// The FT elements of 2.10's FT Authentication Request / Reassociation Request (test/fixtures/vectors/ft-psk-roam-2.10.json's shape):
// RSNE with a PMKID (PMKR0Name, PMKR1Name), MDE, FTE.
const FT_AUTH_IES = hex(['3026 0100 000fac04 0100 000fac04 0100 000fac04 0000 0100', '11'.repeat(16), '3603 a1b2 00', '375b 0000', '00'.repeat(16), '00'.repeat(32), '22'.repeat(32), '0307 6170302e6e6574'].join(''));
const FT_REASSOC_IES = hex(['3026 0100 000fac04 0100 000fac04 0100 000fac04 0000 0100', '33'.repeat(16), '3603 a1b2 00', '375b 0003', '44'.repeat(16), '55'.repeat(32), '22'.repeat(32), '0307 6170302e6e6574'].join(''));
/** The Authentication frame body 2.10 sends for FT: algorithm 2, transaction 1, status 0, then the FT elements. */
const FT_AUTH_BODY = cat(hex('0200 0100 0000'), FT_AUTH_IES);

describe('nl80211 backend: FT over the air through the host SME (AUTHENTICATE with AUTH_TYPE FT, ASSOCIATE with PREV_BSSID)', () => {
  /** Associated with AP by CONNECT (cfg80211's SME), FT-PSK: the initial mobility domain association. */
  async function ftAssociated(): Promise<{ d: Nl80211Driver; k: FakeKernel; hello: HelloResult }> {
    const r = await up();
    await r.d.connect(FT_PSK);
    r.k.event(CMD.CONNECT, ...connectEvent(AP));
    r.k.take();
    return r;
  }

  it('ft_auth comes from AUTHENTICATE among the wiphy\'s commands (2.10\'s WPA_DRIVER_FLAGS_SME): mac80211 has it, a full-MAC wiphy not', async () => {
    expect((await up()).hello.capabilities.ft_auth).toBe(true);
    await driver?.close();
    const k = new FakeKernel();
    k.commands = [CMD.CONNECT, CMD.DISCONNECT];
    expect((await up(k)).hello.capabilities.ft_auth).toBe(false);
  });

  it('auth with algorithm ft: AUTHENTICATE with the FT elements in ATTR_IE and AUTH_TYPE FT (2), no AUTH_DATA (byte-exact)', async () => {
    const { d, k } = await ftAssociated();
    await d.auth({ bssid: AP2, freq: 2437, ssid: Buffer.from('ap'), algorithm: 'ft', data: FT_AUTH_BODY });
    expect(k.take()).toEqual([
      {
        cmd: CMD.AUTHENTICATE,
        data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.MAC, hex(AP2)), nla(A.WIPHY_FREQ, u32(2437)), nla(A.SSID, Buffer.from('ap')), nla(A.IE, FT_AUTH_IES), nla(A.AUTH_TYPE, u32(2))),
      },
    ]);
  });

  it('auth with algorithm ft: a body that is not FT\'s is refused before the kernel sees it', async () => {
    const { d, k } = await ftAssociated();
    await expect(d.auth({ bssid: AP2, freq: 2437, ssid: Buffer.from('ap'), algorithm: 'ft', data: COMMIT_BODY })).rejects.toThrow(/algorithm 3, expected 2/);
    expect(k.take()).toEqual([]);
  });

  it('the roam: the local DISCONNECT of the old AP is not news, the AP\'s FT Authentication frame is auth_rx, roam() is ASSOCIATE with PREV_BSSID and the FT elements in place of the RSNE and MDE (byte-exact), never CONNECT; its event is the roam\'s assoc', async () => {
    const { d, k } = await ftAssociated();
    const gone = next(d, 'disconnected');
    const rx = next(d, 'auth_rx');
    const assoc = next(d, 'assoc');
    await d.auth({ bssid: AP2, freq: 2437, ssid: Buffer.from('ap'), algorithm: 'ft', data: FT_AUTH_BODY });
    k.take();
    // mac80211 leaves the old AP for the new authentication ("disconnect from AP ... for new auth").
    k.event(CMD.DEAUTHENTICATE, nla(A.FRAME, mgmt('c000', AP, hex('0300'))));
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(3)));
    expect(gone).toEqual([]);
    const reply = cat(hex('0200 0200 0000'), FT_AUTH_IES);
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP2, reply)));
    expect(rx).toEqual([[{ bssid: AP2, data: reply, status: 0 }]]);
    await d.roam(AP2, { ies: FT_REASSOC_IES });
    expect(k.take()).toEqual([
      {
        cmd: CMD.ASSOCIATE,
        data: cat(
          nla(A.IFINDEX, u32(IFINDEX)),
          flag(A.SOCKET_OWNER),
          nla(A.MAC, hex(AP2)),
          nla(A.WIPHY_FREQ, u32(2437)),
          nla(A.SSID, Buffer.from('ap')),
          nla(A.IE, cat(FT_REASSOC_IES, EXT_CAPAB)),
          nla(A.WPA_VERSIONS, u32(2)),
          nla(A.CIPHER_SUITES_PAIRWISE, u32(0x000fac04)),
          nla(A.CIPHER_SUITE_GROUP, u32(0x000fac04)),
          nla(A.AKM_SUITES, u32(0x000fac04)),
          flag(A.CONTROL_PORT),
          flag(A.CONTROL_PORT_OVER_NL80211),
          nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)),
          flag(A.CONTROL_PORT_NO_PREAUTH),
          nla(A.PREV_BSSID, hex(AP)),
        ),
      },
    ]);
    const respIes = cat(RESP_IES, FT_REASSOC_IES);
    k.event(CMD.ASSOCIATE, nla(A.WIPHY_FREQ, u32(2437)), nla(A.FRAME, assocResp(AP2, 0, respIes)), nla(A.REQ_IE, FT_REASSOC_IES));
    // cfg80211's CONNECT event after the ASSOCIATE event is not reported again.
    k.event(CMD.CONNECT, ...connectEvent(AP2));
    expect(assoc.map(([a]) => [a.bssid, a.freq, a.roam])).toEqual([[AP2, 2437, true]]);
    expect(assoc[0]![0].respIes).toEqual(respIes);
    expect(gone).toEqual([]);
    expect(d.smeAssociated).toBe(true);
  });

  it('roam() with FT elements but no FT Authentication with that BSS is refused, nothing sent; a refused reassociation loses the old association', async () => {
    const { d, k } = await ftAssociated();
    await expect(d.roam(AP2, { ies: FT_REASSOC_IES })).rejects.toThrow(/no FT Authentication with/);
    expect(k.take()).toEqual([]);
    const gone = next(d, 'disconnected');
    const reject = next(d, 'assoc_reject');
    await d.auth({ bssid: AP2, freq: 2437, ssid: Buffer.from('ap'), algorithm: 'ft', data: FT_AUTH_BODY });
    k.event(CMD.DISCONNECT, nla(A.REASON_CODE, u16(3)));
    await d.roam(AP2, { ies: FT_REASSOC_IES });
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP2, 53, Buffer.alloc(0))));
    expect(reject).toEqual([[{ bssid: AP2, status: 53, timeout: false }]]);
    expect(gone).toEqual([[{ bssid: AP, reason: 2, locallyGenerated: true }]]);
  });
});

// enum nl80211_wowlan_triggers; enum nl80211_rekey_data.
const TRIG = { ANY: 1, DISCONNECT: 2, MAGIC_PKT: 3, PKT_PATTERN: 4, GTK_REKEY_SUPPORTED: 5, GTK_REKEY_FAILURE: 6, EAP_IDENT_REQUEST: 7, FOUR_WAY_HANDSHAKE: 8, RFKILL_RELEASE: 9, TCP_CONNECTION: 14 };
const REKEY_REPLAY_CTR = 3;

describe('nl80211 backend: WoWLAN, suspend and resume', () => {
  /** A wiphy with WoWLAN: every trigger 2.10 names but rfkill_release, and GTK rekey offload. */
  const withWowlan = (): FakeKernel => {
    const k = new FakeKernel();
    k.wowlan = cat(...[TRIG.ANY, TRIG.DISCONNECT, TRIG.MAGIC_PKT, TRIG.GTK_REKEY_SUPPORTED, TRIG.GTK_REKEY_FAILURE, TRIG.EAP_IDENT_REQUEST, TRIG.FOUR_WAY_HANDSHAKE].map(flag));
    return k;
  };

  it('wowlan_triggers: SET_WOWLAN with the flags nested in ATTR_WOWLAN_TRIGGERS in 2.10\'s order, whatever the words\' order and blanks (byte-exact)', async () => {
    const { d, k } = await up(withWowlan());
    k.take();
    await d.setWowlan('four_way_handshake  disconnect\tgtk_rekey_failure any');
    expect(k.take()).toEqual([{
      cmd: CMD.SET_WOWLAN,
      data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.WOWLAN_TRIGGERS, cat(flag(TRIG.ANY), flag(TRIG.DISCONNECT), flag(TRIG.GTK_REKEY_FAILURE), flag(TRIG.FOUR_WAY_HANDSHAKE)))),
    }]);
    await d.setWowlan('magic_pkt eap_identity_req');
    expect(k.take()).toEqual([{ cmd: CMD.SET_WOWLAN, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.WOWLAN_TRIGGERS, cat(flag(TRIG.MAGIC_PKT), flag(TRIG.EAP_IDENT_REQUEST)))) }]);
  });

  it('one word the wiphy does not take, or does not exist, and nothing is sent, said at debug level as 2.10 says it; a wiphy without WoWLAN (hwsim) takes none', async () => {
    const was = logLevel();
    setLogLevel(MsgLevel.DEBUG);
    const lines: string[] = [];
    const stop = onLog((_l, text) => lines.push(text));
    try {
      const { d, k } = await up(withWowlan());
      k.take();
      await d.setWowlan('disconnect rfkill_release');
      await d.setWowlan('disconnect gtk_rekey');
      expect(k.take()).toEqual([]);
      await d.close();
      const bare = await up();
      bare.k.take();
      await bare.d.setWowlan('disconnect');
      expect(bare.k.take()).toEqual([]);
    } finally {
      stop();
      setLogLevel(was);
    }
    expect(lines.filter((l) => l.includes('wowlan trigger'))).toEqual([
      "Unknown/unsupported wowlan trigger 'rfkill_release'",
      "Unknown/unsupported wowlan trigger 'gtk_rekey'",
      "Unknown/unsupported wowlan trigger 'disconnect'",
    ]);
  });

  it('a kernel refusal of SET_WOWLAN is an error for the caller', async () => {
    const { d, k } = await up(withWowlan());
    k.refuse.set(CMD.SET_WOWLAN, 'EINVAL');
    await expect(d.setWowlan('disconnect')).rejects.toThrow(/EINVAL/);
  });

  it('getWowlan: GET_WOWLAN for the interface (byte-exact); enabled only when the reply carries ATTR_WOWLAN_TRIGGERS; a refusal (a wiphy without WoWLAN) is disabled, as 2.10\'s nl80211_get_wowlan()', async () => {
    const { d, k } = await up(withWowlan());
    k.take();
    k.replies.set(CMD.GET_WOWLAN, [{ cmd: CMD.GET_WOWLAN, data: cat(nla(A.WIPHY, u32(0)), nla(A.WOWLAN_TRIGGERS, flag(TRIG.DISCONNECT))) }]);
    expect(await d.getWowlan()).toBe(true);
    expect(k.take()).toEqual([{ cmd: CMD.GET_WOWLAN, data: nla(A.IFINDEX, u32(IFINDEX)) }]);
    k.replies.set(CMD.GET_WOWLAN, [{ cmd: CMD.GET_WOWLAN, data: nla(A.WIPHY, u32(0)) }]);
    expect(await d.getWowlan()).toBe(false);
    k.refuse.set(CMD.GET_WOWLAN, 'EOPNOTSUPP');
    expect(await d.getWowlan()).toBe(false);
  });

  it('suspend sends nothing (2.10\'s nl80211 has no suspend op); resume sets the interface up, as 2.10\'s wpa_driver_nl80211_resume()', async () => {
    const { d, k } = await up(withWowlan());
    k.take();
    k.upCalls = [];
    await d.suspend();
    expect(k.take()).toEqual([]);
    expect(k.upCalls).toEqual([]);
    await d.resume();
    expect(k.upCalls).toEqual([true]);
  });

  it('the kernel\'s wake-up report (SET_WOWLAN event) is wake with its reason; one without reasons is not WoWLAN\'s', async () => {
    const { d, k } = await up(withWowlan());
    const wake = next(d, 'wake');
    k.event(CMD.SET_WOWLAN, nla(A.WOWLAN_TRIGGERS, flag(TRIG.GTK_REKEY_FAILURE)));
    k.event(CMD.SET_WOWLAN, nla(A.WOWLAN_TRIGGERS, flag(TRIG.FOUR_WAY_HANDSHAKE)));
    k.event(CMD.SET_WOWLAN, nla(A.WOWLAN_TRIGGERS, flag(TRIG.DISCONNECT)));
    k.event(CMD.SET_WOWLAN, nla(A.WOWLAN_TRIGGERS, nla(TRIG.PKT_PATTERN, u32(0))));
    k.event(CMD.SET_WOWLAN, nla(A.WOWLAN_TRIGGERS, flag(TRIG.TCP_CONNECTION)));
    k.event(CMD.SET_WOWLAN);
    expect(wake.map(([w]) => w.reason)).toEqual(['gtk_rekey_failure', 'four_way_handshake', 'disconnect', 'pattern', 'other']);
  });

  it('the GTK rekey offload notification (SET_REKEY_OFFLOAD event, REKEY_DATA_REPLAY_CTR) is gtk_rekey, in the kernel\'s order before or after a roam event', async () => {
    const { d, k } = await up(withWowlan());
    const order: string[] = [];
    d.on('gtk_rekey', (g) => order.push(`gtk_rekey ${g.bssid} ${g.replayCtr.toString('hex')}`));
    d.on('assoc', (a) => order.push(`assoc ${a.bssid}${a.roam ? ' roam' : ''}`));
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    const rekey = (bssid: string, ctr: string): void => k.event(CMD.SET_REKEY_OFFLOAD, nla(A.MAC, hex(bssid)), nla(A.REKEY_DATA, nla(REKEY_REPLAY_CTR, hex(ctr))));
    rekey(AP, '0000000000000005');
    // The firmware's group rekey with the BSS it roamed to, reported before the roam itself.
    rekey(AP2, '0000000000000009');
    k.event(CMD.ROAM, ...connectEvent(AP2));
    rekey(AP2, '000000000000000a');
    // A counter that is not 8 bytes is dropped, never thrown.
    k.event(CMD.SET_REKEY_OFFLOAD, nla(A.MAC, hex(AP2)), nla(A.REKEY_DATA, nla(REKEY_REPLAY_CTR, hex('0001'))));
    expect(order).toEqual([
      `assoc ${AP}`,
      `gtk_rekey ${AP} 0000000000000005`,
      `gtk_rekey ${AP2} 0000000000000009`,
      `assoc ${AP2} roam`,
      `gtk_rekey ${AP2} 000000000000000a`,
    ]);
  });
});

describe('nl80211 backend: DRIVER commands', () => {
  it('none, as wpa_supplicant 2.10 built without ANDROID (no DRIVER command: the control interface answers UNKNOWN COMMAND)', async () => {
    const { d } = await up();
    await expect(d.driverCmd('MACADDR')).rejects.toThrow(NoDriverCommandsError);
    await expect(d.driverCmd('COUNTRY DE')).rejects.toThrow(/no DRIVER commands/);
  });
});

describe('nl80211 backend: [driver] assume_4way_offload (a radio taken to run the handshake silently)', () => {
  const PMK = Buffer.alloc(32, 0x5a);
  const msg1 = (k: FakeKernel): void => k.event(CMD.CONTROL_PORT_FRAME, nla(A.FRAME, hex('0203005f')), nla(A.MAC, hex(AP)), nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)));

  it('psk: the capability is reported although the wiphy lacks it, with a WARNING at link up; off, nothing changes', async () => {
    const warnings: string[] = [];
    const off = onLog((level, text) => void (level === MsgLevel.WARNING && warnings.push(text)));
    try {
      const { hello } = await up(new FakeKernel(), 'auto', ['psk']);
      expect(hello.capabilities.four_way_psk).toBe(true);
      expect(warnings.join('\n')).toMatch(/assume_4way_offload: phy#0 is treated as running the 4-way handshake \(psk\)/);
      await driver?.close();
      warnings.length = 0;
      expect((await up()).hello.capabilities.four_way_psk).toBe(false);
      expect(warnings).toEqual([]);
    } finally {
      off();
    }
  });

  it('a PSK connect handed to the "firmware": CONNECT without ATTR_PMK (the kernel would refuse it); the AP\'s EAPOL frames are dropped until the host sends one', async () => {
    const { d, k } = await up(new FakeKernel(), 'auto', ['psk']);
    const rx = next(d, 'eapol_rx');
    k.take();
    await d.connect({ ...WPA2, pmk: PMK, fourWayOffload: true });
    const [c] = k.take();
    expect(c.cmd).toBe(CMD.CONNECT);
    // Byte-exact the CONNECT of a connection without offload.
    await d.connect(WPA2);
    expect(k.take()[0]).toEqual(c);
    await d.connect({ ...WPA2, pmk: PMK, fourWayOffload: true });
    k.event(CMD.CONNECT, ...connectEvent(AP));
    msg1(k);
    msg1(k);
    expect(rx).toEqual([]);
    // The take-back's EAPOL-Start: from now on the AP's frames reach the host.
    await d.txEapol(AP, hex('01010000'));
    msg1(k);
    expect(rx).toEqual([[{ src: AP, data: hex('0203005f') }]]);
  });

  it('a connection without offload (the host took back, or policy) is not silenced', async () => {
    const { d, k } = await up(new FakeKernel(), 'auto', ['psk']);
    const rx = next(d, 'eapol_rx');
    await d.connect({ ...WPA2, pmk: PMK, fourWayOffload: true });
    k.event(CMD.CONNECT, ...connectEvent(AP));
    msg1(k);
    await d.connect(WPA2);
    k.event(CMD.CONNECT, ...connectEvent(AP));
    msg1(k);
    expect(rx).toEqual([[{ src: AP, data: hex('0203005f') }]]);
  });

  it('a radio that does advertise the handshake is left alone (its CONNECT keeps ATTR_PMK)', async () => {
    const k = new FakeKernel();
    // EXT_FEATURES bit 15 (4WAY_HANDSHAKE_STA_PSK) besides the control port.
    k.ext = Buffer.from([0, 0x80, 0, 0x04, 0, 0, 0, 0]);
    const { d, hello } = await up(k, 'auto', ['psk']);
    expect(hello.capabilities.four_way_psk).toBe(true);
    k.take();
    await d.connect({ ...WPA2, pmk: PMK, fourWayOffload: true });
    expect(parseAttrs(k.take()[0].data).has(A.PMK)).toBe(true);
  });

  it('sae on a wiphy without NL80211_FEATURE_SAE is not assumed, with a WARNING saying why', async () => {
    const warnings: string[] = [];
    const off = onLog((level, text) => void (level === MsgLevel.WARNING && warnings.push(text)));
    try {
      const { hello } = await up(new FakeKernel(), 'auto', ['sae']);
      expect(hello.capabilities.sae_offload).toBe(false);
      expect(warnings.join('\n')).toMatch(/assume_4way_offload = sae needs a radio that takes SAE frames from user space/);
    } finally {
      off();
    }
  });

  it('sae: sae_offload reported on a wiphy with NL80211_FEATURE_SAE; a PMKSA-cached connect goes through the host SME without the password; without a PMKSA it is refused', async () => {
    const k = new FakeKernel();
    k.features = FEATURE_SAE;
    const { d, hello } = await up(k, 'auto', ['sae']);
    expect(hello.capabilities.sae_offload).toBe(true);
    expect(hello.capabilities.four_way_psk).toBe(false);
    const rx = next(d, 'eapol_rx');
    k.take();
    const sae = { password: Buffer.from('secret-password'), pwe: 0 as const };
    await expect(d.connect({ ...SAE, sae, fourWayOffload: true })).rejects.toThrow(/needs a cached PMKSA/);
    expect(k.take()).toEqual([]);
    await d.connect({ ...SAE, sae, pmk: PMK, pmkid: Buffer.alloc(16, 1), fourWayOffload: true });
    expect(k.take().map((s) => [s.cmd, s.data.includes(Buffer.from('secret-password'))])).toEqual([[CMD.AUTHENTICATE, false]]);
    k.event(CMD.AUTHENTICATE, nla(A.FRAME, authFrame(AP, hex('0000 0200 0000'))));
    await new Promise((r) => setImmediate(r));
    k.event(CMD.ASSOCIATE, nla(A.FRAME, assocResp(AP, 0, RESP_IES)));
    msg1(k);
    expect(rx).toEqual([]);
  });
});

