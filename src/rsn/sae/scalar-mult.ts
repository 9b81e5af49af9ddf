/**
 * Scalar multiplication of an SAE group's points, for group 19 with OpenSSL
 * (node:crypto's ECDH) rather than @noble/curves' JavaScript: an SAE exchange
 * multiplies three points that have no precomputed tables (mask * PWE for
 * the commit element, peer-scalar * PWE and rand * (...) for K). On the host
 * noble takes ~5 ms per such multiplication of a P-256 point, OpenSSL's
 * ECDH ~0.2 ms; with a precomputed table per PWE noble takes ~0.7 ms, but
 * building the table costs ~28 ms per PWE (measured 2026-12-06 on a loaded
 * machine).
 *
 * ECDH gives only x(k * P). The full point comes from the libraries too:
 * OpenSSL's decompression of x(k * P) gives +-Q, and a second ECDH,
 * x((k + 1) * P), tells which of the two is k * P: noble's Q + P has that x,
 * -Q + P = (1 - k) * P has not (these groups have prime order, and k is not
 * +-1). The comparison is made on the projective sum, so it needs no
 * inversion.
 *
 * The multiples come out affine (decompression gives x and y). A projective
 * point given to ECDH, K's sum peer-scalar * PWE + PEER-ELEMENT, whose
 * coordinates depend on the password, is made affine by group.ts's
 * encodeElement with noble's invertCt (Fermat's inversion, whose steps do
 * not depend on the value), not the extended Euclid that toAffine() uses by
 * default.
 */
import { createECDH, ECDH } from 'node:crypto';
import { bigintFromBytes, bigintToBytes, curveRhs, encodeElement, mod, type SaeGroup, type SaePoint } from './group.js';

/**
 * OpenSSL's name of the curves it multiplies faster than @noble/curves: only
 * P-256 (group 19, WPA3's mandatory one), which OpenSSL has an optimized
 * implementation of; for P-384 and P-521 its generic code with the two ECDH
 * and the square root was slower than noble's multiplication (host, group 20
 * H2E exchange: 157 against 82 ms), so those stay with noble.
 */
const NATIVE: ReadonlyMap<number, string> = new Map([[19, 'prime256v1']]);

const UNCOMPRESSED = Buffer.of(0x04);

export class SaeScalarMultError extends Error {
  constructor(message: string) {
    super(`SAE scalar multiplication: ${message}`);
    this.name = 'SaeScalarMultError';
  }
}

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
  let y: bigint;
  try {
    y = Fp.sqrt(curveRhs(g, x));
  } catch {
    return undefined;
  }
  return g.Point.fromAffine({ x, y: (y & 1n) === 1n === odd ? y : Fp.neg(y) });
}

/**
 * x(k * P) for 0 < k < r and P not the point at infinity (so k * P is not
 * either), P given in SEC 1's uncompressed form (sec1()), with `ecdh` an
 * ECDH object of P's curve whose private key this sets. Callers make a fresh
 * one per multiplication (multiply() one for both of its products:
 * createECDH's group set-up is 0.13 ms of guest CPU): one kept per curve
 * would save the rest of the set-up but hold the last scalar, an exchange's
 * rand, for as long as the process runs.
 */
function ecdhX(ecdh: ECDH, g: SaeGroup, p: Buffer, k: bigint): bigint {
  const key = bigintToBytes(k, g.primeLen);
  ecdh.setPrivateKey(key);
  key.fill(0);
  const x = ecdh.computeSecret(p);
  const v = bigintFromBytes(x);
  x.fill(0);
  return v;
}

/**
 * SEC 1's uncompressed form, 0x04 || x || y. Not noble's toBytes(), which
 * checks the point on the curve first (BigInt work as costly as a quarter of
 * the native multiplication): OpenSSL checks it as it decodes the key.
 */
function sec1(g: SaeGroup, p: SaePoint): Buffer {
  return Buffer.concat([UNCOMPRESSED, encodeElement(g, p)]);
}

/** x(k * P), k reduced mod r; undefined when k * P is the point at infinity. */
export function multiplyX(g: SaeGroup, p: SaePoint, k: bigint): bigint | undefined {
  const s = mod(k, g.r);
  if (s === 0n || p.is0()) return undefined;
  const curve = NATIVE.get(g.id);
  return curve ? ecdhX(createECDH(curve), g, sec1(g, p), s) : p.multiply(s).toAffine().x;
}

/** k * P, k reduced mod r. */
export function multiply(g: SaeGroup, p: SaePoint, k: bigint): SaePoint {
  const s = mod(k, g.r);
  if (s === 0n || p.is0()) return g.Point.ZERO;
  const curve = NATIVE.get(g.id);
  if (!curve) return p.multiply(s);
  // k = +-1 give Q = +-P, where -Q + P or Q + P would be the point at infinity (and k + 1 = r no key).
  if (s === 1n) return p;
  if (s === g.r - 1n) return p.negate();
  const ecdh = createECDH(curve);
  const encoded = sec1(g, p);
  const xq = ecdhX(ecdh, g, encoded, s);
  const xsum = ecdhX(ecdh, g, encoded, s + 1n);
  const q = liftX(g, xq, false);
  // OpenSSL's x of a multiple of a valid point is always on the curve; no point means a broken library.
  if (!q) throw new SaeScalarMultError('x(k * P) is on no point');
  // Both roots at hand before the comparison: which one is kP (a bit of y) does not show in the time taken.
  const negated = q.negate();
  // x(Q + P) = X / Z of noble's projective sum: compared as X = x((k + 1)P) * Z, with no inversion.
  const sum = q.add(p);
  const Fp = g.Point.Fp;
  return Fp.eql(sum.X, Fp.mul(xsum, sum.Z)) ? q : negated;
}
