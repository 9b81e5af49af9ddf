/**
 * The SAE computations both peers run (IEEE 802.11-2020 12.4.5): the own
 * commit (rand, mask, scalar, element), the checks of the peer's commit, the
 * shared secret k with KCK, PMK and PMKID, and the confirm value. The station
 * and authenticator state machines (station.ts, authenticator.ts) decide when.
 */
import { timingSafeEqual } from 'node:crypto';
import { hmac, kdf, pooledRandom } from '../crypto.js';
import { bigintFromBytes, bigintToBytes, decodeElement, encodeElement, mod, type SaeGroup, type SaeHash, type SaePoint } from './group.js';
import type { SaeCommit } from './frames.js';
import { SaeStatus } from './status.js';
import { multiply, multiplyX } from './scalar-mult.js';

/**
 * The AKM suite types that authenticate with SAE: 8 SAE, 9 FT-SAE, 24
 * SAE-EXT-KEY, 25 FT-SAE-EXT-KEY. 24 and 25 take a PMK as long as the group's
 * hash (802.11-2020 as amended for SAE-EXT-KEY; wpa_supplicant 2.11); 8 and 9
 * always 32 octets. (src/rsn/akm.ts has no rows for 24 and 25 yet: their KCK,
 * KEK and MIC lengths depend on the PMK length, which its table cannot say.)
 */
export const SAE_AKMS: ReadonlySet<number> = new Set([8, 9, 24, 25]);
const SAE_EXT_KEY_AKMS: ReadonlySet<number> = new Set([24, 25]);
const SAE_PMK_LEN = 32;

export type RandomSource = (octets: number) => Buffer;

export interface OwnCommit {
  rand: bigint;
  scalar: bigint;
  element: SaePoint;
  scalarBytes: Buffer;
  elementBytes: Buffer;
}

/** Uniform in [2, r - 1], by rejection: 12.4.5.2 wants rand and mask in 1 < x < r. */
export function randomScalar(g: SaeGroup, random: RandomSource = pooledRandom): bigint {
  const excess = BigInt(g.primeLen * 8 - g.primeBits);
  for (;;) {
    const v = bigintFromBytes(random(g.primeLen)) >> excess;
    if (v > 1n && v < g.r) return v;
  }
}

/** commit-scalar = (rand + mask) mod r, COMMIT-ELEMENT = inverse(mask * PWE). */
export function commitFromRandMask(g: SaeGroup, pwe: SaePoint, rand: bigint, mask: bigint): OwnCommit | undefined {
  const scalar = mod(rand + mask, g.r);
  if (scalar < 2n) return undefined;
  const element = multiply(g, pwe, mask).negate();
  return { rand, scalar, element, scalarBytes: bigintToBytes(scalar, g.primeLen), elementBytes: encodeElement(g, element) };
}

export function makeCommit(g: SaeGroup, pwe: SaePoint, random?: RandomSource): OwnCommit {
  for (;;) {
    const c = commitFromRandMask(g, pwe, randomScalar(g, random), randomScalar(g, random));
    if (c) return c;
  }
}

export interface PeerCommit {
  scalar: bigint;
  element: SaePoint;
  scalarBytes: Buffer;
  elementBytes: Buffer;
}

/**
 * The peer's scalar and element as 12.4.5.4 requires them (1 < scalar < r, a
 * valid element), or the status to answer with. A commit equal to our own is
 * a reflection: `silent` says to drop it without an answer, as hostap does.
 */
export function checkPeerCommit(g: SaeGroup, c: SaeCommit, own: OwnCommit): { ok: true; peer: PeerCommit } | { ok: false; status: number; reason: string; silent?: boolean } {
  const scalar = bigintFromBytes(c.scalar);
  if (scalar < 2n || scalar >= g.r) return { ok: false, status: SaeStatus.UNSPECIFIED_FAILURE, reason: 'peer scalar out of range' };
  const element = decodeElement(g, c.element);
  if (!element) return { ok: false, status: SaeStatus.UNSPECIFIED_FAILURE, reason: 'peer element is not a point on the curve' };
  if (scalar === own.scalar && element.equals(own.element)) {
    return { ok: false, status: SaeStatus.UNSPECIFIED_FAILURE, reason: 'reflected commit', silent: true };
  }
  return { ok: true, peer: { scalar, element, scalarBytes: Buffer.from(c.scalar), elementBytes: Buffer.from(c.element) } };
}

