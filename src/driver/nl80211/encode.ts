/**
 * nl80211 requests for the DriverBackend's operations, as attribute lists
 * (the socket layer adds the netlink and genl headers and the family id).
 * Values are checked here, before the kernel sees them: a wrong length is a
 * RangeError naming the field, never a silent truncation.
 */
import { akmFacts, cipherInfo, IEEE80211_OUI } from '../../rsn/akm.js';
import type { ConnectParams, MfpPolicy, PmksaParams, RekeyData, ScanParams, SetKeyParams } from '../backend.js';
import { type AttrSpec, FLAG, macBuf, putU16, putU32, putU8 } from './attrs.js';
import { Attr, Cmd, ETH_P_PAE, KeyType, Mfp, OUI_QCA, QcaSubcmd, RekeyAttr, StaFlag } from './numbers.js';

export interface Request {
  cmd: number;
  attrs: AttrSpec[];
}

const MFP: Record<MfpPolicy, number> = { none: Mfp.NO, optional: Mfp.OPTIONAL, required: Mfp.REQUIRED };
const WPA_VERSION_2 = 2; // NL80211_WPA_VERSION_2

function lenIn(what: string, b: Buffer, lens: readonly number[]): Buffer {
  if (!lens.includes(b.length)) throw new RangeError(`${what}: ${b.length} bytes, expected ${lens.join(' or ')}`);
  return b;
}

function akmSuite(akm: string): number {
  const info = akmFacts(akm);
  if (!info) throw new RangeError(`unknown AKM ${akm}`);
  return ((info.oui << 8) | info.selector) >>> 0;
}

const cipherSuite = (c: string): number => ((IEEE80211_OUI << 8) | cipherInfo(c).selector) >>> 0;

export interface ConnectOptions {
  /** 802.1X with the firmware running the 4-way handshake: the PMK follows in SET_PMK after EAP. */
  want1x4wayHs?: boolean;
  /** EAPOL over NL80211_CMD_CONTROL_PORT_FRAME (mac80211 drivers). */
  controlPortOverNl80211?: boolean;
}

export function connect(ifindex: number, p: ConnectParams, o: ConnectOptions = {}): Request {
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.MAC, macBuf(p.bssid)],
    [Attr.WIPHY_FREQ, putU32(p.freq)],
    [Attr.SSID, p.ssid],
    [Attr.IE, p.ies],
    [Attr.PRIVACY, FLAG],
    [Attr.WPA_VERSIONS, putU32(WPA_VERSION_2)],
    [Attr.CIPHER_SUITES_PAIRWISE, putU32(cipherSuite(p.pairwise))],
    [Attr.CIPHER_SUITE_GROUP, putU32(cipherSuite(p.group))],
    [Attr.AKM_SUITES, putU32(akmSuite(p.akm))],
    [Attr.USE_MFP, putU32(MFP[p.mfp])],
    [Attr.CONTROL_PORT, FLAG],
    [Attr.CONTROL_PORT_ETHERTYPE, putU16(ETH_P_PAE)],
  ];
  if (o.controlPortOverNl80211) attrs.push([Attr.CONTROL_PORT_OVER_NL80211, FLAG]);
  if (p.pmk) attrs.push([Attr.PMK, lenIn('PMK', p.pmk, [32, 48])]);
  if (p.pmkid) attrs.push([Attr.PMKID, lenIn('PMKID', p.pmkid, [16])]);
  if (o.want1x4wayHs) attrs.push([Attr.WANT_1X_4WAY_HS, FLAG]);
  return { cmd: Cmd.CONNECT, attrs };
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

export function newKey(ifindex: number, k: SetKeyParams): Request {
  const info = cipherInfo(k.cipher);
  const attrs: AttrSpec[] = [
    [Attr.IFINDEX, putU32(ifindex)],
    [Attr.KEY_DATA, lenIn(`${info.name} key`, k.key, [info.keyLen])],
    [Attr.KEY_IDX, putU8(k.idx)],
    [Attr.KEY_CIPHER, putU32(cipherSuite(info.name))],
  ];
  if (k.rsc) attrs.push([Attr.KEY_SEQ, k.rsc]);
  if (k.kind === 'pairwise') attrs.push([Attr.MAC, macBuf(k.addr)], [Attr.KEY_TYPE, putU32(KeyType.PAIRWISE)]);
  else attrs.push([Attr.KEY_TYPE, putU32(KeyType.GROUP)]);
  return { cmd: Cmd.NEW_KEY, attrs };
}

/** struct nl80211_sta_flag_update { u32 mask; u32 set; }: change AUTHORIZED only. */
export function setStationAuthorized(ifindex: number, bssid: string, authorized: boolean): Request {
  const upd = Buffer.alloc(8);
  upd.writeUInt32LE(1 << StaFlag.AUTHORIZED, 0);
  upd.writeUInt32LE(authorized ? 1 << StaFlag.AUTHORIZED : 0, 4);
  return { cmd: Cmd.SET_STATION, attrs: [[Attr.IFINDEX, putU32(ifindex)], [Attr.MAC, macBuf(bssid)], [Attr.STA_FLAGS2, upd]] };
}

export function controlPortFrame(ifindex: number, dst: string, data: Buffer): Request {
  return {
    cmd: Cmd.CONTROL_PORT_FRAME,
    attrs: [
      [Attr.IFINDEX, putU32(ifindex)],
      [Attr.FRAME, data],
      [Attr.MAC, macBuf(dst)],
      [Attr.CONTROL_PORT_ETHERTYPE, putU16(ETH_P_PAE)],
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
  return { cmd: Cmd.TRIGGER_SCAN, attrs };
}

/** The kernel's BSS table for this interface (a dump). */
export function getScan(ifindex: number): Request {
  return { cmd: Cmd.GET_SCAN, attrs: [[Attr.IFINDEX, putU32(ifindex)]] };
}
