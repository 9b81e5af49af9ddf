/** The wire codec on its own: line framing under any chunking, and event/argument round trips. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssocEvent, ScanBss } from '../../src/driver/backend.js';
import {
  LineSplitter,
  MAX_LINE_BYTES,
  MAX_NESTING,
  WireFormatError,
  decodeArgs,
  describeValue,
  decodeEvent,
  encodeArgs,
  encodeEvent,
  encodeScanResults,
  formatLine,
  parseLine,
} from '../../src/driver/wire.js';

function split(chunks: Buffer[]): { lines: string[]; overlong: number[] } {
  const lines: string[] = [];
  const overlong: number[] = [];
  const s = new LineSplitter((l) => lines.push(l.toString()), (n) => overlong.push(n));
  for (const c of chunks) s.push(c);
  return { lines, overlong };
}

describe('LineSplitter', () => {
  it('gives the same lines whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\n')), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const all = Buffer.from(lines.map((l) => l + '\n').join(''));
        const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, all.length]) {
          chunks.push(all.subarray(prev, p));
          prev = p;
        }
        expect(split(chunks).lines).toEqual(lines);
      }),
    );
  });

  it('drops an over-long line up to its newline and keeps the next one', () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 1);
    const r = split([Buffer.from('a\n' + long.slice(0, 40000)), Buffer.from(long.slice(40000) + '\nb\n')]);
    expect(r.lines).toEqual(['a', 'b']);
    expect(r.overlong).toEqual([MAX_LINE_BYTES + 1]);
    const exact = split([Buffer.from('y'.repeat(MAX_LINE_BYTES) + '\n')]);
    expect(exact.lines[0].length).toBe(MAX_LINE_BYTES);
  });
});

describe('messages', () => {
  it('rejects what is not a JSON object, and refuses to send over-long messages', () => {
    expect(() => parseLine('{')).toThrow(WireFormatError);
    expect(() => parseLine('"x"')).toThrow(WireFormatError);
    expect(() => parseLine('null')).toThrow(WireFormatError);
    expect(() => formatLine({ data: 'x'.repeat(MAX_LINE_BYTES) })).toThrow(WireFormatError);
  });

  it('refuses nesting beyond MAX_NESTING and invalid UTF-8, without walking the value', () => {
    const deep = (n: number): string => `{"x":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
    expect(parseLine(deep(MAX_NESTING))).toHaveProperty('x');
    expect(() => parseLine(deep(MAX_NESTING + 1))).toThrow(/nested deeper than 32 levels/);
    // Brackets inside strings are text, not nesting.
    expect(parseLine(`{"x":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`)).toHaveProperty('x');
    expect(() => parseLine(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toThrow(/not UTF-8/);
    expect(parseLine(Buffer.from('{"x":"\u20ac"}'))).toEqual({ x: '\u20ac' });
    expect(describeValue(JSON.parse(`[${'['.repeat(20000)}${']'.repeat(20000)}]`))).toBe('a list');
    expect(describeValue({ toString: 1 })).toBe('an object');
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(40)}..."`);
  });

  it('round-trips assoc with and without material, in lowercase hex', () => {
    const base: AssocEvent = {
      bssid: '02:00:00:00:01:01', freq: 2437, reqIes: Buffer.from([0, 1, 0x41]), respIes: Buffer.alloc(0), beaconIes: Buffer.from([5, 0]),
      roam: true, authorized: true, material: { keyReplayCtr: Buffer.from('0000000000000002', 'hex'), kck: Buffer.alloc(16, 0xab), kek: Buffer.alloc(16, 0xcd) }, pmkid: Buffer.alloc(16, 1),
    };
    const wire = parseLine(formatLine(encodeEvent('assoc', base)));
    expect(wire).toMatchObject({ event: 'assoc', kck: 'ab'.repeat(16), key_replay_ctr: '0000000000000002', roam: true });
    expect(decodeEvent(wire)).toEqual({ name: 'assoc', args: [base] });
    const { material: _m, ...bare } = base;
    void _m;
    expect(decodeEvent(parseLine(formatLine(encodeEvent('assoc', bare))))).toEqual({ name: 'assoc', args: [bare] });
  });

  it('accepts upper-case MACs and hex from a peer, refuses odd hex and wrong types', () => {
    expect(decodeEvent({ event: 'eapol_rx', src: '02:AB:00:00:00:01', data: '0103ABCD' })).toEqual({ name: 'eapol_rx', args: [{ src: '02:ab:00:00:00:01', data: Buffer.from('0103abcd', 'hex') }] });
    expect(() => decodeEvent({ event: 'eapol_rx', src: '02:ab:00:00:00:01', data: '013' })).toThrow(/"data"/);
    expect(() => decodeEvent({ event: 'disconnected', bssid: '02:ab:00:00:00:01', reason: '3', locally_generated: true })).toThrow(/"reason"/);
    expect(decodeEvent({ event: 'something_new' })).toBeNull();
  });

  it('round-trips request arguments', () => {
    const connect = { bssid: '02:00:00:00:01:01', ssid: Buffer.from([0, 0xff, 0x41]), freq: 5180, ies: Buffer.from('30140100', 'hex'), akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: 'optional' as const, pmk: Buffer.alloc(32, 3), pmkid: undefined };
    expect(decodeArgs.connect(parseLine(formatLine(encodeArgs.connect(connect))))).toEqual(connect);
    expect(() => decodeArgs.connect({ ...encodeArgs.connect(connect), mfp: 'sometimes' })).toThrow(/"mfp"/);
    const pmksa = { bssid: '02:00:00:00:01:01', pmkid: Buffer.alloc(16, 1), pmk: undefined, akm: 'WPA-PSK', lifetime: 60, ssid: undefined };
    expect(decodeArgs.set_pmksa(encodeArgs.set_pmksa(pmksa))).toEqual(pmksa);
    expect(decodeArgs.scan(encodeArgs.scan({ ssids: [Buffer.from('a')], freqs: [2412] }))).toEqual({ ssids: [Buffer.from('a')], freqs: [2412] });
  });

  it('splits 1000 scan results into lines under the limit that join back in order', () => {
    const bss: ScanBss[] = Array.from({ length: 1000 }, (_, i) => ({
      bssid: `02:10:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
      ssid: Buffer.from(`crowd-${i}`), freq: 2412, signal: -80, noise: -95, beaconInt: 100, caps: 0x411, ies: Buffer.alloc(120, i & 0xff), ageMs: 0,
    }));
    const parts = encodeScanResults(bss);
    expect(parts.length).toBeGreaterThan(1);
    const joined: ScanBss[] = [];
    parts.forEach((p, i) => {
      const line = formatLine(p);
      expect(Buffer.byteLength(line) - 1).toBeLessThanOrEqual(MAX_LINE_BYTES);
      const ev = decodeEvent(parseLine(line));
      expect(ev?.name).toBe('scan_results');
      expect(ev?.more).toBe(i < parts.length - 1);
      joined.push(...(ev?.args[0] as ScanBss[]));
    });
    expect(joined).toEqual(bss);
  });
});
