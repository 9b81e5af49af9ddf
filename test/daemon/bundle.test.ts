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

describe('dist/bundle', () => {
  for (const file of ['wpa-offloadd.cjs', 'start.mjs', 'snapshot.cjs']) {
    it(`${file} is ASCII, so V8 stores its source one byte per character`, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const at = text.search(/[^\x00-\x7f]/);
      expect(at === -1 ? '' : text.slice(Math.max(0, at - 40), at + 10)).toBe('');
    });
  }
});
