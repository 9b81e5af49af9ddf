/**
 * Text of the SCAN_RESULTS and BSS replies, byte for byte as wpa_supplicant
 * 2.10 writes them for a Wi-Fi (nl80211) station (wpa_supplicant/ctrl_iface.c:
 * wpa_supplicant_ctrl_iface_scan_results / _scan_result, wpa_supplicant_ie_txt,
 * print_bss_info, wpa_supplicant_ctrl_iface_bss).
 *
 * wpa_supplicant builds these replies with os_snprintf() into a fixed reply
 * buffer and decides what to keep from which snprintf failed. Some failures
 * drop the whole row or entry, some (inside the [WPA2-...] text) only drop
 * a piece and carry on. ReplyWriter reproduces os_snprintf's rule (a piece
 * fits only with room left for the terminating NUL) so the cut points match
 * exactly, including the odd ones at the very end of a full buffer.
 */
import { ssidTxt } from '../config/cstr.js';
import type { BssEntry, BssTable } from '../station/bss-table.js';
import { allAkms, IEEE80211_OUI, suite32, WFA_OUI } from '../rsn/akm.js';
import { walkRsneBody, type RsneFields } from '../rsn/rsne.js';
import { EID_RSN, EID_VENDOR, parseIes, type Ie } from '../station/ies.js';

/** The per-interface control reply buffer (ctrl_iface_unix.c: reply_size). */
const CTRL_REPLY_SIZE = 4096;

// Element IDs and vendor types the flags look at (ieee802_11_defs.h).
const EID_SUPP_RATES = 1;
const EID_EXT_SUPP_RATES = 50;
const EID_MESH_ID = 114;
const EID_MULTI_BAND = 158;
const EID_EXT_CAPAB = 127;
const EID_FILS_INDICATION = 240;
const EID_RSNX = 244;
const WPA_IE_VENDOR_TYPE = 0x0050f201;
const WPS_IE_VENDOR_TYPE = 0x0050f204;
const P2P_IE_VENDOR_TYPE = 0x506f9a09;
const HS20_IE_VENDOR_TYPE = 0x506f9a10;
const OSEN_IE_VENDOR_TYPE = 0x506f9a12;
const OWE_IE_VENDOR_TYPE = 0x506f9a1c;
const WFD_IE_VENDOR_TYPE = 0x506f9a0a;
const RSNX_CAPAB_SAE_H2E = 5;
const RSNX_CAPAB_SAE_PK = 6;
const EXT_CAPAB_UTF_8_SSID = 48;
const CAP_ESS = 0x0001;
const CAP_IBSS = 0x0002;
const CAP_PRIVACY = 0x0010;
const P2P_WILDCARD_SSID = 'DIRECT-';

// BSS MASK= bits (common/wpa_ctrl.h).
const BSS_MASK = {
  ID: 1 << 0,
  BSSID: 1 << 1,
  FREQ: 1 << 2,
  BEACON_INT: 1 << 3,
  CAPABILITIES: 1 << 4,
  QUAL: 1 << 5,
  NOISE: 1 << 6,
  LEVEL: 1 << 7,
  TSF: 1 << 8,
  AGE: 1 << 9,
  IE: 1 << 10,
  FLAGS: 1 << 11,
  SSID: 1 << 12,
  WPS_SCAN: 1 << 13,
  P2P_SCAN: 1 << 14,
  INTERNETW: 1 << 15,
  WIFI_DISPLAY: 1 << 16,
  DELIM: 1 << 17,
  MESH_SCAN: 1 << 18,
  SNR: 1 << 19,
  EST_THROUGHPUT: 1 << 20,
  FST: 1 << 21,
  UPDATE_IDX: 1 << 22,
  BEACON_IE: 1 << 23,
  FILS_INDICATION: 1 << 24,
} as const;
/** Everything but DELIM: the mask a plain `BSS <x>` uses. */
const BSS_MASK_ALL = 0xfffdffffn;

