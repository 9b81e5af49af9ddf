/**
 * Whether a value is a quadratic residue modulo an SAE group's prime p, the
 * test hunting-and-pecking (pwe.ts) runs in each of its 40 rounds on
 * y^2 = x^3 + ax + b.
 *
 * The symbol is Euler's criterion v^((p-1)/2) mod p, computed by OpenSSL:
 * its RSA public operation is a modular exponentiation, and a public key
 * with modulus p and exponent (p-1)/2 makes it this one (node:crypto has no
 * other way to OpenSSL's exponentiation: its Diffie-Hellman refuses primes
 * below 512 bits). On the host it costs 40, 78 and 138 us for groups 19, 20
 * and 21 against 123, 244 and 637 us for @noble/curves' FpLegendre (2026-12-07),
 * whose BigInt exponentiation took hunting-and-pecking to twice
 * wpa_supplicant's time in the radio VM (a SAE connection that derives its
 * PWE: 96.9 ms against 2.10's 49.4). An OpenSSL that refuses such a key (a
 * FIPS provider wants 2048-bit moduli) gets noble's FpLegendre instead.
 *
 * Neither is constant-time, so each is only ever given a blinded value, as
 * hostap's dragonfly_is_quadratic_residue_blind does: v * r^2 * q for a
 * fresh random r and q a random quadratic residue or non-residue chosen by
 * r's parity. Whatever v is, that product is a uniform random residue or
 * non-residue, so its timing tells nothing about v (and so about the
 * password); the parity then says how to read the answer.
 */
import { constants, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';
import { FpLegendre } from '@noble/curves/abstract/modular.js';
import { pooledRandom } from '../crypto.js';
import { bigintFromBytes, bigintToBytes, type SaeGroup } from './group.js';

/** Octets in, the same count of random octets out (crypto.ts's pooledRandom by default). */
export type RandomOctets = (octets: number) => Buffer;

export class SaeLegendreError extends Error {
  constructor(message: string) {
    super(`SAE quadratic-residue test: ${message}`);
    this.name = 'SaeLegendreError';
  }
}

/** Per group: the key of Euler's criterion and the two answers it can give besides 0, or null where OpenSSL refused it. */
interface EulerKey {
  key: KeyObject;
  one: Buffer;
  minusOne: Buffer;
}
const eulerKeys = new Map<number, EulerKey | null>();

function eulerKey(g: SaeGroup): EulerKey | null {
  let k = eulerKeys.get(g.id);
  if (k !== undefined) return k;
  const b64 = (v: bigint): string => bigintToBytes(v, g.primeLen).toString('base64url');
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: b64(g.p), e: b64((g.p - 1n) / 2n) }, format: 'jwk' });
    k = { key, one: bigintToBytes(1n, g.primeLen), minusOne: bigintToBytes(g.p - 1n, g.primeLen) };
  } catch {
    k = null;
  }
  eulerKeys.set(g.id, k);
  return k;
}

/**
 * Euler's criterion by OpenSSL for 0 <= v < p: 1 for a non-zero quadratic
 * residue, -1 for a non-residue, 0 for 0; undefined where OpenSSL refuses
 * the key. Variable-time: callers with secret values go through
 * isQuadraticResidueBlind.
 */
export function eulerCriterionNative(g: SaeGroup, v: bigint): -1 | 0 | 1 | undefined {
  const k = eulerKey(g);
  if (!k) return undefined;
  let r: Buffer;
  try {
    r = publicEncrypt({ key: k.key, padding: constants.RSA_NO_PADDING }, bigintToBytes(v, g.primeLen));
  } catch {
    // Refused at use rather than at import: noble from now on.
    eulerKeys.set(g.id, null);
    return undefined;
  }
  if (r.equals(k.one)) return 1;
  if (r.equals(k.minusOne)) return -1;
  if (v === 0n) return 0;
  throw new SaeLegendreError('OpenSSL gave no Legendre symbol');
}

/** The Legendre symbol (v/p) for 0 <= v < p, by OpenSSL or else @noble/curves; variable-time as eulerCriterionNative. */
function legendre(g: SaeGroup, v: bigint): -1 | 0 | 1 {
  return eulerCriterionNative(g, v) ?? FpLegendre(g.Point.Fp, v);
}

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
    const s = legendre(g, v);
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
  const s = legendre(b.g, Fp.mul(Fp.mul(Fp.sqr(r), v), byQr ? b.qr : b.qnr));
  return byQr ? s === 1 : s === -1;
}
