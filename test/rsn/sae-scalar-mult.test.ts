/**
 * The native (OpenSSL) scalar multiplication of group 19 against
 * @noble/curves' own: the same point for random scalars and the edge ones
 * (1, r - 1, r, r + 1), and x(k * P) alone; groups 20 and 21 stay with noble.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintFromBytes, saeGroup } from '../../src/rsn/sae/group.js';
import { multiply, multiplyX } from '../../src/rsn/sae/scalar-mult.js';

describe('SAE scalar multiplication', () => {
  for (const id of [19, 20, 21]) {
    const g = saeGroup(id)!;
    // A point with no known discrete log to us, as PWE is: a random multiple of the generator.
    const p = g.Point.BASE.multiply(bigintFromBytes(randomBytes(g.primeLen)) % (g.r - 1n) + 1n);
    it(`group ${id}: k * P equals noble's for random and edge scalars; x(k * P) too; 0 and r give the point at infinity`, () => {
      const ks = [1n, 2n, g.r - 2n, g.r - 1n, g.r + 1n, ...Array.from({ length: 8 }, () => bigintFromBytes(randomBytes(g.primeLen)))];
      for (const k of ks) {
        const want = p.multiply(k % g.r);
        expect(multiply(g, p, k).equals(want), `k=${k}`).toBe(true);
        expect(multiplyX(g, p, k), `k=${k}`).toBe(want.toAffine().x);
      }
      expect(multiply(g, p, 0n).is0()).toBe(true);
      expect(multiply(g, p, g.r).is0()).toBe(true);
      expect(multiplyX(g, p, g.r)).toBeUndefined();
      expect(multiplyX(g, g.Point.ZERO, 5n)).toBeUndefined();
    });
  }
});
