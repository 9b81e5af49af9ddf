/**
 * `npm test`'s second step (after the build): the suite as two vitest
 * processes running at the same time, one per project of vitest.config.ts:
 * - radio: the kernel radio's files (test/radio/), two at a time, each a VM
 *   of its own;
 * - host: every other file, one at a time (they share names under /tmp and
 *   /run, and veth pairs).
 * The radio files spend their time in qemu and share nothing with the host
 * files, so running both groups side by side takes about as long as the
 * longer of the two instead of their sum.
 *
 * Why two processes and not one vitest run: vitest runs projects of the same
 * `sequence.groupOrder` from one pool whose `maxWorkers` is shared, so the
 * host files could no longer be kept one at a time while radio files run.
 *
 * Each lane's lines are prefixed with its name; the exit status is non-zero
 * when either lane failed. `--no-cache`: the two processes would otherwise
 * write the same results cache at the same time; without it vitest orders
 * files by size, as on a clean clone.
 *
 * With arguments (`npm test -- test/rsn`), one plain `vitest run ARGS`
 * instead: the radio project first, then the host one.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const LANES = ['radio', 'host'];

const children = new Set();
// Ctrl-C reaches the children from the terminal (same process group): wait
// for them to stop (a second SIGINT would make vitest skip its teardown).
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

/** Runs vitest with `args`; resolves to its exit status (1 if a signal ended it). */
function vitest(args, lane) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [VITEST, 'run', ...args], {
    stdio: lane ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    // vitest colours only a terminal: keep the colours through the pipes
    env: lane && process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env,
  });
  children.add(child);
  if (lane) {
    const tag = `${lane.padEnd(Math.max(...LANES.map((l) => l.length)))} |`;
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${tag} ${line}\n`));
    }
  }
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`${lane ?? 'vitest'}: ${e.message}\n`);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      const status = code ?? 1;
      if (lane) {
        const s = ((performance.now() - t0) / 1000).toFixed(0);
        process.stdout.write(`${lane}: ${status === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${s} s\n`);
      }
      resolve(status);
    });
  });
}

const args = process.argv.slice(2);
const statuses =
  args.length > 0
    ? [await vitest(args)]
    : await Promise.all(LANES.map((lane) => vitest(['--project', lane, '--no-cache'], lane)));
process.exitCode = statuses.find((s) => s !== 0) ?? 0;
