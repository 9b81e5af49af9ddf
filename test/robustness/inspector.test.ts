/**
 * No debugger can be opened on the running daemon from outside: Node starts
 * its inspector (127.0.0.1:9229, unauthenticated) on SIGUSR1, which is what
 * `kill -USR1 <pid>` and `process._debugProcess(pid)` send. The built daemon
 * gets both; afterwards it must hold no listening TCP socket, print no
 * "Debugger listening", and keep serving.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeEarlyInspector } from '../../src/daemon/no-inspector.js';
import { exitedWithin, TestEnv, uniqueIfname, type RunningDaemon } from '../harness/index.js';

const env = new TestEnv();
afterAll(() => env.cleanup());

/** Inodes of the TCP sockets in LISTEN state (st 0A) that `pid` holds open, v4 and v6. */
function listeningTcpSockets(pid: number): string[] {
  const own = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) own.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const listening: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && own.has(f[9])) listening.push(`${table} ${f[1]} inode ${f[9]}`);
    }
  }
  return listening;
}

/** What the inspector prints when it starts (or fails to bind its port). */
const INSPECTOR_OUTPUT = /Debugger listening|inspector/i;
const IGNORED = /SIGUSR1 received - ignored/g;

/** Waits until the daemon has dealt with its `n`th SIGUSR1 one way or the other: ignored it, or started an inspector. */
async function signalHandled(d: RunningDaemon, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((d.proc.output.match(IGNORED) ?? []).length < n && !INSPECTOR_OUTPUT.test(d.proc.output)) {
    if (Date.now() > deadline) throw new Error(`no reaction to SIGUSR1 #${n}:\n${d.proc.output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function expectNoDebugger(d: RunningDaemon): Promise<void> {
  expect(d.proc.output).not.toMatch(INSPECTOR_OUTPUT);
  expect(listeningTcpSockets(d.proc.pid!)).toEqual([]);
  const c = await env.client(d.ctrlPath);
  expect((await c.request('PING', 5000)).toString()).toBe('PONG\n');
}

describe('SIGUSR1 opens no debugger', () => {
  it('kill -USR1 and process._debugProcess(pid): no inspector, the daemon keeps serving, SIGTERM still ends it', async () => {
    const ctrlDir = env.path('run');
    const d = await env.startDaemon({ ifname: uniqueIfname(), conf: env.writeConf('w.conf', `ctrl_interface=${ctrlDir}\n`), ctrlDir, extraArgs: ['-d'] });
    expect(listeningTcpSockets(d.proc.pid!)).toEqual([]);

    d.proc.kill('SIGUSR1');
    await signalHandled(d, 1);
    await expectNoDebugger(d);

    // What Node's own tooling does to attach to a running process.
    execFileSync(process.execPath, ['-e', `process._debugProcess(${d.proc.pid})`]);
    await signalHandled(d, 2);
    await expectNoDebugger(d);

    d.proc.kill('SIGTERM');
    expect(await exitedWithin(d.proc, 10_000)).toEqual({ code: 0, signal: null });
  });

  it('closeEarlyInspector() closes an inspector that a SIGUSR1 opened before the daemon could ignore the signal', async () => {
    // What Node's SIGUSR1 handler does, here in the test's own process (no --inspect asked for).
    const inspector = await import('node:inspector');
    inspector.open(0, '127.0.0.1');
    try {
      expect(inspector.url()).toMatch(/^ws:\/\/127\.0\.0\.1:/);
      await closeEarlyInspector();
      expect(inspector.url()).toBeUndefined();
    } finally {
      inspector.close();
    }
  });
});
