/**
 * nl80211 requests for the DriverBackend's operations, as attribute lists
 * (the socket layer adds the netlink and genl headers and the family id).
 * Values are checked here, before the kernel sees them: a wrong length is a
 * RangeError naming the field, never a silent truncation.
 */
import { akmFacts, akmFamily, cipherInfo, IEEE80211_OUI, suite32 } from '../../rsn/akm.js';
import { WLAN_EID_MDE } from '../../rsn/ft.js';
import { WLAN_AUTH_FT } from '../../rsn/ft-protocol.js';
import { WLAN_EID_RSN } from '../../rsn/rsne.js';
import type { AuthParams, ConnectParams, PmksaParams, RekeyData, ScanParams, SetKeyParams } from '../backend.js';
import { type AttrSpec, FLAG, macBuf, putU16, putU32, putU8 } from './attrs.js';
import { Attr, AuthType, Cmd, CqmAttr, ETH_P_PAE, KeyAttr, Mfp, OUI_QCA, QcaSubcmd, RekeyAttr, SaePwe, ScanFlag, StaFlag } from './numbers.js';

export interface Request {
  cmd: number;
  attrs: AttrSpec[];
}

const WPA_VERSION_2 = 2; // NL80211_WPA_VERSION_2
/** NL80211_WPA_VERSION_3: what 2.10 gives for an SAE AKM where the kernel has NL80211_ATTR_SAE_PASSWORD (added with it). */
const WPA_VERSION_3 = 4;
/** The kernel's NL80211_ATTR_SAE_PASSWORD policy: 1..SAE_PASSWORD_MAX_LEN octets. */
const SAE_PASSWORD_MAX_LEN = 128;
/** The global sae_pwe (0, 1, 2) as NL80211_ATTR_SAE_PWE (2.10's nl80211_put_sae_pwe()). */
const SAE_PWE_ATTR = [SaePwe.HUNT_AND_PECK, SaePwe.HASH_TO_ELEMENT, SaePwe.BOTH] as const;

/** Thrown, before anything is sent, for a connect nl80211 cannot express. */
export class ConnectEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectEncodeError';
  }
}

function lenIn(what: string, b: Buffer, lens: readonly number[]): Buffer {
  if (!lens.includes(b.length)) throw new RangeError(`${what}: ${b.length} bytes, expected ${lens.join(' or ')}`);
  return b;
}

function lenAtMost(what: string, b: Buffer, max: number): Buffer {
  if (b.length > max) throw new RangeError(`${what}: ${b.length} bytes, expected at most ${max}`);
  return b;
}

function akmSuite(akm: string): number {
  const info = akmFacts(akm);
  if (!info) throw new RangeError(`unknown AKM ${akm}`);
  return suite32(info.oui, info.selector);
}

const cipherSuite = (c: string): number => suite32(IEEE80211_OUI, cipherInfo(c).selector);

export interface ConnectOptions {
  /**
   * EAPOL over NL80211_CMD_CONTROL_PORT_FRAME (the wiphy's ext feature; every
   * mac80211 driver has it): received frames then come to the socket that
   * owns the connection, never to the netdev.
   */
  controlPortOverNl80211?: boolean;
  /**
   * The wiphy has no AUTHENTICATE (2.10: no WPA_DRIVER_FLAGS_SME): an SAE
   * CONNECT says the host takes EXTERNAL_AUTH requests, as 2.10's
   * nl80211_connect_common() does.
   */
  externalAuth?: boolean;
}

