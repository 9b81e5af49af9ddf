/**
 * EAPOL-Key Key Data: elements and KDEs (IEEE 802.11-2020 12.7.2, Table
 * 12-10), the AES-key-wrap padding rule, and builders for the KDEs the
 * handshakes send. Unknown elements and KDEs are skipped; an element that
 * overruns the Key Data is a KeyDataError.
 */
import { IEEE80211_OUI } from './akm.js';

export class KeyDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyDataError';
  }
}

export const WLAN_EID_VENDOR_SPECIFIC = 0xdd;
const WLAN_EID_RSN = 48;
const WLAN_EID_RSNX = 244;
const WLAN_EID_MDE = 54;
const WLAN_EID_FTE = 55;
export const WLAN_EID_TIMEOUT_INTERVAL = 56;

/** Timeout Interval Type of the Timeout Interval element (IEEE 802.11-2020 9.4.2.48). */
export const TimeoutIntervalType = {
  /** Reassociation deadline, in TUs. */
  REASSOC_DEADLINE: 1,
  /** Key lifetime, in seconds. */
  KEY_LIFETIME: 2,
} as const;

/** KDE data types under 00-0F-AC (a const enum: parseKde()'s cases are numbers in the code, not reads of an object). */
export const enum KdeType {
  GTK = 1,
  MAC_ADDR = 3,
  PMKID = 4,
  NONCE = 6,
  LIFETIME = 7,
  ERROR = 8,
  IGTK = 9,
  KEY_ID = 10,
  OCI = 13,
  BIGTK = 14,
}

export interface GtkKde {
  keyId: number;
  tx: boolean;
  key: Buffer;
}

export interface IgtkKde {
  keyId: number;
  /** IGTK packet number, 6 octets little-endian as carried. */
  ipn: Buffer;
  key: Buffer;
}

export interface KeyDataElements {
  /** The RSNE(s), each with its header. 802.11 allows a second one in msg 3. */
  rsne?: Buffer;
  rsne2?: Buffer;
  rsnxe?: Buffer;
  /** GTK KDE as received; its length is checked against the group cipher by the handshake. */
  gtk?: GtkKde;
  igtk?: IgtkKde;
  pmkid?: Buffer;
  mac?: Buffer;
  /** FT: the Mobility Domain and Fast BSS Transition elements (with headers) of msgs 2 and 3. */
  mde?: Buffer;
  fte?: Buffer;
  /**
   * FT: the Timeout Interval elements of msg 3 (hostapd sends both after the
   * FTE): the reassociation deadline in TUs and the PMK-R0 key lifetime in
   * seconds. As wpa_supplicant's Key Data parser, an element shorter than 5
   * octets or of another type is not understood.
   */
  reassocDeadline?: number;
  keyLifetime?: number;
  /** Elements or KDEs not understood, skipped. */
  unknown: number;
}

/**
 * Walks the Key Data. A vendor element 0xdd with length 0, or a lone 0xdd
 * in the last octet, starts the padding and ends the walk.
 */
export function parseKeyData(data: Buffer): KeyDataElements {
  const out: KeyDataElements = { unknown: 0 };
  let pos = 0;
  while (pos < data.length) {
    const id = data[pos];
    if (id === WLAN_EID_VENDOR_SPECIFIC && (pos === data.length - 1 || data[pos + 1] === 0)) break;
    if (pos + 2 > data.length) throw new KeyDataError(`Key Data element at ${pos} has no length octet`);
    const len = data[pos + 1];
    if (pos + 2 + len > data.length) throw new KeyDataError(`Key Data element ${id} at ${pos} claims ${len} octets, ${data.length - pos - 2} left`);
    // Offsets into `data`, no view per element: only a KDE's body is handed on.
    const at = pos + 2;
    if (id === WLAN_EID_RSN) {
      const ie = Buffer.from(data.subarray(pos, at + len));
      if (!out.rsne) out.rsne = ie;
      else if (!out.rsne2) out.rsne2 = ie;
    } else if (id === WLAN_EID_RSNX) {
      out.rsnxe = Buffer.from(data.subarray(pos, at + len));
    } else if (id === WLAN_EID_MDE && !out.mde) {
      out.mde = Buffer.from(data.subarray(pos, at + len));
    } else if (id === WLAN_EID_FTE && !out.fte) {
      out.fte = Buffer.from(data.subarray(pos, at + len));
    } else if (id === WLAN_EID_TIMEOUT_INTERVAL && len >= 5 && data[at] === TimeoutIntervalType.REASSOC_DEADLINE) {
      out.reassocDeadline = data.readUInt32LE(at + 1);
    } else if (id === WLAN_EID_TIMEOUT_INTERVAL && len >= 5 && data[at] === TimeoutIntervalType.KEY_LIFETIME) {
      out.keyLifetime = data.readUInt32LE(at + 1);
    } else if (id === WLAN_EID_VENDOR_SPECIFIC && len >= 4 && ((data[at] << 16) | (data[at + 1] << 8) | data[at + 2]) === IEEE80211_OUI) {
      parseKde(data[at + 3], data.subarray(at + 4, at + len), out);
    } else {
      out.unknown++;
    }
    pos += 2 + len;
  }
  return out;
}

