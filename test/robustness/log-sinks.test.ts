/**
 * Logging never takes the daemon down. Its stdout is a pipe whose reader went
 * away (`wpa-offloadd ... | head -1`), or /dev/full; its -f file is /dev/full
 * or on a full file system: each time the daemon drops that sink, says so in
 * one line to syslog, keeps answering requests without spinning, and SIGTERM
 * still ends it with status 0.
 *
 * The daemon runs in a mount namespace of its own whose /dev/log is a socket
 * this test reads, so the syslog line is checked for real, and where a full
 * 16 KiB tmpfs is mounted.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { createDgramSocket } from '../../src/net/dgram.js';
import { Cleanup, daemonEntry, requireRoot, requireTool, uniqueIfname } from '../harness/index.js';

const UNSHARE = '/usr/bin/unshare';
const HEAD = '/usr/bin/head';
const MKFIFO = '/usr/bin/mkfifo';
const ready = requireRoot() && requireTool(UNSHARE) && requireTool(HEAD) && requireTool(MKFIFO);

/**
 * `sh -c NAMESPACE_SETUP sh <dir> <command...>` under `unshare --mount`: /dev
 * is replaced, in this namespace only, by <dir>/dev with the device nodes
 * Node needs and `log` pointing at <dir>/syslog; <dir>/fulldisk is a full
 * 16 KiB tmpfs. Then the daemon is exec'd, so its pid is the child's.
 */
const NAMESPACE_SETUP = `set -e
d="$1"; shift
mkdir "$d/dev" "$d/fulldisk"
for n in null zero full random urandom; do touch "$d/dev/$n"; mount --bind "/dev/$n" "$d/dev/$n"; done
ln -s "$d/syslog" "$d/dev/log"
mount --rbind "$d/dev" /dev
mount -t tmpfs -o size=16k tmpfs "$d/fulldisk"
head -c 65536 /dev/zero > "$d/fulldisk/filler" 2>/dev/null || true
exec "$@"`;

let cleanup: Cleanup;
afterEach(() => cleanup.run());

interface Run {
  child: ChildProcess;
  dir: string;
  ctrlPath: string;
  syslog: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function tempDir(): string {
  cleanup = new Cleanup();
  return cleanup.tempDir('wpo-logsink-');
}

function start(dir: string, stdout: 'pipe' | number, extraArgs: string[] = []): Run {
  const ifname = uniqueIfname();
  const conf = join(dir, 'w.conf');
  writeFileSync(conf, `ctrl_interface=${dir}/run\n`, { mode: 0o600 });

  const syslog: string[] = [];
  const sock = createDgramSocket();
  sock.on('message', (m: Buffer) => syslog.push(m.toString()));
  sock.on('error', () => undefined);
  sock.bind(join(dir, 'syslog'));
  cleanup.add(() => sock.close());

  const args = [daemonEntry(), '-i', ifname, '-c', conf, ...extraArgs];
  const child = spawn(UNSHARE, ['--mount', '--propagation', 'private', 'sh', '-c', NAMESPACE_SETUP, 'sh', dir, ...args], {
    stdio: ['ignore', stdout, 'pipe'],
  });
  child.stdout?.resume();
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  cleanup.add(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, dir, ctrlPath: join(dir, 'run', ifname), syslog, stderr: () => err, exited };
}

async function until(what: string, run: Run, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms; syslog ${JSON.stringify(run.syslog)}; stderr:\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function client(run: Run): Promise<WpaCtrl> {
  let c: WpaCtrl | undefined;
  await until('control socket answers', run, async () => {
    try {
      c ??= await WpaCtrl.open(run.ctrlPath);
      return (await c.request('PING', 1000)).toString() === 'PONG\n';
    } catch {
      return false;
    }
  });
  cleanup.add(() => c!.close());
  return c!;
}

/** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/**
 * The daemon, its sink failed: syslog has the one line about it, requests are
 * answered, it does not spin, and SIGTERM ends it with status 0.
 */
async function survives(run: Run, c: WpaCtrl, sink: RegExp): Promise<void> {
  // Lines to the failed sink: each one would have hit it again.
  for (let i = 0; i < 20; i++) expect((await c.request(`NOTE line ${i} for the failed sink`, 5000)).toString()).toBe('OK\n');
  await until('syslog line about the failed sink', run, () => run.syslog.some((l) => sink.test(l)));
  expect(run.syslog.filter((l) => sink.test(l))).toHaveLength(1);
  expect(run.syslog[0]).toMatch(/^<27>wpa-offloadd\[\d+\]: Log output to .* failed \(.+\): no more log lines go there$/);

  expect((await c.request('PING', 5000)).toString()).toBe('PONG\n');
  expect((await c.request('STATUS', 5000)).toString()).toMatch(/^wpa_state=INACTIVE\n/);

  // A bound on work done while idle, not on speed: the spinning daemon burnt a whole core.
  const pid = run.child.pid!;
  const before = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, 2000));
  expect(cpuTicks(pid) - before, 'clock ticks of CPU used in 2 s of idling').toBeLessThan(20);

  run.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((res) => (timer = setTimeout(() => res('still running'), 10_000)));
  expect(await Promise.race([run.exited, late])).toEqual({ code: 0, signal: null });
  clearTimeout(timer);
}

describe.skipIf(!ready)('a failing log sink is dropped, the daemon keeps serving', () => {
  it('stdout a pipe whose reader exited (| head -1)', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    execFileSync(MKFIFO, [fifo]);
    const head = spawn(HEAD, ['-1', fifo], { stdio: ['ignore', 'ignore', 'ignore'] });
    const headDone = new Promise((res) => head.on('exit', res));
    cleanup.add(async () => {
      head.kill('SIGKILL');
      await headDone;
    });
    // Blocks until head has opened the read end; the daemon then holds the only write end.
    const fd = openSync(fifo, 'w');
    const run = start(dir, fd, ['-d']);
    closeSync(fd);
    const c = await client(run);
    await headDone;
    await survives(run, c, /Log output to stdout failed/);
  });

  it('stdout /dev/full', async () => {
    const dir = tempDir();
    const fd = openSync('/dev/full', 'w');
    const run = start(dir, fd, ['-d']);
    closeSync(fd);
    await survives(run, await client(run), /Log output to stdout failed/);
  });

  it('-f /dev/full', async () => {
    const run = start(tempDir(), 'pipe', ['-d', '-f', '/dev/full']);
    await survives(run, await client(run), /Log output to \/dev\/full failed/);
  });

  it('-f on a full file system', async () => {
    const dir = tempDir();
    const run = start(dir, 'pipe', ['-d', '-f', join(dir, 'fulldisk', 'wpa-offloadd.log')]);
    await survives(run, await client(run), /Log output to .*fulldisk\/wpa-offloadd\.log failed \(ENOSPC/);
  });
});
