/**
 * The RSN element (IEEE 802.11-2020 9.4.2.24): parse and build.
 *
 * Optional trailing fields may be left out, but only at field boundaries; a
 * field cut in the middle, a zero suite count or a count that overruns the
 * element is an RsneParseError. Suites are named as wpa_supplicant names
 * them ("CCMP", "WPA-PSK-SHA256", "AES-128-CMAC"); suites we do not know keep
 * a printable "oo-oo-oo:n" name so that they still compare and display.
 */
import { akmBySuite, akmFacts, cipherBySelector, cipherFor, IEEE80211_OUI, selectorName, UnknownSuiteError } from './akm.js';

export const WLAN_EID_RSN = 48;

/** RSN Capabilities bits used here. */
export const RsnCapab = {
  PREAUTH: 0x0001,
  NO_PAIRWISE: 0x0002,
  PTKSA_REPLAY_COUNTER_MASK: 0x000c,
  GTKSA_REPLAY_COUNTER_MASK: 0x0030,
  MFPR: 0x0040,
  MFPC: 0x0080,
  EXTENDED_KEY_ID: 0x2000,
} as const;

export class RsneParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RsneParseError';
  }
}

export interface Rsne {
  version: number;
  group: string;
  pairwise: string[];
  akms: string[];
  capabilities: number;
  mfpc: boolean;
  mfpr: boolean;
  pmkids: Buffer[];
  /** Present only when the element carries it; absent means the default (AES-128-CMAC) when MFP is used. */
  groupMgmt?: string;
}

/**
 * The fields of an RSNE body (after Element ID and Length) as 32-bit suite
 * selectors (OUI << 8 | type), walked by the one reader both consumers use:
 * parseRsne() below, and the scan flags, which must accept and refuse
 * exactly what wpa_supplicant's wpa_parse_wpa_ie_rsn() does.
 */
export interface RsneFields {
  group?: number;
  pairwise?: number[];
  akms?: number[];
  capabilities?: number;
  pmkids: Buffer[];
  groupMgmt?: number;
  /**
   * An optional trailing field cut short (the RSN capabilities, the PMKID
   * count or the group management suite): wpa_supplicant ignores the stray
   * octets, a strict reader refuses them.
   */
  cut?: string;
}

/**
 * Walks an RSNE body. `versioned`: the body starts with the version (an
 * RSNE; an OSEN element has none). Throws RsneParseError where
 * wpa_parse_wpa_ie_rsn() fails: a wrong version, a cut group suite or count,
 * a zero suite count, a list or PMKID count that overruns the element.
 */
export function walkRsneBody(body: Buffer, versioned = true): RsneFields {
  const f: RsneFields = { pmkids: [] };
  let pos = 0;
  if (versioned) {
    if (body.length < 2) throw new RsneParseError('RSNE without a version');
    const version = body.readUInt16LE(0);
    if (version !== 1) throw new RsneParseError(`RSNE version ${version}`);
    pos = 2;
  }
  const left = (): number => body.length - pos;
  const suite = (): number => {
    const v = body.readUInt32BE(pos);
    pos += 4;
    return v;
  };
  const suiteList = (what: string): number[] | undefined => {
    if (left() === 0) return undefined;
    if (left() < 2) throw new RsneParseError(`RSNE truncated in ${what} count (${left()} of 2 octets)`);
    const n = body.readUInt16LE(pos);
    pos += 2;
    if (n === 0) throw new RsneParseError(`RSNE ${what} count is 0`);
    if (left() < 4 * n) throw new RsneParseError(`RSNE truncated in ${what} list (${left()} of ${4 * n} octets)`);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(suite());
    return out;
  };
  if (left() === 0) return f;
  if (left() < 4) throw new RsneParseError(`RSNE truncated in group cipher suite (${left()} of 4 octets)`);
  f.group = suite();
  f.pairwise = suiteList('pairwise cipher');
  f.akms = suiteList('AKM');
  if (left() === 0) return f;
  if (left() < 2) return { ...f, cut: 'RSN capabilities' };
  f.capabilities = body.readUInt16LE(pos);
  pos += 2;
  if (left() === 0) return f;
  if (left() < 2) return { ...f, cut: 'PMKID count' };
  const n = body.readUInt16LE(pos);
  pos += 2;
  if (left() < 16 * n) throw new RsneParseError(`RSNE truncated in PMKID list (${left()} of ${16 * n} octets)`);
  for (let i = 0; i < n; i++, pos += 16) f.pmkids.push(Buffer.from(body.subarray(pos, pos + 16)));
  if (left() === 0) return f;
  if (left() < 4) return { ...f, cut: 'group management cipher suite' };
  f.groupMgmt = suite();
  // Octets after the last known field are future extensions: ignored, as 9.4.2.24.1 asks.
  return f;
}

