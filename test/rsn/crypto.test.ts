/**
 * Crypto beyond the published vectors: the suite tables, MIC algorithms per
 * AKM, PMKID variants, key wrap errors, and the FT key hierarchy (no
 * published vector is in test/fixtures/vectors, so its formulas from IEEE
 * 802.11-2020 12.7.1.7 are recomputed here directly on node:crypto).
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { akmInfo, cipherInfo, descriptorVersion, kckLength, kekLength, micAlgorithm, micLength, tkLength, UnknownSuiteError } from '../../src/rsn/akm.js';
import {
  aesKeyUnwrap,
  aesKeyWrap,
  CryptoInputError,
  deriveFtPmkR0,
  deriveFtPmkR1,
  deriveFtPtk,
  derivePtk,
  eapolKeyMicInto,
  MIC_LENGTH,
  hmac,
  HmacPads,
  Kdf,
  kdf,
  kdfSha384,
  KeyUnwrapError,
  pbkdf2Psk,
  pmkid,
  pmkidForAkm,
  pooledRandom,
  prfSha1,
} from '../../src/rsn/crypto.js';
import { opensslCmac } from '../harness/openssl-aes.js';

const h = (s: string): Buffer => Buffer.from(s, 'hex');
const AA = h('020000000a00');
const SPA = h('020000000100');

/** The 802.11 KDF written out independently of src/rsn/crypto.ts. */
function refKdf(hash: string, key: Buffer, label: string, ctx: Buffer, bits: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 1; out.length * (hash === 'sha384' ? 384 : 256) < bits; i++) {
    const n = Buffer.alloc(2);
    n.writeUInt16LE(i);
    const l = Buffer.alloc(2);
    l.writeUInt16LE(bits);
    out.push(createHmac(hash, key).update(Buffer.concat([n, Buffer.from(label), ctx, l])).digest());
  }
  return Buffer.concat(out).subarray(0, bits / 8);
}

describe('AKM and cipher tables', () => {
  it('map selectors and wpa_supplicant names both ways', () => {
    const names: [number, string][] = [[1, 'WPA-EAP'], [2, 'WPA-PSK'], [3, 'FT-EAP'], [4, 'FT-PSK'], [5, 'WPA-EAP-SHA256'], [6, 'WPA-PSK-SHA256'], [8, 'SAE'], [9, 'FT-SAE'], [12, 'WPA-EAP-SUITE-B-192']];
    for (const [sel, name] of names) {
      expect(akmInfo(sel).name).toBe(name);
      expect(akmInfo(name).selector).toBe(sel);
    }
    expect(cipherInfo('CCMP').selector).toBe(4);
    expect(cipherInfo(9).name).toBe('GCMP-256');
    expect(cipherInfo('BIP').name).toBe('AES-128-CMAC');
    expect(() => akmInfo('WEP')).toThrow(UnknownSuiteError);
    expect(() => cipherInfo(99)).toThrow(UnknownSuiteError);
  });

  it('key lengths and descriptor versions per AKM and cipher', () => {
    expect([tkLength('CCMP'), tkLength('GCMP-256'), tkLength('CCMP-256'), tkLength('TKIP')]).toEqual([16, 32, 32, 32]);
    expect([kckLength('WPA-PSK'), kekLength('WPA-PSK'), micLength('WPA-PSK')]).toEqual([16, 16, 16]);
    expect([kckLength('WPA-EAP-SUITE-B-192'), kekLength('WPA-EAP-SUITE-B-192'), micLength('WPA-EAP-SUITE-B-192')]).toEqual([24, 32, 24]);
    expect(descriptorVersion('WPA-PSK', 'CCMP')).toBe(2);
    expect(descriptorVersion('WPA-PSK', 'TKIP')).toBe(1);
    expect(descriptorVersion('WPA-PSK-SHA256', 'CCMP')).toBe(3);
    expect(descriptorVersion('SAE', 'GCMP-256')).toBe(0);
    expect(micAlgorithm('SAE', 0)).toBe('aes-128-cmac');
    expect(micAlgorithm('WPA-EAP-SUITE-B-192', 0)).toBe('hmac-sha384-192');
    expect(micAlgorithm('WPA-PSK', 0)).toBeUndefined();
    expect(micAlgorithm('WPA-PSK', 1)).toBeUndefined();
  });
});

