/**
 * Whether a value is a quadratic residue modulo an SAE group's prime p, the
 * test hunting-and-pecking (pwe.ts) runs in each of its 40 rounds on
 * y^2 = x^3 + ax + b.
 *
 * The symbol is a Jacobi symbol computation, not Euler's criterion
 * v^((p-1)/2) mod p: a 256-bit modular exponentiation in JavaScript BigInt
 * costs ~0.1-0.2 ms on the host. node:crypto offers no cheaper native way:
 * its createDiffieHellman (g^x mod p in OpenSSL) refuses primes below 512
 * bits ("modulus too small") and runs a primality check per prime (~12 ms for
 * P-521's); the public operation of an RSA key with modulus p (measured in the
 * radio VM) costs as much as the BigInt Jacobi algorithm, its per-call set-up
 * being most of it.
 *
 * The Jacobi symbol runs as Bernstein and Yang's binary "posdivsteps" (the
 * variant libsecp256k1 uses for it) on 24-bit limbs in plain numbers, 24
 * steps at a time from the low limbs, then one pass over the limbs: no BigInt
 * is made on the way. The Jacobi algorithm with a BigInt division per step
 * (legendreJacobi) allocated a few hundred BigInts per symbol and cost 230 us
 * of guest CPU in the radio VM, 40 symbols 9-10 ms per hunting-and-pecking,
 * the largest part of an SAE exchange; one step at a time they cost 60 us,
 * with runs of halvings and multiples of f several steps at a time (below)
 * less than half of that (host: 10 -> 4.5 us). Posdivsteps are not proven to
 * end within a bound (they do in practice: at most ~3.8 steps per bit seen);
 * past 5 per bit, the Jacobi algorithm answers.
 *
 * legendreSteps is one function with its loops inside on purpose: V8
 * optimizes it once, on the first hunting-and-pecking's loop. Split into a
 * batch function and a pass over the limbs (with the batch's state in module
 * variables, which V8 boxes), it was optimized in pieces and then again
 * whole, TurboFan compiles of ~35 ms of guest CPU each in the radio VM that
 * fell on the daemon's second to fourth SAE connections.
 *
 * Neither is constant-time, so each is only ever given a blinded value, as
 * hostap's dragonfly_is_quadratic_residue_blind does: v * r^2 * q for a fresh
 * random r and q a random quadratic residue or non-residue chosen by a random
 * bit. Whatever v is, that product is a uniform random residue or
 * non-residue, so its timing tells nothing about v (and so about the
 * password); the bit then says how to read the answer.
 */
import { pooledRandom } from '../crypto.js';
import { bigintFromBytes } from './group.js';

/** Octets in, the same count of random octets out (crypto.ts's pooledRandom by default). */
export type RandomOctets = (octets: number) => Buffer;

/**
 * The Legendre symbol (v/p) for an odd prime p by the Jacobi algorithm: 1
 * for a non-zero quadratic residue, -1 for a non-residue, 0 when p divides v.
 * Variable-time: callers with secret values go through isQuadraticResidueBlind.
 */
export function legendreJacobi(v: bigint, p: bigint): -1 | 0 | 1 {
  let a = v % p;
  if (a < 0n) a += p;
  let n = p;
  let t: -1 | 1 = 1;
  while (a !== 0n) {
    // (2/n) = -1 exactly when n = 3 or 5 mod 8.
    while ((a & 1n) === 0n) {
      a >>= 1n;
      const r = n & 7n;
      if (r === 3n || r === 5n) t = t === 1 ? -1 : 1;
    }
    // Reciprocity: (a/n) = (n/a), negated when both are 3 mod 4.
    const swap = a;
    a = n;
    n = swap;
    if ((a & 3n) === 3n && (n & 3n) === 3n) t = t === 1 ? -1 : 1;
    a %= n;
  }
  return n === 1n ? t : 0;
}

/**
 * Limbs of 24 bits: a batch of 24 steps has matrix entries below 2^24 + 1,
 * so an entry times a limb plus the carry stays far below 2^53, and the
 * batch's division by 2^24 is a shift by one limb.
 */
const LIMB_BITS = 24;
const LIMB = 2 ** LIMB_BITS;
/** 2^z for a run of z halvings (z <= LIMB_BITS). */
const POW2 = Array.from({ length: LIMB_BITS + 1 }, (_, z) => 1 << z);
/** Scratch limbs of f and g, least significant first (P-521: 22 limbs). */
const F = new Float64Array(24);
const G = new Float64Array(24);

