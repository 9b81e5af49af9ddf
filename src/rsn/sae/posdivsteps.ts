/**
 * Bernstein and Yang's binary "posdivsteps" (the variant libsecp256k1 runs
 * its Jacobi symbol with) on 24-bit limbs in plain numbers, for the two
 * modular computations SAE's JavaScript does on blinded values: the Legendre
 * symbol of hunting-and-pecking's residue test (quadratic-residue.ts) and
 * the field inversions of the y-coordinate recovery and the point addition
 * (scalar-mult.ts). No BigInt is made on the way: 24 steps at a time on the
 * low bits, then one pass over the limbs.
 *
 * None of this is constant-time: callers hand it blinded values only.
 *
 * The state is f (odd), g >= 0 and eta, from f = p, g = v mod p, eta = -1;
 * a step is:
 * - eta < 0, g odd: swap f and g, eta <- -eta;
 * - g odd: g <- g + f;
 * - then g <- g / 2, eta <- eta - 1.
 * It ends with g = 0 and f = gcd(p, v), 1 for the callers' primes. The
 * Legendre symbol rides along as a sign bit j with (v/p) = (-1)^j (g/f): the
 * swap flips it by reciprocity (f and g both 3 mod 4), each halving by (2/f)
 * (f 3 or 5 mod 8); once f = 1, (g/1) = 1 and the answer is (-1)^j. The
 * inverse rides along as d and e with f = d v and g = e v (mod p), from d = 0,
 * e = 1; once f = 1, d is 1 / v.
 *
 * The steps read only the low bits of f and g, so a batch of 24 runs on their
 * low 32 bits and records what it did as the matrix (uf vf; ug vg) with
 * 2^24 (f', g') = (uf f + vf g, ug f + vg g); the pass over the limbs then
 * applies it (and to d and e, mod p). Inside a batch, as libsecp256k1's
 * posdivsteps_62_var: a run of halvings at once (g's trailing zeros), and
 * between two swaps, which come no sooner than eta + 1 halvings, the
 * additions of f for several steps as one multiple of f that clears as many
 * low bits of g. Posdivsteps are not proven to end within a bound (they do
 * in practice: at most ~3.8 steps per bit seen); past 5 per bit the callers
 * get no answer and ask BigInt algorithms.
 */

/**
 * Limbs of 24 bits: a batch of 24 steps has matrix entries whose row sums are
 * at most 2^24, so an entry times a limb plus the carry stays far below
 * 2^53, and the batch's division by 2^24 is a shift by one limb.
 */
const LIMB_BITS = 24;
const LIMB = 2 ** LIMB_BITS;
const LIMB_MASK = LIMB - 1;
/** 2^z for a run of z halvings (z <= LIMB_BITS). */
const POW2 = Array.from({ length: LIMB_BITS + 1 }, (_, z) => 1 << z);
/** Scratch limbs, least significant first (P-521: 22 limbs; d and e take one more). */
const MAX_LIMBS = 24;
const F = new Float64Array(MAX_LIMBS);
const G = new Float64Array(MAX_LIMBS);
const D = new Float64Array(MAX_LIMBS + 1);
const E = new Float64Array(MAX_LIMBS + 1);

interface Modulus {
  limbs: Float64Array;
  /** 1 / p mod 2^24, which makes d and e divisible by 2^24 (p odd). */
  inv24: number;
}

/** The moduli's limbs, per modulus (the few SAE primes). */
const moduli = new Map<bigint, Modulus | null>();

/** v (0 <= v < 2^(24n)) into n limbs of `out`. */
function toLimbs(v: bigint, out: Float64Array, n: number): void {
  const hex = v.toString(16);
  for (let i = 0, end = hex.length; i < n; i++, end -= 6) out[i] = end > 0 ? parseInt(hex.slice(Math.max(0, end - 6), end), 16) : 0;
}

function fromLimbs(limbs: Float64Array, n: number): bigint {
  let hex = '';
  for (let i = n - 1; i >= 0; i--) hex += limbs[i].toString(16).padStart(6, '0');
  return BigInt('0x' + hex);
}

/** p's limbs, or null when p has more than the scratch space holds (above 576 bits: no SAE group). */
function modulus(p: bigint): Modulus | null {
  let m = moduli.get(p);
  if (m === undefined) {
    const n = Math.ceil(p.toString(16).length / 6);
    if (n > MAX_LIMBS) m = null;
    else {
      const limbs = new Float64Array(n);
      toLimbs(p, limbs, n);
      // Newton's iteration for 1 / p mod 2^24: p is its own inverse mod 8, each turn doubles the bits.
      const p0 = limbs[0];
      let inv = p0;
      for (let i = 0; i < 3; i++) inv = Math.imul(inv, 2 - Math.imul(p0, inv));
      m = { limbs, inv24: inv & LIMB_MASK };
    }
    moduli.set(p, m);
  }
  return m;
}

