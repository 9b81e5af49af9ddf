/**
 * The `ext` backend: the driver protocol over a Unix stream socket to a driver
 * in another process (wpa-offload-sim, a vendor shim, a test harness).
 *
 * The link is kept up until close(): on every new connection `hello` goes
 * first and `link_up` is emitted with its result (the consumer resyncs from
 * there); on loss, pending requests fail, `link_down` is emitted and the
 * socket is reopened with back-off (100 ms doubling to 5 s). An outage is
 * reported once, at WARNING, with its first failure; the retries after it
 * log at DEBUG only. Garbage from the peer is logged and dropped, one line at
 * a time; it never closes the link and never takes a good line with it.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import {
  DRIVER_PROTOCOL_VERSIONS,
  DriverError,
  MAX_SCAN_BSS,
  MAX_SCAN_BYTES,
  type AuthParams,
  type ConnectParams,
  type DriverBackend,
  type DriverEvents,
  type FirmwareSyncState,
  type HelloResult,
  type PmksaParams,
  type RekeyData,
  type RoamFtParams,
  type ScanBss,
  type ScanParams,
  type SetKeyParams,
  type SuspendParams,
} from './backend.js';
import * as log from '../log.js';
import {
  LineSplitter,
  WireFormatError,
  describeValue,
  decodeEvent,
  decodeHello,
  decodeSyncState,
  encodeArgs,
  formatLine,
  getStr,
  parseLine,
  type WireObject,
} from './wire.js';

export interface ExtDriverOptions {
  socket: string;
  /** Sent in `hello`; the driver may serve several interfaces. */
  ifname?: string;
  replyTimeoutMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

const REPLY_TIMEOUT_MS = 5000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5000;

interface Pending {
  op: string;
  resolve: (reply: WireObject) => void;
  reject: (e: DriverError) => void;
  timer: NodeJS.Timeout;
}

export class ExtDriver extends EventEmitter<DriverEvents> implements DriverBackend {
  readonly name = 'ext';
  private helloResult: HelloResult | null = null;
  private sock: net.Socket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  /** scan_results parts received so far (see encodeScanResults), and their wire bytes. */
  private scanParts: ScanBss[] = [];
  private scanBytes = 0;
  /** A set went over the bounds: its parts are ignored up to its last one. */
  private scanDiscarding = false;
  /** The current outage (no usable link) was reported; cleared when hello succeeds. */
  private outageReported = false;
  private running = false;
  private readonly replyTimeoutMs: number;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;

  constructor(private readonly opts: ExtDriverOptions) {
    super();
    this.replyTimeoutMs = opts.replyTimeoutMs ?? REPLY_TIMEOUT_MS;
    this.backoffMinMs = opts.backoffMinMs ?? BACKOFF_MIN_MS;
    this.backoffMaxMs = opts.backoffMaxMs ?? BACKOFF_MAX_MS;
    this.backoffMs = this.backoffMinMs;
  }

