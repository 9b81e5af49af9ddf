/**
 * The FT protocol over the air (IEEE 802.11-2020 13.8): a station already in
 * a mobility domain moves to another AP of it with FT Authentication
 * (algorithm 2) and a Reassociation whose FTE carries a MIC, and no 4-way
 * handshake:
 *
 *   STA → AP  Authentication seq 1: RSNE[PMKR0Name], MDE, FTE[SNonce, R0KH-ID]
 *   AP → STA  Authentication seq 2: RSNE[PMKR0Name], MDE, FTE[ANonce, SNonce, R1KH-ID, R0KH-ID]
 *   STA → AP  Reassociation Request: RSNE[PMKR1Name], MDE, FTE[MIC, ANonce, SNonce, R1KH-ID, R0KH-ID]
 *   AP → STA  Reassociation Response: RSNE[PMKR1Name], MDE, FTE[MIC, ..., GTK, IGTK]
 *
 * The PTK comes from PMK-R1 (crypto.ts deriveFtPtk); the FTE MIC is
 * AES-128-CMAC(KCK, STA-ADDR || AP-ADDR || transaction sequence number (5 for
 * the request, 6 for the response) || RSNE || MDE || FTE with a zero MIC),
 * 13.8.4/13.8.5. Checks follow wpa_supplicant 2.10's wpa_ft_process_response
 * and wpa_ft_validate_reassoc_resp. `FtRoam` is the station's side,
 * `FtTarget` the target AP's (used by the simulator), holding PMK-R0 as an
 * AP with ft_psk_generate_local=1 does: derived locally from the PSK with the
 * R0KH-ID the station names.
 *
 * Only the SHA-256 FT AKMs (FT-PSK, FT-EAP, FT-SAE): the SHA-384 one (HMAC-SHA-384 MIC,
 * 24-octet MIC field) is refused.
 */
import { akmInfo, cipherFor, cipherInfo } from './akm.js';
import { aesCmac, aesKeyUnwrap, aesKeyWrap, deriveFtPmkR0, deriveFtPmkR1, deriveFtPtk, macBytes, pooledRandom, type MacAddress, type Ptk } from './crypto.js';
import { buildMde, findElement, rsneWithPmkid, WLAN_EID_FTE, WLAN_EID_MDE, type FtAssoc } from './ft.js';
import { parseRsne, WLAN_EID_RSN } from './rsne.js';
import type { KeyInstall } from './supplicant.js';

/** Authentication Algorithm Number of FT (9.4.1.1). */
export const WLAN_AUTH_FT = 2;

/** FTE subelement IDs (9.4.2.47). */
const SUB_R1KH_ID = 1;
const SUB_GTK = 2;
const SUB_R0KH_ID = 3;
const SUB_IGTK = 4;

/** The MIC's transaction sequence numbers (13.8.4, 13.8.5). */
const SEQ_REASSOC_REQ = 5;
const SEQ_REASSOC_RESP = 6;

/** Status codes the target AP answers with (9.4.1.9). */
export const FtStatus = {
  SUCCESS: 0,
  UNSPECIFIED: 1,
  INVALID_PMKID: 53,
  INVALID_MDE: 54,
  INVALID_FTE: 55,
} as const;

/** A failed FT exchange step: what 802.11 status the AP would answer, and why. */
export class FtProtocolError extends Error {
  constructor(
    message: string,
    readonly status: number = FtStatus.UNSPECIFIED,
  ) {
    super(message);
    this.name = 'FtProtocolError';
  }
}

export interface Fte {
  /** MIC Control octet 0 (bit 0: RSNXE used) and the element count of octet 1. */
  micControl: number;
  elementCount: number;
  mic: Buffer;
  anonce: Buffer;
  snonce: Buffer;
  r0khId?: Buffer;
  r1khId?: Buffer;
  /** GTK/IGTK subelement bodies, still wrapped. */
  gtk?: Buffer;
  igtk?: Buffer;
}

const MIC_LEN = 16;
const FIXED = 2 + MIC_LEN + 32 + 32;

function sha256Ft(akm: string): void {
  const a = akmInfo(akm);
  if (!a.ft) throw new FtProtocolError(`${a.name} is not an FT AKM`);
  if (a.hash !== 'sha256') throw new FtProtocolError(`${a.name}: the FT protocol is done here for the SHA-256 FT AKMs only`);
}