/**
 * The steps from f = p, g = a (0 < a < p) until f = 1, at most `batches`
 * batches: the answer's sign bit j, or -1 when they did not get there. With
 * `inverse`, d (in D) carried along as well.
 *
 * One function with every loop inside, on purpose: with the batch and the
 * passes over the limbs as functions of their own, V8 optimized those first
 * and the caller later with them inlined again, a second TurboFan compile of
 * the same code that cost ~35 ms of guest CPU in the radio VM's third SAE
 * connection; module variables between them (a context's slots) had V8 box
 * each number stored.
 */
function steps(m: Modulus, a: bigint, batches: number, inverse: boolean): number {
  let n = m.limbs.length;
  const nd = n + 1;
  const P = m.limbs;
  F.set(P);
  toLimbs(a, G, n);
  if (inverse) {
    D.fill(0, 0, nd);
    E.fill(0, 0, nd);
    E[0] = 1;
  }
  let eta = -1;
  let j = 0;
  for (let b = 0; ; b++) {
    if (F[0] === 1) {
      let i = 1;
      while (i < n && F[i] === 0) i++;
      if (i === n) return j & 1;
    }
    if (b === batches) return -1;
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
      // g's trailing zeros, at most the steps left (the sentinel bits from
      // bit `left` up): that many halvings at once.
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
    if (inverse) {
      // (d, e) <- (uf d + vf e, ug d + vg e) / 2^24 mod p, each sum made
      // divisible by 2^24 with a multiple of p below 2^24 p. The matrix's
      // row sums are at most 2^24, so d and e grow by at most p per batch:
      // they stay non-negative and below (batches + 1) p, in one limb more.
      const d0 = D[0];
      const e0 = E[0];
      const md = Math.imul(-((Math.imul(uf, d0) + Math.imul(vf, e0)) & LIMB_MASK), m.inv24) & LIMB_MASK;
      const me = Math.imul(-((Math.imul(ug, d0) + Math.imul(vg, e0)) & LIMB_MASK), m.inv24) & LIMB_MASK;
      let cd = (uf * d0 + vf * e0 + md * P[0]) / LIMB;
      let ce = (ug * d0 + vg * e0 + me * P[0]) / LIMB;
      for (let i = 1; i < nd; i++) {
        const di = D[i];
        const ei = E[i];
        const pi = i < P.length ? P[i] : 0;
        cd += uf * di + vf * ei + md * pi;
        ce += ug * di + vg * ei + me * pi;
        let q = Math.floor(cd / LIMB);
        D[i - 1] = cd - q * LIMB;
        cd = q;
        q = Math.floor(ce / LIMB);
        E[i - 1] = ce - q * LIMB;
        ce = q;
      }
      D[nd - 1] = cd;
      E[nd - 1] = ce;
    }
    // (f, g) <- (uf f + vf g, ug f + vg g) / 2^24: the lowest limb of each
    // sum is 0 (the division is exact), carry only.
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
 * The Jacobi symbol (v/p) for an odd p > 1, or undefined when the steps did
 * not reach f = 1 within `maxBatches` batches of 24 (by default 5 steps per
 * bit of p), or p has more limbs than the scratch space.
 */
export function legendreSteps(v: bigint, p: bigint, maxBatches?: number): -1 | 0 | 1 | undefined {
  let a = v % p;
  if (a < 0n) a += p;
  if (a === 0n) return 0;
  const m = modulus(p);
  if (!m) return undefined;
  const j = steps(m, a, maxBatches ?? 5 * m.limbs.length, false);
  return j < 0 ? undefined : j === 1 ? -1 : 1;
}

/**
 * 1 / v mod p for an odd p > 1 prime to v, or undefined when v = 0 mod p
 * (or they are not coprime), the steps did not reach f = 1 within 5 steps
 * per bit of p, or p has more limbs than the scratch space.
 */
export function inverseSteps(v: bigint, p: bigint): bigint | undefined {
  let a = v % p;
  if (a < 0n) a += p;
  if (a === 0n) return undefined;
  const m = modulus(p);
  if (!m) return undefined;
  if (steps(m, a, 5 * m.limbs.length, true) < 0) return undefined;
  return fromLimbs(D, m.limbs.length + 1) % p;
}
