/**
 * Process-level flags of wpa_supplicant that wpa-offloadd takes: several
 * interfaces with -N, logging to a file (-f) with timestamps (-t) and debug
 * levels (-d, -q, LOG_LEVEL at run time), and the systemd watchdog.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDgramSocket } from '../../src/net/dgram.js';
import { CtrlClient, Daemon, startDaemon, tempDir, writeConf } from './harness.js';

const cleanups: (() => void | Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const d = tempDir('proc');
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

function daemon(args: string[], env: NodeJS.ProcessEnv = {}): Daemon {
  const d = startDaemon(args, env);
  cleanups.push(() => d.stop());
  return d;
}

function client(sock: string, d: string, name: string): CtrlClient {
  const c = new CtrlClient(sock, path.join(d, name));
  cleanups.push(() => c.close());
  return c;
}

async function waitFile(file: string): Promise<void> {
  while (!fs.existsSync(file)) await new Promise((r) => setTimeout(r, 10));
}

/** Waits (on the file's own growth, never a fixed time) until it matches. */
async function fileMatches(file: string, re: RegExp): Promise<string> {
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (re.test(text)) return text;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('-N: several interfaces in one process', () => {
  it('each interface has its own configuration and socket; INTERFACES lists all', async () => {
    const d = dir();
    writeConf(path.join(d, 'a.conf'), `ctrl_interface=${d}/a\nnetwork={\n\tssid="only-in-a"\n\tpsk="passphrase-a"\n}\n`);
    writeConf(path.join(d, 'b.conf'), `ctrl_interface=${d}/b\n`);
    const p = daemon(['-i', 'woproc1', '-c', path.join(d, 'a.conf'), '-N', '-i', 'woproc2', '-c', path.join(d, 'b.conf')]);
    await p.ready();
    const a = client(path.join(d, 'a', 'woproc1'), d, 'ca');
    const b = client(path.join(d, 'b', 'woproc2'), d, 'cb');
    expect(await a.req('IFNAME')).toBe('woproc1');
    expect(await b.req('IFNAME')).toBe('woproc2');
    expect(await a.req('LIST_NETWORKS')).toMatch(/\n0\tonly-in-a\t/);
    expect(await b.req('LIST_NETWORKS')).toBe('network id / ssid / bssid / flags\n');
    expect(await a.req('INTERFACES')).toBe('woproc2\nwoproc1\n');
  });
});

describe('logging flags', () => {
  it('-f FILE -t -d: debug lines with timestamps go to the file, not to stdout', async () => {
    const d = dir();
    const log = path.join(d, 'out.log');
    writeConf(path.join(d, 'w.conf'), `ctrl_interface=${d}/run\n`);
    const p = daemon(['-i', 'woproc1', '-c', path.join(d, 'w.conf'), '-f', log, '-t', '-d']);
    await waitFile(path.join(d, 'run', 'woproc1'));
    const c = client(path.join(d, 'run', 'woproc1'), d, 'c');
    expect(await c.req('LIST_NETWORKS')).toBe('network id / ssid / bssid / flags\n');
    const text = await fileMatches(log, /Control interface command 'LIST_NETWORKS'/);
    expect(text).toMatch(/^\d+\.\d{6}: Successfully initialized wpa-offloadd$/m);
    expect(text).toMatch(/^\d+\.\d{6}: woproc1: Control interface command 'LIST_NETWORKS'$/m);
    expect(p.output).not.toContain('Successfully initialized');
  });

  it('-q hides INFO; LOG_LEVEL DEBUG 1 shows them, with timestamps, from then on', async () => {
    const d = dir();
    writeConf(path.join(d, 'w.conf'), `ctrl_interface=${d}/run\n`);
    const p = daemon(['-i', 'woproc1', '-c', path.join(d, 'w.conf'), '-q']);
    await waitFile(path.join(d, 'run', 'woproc1'));
    const c = client(path.join(d, 'run', 'woproc1'), d, 'c');
    expect(await c.req('LOG_LEVEL')).toBe('Current level: WARNING\nTimestamp: 0\n');
    expect(await c.req('NOTE before')).toBe('OK\n');
    expect(await c.req('LOG_LEVEL DEBUG 1')).toBe('OK\n');
    expect(await c.req('NOTE after')).toBe('OK\n');
    while (!p.output.includes('after')) await new Promise((r) => setTimeout(r, 10));
    expect(p.output).not.toContain('Successfully initialized');
    expect(p.output).not.toContain('before');
    expect(p.output).toMatch(/^\d+\.\d{6}: NOTE: after$/m);
  });
});

describe('-s', () => {
  it('logs to syslog instead of stdout (and a missing /dev/log does not stop the daemon)', async () => {
    const d = dir();
    writeConf(path.join(d, 'w.conf'), `ctrl_interface=${d}/run\n`);
    const p = daemon(['-i', 'woproc1', '-c', path.join(d, 'w.conf'), '-s', '-d']);
    await waitFile(path.join(d, 'run', 'woproc1'));
    const c = client(path.join(d, 'run', 'woproc1'), d, 'c');
    expect(await c.req('NOTE to-syslog')).toBe('OK\n');
    expect(await c.req('PING')).toBe('PONG\n');
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output).not.toContain('NOTE: to-syslog');
    expect(p.output).not.toContain('Successfully initialized');
  });
});

describe('systemd watchdog', () => {
  it('sends WATCHDOG=1 every WATCHDOG_USEC/2 to $NOTIFY_SOCKET', async () => {
    const d = dir();
    writeConf(path.join(d, 'w.conf'), `ctrl_interface=${d}/run\n`);
    const got: string[] = [];
    const notify = createDgramSocket();
    notify.on('message', (m: Buffer) => got.push(m.toString()));
    notify.bind(path.join(d, 'notify'));
    cleanups.push(() => notify.close());
    const p = daemon(['-i', 'woproc1', '-c', path.join(d, 'w.conf')], { NOTIFY_SOCKET: path.join(d, 'notify'), WATCHDOG_USEC: '100000' });
    await p.ready();
    while (got.filter((m) => m === 'WATCHDOG=1').length < 2) await new Promise((r) => setTimeout(r, 10));
    expect(got[0]).toBe(`READY=1\nMAINPID=${p.proc.pid}`);
  });
});
