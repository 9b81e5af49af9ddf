/**
 * vitest setupFiles: each test file gets a TMPDIR of its own inside the run's
 * (tmp-global.ts), so files running at the same time (the radio project runs
 * two, `npm test` runs the radio and host projects side by side) never see
 * each other's files. After the file, whatever it left there fails it, and is
 * removed either way.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Set before the test file is imported: os.tmpdir() and every child process see it.
const dir = mkdtempSync(join(tmpdir(), 'f'));
process.env.TMPDIR = dir;

// Registered before the file's own hooks, so it runs after them ('stack' order).
afterAll(() => {
  const left = readdirSync(dir);
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`this test file left ${left.join(', ')} in ${dir}`);
});