/**
 * NL80211_CMD_CONNECT, the attributes of wpa_supplicant 2.10's
 * nl80211_connect_common() and try_connect() for a station:
 * - always SOCKET_OWNER (the kernel disconnects when our socket closes),
 *   BSSID, frequency, SSID, our IEs (RSNE first) and open-system authentication;
 * - an RSN network adds WPA_VERSIONS 2, the pairwise and group ciphers, the
 *   AKM, CONTROL_PORT (the port stays closed until SET_STATION authorizes
 *   it), PRIVACY, and USE_MFP when PMF is used: 2.10 asks the driver for
 *   REQUIRED whenever the AP offers PMF and the network allows it ("Selected
 *   AP supports MFP: require MFP"), which is what 'optional' means here;
 * - an open network none of that: without CONTROL_PORT mac80211 opens the
 *   port at association (2.10 asks for it and authorizes the port from its
 *   EAPOL state machine; the daemon has no such step for open networks);
 * - with the firmware running the 4-way handshake (a PMK given): a PSK/SAE
 *   PMK in ATTR_PMK; for 802.1X WANT_1X_4WAY_HS, and the PMK follows in
 *   SET_PMK once associated (setPmk below);
 * - SAE offload (`sae`, a wiphy with EXT_FEATURE_SAE_OFFLOAD): as 2.10 with
 *   SAE_OFFLOAD_STA, WPA_VERSIONS 3, SAE_PWE, SAE_PASSWORD and SAE
 *   authentication; no ATTR_PMK (a cached PMKSA goes by SET_PMKSA and the
 *   PMKID in our RSNE). nl80211 has no password identifier: refused, as 2.10
 *   refuses it ("Use of SAE password identifiers not supported with
 *   driver-based SAE");
 * - SAE on a connect-style wiphy (no AUTHENTICATE): EXTERNAL_AUTH_SUPPORT
 *   after CONTROL_PORT, where 2.10 puts it;
 * - every SAE / FT-SAE CONNECT without offload: SAE_PWE from `saePwe`
 *   (saePweAttr below);
 * - control port over nl80211: CONTROL_PORT_OVER_NL80211 with the EtherType
 *   and CONTROL_PORT_NO_PREAUTH, as send_and_recv_msgs_owner() adds them.
 * The PMKID to use travels in our RSNE (nl80211 CONNECT has no PMKID attribute).
 */
export function connect(ifindex: number, p: ConnectParams, o: ConnectOptions = {}): Request {
  const rsn = p.akm !== 'NONE';
  const sae = rsn ? p.sae : undefined;
  // 2.10's wpa_key_mgmt_sae(): the AKMs whose CONNECT carries SAE's attributes.
  const saeAkm = p.akm === 'SAE' || p.akm === 'FT-SAE';
  if (sae?.passwordId) throw new ConnectEncodeError('SAE password identifiers are not supported with SAE offload over nl80211');
  const attrs: AttrSpec[] = [...target(ifindex, p), [Attr.IE, p.ies]];
  if (rsn) {
    attrs.push(...rsnSuites(p, sae ? WPA_VERSION_3 : WPA_VERSION_2));
    if (p.pmk && !sae) {
      if (akmFamily(p.akm) === '8021x') attrs.push([Attr.WANT_1X_4WAY_HS, FLAG]);
      else attrs.push([Attr.PMK, lenIn('PMK', p.pmk, [32, 48])]);
    }
    attrs.push([Attr.CONTROL_PORT, FLAG]);
    if (o.externalAuth && saeAkm) attrs.push([Attr.EXTERNAL_AUTH_SUPPORT, FLAG]);
    if (p.mfp !== 'none') attrs.push([Attr.USE_MFP, putU32(Mfp.REQUIRED)]);
    if (!sae && saeAkm) attrs.push(...saePweAttr(p.saePwe ?? 0));
    if (sae) {
      if (sae.password.length < 1 || sae.password.length > SAE_PASSWORD_MAX_LEN) {
        throw new ConnectEncodeError(`SAE password of ${sae.password.length} octets, expected 1..${SAE_PASSWORD_MAX_LEN}`);
      }
      attrs.push([Attr.SAE_PWE, putU8(SAE_PWE_ATTR[sae.pwe])], [Attr.SAE_PASSWORD, sae.password]);
    }
  }
  attrs.push([Attr.AUTH_TYPE, putU32(sae ? AuthType.SAE : AuthType.OPEN_SYSTEM)]);
  if (rsn) attrs.push([Attr.PRIVACY, FLAG]);
  if (rsn && o.controlPortOverNl80211) attrs.push(...controlPortOverNl80211());
  return { cmd: Cmd.CONNECT, attrs };
}

