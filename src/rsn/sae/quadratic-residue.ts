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
 * The Jacobi symbol runs as posdivsteps on limbs in plain numbers
 * (posdivsteps.ts): no BigInt is made on the way. The Jacobi algorithm with
 * a BigInt division per step (legendreJacobi) allocated a few hundred BigInts
 * per symbol and cost 230 us of guest CPU in the radio VM, 40 symbols 9-10 ms
 * per hunting-and-pecking; posdivsteps one step at a time cost 60 us, with
 * runs of halvings and multiples of f several steps at a time about 25 (host:
 * 4.5 us). When the steps give no answer, the Jacobi algorithm does.
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
import { legendreSteps } from './posdivsteps.js';

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