/** Parses an FTE (with its header); a cut fixed field or subelement is an FtProtocolError (INVALID_FTE). */
export function parseFte(fte: Buffer): Fte {
  if (fte.length < 2 || fte[0] !== WLAN_EID_FTE || fte[1] !== fte.length - 2) throw new FtProtocolError('not an FTE', FtStatus.INVALID_FTE);
  const b = fte.subarray(2);
  if (b.length < FIXED) throw new FtProtocolError(`FTE of ${b.length} octets`, FtStatus.INVALID_FTE);
  const out: Fte = {
    micControl: b[0],
    elementCount: b[1],
    mic: Buffer.from(b.subarray(2, 2 + MIC_LEN)),
    anonce: Buffer.from(b.subarray(2 + MIC_LEN, 2 + MIC_LEN + 32)),
    snonce: Buffer.from(b.subarray(2 + MIC_LEN + 32, FIXED)),
  };
  let pos = FIXED;
  while (pos < b.length) {
    if (pos + 2 > b.length || pos + 2 + b[pos + 1] > b.length) throw new FtProtocolError(`FTE subelement ${b[pos]} overruns the element`, FtStatus.INVALID_FTE);
    const v = Buffer.from(b.subarray(pos + 2, pos + 2 + b[pos + 1]));
    if (b[pos] === SUB_R1KH_ID) out.r1khId = v;
    else if (b[pos] === SUB_R0KH_ID) out.r0khId = v;
    else if (b[pos] === SUB_GTK) out.gtk = v;
    else if (b[pos] === SUB_IGTK) out.igtk = v;
    pos += 2 + b[pos + 1];
  }
  return out;
}

/** Builds an FTE: the fixed fields (zero where not given) and the subelements in 9.4.2.47's order. */
export function buildFtFte(f: Partial<Fte> & { r0khId: Buffer }): Buffer {
  const fixed = Buffer.alloc(FIXED);
  fixed[0] = f.micControl ?? 0;
  fixed[1] = f.elementCount ?? 0;
  f.mic?.copy(fixed, 2);
  f.anonce?.copy(fixed, 2 + MIC_LEN);
  f.snonce?.copy(fixed, 2 + MIC_LEN + 32);
  const sub = (id: number, v: Buffer): Buffer => Buffer.concat([Buffer.of(id, v.length), v]);
  const parts: Buffer[] = [fixed];
  if (f.r1khId) parts.push(sub(SUB_R1KH_ID, f.r1khId));
  if (f.gtk) parts.push(sub(SUB_GTK, f.gtk));
  parts.push(sub(SUB_R0KH_ID, f.r0khId));
  if (f.igtk) parts.push(sub(SUB_IGTK, f.igtk));
  const body = Buffer.concat(parts);
  if (body.length > 255) throw new FtProtocolError(`FTE of ${body.length} octets does not fit an element`);
  return Buffer.concat([Buffer.of(WLAN_EID_FTE, body.length), body]);
}

/** The FTE MIC over STA-ADDR, AP-ADDR, the sequence number, the RSNE, the MDE and the FTE with its MIC zeroed. */
export function ftMic(kck: Buffer, sta: MacAddress, ap: MacAddress, seq: number, rsne: Buffer, mde: Buffer, fte: Buffer): Buffer {
  if (fte.length < 2 + FIXED) throw new FtProtocolError('FTE too short for a MIC', FtStatus.INVALID_FTE);
  const zeroed = Buffer.from(fte);
  zeroed.fill(0, 4, 4 + MIC_LEN);
  return aesCmac(kck, Buffer.concat([macBytes(sta), macBytes(ap), Buffer.of(seq), rsne, mde, zeroed]));
}

/** Puts the MIC into an FTE (a copy). */
function withMic(fte: Buffer, mic: Buffer): Buffer {
  const out = Buffer.from(fte);
  mic.copy(out, 4);
  return out;
}

/** GTK subelement body: Key Info (key ID), Key Length, RSC, the GTK wrapped with the KEK (padded to 8 octets as 12.7.2 pads Key Data). */
export function gtkSubelement(kek: Buffer, keyId: number, rsc: Buffer, key: Buffer): Buffer {
  const info = Buffer.alloc(2);
  info.writeUInt16LE(keyId & 3);
  let plain = key;
  if (plain.length % 8 !== 0 || plain.length < 16) {
    const pad = Buffer.alloc(Math.max(16, plain.length + 8 - (plain.length % 8)) - plain.length);
    pad[0] = 0xdd;
    plain = Buffer.concat([plain, pad]);
  }
  return Buffer.concat([info, Buffer.of(key.length), rsc.subarray(0, 8), Buffer.alloc(8 - Math.min(8, rsc.length)), aesKeyWrap(kek, plain)]);
}