/**
 * sae_pwe as 2.10's nl80211_put_sae_pwe() puts it in every CONNECT with the
 * SAE or FT-SAE AKM (wpa_driver_nl80211_try_connect(), after USE_MFP): 0, 1,
 * 2 as NL80211_SAE_PWE_HUNT_AND_PECK, _HASH_TO_ELEMENT, _BOTH; 3, its test
 * mode, puts nothing. The global's parser keeps it within 0..3.
 */
function saePweAttr(pwe: number): AttrSpec[] {
  const v = SAE_PWE_ATTR[pwe];
  return v === undefined ? [] : [[Attr.SAE_PWE, putU8(v)]];
}

/** IFINDEX, SOCKET_OWNER, BSSID, frequency, SSID: how CONNECT and ASSOCIATE name the BSS. */
function target(ifindex: number, p: { bssid: string; freq: number; ssid: Buffer }): AttrSpec[] {
  return [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.SOCKET_OWNER, FLAG],
    [Attr.MAC, macBuf(p.bssid)],
    [Attr.WIPHY_FREQ, putU32(p.freq)],
    [Attr.SSID, lenAtMost('SSID', p.ssid, 32)],
  ];
}

function rsnSuites(p: ConnectParams, wpaVersion = WPA_VERSION_2): AttrSpec[] {
  return [
    [Attr.WPA_VERSIONS, putU32(wpaVersion)],
    [Attr.CIPHER_SUITES_PAIRWISE, putU32(cipherSuite(p.pairwise))],
    [Attr.CIPHER_SUITE_GROUP, putU32(cipherSuite(p.group))],
    [Attr.AKM_SUITES, putU32(akmSuite(p.akm))],
  ];
}

/** As send_and_recv_msgs_owner() adds them: EAPOL over CONTROL_PORT_FRAME, no pre-authentication frames. */
const controlPortOverNl80211 = (): AttrSpec[] => [
  [Attr.CONTROL_PORT_OVER_NL80211, FLAG],
  [Attr.CONTROL_PORT_ETHERTYPE, putU16(ETH_P_PAE)],
  [Attr.CONTROL_PORT_NO_PREAUTH, FLAG],
];

/** The Authentication Algorithm Number of SAE (IEEE 802.11-2020 9.4.1.1). */
export const WLAN_AUTH_SAE = 3;

/**
 * NL80211_CMD_AUTHENTICATE, as 2.10's wpa_driver_nl80211_authenticate() for
 * its SME: BSSID, frequency, SSID, the authentication type and the frame's
 * content. The driver protocol's `data` is the frame body from the
 * Authentication Algorithm Number on, which must match `algorithm`:
 * - SAE: the body in AUTH_DATA without the algorithm number (nl80211 takes
 *   it from AUTH_TYPE), i.e. from the transaction sequence number on;
 * - FT (over the air, 2.10's WPA_AUTH_ALG_FT): the FT elements (RSNE, MDE,
 *   FTE) after the 6-octet fixed fields go in ATTR_IE, before AUTH_TYPE as
 *   2.10 puts them; mac80211 builds the fixed fields itself.
 * Open System (a PMKSA-cached reconnect, 2.10's "try to use PMKSA caching
 * instead of new SAE authentication") carries no body.
 */
export function authenticate(ifindex: number, p: { bssid: string; freq: number; ssid: Buffer }, frame?: Pick<AuthParams, 'algorithm' | 'data'>): Request {
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.MAC, macBuf(p.bssid)],
    [Attr.WIPHY_FREQ, putU32(p.freq)],
    [Attr.SSID, lenAtMost('SSID', p.ssid, 32)],
  ];
  if (!frame) {
    attrs.push([Attr.AUTH_TYPE, putU32(AuthType.OPEN_SYSTEM)]);
  } else if (frame.algorithm === 'ft') {
    checkAuthBody('FT', frame.data, WLAN_AUTH_FT);
    attrs.push([Attr.IE, frame.data.subarray(6)], [Attr.AUTH_TYPE, putU32(AuthType.FT)]);
  } else {
    checkAuthBody('SAE', frame.data, WLAN_AUTH_SAE);
    attrs.push([Attr.AUTH_TYPE, putU32(AuthType.SAE)], [Attr.AUTH_DATA, frame.data.subarray(2)]);
  }
  return { cmd: Cmd.AUTHENTICATE, attrs };
}

