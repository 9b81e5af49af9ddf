/**
 * The nl80211 backend's scan and interface dumps, on messages built here byte
 * by byte (struct nlattr: u16 len, u16 type, payload, padding to 4), not with
 * the encoder under test; and TRIGGER_SCAN's attributes as the kernel reads them.
 */
import { describe, expect, it } from 'vitest';
import { encodeAttrs, nestedList, Nl80211DecodeError, parseAttrs } from '../../../src/driver/nl80211/attrs.js';
import * as enc from '../../../src/driver/nl80211/encode.js';
import { parseInterface } from '../../../src/driver/nl80211/interfaces.js';
import { Attr, Cmd } from '../../../src/driver/nl80211/numbers.js';
import { MAX_SCAN_BSS, MAX_SCAN_BYTES } from '../../../src/driver/backend.js';
import { parseScanBss, scanDumpResults } from '../../../src/driver/nl80211/scan-results.js';
import { hex, nla, u16, u32 } from './nla.js';

const s32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};

// SSID "ap-1", supported rates, RSNE (WPA2-PSK CCMP).
const PRESP_IES = hex('0004 61702d31 010482848b96 3014 0100 000fac04 0100 000fac04 0100 000fac02 0000');
const BEACON_IES = hex('0004 61702d31 010482848b96');

function bssMessage(inner: Buffer[]): Buffer {
  return Buffer.concat([nla(Attr.IFINDEX, u32(7)), nla(47, Buffer.concat(inner))]);
}

describe('GET_SCAN dump entry', () => {
  it('bssid, freq, signal (mBm / 100, truncated), beacon_int, caps, Probe Response IEs, SSID from them, age', () => {
    const bss = parseScanBss(
      bssMessage([
        nla(1, hex('02:00:00:00:00:00')),
        nla(2, u32(2412)),
        nla(4, u16(100)),
        nla(5, u16(0x0411)),
        nla(6, PRESP_IES),
        nla(7, s32(-3050)),
        nla(10, u32(120)),
        nla(11, BEACON_IES),
      ]),
    );
    expect(bss).toEqual({
      bssid: '02:00:00:00:00:00',
      ssid: Buffer.from('ap-1'),
      freq: 2412,
      signal: -30,
      noise: 0,
      beaconInt: 100,
      caps: 0x0411,
      ies: PRESP_IES,
      ageMs: 120,
    });
  });

  it('without Probe Response IEs, the Beacon IEs', () => {
    const bss = parseScanBss(bssMessage([nla(1, hex('02:00:00:00:00:01')), nla(2, u32(5180)), nla(11, BEACON_IES)]));
    expect([bss.ssid.toString(), bss.ies.equals(BEACON_IES), bss.signal, bss.ageMs]).toEqual(['ap-1', true, 0, 0]);
  });

  it('a hidden SSID (zero-length element) is an empty SSID; a truncated IE list ends the walk', () => {
    expect(parseScanBss(bssMessage([nla(1, hex('020000000002')), nla(2, u32(2437)), nla(6, hex('0000 0104'))])).ssid.length).toBe(0);
  });

  it('a message without a BSS, with a short BSSID or a short signal is refused with a reason', () => {
    expect(() => parseScanBss(nla(Attr.IFINDEX, u32(7)))).toThrow(/ATTR_BSS missing/);
    expect(() => parseScanBss(bssMessage([nla(1, hex('0200000000')), nla(2, u32(2412))]))).toThrow(Nl80211DecodeError);
    expect(() => parseScanBss(bssMessage([nla(1, hex('020000000000')), nla(2, u32(2412)), nla(7, u16(1))]))).toThrow(/SIGNAL_MBM/);
  });
});