  get hello(): HelloResult | null {
    return this.helloResult;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  async close(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const s = this.sock;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }

  /* ------------------------------------------------------------ the link */

  private open(): void {
    const s = net.createConnection({ path: this.opts.socket });
    this.sock = s;
    const splitter = new LineSplitter(
      (line) => this.onLine(line),
      (n) => log.warning(`ext: dropped an over-long line from the driver (${n} bytes > 65536)`),
    );
    let connected = false;
    s.on('connect', () => {
      connected = true;
      log.debug(`ext: connected to ${this.opts.socket}`);
      this.sayHello(s);
    });
    s.on('data', (chunk: Buffer) => splitter.push(chunk));
    s.on('error', (e) => this.unusable(e.message));
    s.on('close', () => {
      if (connected && this.running && this.sock === s && !this.helloResult) this.unusable('the driver closed the connection before hello');
      this.onClose(s);
    });
  }

  private sayHello(s: net.Socket): void {
    this.request('hello', encodeArgs.hello(this.opts.ifname ?? 'wlan0'))
      .then((reply) => {
        if (this.sock !== s) return;
        const h = decodeHello(reply);
        if (!DRIVER_PROTOCOL_VERSIONS.includes(h.version)) throw new WireFormatError(`driver speaks protocol version ${h.version}`);
        this.helloResult = h;
        this.backoffMs = this.backoffMinMs;
        this.outageReported = false;
        log.info(`ext: driver link up (${this.opts.socket}, address ${h.address})`);
        this.emit('link_up', h);
      })
      .catch((e: Error) => {
        if (this.sock !== s) return;
        // Without a usable hello the link is useless: drop it and try again.
        this.unusable(`hello failed: ${e.message}`);
        s.destroy();
      });
  }

  /**
   * The driver cannot be used (no such socket, connection refused, hello
   * failed or never answered): said once per outage (from the start, or from
   * a link that was up, until the next successful hello), at WARNING so the
   * default level shows it; the retries, whatever their reason, log at DEBUG.
   */
  private unusable(why: string): void {
    if (this.outageReported) {
      log.debug(`ext: ${this.opts.socket}: ${why}`);
      return;
    }
    this.outageReported = true;
    log.warning(`ext: cannot reach the driver at ${this.opts.socket}: ${why}; retrying quietly (every ${this.backoffMaxMs / 1000} s at most)`);
  }

  private onClose(s: net.Socket): void {
    if (this.sock !== s) return;
    this.sock = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new DriverError(p.op, 'driver link lost'));
    }
    this.dropScanParts();
    this.scanDiscarding = false;
    const wasUp = this.helloResult !== null;
    this.helloResult = null;
    if (wasUp) {
      log.warning(`ext: driver link down (${this.opts.socket})`);
      this.emit('link_down');
    }
    if (!this.running) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.backoffMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.running) this.open();
    }, delay);
  }

  /** One line: handled, or logged and dropped; nothing escapes to disturb the lines after it. */
  private onLine(line: Buffer): void {
    try {
      const msg = parseLine(line);
      if (msg.event !== undefined) this.onEvent(msg, line.length);
      else if (msg.id !== undefined) this.onReply(msg);
      else log.warning('ext: dropped a message from the driver that is neither a reply nor an event');
    } catch (e) {
      log.warning(`ext: dropped a line from the driver: ${e instanceof Error ? e.message : 'unreadable'}`);
    }
  }

  private onReply(msg: WireObject): void {
    const id = msg.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p) {
      log.warning(`ext: reply with unknown id ${describeValue(id)} dropped (late, after a timeout?)`);
      return;
    }
    clearTimeout(p.timer);
    this.pending.delete(id as number);
    if (msg.ok === true) p.resolve(msg);
    else p.reject(new DriverError(p.op, typeof msg.error === 'string' ? msg.error : 'failed'));
  }

  private onEvent(msg: WireObject, bytes: number): void {
    const name = typeof msg.event === 'string' && msg.event.length <= 40 ? msg.event : describeValue(msg.event);
    if (!this.helloResult) {
      log.debug(`ext: event ${name} before hello completed, ignored`);
      return;
    }
    let ev;
    try {
      ev = decodeEvent(msg);
    } catch (e) {
      log.warning(`ext: dropped event ${name}: ${(e as Error).message}`);
      return;
    }
    if (!ev) {
      log.debug(`ext: unknown event ${name} ignored`);
      return;
    }
    if (ev.name === 'scan_results') {
      this.onScanResultsPart(ev.args[0], ev.more === true, bytes);
      return;
    }
    log.msgdump(() => `ext: event ${ev.name}`);
    (this.emit as (n: string, ...a: unknown[]) => boolean)(ev.name, ...ev.args);
  }

  /**
   * Joins the parts of one set of scan results. A set over MAX_SCAN_BSS or
   * MAX_SCAN_BYTES is dropped whole at once, the consumer is told the scan
   * gave no usable results (`scan_results_lost`), and its remaining parts are
   * ignored up to the last one (the one without `more`).
   */
  private onScanResultsPart(bss: ScanBss[], more: boolean, bytes: number): void {
    if (this.scanDiscarding) {
      if (!more) this.scanDiscarding = false;
      return;
    }
    const count = this.scanParts.length + bss.length;
    const total = this.scanBytes + bytes;
    if (count > MAX_SCAN_BSS || total > MAX_SCAN_BYTES) {
      log.warning(
        `ext: scan results over the limit (${count} BSSes, ${total} bytes so far; at most ${MAX_SCAN_BSS} BSSes and ${MAX_SCAN_BYTES} bytes): dropped the partial results`,
      );
      this.dropScanParts();
      this.scanDiscarding = more;
      this.emit('scan_results_lost');
      return;
    }
    for (const b of bss) this.scanParts.push(b);
    this.scanBytes = total;
    if (more) return;
    const all = this.scanParts;
    this.dropScanParts();
    this.emit('scan_results', all);
  }

  private dropScanParts(): void {
    this.scanParts = [];
    this.scanBytes = 0;
  }

  /* ------------------------------------------------------------ requests */

  private request(op: string, args: WireObject): Promise<WireObject> {
    const s = this.sock;
    if (!s || s.connecting || s.destroyed) return Promise.reject(new DriverError(op, 'driver link down'));
    if (op !== 'hello' && !this.helloResult) return Promise.reject(new DriverError(op, 'driver link down'));
    const id = this.nextId++;
    let line: string;
    try {
      line = formatLine({ id, op, ...args });
    } catch (e) {
      return Promise.reject(new DriverError(op, (e as Error).message));
    }
    return new Promise<WireObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        log.warning(`ext: no reply to ${op} (id ${id}) within ${this.replyTimeoutMs} ms`);
        reject(new DriverError(op, `no reply within ${this.replyTimeoutMs} ms`, true));
      }, this.replyTimeoutMs);
      this.pending.set(id, { op, resolve, reject, timer });
      s.write(line);
    });
  }

  private async call(op: string, args: WireObject): Promise<void> {
    await this.request(op, args);
  }

  scan(p: ScanParams): Promise<void> {
    return this.call('scan', encodeArgs.scan(p));
  }

  connect(p: ConnectParams): Promise<void> {
    return this.call('connect', encodeArgs.connect(p));
  }

  auth(p: AuthParams): Promise<void> {
    return this.call('auth', encodeArgs.auth(p));
  }

  disconnect(reason: number): Promise<void> {
    return this.call('disconnect', encodeArgs.disconnect(reason));
  }

  roam(bssid: string, ft?: RoamFtParams): Promise<void> {
    return this.call('roam', encodeArgs.roam(bssid, ft));
  }

  txEapol(dst: string, data: Buffer): Promise<void> {
    return this.call('tx_eapol', encodeArgs.tx_eapol(dst, data));
  }

  setKey(p: SetKeyParams): Promise<void> {
    return this.call('set_key', encodeArgs.set_key(p));
  }

  setPort(authorized: boolean): Promise<void> {
    return this.call('set_port', encodeArgs.set_port(authorized));
  }

  setPmksa(p: PmksaParams): Promise<void> {
    return this.call('set_pmksa', encodeArgs.set_pmksa(p));
  }

  delPmksa(bssid: string, pmkid: Buffer): Promise<void> {
    return this.call('del_pmksa', encodeArgs.del_pmksa(bssid, pmkid));
  }

  delPmksaBySsid(ssid: Buffer): Promise<void> {
    return this.call('del_pmksa', encodeArgs.del_pmksa_ssid(ssid));
  }

  flushPmksa(): Promise<void> {
    return this.call('flush_pmksa', encodeArgs.flush_pmksa());
  }

  // A version-1 driver knows neither op (it would answer "unknown op"): it just is not told.
  suspend(p: SuspendParams): Promise<void> {
    return this.v2() ? this.call('suspend', encodeArgs.suspend(p)) : Promise.resolve();
  }

  resume(): Promise<void> {
    return this.v2() ? this.call('resume', {}) : Promise.resolve();
  }

  private v2(): boolean {
    return (this.hello?.version ?? 0) >= 2;
  }

  setRekeyData(d: RekeyData): Promise<void> {
    return this.call('set_rekey_data', encodeArgs.set_rekey_data(d));
  }

  async syncState(): Promise<FirmwareSyncState> {
    const r = await this.request('sync_state', encodeArgs.sync_state());
    try {
      return decodeSyncState(r);
    } catch (e) {
      throw new DriverError('sync_state', (e as Error).message);
    }
  }

  async driverCmd(cmd: string): Promise<string> {
    const r = await this.request('driver_cmd', encodeArgs.driver_cmd(cmd));
    try {
      return getStr(r, 'reply');
    } catch (e) {
      throw new DriverError('driver_cmd', (e as Error).message);
    }
  }
}