/** IGTK subelement body: Key ID, IPN, Key Length, the IGTK wrapped with the KEK. */
export function igtkSubelement(kek: Buffer, keyId: number, ipn: Buffer, key: Buffer): Buffer {
  const id = Buffer.alloc(2);
  id.writeUInt16LE(keyId);
  return Buffer.concat([id, ipn, Buffer.of(key.length), aesKeyWrap(kek, key)]);
}

/** The RSNE of the FT Authentication and Reassociation Request as wpa_supplicant 2.10 writes it: one pairwise suite, one AKM, the PMKID, the group management suite when MFP is in use. */
export function ftRequestRsne(o: { group: string; pairwise: string; akm: string; capabilities: number; groupMgmt?: string }, pmkName: Buffer): Buffer {
  const suite = (oui: number, type: number): Buffer => Buffer.of((oui >> 16) & 0xff, (oui >> 8) & 0xff, oui & 0xff, type);
  const a = akmInfo(o.akm);
  const two = (n: number): Buffer => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n);
    return b;
  };
  const parts = [two(1), suite(0x000fac, cipherFor('group', o.group).selector), two(1), suite(0x000fac, cipherFor('pairwise', o.pairwise).selector), two(1), suite(a.oui, a.selector), two(o.capabilities), two(1), pmkName];
  if (o.groupMgmt) parts.push(suite(0x000fac, cipherFor('group-mgmt', o.groupMgmt).selector));
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.of(WLAN_EID_RSN, body.length), body]);
}

/** The RSNE, MDE and FTE among the elements of an FT frame; INVALID_MDE/INVALID_FTE when one is missing. */
function ftElements(ies: Buffer): { rsne: Buffer; mde: Buffer; fte: Buffer; pmkid?: Buffer } {
  const rsne = findElement(ies, WLAN_EID_RSN);
  const mde = findElement(ies, WLAN_EID_MDE);
  const fte = findElement(ies, WLAN_EID_FTE);
  if (!mde || mde[1] < 3) throw new FtProtocolError('no valid MDE', FtStatus.INVALID_MDE);
  if (!fte) throw new FtProtocolError('no FTE', FtStatus.INVALID_FTE);
  if (!rsne) throw new FtProtocolError('no RSNE', FtStatus.INVALID_PMKID);
  const pmkids = parseRsne(rsne).pmkids;
  return { rsne, mde, fte, pmkid: pmkids[0] };
}

export interface FtRoamOptions {
  akm: string;
  pairwise: string;
  group: string;
  /** The group management cipher when MFP is in use. */
  groupMgmt?: string;
  /** RSN capabilities of the station's RSNE. */
  capabilities: number;
  /** XXKey: the PSK for FT-PSK, the SAE PMK for FT-SAE; for FT-EAP the cached PMKSA's PMK stands in for it (as for the initial association). */
  xxkey: Buffer;
  /** The facts of the mobility domain from the initial association: MDID, R0KH-ID, SSID. */
  ft: FtAssoc;
  spa: MacAddress;
  random?: (n: number) => Buffer;
}

/** What the Reassociation Response gives a completed FT roam: the keys to install and the new association's FT facts. */
export interface FtRoamResult {
  ptk: Ptk & { ptkName: Buffer };
  install: KeyInstall[];
  ft: FtAssoc;
  /** The RSNE of the Reassociation Request: the station's RSNE of this association (msg 2/4 of a later PTK rekey repeats it). */
  ownRsne: Buffer;
}

/** The station's side of one FT roam over the air. */
export class FtRoam {
  private readonly pmkR0: Buffer;
  private readonly pmkR0Name: Buffer;
  private readonly snonce: Buffer;
  private anonce: Buffer | undefined;
  private pmkR1Name: Buffer | undefined;
  private r1khId: Buffer | undefined;
  private ptk: (Ptk & { ptkName: Buffer }) | undefined;
  private reqRsne: Buffer | undefined;

