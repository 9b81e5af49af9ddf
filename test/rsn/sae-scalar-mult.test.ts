/**
 * The native (OpenSSL) scalar multiplication of group 19 against
 * @noble/curves' own: the same point for random scalars and the edge ones
 * (1, r - 1, r, r + 1), and x(k * P) alone; groups 20 and 21 stay with noble.
 * liftX (a point from x and y's parity; OpenSSL's decompression for group 19)
 * against noble's points, and an x with no point. x(k * (P + Q)) of a
 * projective sum (K's computation, whose affine form multiplyX takes with a
 * constant-time inversion) against noble's.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintFromBytes, saeGroup } from '../../src/rsn/sae/group.js';
import { liftX, multiply, multiplyX } from '../../src/rsn/sae/scalar-mult.js';

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

  for (const id of [19, 20, 21]) {
    const g = saeGroup(id)!;
    it(`group ${id}: x(k * (P + Q)) of a projective sum equals noble's, and multiples of PWE are affine`, () => {
      const rnd = () => bigintFromBytes(randomBytes(g.primeLen)) % (g.r - 1n) + 1n;
      for (let i = 0; i < 8; i++) {
        const [p, q, k] = [g.Point.BASE.multiply(rnd()), g.Point.BASE.multiply(rnd()), rnd()];
        const sum = multiply(g, p, k).add(q);
        // Not normalized: multiplyX must bring it to affine coordinates itself.
        expect(sum.Z).not.toBe(1n);
        expect(multiplyX(g, sum, k), `k=${k}`).toBe(p.multiply(k).add(q).multiply(k).toAffine().x);
        // The commit element is sent as x || y: the multiple comes out with Z = 1.
        expect(multiply(g, p, k).Z).toBe(1n);
      }
      const p = g.Point.BASE.multiply(rnd());
      expect(multiplyX(g, multiply(g, p, 3n).add(multiply(g, p, -3n)), 5n)).toBeUndefined();
    });

    it(`group ${id}: liftX gives the point of either parity, undefined for an x that is on no point`, () => {
      for (let i = 0; i < 8; i++) {
        const { x, y } = g.Point.BASE.multiply(bigintFromBytes(randomBytes(g.primeLen)) % (g.r - 1n) + 1n).toAffine();
        const odd = (y & 1n) === 1n;
        expect(liftX(g, x, odd)?.toAffine()).toEqual({ x, y });
        expect(liftX(g, x, !odd)?.toAffine()).toEqual({ x, y: g.p - y });
      }
      // x^3 + ax + b a non-residue: no point has this x.
      const Fp = g.Point.Fp;
      const { a, b } = g.Point.CURVE();
      let x = 1n;
      while (Fp.pow(Fp.add(Fp.add(Fp.mul(Fp.sqr(x), x), Fp.mul(a, x)), b), (g.p - 1n) / 2n) === 1n) x++;
      expect(liftX(g, x, false)).toBeUndefined();
      expect(liftX(g, x, true)).toBeUndefined();
    });
  }
});