function checkAuthBody(what: string, data: Buffer, algorithm: number): void {
  if (data.length < 6) throw new RangeError(`${what} Authentication frame body: ${data.length} bytes, expected at least 6`);
  const alg = data.readUInt16LE(0);
  if (alg !== algorithm) throw new RangeError(`${what} Authentication frame body: algorithm ${alg}, expected ${algorithm}`);
}

/**
 * The Reassociation Request's IEs after FT Authentication, as 2.10's SME
 * gives them (its "Association Request IEs after FT override"): the FT
 * elements (RSNE with the PMKR1Name, MDE, FTE with the MIC) in place of the
 * RSNE and MDE of the initial association's IEs, the other elements kept.
 */
export function ftAssocIes(initial: Buffer, ft: Buffer): Buffer {
  const kept: Buffer[] = [];
  for (let i = 0; i + 2 <= initial.length; ) {
    const len = initial[i + 1]!;
    if (i + 2 + len > initial.length) throw new RangeError(`association IEs: element ${initial[i]} at ${i} overruns them`);
    if (initial[i] !== WLAN_EID_RSN && initial[i] !== WLAN_EID_MDE) kept.push(initial.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return Buffer.concat([ft, ...kept]);
}

/**
 * NL80211_CMD_ASSOCIATE after the host's own authentication, with the
 * attributes 2.10's wpa_driver_nl80211_associate() takes from
 * nl80211_connect_common(): CONNECT's (connect() above) without the
 * authentication type, PRIVACY and the firmware handshake's PMK, which
 * belong to CONNECT only. With `prevBssid` (a roam), PREV_BSSID: the
 * kernel sends a Reassociation Request.
 */
export function associate(ifindex: number, p: ConnectParams, o: ConnectOptions = {}): Request {
  const rsn = p.akm !== 'NONE';
  const attrs: AttrSpec[] = [...target(ifindex, p), [Attr.IE, p.ies]];
  if (rsn) {
    attrs.push(...rsnSuites(p), [Attr.CONTROL_PORT, FLAG]);
    if (p.mfp !== 'none') attrs.push([Attr.USE_MFP, putU32(Mfp.REQUIRED)]);
    if (o.controlPortOverNl80211) attrs.push(...controlPortOverNl80211());
  }
  if (p.prevBssid) attrs.push([Attr.PREV_BSSID, macBuf(p.prevBssid)]);
  return { cmd: Cmd.ASSOCIATE, attrs };
}

/** NL80211_CMD_DEAUTHENTICATE: leaving a BSS the host's SME joined (2.10's wpa_driver_nl80211_deauthenticate()). */
export function deauthenticate(ifindex: number, bssid: string, reason: number): Request {
  return { cmd: Cmd.DEAUTHENTICATE, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.MAC, macBuf(bssid)], [Attr.REASON_CODE, putU16(reason)]] };
}

/** NL80211_CMD_DISCONNECT: cfg80211 knows the BSS; only the reason code goes. */
export function disconnect(ifindex: number, reason: number): Request {
  return { cmd: Cmd.DISCONNECT, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.REASON_CODE, putU16(reason)]] };
}

/** The PMK for the current BSSID after EAP (802.1X offload); a PMK-R0 when pmkr0Name is given. */
export function setPmk(ifindex: number, bssid: string, pmk: Buffer, pmkr0Name?: Buffer): Request {
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.MAC, macBuf(bssid)],
    [Attr.PMK, lenIn('PMK', pmk, [32, 48])],
  ];
  if (pmkr0Name) attrs.push([Attr.PMKR0_NAME, lenIn('PMKR0Name', pmkr0Name, [16])]);
  return { cmd: Cmd.SET_PMK, attrs };
}

