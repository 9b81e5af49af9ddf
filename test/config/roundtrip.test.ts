/**
 * What is set is what comes back: for every network field and global option,
 * any value (any bytes, in every form SET takes, short and past the reader's
 * line buffers) either answers FAIL or survives SAVE_CONFIG and a re-read of
 * the file with the same value. The SET and the writer are the control
 * interface's own code path (NetworkConfig.update, SupplicantConfig.setGlobal,
 * serializeConfig, parseConfig); test/robustness/config-roundtrip.test.ts
 * checks the same through a real daemon.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SupplicantConfig } from '../../src/config/config.js';
import { NETWORK_FIELDS } from '../../src/config/fields.js';
import { GLOBAL_FIELDS } from '../../src/config/globals.js';
import { parseConfig } from '../../src/config/parse.js';
import { serializeConfig } from '../../src/config/write.js';

/** Any byte, with the ones that matter to the file format over-represented. */
const byteChar = fc.oneof(
  fc.constantFrom('"', '#', '\\', ' ', '\t', '=', 'P', 'x', '\n', '\r', '\0', '\x7f', '\xff'),
  fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
);
const short = fc.array(byteChar, { maxLength: 70 }).map((a) => a.join(''));
/** Around the 512- and 2000-byte line buffers, with a few special bytes in. */
const long = fc
  .tuple(fc.constantFrom(250, 480, 505, 990, 1985, 1990, 2100), short, fc.constantFrom('a', '"', '#'))
  .map(([n, s, fill]) => (s + fill.repeat(n)).slice(0, n));
const bytes = fc.oneof({ weight: 4, arbitrary: short }, { weight: 1, arbitrary: long });
const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const value = fc.oneof(bytes, bytes.map((s) => `"${s}"`), bytes.map((s) => `P"${s}"`), bytes.map(hex));

describe('SET, SAVE_CONFIG, re-read: the same value or FAIL', () => {
  it('every network field', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.constantFrom(...NETWORK_FIELDS.map((f) => f.name)), value, (name, v) => {
        const cfg = new SupplicantConfig();
        const net = cfg.addNetwork();
        expect(net.update('key_mgmt', 'NONE')).toBe('CHANGED'); // so the block is saved
        if (net.update(name, v) === 'FAIL') return;
        const back = parseConfig(serializeConfig(cfg));
        // freq_list is never saved (as 2.10); group may lose CCMP by the reader's
        // own validation; mesh_fwding=0 is not written (2.10's writer compares
        // with 0, its default is 1), kept for byte compatibility (see the report).
        if (name === 'freq_list' || name === 'group' || name === 'mesh_fwding') return;
        // An empty text is not written (2.10's writer): an empty eap list comes back unset.
        expect(back.networks[0].getRaw(name) ?? '', `${name} ${JSON.stringify(v)}`).toBe(net.getRaw(name) ?? '');
        checked++;
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('the string fields with the values of the issue', () => {
    const cases: [string, string, 'kept' | 'FAIL'][] = [
      ['ssid', '"a"#b"', 'kept'],
      ['id_str', '"x"y#z"', 'kept'],
      ['identity', `"${'i'.repeat(1985)}"`, 'kept'],
      ['id_str', `"${'i'.repeat(1990)}"`, 'FAIL'],
      ['psk', '"abc"#defgh"', 'FAIL'],
      ['psk', '"abc"defgh#"', 'FAIL'],
      ['psk', '"abcdefgh"ij"', 'kept'],
    ];
    for (const [name, v, want] of cases) {
      const cfg = new SupplicantConfig();
      const net = cfg.addNetwork();
      net.update('key_mgmt', 'NONE');
      const r = net.update(name, v);
      if (want === 'FAIL') {
        expect(r, `${name} ${v}`).toBe('FAIL');
        continue;
      }
      expect(r, `${name} ${v}`).toBe('CHANGED');
      expect(parseConfig(serializeConfig(cfg)).networks[0].getRaw(name), `${name} ${v}`).toBe(net.getRaw(name));
    }
  });

  it('every global option', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.constantFrom(...GLOBAL_FIELDS.map((g) => g.name)), fc.oneof(value, bytes), (name, v) => {
        const cfg = new SupplicantConfig();
        if (!cfg.setGlobal(name, v)) return;
        const back = parseConfig(serializeConfig(cfg));
        expect(back.globalValue(name), `${name} ${JSON.stringify(v)}`).toEqual(cfg.globalValue(name));
        checked++;
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('keeps 2.10 bytes where 2.10 reads its own output back', () => {
    const cfg = new SupplicantConfig();
    const net = cfg.addNetwork();
    for (const [f, v] of [['ssid', '"plain # ssid"'], ['key_mgmt', 'NONE'], ['id_str', '"a"b"'], ['identity', 'P"\\x01"']]) net.update(f, v);
    expect(serializeConfig(cfg)).toBe('\nnetwork={\n\tssid="plain # ssid"\n\tkey_mgmt=NONE\n\tidentity=01\n\tmesh_fwding=1\n\tdisabled=1\n\tid_str="a"b"\n}\n');
  });
});