/** os_snprintf into a fixed buffer: a piece is written only if it leaves room for the NUL. */
class ReplyWriter {
  private out = '';
  constructor(private readonly room: number) {}

  put(s: string): boolean {
    if (s.length >= this.room - this.out.length) return false;
    this.out += s;
    return true;
  }

  mark(): number {
    return this.out.length;
  }

  rewind(mark: number): void {
    this.out = this.out.slice(0, mark);
  }

  get text(): string {
    return this.out;
  }
}

// ---------------------------------------------------------------- IE lookups

function ieById(ies: Ie[], id: number): Ie | undefined {
  return ies.find((ie) => ie.id === id);
}

function isVendor(ie: Ie, type: number): boolean {
  return ie.id === EID_VENDOR && ie.body.length >= 4 && ie.body.readUInt32BE(0) === type;
}

/** wpa_bss_get_vendor_ie(): the first vendor element of that OUI+type. */
function vendorIe(ies: Ie[], type: number): Ie | undefined {
  return ies.find((ie) => isVendor(ie, type));
}

/** wpa_bss_get_vendor_ie_multi(): the payloads of every such element, joined. */
function vendorIeMulti(ies: Ie[], type: number): Buffer | undefined {
  const parts = ies.filter((ie) => isVendor(ie, type)).map((ie) => ie.body.subarray(4));
  const all = Buffer.concat(parts);
  return all.length > 0 ? all : undefined;
}

/** ieee802_11_rsnx_capab(): the field length is in the low nibble of the first octet. */
function rsnxCapab(rsnx: Ie | undefined, bit: number): boolean {
  if (!rsnx || rsnx.body.length === 0) return false;
  const flen = (rsnx.body[0] & 0x0f) + 1;
  if (flen > rsnx.body.length) return false;
  let capabs = 0;
  for (let i = 0; i < Math.min(flen, 4); i++) capabs |= rsnx.body[i] << (8 * i);
  return (capabs & (1 << bit)) !== 0;
}

/** ieee802_11_ext_capab(). */
function extCapab(ies: Ie[], bit: number): boolean {
  const ie = ieById(ies, EID_EXT_CAPAB);
  if (!ie || ie.body.length <= bit >> 3) return false;
  return (ie.body[bit >> 3] & (1 << (bit & 7))) !== 0;
}

// ------------------------------------------------- WPA / RSN element parsing
// The RSNE is walked by src/rsn/rsne.ts (the one RSNE reader); what
// wpa_supplicant refuses on top of the walk (an invalid group cipher,
// AES-128-CMAC as pairwise, a group management suite that is no BIP) is
// checked here, as wpa_common.c wpa_parse_wpa_ie_rsn does, because the flags
// text depends on exactly which elements it rejects ("[WPA2-?]"). WPA1
// elements (wpa_ie.c wpa_parse_wpa_ie_wpa) are not RSNEs and are read below.

const CIPHER = { NONE: 1 << 0, TKIP: 1 << 3, CCMP: 1 << 4, AES_128_CMAC: 1 << 5, GCMP: 1 << 6, GTK_NOT_USED: 1 << 8, GCMP_256: 1 << 9, CCMP_256: 1 << 10 } as const;
const CIPHER_WEP40 = 1 << 1;
const CIPHER_WEP104 = 1 << 2;
const CIPHER_BIP = 1 << 11; // any of the BIP-GMAC-128/256, BIP-CMAC-256 group management ciphers
const PAIRWISE_OK = CIPHER.CCMP_256 | CIPHER.GCMP_256 | CIPHER.CCMP | CIPHER.GCMP | CIPHER.TKIP;

/**
 * Cipher suite type -> cipher bit. Types 0..5 mean the same under the RSN
 * (00-0F-AC) and the WPA1 (00-50-F2) OUI; the later ones exist only in RSN.
 * Type 3 (WRAP) is recognised by neither.
 */
