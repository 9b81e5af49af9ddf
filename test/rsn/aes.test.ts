/**
 * src/rsn/aes.ts against OpenSSL as an independent oracle, for random keys of
 * every AES size and random lengths: key wrap against node:crypto's
 * id-aes{128,192,256}-wrap ciphers, CMAC against RFC 4493 written out over
 * node:crypto's ECB and CBC (test/harness/openssl-aes.ts). The published
 * vectors (RFC 3394 4.1-4.6, RFC 4493) are in vectors.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as aes from '../../src/rsn/aes.js';
import { opensslCmac, opensslUnwrap, opensslWrap } from '../harness/openssl-aes.js';

const aesKey = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
/** Key data as 802.11 wraps it: a multiple of 8 octets, at least 16 (up to 40 blocks). */
const keyData = fc.integer({ min: 2, max: 40 }).chain((n) => fc.uint8Array({ minLength: 8 * n, maxLength: 8 * n }));

describe('AES (aes.ts) against OpenSSL', () => {
  it('key wrap gives what OpenSSL gives, and unwrap takes it back', () => {
    fc.assert(
      fc.property(aesKey, keyData, (k, p) => {
        const kek = Buffer.from(k);
        const plaintext = Buffer.from(p);
        const wrapped = aes.keyWrap(kek, plaintext);
        expect(wrapped.toString('hex')).toBe(opensslWrap(kek, plaintext).toString('hex'));
        expect(aes.keyUnwrap(kek, wrapped)?.toString('hex')).toBe(plaintext.toString('hex'));
        expect(opensslUnwrap(kek, wrapped).toString('hex')).toBe(plaintext.toString('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('unwrap refuses any flipped bit and a wrong KEK, returning no data', () => {
    fc.assert(
      fc.property(aesKey, keyData, fc.nat(), (k, p, flip) => {
        const kek = Buffer.from(k);
        const wrapped = opensslWrap(kek, Buffer.from(p));
        const tampered = Buffer.from(wrapped);
        tampered[flip % tampered.length]! ^= 1 << (flip % 8);
        expect(aes.keyUnwrap(kek, tampered)).toBeUndefined();
        const other = Buffer.from(kek);
        other[flip % other.length]! ^= 0x01;
        expect(aes.keyUnwrap(other, wrapped)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('CMAC gives what RFC 4493 over OpenSSL gives, for every message length around the block edges', () => {
    fc.assert(
      fc.property(aesKey, fc.uint8Array({ maxLength: 200 }), (k, m) => {
        const key = Buffer.from(k);
        const message = Buffer.from(m);
        expect(aes.cmac(key, message).toString('hex')).toBe(opensslCmac(key, message).toString('hex'));
      }),
      { numRuns: 300 },
    );
    const key = Buffer.alloc(16, 0x2b);
    for (const len of [0, 1, 15, 16, 17, 31, 32, 33, 121]) {
      const message = Buffer.alloc(len, 0xa5);
      expect(aes.cmac(key, message).toString('hex')).toBe(opensslCmac(key, message).toString('hex'));
    }
  });

  it('leaves its inputs as they were', () => {
    const kek = Buffer.alloc(32, 7);
    const plaintext = Buffer.alloc(48, 9);
    const wrapped = aes.keyWrap(kek, plaintext);
    const copy = Buffer.from(wrapped);
    aes.keyUnwrap(kek, wrapped);
    aes.cmac(kek, wrapped);
    expect(wrapped.equals(copy)).toBe(true);
    expect(kek.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(plaintext.equals(Buffer.alloc(48, 9))).toBe(true);
  });
});