export function setPmksa(ifindex: number, p: PmksaParams): Request {
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.MAC, macBuf(p.bssid)],
    [Attr.PMKID, lenIn('PMKID', p.pmkid, [16])],
  ];
  if (p.pmk) attrs.push([Attr.PMK, lenIn('PMK', p.pmk, [32, 48, 64])]);
  if (p.ssid) attrs.push([Attr.SSID, p.ssid]);
  attrs.push([Attr.PMK_LIFETIME, putU32(p.lifetime)]);
  if (p.reauthThreshold !== undefined) {
    if (!(p.reauthThreshold >= 1 && p.reauthThreshold <= 100)) throw new RangeError(`PMK reauth threshold ${p.reauthThreshold}%, expected 1..100`);
    attrs.push([Attr.PMK_REAUTH_THRESHOLD, putU8(p.reauthThreshold)]);
  }
  return { cmd: Cmd.SET_PMKSA, attrs };
}

export function delPmksa(ifindex: number, bssid: string, pmkid: Buffer): Request {
  return { cmd: Cmd.DEL_PMKSA, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.MAC, macBuf(bssid)], [Attr.PMKID, lenIn('PMKID', pmkid, [16])]] };
}

/** Every entry of this SSID (SAE/OWE offload, where the firmware derived the PMKs). */
export function delPmksaBySsid(ifindex: number, ssid: Buffer): Request {
  return { cmd: Cmd.DEL_PMKSA, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.SSID, ssid]] };
}

export function flushPmksa(ifindex: number): Request {
  return { cmd: Cmd.FLUSH_PMKSA, attrs: [[Attr.IFINDEX, putU32(ifindex)]] };
}

/** KCK 24 or 32 bytes needs the driver's extended KEK/KCK support, which the kernel checks. */
export function setRekeyOffload(ifindex: number, d: RekeyData): Request {
  return {
    cmd: Cmd.SET_REKEY_OFFLOAD,
    attrs: [
      [Attr.IFINDEX, putU32(ifindex)],
      [Attr.REKEY_DATA, [
        [RekeyAttr.KEK, lenIn('KEK', d.kek, [16, 32])],
        [RekeyAttr.KCK, lenIn('KCK', d.kck, [16, 24, 32])],
        [RekeyAttr.REPLAY_CTR, lenIn('replay counter', d.replayCtr, [8])],
        [RekeyAttr.AKM, putU32(akmSuite(d.akm))],
      ]],
    ],
  };
}

/** IEEE 802.11 frame control of an Authentication frame (type management, subtype 11), little-endian. */
export const FC_AUTH = 0x00b0;

/**
 * REGISTER_FRAME for the SAE Authentication frames of external
 * authentication (2.10's nl80211_mgmt_subscribe_non_ap() on a wiphy with
 * SAE and without the host SME): frame type Authentication, matching the
 * algorithm number SAE (03 00).
 */
export function registerSaeAuthFrames(ifindex: number): Request {
  return {
    cmd: Cmd.REGISTER_FRAME,
    attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.FRAME_TYPE, putU16(FC_AUTH)], [Attr.FRAME_MATCH, Buffer.from([WLAN_AUTH_SAE, 0])]],
  };
}

/**
 * An Authentication frame of external SAE, as 2.10's
 * sme_external_auth_build_buf() and send_mlme(noack) send it: CMD_FRAME on
 * the BSS's channel, no wait for an ACK; the header names the AP as DA and
 * BSSID, us as SA, with the exchange's sequence number; the body from the
 * algorithm number on.
 */
export function saeAuthFrame(ifindex: number, p: { own: string; bssid: string; freq: number; seq: number; body: Buffer }): Request {
  const hdr = Buffer.alloc(24);
  hdr.writeUInt16LE(FC_AUTH, 0);
  macBuf(p.bssid).copy(hdr, 4);
  macBuf(p.own).copy(hdr, 10);
  macBuf(p.bssid).copy(hdr, 16);
  hdr.writeUInt16LE((p.seq << 4) & 0xffff, 22);
  const attrs: AttrSpec[] = [[Attr.IFINDEX, putU32(ifindex)]];
  if (p.freq) attrs.push([Attr.WIPHY_FREQ, putU32(p.freq)]);
  attrs.push([Attr.DONT_WAIT_FOR_ACK, FLAG], [Attr.FRAME, Buffer.concat([hdr, p.body])]);
  return { cmd: Cmd.FRAME, attrs };
}