  constructor(
    private readonly o: FtRoamOptions,
    readonly target: string,
  ) {
    sha256Ft(o.akm);
    const r0 = deriveFtPmkR0({ akm: o.akm, xxkey: o.xxkey, ssid: o.ft.ssid, mdid: o.ft.mdid, r0khId: o.ft.r0khId, s0khId: o.spa });
    this.pmkR0 = r0.pmkR0;
    this.pmkR0Name = r0.pmkR0Name;
    this.snonce = (o.random ?? pooledRandom)(32);
  }

  /** The elements of the FT Authentication Request (seq 1). */
  authRequest(): Buffer {
    const o = this.o;
    return Buffer.concat([ftRequestRsne(o, this.pmkR0Name), buildMde(o.ft.mdid, o.ft.mde[4] ?? 0), buildFtFte({ snonce: this.snonce, r0khId: o.ft.r0khId })]);
  }

  /** Checks the FT Authentication Response (seq 2) and answers with the Reassociation Request's elements. */
  authResponse(ies: Buffer): Buffer {
    const o = this.o;
    const e = ftElements(ies);
    if (!e.mde.subarray(2, 4).equals(o.ft.mdid)) throw new FtProtocolError('MDE of another mobility domain', FtStatus.INVALID_MDE);
    const f = parseFte(e.fte);
    if (!f.snonce.equals(this.snonce)) throw new FtProtocolError('SNonce mismatch in FTE', FtStatus.INVALID_FTE);
    if (!f.r0khId?.equals(o.ft.r0khId)) throw new FtProtocolError('R0KH-ID in FTE did not match', FtStatus.INVALID_FTE);
    if (!f.r1khId || f.r1khId.length !== 6) throw new FtProtocolError('no R1KH-ID subelement in FTE', FtStatus.INVALID_FTE);
    if (!e.pmkid?.equals(this.pmkR0Name)) throw new FtProtocolError('no matching PMKR0Name (PMKID) in RSNE', FtStatus.INVALID_PMKID);
    this.anonce = f.anonce;
    this.r1khId = f.r1khId;
    const r1 = deriveFtPmkR1({ akm: o.akm, pmkR0: this.pmkR0, pmkR0Name: this.pmkR0Name, r1khId: f.r1khId, s1khId: o.spa });
    this.pmkR1Name = r1.pmkR1Name;
    this.ptk = deriveFtPtk({ akm: o.akm, pairwise: o.pairwise, pmkR1: r1.pmkR1, pmkR1Name: r1.pmkR1Name, snonce: this.snonce, anonce: f.anonce, bssid: this.target, sta: o.spa });
    const rsne = ftRequestRsne(o, r1.pmkR1Name);
    this.reqRsne = rsne;
    const mde = buildMde(o.ft.mdid, e.mde[4]);
    const fte = buildFtFte({ elementCount: 3, anonce: f.anonce, snonce: this.snonce, r1khId: f.r1khId, r0khId: o.ft.r0khId });
    return Buffer.concat([rsne, mde, withMic(fte, ftMic(this.ptk.kck, o.spa, this.target, SEQ_REASSOC_REQ, rsne, mde, fte))]);
  }

