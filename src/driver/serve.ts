/**
 * The driver side of the wire protocol: serves any in-process DriverBackend
 * (the simulator's SimDriver) to daemons connecting over a Unix stream socket.
 * This is how wpa-offload-sim exposes the very same simulator that `-D sim`
 * embeds, so both paths run one implementation.
 *
 * Every connected client receives every event (there is normally one daemon).
 * Garbage is logged and dropped; the connection stays up.
 */
import fs from 'node:fs';
import net from 'node:net';
import { DRIVER_PROTOCOL_VERSIONS, type DriverBackend, type ScanBss } from './backend.js';
import * as log from '../log.js';
import {
  LineSplitter,
  PROTOCOL_EVENTS,
  decodeArgs,
  encodeEvent,
  encodeScanResults,
  encodeHello,
  encodeSyncState,
  formatLine,
  getBool,
  getHex,
  getInt,
  getMac,
  getStr,
  parseLine,
  type WireObject,
} from './wire.js';

type Handler = (b: DriverBackend, args: WireObject) => Promise<WireObject | void>;

const OPS: Record<string, Handler> = {
  hello: async (b, a) => {
    const v = getInt(a, 'version');
    if (!DRIVER_PROTOCOL_VERSIONS.includes(v)) throw new Error(`unsupported protocol version ${v}`);
    if (!b.hello) throw new Error('driver not ready');
    // A version-1 daemon is answered in version 1 (the fields it does not know it ignores).
    return { ...encodeHello(b.hello), version: Math.min(v, b.hello.version) };
  },
  scan: (b, a) => b.scan(decodeArgs.scan(a)),
  connect: (b, a) => b.connect(decodeArgs.connect(a)),
  auth: (b, a) => {
    if (!b.auth) throw new Error('unknown op');
    return b.auth(decodeArgs.auth(a));
  },
  disconnect: (b, a) => b.disconnect(getInt(a, 'reason')),
  roam: (b, a) => {
    const r = decodeArgs.roam(a);
    return b.roam(r.bssid, r.ft);
  },
  tx_eapol: (b, a) => b.txEapol(getMac(a, 'dst'), getHex(a, 'data')),
  set_key: (b, a) => b.setKey(decodeArgs.set_key(a)),
  set_port: (b, a) => b.setPort(getBool(a, 'authorized')),
  set_pmksa: (b, a) => b.setPmksa(decodeArgs.set_pmksa(a)),
  // Version 2: by SSID (SAE/OWE offload) when no bssid is given.
  del_pmksa: (b, a) => (a.bssid === undefined ? b.delPmksaBySsid(getHex(a, 'ssid')) : b.delPmksa(getMac(a, 'bssid'), getHex(a, 'pmkid'))),
  flush_pmksa: (b) => b.flushPmksa(),
  set_rekey_data: (b, a) => b.setRekeyData(decodeArgs.set_rekey_data(a)),
  sync_state: async (b) => encodeSyncState(await b.syncState()),
  suspend: (b, a) => b.suspend(decodeArgs.suspend(a)),
  resume: (b) => b.resume(),
  driver_cmd: async (b, a) => ({ reply: await b.driverCmd(getStr(a, 'cmd')) }),
};

export class DriverServer {
  private readonly server: net.Server;
  private readonly clients = new Set<net.Socket>();
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly backend: DriverBackend,
    private readonly socketPath: string,
  ) {
    this.server = net.createServer((s) => this.onClient(s));
    for (const name of PROTOCOL_EVENTS) {
      const fn = (...args: unknown[]): void => {
        if (name === 'scan_results') for (const part of encodeScanResults(args[0] as ScanBss[])) this.broadcast(part);
        else this.broadcast((encodeEvent as (n: string, ...a: unknown[]) => WireObject)(name, ...args));
      };
      (backend.on as (n: string, f: (...a: unknown[]) => void) => void)(name, fn);
      this.detach.push(() => (backend.off as (n: string, f: (...a: unknown[]) => void) => void)(name, fn));
    }
  }

  /** Binds the socket (replacing a stale one left by a killed process). */
  async listen(): Promise<void> {
    try {
      fs.unlinkSync(this.socketPath);
    } catch {
      // nothing to replace
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const d of this.detach) d();
    for (const c of this.clients) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onClient(s: net.Socket): void {
    this.clients.add(s);
    log.info(`sim: host connected (${this.clients.size} client(s))`);
    // Requests are answered in the order they came, one at a time.
    let queue = Promise.resolve();
    const splitter = new LineSplitter(
      (line) => {
        queue = queue.then(() => this.onLine(s, line));
      },
      (n) => log.warning(`sim: dropped an over-long line from the host (${n} bytes)`),
    );
    s.on('data', (c: Buffer) => splitter.push(c));
    s.on('error', (e) => log.debug(`sim: client socket: ${e.message}`));
    s.on('close', () => {
      this.clients.delete(s);
      log.info('sim: host disconnected');
    });
  }

  private async onLine(s: net.Socket, line: Buffer): Promise<void> {
    let msg: WireObject;
    try {
      msg = parseLine(line);
    } catch (e) {
      log.warning(`sim: dropped a line from the host: ${(e as Error).message}`);
      return;
    }
    const id = msg.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) {
      log.warning('sim: dropped a request without a positive integer id');
      return;
    }
    const op = typeof msg.op === 'string' ? msg.op : '';
    const handler = Object.hasOwn(OPS, op) ? OPS[op] : undefined;
    let reply: WireObject;
    if (!handler) {
      reply = { id, ok: false, error: 'unknown op' };
    } else {
      try {
        const r = await handler(this.backend, msg);
        reply = { id, ok: true, ...(r ?? {}) };
      } catch (e) {
        reply = { id, ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    }
    this.send(s, reply);
  }

  private broadcast(obj: WireObject): void {
    for (const c of this.clients) this.send(c, obj);
  }

  private send(s: net.Socket, obj: WireObject): void {
    if (s.destroyed) return;
    try {
      s.write(formatLine(obj));
    } catch (e) {
      log.error(`sim: cannot send ${String(obj.event ?? obj.id)}: ${(e as Error).message}`);
    }
  }
}
