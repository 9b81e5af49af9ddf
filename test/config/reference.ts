/**
 * The real wpa_supplicant 2.10, started on a veth pair with the wired driver,
 * as the reference for the config module's differential tests. Requests go
 * over a raw Unix datagram socket (values may hold tabs, newlines and any
 * byte, which wpa_cli's argv joining cannot carry).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WPA_SUPPLICANT = '/usr/sbin/wpa_supplicant';
export const WPA_CLI = '/usr/sbin/wpa_cli';

interface DgramSocket extends EventEmitter {
  bind(path: string): void;
  sendto(buf: Buffer, offset: number, length: number, path: string, cb?: (err?: Error) => void): void;
  close(): void;
}
const require = createRequire(import.meta.url);
const unixDgram = require('unix-dgram') as { createSocket(type: 'unix_dgram'): DgramSocket };

export function referenceAvailable(): boolean {
  return existsSync(WPA_SUPPLICANT) && existsSync(WPA_CLI);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ReferenceSupplicant {
  readonly dir: string;
  readonly ctrlDir: string;
  readonly confPath: string;
  readonly initialConf: string;
  #proc: ChildProcess | undefined;
  #sock: DgramSocket | undefined;
  #waiting: ((b: Buffer) => void) | undefined;
  #output = '';

  constructor(readonly ifname: string, readonly peer: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'wocfg-'));
    this.ctrlDir = join(this.dir, 'ctrl');
    this.confPath = join(this.dir, 'wpa.conf');
    this.initialConf = `ctrl_interface=${this.ctrlDir}\nupdate_config=1\n`;
  }

  async start(): Promise<void> {
    // A veth left over by a crashed run would make `ip link add` fail.
    try { execFileSync('ip', ['link', 'del', this.ifname], { stdio: 'ignore' }); } catch { /* not there */ }
    execFileSync('ip', ['link', 'add', this.ifname, 'type', 'veth', 'peer', 'name', this.peer]);
    execFileSync('ip', ['link', 'set', this.ifname, 'up']);
    writeFileSync(this.confPath, this.initialConf, { mode: 0o600 });
    this.#proc = spawn(WPA_SUPPLICANT, ['-Dwired', '-i', this.ifname, '-c', this.confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#proc.stdout!.on('data', (d) => (this.#output += d));
    this.#proc.stderr!.on('data', (d) => (this.#output += d));
    this.#sock = unixDgram.createSocket('unix_dgram');
    this.#sock.on('message', (b: Buffer) => {
      const w = this.#waiting;
      this.#waiting = undefined;
      w?.(b);
    });
    this.#sock.bind(join(this.dir, 'client.sock'));
    for (let i = 0; i < 100; i++) {
      if (existsSync(join(this.ctrlDir, this.ifname))) {
        if ((await this.request('PING').catch(() => '')) === 'PONG\n') return;
      }
      if (this.#proc.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`reference wpa_supplicant did not come up: ${this.#output}`);
  }

  /** One request datagram (a binary string), one reply (a binary string). */
  request(cmd: string): Promise<string> {
    const sock = this.#sock!;
    return new Promise((resolve, reject) => {
      // A guard against a hung test, not a timing assertion.
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new Error(`no reply to ${JSON.stringify(cmd.slice(0, 60))}`));
      }, 5000);
      this.#waiting = (b) => {
        clearTimeout(timer);
        resolve(b.toString('latin1'));
      };
      const buf = Buffer.from(cmd, 'latin1');
      sock.sendto(buf, 0, buf.length, join(this.ctrlDir, this.ifname), (err) => {
        if (err) {
          clearTimeout(timer);
          this.#waiting = undefined;
          reject(err);
        }
      });
    });
  }

  /** Everything the reference printed so far (its error lines carry "Line N:"). */
  get output(): string {
    return this.#output;
  }

  /**
   * What the reference printed after offset `from`, once it contains `needle`
   * or after `timeoutMs`. Its error lines come through a pipe that is read
   * independently of the control socket, so the RECONFIGURE reply can arrive
   * before the lines explaining it. The timeout guards a hung test; the
   * caller asserts on what came back.
   */
  async outputSince(from: number, needle: string, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#output.slice(from).includes(needle) && Date.now() < deadline) await sleep(20);
    return this.#output.slice(from);
  }

  /** The real wpa_cli, one-shot. */
  cli(...args: string[]): string {
    return execFileSync(WPA_CLI, ['-p', this.ctrlDir, '-i', this.ifname, ...args], { encoding: 'latin1' });
  }

  async stop(): Promise<void> {
    try { this.#sock?.close(); } catch { /* already closed */ }
    const p = this.#proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    try { execFileSync('ip', ['link', 'del', this.ifname], { stdio: 'ignore' }); } catch { /* already gone */ }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