/** The host's outcome of external authentication, as 2.10's nl80211_send_external_auth_status(): status, SSID, PMKID if given, BSSID. */
export function externalAuthStatus(ifindex: number, p: { bssid: string; ssid: Buffer; status: number; pmkid?: Buffer }): Request {
  const attrs: AttrSpec[] = [[Attr.IFINDEX, putU32(ifindex)], [Attr.STATUS_CODE, putU16(p.status)]];
  if (p.ssid.length) attrs.push([Attr.SSID, lenAtMost('SSID', p.ssid, 32)]);
  if (p.pmkid) attrs.push([Attr.PMKID, lenIn('PMKID', p.pmkid, [16])]);
  attrs.push([Attr.BSSID, macBuf(p.bssid)]);
  return { cmd: Cmd.EXTERNAL_AUTH, attrs };
}

/** WoWLAN triggers (wowlan.ts), each a flag nested in ATTR_WOWLAN_TRIGGERS, as 2.10's nl80211_set_wowlan(). */
export function setWowlan(ifindex: number, flags: number[]): Request {
  return { cmd: Cmd.SET_WOWLAN, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.WOWLAN_TRIGGERS, flags.map((f): AttrSpec => [f, FLAG])]] };
}

/** The wiphy's WoWLAN state, as 2.10's nl80211_get_wowlan() asks for it (the interface names the wiphy). */
export function getWowlan(ifindex: number): Request {
  return { cmd: Cmd.GET_WOWLAN, attrs: [[Attr.IFINDEX, putU32(ifindex)]] };
}

/**
 * NL80211_CMD_NEW_KEY with the key nested in ATTR_KEY, as wpa_supplicant
 * 2.10's wpa_driver_nl80211_set_key() sends it for a station: a pairwise key
 * names the AP (ATTR_MAC, the kernel then takes it as pairwise); a group key
 * (GTK, IGTK with its BIP cipher and key ID 4/5) names no address and carries
 * its RSC/IPN as KEY_SEQ. A station's 2.10 sends no SET_KEY after it: a
 * received GTK or IGTK is never made the default TX key (key_flag GROUP_RX
 * has no KEY_FLAG_DEFAULT), and mac80211 picks the RX key by the frame's key ID.
 */
export function newKey(ifindex: number, k: SetKeyParams): Request {
  const info = cipherInfo(k.cipher);
  const key: AttrSpec[] = [
    [KeyAttr.DATA, lenIn(`${info.name} key`, k.key, [info.keyLen])],
    [KeyAttr.CIPHER, putU32(cipherSuite(info.name))],
  ];
  if (k.rsc?.length) key.push([KeyAttr.SEQ, k.rsc]);
  key.push([KeyAttr.IDX, putU8(k.idx)]);
  const attrs: AttrSpec[] = [[Attr.IFINDEX, putU32(ifindex)]];
  if (k.kind === 'pairwise') attrs.push([Attr.MAC, macBuf(k.addr)]);
  attrs.push([Attr.KEY, key]);
  return { cmd: Cmd.NEW_KEY, attrs };
}

/** struct nl80211_sta_flag_update { u32 mask; u32 set; }: change AUTHORIZED only. */
export function setStationAuthorized(ifindex: number, bssid: string, authorized: boolean): Request {
  const upd = Buffer.alloc(8);
  upd.writeUInt32LE(1 << StaFlag.AUTHORIZED, 0);
  upd.writeUInt32LE(authorized ? 1 << StaFlag.AUTHORIZED : 0, 4);
  return { cmd: Cmd.SET_STATION, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.MAC, macBuf(bssid)], [Attr.STA_FLAGS2, upd]] };
}

/**
 * An EAPOL frame over the control port, as 2.10's nl80211_tx_control_port():
 * NO_ENCRYPT while no pairwise key is installed (wpa_ether_send():
 * encrypt = a PTK installed), so that 4/4 of the first handshake leaves in
 * the clear and a later 4-way handshake under the current PTK.
 */
