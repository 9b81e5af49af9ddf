/**
 * Every published vector in test/fixtures/vectors/published.json, each as its own
 * named test (IEEE 802.11 PSK, RFC 6070, PRF-SHA1, PTK, RFC 3394, RFC 4493,
 * RFC 4231, RFC 2202, 802.11 KDF).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aesCmac,
  aesKeyUnwrap,
  aesKeyWrap,
  derivePtk,
  hmac,
  kdfSha256,
  KeyUnwrapError,
  pbkdf2Psk,
  pbkdf2Sha1,
  prfSha1,
} from '../../src/rsn/crypto.js';
import { readVector } from '../fixtures/vectors.js';

const V = readVector('published.json');
const h = (s: string): Buffer => Buffer.from(s, 'hex');

describe('published vectors', () => {
  describe('PBKDF2 passphrase-to-PSK (IEEE 802.11)', () => {
    for (const v of V.pbkdf2_psk) {
      it(`"${v.passphrase}" / "${v.ssid}"`, () => {
        expect(pbkdf2Psk(v.passphrase, v.ssid).toString('hex')).toBe(v.psk);
        // A second call is served from the cache and must be the same key.
        expect(pbkdf2Psk(v.passphrase, Buffer.from(v.ssid)).toString('hex')).toBe(v.psk);
      });
    }
  });

  describe('PBKDF2-SHA1 (RFC 6070)', () => {
    for (const v of V.pbkdf2_sha1) {
      it(`${v.password}/${v.salt} c=${v.iterations}`, () => {
        expect(pbkdf2Sha1(v.password, v.salt, v.iterations, v.dklen).toString('hex')).toBe(v.output);
      });
    }
  });

  describe('PRF-SHA1', () => {
    V.prf_sha1.forEach((v: { key: string; label: string; data: string; length: number; output: string }, i: number) => {
      it(`#${i + 1} key=${v.key.slice(0, 8)}.. ${v.length} octets`, () => {
        expect(prfSha1(h(v.key), v.label, h(v.data), v.length).toString('hex')).toBe(v.output);
      });
    });
  });

  describe('PTK derivation', () => {
    for (const v of V.ptk) {
      it(v.akm, () => {
        const ptk = derivePtk({ akm: 'WPA-PSK', pairwise: 'CCMP', pmk: h(v.pmk), aa: h(v.aa), spa: h(v.spa), anonce: h(v.anonce), snonce: h(v.snonce) });
        expect(ptk.kck.toString('hex')).toBe(v.kck);
        expect(ptk.kek.toString('hex')).toBe(v.kek);
        expect(ptk.tk.toString('hex')).toBe(v.tk);
        // Swapping the roles of the addresses and nonces must not change the PTK (min/max ordering).
        const swapped = derivePtk({ akm: 'WPA-PSK', pairwise: 'CCMP', pmk: h(v.pmk), aa: h(v.spa), spa: h(v.aa), anonce: h(v.snonce), snonce: h(v.anonce) });
        expect(swapped.tk.toString('hex')).toBe(v.tk);
      });
    }
  });

  describe('AES key wrap (RFC 3394)', () => {
    for (const v of V.aes_key_wrap) {
      it(`KEK ${v.kek.length * 4} bits, ${v.plaintext.length / 2}-octet key`, () => {
        expect(aesKeyWrap(h(v.kek), h(v.plaintext)).toString('hex')).toBe(v.ciphertext);
        expect(aesKeyUnwrap(h(v.kek), h(v.ciphertext)).toString('hex')).toBe(v.plaintext);
        const bad = h(v.ciphertext);
        bad[bad.length - 1] ^= 1;
        expect(() => aesKeyUnwrap(h(v.kek), bad)).toThrow(KeyUnwrapError);
      });
    }
  });

  describe('AES-CMAC (RFC 4493)', () => {
    for (const v of V.aes_cmac) {
      it(`${v.message.length / 2}-octet message`, () => {
        expect(aesCmac(h(v.key), h(v.message)).toString('hex')).toBe(v.mac);
      });
    }
  });

  describe('HMAC-SHA256 (RFC 4231)', () => {
    V.hmac_sha256.forEach((v: { key: string; data: string; mac: string }, i: number) => {
      it(`test case ${i + 1}`, () => {
        expect(createHmac('sha256', h(v.key)).update(h(v.data)).digest('hex')).toBe(v.mac);
      });
    });
  });

  describe('HMAC-SHA1 (RFC 2202)', () => {
    V.hmac_sha1.forEach((v: { key: string; data: string; mac: string }, i: number) => {
      it(`test case ${i + 1}`, () => {
        expect(hmac('sha1', h(v.key), h(v.data)).toString('hex')).toBe(v.mac);
      });
    });
  });

  describe('802.11 SHA-256 KDF', () => {
    for (const v of V.kdf_sha256) {
      it(`"${v.label}" ${v.bits} bits`, () => {
        expect(kdfSha256(h(v.key), v.label, h(v.context), v.bits).toString('hex')).toBe(v.output);
      });
    }
  });
});
