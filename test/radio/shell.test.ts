/**
 * The guest steps' shell prelude (shell.ts), run by the host's bash: its
 * waits must work on a file that a process started just before has not
 * created yet, under `set -e` as the scenarios' steps run. With `tail -f`
 * they did not: tail exited at once, and the step failed on the kill of a
 * tail already gone (a CI run lost its whole reference step so: "kill:
 * (209) - No such process", status 1, no TIMEOUT line).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRELUDE } from './shell.js';

const dir = mkdtempSync(join(tmpdir(), 'wpo-prelude-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` after the prelude under set -e: its status and output. */
function bash(body: string): { status: number; out: string } {
  const script = join(dir, 'step.sh');
  writeFileSync(script, `${PRELUDE}\nset -e\n${body}\n`);
  try {
    return { status: 0, out: execFileSync('bash', [script], { encoding: 'utf8', timeout: 20_000 }) };
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    return { status: err.status ?? -1, out: err.stdout ?? '' };
  }
}

describe('guest shell prelude', () => {
  it('wait_for waits for a file that appears after it started', () => {
    const file = join(dir, 'late-1.log');
    const r = bash(`( sleep 0.5; echo 'Interactive mode' > ${file} ) &\nwait_for ${file} 'Interactive mode' 10\necho after`);
    expect(r).toEqual({ status: 0, out: 'after\n' });
  });

  it('wait_count as well', () => {
    const file = join(dir, 'late-2.log');
    const r = bash(`( sleep 0.5; printf 'a\\nb\\na\\n' > ${file} ) &\nwait_count ${file} a 2 10\necho after`);
    expect(r).toEqual({ status: 0, out: 'after\n' });
  });

  it('a wait that times out still fails the step, and says so', () => {
    const file = join(dir, 'never.log');
    writeFileSync(file, 'something else\n');
    const r = bash(`wait_for ${file} NEVER 1\necho after`);
    expect(r.status).not.toBe(0);
    expect(r.out).toBe(`TIMEOUT waiting for NEVER in ${file}\n`);
  });
});