export interface SaeKeys {
  kck: Buffer;
  pmk: Buffer;
  pmkid: Buffer;
  /** The hash of the confirm and KCK: SHA-256 with hunting-and-pecking, the group's with H2E. */
  hash: SaeHash;
}

export interface KeyOptions {
  h2e: boolean;
  /** The AKM suite type (8 SAE, 9 FT-SAE, 24 SAE-EXT-KEY, 25 FT-SAE-EXT-KEY). */
  akm: number;
  /** H2E: the groups the station recorded as rejected; they salt keyseed (12.4.5.4). */
  rejectedGroups?: readonly number[];
}

/**
 * K = rand * (peer-scalar * PWE + PEER-ELEMENT), k = x(K);
 * keyseed = H(salt, k); KCK || PMK = KDF-Hash-Length(keyseed, "SAE KCK and PMK",
 * (scalar + peer-scalar) mod r); PMKID = the first 128 bits of that sum.
 * Undefined when K is the point at infinity (the peer's values are rejected).
 */
export function deriveKeys(g: SaeGroup, pwe: SaePoint, own: OwnCommit, peer: PeerCommit, opts: KeyOptions): SaeKeys | undefined {
  const kx = multiplyX(g, multiply(g, pwe, peer.scalar).add(peer.element), own.rand);
  if (kx === undefined) return undefined;
  const k = bigintToBytes(kx, g.primeLen);
  const hash: SaeHash = opts.h2e ? g.hash : 'sha256';
  const hashLen = opts.h2e ? g.hashLen : 32;
  let salt = Buffer.alloc(hashLen);
  if (opts.h2e && opts.rejectedGroups?.length) {
    salt = Buffer.alloc(2 * opts.rejectedGroups.length);
    opts.rejectedGroups.forEach((id, i) => salt.writeUInt16LE(id, 2 * i));
  }
  const keyseed = hmac(hash, salt, k);
  const ctx = bigintToBytes(mod(own.scalar + peer.scalar, g.r), g.primeLen);
  const pmkLen = SAE_EXT_KEY_AKMS.has(opts.akm) ? hashLen : SAE_PMK_LEN;
  const keys = kdf(hash, keyseed, 'SAE KCK and PMK', ctx, (hashLen + pmkLen) * 8);
  const out = { kck: Buffer.from(keys.subarray(0, hashLen)), pmk: Buffer.from(keys.subarray(hashLen)), pmkid: ctx.subarray(0, 16), hash };
  k.fill(0);
  keyseed.fill(0);
  keys.fill(0);
  return out;
}

/** confirm = HMAC-Hash(KCK, send-confirm || scalar || element || peer-scalar || peer-element), 12.4.5.5. */
export function confirmValue(keys: SaeKeys, sendConfirm: number, first: { scalarBytes: Buffer; elementBytes: Buffer }, second: { scalarBytes: Buffer; elementBytes: Buffer }): Buffer {
  const sc = Buffer.alloc(2);
  sc.writeUInt16LE(sendConfirm);
  return hmac(keys.hash, keys.kck, Buffer.concat([sc, first.scalarBytes, first.elementBytes, second.scalarBytes, second.elementBytes]));
}

/** Whether the peer's confirm is the one its commit and ours imply (12.4.5.6). */
export function checkConfirm(keys: SaeKeys, own: OwnCommit, peer: PeerCommit, sendConfirm: number, confirm: Buffer): boolean {
  const expected = confirmValue(keys, sendConfirm, peer, own);
  return confirm.length === expected.length && timingSafeEqual(confirm, expected);
}
