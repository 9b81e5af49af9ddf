/**
 * The quadratic-residue test of hunting-and-pecking (src/rsn/sae/quadratic-residue.ts)
 * against Euler's criterion v^((p-1)/2) mod p (noble's field exponentiation),
 * for the primes of groups 19, 20 and 21: the Legendre symbol on random and
 * edge values, and the blinded test through both of its branches (times a
 * residue, times a non-residue) and with node:crypto's randomness.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintFromBytes, bigintToBytes, saeGroup } from '../../src/rsn/sae/group.js';
import { isQuadraticResidueBlind, legendre, legendreJacobi, legendreSteps, randomQrQnr, type RandomOctets } from '../../src/rsn/sae/quadratic-residue.js';

/** Random octets whose value's lowest bit is `bit` (the blinding's r then picks that branch). */
const withParity =
  (bit: 0 | 1): RandomOctets =>
  (n) => {
    const b = randomBytes(n);
    // Only the top octet's bits above p's length are masked off: bit 0 of the last octet is r's lowest bit.
    b[n - 1] = (b[n - 1]! & 0xfe) | bit;
    return b;
  };

describe('SAE quadratic-residue test', () => {
  for (const id of [19, 20, 21]) {
    const g = saeGroup(id)!;
    const Fp = g.Point.Fp;
    const euler = (v: bigint): -1 | 0 | 1 => {
      const e = Fp.pow(Fp.create(v), (g.p - 1n) / 2n);
      return e === 0n ? 0 : e === 1n ? 1 : -1;
    };
    const values = [0n, 1n, 2n, 3n, g.p - 1n, g.p - 2n, g.p, g.p + 1n, 2n * g.p + 3n, ...Array.from({ length: 200 }, () => bigintFromBytes(randomBytes(g.primeLen)) % g.p)];

    it(`group ${id}: the Legendre symbol equals Euler's criterion on random and edge values`, () => {
      for (const v of values) expect(legendre(v, g.p), `v=${v}`).toBe(euler(v));
      // Both ways to it: posdivsteps on limbs, and the Jacobi algorithm that answers when they do not end in time.
      for (const v of values) {
        expect(legendreSteps(v, g.p), `v=${v}`).toBe(euler(v));
        expect(legendreJacobi(v, g.p), `v=${v}`).toBe(euler(v));
      }
      // Cut short, the steps give no answer (but 0 needs none).
      expect(legendreSteps(2n, g.p, 0)).toBeUndefined();
      expect(legendreSteps(g.p - 3n, g.p, 3)).toBeUndefined();
      expect(legendreSteps(g.p, g.p, 0)).toBe(0);
      // Squares are residues; a residue times a non-residue is not.
      const b = randomQrQnr(g.p);
      expect([euler(b.qr), euler(b.qnr)]).toEqual([1, -1]);
      for (const v of values.slice(9, 30)) {
        if (v === 0n) continue;
        expect(legendre(Fp.sqr(v), g.p)).toBe(1);
        expect(legendre(Fp.mul(Fp.sqr(v), b.qnr), g.p)).toBe(-1);
      }
    });

    it(`group ${id}: the blinded test answers as Euler's criterion through either blinding factor`, () => {
      const b = randomQrQnr(g.p);
      for (const random of [withParity(0), withParity(1), randomBytes]) {
        for (const v of values) expect(isQuadraticResidueBlind(b, Fp.create(v), random), `v=${v}`).toBe(euler(v) === 1);
      }
    });
  }

  it('posdivsteps agree with the Jacobi algorithm: every v for small odd moduli (one limb, primes and not), many random v for each group', () => {
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
    for (let m = 3n; m < 400n; m += 2n) {
      for (let v = 1n; v < m; v++) {
        // With a common factor f ends at the gcd, never 1: no answer (legendre() asks the Jacobi algorithm then).
        expect(legendreSteps(v, m), `(${v}/${m})`).toBe(gcd(m, v) === 1n ? legendreJacobi(v, m) : undefined);
      }
    }
    for (const id of [19, 20, 21]) {
      const p = saeGroup(id)!.p;
      for (let i = 0; i < 2000; i++) {
        const v = bigintFromBytes(randomBytes(saeGroup(id)!.primeLen + 4));
        expect(legendreSteps(v, p), `group ${id} v=${v}`).toBe(legendreJacobi(v, p));
      }
    }
  });

  it('the random octets pick the branch: an r of either parity comes out of them', () => {
    // A fixed source gives a fixed r: its value decides whether qr or qnr was used.
    const g = saeGroup(19)!;
    const odd = bigintToBytes(3n, g.primeLen);
    const even = bigintToBytes(4n, g.primeLen);
    const b = { p: g.p, qr: 1n, qnr: g.p - 1n }; // p = 3 mod 4: -1 is a non-residue
    // v = 1 is a residue: times qr (r odd) the symbol is 1, times qnr (r even) it is -1; both read as "residue".
    expect(isQuadraticResidueBlind(b, 1n, () => Buffer.from(odd))).toBe(true);
    expect(isQuadraticResidueBlind(b, 1n, () => Buffer.from(even))).toBe(true);
    expect(isQuadraticResidueBlind(b, g.p - 1n, () => Buffer.from(odd))).toBe(false);
    expect(isQuadraticResidueBlind(b, g.p - 1n, () => Buffer.from(even))).toBe(false);
  });
});
