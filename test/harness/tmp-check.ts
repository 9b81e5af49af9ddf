/**
 * vitest setupFiles: after each test file, whatever it created under the
 * run's TMPDIR (tmp-global.ts) and did not remove fails that file, and is
 * removed so the next file starts clean.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

let before = new Set<string>();

beforeAll(() => {
  before = new Set(readdirSync(tmpdir()));
});

// Registered before the file's own hooks, so it runs after them ('stack' order).
afterAll(() => {
  const left = readdirSync(tmpdir()).filter((name) => !before.has(name));
  for (const name of left) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  if (left.length > 0) throw new Error(`this test file left ${left.join(', ')} in ${tmpdir()}`);
});
