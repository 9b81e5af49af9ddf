/**
 * NL80211_CMD_EXTERNAL_AUTH: a connect-style wiphy (no AUTHENTICATE command)
 * with NL80211_FEATURE_SAE and no SAE offload asks the host to run SAE once
 * CONNECT is under way. mac80211_hwsim never does (it has AUTHENTICATE), so
 * the kernel is played here: every request is recorded and compared byte for
 * byte with attributes built by hand from nl80211.h's numbers (nla.ts), and
 * the kernel's events are built the same way. The last test runs the whole
 * path in process: the real station and key path on the nl80211 backend,
 * the driver played by this kernel, the AP's side of SAE by the in-repo SAE
 * authenticator (src/rsn/sae/authenticator.ts) and its 4-way handshake by the
 * in-repo EAPOL-Key authenticator (src/rsn/authenticator.ts).
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { HelloResult } from '../../../src/driver/backend.js';
import type { GenlMessage } from '../../../src/driver/nl80211/attrs.js';
import { Nl80211Driver } from '../../../src/driver/nl80211/backend.js';
import type { EapolTransport } from '../../../src/driver/nl80211/eapol-transport.js';
import { Authenticator } from '../../../src/rsn/authenticator.js';
import { SaeApPeer } from '../../../src/rsn/sae/authenticator.js';
import { Inproc } from '../../offload/inproc.js';
import { FakeNl80211Kernel, IFINDEX, type Sent } from './fake-kernel.js';
import { cat, flag, hex, nla, u16, u32, u8 } from './nla.js';

// nl80211.h: enum nl80211_commands.
const CMD = {
  GET_WIPHY: 1, NEW_WIPHY: 3, GET_INTERFACE: 5, NEW_INTERFACE: 7, GET_SCAN: 32, TRIGGER_SCAN: 33, NEW_SCAN_RESULTS: 34,
  AUTHENTICATE: 37, CONNECT: 46, DISCONNECT: 48, REGISTER_FRAME: 58, FRAME: 59, GET_WOWLAN: 73, EXTERNAL_AUTH: 127, CONTROL_PORT_FRAME: 129,
};
// enum nl80211_attrs.
const A = {
  WIPHY: 1, IFINDEX: 3, IFNAME: 4, MAC: 6, IE: 42, BSS: 47, SUPPORTED_COMMANDS: 50, FRAME: 51, SSID: 52, AUTH_TYPE: 53, WIPHY_FREQ: 38,
  USE_MFP: 66, CONTROL_PORT: 68, PRIVACY: 70, STATUS_CODE: 72, CIPHER_SUITES_PAIRWISE: 73, CIPHER_SUITE_GROUP: 74, WPA_VERSIONS: 75,
  AKM_SUITES: 76, REQ_IE: 77, RESP_IE: 78, PMKID: 85, FRAME_MATCH: 91, FRAME_TYPE: 101, CONTROL_PORT_ETHERTYPE: 102,
  WOWLAN_TRIGGERS: 117, DONT_WAIT_FOR_ACK: 142, FEATURE_FLAGS: 143, SOCKET_OWNER: 204, EXT_FEATURES: 217, BSSID: 245, EXTERNAL_AUTH_ACTION: 260,
  EXTERNAL_AUTH_SUPPORT: 261, CONTROL_PORT_OVER_NL80211: 264, CONTROL_PORT_NO_PREAUTH: 286, SAE_PWE: 298,
};
// enum nl80211_bss; enum nl80211_external_auth_action; NL80211_FEATURE_SAE; NL80211_MFP_REQUIRED.
const BSS = { BSSID: 1, FREQUENCY: 2, BEACON_INTERVAL: 4, CAPABILITY: 5, INFORMATION_ELEMENTS: 6, SIGNAL_MBM: 7 };
const EXT_AUTH = { START: 0, ABORT: 1 };
// enum nl80211_sae_pwe_mechanism.
const SAE_PWE = { HUNT_AND_PECK: 1, HASH_TO_ELEMENT: 2, BOTH: 3 };
const FEATURE_SAE = 1 << 5;
const MFP_REQUIRED = 1;
// EXT_FEATURES with bit 26 (CONTROL_PORT_OVER_NL80211): byte 3, bit 2; no SAE_OFFLOAD (bit 38).
const EXT_CONTROL_PORT = Buffer.from([0, 0, 0, 0x04, 0, 0]);
/** The SAE AKM 00-0f-ac:8 as the u32 value 0x000fac08, and as 2.10 reads it (octets 00 0f ac 08). */
const AKM_SAE = u32(0x000fac08);
const AKM_SAE_2_10 = hex('000fac08');