const CIPHER_BY_SUITE_TYPE: readonly number[] = [
  CIPHER.NONE, CIPHER_WEP40, CIPHER.TKIP, 0, CIPHER.CCMP, CIPHER_WEP104,
  CIPHER.AES_128_CMAC, CIPHER.GTK_NOT_USED, CIPHER.GCMP, CIPHER.GCMP_256, CIPHER.CCMP_256,
  CIPHER_BIP, CIPHER_BIP, CIPHER_BIP,
];
const WPA_LAST_CIPHER_SUITE_TYPE = 5;

/** rsn_selector_to_bitfield() for 00-0F-AC suites (a 32-bit selector). */
function rsnCipher(sel: number): number {
  if (sel >>> 8 !== IEEE80211_OUI) return 0;
  return CIPHER_BY_SUITE_TYPE[sel & 0xff] ?? 0;
}

/** wpa_selector_to_bitfield() for the 00-50-F2 (WPA1) suites. */
function wpaCipher(sel: Buffer): number {
  if (sel.readUIntBE(0, 3) !== 0x0050f2 || sel[3] > WPA_LAST_CIPHER_SUITE_TYPE) return 0;
  return CIPHER_BY_SUITE_TYPE[sel[3]];
}

/** The WPA1 (00-50-F2) AKM selectors (wpa_key_mgmt_to_bitfield). */
const WPA1_AKM: Record<string, number> = { 'WPA-EAP': 0x0050f201, 'WPA-PSK': 0x0050f202 };
const WPA1_AKM_NONE = 0x0050f200;

/**
 * AKM names in the order wpa_supplicant_ie_txt() prints them, each with the
 * suite selector (OUI << 8 | type) that sets it in an RSNE/OSEN element
 * (rsn_key_mgmt_to_bitfield) or in a WPA element (wpa_key_mgmt_to_bitfield).
 * From the one AKM table; WPA1's "None" follows PSK.
 */
const AKM_TEXT: ReadonlyArray<{ name: string; rsn?: number; wpa?: number }> = allAkms()
  .filter((a) => a.flagTxt !== undefined)
  .flatMap((a) => {
    const e = { name: a.flagTxt as string, rsn: suite32(a.oui, a.selector), wpa: WPA1_AKM[a.name] };
    return a.name === 'WPA-PSK' ? [e, { name: 'None', wpa: WPA1_AKM_NONE }] : [e];
  });
const AKM_OSEN = suite32(WFA_OUI, 1);

interface WpaIeData {
  kind: 'rsn' | 'wpa';
  /** AKM suite selectors as 32-bit numbers (OUI << 8 | type). */
  akms: Set<number>;
  pairwise: number;
  capabilities: number;
}

/**
 * wpa_parse_wpa_ie_rsn(): undefined where wpa_supplicant returns an error.
 * `osen` is the body of an OSEN vendor element after its OUI+type: no
 * version field, and OSEN as the AKM when none is listed.
 */
function parseRsnIe(body: Buffer, osen = false): WpaIeData | undefined {
  let f: RsneFields;
  try {
    f = walkRsneBody(body, !osen);
  } catch {
    return undefined;
  }
  // Defaults when the optional fields are absent (IEEE 802.11 9.4.2.24.1).
  const d: WpaIeData = { kind: 'rsn', akms: new Set(f.akms ?? [osen ? AKM_OSEN : 0x000fac01]), pairwise: CIPHER.CCMP, capabilities: f.capabilities ?? 0 };
  if (f.group !== undefined && !(rsnCipher(f.group) & (PAIRWISE_OK | CIPHER.GTK_NOT_USED))) return undefined;
  if (f.pairwise) {
    d.pairwise = f.pairwise.reduce((bits, sel) => bits | rsnCipher(sel), 0);
    if (d.pairwise & CIPHER.AES_128_CMAC) return undefined;
  }
  if (f.groupMgmt !== undefined && !(rsnCipher(f.groupMgmt) & (CIPHER.AES_128_CMAC | CIPHER_BIP))) return undefined;
  return d;
}

