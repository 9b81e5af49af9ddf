/**
 * The writer: no value can add a line to the saved file (property-based),
 * what the file contains re-reads to the same values, and saveConfigFile
 * replaces the file atomically with mode 0600.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SupplicantConfig } from '../../src/config/config.js';
import { GLOBAL_FIELDS } from '../../src/config/globals.js';
import { parseConfig, readConfigFile } from '../../src/config/parse.js';
import { saveConfigFile, serializeConfig } from '../../src/config/write.js';

/** Any bytes, with the characters that matter for the file format over-represented. */
const byteChar = fc.oneof(
  fc.constantFrom('\n', '\r', '"', '#', '\\', ' ', '\t', '=', '{', '}', '\0', '\x7f', 'P', 'x'),
  fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('0', '1', 'a', 'f', ':'),
);
const bytes = fc.array(byteChar, { maxLength: 70 }).map((a) => a.join(''));
const value = fc.oneof(bytes, bytes.map((s) => `"${s}"`), bytes.map((s) => `P"${s}"`), bytes.map((s) => Buffer.from(s, 'latin1').toString('hex')));

const NET_FIELDS = ['ssid', 'psk', 'sae_password', 'id_str', 'bssid', 'bssid_ignore', 'bssid_accept', 'priority', 'scan_ssid', 'frequency',
  'ieee80211w', 'pairwise', 'group', 'group_mgmt', 'auth_alg', 'proto', 'freq_list', 'disabled', 'mesh_fwding'];

const LINE = /^(?:[A-Za-z0-9_]+=[^\n\r]*|network=\{|\t[a-z_0-9]+=[^\n\r]*|\}|)$/;

describe('serializeConfig', () => {
  it('no network value can inject a line, and every written line reads back as written', () => {
    let roundTrips = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...NET_FIELDS), value), { maxLength: 12 }), (sets) => {
        const cfg = new SupplicantConfig();
        const net = cfg.addNetwork();
        net.update('key_mgmt', 'NONE'); // always saved
        for (const [f, v] of sets) net.update(f, v); // SET_NETWORK's path
        const text = serializeConfig(cfg);
        const lines = text.split('\n');
        expect(lines.every((l) => LINE.test(l))).toBe(true);
        expect(lines.filter((l) => l === 'network={').length).toBe(1);
        roundTrips++;
        const back = parseConfig(text);
        expect(back.networks.length).toBe(1);
        const written = lines.filter((l) => l.startsWith('\t')).map((l) => l.slice(1, l.indexOf('=')));
        for (const f of written) {
          // The reader's own validation may drop CCMP from group; everything else is exact.
          if (f !== 'group') expect(back.networks[0].getRaw(f), f).toBe(net.getRaw(f));
        }
      }),
      { numRuns: 400 },
    );
    expect(roundTrips).toBeGreaterThan(100);
  });

  it('no global value can inject a line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GLOBAL_FIELDS.map((g) => g.name)), value, (name, v) => {
        const cfg = new SupplicantConfig();
        cfg.setGlobal(name, v);
        const text = serializeConfig(cfg);
        expect(text.split('\n').every((l) => LINE.test(l))).toBe(true);
        // One line per option set away from its default, nothing more. (A '#'
        // in a raw string option is still a comment on re-reading, as in 2.10.)
        expect(text.split('\n').length - 1).toBe(cfg.globalLines().length);
        expect(cfg.globalLines().length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it('skips the networks 2.10 does not save', () => {
    const cfg = new SupplicantConfig();
    const add = (...sets: [string, string][]) => {
      const n = cfg.addNetwork();
      for (const [f, v] of sets) expect(n.set(f, v), `${f} ${v}`).toBe(true);
      return n;
    };
    add(['ssid', '"fresh PSK network without psk"']);
    add(['ssid', '"ft-psk"'], ['key_mgmt', 'FT-PSK']);
    add(['ssid', '"sae"'], ['key_mgmt', 'SAE']);
    add(['ssid', '"sae raw psk only"'], ['key_mgmt', 'SAE'], ['psk', 'ab'.repeat(32)]);
    add(['ssid', '"wps"'], ['key_mgmt', 'WPS']);
    add(['ssid', '"temporary"'], ['key_mgmt', 'NONE']).temporary = true;
    expect(serializeConfig(cfg)).toBe('');
    add(['ssid', '"kept"'], ['key_mgmt', 'WPS NONE']);
    expect(serializeConfig(cfg)).toBe('\nnetwork={\n\tssid="kept"\n\tkey_mgmt=NONE WPS\n\tmesh_fwding=1\n\tdisabled=1\n}\n');
  });
});

describe('saveConfigFile / readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wocfg-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file with mode 0600, leaving no temporary file', async () => {
    const path = join(dir, 'wpa.conf');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    const cfg = parseConfig('ctrl_interface=/run/x\nupdate_config=1\nnetwork={\nssid=P"caf\\xc3\\xa9"\npsk="pass phrase"\n}\n');
    await saveConfigFile(path, cfg);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'latin1')).toBe(serializeConfig(cfg));
    expect(readdirSync(dir)).toEqual(['wpa.conf']);
    const back = await readConfigFile(path);
    expect(back.networks[0].ssid).toEqual(Buffer.from('café', 'utf8'));
    expect(back.networks[0].passphrase).toBe('pass phrase');
  });

  it('fails cleanly when the target cannot be replaced, keeping what was there', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(join(sub, 'wpa.conf'), { recursive: true });
    writeFileSync(join(sub, 'wpa.conf', 'keep'), 'x');
    await expect(saveConfigFile(join(sub, 'wpa.conf'), new SupplicantConfig())).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(['wpa.conf']);
    expect(readFileSync(join(sub, 'wpa.conf', 'keep'), 'latin1')).toBe('x');
  });
});