const AP = '02:00:00:00:00:00';
const OWN = '02:00:00:00:01:00';
const SSID = 'ext-auth';
const PASSWORD = 'external authentication';
const FREQ = 2412;
/** The AP's RSNE: CCMP, AKM SAE, MFP capable and required (RSN capabilities 0x00c0). */
const AP_RSNE = hex('3014 0100 000fac04 0100 000fac04 0100 000fac08 c000');
const BEACON_IES = cat(Buffer.from([0, SSID.length]), Buffer.from(SSID), hex('010482848b96'), AP_RSNE);

/** IEEE 802.11 management header of an Authentication frame (frame control 0x00b0). */
function authHeader(da: string, sa: string, bssid: string, seq: number): Buffer {
  return cat(hex('b000 0000'), hex(da), hex(sa), hex(bssid), u16(seq << 4));
}

/** The top-level attributes of a request, read by hand (struct nlattr: u16 len, u16 type, payload, padding to 4). */
function attrList(data: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  for (let o = 0; o + 4 <= data.length; ) {
    const len = data.readUInt16LE(o);
    out.push([data.readUInt16LE(o + 2) & 0x3fff, data.subarray(o + 4, o + len)]);
    o += (len + 3) & ~3;
  }
  return out;
}
const attrTypes = (data: Buffer): number[] => attrList(data).map(([t]) => t);
const attrOf = (data: Buffer, type: number): Buffer | undefined => attrList(data).find(([t]) => t === type)?.[1];

/**
 * A connect-style wiphy's kernel and driver: interface and wiphy dumps, a
 * scan with one SAE BSS, every request recorded; with `ap` set, the driver
 * and the AP play the connection (CONNECT -> EXTERNAL_AUTH start, the host's
 * CMD_FRAMEs to the AP's SAE, the AP's answers as CMD_FRAME events, the
 * host's EXTERNAL_AUTH status -> CONNECT event, then EAPOL over the control port).
 */
class ConnectStyleKernel extends FakeNl80211Kernel {
  /** The AP's side, once the test sets it up. */
  ap: { sae: SaeApPeer; pmk?: Buffer; pmkid?: Buffer; fourWay?: Authenticator } | undefined;
  staRsne: Buffer | undefined;
  apFrames = 0;
  connected = false;
  /** The driver gives its request up at once (EXTERNAL_AUTH abort) instead of starting it. */
  abort = false;
  /** GET_WOWLAN's reply carries triggers (NL80211_WOWLAN_TRIG_DISCONNECT): WoWLAN is enabled on the wiphy. */
  wowlanEnabled = false;

  constructor() {
    super('wlan0', OWN, 'qcacld');
  }

  protected override reply(cmd: number, data: Buffer): GenlMessage[] {
    queueMicrotask(() => this.play(cmd, data));
    if (cmd === CMD.GET_WOWLAN) return [{ cmd: CMD.GET_WOWLAN, data: cat(nla(A.WIPHY, u32(0)), ...(this.wowlanEnabled ? [nla(A.WOWLAN_TRIGGERS, flag(2))] : [])) }];
    return [];
  }

