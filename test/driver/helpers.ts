/** Shared pieces of the driver tests: temp socket paths, a scripted peer, event waiting. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EventEmitter } from 'node:events';
import { afterAll } from 'vitest';
import { onLog } from '../../src/log.js';

const tmpDirs: string[] = [];
// Registered when a test file imports this module: its temporary directories go when it ends.
afterAll(() => {
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed after the test file. */
export function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wpa-offload-driver-'));
  tmpDirs.push(dir);
  return dir;
}

/** A hand-written driver: the test decides what every line gets back. */
export class ScriptedPeer {
  readonly server: net.Server;
  readonly clients: net.Socket[] = [];
  readonly received: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];

  constructor(
    readonly path: string,
    private readonly onRequest: (req: Record<string, unknown>, sock: net.Socket) => void,
  ) {
    this.server = net.createServer((s) => {
      this.clients.push(s);
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const req = JSON.parse(line) as Record<string, unknown>;
          this.received.push(req);
          this.onRequest(req, s);
          for (const w of this.waiters.splice(0)) w();
        }
      });
      s.on('error', () => undefined);
    });
  }

  listen(): Promise<void> {
    return new Promise((r) => this.server.listen(this.path, () => r()));
  }

  /** Resolves once a request with this op has arrived. */
  async request(op: string): Promise<Record<string, unknown>> {
    for (;;) {
      const r = this.received.find((x) => x.op === op);
      if (r) return r;
      await new Promise<void>((res) => this.waiters.push(res));
    }
  }

  send(line: string): void {
    for (const c of this.clients) if (!c.destroyed) c.write(line);
  }

  close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export const HELLO_REPLY = {
  version: 1,
  address: '02:00:00:00:00:99',
  capabilities: {
    four_way_psk: true,
    four_way_8021x: false,
    key_mgmt_offload: true,
    gtk_rekey_offload: false,
    pmksa_offload: true,
    max_pmksa: 16,
    akms: ['WPA-PSK'],
    ciphers: ['CCMP'],
  },
};

/** Next emission of `name` (with its arguments). */
export function once<T extends unknown[] = unknown[]>(em: EventEmitter, name: string): Promise<T> {
  return new Promise((resolve) => em.once(name, (...a: unknown[]) => resolve(a as T)));
}

/** Records every event name a backend emits, in order. */
export function recordEvents(em: EventEmitter, names: string[]): { name: string; args: unknown[] }[] {
  const out: { name: string; args: unknown[] }[] = [];
  for (const n of names) em.on(n, (...args: unknown[]) => out.push({ name: n, args }));
  return out;
}

/** Collects log lines while a test runs. */
export function captureLog(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const stop = onLog((_lvl, text) => lines.push(text));
  return { lines, stop };
}

export async function until(pred: () => boolean | Promise<boolean>, what: string, tries = 2000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}
