/**
 * Fast BSS Transition (IEEE 802.11-2020 12.7.1.7, 13) as far as the initial
 * mobility domain association needs it: the Mobility Domain element (MDE),
 * the Fast BSS Transition element (FTE) of the (Re)Association Response, and
 * the PMK-R0/PMK-R1 a 4-way handshake of that association is keyed with
 * (12.7.6.2-12.7.6.4: PMKR1Name in the RSNE of msgs 2 and 3, MDE and FTE in
 * their Key Data). The FT protocol itself (FT authentication over the air,
 * reassociation with an FTE MIC) is in ft-protocol.ts.
 */
import { akmInfo } from './akm.js';
import { deriveFtPmkR0, deriveFtPmkR1, type MacAddress } from './crypto.js';
import { parseRsne } from './rsne.js';

export const WLAN_EID_MDE = 54;
export const WLAN_EID_FTE = 55;
/** FTE subelements (9.4.2.47, Table 9-220). */
const FTE_SUB_R1KH_ID = 1;
const FTE_SUB_R0KH_ID = 3;

export class FtElementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FtElementError';
  }
}

/** What the FT key hierarchy of an initial mobility domain association needs from the BSS. */
export interface FtAssoc {
  /** The MDE and FTE as the (Re)Association Response carried them (elements with headers). */
  mde: Buffer;
  fte: Buffer;
  mdid: Buffer;
  r0khId: Buffer;
  /** The R1KH-ID: a MAC address (the BSSID for the APs met here). */
  r1khId: Buffer;
  ssid: Buffer;
}

/** MDE: MDID (2 octets) and the FT capability and policy field (bit 0: FT over the DS). */
export function buildMde(mdid: Buffer, capPolicy = 0): Buffer {
  if (mdid.length !== 2) throw new FtElementError(`MDID of ${mdid.length} octets`);
  return Buffer.concat([Buffer.of(WLAN_EID_MDE, 3), mdid, Buffer.of(capPolicy)]);
}

/**
 * The FTE of a (Re)Association Response in an initial mobility domain
 * association: MIC control, MIC, ANonce and SNonce all zero, the R1KH-ID and
 * R0KH-ID subelements (13.4). The MIC field is 16 octets, 24 for the
 * SHA-384 AKMs.
 */
export function buildFte(akm: string, r0khId: Buffer, r1khId: Buffer): Buffer {
  if (r0khId.length < 1 || r0khId.length > 48) throw new FtElementError(`R0KH-ID of ${r0khId.length} octets`);
  if (r1khId.length !== 6) throw new FtElementError(`R1KH-ID of ${r1khId.length} octets`);
  const fixed = Buffer.alloc(2 + ftMicLen(akm) + 32 + 32);
  const body = Buffer.concat([fixed, Buffer.of(FTE_SUB_R1KH_ID, 6), r1khId, Buffer.of(FTE_SUB_R0KH_ID, r0khId.length), r0khId]);
  return Buffer.concat([Buffer.of(WLAN_EID_FTE, body.length), body]);
}

function ftMicLen(akm: string): number {
  return akmInfo(akm).hash === 'sha384' ? 24 : 16;
}

/** The first element with this ID in a run of elements (with its header), if any. */
export function findElement(ies: Buffer, id: number): Buffer | undefined {
  let pos = 0;
  while (pos + 2 <= ies.length) {
    const len = ies[pos + 1];
    if (pos + 2 + len > ies.length) return undefined;
    if (ies[pos] === id) return Buffer.from(ies.subarray(pos, pos + 2 + len));
    pos += 2 + len;
  }
  return undefined;
}

