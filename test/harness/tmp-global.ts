/**
 * vitest globalSetup: the run gets a temporary directory of its own as TMPDIR
 * (os.tmpdir() in every worker and child process), so what a test file leaves
 * behind can be told apart from other runs sharing /tmp (tmp-check.ts checks
 * after every file). At the end the directory must be empty; it is removed
 * either way.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'wpo-run-'));
  process.env.TMPDIR = dir;
  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`the test run left ${left.join(', ')} in its TMPDIR ${dir}`);
  };
}
