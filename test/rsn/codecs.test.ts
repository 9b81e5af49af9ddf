/**
 * EAPOL, EAPOL-Key, RSNE and KDE codecs: real frames from the transcripts,
 * every field and Key Information bit, the length rules, and fast-check
 * fuzzing (garbage gives a typed error, never another exception).
 */
import { readVector } from '../fixtures/vectors.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildEapolKey,
  buildEapolStart,
  classifyEapol,
  decodeKeyInfo,
  EapolParseError,
  encodeKeyInfo,
  KeyInfo,
  parseEapol,
  parseEapolKey,
} from '../../src/rsn/eapol.js';
import { buildRsne, parseRsne, RsneParseError } from '../../src/rsn/rsne.js';
import { buildTie, gtkKde, igtkKde, KeyDataError, padKeyData, parseKeyData, pmkidKde, TimeoutIntervalType } from '../../src/rsn/kde.js';

const T = (name: string) => readVector(`transcripts/${name}`);
const h = (s: string): Buffer => Buffer.from(s, 'hex');

describe('EAPOL-Key codec', () => {
  const psk = T('wpa-psk.json');

  it('parses every transcript frame and rebuilds it byte for byte', () => {
    for (const name of ['wpa-psk.json', 'wpa-psk-sha256.json', 'retransmit.json', 'wrong-passphrase.json', 'msg3-rsne-mismatch.json']) {
      for (const fr of T(name).frames) {
        const raw = h(fr.eapol);
        const k = parseEapolKey(raw);
        expect(k.replayCounter.readBigUInt64BE()).toBe(BigInt(fr.replay_ctr));
        const rebuilt = buildEapolKey({ eapolVersion: k.eapolVersion, keyInfo: k.keyInfo, keyLength: k.keyLength, replayCounter: k.replayCounter, nonce: k.nonce, iv: k.iv, rsc: k.rsc, keyId: k.keyId, keyData: k.keyData });
        k.mic.copy(rebuilt, 81);
        expect(rebuilt.toString('hex')).toBe(fr.eapol);
        expect(classifyEapol(raw)).toBe(
          ({ '4way-1': 'pairwise-1', '4way-2': 'pairwise-2', '4way-3': 'pairwise-3', '4way-4': 'pairwise-4', 'group-1': 'group-1', 'group-2': 'group-2' } as Record<string, string>)[fr.kind.split(' ')[0]],
        );
      }
    }
  });

  it('decodes msg 3 fields: key info 0x13ca, key length 16, ANonce, encrypted key data', () => {
    const m3 = parseEapolKey(h(psk.frames[2].eapol));
    expect(m3.keyInfo).toBe(0x13ca);
    expect(m3.flags).toEqual({ version: 2, pairwise: true, keyIndex: 0, install: true, ack: true, mic: true, secure: true, error: false, request: false, encrypted: true, smk: false });
    expect(m3.keyLength).toBe(16);
    expect(m3.nonce.toString('hex')).toBe(psk.anonce);
    expect(m3.keyData.length).toBe(56);
  });

  it('round-trips every Key Information bit', () => {
    for (let bit = 0; bit < 16; bit++) {
      const v = 1 << bit;
      if (v & 0xc000) continue; // bits 14-15 are reserved
      expect(encodeKeyInfo(decodeKeyInfo(v))).toBe(v);
    }
    expect(KeyInfo.SMK_MESSAGE).toBe(0x2000);
  });

  it('accepts Ethernet padding after the body but not a body longer than the frame', () => {
    const raw = h(psk.frames[0].eapol);
    expect(parseEapolKey(Buffer.concat([raw, Buffer.alloc(10)])).raw.length).toBe(raw.length);
    expect(() => parseEapolKey(raw.subarray(0, raw.length - 1))).toThrow(EapolParseError);
  });

  it('rejects a Key Data Length that overflows the body (hostap "key_data overflow")', () => {
    const raw = h(psk.frames[1].eapol);
    raw.writeUInt16BE(raw.readUInt16BE(97) + 1, 97);
    expect(() => parseEapolKey(raw)).toThrow(/overflows/);
  });

  it('rejects descriptor types other than RSN and non-Key packets', () => {
    const raw = h(psk.frames[0].eapol);
    raw[4] = 254;
    expect(() => parseEapolKey(raw)).toThrow(/descriptor type/);
    expect(() => parseEapolKey(buildEapolStart())).toThrow(/not EAPOL-Key/);
  });

  it('EAPOL-Start is version, type 1, empty body', () => {
    expect(buildEapolStart().toString('hex')).toBe('01010000');
    expect(parseEapol(buildEapolStart(2))).toMatchObject({ version: 2, type: 1, trailing: 0 });
    expect(classifyEapol(buildEapolStart())).toBe('start');
  });

  it('24-octet MIC layout for the SHA-384 AKMs', () => {
    const f = buildEapolKey({ keyInfo: 0x0108, replayCounter: Buffer.alloc(8, 1), keyData: Buffer.from('abc') }, 24);
    const k = parseEapolKey(f, 24);
    expect(k.mic.length).toBe(24);
    expect(k.keyData.toString()).toBe('abc');
  });

  it('property: any EAPOL-Key built from random fields parses back to the same fields', () => {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(
        fc.record({ keyInfo: fc.integer({ min: 0, max: 0xffff }), keyLength: fc.integer({ min: 0, max: 0xffff }), replayCounter: bytes(8), nonce: bytes(32), iv: bytes(16), rsc: bytes(8), keyId: bytes(8), keyData: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) }),
        fc.constantFrom(16, 24),
        (f, micLen) => {
          const k = parseEapolKey(buildEapolKey(f, micLen), micLen);
          expect({ keyInfo: k.keyInfo, keyLength: k.keyLength, replayCounter: k.replayCounter, nonce: k.nonce, iv: k.iv, rsc: k.rsc, keyId: k.keyId, keyData: k.keyData }).toEqual(f);
          expect(encodeKeyInfo(k.flags)).toBe(f.keyInfo & 0x3fff);
          expect(k.mic.equals(Buffer.alloc(micLen))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fuzz: random bytes and mutated frames only ever raise EapolParseError', () => {
    const seeds = psk.frames.map((f: { eapol: string }) => h(f.eapol));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([s, muts, cut]) => {
        const b = Buffer.from(s as Buffer);
        for (const [i, v] of muts) b[i % b.length] = v;
        return b.subarray(0, b.length - (cut % 8));
      })), (bytes) => {
        const b = Buffer.from(bytes);
        classifyEapol(b);
        try {
          parseEapolKey(b);
        } catch (e) {
          expect(e).toBeInstanceOf(EapolParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('RSNE codec', () => {
  it('parses the transcript AP RSNE (CCMP, WPA-PSK, no capabilities set)', () => {
    const r = parseRsne(h('30140100000fac040100000fac040100000fac020000'));
    expect(r).toEqual({ version: 1, group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'], capabilities: 0, mfpc: false, mfpr: false, pmkids: [] });
  });

  it('builds what wpa_supplicant sends (byte-equal to the transcript msg 2 RSNE)', () => {
    expect(buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'] }).toString('hex')).toBe('30140100000fac040100000fac040100000fac020000');
    expect(buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK-SHA256'] }).toString('hex')).toBe('30140100000fac040100000fac040100000fac060000');
  });

  it('MFPC/MFPR, PMKID list and group management cipher round-trip', () => {
    const pmkid = Buffer.alloc(16, 0xab);
    const b = buildRsne({ group: 'GCMP-256', pairwise: ['GCMP-256', 'CCMP'], akms: ['SAE', 'FT-SAE'], mfpc: true, mfpr: true, pmkids: [pmkid], groupMgmt: 'BIP-GMAC-256' });
    const r = parseRsne(b);
    expect(r).toMatchObject({ group: 'GCMP-256', pairwise: ['GCMP-256', 'CCMP'], akms: ['SAE', 'FT-SAE'], mfpc: true, mfpr: true, groupMgmt: 'BIP-GMAC-256', capabilities: 0xc0 });
    expect(r.pmkids[0].equals(pmkid)).toBe(true);
  });

  it('leaves out the default AES-128-CMAC group management suite like wpa_supplicant', () => {
    const b = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'], mfpc: true, groupMgmt: 'AES-128-CMAC' });
    expect(b.toString('hex')).toBe('30140100000fac040100000fac040100000fac028000');
    expect(buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'], mfpc: true, groupMgmt: 'BIP-GMAC-128' }).toString('hex')).toBe('301a0100000fac040100000fac040100000fac0280000000000fac0b');
  });

  it('refuses a suite in the wrong role (BIP as pairwise, CCMP as group management)', () => {
    expect(() => buildRsne({ group: 'CCMP', pairwise: ['AES-128-CMAC'], akms: ['WPA-PSK'] })).toThrow(/not a pairwise cipher/);
    expect(() => buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'], groupMgmt: 'CCMP' })).toThrow(/not a group-mgmt cipher/);
  });

  it('keeps unknown suites under a printable name', () => {
    const r = parseRsne(h('30140100000fac040100000fac0401000050f2630000'));
    expect(r.akms).toEqual(['00-50-f2:99']);
  });

  it('fields may stop at a boundary (defaults apply) but not in the middle', () => {
    expect(parseRsne(h('30020100'))).toMatchObject({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-EAP'] });
    expect(parseRsne(h('30060100000fac02')).group).toBe('TKIP');
    expect(() => parseRsne(h('30050100000fac'))).toThrow(RsneParseError);
    expect(() => parseRsne(h('3008010000' + '0fac040000'))).toThrow(/count is 0/);
    expect(() => parseRsne(h('30140100000fac040100000fac040100000fac0200'))).toThrow(RsneParseError);
    expect(() => parseRsne(h('30150100000fac040100000fac040100000fac02000001'))).toThrow(/truncated/);
    expect(() => parseRsne(h('30040200000f'))).toThrow(RsneParseError);
  });

  it('fuzz: garbage only ever raises RsneParseError; valid builds always parse back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const b = Buffer.from(bytes);
        if (b.length >= 2) {
          b[0] = 48;
          b[1] = b.length - 2;
        }
        try {
          parseRsne(b);
        } catch (e) {
          expect(e).toBeInstanceOf(RsneParseError);
        }
      }),
      { numRuns: 2000 },
    );
    const cipher = fc.constantFrom('CCMP', 'GCMP', 'CCMP-256', 'GCMP-256', 'TKIP');
    fc.assert(
      fc.property(cipher, fc.array(cipher, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('WPA-PSK', 'WPA-EAP', 'SAE', 'FT-PSK', 'WPA-PSK-SHA256'), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { maxLength: 3 }), (group, pairwise, akms, mfpc, mfpr, pmkids) => {
        const r = parseRsne(buildRsne({ group, pairwise, akms, mfpc, mfpr, pmkids: pmkids.map((p) => Buffer.from(p)) }));
        expect(r).toMatchObject({ group, pairwise, akms, mfpc: mfpc || mfpr, mfpr });
        expect(r.pmkids.length).toBe(pmkids.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Key Data and KDEs', () => {
  it('parses RSNE + GTK + IGTK + PMKID and skips unknown elements and KDEs', () => {
    const rsne = h('30140100000fac040100000fac040100000fac020000');
    const data = Buffer.concat([
      rsne,
      h('dd050050f20401'), // a WFA vendor element: not a KDE
      h('dd06000fac7f0102'), // unknown KDE type
      gtkKde(2, Buffer.alloc(16, 1), true),
      igtkKde(4, h('010000000000'), Buffer.alloc(16, 2)),
      pmkidKde(Buffer.alloc(16, 3)),
      h('2a0100'), // some other element
    ]);
    const e = parseKeyData(padKeyData(data));
    expect(e.rsne?.equals(rsne)).toBe(true);
    expect(e.gtk).toEqual({ keyId: 2, tx: true, key: Buffer.alloc(16, 1) });
    expect(e.igtk).toEqual({ keyId: 4, ipn: h('010000000000'), key: Buffer.alloc(16, 2) });
    expect(e.pmkid?.equals(Buffer.alloc(16, 3))).toBe(true);
    expect(e.unknown).toBe(3);
  });

  it('padding: 0xdd then zeros to a multiple of 8, at least 16 octets, and the walk stops there', () => {
    expect(padKeyData(Buffer.alloc(0)).toString('hex')).toBe('dd' + '00'.repeat(15));
    expect(padKeyData(h('2a0100')).toString('hex')).toBe('2a0100dd' + '00'.repeat(12));
    expect(padKeyData(Buffer.alloc(24, 1)).length).toBe(24);
    expect(padKeyData(Buffer.alloc(17, 1)).length).toBe(24);
    expect(parseKeyData(h('2a0100dd00000000')).unknown).toBe(1);
  });

  it('Timeout Interval elements in Key Data: types 1 and 2 of 5 octets taken; a shorter one or another type not understood, as wpa_supplicant parses them', () => {
    const e = parseKeyData(Buffer.concat([buildTie(TimeoutIntervalType.REASSOC_DEADLINE, 1000), buildTie(TimeoutIntervalType.KEY_LIFETIME, 1209600)]));
    expect(e.reassocDeadline).toBe(1000);
    expect(e.keyLifetime).toBe(1209600);
    expect(e.unknown).toBe(0);
    const odd = parseKeyData(h('3803010a00' + '380503e8030000'));
    expect(odd.reassocDeadline).toBeUndefined();
    expect(odd.keyLifetime).toBeUndefined();
    expect(odd.unknown).toBe(2);
    expect(parseKeyData(h('2a0100dd')).unknown).toBe(1);
    expect(parseKeyData(h('dd00dd00dd00dd00dd00dd00dd00dd00')).gtk).toBeUndefined();
  });

  it('an element overrunning the Key Data is an error (hostap test: invalid KDE "5555")', () => {
    expect(() => parseKeyData(h('5555'))).toThrow(KeyDataError);
    expect(() => parseKeyData(h('dd16000fac0101'))).toThrow(KeyDataError);
    expect(() => parseKeyData(h('dd05000fac0101'))).toThrow(/GTK KDE of 1/);
  });

  it('fuzz: garbage only ever raises KeyDataError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          parseKeyData(Buffer.from(bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(KeyDataError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
