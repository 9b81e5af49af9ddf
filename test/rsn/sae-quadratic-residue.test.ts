/**
 * The quadratic-residue test of hunting-and-pecking
 * (src/rsn/sae/quadratic-residue.ts) against Euler's criterion
 * v^((p-1)/2) mod p written out here with node's own BigInt arithmetic (not
 * OpenSSL's or noble's exponentiation, which the code under test calls), for
 * the primes of groups 19, 20 and 21: OpenSSL's symbol on random and edge
 * values, and the blinded test through both branches of the blinding (times
 * a residue, times a non-residue) and with node:crypto's randomness.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintFromBytes, bigintToBytes, saeGroup } from '../../src/rsn/sae/group.js';
import { eulerCriterionNative, isQuadraticResidueBlind, randomQrQnr, type RandomOctets } from '../../src/rsn/sae/quadratic-residue.js';

/** Random octets whose value's lowest bit is `bit` (the blinding's r then picks that branch). */
const withParity =
  (bit: 0 | 1): RandomOctets =>
  (n) => {
    const b = randomBytes(n);
    // Only the top octet's bits above p's length are masked off: bit 0 of the last octet is r's lowest bit.
    b[n - 1] = (b[n - 1]! & 0xfe) | bit;
    return b;
  };

/** b^e mod m by square-and-multiply. */
function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

describe('SAE quadratic-residue test', () => {
  for (const id of [19, 20, 21]) {
    const g = saeGroup(id)!;
    const euler = (v: bigint): -1 | 0 | 1 => {
      const e = powMod(v, (g.p - 1n) / 2n, g.p);
      return e === 0n ? 0 : e === 1n ? 1 : -1;
    };
    const values = [0n, 1n, 2n, 3n, g.p - 1n, g.p - 2n, ...Array.from({ length: 100 }, () => bigintFromBytes(randomBytes(g.primeLen)) % g.p)];

    it(`group ${id}: OpenSSL's Euler criterion is the symbol, on random and edge values`, () => {
      // This machine's OpenSSL takes the key: undefined here would mean the noble fallback runs everywhere.
      for (const v of values) expect(eulerCriterionNative(g, v), `v=${v}`).toBe(euler(v));
    });

    it(`group ${id}: the blinding factors are a residue and a non-residue`, () => {
      const b = randomQrQnr(g);
      expect([euler(b.qr), euler(b.qnr)]).toEqual([1, -1]);
    });

    it(`group ${id}: the blinded test answers as Euler's criterion through either blinding factor`, () => {
      const b = randomQrQnr(g);
      for (const random of [withParity(0), withParity(1), randomBytes]) {
        for (const v of values) expect(isQuadraticResidueBlind(b, v, random), `v=${v}`).toBe(euler(v) === 1);
      }
      // Squares are residues; a residue times a non-residue is not.
      const Fp = g.Point.Fp;
      for (const v of values.slice(6, 30)) {
        expect(isQuadraticResidueBlind(b, Fp.sqr(v))).toBe(true);
        expect(isQuadraticResidueBlind(b, Fp.mul(Fp.sqr(v), b.qnr))).toBe(false);
      }
    });
  }

  it('the random octets pick the branch: an r of either parity comes out of them', () => {
    // A fixed source gives a fixed r: its value decides whether qr or qnr was used.
    const g = saeGroup(19)!;
    const odd = bigintToBytes(3n, g.primeLen);
    const even = bigintToBytes(4n, g.primeLen);
    const b = { g, qr: 1n, qnr: g.p - 1n }; // p = 3 mod 4: -1 is a non-residue
    // v = 1 is a residue: times qr (r odd) the symbol is 1, times qnr (r even) it is -1; both read as "residue".
    expect(isQuadraticResidueBlind(b, 1n, () => Buffer.from(odd))).toBe(true);
    expect(isQuadraticResidueBlind(b, 1n, () => Buffer.from(even))).toBe(true);
    expect(isQuadraticResidueBlind(b, g.p - 1n, () => Buffer.from(odd))).toBe(false);
    expect(isQuadraticResidueBlind(b, g.p - 1n, () => Buffer.from(even))).toBe(false);
    // Read the other way round, the same fixed r gives the wrong answer: the branch matters.
    expect(isQuadraticResidueBlind({ g, qr: g.p - 1n, qnr: 1n }, 1n, () => Buffer.from(odd))).toBe(false);
  });
});