/** wpa_parse_wpa_ie_wpa(): body starts with the 00-50-F2-01 OUI+type. */
function parseWpaIe(body: Buffer): WpaIeData | undefined {
  const d: WpaIeData = { kind: 'wpa', akms: new Set([0x0050f201]), pairwise: CIPHER.TKIP, capabilities: 0 };
  if (body.length < 6 || body.readUInt16LE(4) !== 1) return undefined;
  let pos = 6;
  let left = body.length - 6;
  if (left >= 4) {
    pos += 4;
    left -= 4;
  } else if (left > 0) return undefined;
  if (left >= 2) {
    const count = body.readUInt16LE(pos);
    pos += 2;
    left -= 2;
    if (count === 0 || left < count * 4) return undefined;
    d.pairwise = 0;
    for (let i = 0; i < count; i++, pos += 4, left -= 4) d.pairwise |= wpaCipher(body.subarray(pos, pos + 4));
  } else if (left === 1) return undefined;
  if (left >= 2) {
    const count = body.readUInt16LE(pos);
    pos += 2;
    left -= 2;
    if (count === 0 || left < count * 4) return undefined;
    d.akms = new Set();
    for (let i = 0; i < count; i++, pos += 4, left -= 4) d.akms.add(body.readUInt32BE(pos));
  } else if (left === 1) return undefined;
  if (left >= 2) d.capabilities = body.readUInt16LE(pos);
  return d;
}

/** wpa_write_ciphers() order. */
const CIPHER_TEXT: ReadonlyArray<[number, string]> = [
  [CIPHER.CCMP_256, 'CCMP-256'],
  [CIPHER.GCMP_256, 'GCMP-256'],
  [CIPHER.CCMP, 'CCMP'],
  [CIPHER.GCMP, 'GCMP'],
  [CIPHER.TKIP, 'TKIP'],
  [CIPHER.NONE, 'NONE'],
];
const RSN_CAPAB_PREAUTH = 0x0001;

/**
 * wpa_supplicant_ie_txt(): `[<proto>-<akm>+<akm>-<cipher>+<cipher>[-preauth]]`.
 * A piece that does not fit ends the text quietly, as in the C code.
 */
function writeIeTxt(w: ReplyWriter, proto: string, data: WpaIeData | undefined): void {
  if (!w.put(`[${proto}-`)) return;
  if (!data) {
    w.put('?]');
    return;
  }
  let first = true;
  for (const akm of AKM_TEXT) {
    const selector = data.kind === 'wpa' ? akm.wpa : akm.rsn;
    if (selector === undefined || !data.akms.has(selector)) continue;
    if (!w.put(`${first ? '' : '+'}${akm.name}`)) return;
    first = false;
  }
  // wpa_supplicant_cipher_txt(): "-" then the cipher list, which is kept only whole.
  if (w.put('-')) {
    const m = w.mark();
    let firstCipher = true;
    for (const [bit, name] of CIPHER_TEXT) {
      if (!(data.pairwise & bit)) continue;
      if (!w.put(`${firstCipher ? '' : '+'}${name}`)) {
        w.rewind(m);
        break;
      }
      firstCipher = false;
    }
  }
  if (data.capabilities & RSN_CAPAB_PREAUTH && !w.put('-preauth')) return;
  w.put(']');
}

// ------------------------------------------------------------------ WPS text

/** WPS attributes (wps_defs.h) that pick the [WPS-...] variant. */
const WPS_ATTR_DEV_PASSWORD_ID = 0x1012;
const WPS_ATTR_SELECTED_REGISTRAR = 0x1041;
const DEV_PW_PUSHBUTTON = 0x0004;