function suiteName(sel: number, kind: 'cipher' | 'akm'): string {
  const oui = sel >>> 8;
  const type = sel & 0xff;
  const known = kind === 'akm' ? akmBySuite(oui, type)?.name : oui === IEEE80211_OUI ? cipherBySelector(type)?.name : undefined;
  return known ?? selectorName(oui, type);
}

/** Parses an RSNE given with its Element ID and Length octets; strict: a cut trailing field is an error. */
export function parseRsne(ie: Buffer): Rsne {
  if (ie.length < 2) throw new RsneParseError('RSNE shorter than its header');
  if (ie[0] !== WLAN_EID_RSN) throw new RsneParseError(`element ID ${ie[0]} is not RSN (48)`);
  if (ie[1] !== ie.length - 2) throw new RsneParseError(`RSNE length ${ie[1]} does not match the ${ie.length - 2} octets given`);
  const f = walkRsneBody(ie.subarray(2));
  if (f.cut) throw new RsneParseError(`RSNE truncated in ${f.cut}`);
  // Defaults of 9.4.2.24.1 for fields left out.
  const capabilities = f.capabilities ?? 0;
  const r: Rsne = {
    version: 1,
    group: f.group === undefined ? 'CCMP' : suiteName(f.group, 'cipher'),
    pairwise: f.pairwise?.map((s) => suiteName(s, 'cipher')) ?? ['CCMP'],
    akms: f.akms?.map((s) => suiteName(s, 'akm')) ?? ['WPA-EAP'],
    capabilities,
    mfpc: (capabilities & RsnCapab.MFPC) !== 0,
    mfpr: (capabilities & RsnCapab.MFPR) !== 0,
    pmkids: f.pmkids,
  };
  if (f.groupMgmt !== undefined) r.groupMgmt = suiteName(f.groupMgmt, 'cipher');
  return r;
}

export interface RsneBuild {
  version?: number;
  group: string;
  pairwise: string[];
  akms: string[];
  /** Other capability bits; MFPC/MFPR come from the flags below. */
  capabilities?: number;
  mfpc?: boolean;
  mfpr?: boolean;
  pmkids?: Buffer[];
  groupMgmt?: string;
}

function putSuite(b: Buffer, off: number, type: number, oui = IEEE80211_OUI): void {
  b.writeUIntBE(oui, off, 3);
  b[off + 3] = type;
}

/**
 * Builds an RSNE the way wpa_supplicant writes its own: capabilities always,
 * the PMKID list only when there is one, and the group management suite only
 * when it is not the default AES-128-CMAC (then with a PMKID count of 0 if
 * needed to reach that field).
 */
export function buildRsne(o: RsneBuild): Buffer {
  if (o.pairwise.length === 0 || o.akms.length === 0) throw new RsneParseError('RSNE needs at least one pairwise cipher and one AKM');
  const pmkids = o.pmkids ?? [];
  for (const p of pmkids) if (p.length !== 16) throw new RsneParseError(`PMKID of ${p.length} octets`);
  const mgmt = o.groupMgmt !== undefined ? cipherFor('group-mgmt', o.groupMgmt) : undefined;
  const withMgmt = mgmt !== undefined && mgmt.name !== 'AES-128-CMAC';
  const withPmkids = pmkids.length > 0 || withMgmt;
  const len = 2 + 4 + 2 + 4 * o.pairwise.length + 2 + 4 * o.akms.length + 2 + (withPmkids ? 2 + 16 * pmkids.length : 0) + (withMgmt ? 4 : 0);
  if (len > 255) throw new RsneParseError(`RSNE of ${len} octets does not fit an element`);
  const b = Buffer.alloc(2 + len);
  b[0] = WLAN_EID_RSN;
  b[1] = len;
  b.writeUInt16LE(o.version ?? 1, 2);
  putSuite(b, 4, cipherFor('group', o.group).selector);
  let pos = 8;
  b.writeUInt16LE(o.pairwise.length, pos);
  pos += 2;
  for (const c of o.pairwise) {
    putSuite(b, pos, cipherFor('pairwise', c).selector);
    pos += 4;
  }
  b.writeUInt16LE(o.akms.length, pos);
  pos += 2;
  for (const a of o.akms) {
    const akm = akmFacts(a);
    if (!akm) throw new UnknownSuiteError(`unsupported AKM ${a}`);
    putSuite(b, pos, akm.selector, akm.oui);
    pos += 4;
  }
  let caps = (o.capabilities ?? 0) & ~(RsnCapab.MFPC | RsnCapab.MFPR);
  if (o.mfpc || o.mfpr) caps |= RsnCapab.MFPC;
  if (o.mfpr) caps |= RsnCapab.MFPR;
  b.writeUInt16LE(caps, pos);
  pos += 2;
  if (withPmkids) {
    b.writeUInt16LE(pmkids.length, pos);
    pos += 2;
    for (const p of pmkids) {
      p.copy(b, pos);
      pos += 16;
    }
  }
  if (withMgmt) putSuite(b, pos, mgmt.selector);
  return b;
}
