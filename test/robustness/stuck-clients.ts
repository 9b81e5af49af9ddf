/**
 * Monitors that never read: a child process binds N wpa_ctrl-style client
 * sockets, ATTACHes each to a control socket, reads the N `OK`s and then
 * blocks its event loop for good, so every later datagram stays queued in
 * the kernel, exactly like a hung event consumer.
 *
 * `connected` clients connect() to the daemon's socket first, as wpa_ctrl
 * (wpa_cli, hostapd_cli, NetworkManager's wpa_ctrl users) does: Linux then
 * skips the receive-queue limit (net.unix.max_dgram_qlen) for datagrams from
 * that peer, so their unread events pile up against the daemon's send buffer.
 * Unconnected clients stop taking datagrams at the queue limit instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// One ATTACH at a time: the daemon's own receive queue has the same limit for unconnected senders.
const CHILD = `
import { createRequire } from 'node:module';
const require = createRequire(process.env.STUCK_ROOT + '/package.json');
const unixDgram = require('unix-dgram');
const [target, dir, count, connectedCount] = process.argv.slice(1);
const n = Number(count);
const attach = Buffer.from('ATTACH');
const open = (i) => {
  if (i === n) {
    process.stdout.write('ready\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
    return;
  }
  const s = unixDgram.createSocket('unix_dgram');
  const fail = (e) => { process.stderr.write('stuck client ' + i + ': ' + (e && e.message) + '\\n'); process.exit(2); };
  s.on('error', fail);
  s.on('message', (m) => { if (m.toString() === 'OK\\n') open(i + 1); });
  s.bind(dir + '/stuck-' + i);
  if (i < Number(connectedCount)) {
    s.connect(target);
    s.send(attach, (e) => e && fail(e));
  } else {
    s.sendto(attach, 0, attach.length, target, (e) => e && fail(e));
  }
};
open(0);
`;

export class StuckMonitors {
  private constructor(private readonly proc: ChildProcess) {}

  /** Starts `count` stuck monitors of `target` (the first `connected` of them connect()ed), bound under `dir`. */
  static async start(target: string, dir: string, count: number, connected = count): Promise<StuckMonitors> {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', CHILD, target, dir, String(count), String(connected)], {
      env: { ...process.env, STUCK_ROOT: path.resolve(process.cwd()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`stuck monitors never attached: ${out}`)), 20_000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes('ready\n')) {
          clearTimeout(t);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`stuck monitors exited (${code}): ${out}`));
      });
    });
    return new StuckMonitors(proc);
  }

  /** SIGKILL: the sockets close with their queues unread. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  }
}
