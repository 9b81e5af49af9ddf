/**
 * The bundles npm run build makes (scripts/bundle.mjs). V8 keeps a script's
 * source in the heap (and in the start-up snapshot) for the process's life,
 * one byte per character only while every character is Latin-1: a single
 * '–' in a copied comment doubles the daemon's ~0.7 MB source to 1.4 MiB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('dist/bundle');

/** The chunks the snapshot's load.ts functions load at first use (scripts/first-use-chunks.mjs). */
const chunks = fs.readdirSync(path.join(dir, 'first-use')).filter((f) => f.endsWith('.cjs'));

describe('dist/bundle', () => {
  for (const file of ['wpa-offloadd.cjs', 'start.mjs', 'snapshot.cjs', ...chunks.map((c) => `first-use/${c}`)]) {
    it(`${file} is ASCII, so V8 stores its source one byte per character`, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const at = text.search(/[^\x00-\x7f]/);
      expect(at === -1 ? '' : text.slice(Math.max(0, at - 40), at + 10)).toBe('');
    });
  }

  it('the start-up snapshot leaves the simulator, the ext client and SAE to first-use chunks, and keeps the nl80211 backend', () => {
    const snapshot = fs.readFileSync(path.join(dir, 'snapshot.cjs'), 'utf8');
    // esbuild's output for `export class Name ...`: `Name=class{` or `Name=class extends ...`.
    const defines = (text: string, name: string): boolean => new RegExp(`\\b${name}=class[ {]`).test(text);
    const where = (name: string): string[] =>
      [['snapshot.cjs', snapshot] as const, ...chunks.map((c) => [c, fs.readFileSync(path.join(dir, 'first-use', c), 'utf8')] as const)].filter(([, t]) => defines(t, name)).map(([f]) => f);
    expect(where('SimDriver')).toEqual(['driver-sim-sim-driver.cjs']);
    expect(where('ExtDriver')).toEqual(['driver-ext.cjs']);
    expect(where('SaeSession')).toEqual(['rsn-sae-machines.cjs']);
    expect(where('Nl80211Driver')).toEqual(['snapshot.cjs']);
  });

  it('the daemon bundles carry the netlink package\'s JavaScript and open its addon directly, without node-gyp-build', () => {
    for (const file of ['start.mjs', 'snapshot.cjs']) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of ['netlink.js', 'raw.js', 'genl/genl.js', 'structs.js']) expect(text, `${file}: ${m}`).toContain(`"node_modules/netlink/dist/${m}"(`);
      expect(text, file).toContain('"netlink-addon:node-gyp-build"(');
      expect(text, file).not.toMatch(/require\("node-gyp-build"\)|createRequire\([^)]*\)\("netlink/);
    }
  });
});