/** The FT facts of a (Re)Association Response; throws FtElementError when its MDE or FTE is missing or malformed. */
export function parseFtAssoc(akm: string, respIes: Buffer, ssid: Buffer): FtAssoc {
  const mde = findElement(respIes, WLAN_EID_MDE);
  const fte = findElement(respIes, WLAN_EID_FTE);
  if (!mde || mde[1] !== 3) throw new FtElementError('no valid MDE in the (Re)Association Response');
  if (!fte) throw new FtElementError('no FTE in the (Re)Association Response');
  let pos = 2 + 2 + ftMicLen(akm) + 64;
  let r0khId: Buffer | undefined;
  let r1khId: Buffer | undefined;
  while (pos + 2 <= fte.length) {
    const id = fte[pos];
    const len = fte[pos + 1];
    if (pos + 2 + len > fte.length) throw new FtElementError(`FTE subelement ${id} overruns the element`);
    const v = Buffer.from(fte.subarray(pos + 2, pos + 2 + len));
    if (id === FTE_SUB_R1KH_ID) r1khId = v;
    if (id === FTE_SUB_R0KH_ID) r0khId = v;
    pos += 2 + len;
  }
  if (!r0khId || r0khId.length < 1 || r0khId.length > 48) throw new FtElementError('no valid R0KH-ID in the FTE');
  if (!r1khId || r1khId.length !== 6) throw new FtElementError('no valid R1KH-ID in the FTE');
  return { mde, fte, mdid: Buffer.from(mde.subarray(2, 4)), r0khId, r1khId, ssid };
}

/**
 * PMK-R1 and PMKR1Name of an initial mobility domain association: PMK-R0
 * from XXKey (the PSK for FT-PSK; the SAE PMK for FT-SAE; for FT-EAP the MSK's second half, for
 * which the cached PMKSA's PMK stands in here) with S0KH-ID = SPA, then
 * PMK-R1 with the R1KH-ID of the FTE and S1KH-ID = SPA.
 */
export function ftPmkR1(akm: string, xxkey: Buffer, ft: FtAssoc, spa: MacAddress): { pmkR1: Buffer; pmkR1Name: Buffer } {
  const r0 = deriveFtPmkR0({ akm, xxkey, ssid: ft.ssid, mdid: ft.mdid, r0khId: ft.r0khId, s0khId: spa });
  return deriveFtPmkR1({ akm, pmkR0: r0.pmkR0, pmkR0Name: r0.pmkR0Name, r1khId: ft.r1khId, s1khId: spa });
}

/**
 * The RSNE with its PMKID list replaced by this one PMKID (PMKR1Name in msgs 2
 * and 3 of the FT 4-way handshake, in the FT reassociation request): the
 * element's own octets with only the PMKID count and list put in or swapped,
 * so that fields after the list (the group management cipher suite, future
 * extensions) and the encoding of every other field stay exactly as the
 * element had them, as the MIC-covered comparison with the Beacon's RSNE
 * needs. Fields the element left out before the PMKID count are written
 * with their defaults, as the count cannot come without them.
 */
export function rsneWithPmkid(rsne: Buffer, pmkid: Buffer): Buffer {
  if (pmkid.length !== 16) throw new FtElementError(`PMKID of ${pmkid.length} octets`);
  parseRsne(rsne); // refuses a malformed or cut element before its octets are spliced
  const body = rsne.subarray(2);
  const parts: Buffer[] = [body.subarray(0, 2)];
  let pos = 2;
  // Each field as the element has it, or its 9.4.2.24.1 default when the element ends before it.
  const field = (len: (at: number) => number, dflt: string): void => {
    if (pos < body.length) {
      const n = len(pos);
      parts.push(body.subarray(pos, pos + n));
      pos += n;
    } else parts.push(Buffer.from(dflt, 'hex'));
  };
  const list = (at: number): number => 2 + 4 * body.readUInt16LE(at);
  field(() => 4, '000fac04'); // group data cipher: CCMP
  field(list, '0100000fac04'); // pairwise: CCMP
  field(list, '0100000fac01'); // AKM: 802.1X
  field(() => 2, '0000'); // RSN capabilities
  if (pos < body.length) pos += 2 + 16 * body.readUInt16LE(pos); // the PMKID list being replaced
  const count = Buffer.alloc(2);
  count.writeUInt16LE(1);
  const out = Buffer.concat([...parts, count, pmkid, body.subarray(pos)]);
  if (out.length > 255) throw new FtElementError(`RSNE with PMKID of ${out.length} octets does not fit an element`);
  return Buffer.concat([Buffer.of(rsne[0], out.length), out]);
}