describe('key derivation', () => {
  const anonce = Buffer.alloc(32, 0xa1);
  const snonce = Buffer.alloc(32, 0x5c);
  const pmk = Buffer.alloc(32, 0x42);

  it('PTK for the SHA-256 AKMs is KDF-SHA256 over the same context, GCMP-256 gets a 32-octet TK', () => {
    const ptk = derivePtk({ akm: 'WPA-PSK-SHA256', pairwise: 'GCMP-256', pmk, aa: AA, spa: SPA, anonce, snonce });
    const ctx = Buffer.concat([SPA, AA, snonce, anonce]); // SPA < AA and SNonce < ANonce
    const ref = refKdf('sha256', pmk, 'Pairwise key expansion', ctx, (16 + 16 + 32) * 8);
    expect(Buffer.concat([ptk.kck, ptk.kek, ptk.tk]).equals(ref)).toBe(true);
    expect(ptk.tk.length).toBe(32);
    const b192 = derivePtk({ akm: 'WPA-EAP-SUITE-B-192', pairwise: 'GCMP-256', pmk: Buffer.alloc(48, 1), aa: AA, spa: SPA, anonce, snonce });
    expect([b192.kck.length, b192.kek.length, b192.tk.length]).toEqual([24, 32, 32]);
    expect(Buffer.concat([b192.kck, b192.kek, b192.tk]).equals(kdfSha384(Buffer.alloc(48, 1), 'Pairwise key expansion', ctx, 88 * 8))).toBe(true);
  });

  it('HMAC over one-shot digests (HmacPads) equals OpenSSL\'s HMAC for every hash, key lengths around the block sizes, reused pads, messages of every length in turn', () => {
    for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      for (const keyLen of [0, 1, 20, 63, 64, 65, 127, 128, 129, 200]) {
        const key = Buffer.alloc(keyLen, keyLen + 1);
        const m = Buffer.from(`message under a ${keyLen}-octet key`);
        expect(hmac(alg, key, m).equals(createHmac(alg, key).update(m).digest()), `${alg} key ${keyLen}`).toBe(true);
      }
      // One object, its message rewritten and its key changed: each MAC as OpenSSL's.
      const pads = new HmacPads(alg, 5);
      for (const [key, msg] of [[Buffer.alloc(16, 1), 'first'], [Buffer.alloc(16, 1), 'again'], [Buffer.alloc(150, 2), 'other']] as const) {
        pads.setKey(key);
        pads.message.write(msg);
        expect(pads.mac().equals(createHmac(alg, key).update(msg).digest()), `${alg} ${msg}`).toBe(true);
      }
      pads.clear();
      expect(pads.message.equals(Buffer.alloc(5))).toBe(true);
      // hmac() reuses its pads: a long message, then shorter ones, then one longer than the pads have room for.
      for (const len of [300, 121, 0, 99, 1000, 7]) {
        const key = Buffer.alloc(16, len & 0xff);
        const m = Buffer.alloc(len, 0x5a ^ len);
        expect(hmac(alg, key, m).equals(createHmac(alg, key).update(m).digest()), `${alg} message of ${len}`).toBe(true);
      }
    }
    // PRF-SHA1 shares hmac()'s SHA-1 pads, which the loop above left 1000 octets long.
    const key = Buffer.alloc(32, 3);
    const data = Buffer.alloc(76, 4);
    const blocks = [0, 1, 2].map((i) => createHmac('sha1', key).update(Buffer.concat([Buffer.from('Pairwise key expansion\0'), data, Buffer.of(i)])).digest());
    expect(prfSha1(key, 'Pairwise key expansion', data, 48).equals(Buffer.concat(blocks).subarray(0, 48))).toBe(true);
  });

  it('the KDF under several keys (class Kdf) equals the KDF written out, whole and partial octets', () => {
    const ctx = Buffer.alloc(32, 0xfe);
    for (const [hash, bits] of [['sha256', 256], ['sha256', 384], ['sha384', 384], ['sha384', 768], ['sha256', 512]] as const) {
      const k = new Kdf(hash, 'SAE Hunting and Pecking', ctx, bits);
      for (let i = 0; i < 3; i++) {
        const key = Buffer.alloc(32, i);
        expect(k.derive(key).equals(refKdf(hash, key, 'SAE Hunting and Pecking', ctx, bits)), `${hash} ${bits} key ${i}`).toBe(true);
      }
    }
    // 521 bits (P-521's hunting-and-pecking): 66 octets, the last one's low 7 bits zero.
    const key = Buffer.alloc(32, 9);
    const v = kdf('sha256', key, 'SAE Hunting and Pecking', ctx, 521);
    const ref = Buffer.concat([1, 2, 3].map((i) => createHmac('sha256', key).update(Buffer.concat([Buffer.of(i, 0), Buffer.from('SAE Hunting and Pecking'), ctx, Buffer.of(0x09, 0x02)])).digest())).subarray(0, 66);
    ref[65] &= 0x80;
    expect(v.equals(ref)).toBe(true);
  });

  it('rejects bad inputs with CryptoInputError', () => {
    expect(() => derivePtk({ akm: 'WPA-PSK', pairwise: 'CCMP', pmk, aa: AA, spa: SPA, anonce: Buffer.alloc(31), snonce })).toThrow(CryptoInputError);
    expect(() => derivePtk({ akm: 'FT-PSK', pairwise: 'CCMP', pmk, aa: AA, spa: SPA, anonce, snonce })).toThrow(CryptoInputError);
    expect(() => derivePtk({ akm: 'WPA-PSK', pairwise: 'CCMP', pmk, aa: 'zz:zz', spa: SPA, anonce, snonce })).toThrow(CryptoInputError);
    expect(() => pbkdf2Psk('short', 'ssid')).toThrow(CryptoInputError);
    expect(() => pbkdf2Psk('long enough', Buffer.alloc(33))).toThrow(CryptoInputError);
  });

  it('FT hierarchy: PMK-R0/PMKR0Name, PMK-R1/PMKR1Name, FT PTK/PTKName as 12.7.1.7 defines them', () => {
    const ssid = Buffer.from('ft-ssid');
    const mdid = h('a1b2');
    const r0kh = Buffer.from('nas1.w1.fi');
    const r1kh = h('000102030405');
    const r0 = deriveFtPmkR0({ akm: 'FT-PSK', xxkey: pmk, ssid, mdid, r0khId: r0kh, s0khId: SPA });
    const r0data = refKdf('sha256', pmk, 'FT-R0', Buffer.concat([Buffer.of(ssid.length), ssid, mdid, Buffer.of(r0kh.length), r0kh, SPA]), 384);
    expect(r0.pmkR0.equals(r0data.subarray(0, 32))).toBe(true);
    expect(r0.pmkR0Name.equals(createHash('sha256').update(Buffer.concat([Buffer.from('FT-R0N'), r0data.subarray(32)])).digest().subarray(0, 16))).toBe(true);

    const r1 = deriveFtPmkR1({ akm: 'FT-PSK', pmkR0: r0.pmkR0, pmkR0Name: r0.pmkR0Name, r1khId: r1kh, s1khId: SPA });
    expect(r1.pmkR1.equals(refKdf('sha256', r0.pmkR0, 'FT-R1', Buffer.concat([r1kh, SPA]), 256))).toBe(true);
    expect(r1.pmkR1Name.equals(createHash('sha256').update(Buffer.concat([Buffer.from('FT-R1N'), r0.pmkR0Name, r1kh, SPA])).digest().subarray(0, 16))).toBe(true);

    const ptk = deriveFtPtk({ akm: 'FT-PSK', pairwise: 'CCMP', pmkR1: r1.pmkR1, pmkR1Name: r1.pmkR1Name, snonce, anonce, bssid: AA, sta: SPA });
    const ctx = Buffer.concat([snonce, anonce, AA, SPA]);
    expect(Buffer.concat([ptk.kck, ptk.kek, ptk.tk]).equals(refKdf('sha256', r1.pmkR1, 'FT-PTK', ctx, 384))).toBe(true);
    expect(ptk.ptkName.equals(createHash('sha256').update(Buffer.concat([r1.pmkR1Name, Buffer.from('FT-PTKN'), ctx])).digest().subarray(0, 16))).toBe(true);

    const r0x = deriveFtPmkR0({ akm: 'FT-EAP-SHA384', xxkey: Buffer.alloc(48, 3), ssid, mdid, r0khId: r0kh, s0khId: SPA });
    expect(r0x.pmkR0.length).toBe(48);
    expect(() => deriveFtPmkR0({ akm: 'WPA-PSK', xxkey: pmk, ssid, mdid, r0khId: r0kh, s0khId: SPA })).toThrow(CryptoInputError);
    expect(() => deriveFtPmkR0({ akm: 'FT-PSK', xxkey: pmk, ssid, mdid: h('01'), r0khId: r0kh, s0khId: SPA })).toThrow(CryptoInputError);
  });

  it('PMKID: HMAC-SHA1-128 or HMAC-SHA256-128 over "PMK Name" || AA || SPA', () => {
    const data = Buffer.concat([Buffer.from('PMK Name'), AA, SPA]);
    expect(pmkid(pmk, AA, SPA).equals(createHmac('sha1', pmk).update(data).digest().subarray(0, 16))).toBe(true);
    expect(pmkidForAkm('WPA-PSK-SHA256', pmk, AA, SPA).equals(createHmac('sha256', pmk).update(data).digest().subarray(0, 16))).toBe(true);
    expect(pmkidForAkm('WPA-PSK', pmk, '02:00:00:00:0a:00', '02-00-00-00-01-00').equals(pmkid(pmk, AA, SPA, 'sha1'))).toBe(true);
  });

  /** The MIC computed independently: node:crypto's HMAC truncated to the algorithm's length, or AES-CMAC over node:crypto's ciphers. */
  const micOracle = (alg: keyof typeof MIC_LENGTH, kck: Buffer, zeroed: Buffer): Buffer => {
    if (alg === 'aes-128-cmac') return opensslCmac(kck, zeroed);
    const hash = { 'hmac-sha1-128': 'sha1', 'hmac-sha256-128': 'sha256', 'hmac-sha384-192': 'sha384' }[alg];
    return createHmac(hash, kck).update(zeroed).digest().subarray(0, MIC_LENGTH[alg]);
  };

  it('EAPOL-Key MICs: lengths per algorithm; AES-CMAC needs a 16-octet KCK', () => {
    const f = Buffer.alloc(99, 1);
    const mic = (alg: keyof typeof MIC_LENGTH, kck: Buffer): Buffer => {
      const out = Buffer.alloc(MIC_LENGTH[alg]);
      eapolKeyMicInto(alg, kck, f, 81, out, 0);
      return out;
    };
    expect(MIC_LENGTH['hmac-sha1-128']).toBe(16);
    expect(mic('hmac-sha256-128', Buffer.alloc(16)).equals(createHmac('sha256', Buffer.alloc(16)).update(Buffer.from(f).fill(0, 81, 97)).digest().subarray(0, 16))).toBe(true);
    expect(MIC_LENGTH['hmac-sha384-192']).toBe(24);
    expect(() => mic('aes-128-cmac', Buffer.alloc(24))).toThrow(CryptoInputError);
  });

  it('EAPOL-Key MIC with its field read as zero: the frame untouched, the MIC written where asked, in place too', () => {
    const kcks = { 'hmac-sha1-128': 16, 'aes-128-cmac': 16, 'hmac-sha256-128': 16, 'hmac-sha384-192': 24 } as const;
    for (const [alg, kckLen] of Object.entries(kcks) as [keyof typeof kcks, number][]) {
      const kck = Buffer.alloc(kckLen, 0x4b);
      const len = MIC_LENGTH[alg];
      const frame = Buffer.alloc(121, 0x5a);
      const zeroed = Buffer.from(frame).fill(0, 81, 81 + len);
      const before = Buffer.from(frame);
      const out = Buffer.alloc(len + 2, 0xee);
      eapolKeyMicInto(alg, kck, frame, 81, out, 1);
      expect(frame.equals(before)).toBe(true);
      expect(out.subarray(1, 1 + len).equals(micOracle(alg, kck, zeroed))).toBe(true);
      expect([out[0], out[len + 1]]).toEqual([0xee, 0xee]);
      // Signing: the frame is its own output, its MIC field overwritten.
      eapolKeyMicInto(alg, kck, frame, 81, frame, 81);
      expect(frame.subarray(81, 81 + len).equals(micOracle(alg, kck, zeroed))).toBe(true);
      expect(frame.subarray(0, 81).equals(before.subarray(0, 81))).toBe(true);
    }
  });

  it('nonces from the pool: the length asked for, never the same twice, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = pooledRandom(32);
      expect(n.length).toBe(32);
      seen.add(n.toString('hex'));
    }
    expect(seen.size).toBe(200);
    expect(pooledRandom(3000).length).toBe(3000);
  });

  it('key wrap: bad lengths are CryptoInputError, a wrong KEK is KeyUnwrapError', () => {
    const w = aesKeyWrap(Buffer.alloc(16, 1), Buffer.alloc(32, 2));
    expect(() => aesKeyUnwrap(Buffer.alloc(16, 9), w)).toThrow(KeyUnwrapError);
    const tampered = Buffer.from(w);
    tampered[20] ^= 1;
    expect(() => aesKeyUnwrap(Buffer.alloc(16, 1), tampered)).toThrow(KeyUnwrapError);
    expect(aesKeyUnwrap(Buffer.alloc(16, 1), w).equals(Buffer.alloc(32, 2))).toBe(true);
    expect(() => aesKeyUnwrap(Buffer.alloc(16, 1), w.subarray(0, 20))).toThrow(CryptoInputError);
    expect(() => aesKeyUnwrap(Buffer.alloc(16, 1), w.subarray(0, 16))).toThrow(CryptoInputError);
    expect(() => aesKeyWrap(Buffer.alloc(16, 1), Buffer.alloc(12))).toThrow(CryptoInputError);
    expect(() => aesKeyWrap(Buffer.alloc(15), Buffer.alloc(16))).toThrow(CryptoInputError);
  });
});