describe('GET_SCAN dump, whole', () => {
  const entry = (i: number, ies: Buffer = BEACON_IES) =>
    ({ cmd: Cmd.NEW_SCAN_RESULTS, data: bssMessage([nla(1, hex(`020000${((i >> 16) & 0xff).toString(16).padStart(2, '0')}${(i & 0xffff).toString(16).padStart(4, '0')}`)), nla(2, u32(2412)), nla(11, ies)]) });

  it('up to the bounds every backend keeps: all entries; one that does not decode is dropped with its reason', () => {
    const msgs = Array.from({ length: MAX_SCAN_BSS }, (_, i) => entry(i));
    msgs[5] = { cmd: Cmd.NEW_SCAN_RESULTS, data: bssMessage([nla(1, hex('0200')), nla(2, u32(2412))]) };
    const r = scanDumpResults(msgs);
    if ('over' in r) throw new Error(r.over);
    expect(r.bss.length).toBe(MAX_SCAN_BSS - 1);
    expect(r.dropped).toEqual(['BSS_BSSID: 2 bytes, expected 6']);
  });

  it(`over ${MAX_SCAN_BSS} BSSes or ${MAX_SCAN_BYTES} bytes: the set is refused whole, with the numbers`, () => {
    const tooMany = scanDumpResults(Array.from({ length: MAX_SCAN_BSS + 1 }, (_, i) => entry(i)));
    expect(tooMany).toEqual({ over: expect.stringMatching(/^2049 BSSes in \d+ bytes; at most 2048 BSSes and 8388608 bytes$/) });
    // 300 entries of 32 KiB IEs each: few BSSes, too many bytes.
    const big = Buffer.alloc(32 * 1024 - 8);
    const tooBig = scanDumpResults(Array.from({ length: 300 }, (_, i) => entry(i, big)));
    expect('over' in tooBig && tooBig.over).toMatch(/^300 BSSes in \d+ bytes/);
  });
});

describe('GET_INTERFACE dump entry', () => {
  it('name (NUL-terminated), ifindex, wiphy, MAC', () => {
    const msg = Buffer.concat([nla(3, u32(7)), nla(4, Buffer.from('wlan1\0')), nla(1, u32(1)), nla(6, hex('020000000100'))]);
    expect(parseInterface(msg)).toEqual({ ifname: 'wlan1', ifindex: 7, wiphy: 1, address: '02:00:00:00:01:00' });
  });
  it('an entry without a netdev (P2P device) is skipped', () => {
    expect(parseInterface(Buffer.concat([nla(1, u32(1)), nla(6, hex('020000000100'))]))).toBeNull();
  });
});

describe('TRIGGER_SCAN', () => {
  it('no SSIDs: the wildcard SSID alone (an active scan); no freqs: no SCAN_FREQUENCIES', () => {
    const r = enc.triggerScan(7, {});
    expect(r.cmd).toBe(Cmd.TRIGGER_SCAN);
    const a = parseAttrs(encodeAttrs(r.attrs));
    expect(a.get(Attr.IFINDEX)?.readUInt32LE(0)).toBe(7);
    expect(nestedList(a.get(Attr.SCAN_SSIDS) as Buffer).map((b) => b.length)).toEqual([0]);
    expect(a.has(Attr.SCAN_FREQUENCIES)).toBe(false);
  });
  it('SSIDs and frequencies as nested lists', () => {
    const a = parseAttrs(encodeAttrs(enc.triggerScan(7, { ssids: [Buffer.from('a'), Buffer.from('bc')], freqs: [2412, 5180] }).attrs));
    expect(nestedList(a.get(Attr.SCAN_SSIDS) as Buffer).map((b) => b.toString())).toEqual(['a', 'bc']);
    expect(nestedList(a.get(Attr.SCAN_FREQUENCIES) as Buffer).map((b) => b.readUInt32LE(0))).toEqual([2412, 5180]);
  });
  it('no SCAN_FLAGS by default; with flush (2.10\'s only_new_results after a BSS flush) NL80211_ATTR_SCAN_FLAGS (158) = NL80211_SCAN_FLAG_FLUSH (1 << 1), byte for byte', () => {
    const base = [nla(3, u32(7)), nla(45, nla(1, Buffer.alloc(0)))];
    expect(encodeAttrs(enc.triggerScan(7, {}).attrs)).toEqual(Buffer.concat(base));
    expect(encodeAttrs(enc.triggerScan(7, { flush: false }).attrs)).toEqual(Buffer.concat(base));
    expect(encodeAttrs(enc.triggerScan(7, { freqs: [2412], flush: true }).attrs)).toEqual(
      Buffer.concat([...base, nla(44, nla(1, u32(2412))), nla(158, u32(2))]),
    );
  });
  it('an SSID over 32 bytes is refused before the kernel sees it', () => {
    expect(() => enc.triggerScan(7, { ssids: [Buffer.alloc(33)] })).toThrow(/SSID: 33 bytes/);
  });
});
