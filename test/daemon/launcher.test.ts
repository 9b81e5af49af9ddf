/**
 * dist/bundle/wpa-offloadd, the launcher scripts/bundle.mjs writes: it runs
 * the start-up snapshot where Node.js will accept the blob, and the plain
 * bundle everywhere else. Node.js refuses a blob built for another node
 * binary, other V8 flags or another CPU (exit 14) and crashes on a damaged
 * one, after the launcher has exec'ed it: each case here makes the blob
 * unusable in one of those ways and expects a daemon that answers PING.
 *
 * Each case runs a copy of the launcher in a directory of its own, next to
 * symlinks to the built bundles (node resolves them to dist/bundle, where
 * node_modules is found) and the blob under test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Cleanup, ManagedProcess, ctrlConf, waitForCtrl } from '../harness/index.js';

const bundle = path.resolve('dist/bundle');
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

interface Layout {
  /** What the blob is: the built one (a symlink to it) or a file written here. */
  blob: 'built' | ((file: string) => void);
  /** Edits the copied launcher's text. */
  launcher?: (text: string) => string;
}

function layout(l: Layout): string {
  const dir = cleanup.tempDir('wpo-launcher-');
  for (const f of ['wpa-offloadd.cjs', 'start.mjs']) fs.symlinkSync(path.join(bundle, f), path.join(dir, f));
  const blob = path.join(dir, 'wpa-offloadd.blob');
  if (l.blob === 'built') fs.symlinkSync(path.join(bundle, 'wpa-offloadd.blob'), blob);
  else l.blob(blob);
  const text = fs.readFileSync(path.join(bundle, 'wpa-offloadd'), 'utf8');
  fs.writeFileSync(path.join(dir, 'wpa-offloadd'), l.launcher ? l.launcher(text) : text, { mode: 0o755 });
  return dir;
}

/** Starts the launcher in `dir`; resolves with node's command line once the daemon answers PING. */
async function startAndPing(dir: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  return (await startAndRead(dir, env)).cmdline;
}

/** Starts the launcher in `dir`; resolves with node's command line and environment once the daemon answers PING. */
async function startAndRead(dir: string, env: NodeJS.ProcessEnv = {}): Promise<{ cmdline: string[]; environ: Map<string, string> }> {
  const ctrlDir = path.join(dir, 'ctrl');
  const conf = path.join(dir, 'w.conf');
  fs.writeFileSync(conf, ctrlConf(ctrlDir), { mode: 0o600 });
  const proc = new ManagedProcess('launcher', path.join(dir, 'wpa-offloadd'), ['-i', 'wolaunch0', '-c', conf], cleanup, {
    ...process.env,
    ...env,
  });
  await waitForCtrl(proc, path.join(ctrlDir, 'wolaunch0'));
  // The launcher exec'ed node: the same pid, node's arguments and environment.
  const cmdline = fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0');
  const environ = new Map(
    fs
      .readFileSync(`/proc/${proc.pid}/environ`, 'utf8')
      .split('\0')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
  );
  await proc.stop();
  return { cmdline, environ };
}

const ranSnapshot = (cmdline: string[]): boolean => cmdline.includes('--snapshot-blob');
const ranPlainBundle = (cmdline: string[]): boolean => cmdline.some((a) => a.endsWith('/wpa-offloadd.cjs'));

describe('dist/bundle/wpa-offloadd', () => {
  it('runs the start-up snapshot it was built with', async () => {
    expect(ranSnapshot(await startAndPing(layout({ blob: 'built' })))).toBe(true);
  });

  it('runs the plain bundle when the blob was built with other V8 flags (node would exit 14)', async () => {
    const dir = layout({
      blob: (file) => {
        const script = path.join(path.dirname(file), 'other.cjs');
        fs.writeFileSync(script, "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
        // No --max-semi-space-size=1: another V8 flag hash, which node refuses.
        execFileSync(process.execPath, ['--snapshot-blob', file, '--build-snapshot', script], { stdio: 'ignore' });
      },
    });
    expect(ranPlainBundle(await startAndPing(dir))).toBe(true);
  });

  it('runs the plain bundle when the blob is damaged (node would crash)', async () => {
    const dir = layout({
      blob: (file) => fs.writeFileSync(file, fs.readFileSync(path.join(bundle, 'wpa-offloadd.blob')).subarray(0, 100_000)),
    });
    expect(ranPlainBundle(await startAndPing(dir))).toBe(true);
  });

  it('runs the plain bundle when it was built on another CPU', async () => {
    let edited = false;
    const dir = layout({
      blob: 'built',
      launcher: (text) =>
        text.replace(/^cpu='[^'\n]*'$/m, () => {
          edited = true;
          return "cpu='cpu:type:x86,ven0000fam0006mod0000:feature:,0000'";
        }),
    });
    expect(edited).toBe(true);
    expect(ranPlainBundle(await startAndPing(dir))).toBe(true);
  });

  for (const option of ['--max-old-space-size=256', '--stack_trace_limit=20']) {
    it(`runs the plain bundle when NODE_OPTIONS sets a V8 flag (${option})`, async () => {
      const cmdline = await startAndPing(layout({ blob: 'built' }), { NODE_OPTIONS: option });
      expect(ranPlainBundle(cmdline)).toBe(true);
    });
  }

  for (const option of ['-v', '-h']) {
    it(`answers \`${option}\` by itself, with the text and status the daemon's own parser gives`, () => {
      // No node to exec: only the launcher can answer.
      let edited = false;
      const dir = layout({
        blob: 'built',
        launcher: (text) =>
          text.replace(/^node='[^'\n]*'$/m, () => {
            edited = true;
            return "node='/nonexistent/node'";
          }),
      });
      expect(edited).toBe(true);
      const launcher = spawnSync(path.join(dir, 'wpa-offloadd'), [option], { encoding: 'utf8' });
      const daemon = spawnSync(process.execPath, [path.join(bundle, 'wpa-offloadd.cjs'), option], { encoding: 'utf8' });
      expect(daemon.stdout.length).toBeGreaterThan(0);
      expect({ status: launcher.status, stdout: launcher.stdout, stderr: launcher.stderr }).toEqual({
        status: daemon.status,
        stdout: daemon.stdout,
        stderr: daemon.stderr,
      });
    });
  }

  it("gives node glibc malloc's settings and drops NODE_EXTRA_CA_CERTS, keeping what the environment already set", async () => {
    const { environ } = await startAndRead(layout({ blob: 'built' }), { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', MALLOC_ARENA_MAX: '2' });
    expect(environ.has('NODE_EXTRA_CA_CERTS')).toBe(false);
    expect(environ.get('MALLOC_ARENA_MAX')).toBe('2');
    expect(environ.get('MALLOC_TRIM_THRESHOLD_')).toBe('65536');
    expect(environ.get('MALLOC_MMAP_THRESHOLD_')).toBe('65536');
  });

  it("keeps the snapshot when NODE_OPTIONS has only Node's own options", async () => {
    const cmdline = await startAndPing(layout({ blob: 'built' }), { NODE_OPTIONS: '--max-http-header-size=16384' });
    expect(ranSnapshot(cmdline)).toBe(true);
  });
});