/** The moduli's limbs, per modulus (the few SAE primes). */
const modulusLimbs = new Map<bigint, Float64Array>();

/** v (0 <= v < 2^(24n)) into n limbs of `out`. */
function toLimbs(v: bigint, out: Float64Array, n: number): void {
  const hex = v.toString(16);
  for (let i = 0, end = hex.length; i < n; i++, end -= 6) out[i] = end > 0 ? parseInt(hex.slice(Math.max(0, end - 6), end), 16) : 0;
}

/**
 * The Jacobi symbol (v/p) for an odd p > 1 by posdivsteps, or undefined when
 * they did not reach f = 1 within `maxBatches` batches of 24 steps (by
 * default 5 steps per bit of p: well past the ~3.8 they take), or p has more
 * limbs than the scratch space (above 576 bits: no SAE group).
 *
 * The state is f (odd), g >= 0, eta and a sign bit j with
 * (v/p) = (-1)^j * (g/f), from f = p, g = v mod p, eta = -1; a step is:
 * - eta < 0, g odd: swap f and g, eta <- -eta; j flips by reciprocity (f
 *   and g both 3 mod 4);
 * - g odd: g <- g + f;
 * - then g <- g / 2, eta <- eta - 1; j flips by (2/f) (f 3 or 5 mod 8).
 * Once f = 1, (g/1) = 1 and the answer is (-1)^j. The steps read only the
 * low bits of f and g, so a batch of 24 runs on their low 32 bits and
 * records what it did as the matrix (uf vf; ug vg) with
 * 2^24 (f', g') = (uf f + vf g, ug f + vg g); the pass over the limbs then
 * applies it. Inside a batch, as libsecp256k1's posdivsteps_62_var: a run of
 * halvings at once (g's trailing zeros), and between two swaps, which come
 * no sooner than eta + 1 halvings, the additions of f for several steps as
 * one multiple of f that clears as many low bits of g.
 */
export function legendreSteps(v: bigint, p: bigint, maxBatches?: number): -1 | 0 | 1 | undefined {
  let a = v % p;
  if (a < 0n) a += p;
  if (a === 0n) return 0;
  let pl = modulusLimbs.get(p);
  if (!pl) {
    const hexLen = p.toString(16).length;
    pl = new Float64Array(Math.ceil(hexLen / 6));
    if (pl.length <= F.length) toLimbs(p, pl, pl.length);
    modulusLimbs.set(p, pl);
  }
  let n = pl.length;
  if (n > F.length) return undefined;
  // 5 steps per bit of n limbs: 5 * 24 * n steps, in batches of 24.
  const batches = maxBatches ?? 5 * n;
  F.set(pl);
  toLimbs(a, G, n);
  // eta = -delta: the steps swap f and g when it is negative and g odd.
  let eta = -1;
  let j = 0;
  for (let batch = 0; ; batch++) {
    if (F[0] === 1) {
      let i = 1;
      while (i < n && F[i] === 0) i++;
      if (i === n) return (j & 1) === 1 ? -1 : 1;
    }
    if (batch === batches) return undefined;
    // The low 32 bits of f and g, wrapping int32 arithmetic: each step
    // spoils one top bit, so after the batch's 24 steps 8 exact bits remain
    // (the steps read at most 6).
    let fl = (F[0] + (n > 1 ? F[1] * LIMB : 0)) | 0;
    let gl = (G[0] + (n > 1 ? G[1] * LIMB : 0)) | 0;
    let uf = 1;
    let vf = 0;
    let ug = 0;
    let vg = 1;
    for (let left = LIMB_BITS; ; ) {
      // g's trailing zeros, at most the steps left (the sentinel bits
      // from bit `left` up): that many halvings at once.
      const w0 = gl | (-1 << left);
      const zeros = 31 - Math.clz32(w0 & -w0);
      gl >>= zeros;
      uf *= POW2[zeros];
      vf *= POW2[zeros];
      eta -= zeros;
      left -= zeros;
      // (2/f) once per halving: an odd number of them flips j.
      j ^= zeros & ((fl >> 1) ^ (fl >> 2));
      if (left === 0) break;
      // g is odd. The next eta + 1 steps cannot swap: g gets the multiple w
      // of f that clears as many of its low bits (up to 6 after a swap, 4
      // otherwise), whose halvings the next turn counts.
      let w: number;
      let bits: number;
      if (eta < 0) {
        eta = -eta;
        let t = fl;
        fl = gl;
        gl = t;
        t = uf;
        uf = ug;
        ug = t;
        t = vf;
        vf = vg;
        vg = t;
        // Reciprocity: both odd, the sign flips when both are 3 mod 4.
        j ^= (fl & gl) >> 1;
        bits = Math.min(eta + 1, left, 6);
        // -g / f mod 64: f (f^2 - 2) is -1/f mod 64 for odd f.
        w = Math.imul(Math.imul(fl, gl), Math.imul(fl, fl) - 2);
      } else {
        bits = Math.min(eta + 1, left, 4);
        // -g / f mod 16, with f + 8 ((f + 1) / 4 mod 2) as 1/f mod 16.
        w = Math.imul(-(fl + (((fl + 1) & 4) << 1)), gl);
      }
      w &= (1 << bits) - 1;
      gl = (gl + Math.imul(fl, w)) | 0;
      ug += uf * w;
      vg += vf * w;
    }
    // The lowest limb of each sum is 0 (the division by 2^24 is exact): carry only.
    let cf = (uf * F[0] + vf * G[0]) / LIMB;
    let cg = (ug * F[0] + vg * G[0]) / LIMB;
    for (let i = 1; i < n; i++) {
      const fi = F[i];
      const gi = G[i];
      cf += uf * fi + vf * gi;
      cg += ug * fi + vg * gi;
      let q = Math.floor(cf / LIMB);
      F[i - 1] = cf - q * LIMB;
      cf = q;
      q = Math.floor(cg / LIMB);
      G[i - 1] = cg - q * LIMB;
      cg = q;
    }
    F[n - 1] = cf;
    G[n - 1] = cg;
    // f and g never grow: drop the limbs both have emptied.
    while (n > 1 && F[n - 1] === 0 && G[n - 1] === 0) n--;
  }
}

