/**
 * Information Elements as carried in Beacon / Probe Response / (Re)Association
 * frames: a walk over (id, length, body) with every length checked. A
 * truncated trailing element ends the walk, as wpa_supplicant's ieee802_11_parse_elems
 * treats it: the elements before it still count.
 */
export const EID_SSID = 0;
export const EID_RSN = 48;
export const EID_VENDOR = 221;
/** RSN Extension element (802.11-2020 9.4.2.241). */
const EID_RSNX = 244;
/** RSNXE capability bit 5: SAE hash-to-element (bits 0-3 are the field length). */
const RSNX_SAE_H2E = 0x20;
/** Capability Information bits of a Beacon / Probe Response (IEEE 802.11 9.4.1.4). */
export const CAPAB_ESS = 0x0001;
/** Privacy: WEP, WPA, or RSN in use. */
export const CAPAB_PRIVACY = 0x0010;

export interface Ie {
  id: number;
  body: Buffer;
  /** The whole element, header included (what an RSNE comparison needs). */
  raw: Buffer;
}

export function parseIes(buf: Buffer): Ie[] {
  const out: Ie[] = [];
  let off = 0;
  while (off + 2 <= buf.length) {
    const id = buf[off];
    const len = buf[off + 1];
    if (off + 2 + len > buf.length) break;
    out.push({ id, body: buf.subarray(off + 2, off + 2 + len), raw: buf.subarray(off, off + 2 + len) });
    off += 2 + len;
  }
  return out;
}

export function findIe(buf: Buffer, id: number): Ie | undefined {
  return parseIes(buf).find((ie) => ie.id === id);
}

/** The BSS advertises SAE hash-to-element in its RSNXE. */
export function saeH2eAdvertised(ies: Buffer): boolean {
  const x = findIe(ies, EID_RSNX);
  return x !== undefined && x.body.length > 0 && (x.body[0] & RSNX_SAE_H2E) !== 0;
}