  protected override wiphy(): Buffer[] {
    // A FullMAC driver's commands: CONNECT and DISCONNECT, no AUTHENTICATE (2.10: no WPA_DRIVER_FLAGS_SME).
    const commands = nla(A.SUPPORTED_COMMANDS, cat(nla(1, u32(CMD.CONNECT)), nla(2, u32(CMD.DISCONNECT))));
    return [nla(A.EXT_FEATURES, EXT_CONTROL_PORT), nla(A.FEATURE_FLAGS, u32(FEATURE_SAE)), commands];
  }

  protected override scanResults(): Buffer[] {
    const bss = nla(A.BSS, cat(
      nla(BSS.BSSID, hex(AP)), nla(BSS.FREQUENCY, u32(FREQ)), nla(BSS.BEACON_INTERVAL, u16(100)), nla(BSS.CAPABILITY, u16(0x0011)),
      nla(BSS.INFORMATION_ELEMENTS, BEACON_IES), nla(BSS.SIGNAL_MBM, u32(-4000)),
    ));
    return [cat(nla(A.IFINDEX, u32(IFINDEX)), bss)];
  }

  openPacketEapol(): EapolTransport {
    throw new Error('the control port is over nl80211 here');
  }

  /** The driver and the AP, when the test has set the AP up. */
  private play(cmd: number, data: Buffer): void {
    const ap = this.ap;
    if (!ap) return;
    const attrs = new Map(attrList(data));
    if (cmd === CMD.TRIGGER_SCAN) this.event(CMD.NEW_SCAN_RESULTS);
    else if (cmd === CMD.CONNECT) {
      this.staRsne = attrs.get(A.IE);
      this.event(CMD.EXTERNAL_AUTH, nla(A.BSSID, hex(AP)), nla(A.SSID, Buffer.from(SSID)), nla(A.AKM_SUITES, AKM_SAE), nla(A.EXTERNAL_AUTH_ACTION, u32(this.abort ? EXT_AUTH.ABORT : EXT_AUTH.START)));
    } else if (cmd === CMD.FRAME) {
      for (const a of ap.sae.receive((attrs.get(A.FRAME) as Buffer).subarray(24))) {
        if (a.kind === 'send') this.event(CMD.FRAME, nla(A.WIPHY_FREQ, u32(FREQ)), nla(A.FRAME, cat(authHeader(OWN, AP, AP, ++this.apFrames), a.frame)));
        if (a.kind === 'accepted') Object.assign(ap, { pmk: a.pmk, pmkid: a.pmkid });
      }
    } else if (cmd === CMD.EXTERNAL_AUTH && (attrs.get(A.STATUS_CODE) as Buffer).readUInt16LE(0) === 0 && ap.pmk) {
      this.event(CMD.CONNECT, nla(A.MAC, hex(AP)), nla(A.STATUS_CODE, u16(0)), nla(A.REQ_IE, this.staRsne as Buffer), nla(A.RESP_IE, hex('010482848b96')), nla(A.WIPHY_FREQ, u32(FREQ)));
      ap.fourWay = new Authenticator({
        akm: 'SAE', pairwise: 'CCMP', group: 'CCMP', mfp: true, pmk: ap.pmk, pmkid: ap.pmkid, aa: AP, spa: OWN,
        apRsne: AP_RSNE, staRsne: this.staRsne as Buffer, gtk: { key: Buffer.alloc(16, 0x47), idx: 1 }, igtk: { key: Buffer.alloc(16, 0x49), idx: 4 },
      });
      this.eapol(ap.fourWay.start());
    } else if (cmd === CMD.CONTROL_PORT_FRAME && ap.fourWay) {
      const r = ap.fourWay.receive(attrs.get(A.FRAME) as Buffer);
      for (const f of r.tx) this.eapol(f);
      if (r.event === '4way-complete') this.connected = true;
    }
  }

  private eapol(frame: Buffer): void {
    this.event(CMD.CONTROL_PORT_FRAME, nla(A.MAC, hex(AP)), nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)), nla(A.FRAME, frame));
  }
}

let driver: Nl80211Driver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

