/**
 * Spawns the real daemon (dist/bundle/wpa-offloadd, built by `npm run build`)
 * in a temporary directory and talks to it over real Unix datagram sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDgramSocket, type UnixDgramSocket } from '../../src/net/dgram.js';
import { daemonEntry } from '../harness/processes.js';

/** What users run (see daemonEntry). */
export const MAIN = daemonEntry();

export function requireBuild(): void {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wo-${tag}-`));
}

export class Daemon {
  output = '';
  readonly exited: Promise<number | null>;
  constructor(readonly proc: ChildProcess) {
    proc.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  /** Resolves once the daemon printed its start-up line (or exited). */
  async ready(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.output.includes('Successfully initialized')) resolve();
      };
      this.proc.stdout?.on('data', check);
      this.proc.on('exit', (code) => reject(new Error(`daemon exited (${code}): ${this.output}`)));
      check();
    });
  }

  /**
   * The output once it matches `re`, or as it is after `timeoutMs`: the log
   * comes through a pipe read independently of the control socket, so a reply
   * can arrive before the line logged ahead of it. The caller asserts.
   */
  async outputMatching(re: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!re.test(this.output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.output;
  }

  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }
}

export function startDaemon(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Daemon {
  requireBuild();
  return new Daemon(spawn(MAIN, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A wpa_ctrl client: bound to its own path, one request at a time, events collected. */
export class CtrlClient {
  readonly events: string[] = [];
  private waiting: ((b: Buffer) => void) | undefined;
  private eventWaiters: (() => void)[] = [];
  readonly sock: UnixDgramSocket;
  /** Everything received, in order (events and replies), for ordering checks. */
  readonly received: string[] = [];

  constructor(readonly target: string, readonly own: string) {
    this.sock = createDgramSocket();
    this.sock.on('message', (msg: Buffer) => {
      const s = msg.toString('latin1');
      this.received.push(s);
      if (s.startsWith('<') || s.startsWith('IFNAME=')) {
        this.events.push(s);
        for (const w of this.eventWaiters.splice(0)) w();
        return;
      }
      const w = this.waiting;
      this.waiting = undefined;
      w?.(msg);
    });
    this.sock.on('error', () => undefined);
    this.sock.bind(own);
  }

  /** The reply, or undefined if none came within `ms` (used only to prove a request was dropped). */
  request(cmd: string | Buffer, ms = 3000): Promise<string | undefined> {
    const buf = typeof cmd === 'string' ? Buffer.from(cmd, 'latin1') : cmd;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiting = undefined;
        resolve(undefined);
      }, ms);
      this.waiting = (b) => {
        clearTimeout(t);
        resolve(b.toString('latin1'));
      };
      this.sock.sendto(buf, 0, buf.length, this.target, () => undefined);
    });
  }

  async req(cmd: string): Promise<string> {
    const r = await this.request(cmd);
    if (r === undefined) throw new Error(`no reply to ${cmd}`);
    return r;
  }

  /** Waits until an event matching `re` has arrived. */
  async waitEvent(re: RegExp, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.events.find((e) => re.test(e));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no event ${re}; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.eventWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private closed = false;

  close(unlink = true): void {
    // The addon aborts the process on a second close().
    if (this.closed) return;
    this.closed = true;
    this.sock.close();
    if (unlink) fs.rmSync(this.own, { force: true });
  }
}

export function writeConf(file: string, text: string, mode = 0o600): void {
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
}