function wpsAttrs(payload: Buffer): Map<number, Buffer> {
  const attrs = new Map<number, Buffer>();
  for (let pos = 0; pos + 4 <= payload.length; ) {
    const type = payload.readUInt16BE(pos);
    const len = payload.readUInt16BE(pos + 2);
    if (pos + 4 + len > payload.length) break;
    if (!attrs.has(type)) attrs.set(type, payload.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  return attrs;
}

/**
 * wpa_supplicant_wps_ie_txt_buf(): [WPS-PBC] / [WPS-PIN] / [WPS]. [WPS-AUTH]
 * (our own address in the AuthorizedMACs list) is not produced: this daemon
 * does not run WPS, so no AP can have authorized it.
 */
function wpsText(ies: Ie[]): string | undefined {
  const wps = vendorIeMulti(ies, WPS_IE_VENDOR_TYPE);
  if (!wps) return undefined;
  const a = wpsAttrs(wps);
  const selected = (a.get(WPS_ATTR_SELECTED_REGISTRAR)?.[0] ?? 0) !== 0;
  const pwId = a.get(WPS_ATTR_DEV_PASSWORD_ID);
  const pbc = pwId !== undefined && pwId.length >= 2 && pwId.readUInt16BE(0) === DEV_PW_PUSHBUTTON;
  if (selected && pbc) return '[WPS-PBC]';
  if (selected) return '[WPS-PIN]';
  return '[WPS]';
}

// --------------------------------------------------------------- flags text

/**
 * The flags shared by the SCAN_RESULTS column and BSS `flags=`, in
 * wpa_supplicant's order. Returns false where the C code gives up on the
 * whole row / entry (a fixed flag like [ESS] that does not fit).
 */
function writeFlags(w: ReplyWriter, e: BssEntry, ies: Ie[], forScanResults: boolean): boolean {
  const mesh = ieById(ies, EID_MESH_ID);
  const wpa = vendorIe(ies, WPA_IE_VENDOR_TYPE);
  if (wpa) writeIeTxt(w, 'WPA', parseWpaIe(wpa.body));
  const rsn = ieById(ies, EID_RSN);
  if (rsn) writeIeTxt(w, mesh ? 'RSN' : 'WPA2', parseRsnIe(rsn.body));
  const rsnx = ieById(ies, EID_RSNX);
  if (rsnxCapab(rsnx, RSNX_CAPAB_SAE_H2E) && !w.put('[SAE-H2E]')) return false;
  if (rsnxCapab(rsnx, RSNX_CAPAB_SAE_PK) && !w.put('[SAE-PK]')) return false;
  const osen = vendorIe(ies, OSEN_IE_VENDOR_TYPE);
  if (osen) writeIeTxt(w, 'OSEN', parseRsnIe(osen.body.subarray(4), true));
  if (vendorIe(ies, OWE_IE_VENDOR_TYPE) && !w.put(rsn ? '[OWE-TRANS]' : '[OWE-TRANS-OPEN]')) return false;
  const wps = wpsText(ies);
  if (wps) w.put(wps);
  if (!wpa && !rsn && !osen && e.caps & CAP_PRIVACY && !w.put('[WEP]')) return false;
  if (mesh && !w.put('[MESH]')) return false;
  // DMG (60 GHz) BSSes are not modelled: the sim and ext drivers are 2.4/5/6 GHz.
  if (e.caps & CAP_IBSS && !w.put('[IBSS]')) return false;
  if (e.caps & CAP_ESS && !w.put('[ESS]')) return false;
  if (vendorIe(ies, P2P_IE_VENDOR_TYPE) && !w.put('[P2P]')) return false;
  // SCAN_RESULTS shows [HS20] only on an RSN BSS; BSS flags= shows it always.
  if (vendorIe(ies, HS20_IE_VENDOR_TYPE) && (!forScanResults || rsn) && !w.put('[HS20]')) return false;
  if (ieById(ies, EID_FILS_INDICATION) && !w.put('[FILS]')) return false;
  if (ieById(ies, EID_MULTI_BAND) && !w.put('[FST]')) return false;
  if (extCapab(ies, EXT_CAPAB_UTF_8_SSID) && !w.put('[UTF-8]')) return false;
  return true;
}

/** The flags column of SCAN_RESULTS for one BSS, e.g. `[WPA2-PSK-CCMP][ESS]`. */
export function bssFlags(e: BssEntry): string {
  const w = new ReplyWriter(Number.MAX_SAFE_INTEGER);
  writeFlags(w, e, parseIes(e.ies), true);
  return w.text;
}

// ----------------------------------------------------------- SCAN_RESULTS

/** wpa_supplicant_ctrl_iface_scan_result(): one row, '' for a hidden P2P listen result, undefined if it does not fit. */
function scanResultRow(e: BssEntry, room: number): string | undefined {
  const ies = parseIes(e.ies);
  // P2P Device listen results (P2P IE + SSID "DIRECT-") are not listed.
  if (vendorIe(ies, P2P_IE_VENDOR_TYPE) && e.ssid.equals(Buffer.from(P2P_WILDCARD_SSID))) return '';
  const w = new ReplyWriter(room);
  if (!w.put(`${e.bssid}\t${e.freq}\t${e.level}\t`)) return undefined;
  if (!writeFlags(w, e, ies, true)) return undefined;
  if (!w.put(`\t${ssidTxt(e.ssid)}`) || !w.put('\n')) return undefined;
  return w.text;
}

/**
 * SCAN_RESULTS: the header, then one row per BSS in BSS-table (id) order,
 * stopping before the first row that does not fit the reply buffer.
 */
export function formatScanResults(table: BssTable, bufSize = CTRL_REPLY_SIZE): string {
  const header = 'bssid / frequency / signal level / flags / ssid\n';
  if (header.length >= bufSize) return '';
  let out = header;
  for (const e of table.list()) {
    const row = scanResultRow(e, bufSize - out.length);
    if (row === undefined) break;
    out += row;
  }
  return out;
}

// ---------------------------------------------------------------------- BSS

/** DEFAULT_NOISE_FLOOR_* (scan.h): used when the driver measured no noise. */
function effectiveNoise(e: BssEntry): number {
  // nl80211 reports noise 0 with WPA_SCAN_NOISE_INVALID when no survey data
  // exists; scan_snr() then substitutes the band's default noise floor.
  if (e.noise !== 0) return e.noise;
  return e.freq > 4000 ? -92 : -89;
}

/** scan_est_throughput() for a BSS advertising legacy rates only (max rate limited by SNR). */
function estThroughput(ies: Ie[], snr: number): number {
  let rate = 0; // 500 kb/s units, as in wpa_scan_get_max_rate()
  for (const id of [EID_SUPP_RATES, EID_EXT_SUPP_RATES]) {
    for (const r of ieById(ies, id)?.body ?? []) rate = Math.max(rate, r & 0x7f);
  }
  // wpas_get_est_tpt(): the legacy rate a given SNR (dB) still supports.
  const limits: ReadonlyArray<[number, number, number]> = [
    [1, 1, 1], [2, 4, 2], [6, 5, 6], [9, 6, 9], [12, 7, 12], [12, 8, 14], [12, 9, 16], [18, 10, 18],
    [24, 11, 24], [24, 12, 27], [24, 13, 30], [24, 14, 33], [36, 15, 36], [36, 16, 39], [36, 17, 42],
    [36, 18, 45], [48, 19, 48], [48, 20, 51], [54, 21, 54],
  ];
  for (const [above, snrBelow, mbps] of limits) {
    if (rate > above * 2 && snr < snrBelow) {
      rate = mbps * 2;
      break;
    }
  }
  return rate * 500;
}

/** print_bss_info(): one entry, or '' when any line of it does not fit `room`. */
function bssInfo(table: BssTable, e: BssEntry, mask: bigint, room: number): string {
  const has = (bit: number) => (mask & BigInt(bit)) !== 0n;
  const w = new ReplyWriter(room);
  const ies = parseIes(e.ies);
  const noise = effectiveNoise(e);
  const snr = e.level - noise;
  const lines: Array<[number, () => string]> = [
    [BSS_MASK.ID, () => `id=${e.id}\n`],
    [BSS_MASK.BSSID, () => `bssid=${e.bssid}\n`],
    [BSS_MASK.FREQ, () => `freq=${e.freq}\n`],
    [BSS_MASK.BEACON_INT, () => `beacon_int=${e.beaconInt}\n`],
    [BSS_MASK.CAPABILITIES, () => `capabilities=0x${e.caps.toString(16).padStart(4, '0')}\n`],
    // nl80211 reports signal in dBm and no quality: qual is always 0.
    [BSS_MASK.QUAL, () => 'qual=0\n'],
    [BSS_MASK.NOISE, () => `noise=${noise}\n`],
    [BSS_MASK.LEVEL, () => `level=${e.level}\n`],
    // The driver protocol carries no TSF, so it reads as wpa_supplicant's zeroed field.
    [BSS_MASK.TSF, () => `tsf=${'0'.padStart(16, '0')}\n`],
    [BSS_MASK.AGE, () => `age=${table.age(e)}\n`],
    [BSS_MASK.IE, () => `ie=${e.ies.toString('hex')}\n`],
  ];
  for (const [bit, text] of lines) {
    if (has(bit) && !w.put(text())) return '';
  }
  if (has(BSS_MASK.FLAGS)) {
    if (!w.put('flags=') || !writeFlags(w, e, ies, false) || !w.put('\n')) return '';
  }
  if (has(BSS_MASK.SSID) && !w.put(`ssid=${ssidTxt(e.ssid)}\n`)) return '';
  // WPS_SCAN, P2P_SCAN, MESH_SCAN, FST and FILS_INDICATION print only for BSSes
  // carrying those elements, INTERNETW only after ANQP: none of which this
  // station produces. Wi-Fi Display subelements are plain hex, so they are kept.
  if (has(BSS_MASK.WIFI_DISPLAY)) {
    const wfd = vendorIeMulti(ies, WFD_IE_VENDOR_TYPE);
    if (wfd && (!w.put('wfd_subelems=') || !w.put(wfd.toString('hex')) || !w.put('\n'))) return '';
  }
  if (has(BSS_MASK.SNR) && !w.put(`snr=${snr}\n`)) return '';
  if (has(BSS_MASK.EST_THROUGHPUT) && !w.put(`est_throughput=${estThroughput(ies, snr)}\n`)) return '';
  // last_update_idx: the scan-results round that last updated the entry.
  if (has(BSS_MASK.UPDATE_IDX) && !w.put(`update_idx=${e.lastSeenScan}\n`)) return '';
  // BEACON_IE prints only when the driver gave Beacon IEs separately from
  // Probe Response IEs; the driver protocol carries one IE set.
  if (has(BSS_MASK.DELIM) && !w.put('====\n')) return '';
  return w.text;
}

/** C atoi(): leading blanks, optional sign, digits; nothing else. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) | 0 : 0;
}

/** strtoul(s, NULL, 16) on a 64-bit unsigned long, overflow saturating to ULONG_MAX. */
function strtoul16(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]*)/.exec(s)!;
  if (m[2] === '') return 0n;
  const max = (1n << 64n) - 1n;
  const v = BigInt(`0x${m[2]}`);
  if (v > max) return max;
  return m[1] === '-' ? (max + 1n - v) & max : v;
}

