/**
 * The RSN element (IEEE 802.11-2020 9.4.2.24): parse and build.
 *
 * Optional trailing fields may be left out, but only at field boundaries; a
 * field cut in the middle, a zero suite count or a count that overruns the
 * element is an RsneParseError. Suites are named as wpa_supplicant names
 * them ("CCMP", "WPA-PSK-SHA256", "AES-128-CMAC"); suites we do not know keep
 * a printable "oo-oo-oo:n" name so that they still compare and display.
 */
import { akmBySelector, akmInfo, cipherBySelector, cipherFor, IEEE80211_OUI, selectorName } from './akm.js';

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

function suiteName(b: Buffer, off: number, kind: 'cipher' | 'akm'): string {
  const oui = b.readUIntBE(off, 3);
  const type = b[off + 3];
  if (oui === IEEE80211_OUI) {
    const known = kind === 'akm' ? akmBySelector(type)?.name : cipherBySelector(type)?.name;
    if (known) return known;
  }
  return selectorName(oui, type);
}

/** Parses an RSNE given with its Element ID and Length octets. */
export function parseRsne(ie: Buffer): Rsne {
  if (ie.length < 2) throw new RsneParseError('RSNE shorter than its header');
  if (ie[0] !== WLAN_EID_RSN) throw new RsneParseError(`element ID ${ie[0]} is not RSN (48)`);
  if (ie[1] !== ie.length - 2) throw new RsneParseError(`RSNE length ${ie[1]} does not match the ${ie.length - 2} octets given`);
  if (ie[1] < 2) throw new RsneParseError('RSNE without a version');
  const version = ie.readUInt16LE(2);
  if (version !== 1) throw new RsneParseError(`RSNE version ${version}`);
  // Defaults of 9.4.2.24.1 for fields left out.
  const r: Rsne = { version, group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-EAP'], capabilities: 0, mfpc: false, mfpr: false, pmkids: [] };
  let pos = 4;
  const left = (): number => ie.length - pos;
  const need = (n: number, what: string): void => {
    if (left() < n) throw new RsneParseError(`RSNE truncated in ${what} (${left()} of ${n} octets)`);
  };
  const suiteList = (what: string, kind: 'cipher' | 'akm'): string[] | undefined => {
    if (left() === 0) return undefined;
    need(2, `${what} count`);
    const n = ie.readUInt16LE(pos);
    pos += 2;
    if (n === 0) throw new RsneParseError(`RSNE ${what} count is 0`);
    need(4 * n, `${what} list`);
    const out: string[] = [];
    for (let i = 0; i < n; i++, pos += 4) out.push(suiteName(ie, pos, kind));
    return out;
  };

  if (left() === 0) return r;
  need(4, 'group cipher suite');
  r.group = suiteName(ie, pos, 'cipher');
  pos += 4;
  r.pairwise = suiteList('pairwise cipher', 'cipher') ?? r.pairwise;
  r.akms = suiteList('AKM', 'akm') ?? r.akms;
  if (left() === 0) return r;
  need(2, 'RSN capabilities');
  r.capabilities = ie.readUInt16LE(pos);
  r.mfpc = (r.capabilities & RsnCapab.MFPC) !== 0;
  r.mfpr = (r.capabilities & RsnCapab.MFPR) !== 0;
  pos += 2;
  if (left() === 0) return r;
  need(2, 'PMKID count');
  const n = ie.readUInt16LE(pos);
  pos += 2;
  need(16 * n, 'PMKID list');
  for (let i = 0; i < n; i++, pos += 16) r.pmkids.push(Buffer.from(ie.subarray(pos, pos + 16)));
  if (left() === 0) return r;
  need(4, 'group management cipher suite');
  r.groupMgmt = suiteName(ie, pos, 'cipher');
  // Octets after the last known field are future extensions: ignored, as 9.4.2.24.1 asks.
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

function putSuite(b: Buffer, off: number, type: number): void {
  b.writeUIntBE(IEEE80211_OUI, off, 3);
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
    putSuite(b, pos, akmInfo(a).selector);
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