async function up(k = new ConnectStyleKernel()): Promise<{ d: Nl80211Driver; k: ConnectStyleKernel; hello: HelloResult }> {
  const d = new Nl80211Driver('wlan0', k);
  driver = d;
  const hello = once(d, 'link_up') as Promise<[HelloResult]>;
  d.start();
  const [h] = await hello;
  return { d, k, hello: h };
}

const SAE_CONNECT = {
  bssid: AP, ssid: Buffer.from(SSID), freq: FREQ, ies: hex('3014 0100 000fac04 0100 000fac04 0100 000fac08 c000'),
  akm: 'SAE', pairwise: 'CCMP', group: 'CCMP', mfp: 'required' as const,
};

describe('nl80211 external authentication: the kernel messages', () => {
  it('a wiphy with NL80211_FEATURE_SAE and no AUTHENTICATE takes SAE by external authentication (not the host SME); the SAE Authentication frames are registered for (byte-exact)', async () => {
    const { k, hello } = await up();
    expect([hello.capabilities.sae_auth, hello.capabilities.sae_external_auth]).toEqual([false, true]);
    // 2.10's nl80211_mgmt_subscribe_non_ap(): frame type Authentication (0x00b0), match the SAE algorithm number (03 00).
    expect(k.take().filter((s) => s.cmd === CMD.REGISTER_FRAME)).toEqual([
      { cmd: CMD.REGISTER_FRAME, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.FRAME_TYPE, u16(0x00b0)), nla(A.FRAME_MATCH, hex('0300'))) },
    ]);
  });

  it('CONNECT for SAE carries EXTERNAL_AUTH_SUPPORT after CONTROL_PORT, as 2.10\'s nl80211_connect_common(), and SAE_PWE after USE_MFP, as its try_connect() (byte-exact); a PSK CONNECT neither', async () => {
    const { d, k } = await up();
    k.take();
    await d.connect({ ...SAE_CONNECT, saePwe: 0 });
    expect(k.take()).toEqual([{
      cmd: CMD.CONNECT,
      data: cat(
        nla(A.IFINDEX, u32(IFINDEX)), flag(A.SOCKET_OWNER), nla(A.MAC, hex(AP)), nla(A.WIPHY_FREQ, u32(FREQ)), nla(A.SSID, Buffer.from(SSID)),
        nla(A.IE, SAE_CONNECT.ies), nla(A.WPA_VERSIONS, u32(2)), nla(A.CIPHER_SUITES_PAIRWISE, hex('04ac0f00')), nla(A.CIPHER_SUITE_GROUP, hex('04ac0f00')),
        nla(A.AKM_SUITES, hex('08ac0f00')), flag(A.CONTROL_PORT), flag(A.EXTERNAL_AUTH_SUPPORT), nla(A.USE_MFP, u32(MFP_REQUIRED)),
        nla(A.SAE_PWE, u8(SAE_PWE.HUNT_AND_PECK)), nla(A.AUTH_TYPE, u32(0)),
        flag(A.PRIVACY), flag(A.CONTROL_PORT_OVER_NL80211), nla(A.CONTROL_PORT_ETHERTYPE, u16(0x888e)), flag(A.CONTROL_PORT_NO_PREAUTH),
      ),
    }]);
    await d.connect({ ...SAE_CONNECT, akm: 'WPA-PSK', ies: hex('3014 0100 000fac04 0100 000fac04 0100 000fac02 0000'), mfp: 'none' });
    const psk = k.take()[0].data;
    expect(psk.includes(flag(A.EXTERNAL_AUTH_SUPPORT))).toBe(false);
    expect(attrTypes(psk)).not.toContain(A.SAE_PWE);
  });

  it('the SAE_PWE of an SAE CONNECT is 2.10\'s nl80211_put_sae_pwe() mapping of sae_pwe: 1 hash-to-element, 2 both, 3 (its test mode) none', async () => {
    const { d, k } = await up();
    k.take();
    const pweOf = async (saePwe: number): Promise<Buffer | undefined> => {
      await d.connect({ ...SAE_CONNECT, saePwe });
      return attrOf(k.take()[0].data, A.SAE_PWE);
    };
    expect(await pweOf(1)).toEqual(u8(SAE_PWE.HASH_TO_ELEMENT));
    expect(await pweOf(2)).toEqual(u8(SAE_PWE.BOTH));
    expect(await pweOf(3)).toBeUndefined();
  });

  it('the EXTERNAL_AUTH event (start, abort) is external_auth, for the SAE AKM in either byte order; another AKM, or one without BSSID or SSID, is dropped', async () => {
    const { d, k } = await up();
    const got: string[] = [];
    d.on('external_auth', (e) => got.push(`${e.action} ${e.bssid} ${e.ssid.toString()}`));
    const ev = (akm: Buffer, action: number, ...drop: number[]): void =>
      k.event(CMD.EXTERNAL_AUTH, ...[nla(A.BSSID, hex(AP)), nla(A.SSID, Buffer.from(SSID)), nla(A.AKM_SUITES, akm), nla(A.EXTERNAL_AUTH_ACTION, u32(action))].filter((_, i) => !drop.includes(i)));
    ev(AKM_SAE, EXT_AUTH.START);
    ev(AKM_SAE_2_10, EXT_AUTH.ABORT);
    ev(u32(0x000fac02), EXT_AUTH.START);
    ev(AKM_SAE, EXT_AUTH.START, 0);
    ev(AKM_SAE, EXT_AUTH.START, 1);
    ev(AKM_SAE, 7);
    expect(got).toEqual([`start ${AP} ${SSID}`, `abort ${AP} ${SSID}`]);
  });

  it('during external authentication an SAE frame goes out as CMD_FRAME (channel, no ACK wait, our header with the exchange\'s sequence number; byte-exact), the AP\'s come back from CMD_FRAME events as auth_rx; the status is CMD_EXTERNAL_AUTH', async () => {
    const { d, k } = await up();
    const rx: string[] = [];
    d.on('auth_rx', (e) => rx.push(`${e.bssid} ${e.status} ${e.data.toString('hex')}`));
    await d.connect(SAE_CONNECT);
    k.event(CMD.EXTERNAL_AUTH, nla(A.BSSID, hex(AP)), nla(A.SSID, Buffer.from(SSID)), nla(A.AKM_SUITES, AKM_SAE), nla(A.EXTERNAL_AUTH_ACTION, u32(EXT_AUTH.START)));
    k.take();
    const commit = hex('0300 0100 0000 1300 aabb');
    const confirm = hex('0300 0200 0000 0100 ccdd');
    await d.auth({ bssid: AP, freq: FREQ, ssid: Buffer.from(SSID), algorithm: 'sae', data: commit });
    await d.auth({ bssid: AP, freq: FREQ, ssid: Buffer.from(SSID), algorithm: 'sae', data: confirm });
    expect(k.take()).toEqual([
      { cmd: CMD.FRAME, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.WIPHY_FREQ, u32(FREQ)), flag(A.DONT_WAIT_FOR_ACK), nla(A.FRAME, cat(authHeader(AP, OWN, AP, 1), commit))) },
      { cmd: CMD.FRAME, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.WIPHY_FREQ, u32(FREQ)), flag(A.DONT_WAIT_FOR_ACK), nla(A.FRAME, cat(authHeader(AP, OWN, AP, 2), confirm))) },
    ]);
    k.event(CMD.FRAME, nla(A.WIPHY_FREQ, u32(FREQ)), nla(A.FRAME, cat(authHeader(OWN, AP, AP, 1), hex('0300 0100 0000 1300 eeff'))));
    // Another BSS's Authentication frame is not this exchange's.
    k.event(CMD.FRAME, nla(A.FRAME, cat(authHeader(OWN, '02:00:00:00:09:00', '02:00:00:00:09:00', 1), hex('0300 0100 0000 1300'))));
    expect(rx).toEqual([`${AP} 0 0300010000001300eeff`]);
    await d.externalAuthStatus({ bssid: AP, ssid: Buffer.from(SSID), status: 0 });
    expect(k.take()).toEqual([{ cmd: CMD.EXTERNAL_AUTH, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.STATUS_CODE, u16(0)), nla(A.SSID, Buffer.from(SSID)), nla(A.BSSID, hex(AP))) }]);
    // The request is answered: a late frame of that BSS is no longer auth_rx.
    k.event(CMD.FRAME, nla(A.FRAME, cat(authHeader(OWN, AP, AP, 2), hex('0300 0200 0000 0100'))));
    expect(rx.length).toBe(1);
    // 2.10 sends a PMKID only with sae_pmkid_in_assoc; the encoding takes one.
    await d.externalAuthStatus({ bssid: AP, ssid: Buffer.from(SSID), status: 1, pmkid: Buffer.alloc(16, 0x11) });
    expect(k.take()[0].data).toEqual(cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.STATUS_CODE, u16(1)), nla(A.SSID, Buffer.from(SSID)), nla(A.PMKID, Buffer.alloc(16, 0x11)), nla(A.BSSID, hex(AP))));
  });
});