  /** Checks the Reassociation Response (its MIC with the KCK) and takes the PTK, GTK and IGTK from it. */
  reassocResponse(ies: Buffer): FtRoamResult {
    const o = this.o;
    const ptk = this.ptk;
    if (!ptk || !this.anonce || !this.r1khId || !this.pmkR1Name || !this.reqRsne) throw new FtProtocolError('Reassociation Response before the FT Authentication');
    const e = ftElements(ies);
    if (!e.mde.subarray(2, 4).equals(o.ft.mdid)) throw new FtProtocolError('MDE of another mobility domain', FtStatus.INVALID_MDE);
    const f = parseFte(e.fte);
    if (!f.snonce.equals(this.snonce)) throw new FtProtocolError('SNonce mismatch in FTE', FtStatus.INVALID_FTE);
    if (!f.anonce.equals(this.anonce)) throw new FtProtocolError('ANonce mismatch in FTE', FtStatus.INVALID_FTE);
    if (!f.r0khId?.equals(o.ft.r0khId)) throw new FtProtocolError('R0KH-ID in FTE did not match', FtStatus.INVALID_FTE);
    if (!f.r1khId?.equals(this.r1khId)) throw new FtProtocolError('R1KH-ID in FTE did not match', FtStatus.INVALID_FTE);
    if (!e.pmkid?.equals(this.pmkR1Name)) throw new FtProtocolError('no matching PMKR1Name (PMKID) in RSNE', FtStatus.INVALID_PMKID);
    if (f.elementCount !== 3) throw new FtProtocolError(`unexpected IE count in MIC Control: received ${f.elementCount} expected 3`, FtStatus.INVALID_FTE);
    const mic = ftMic(ptk.kck, o.spa, this.target, SEQ_REASSOC_RESP, e.rsne, e.mde, e.fte);
    if (!mic.equals(f.mic)) throw new FtProtocolError('invalid MIC in FTE', FtStatus.INVALID_FTE);
    const install: KeyInstall[] = [{ kind: 'pairwise', idx: 0, cipher: o.pairwise, key: ptk.tk }];
    if (f.gtk) install.push(unwrapGtk(ptk.kek, f.gtk, o.group));
    if (f.igtk && o.groupMgmt) install.push(unwrapIgtk(ptk.kek, f.igtk, o.groupMgmt));
    const ft: FtAssoc = { mde: e.mde, fte: e.fte, mdid: o.ft.mdid, r0khId: o.ft.r0khId, r1khId: this.r1khId, ssid: o.ft.ssid };
    return { ptk, install, ft, ownRsne: this.reqRsne };
  }
}

/** Key Info[2] | Key Length[1] | RSC[8] | wrapped GTK, checked as wpa_ft_process_gtk_subelem does. */
function unwrapGtk(kek: Buffer, sub: Buffer, group: string): KeyInstall {
  if (sub.length < 11 + 24 || (sub.length - 11) % 8 !== 0) throw new FtProtocolError(`invalid GTK subelement length ${sub.length}`, FtStatus.INVALID_FTE);
  const keyLen = cipherInfo(group).keyLen;
  if (sub[2] !== keyLen) throw new FtProtocolError(`GTK length ${sub[2]} for ${group}`, FtStatus.INVALID_FTE);
  const plain = unwrap(kek, sub.subarray(11));
  return { kind: 'group', idx: sub.readUInt16LE(0) & 3, cipher: group, key: Buffer.from(plain.subarray(0, keyLen)), rsc: Buffer.from(sub.subarray(3, 11)) };
}

/** KeyID[2] | IPN[6] | Key Length[1] | wrapped IGTK. */
function unwrapIgtk(kek: Buffer, sub: Buffer, groupMgmt: string): KeyInstall {
  const keyLen = cipherInfo(groupMgmt).keyLen;
  if (sub.length !== 2 + 6 + 1 + keyLen + 8 || sub[8] !== keyLen) throw new FtProtocolError(`invalid IGTK subelement length ${sub.length}`, FtStatus.INVALID_FTE);
  return { kind: 'igtk', idx: sub.readUInt16LE(0), cipher: groupMgmt, key: unwrap(kek, sub.subarray(9)), rsc: Buffer.from(sub.subarray(2, 8)) };
}

function unwrap(kek: Buffer, wrapped: Buffer): Buffer {
  try {
    return aesKeyUnwrap(kek, wrapped);
  } catch {
    throw new FtProtocolError('AES unwrap of a key subelement failed', FtStatus.INVALID_FTE);
  }
}

export interface FtTargetOptions {
  akm: string;
  pairwise: string;
  /** The AP's own RSNE (Beacon): the PMKIDs go into a copy of it. */
  apRsne: Buffer;
  /** XXKey: the PSK (FT-PSK), the station's SAE PMK (FT-SAE), or the PMK standing in for it (FT-EAP), from which PMK-R0 is derived locally. */
  xxkey: Buffer;
  ssid: Buffer;
  mdid: Buffer;
  /** The MDE this AP advertises. */
  mde: Buffer;
  /** This AP's BSSID, also its R1KH-ID. */
  aa: MacAddress;
  spa: MacAddress;
  gtk: { idx: number; key: Buffer; rsc?: Buffer };
  igtk?: { idx: number; key: Buffer; ipn?: Buffer };
  random?: (n: number) => Buffer;
}

/** The target AP's side of an FT roam over the air. */
export class FtTarget {
  private readonly aa: Buffer;
  private state: { anonce: Buffer; snonce: Buffer; r0khId: Buffer; pmkR1Name: Buffer; ptk: Ptk; authResp: Buffer } | undefined;

