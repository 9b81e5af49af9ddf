/**
 * The SAE finite cyclic groups this library runs: the ECC groups 19, 20 and 21
 * (NIST P-256, P-384, P-521; IEEE 802.11-2020 12.4.4.2, IANA "Group
 * Description" numbers). The arithmetic is @noble/curves'; this module only
 * adds the octet encodings 802.11 uses and the per-group hash that
 * hash-to-element and the key derivation take (12.4.2: SHA-256 up to 256-bit
 * primes, SHA-384 up to 384, SHA-512 above).
 *
 * FFC groups (15-18) are left out on purpose: wpa_supplicant only uses them
 * when sae_groups names them, and they are not part of WPA3-Personal.
 */
import { mapToCurveSimpleSWU } from '@noble/curves/abstract/hash-to-curve.js';
import { invertCt } from '@noble/curves/abstract/modular.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';

export type SaePoint = WeierstrassPoint<bigint>;
export type SaeHash = 'sha256' | 'sha384' | 'sha512';

export interface SaeGroup {
  /** Finite Cyclic Group number as carried in the SAE Commit. */
  id: number;
  Point: WeierstrassPointCons<bigint>;
  /** RFC 9380 6.6.2 simplified SWU map with the curve's Z (8.2-8.4), for hash-to-element. */
  mapToCurve: (u: bigint) => SaePoint;
  /** Field prime p and group order r. */
  p: bigint;
  r: bigint;
  /** Octets of p (and of r: equal for these curves), the length of scalars and coordinates. */
  primeLen: number;
  primeBits: number;
  hash: SaeHash;
  hashLen: number;
}

function group(id: number, curve: typeof p256, z: bigint, hash: SaeHash): SaeGroup {
  const Point = curve.Point;
  const { a, b } = Point.CURVE();
  const sswu = mapToCurveSimpleSWU(Point.Fp, { A: a, B: b, Z: Point.Fp.create(z) });
  return {
    id,
    Point,
    mapToCurve: (u) => Point.fromAffine(sswu(u)),
    p: Point.Fp.ORDER,
    r: Point.Fn.ORDER,
    primeLen: Point.Fp.BYTES,
    primeBits: Point.Fp.BITS,
    hash,
    hashLen: { sha256: 32, sha384: 48, sha512: 64 }[hash],
  };
}

const GROUPS: ReadonlyMap<number, SaeGroup> = new Map([
  [19, group(19, p256, -10n, 'sha256')],
  [20, group(20, p384, -12n, 'sha384')],
  [21, group(21, p521, -4n, 'sha512')],
]);

/** wpa_supplicant's order when sae_groups is unset (its default list, without the FFC groups). */
export const DEFAULT_SAE_GROUPS: readonly number[] = [19, 20, 21];

export function saeGroup(id: number): SaeGroup | undefined {
  return GROUPS.get(id);
}

/** Big-endian; a Buffer is read in place (no copy: this runs a few hundred times per SAE exchange). */
export function bigintFromBytes(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return BigInt('0x' + buf.toString('hex'));
}

/** Big-endian, left-padded to `len` octets. */
export function bigintToBytes(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}

/**
 * P's affine coordinates, for a P that is not the point at infinity, with
 * Z inverted by noble's invertCt (a fixed exponent) where P is projective:
 * noble's own toAffine() would invert with the extended Euclid, whose number
 * of steps depends on Z, and Z depends on PWE for the points SAE encodes.
 */
function affine(g: SaeGroup, p: SaePoint): { x: bigint; y: bigint } {
  return p.Z === 1n ? p.toAffine() : p.toAffine(invertCt(p.Z, g.p));
}

/** An element as 802.11 carries it (12.4.7.2.4): x || y, each the length of p. */
export function encodeElement(g: SaeGroup, pt: SaePoint): Buffer {
  const { x, y } = affine(g, pt);
  return Buffer.concat([bigintToBytes(x, g.primeLen), bigintToBytes(y, g.primeLen)]);
}

/**
 * The peer's element, or undefined when it is no valid element: coordinates
 * not below p, a point not on the curve, or the point at infinity (which has
 * no x || y encoding). 12.4.5.4 requires each of these checks.
 */
export function decodeElement(g: SaeGroup, b: Buffer): SaePoint | undefined {
  if (b.length !== 2 * g.primeLen) return undefined;
  const x = bigintFromBytes(b.subarray(0, g.primeLen));
  const y = bigintFromBytes(b.subarray(g.primeLen));
  if (x >= g.p || y >= g.p) return undefined;
  try {
    const pt = g.Point.fromAffine({ x, y });
    pt.assertValidity();
    return pt;
  } catch {
    return undefined;
  }
}

/** x^3 + ax + b in the group's field: y^2 of the points with x coordinate x, if any. */
export function curveRhs(g: SaeGroup, x: bigint): bigint {
  const Fp = g.Point.Fp;
  const { a, b } = g.Point.CURVE();
  return Fp.add(Fp.mul(Fp.add(Fp.sqr(x), a), x), b);
}

/** Non-negative a mod m. */
export function mod(a: bigint, m: bigint): bigint {
  const v = a % m;
  return v < 0n ? v + m : v;
}