function parseKde(type: number, d: Buffer, out: KeyDataElements): void {
  switch (type) {
    case KdeType.GTK:
      if (d.length < 2) throw new KeyDataError(`GTK KDE of ${d.length} octets`);
      out.gtk = { keyId: d[0] & 0x03, tx: (d[0] & 0x04) !== 0, key: Buffer.from(d.subarray(2)) };
      return;
    case KdeType.IGTK:
      if (d.length < 8) throw new KeyDataError(`IGTK KDE of ${d.length} octets`);
      out.igtk = { keyId: d.readUInt16LE(0), ipn: Buffer.from(d.subarray(2, 8)), key: Buffer.from(d.subarray(8)) };
      return;
    case KdeType.PMKID:
      if (d.length < 16) throw new KeyDataError(`PMKID KDE of ${d.length} octets`);
      out.pmkid = Buffer.from(d.subarray(0, 16));
      return;
    case KdeType.MAC_ADDR:
      if (d.length < 6) throw new KeyDataError(`MAC address KDE of ${d.length} octets`);
      out.mac = Buffer.from(d.subarray(0, 6));
      return;
    default:
      out.unknown++;
  }
}

function kde(type: number, data: Buffer): Buffer {
  if (data.length + 4 > 255) throw new KeyDataError(`KDE of ${data.length} octets does not fit`);
  const b = Buffer.alloc(6 + data.length);
  b[0] = WLAN_EID_VENDOR_SPECIFIC;
  b[1] = 4 + data.length;
  b.writeUIntBE(IEEE80211_OUI, 2, 3);
  b[5] = type;
  data.copy(b, 6);
  return b;
}

export function gtkKde(keyId: number, key: Buffer, tx = false): Buffer {
  if (keyId < 0 || keyId > 3) throw new KeyDataError(`GTK key ID ${keyId}`);
  return kde(KdeType.GTK, Buffer.concat([Buffer.of((keyId & 3) | (tx ? 4 : 0), 0), key]));
}

export function igtkKde(keyId: number, ipn: Buffer, key: Buffer): Buffer {
  if (ipn.length !== 6) throw new KeyDataError(`IPN of ${ipn.length} octets`);
  const id = Buffer.alloc(2);
  id.writeUInt16LE(keyId & 0xffff);
  return kde(KdeType.IGTK, Buffer.concat([id, ipn, key]));
}

export function pmkidKde(pmkid: Buffer): Buffer {
  if (pmkid.length !== 16) throw new KeyDataError(`PMKID of ${pmkid.length} octets`);
  return kde(KdeType.PMKID, pmkid);
}

/** A Timeout Interval element (9.4.2.48): its type and a 32-bit value. */
export function buildTie(type: number, value: number): Buffer {
  const b = Buffer.alloc(7);
  b[0] = WLAN_EID_TIMEOUT_INTERVAL;
  b[1] = 5;
  b[2] = type;
  b.writeUInt32LE(value, 3);
  return b;
}

/**
 * AES key wrap needs a multiple of 8 octets and at least 16: pad with 0xdd
 * followed by zeros (12.7.2, Key Data field).
 */
export function padKeyData(data: Buffer): Buffer {
  let pad = (8 - (data.length % 8)) % 8;
  if (data.length + pad < 16) pad = 16 - data.length;
  if (pad === 0) return data;
  const p = Buffer.alloc(pad);
  p[0] = WLAN_EID_VENDOR_SPECIFIC;
  return Buffer.concat([data, p]);
}