export function controlPortFrame(ifindex: number, dst: string, data: Buffer, noEncrypt = false): Request {
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.CONTROL_PORT_ETHERTYPE, putU16(ETH_P_PAE)],
    [Attr.MAC, macBuf(dst)],
    [Attr.FRAME, data],
  ];
  if (noEncrypt) attrs.push([Attr.CONTROL_PORT_NO_ENCRYPT, FLAG]);
  return { cmd: Cmd.CONTROL_PORT_FRAME, attrs };
}

/** The AP's station entry (signal, bit rates): NL80211_CMD_GET_STATION, answered with NEW_STATION. */
export function getStation(ifindex: number, bssid: string): Request {
  return { cmd: Cmd.GET_STATION, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.MAC, macBuf(bssid)]] };
}

/**
 * Connection quality monitoring, as 2.10's nl80211_signal_monitor(): an RSSI
 * threshold (dBm, s32) and hysteresis (dB, u32); threshold 0 turns it off.
 */
export function setCqm(ifindex: number, threshold: number, hysteresis: number): Request {
  const thold = Buffer.alloc(4);
  thold.writeInt32LE(threshold);
  return {
    cmd: Cmd.SET_CQM,
    attrs: [
      [Attr.IFINDEX, putU32(ifindex)],
      [Attr.CQM, [
        [CqmAttr.RSSI_THOLD, thold],
        [CqmAttr.RSSI_HYST, putU32(hysteresis)],
      ]],
    ],
  };
}

/** QCA KEY_MGMT_SET_KEY: the PMK as the vendor data itself, also while not connected. */
export function qcaKeyMgmtSetKey(ifindex: number, pmk: Buffer): Request {
  return {
    cmd: Cmd.VENDOR,
    attrs: [
      [Attr.IFINDEX, putU32(ifindex)],
      [Attr.VENDOR_ID, putU32(OUI_QCA)],
      [Attr.VENDOR_SUBCMD, putU32(QcaSubcmd.KEY_MGMT_SET_KEY)],
      [Attr.VENDOR_DATA, lenIn('PMK', pmk, [32, 48])],
    ],
  };
}

/** Every wireless interface (a dump): the backend picks its own by name. */
export function getInterfaces(): Request {
  return { cmd: Cmd.GET_INTERFACE, attrs: [] };
}

/** One wiphy's capabilities as a split dump (the whole answer no longer fits one message). */
export function getWiphy(wiphy: number): Request {
  return { cmd: Cmd.GET_WIPHY, attrs: [[Attr.WIPHY, putU32(wiphy)], [Attr.SPLIT_WIPHY_DUMP, FLAG]] };
}

/**
 * An active scan. Without SSIDs, the wildcard SSID (zero length) alone, as
 * wpa_supplicant's scan does: a scan request without any SSID is passive.
 */
export function triggerScan(ifindex: number, p: ScanParams): Request {
  const ssids = p.ssids?.length ? p.ssids : [Buffer.alloc(0)];
  for (const s of ssids) if (s.length > 32) throw new RangeError(`SSID: ${s.length} bytes, expected at most 32`);
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.SCAN_SSIDS, ssids.map((s, i): AttrSpec => [i + 1, s])],
  ];
  if (p.freqs?.length) attrs.push([Attr.SCAN_FREQUENCIES, p.freqs.map((f, i): AttrSpec => [i + 1, putU32(f)])]);
  // 2.10's driver_nl80211_scan.c: only_new_results becomes NL80211_SCAN_FLAG_FLUSH.
  if (p.flush) attrs.push([Attr.SCAN_FLAGS, putU32(ScanFlag.FLUSH)]);
  return { cmd: Cmd.TRIGGER_SCAN, attrs };
}

/** The kernel's BSS table for this interface (a dump). */
export function getScan(ifindex: number): Request {
  return { cmd: Cmd.GET_SCAN, attrs: [[Attr.IFINDEX, putU32(ifindex)]] };
}