  constructor(private readonly o: FtTargetOptions) {
    sha256Ft(o.akm);
    this.aa = macBytes(o.aa);
  }

  /** Answers an FT Authentication Request: the response's elements, or an FtProtocolError with the status to refuse it with. */
  authRequest(ies: Buffer): Buffer {
    const o = this.o;
    const e = ftElements(ies);
    if (!e.mde.subarray(2, 4).equals(o.mdid)) throw new FtProtocolError('MDE of another mobility domain', FtStatus.INVALID_MDE);
    const f = parseFte(e.fte);
    if (!f.r0khId || f.r0khId.length < 1 || f.r0khId.length > 48) throw new FtProtocolError('no R0KH-ID in FTE', FtStatus.INVALID_FTE);
    if (!e.pmkid) throw new FtProtocolError('no PMKR0Name in RSNE', FtStatus.INVALID_PMKID);
    // ft_psk_generate_local: PMK-R0 from the PSK and the station's R0KH-ID, good if it has the name the station gave.
    const r0 = deriveFtPmkR0({ akm: o.akm, xxkey: o.xxkey, ssid: o.ssid, mdid: o.mdid, r0khId: f.r0khId, s0khId: o.spa });
    if (!r0.pmkR0Name.equals(e.pmkid)) throw new FtProtocolError('no PMK-R0 of that PMKR0Name', FtStatus.INVALID_PMKID);
    const r1 = deriveFtPmkR1({ akm: o.akm, pmkR0: r0.pmkR0, pmkR0Name: r0.pmkR0Name, r1khId: this.aa, s1khId: o.spa });
    const anonce = (o.random ?? pooledRandom)(32);
    const ptk = deriveFtPtk({ akm: o.akm, pairwise: o.pairwise, pmkR1: r1.pmkR1, pmkR1Name: r1.pmkR1Name, snonce: f.snonce, anonce, bssid: this.aa, sta: o.spa });
    const resp = Buffer.concat([rsneWithPmkid(o.apRsne, r0.pmkR0Name), o.mde, buildFtFte({ anonce, snonce: f.snonce, r1khId: this.aa, r0khId: f.r0khId })]);
    this.state = { anonce, snonce: f.snonce, r0khId: f.r0khId, pmkR1Name: r1.pmkR1Name, ptk, authResp: resp };
    return resp;
  }

  /** Checks a Reassociation Request's FT elements (MIC with the KCK) and builds the response's, with the GTK and IGTK. */
  reassocRequest(ies: Buffer): { ies: Buffer; ptk: Ptk } {
    const o = this.o;
    const s = this.state;
    if (!s) throw new FtProtocolError('Reassociation Request without FT Authentication', FtStatus.INVALID_PMKID);
    const e = ftElements(ies);
    const f = parseFte(e.fte);
    if (!e.pmkid?.equals(s.pmkR1Name)) throw new FtProtocolError('no matching PMKR1Name in RSNE', FtStatus.INVALID_PMKID);
    if (!f.snonce.equals(s.snonce) || !f.anonce.equals(s.anonce)) throw new FtProtocolError('nonce mismatch in FTE', FtStatus.INVALID_FTE);
    if (!ftMic(s.ptk.kck, o.spa, this.aa, SEQ_REASSOC_REQ, e.rsne, e.mde, e.fte).equals(f.mic)) throw new FtProtocolError('invalid MIC in FTE', FtStatus.INVALID_FTE);
    const rsne = rsneWithPmkid(o.apRsne, s.pmkR1Name);
    const gtk = gtkSubelement(s.ptk.kek, o.gtk.idx, o.gtk.rsc ?? Buffer.alloc(8), o.gtk.key);
    const igtk = o.igtk ? igtkSubelement(s.ptk.kek, o.igtk.idx, o.igtk.ipn ?? Buffer.alloc(6), o.igtk.key) : undefined;
    const fte = buildFtFte({ elementCount: 3, anonce: s.anonce, snonce: s.snonce, r1khId: this.aa, r0khId: s.r0khId, gtk, igtk });
    const mic = ftMic(s.ptk.kck, o.spa, this.aa, SEQ_REASSOC_RESP, rsne, o.mde, fte);
    return { ies: Buffer.concat([rsne, o.mde, withMic(fte, mic)]), ptk: s.ptk };
  }
}