/** hwaddr_aton(): six colon-separated hex pairs; what follows is not looked at. */
function hwaddrAton(s: string): string | undefined {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}/.test(s) ? s.slice(0, 17).toLowerCase() : undefined;
}

interface Selection {
  first?: BssEntry;
  last?: BssEntry;
}

/** wpa_supplicant_ctrl_iface_bss(): which entries a selector names. */
function select(table: BssTable, cmd: string, currentBssid: string | undefined): Selection | undefined {
  const list = table.list();
  const byId = (id: number) => table.getById(id);
  if (cmd.startsWith('RANGE=')) {
    if (cmd.startsWith('ALL', 6)) return { first: list[0], last: list[list.length - 1] };
    const dash = cmd.indexOf('-', 6);
    if (dash < 0) return undefined; // "Wrong BSS range format"
    // Ids are unsigned int in C: a negative atoi wraps around.
    const id1 = cmd[6] === '-' ? 0 : atoi(cmd.slice(6)) >>> 0;
    const afterDash = cmd[dash + 1] ?? '';
    const toEnd = !(afterDash >= '0' && afterDash <= '9');
    const id2 = toEnd ? 0xffffffff : atoi(cmd.slice(dash + 1)) >>> 0;
    const first = list.find((e) => e.id >= id1 && e.id <= id2);
    let last: BssEntry | undefined;
    if (toEnd) last = list[list.length - 1];
    else {
      last = byId(id2);
      if (!last && first && id2 > id1) {
        for (let i = list.indexOf(first) + 1; i < list.length && list[i].id <= id2; i++) last = list[i];
      }
    }
    return { first, last };
  }
  if (cmd.startsWith('FIRST')) return { first: list[0] };
  if (cmd.startsWith('LAST')) return { first: list[list.length - 1] };
  if (cmd.startsWith('ID-')) return { first: byId(atoi(cmd.slice(3)) >>> 0) };
  if (cmd.startsWith('NEXT-')) {
    const cur = byId(atoi(cmd.slice(5)) >>> 0);
    return { first: cur ? list[list.indexOf(cur) + 1] : undefined };
  }
  if (cmd.startsWith('CURRENT')) return { first: currentBssid ? table.get(currentBssid) : undefined };
  // P2P Device addresses live in P2P IEs, which no BSS of this station carries.
  if (cmd.startsWith('p2p_dev_addr=')) return { first: undefined };
  const mac = hwaddrAton(cmd);
  if (mac) return { first: table.get(mac) };
  // Anything else is an index into the table (not an id); atoi() makes
  // words such as "PREV-3" index 0, and a negative index matches nothing.
  const idx = atoi(cmd);
  return { first: idx >= 0 ? list[idx] : undefined };
}

