/**
 * HMAC-SHA1 (RFC 2104) over SHA-1 (FIPS 180-4), in JavaScript, for the two
 * users in every 4-way handshake: PRF-SHA1 (three HMACs under the PMK) and
 * the EAPOL-Key MIC (three HMACs under one KCK).
 *
 * Why not node:crypto: each of its HMACs is a call into OpenSSL that costs
 * 1.5-2 us of CPU whatever the input, most of it fixed cost (an Hmac stream
 * object, or two one-shot hashes each fetching the digest), against ~0.2 us
 * per 64-octet block here. And a key is padded and hashed once here
 * (HmacSha1Key), not once per MAC: the PRF's three blocks and a handshake's
 * three MICs share one keying each. Measured on the standalone supplicant
 * handshake: see the commit that added this file.
 *
 * Constant time: the compression function is additions, rotations and
 * bitwise operations on 32-bit integers, with no branch and no memory index
 * that depends on the data or the key. Key-derived state is zeroed by wipe().
 */

const BLOCK = 64;
export const SHA1_LEN = 20;

const IV = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);

/** The message schedule, reused by every compression (single-threaded: no call nests another). */
const W = new Int32Array(80);

/** One SHA-1 compression of the 64 octets of `b` at `o` into state `s`. */
function compress(s: Int32Array, b: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) W[i] = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3] ^ W[i - 8] ^ W[i - 14] ^ W[i - 16];
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = s[0];
  let b1 = s[1];
  let c = s[2];
  let d = s[3];
  let e = s[4];
  let t = 0;
  let i = 0;
  // The four rounds' functions and constants (0x8f1bbcdc and 0xca62c1d6 as signed 32-bit values).
  for (; i < 20; i++) {
    t = (((a << 5) | (a >>> 27)) + ((b1 & c) | (~b1 & d)) + e + 0x5a827999 + W[i]) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  for (; i < 40; i++) {
    t = (((a << 5) | (a >>> 27)) + (b1 ^ c ^ d) + e + 0x6ed9eba1 + W[i]) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  for (; i < 60; i++) {
    t = (((a << 5) | (a >>> 27)) + ((b1 & c) | (b1 & d) | (c & d)) + e - 0x70e44324 + W[i]) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  for (; i < 80; i++) {
    t = (((a << 5) | (a >>> 27)) + (b1 ^ c ^ d) + e - 0x359d3e2a + W[i]) | 0;
    e = d;
    d = c;
    c = (b1 << 30) | (b1 >>> 2);
    b1 = a;
    a = t;
  }
  s[0] = (s[0] + a) | 0;
  s[1] = (s[1] + b1) | 0;
  s[2] = (s[2] + c) | 0;
  s[3] = (s[3] + d) | 0;
  s[4] = (s[4] + e) | 0;
}

/**
 * Scratch, single-threaded like everything here: the padded last block(s),
 * the running state, a key block, an inner hash. Zeroed after each use
 * (they hold key-derived octets), and allocated once: typed arrays cost
 * more to make than a block costs to hash.
 */
const tail = new Uint8Array(2 * BLOCK);
const state = new Int32Array(5);
const keyBlock = new Uint8Array(BLOCK);
const innerHash = new Uint8Array(SHA1_LEN);

/**
 * SHA-1 of (the `prefix` octets the state at from[fromAt..fromAt+5) has
 * absorbed, a multiple of 64) || `m`, written as 20 octets into `out` at `at`.
 */
function finish(from: Int32Array, fromAt: number, prefix: number, m: Uint8Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 5; i++) state[i] = from[fromAt + i];
  const whole = m.length & ~(BLOCK - 1);
  for (let o = 0; o < whole; o += BLOCK) compress(state, m, o);
  const rem = m.length - whole;
  for (let i = 0; i < rem; i++) tail[i] = m[whole + i];
  tail[rem] = 0x80;
  const end = rem + 9 <= BLOCK ? BLOCK : 2 * BLOCK;
  // `tail` is all zero between uses; the length in bits goes in its last 8
  // octets, big-endian (the upper 4 stay zero: sha1() refuses 2^29 octets).
  const bits = (prefix + m.length) * 8;
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = bits >>> 16;
  tail[end - 2] = bits >>> 8;
  tail[end - 1] = bits;
  compress(state, tail, 0);
  if (end > BLOCK) compress(state, tail, BLOCK);
  for (let i = 0; i < 5; i++) {
    const v = state[i];
    out[at + 4 * i] = v >>> 24;
    out[at + 4 * i + 1] = v >>> 16;
    out[at + 4 * i + 2] = v >>> 8;
    out[at + 4 * i + 3] = v;
  }
  tail.fill(0);
  state.fill(0);
}

/** SHA-1 of `m` (shorter than 2^29 octets, far beyond any frame). */
export function sha1(m: Uint8Array): Buffer {
  if (m.length >= 2 ** 29 - BLOCK) throw new RangeError(`SHA-1 input of ${m.length} octets`);
  const out = Buffer.allocUnsafe(SHA1_LEN);
  finish(IV, 0, 0, m, out, 0);
  return out;
}

/** An HMAC-SHA1 key, padded and run through the first block of the inner and outer hash once. */
export class HmacSha1Key {
  /** The inner hash's state after K ^ ipad, then the outer's after K ^ opad. */
  private readonly states = new Int32Array(10);

  constructor(key: Uint8Array) {
    const k = key.length > BLOCK ? sha1(key) : key;
    this.states.set(IV, 0);
    this.states.set(IV, 5);
    this.absorbKey(k, 0x36, 0);
    this.absorbKey(k, 0x5c, 5);
  }

  private absorbKey(k: Uint8Array, pad: number, at: number): void {
    for (let i = 0; i < BLOCK; i++) keyBlock[i] = (i < k.length ? k[i] : 0) ^ pad;
    for (let i = 0; i < 5; i++) state[i] = this.states[at + i];
    compress(state, keyBlock, 0);
    for (let i = 0; i < 5; i++) this.states[at + i] = state[i];
    keyBlock.fill(0);
    state.fill(0);
  }

  /** HMAC-SHA1(key, m), written as 20 octets into `out` at `at`. */
  macInto(m: Uint8Array, out: Uint8Array, at: number): void {
    if (m.length >= 2 ** 29 - BLOCK) throw new RangeError(`HMAC-SHA1 input of ${m.length} octets`);
    finish(this.states, 0, BLOCK, m, innerHash, 0);
    finish(this.states, 5, BLOCK, innerHash, out, at);
    innerHash.fill(0);
  }

  mac(m: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(SHA1_LEN);
    this.macInto(m, out, 0);
    return out;
  }

  /** Zeroes the key-derived state; the object computes nothing right after. */
  wipe(): void {
    this.states.fill(0);
  }
}