describe('nl80211 external authentication: the station on the backend, SAE against the in-repo AP side', () => {
  let rig: Inproc | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const conf = (password: string): string => `network={\n\tssid="${SSID}"\n\tkey_mgmt=SAE\n\tsae_password="${password}"\n\tieee80211w=2\n}\n`;

  async function start(stationPassword: string, abort = false, globals = ''): Promise<{ k: ConnectStyleKernel; r: Inproc }> {
    const k = new ConnectStyleKernel();
    k.abort = abort;
    k.ap = { sae: new SaeApPeer({ bssid: AP, staAddr: OWN, ssid: SSID, passwords: [{ password: PASSWORD }] }) };
    const d = new Nl80211Driver('wlan0', k);
    rig = await Inproc.start({ driver: d, conf: globals + conf(stationPassword) });
    return { k, r: rig };
  }

  it('the station\'s CONNECT carries the configured sae_pwe as NL80211_ATTR_SAE_PWE (sae_pwe=2: BOTH), as 2.10 gives every association its global sae_pwe', async () => {
    const { k, r } = await start(PASSWORD, true, 'sae_pwe=2\n');
    await r.run(1_000);
    const connect = k.sent.find((s) => s.cmd === CMD.CONNECT);
    expect(connect).toBeDefined();
    expect(attrOf((connect as Sent).data, A.SAE_PWE)).toEqual(u8(SAE_PWE.BOTH));
  });

  it('CONNECT, the driver\'s request, SAE over CMD_FRAME, status 0, the association and the 4-way handshake with SAE\'s PMK; the PMKSA is in the host\'s cache with the AP\'s PMKID', async () => {
    const { k, r } = await start(PASSWORD);
    await r.until(/CTRL-EVENT-CONNECTED/);
    expect(r.events.filter((e) => /Key negotiation completed/.test(e))).toHaveLength(1);
    // The AP takes message 4/4 after the station reported the connection.
    await r.run(10);
    const cmds = k.sent.map((s) => s.cmd);
    expect(cmds).toContain(CMD.CONNECT);
    expect(cmds.filter((c) => c === CMD.FRAME).length).toBe(2);
    expect(cmds).not.toContain(CMD.AUTHENTICATE);
    const status = k.sent.filter((s) => s.cmd === CMD.EXTERNAL_AUTH);
    expect(status.map((s) => s.data)).toEqual([cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.STATUS_CODE, u16(0)), nla(A.SSID, Buffer.from(SSID)), nla(A.BSSID, hex(AP)))]);
    expect(k.connected).toBe(true);
    const pmksa = r.pmksa.cache.list();
    expect(pmksa.map((e) => [e.aa, e.akm, e.pmkid.toString('hex'), e.pmk.toString('hex')])).toEqual([
      [AP, 'SAE', k.ap?.pmkid?.toString('hex'), k.ap?.pmk?.toString('hex')],
    ]);
    expect((await r.offload()).host_pmksa).toContain(k.ap?.pmkid?.toString('hex'));
  });

  it('a wrong password: the AP\'s confirm does not verify, status UNSPECIFIED_FAILURE goes to the driver, no PMKSA is cached', async () => {
    const { k, r } = await start('not the password');
    await r.run(5_000);
    const status = k.sent.filter((s) => s.cmd === CMD.EXTERNAL_AUTH);
    expect(status.length).toBeGreaterThan(0);
    expect(status[0].data).toEqual(cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.STATUS_CODE, u16(1)), nla(A.SSID, Buffer.from(SSID)), nla(A.BSSID, hex(AP))));
    expect(r.pmksa.cache.list()).toEqual([]);
    expect(k.connected).toBe(false);
  });

  describe('deinit (TERMINATE, SIGTERM, INTERFACE_REMOVE end in the station\'s terminate()) as 2.10\'s wpa_supplicant_deinit_iface()', () => {
    /** Connected, then terminated: the kernel requests and the events of the terminate. */
    async function terminateConnected(wowlanEnabled: boolean, globals = ''): Promise<{ cmds: number[]; events: string[] }> {
      const k = new ConnectStyleKernel();
      k.wowlanEnabled = wowlanEnabled;
      k.ap = { sae: new SaeApPeer({ bssid: AP, staAddr: OWN, ssid: SSID, passwords: [{ password: PASSWORD }] }) };
      const r = await Inproc.start({ driver: new Nl80211Driver('wlan0', k), conf: globals + conf(PASSWORD) });
      rig = r;
      await r.until(/CTRL-EVENT-CONNECTED/);
      await r.run(10);
      k.take();
      const from = r.mark();
      await r.stop();
      rig = undefined;
      return { cmds: k.take().map((s) => s.cmd), events: r.eventsFrom(from) };
    }

    it('WoWLAN enabled on the wiphy (GET_WOWLAN): the association is kept, no DISCONNECT, and monitors are told why', async () => {
      const { cmds, events } = await terminateConnected(true);
      expect(cmds).toContain(CMD.GET_WOWLAN);
      expect(cmds).not.toContain(CMD.DISCONNECT);
      expect(events).toEqual(['Do not deauthenticate as part of interface deinit since WoWLAN is enabled']);
    });

    it('WoWLAN enabled and wowlan_disconnect_on_deinit=1: the station leaves (DISCONNECT, CTRL-EVENT-DISCONNECTED)', async () => {
      const { cmds, events } = await terminateConnected(true, 'wowlan_disconnect_on_deinit=1\n');
      expect(cmds.filter((c) => c === CMD.GET_WOWLAN || c === CMD.DISCONNECT)).toEqual([CMD.GET_WOWLAN, CMD.DISCONNECT]);
      expect(events.some((e) => e.startsWith(`CTRL-EVENT-DISCONNECTED bssid=${AP} reason=3 locally_generated=1`))).toBe(true);
    });

    it('WoWLAN not enabled (no triggers in GET_WOWLAN\'s reply): the station leaves', async () => {
      const { cmds, events } = await terminateConnected(false);
      expect(cmds.filter((c) => c === CMD.GET_WOWLAN || c === CMD.DISCONNECT)).toEqual([CMD.GET_WOWLAN, CMD.DISCONNECT]);
      expect(events.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(true);
    });
  });

  it('the driver aborting its request is answered with UNSPECIFIED_FAILURE, as 2.10; no SAE frame goes out', async () => {
    const { k, r } = await start(PASSWORD, true);
    await r.run(1_000);
    expect(k.sent.filter((s) => s.cmd === CMD.FRAME)).toEqual([]);
    expect(k.sent.filter((s) => s.cmd === CMD.EXTERNAL_AUTH).map((s) => s.data)).toEqual([
      cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.STATUS_CODE, u16(1)), nla(A.SSID, Buffer.from(SSID)), nla(A.BSSID, hex(AP))),
    ]);
  });
});