export interface FormatBssOptions {
  /** BSSID of wpa_s->current_bss, for `BSS CURRENT`. */
  currentBssid?: string;
  bufSize?: number;
}

/**
 * BSS <selector> [MASK=<hex>]: the entries as `key=value` lines. '' when
 * nothing matches or the first entry does not fit; with RANGE= as many
 * entries as fit (MASK with the DELIM bit ends each with `====`, and the
 * table's last entry with `####`).
 */
export function formatBss(table: BssTable, args: string, opts: FormatBssOptions = {}): string {
  const bufSize = opts.bufSize ?? CTRL_REPLY_SIZE;
  const sel = select(table, args, opts.currentBssid);
  let mask = BSS_MASK_ALL;
  const m = args.indexOf('MASK=');
  if (m >= 0) mask = strtoul16(args.slice(m + 5)) || BSS_MASK_ALL;
  if (!sel?.first) return '';
  const list = table.list();
  const last = sel.last ?? sel.first;
  let out = '';
  for (let i = list.indexOf(sel.first); i < list.length; i++) {
    const e = list[i];
    const entry = bssInfo(table, e, mask, bufSize - out.length);
    out += entry;
    if (e === last) {
      if ((mask & BigInt(BSS_MASK.DELIM)) !== 0n && entry !== '' && e === list[list.length - 1]) {
        out = `${out.slice(0, -5)}####\n`;
      }
      break;
    }
    if (entry === '') break;
  }
  return out;
}
