/**
 * The modular inversion of src/rsn/sae/posdivsteps.ts (inverseSteps, the
 * field inversions of SAE's y-coordinate recovery and point addition)
 * against noble's field inversion for the primes of groups 19, 20 and 21,
 * and against the definition for every value of small odd moduli. (The
 * Legendre symbol it also computes is checked in sae-quadratic-residue.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintFromBytes, saeGroup } from '../../src/rsn/sae/group.js';
import { inverseSteps } from '../../src/rsn/sae/posdivsteps.js';

describe('SAE posdivsteps inversion', () => {
  for (const id of [19, 20, 21]) {
    const g = saeGroup(id)!;
    const Fp = g.Point.Fp;
    it(`group ${id}: 1 / v mod p equals noble's on random and edge values; 0 has none`, () => {
      const values = [1n, 2n, 3n, g.p - 1n, g.p - 2n, g.p + 1n, 2n * g.p + 3n, -5n, ...Array.from({ length: 500 }, () => bigintFromBytes(randomBytes(g.primeLen + 4)))];
      for (const v of values) {
        if (Fp.create(v) === 0n) continue;
        const inv = inverseSteps(v, g.p);
        expect(inv, `v=${v}`).toBe(Fp.inv(Fp.create(v)));
        expect(Fp.mul(inv!, Fp.create(v))).toBe(1n);
      }
      expect(inverseSteps(0n, g.p)).toBeUndefined();
      expect(inverseSteps(g.p, g.p)).toBeUndefined();
    });
  }

  it('every v of small odd moduli (one limb, primes and not): the inverse when coprime, undefined when not', () => {
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
    for (let m = 3n; m < 300n; m += 2n) {
      for (let v = 1n; v < m; v++) {
        const inv = inverseSteps(v, m);
        if (gcd(m, v) === 1n) expect((inv! * v) % m, `1/${v} mod ${m}`).toBe(1n);
        else expect(inv, `1/${v} mod ${m}`).toBeUndefined();
      }
    }
  });

  it('moduli of several limbs, random odd ones: d and e stay exact through many batches', () => {
    for (let i = 0; i < 200; i++) {
      const m = bigintFromBytes(randomBytes(8 + (i % 60))) | 1n;
      if (m < 3n) continue;
      const v = bigintFromBytes(randomBytes(70)) % m;
      const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
      const inv = inverseSteps(v, m);
      if (v !== 0n && gcd(m, v) === 1n) expect((inv! * v) % m, `1/${v} mod ${m}`).toBe(1n);
      else expect(inv).toBeUndefined();
    }
  });
});
