/**
 * sha1.ts, the JavaScript SHA-1 and HMAC-SHA1 under PRF-SHA1 and the
 * EAPOL-Key MIC: the FIPS 180 examples, every length around the block and
 * padding boundaries against OpenSSL, and the keyed-KCK reuse of the MIC
 * (RFC 2202's HMAC-SHA1 vectors are in vectors.test.ts).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eapolKeyMic, hmacSha1, prfSha1 } from '../../src/rsn/crypto.js';
import { HmacSha1Key, sha1 } from '../../src/rsn/sha1.js';

describe('SHA-1 in JavaScript', () => {
  it('the FIPS 180 examples', () => {
    expect(sha1(Buffer.from('abc')).toString('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1(Buffer.alloc(0)).toString('hex')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(sha1(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toString('hex')).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(sha1(Buffer.alloc(1000000, 'a')).toString('hex')).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('every length from 0 to 300 octets, hash and HMAC (keys of 0 to 100 octets), as OpenSSL computes them', () => {
    for (let len = 0; len <= 300; len++) {
      const m = randomBytes(len);
      expect(sha1(m).equals(createHash('sha1').update(m).digest())).toBe(true);
      const key = randomBytes(len % 101);
      expect(hmacSha1(key, m).equals(createHmac('sha1', key).update(m).digest())).toBe(true);
    }
  });

  it('a key keyed once gives every MAC after it; wiped, it gives none of them', () => {
    const key = randomBytes(32);
    const k = new HmacSha1Key(key);
    for (const m of [randomBytes(10), randomBytes(100), randomBytes(64)]) expect(k.mac(m).equals(createHmac('sha1', key).update(m).digest())).toBe(true);
    k.wipe();
    expect(k.mac(Buffer.from('x')).equals(createHmac('sha1', key).update('x').digest())).toBe(false);
  });

  it('PRF-SHA1 of any length is the concatenation of HMAC(K, label || 0 || data || i)', () => {
    const key = randomBytes(32);
    const data = randomBytes(76);
    const blocks = [0, 1, 2, 3].map((i) => createHmac('sha1', key).update(Buffer.concat([Buffer.from('Pairwise key expansion'), Buffer.of(0), data, Buffer.of(i)])).digest());
    const want = Buffer.concat(blocks);
    for (const n of [16, 20, 48, 64, 80]) expect(prfSha1(key, 'Pairwise key expansion', data, n).equals(want.subarray(0, n))).toBe(true);
  });

  it('the MIC under a KCK Buffer written to since the last MIC is made with what it holds now', () => {
    const kck = randomBytes(16);
    const frame = randomBytes(121);
    const mic = (k: Buffer): Buffer => createHmac('sha1', k).update(frame).digest().subarray(0, 16);
    expect(eapolKeyMic('hmac-sha1-128', kck, frame).equals(mic(kck))).toBe(true);
    expect(eapolKeyMic('hmac-sha1-128', kck, frame).equals(mic(kck))).toBe(true);
    kck[3] ^= 0xff;
    expect(eapolKeyMic('hmac-sha1-128', kck, frame).equals(mic(kck))).toBe(true);
    kck.fill(0);
    expect(eapolKeyMic('hmac-sha1-128', kck, frame).equals(mic(kck))).toBe(true);
  });
});