/**
 * The Legendre symbol (v/p) for an odd prime p: 1 for a non-zero quadratic
 * residue, -1 for a non-residue, 0 when p divides v. Variable-time: callers
 * with secret values go through isQuadraticResidueBlind.
 */
export function legendre(v: bigint, p: bigint): -1 | 0 | 1 {
  return legendreSteps(v, p) ?? legendreJacobi(v, p);
}

/** p's length in bits and the mask of that many bits, per prime (randomBelow runs 40 times per PWE). */
const lengths = new Map<bigint, { octets: number; mask: bigint }>();

/** Uniform in [1, p - 1], by rejection; the top octet's bits above p's length masked off. */
function randomBelow(p: bigint, random: RandomOctets): bigint {
  let l = lengths.get(p);
  if (!l) {
    const bits = p.toString(2).length;
    lengths.set(p, (l = { octets: Math.ceil(bits / 8), mask: (1n << BigInt(bits)) - 1n }));
  }
  for (;;) {
    const v = bigintFromBytes(random(l.octets)) & l.mask;
    if (v > 0n && v < p) return v;
  }
}

/** A random quadratic residue and non-residue mod p: the blinding factors of one PWE derivation. */
export interface QrBlinding {
  p: bigint;
  qr: bigint;
  qnr: bigint;
}

/** hostap's dragonfly_get_random_qr_qnr: random values until one of each kind turned up. */
export function randomQrQnr(p: bigint, random: RandomOctets = pooledRandom): QrBlinding {
  let qr: bigint | undefined;
  let qnr: bigint | undefined;
  while (qr === undefined || qnr === undefined) {
    const v = randomBelow(p, random);
    const s = legendre(v, p);
    if (s === 1) qr ??= v;
    else if (s === -1) qnr ??= v;
  }
  return { p, qr, qnr };
}

/**
 * Whether v is a quadratic residue mod p (v = 0 counts as not), with the
 * symbol computed on v * r^2 * (qr or qnr) only. r's parity picks qr or qnr:
 * times a residue the symbol is v's own, times a non-residue its opposite.
 */
export function isQuadraticResidueBlind(b: QrBlinding, v: bigint, random: RandomOctets = pooledRandom): boolean {
  const r = randomBelow(b.p, random);
  const byQr = (r & 1n) === 1n;
  const blinded = (((v * r) % b.p) * r * (byQr ? b.qr : b.qnr)) % b.p;
  const s = legendre(blinded, b.p);
  return byQr ? s === 1 : s === -1;
}
