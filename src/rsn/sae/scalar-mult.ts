/**
 * Scalar multiplication of an SAE group's points, for group 19 with OpenSSL
 * (node:crypto's ECDH) rather than @noble/curves' JavaScript: an SAE exchange multiplies three
 * points that have no precomputed tables (mask * PWE for the commit element,
 * peer-scalar * PWE and rand * (...) for K), and in JavaScript those three
 * were most of an exchange's CPU (about 14 of 19 ms on the host, several
 * times that in the radio VM, where wpa_supplicant's OpenSSL did the same in
 * a fraction).
 *
 * ECDH gives only x(k * P). The full point is recovered from that and a
 * second ECDH, x((k + 1) * P): with Q = k * P, the addition law
 * x(Q + P) = ((yQ - yP) / (xQ - xP))^2 - xQ - xP fixes yQ, linearly
 * (Okeya and Sakurai's y-coordinate recovery):
 *
 *   yQ = (yQ^2 + yP^2 - (x(Q + P) + xQ + xP) * (xQ - xP)^2) / (2 * yP)
 *
 * with yQ^2 = xQ^3 + a * xQ + b. That costs one field inversion (blinded:
 * inverseBlind), of 2 * yP, which depends on P only: an SAE exchange
 * multiplies PWE twice (the commit element, then peer-scalar * PWE for K)
 * and inverts once. The build before took a square root of yQ^2 (OpenSSL's
 * point decompression) and a point addition to choose between the two roots
 * each time: in the radio VM, 2.6 of 6.3 ms of guest CPU per commit element.
 */
import { createECDH, ECDH } from 'node:crypto';
import { pooledRandom } from '../crypto.js';
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
  const { a, b } = g.Point.CURVE();
  let y: bigint;
  try {
    y = Fp.sqrt(Fp.add(Fp.add(Fp.mul(Fp.sqr(x), x), Fp.mul(a, x)), b));
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

/**
 * 1 / v mod p for a secret v (PWE's y, a coordinate of a multiple of PWE),
 * as (v * u)^-1 * u for a fresh random u: noble's inversion is the extended
 * Euclidean algorithm, whose number of steps depends on its input, and PWE
 * depends only on the password and the two addresses; v * u is a uniform
 * random non-zero value whatever v is.
 */
function inverseBlind(g: SaeGroup, v: bigint): bigint {
  const Fp = g.Point.Fp;
  let u = 0n;
  while (u === 0n) u = mod(bigintFromBytes(pooledRandom(g.primeLen + 8)), g.p);
  return Fp.mul(Fp.inv(Fp.mul(v, u)), u);
}

/**
 * P + Q in affine coordinates, its one inversion blinded (inverseBlind): for
 * K's peer-scalar * PWE + PEER-ELEMENT, whose coordinates depend on PWE, as
 * the next multiplication needs them (noble's add and toAffine would invert
 * with the variable-time Euclid). P = Q and P = -Q are left to noble: a
 * PEER-ELEMENT of +-peer-scalar * PWE needs PWE to be chosen.
 */
export function addBlind(g: SaeGroup, p: SaePoint, q: SaePoint): SaePoint {
  if (p.is0() || q.is0()) return p.add(q);
  const { x: x1, y: y1 } = p.toAffine();
  const { x: x2, y: y2 } = q.toAffine();
  if (x1 === x2) return p.add(q);
  const Fp = g.Point.Fp;
  const l = Fp.mul(Fp.sub(y2, y1), inverseBlind(g, Fp.sub(x2, x1)));
  const x3 = Fp.sub(Fp.sub(Fp.sqr(l), x1), x2);
  return g.Point.fromAffine({ x: x3, y: Fp.sub(Fp.mul(l, Fp.sub(x1, x3)), y1) });
}

/** 1 / (2 * yP) per point: PWE's serves both of an exchange's multiplications of it. */
const inverseTwoY = new WeakMap<SaePoint, bigint>();

/** k * P, k reduced mod r. */
export function multiply(g: SaeGroup, p: SaePoint, k: bigint): SaePoint {
  const s = mod(k, g.r);
  if (s === 0n || p.is0()) return g.Point.ZERO;
  const curve = NATIVE.get(g.id);
  if (!curve) return p.multiply(s);
  // Q = P and Q = -P have xQ = xP, where the recovery divides by zero.
  if (s === 1n) return p;
  if (s === g.r - 1n) return p.negate();
  const ecdh = createECDH(curve);
  const encoded = sec1(g, p);
  const xq = ecdhX(ecdh, g, encoded, s);
  const xsum = ecdhX(ecdh, g, encoded, s + 1n);
  const Fp = g.Point.Fp;
  const { a, b } = g.Point.CURVE();
  const { x: xp, y: yp } = p.toAffine();
  let inv = inverseTwoY.get(p);
  if (inv === undefined) {
    // yP is not 0: a point with y = 0 has order 2, and these groups have prime order.
    inv = inverseBlind(g, Fp.add(yp, yp));
    inverseTwoY.set(p, inv);
  }
  const yq2 = Fp.add(Fp.mul(Fp.add(Fp.sqr(xq), a), xq), b);
  const dx = Fp.sub(xq, xp);
  const yq = Fp.mul(Fp.sub(Fp.add(yq2, Fp.sqr(yp)), Fp.mul(Fp.add(Fp.add(xsum, xq), xp), Fp.sqr(dx))), inv);
  // The two x come from OpenSSL; a y that is not yQ's root means they did not belong together.
  if (!Fp.eql(Fp.sqr(yq), yq2)) throw new SaeScalarMultError('recovered point is not on the curve');
  return g.Point.fromAffine({ x: xq, y: yq });
}
