/**
 * Scalar multiplication of an SAE group's points, for group 19 with OpenSSL
 * (node:crypto's ECDH) rather than @noble/curves' JavaScript: an SAE exchange multiplies three
 * points that have no precomputed tables (mask * PWE for the commit element,
 * peer-scalar * PWE and rand * (...) for K), and in JavaScript those three
 * were most of an exchange's CPU (about 14 of 19 ms on the host, several
 * times that in the radio VM, where wpa_supplicant's OpenSSL did the same in
 * a fraction).
 *
 * ECDH gives only x(k * P). The full point is recovered from that: y is one
 * of the two square roots of x^3 + ax + b, and the one that makes
 * x(Q + P) = x((k + 1) * P) (a second ECDH) is it; the other root cannot
 * (that would need 2P or 2Q to be the point at infinity, impossible in a
 * group of prime order).
 */
import { createECDH, ECDH } from 'node:crypto';
import { bigintFromBytes, bigintToBytes, encodeElement, mod, type SaeGroup, type SaePoint } from './group.js';

/**
 * OpenSSL's name of the curves it multiplies faster than @noble/curves: only
 * P-256 (group 19, WPA3's mandatory one), which OpenSSL has an optimized
 * implementation of; for P-384 and P-521 its generic code with the two ECDH
 * and the square root was slower than noble's multiplication (host, group 20
 * H2E exchange: 157 against 82 ms), so those stay with noble.
 */
const NATIVE: ReadonlyMap<number, string> = new Map([[19, 'prime256v1']]);

const UNCOMPRESSED = Buffer.of(0x04);

/**
 * The point with x coordinate x whose y has the parity `odd`, or undefined
 * when x^3 + ax + b has no square root (no such point). Group 19: OpenSSL's
 * decompression of SEC 1's compressed form (0x02 even y, 0x03 odd), about a
 * third of the CPU of noble's square root in BigInt; other groups: noble.
 */
export function liftX(g: SaeGroup, x: bigint, odd: boolean): SaePoint | undefined {
  const curve = NATIVE.get(g.id);
  if (curve) {
    let u: Buffer;
    try {
      u = ECDH.convertKey(Buffer.concat([Buffer.of(odd ? 0x03 : 0x02), bigintToBytes(x, g.primeLen)]), curve, undefined, undefined, 'uncompressed') as Buffer;
    } catch {
      return undefined;
    }
    return g.Point.fromAffine({ x, y: bigintFromBytes(u.subarray(1 + g.primeLen)) });
  }
  const Fp = g.Point.Fp;
  const { a, b } = g.Point.CURVE();
  let y: bigint;
  try {
    y = Fp.sqrt(Fp.add(Fp.add(Fp.mul(Fp.sqr(x), x), Fp.mul(a, x)), b));
  } catch {
    return undefined;
  }
  return g.Point.fromAffine({ x, y: (y & 1n) === 1n === odd ? y : Fp.neg(y) });
}

/** x(k * P) for 0 < k < r and P not the point at infinity (so k * P is not either). */
function ecdhX(curve: string, g: SaeGroup, p: SaePoint, k: bigint): bigint {
  const ecdh = createECDH(curve);
  const key = bigintToBytes(k, g.primeLen);
  ecdh.setPrivateKey(key);
  key.fill(0);
  // SEC 1's uncompressed form, 0x04 || x || y. Not noble's toBytes(), which
  // checks the point on the curve first (BigInt work as costly as a quarter of
  // the native multiplication): OpenSSL checks it as it decodes the key.
  const x = ecdh.computeSecret(Buffer.concat([UNCOMPRESSED, encodeElement(g, p)]));
  const v = bigintFromBytes(x);
  x.fill(0);
  return v;
}

/** x(k * P), k reduced mod r; undefined when k * P is the point at infinity. */
export function multiplyX(g: SaeGroup, p: SaePoint, k: bigint): bigint | undefined {
  const s = mod(k, g.r);
  if (s === 0n || p.is0()) return undefined;
  const curve = NATIVE.get(g.id);
  return curve ? ecdhX(curve, g, p, s) : p.multiply(s).toAffine().x;
}

/** k * P, k reduced mod r. */
export function multiply(g: SaeGroup, p: SaePoint, k: bigint): SaePoint {
  const s = mod(k, g.r);
  if (s === 0n || p.is0()) return g.Point.ZERO;
  const curve = NATIVE.get(g.id);
  if (!curve) return p.multiply(s);
  if (s === g.r - 1n) return p.negate();
  const x = ecdhX(curve, g, p, s);
  const next = ecdhX(curve, g, p, s + 1n);
  const Fp = g.Point.Fp;
  // x is the x of a point (k * P): it lifts.
  const q = liftX(g, x, false)!;
  // x(Q + P) = X / Z in projective coordinates: compared as X = next * Z,
  // without the inversion toAffine() costs. Q + P at infinity (Z = 0, which
  // that comparison would pass) means the wrong root: Q = -P, but k + 1 < r.
  const sum = q.add(p);
  return !sum.is0() && Fp.eql(sum.X, Fp.mul(next, sum.Z)) ? q : q.negate();
}
