/**
 * Whether a value is a quadratic residue modulo an SAE group's prime p, the
 * test hunting-and-pecking (pwe.ts) runs in each of its 40 rounds on
 * y^2 = x^3 + ax + b.
 *
 * The symbol is @noble/curves' FpLegendre, Euler's criterion
 * v^((p-1)/2) mod p by the field's exponentiation. That is not constant-time
 * in BigInt, so it is only ever given a blinded value, as hostap's
 * dragonfly_is_quadratic_residue_blind does: v * r^2 * q for a fresh random r
 * and q a random quadratic residue or non-residue chosen by r's parity.
 * Whatever v is, that product is a uniform random residue or non-residue, so
 * its timing tells nothing about v (and so about the password); the parity
 * then says how to read the answer.
 *
 * The exponentiation costs ~0.1 ms on the host, where the hand-written
 * Jacobi symbol on 24-bit limbs that stood here before (commit a954247's
 * tree) took ~5 us: hunting-and-pecking's 40 or more rounds pay ~6 ms more
 * on the host, once per password element (pwe.ts caches it). Issue 13 asks
 * for the curve arithmetic from the library rather than our own big-number
 * code.
 */
import { FpLegendre } from '@noble/curves/abstract/modular.js';
import { pooledRandom } from '../crypto.js';
import { bigintFromBytes, type SaeGroup } from './group.js';

/** Octets in, the same count of random octets out (crypto.ts's pooledRandom by default). */
export type RandomOctets = (octets: number) => Buffer;

/** Uniform in [1, p - 1], by rejection; the top octet's bits above p's length masked off. */
function randomBelow(g: SaeGroup, random: RandomOctets): bigint {
  const mask = (1n << BigInt(g.primeBits)) - 1n;
  for (;;) {
    const v = bigintFromBytes(random(g.primeLen)) & mask;
    if (v > 0n && v < g.p) return v;
  }
}

/** A random quadratic residue and non-residue mod the group's p: the blinding factors of one PWE derivation. */
export interface QrBlinding {
  g: SaeGroup;
  qr: bigint;
  qnr: bigint;
}

/** hostap's dragonfly_get_random_qr_qnr: random values until one of each kind turned up. */
export function randomQrQnr(g: SaeGroup, random: RandomOctets = pooledRandom): QrBlinding {
  let qr: bigint | undefined;
  let qnr: bigint | undefined;
  while (qr === undefined || qnr === undefined) {
    const v = randomBelow(g, random);
    const s = FpLegendre(g.Point.Fp, v);
    if (s === 1) qr ??= v;
    else if (s === -1) qnr ??= v;
  }
  return { g, qr, qnr };
}

/**
 * Whether v (below p) is a quadratic residue mod p (v = 0 counts as not),
 * with the symbol computed on v * r^2 * (qr or qnr) only. r's parity picks
 * qr or qnr: times a residue the symbol is v's own, times a non-residue its
 * opposite.
 */
export function isQuadraticResidueBlind(b: QrBlinding, v: bigint, random: RandomOctets = pooledRandom): boolean {
  const Fp = b.g.Point.Fp;
  const r = randomBelow(b.g, random);
  const byQr = (r & 1n) === 1n;
  const s = FpLegendre(Fp, Fp.mul(Fp.mul(Fp.sqr(r), v), byQr ? b.qr : b.qnr));
  return byQr ? s === 1 : s === -1;
}
