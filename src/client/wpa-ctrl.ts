/**
 * A wpa_ctrl client: the control-interface protocol of wpa_supplicant as its
 * own library (src/common/wpa_ctrl.c) speaks it, usable against
 * wpa_supplicant and wpa-offloadd alike.
 *
 * The transport is AF_UNIX/SOCK_DGRAM. The daemon replies with sendto() to the
 * sender's address, so the client binds its own socket file first (the same
 * `/tmp/wpa_ctrl_<pid>-<n>` naming as wpa_ctrl) and connects to the daemon's.
 * Each request gets exactly one reply datagram. Datagrams starting with `<`,
 * or with `IFNAME=` (global-socket monitors), are events, not replies, exactly
 * the test wpa_ctrl_request() applies; they are emitted as 'event'.
 */
import { EventEmitter } from 'node:events';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createDgramSocket, errnoName, type UnixDgramSocket } from '../net/dgram.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000; // wpa_cli's wpa_ctrl_request timeout

export class WpaCtrlError extends Error {
  constructor(message: string, readonly errno?: string) {
    super(message);
    this.name = 'WpaCtrlError';
  }
}

export class WpaCtrlTimeoutError extends WpaCtrlError {
  constructor(readonly command: string, readonly timeoutMs: number) {
    super(`'${command}' command timed out after ${timeoutMs} ms`);
    this.name = 'WpaCtrlTimeoutError';
  }
}

export class WpaCtrlClosedError extends WpaCtrlError {
  constructor() {
    super('control connection is closed');
    this.name = 'WpaCtrlClosedError';
  }
}

/** One unsolicited message: `<3>CTRL-EVENT-...` or `IFNAME=wlan0 <3>...`. */
export interface CtrlEvent {
  /** wpa_supplicant message level (MSG_INFO = 3); undefined if no `<n>` prefix. */
  level: number | undefined;
  /** Set for events relayed by the global control interface. */
  ifname: string | undefined;
  /** The message after the prefixes, e.g. `CTRL-EVENT-NETWORK-ADDED 0`. */
  text: string;
  raw: Buffer;
}

/** wpa_ctrl_request()'s test for "this datagram is not the reply". */
export function isEventDatagram(buf: Buffer): boolean {
  if (buf.length > 0 && buf[0] === 0x3c /* '<' */) return true;
  return buf.length > 6 && buf.subarray(0, 7).toString('latin1') === 'IFNAME=';
}

export function parseEvent(raw: Buffer): CtrlEvent {
  let s = raw.toString('utf8');
  let ifname: string | undefined;
  const m = /^IFNAME=(\S*) /.exec(s);
  if (m) {
    ifname = m[1];
    s = s.slice(m[0].length);
  }
  let level: number | undefined;
  const l = /^<(\d+)>/.exec(s);
  if (l) {
    level = Number(l[1]);
    s = s.slice(l[0].length);
  }
  return { level, ifname, text: s, raw };
}

export interface WpaCtrlOptions {
  /** Where the client's own socket is bound (wpa_ctrl uses /tmp). */
  clientDir?: string;
}

interface Pending {
  command: string;
  resolve: (reply: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

let clientCounter = 0;

/**
 * Socket files of clients not closed yet. A process that exits without
 * close() (an uncaught exception, process.exit) would leave them in /tmp, as
 * wpa_ctrl users do; the exit hook removes them.
 */
const liveSocketFiles = new Set<string>();
process.on('exit', () => {
  for (const p of liveSocketFiles) unlinkQuietly(p);
});

export interface WpaCtrl {
  on(event: 'event', listener: (ev: CtrlEvent) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  once(event: 'event', listener: (ev: CtrlEvent) => void): this;
  off(event: 'event', listener: (ev: CtrlEvent) => void): this;
}

export class WpaCtrl extends EventEmitter {
  readonly localPath: string;
  private readonly sock: UnixDgramSocket;
  /** Requests in send order; the daemon answers in that order, one datagram each. */
  private readonly queue: { command: string; payload: Buffer; pending: Omit<Pending, 'timer'>; timeoutMs: number }[] = [];
  private inFlight: Pending | undefined;
  private closed = false;
  private attachedFlag = false;

  private constructor(readonly ctrlPath: string, opts: WpaCtrlOptions) {
    super();
    this.localPath = join(opts.clientDir ?? '/tmp', `wpa_ctrl_${process.pid}-${++clientCounter}`);
    this.sock = createDgramSocket();
    this.sock.on('message', (buf: Buffer | null) => {
      if (buf) this.onDatagram(buf);
    });
  }

  /** Opens a connection to the control socket at `ctrlPath` (DIR/IFNAME or the -g path). */
  static async open(ctrlPath: string, opts: WpaCtrlOptions = {}): Promise<WpaCtrl> {
    const c = new WpaCtrl(ctrlPath, opts);
    c.bindAndConnect();
    return c;
  }

  get attached(): boolean {
    return this.attachedFlag;
  }

  private bindAndConnect(): void {
    let failure: unknown;
    const catcher = (e: unknown): void => {
      failure = e;
    };
    // The addon reports bind/connect failures through a synchronous 'error' event.
    this.sock.on('error', catcher);
    this.sock.bind(this.localPath);
    if (failure && errnoName(failure) === 'EADDRINUSE') {
      // A file left by a dead process with our pid (wpa_ctrl retries once the same way).
      failure = undefined;
      unlinkQuietly(this.localPath);
      this.sock.bind(this.localPath);
    }
    if (failure) {
      this.sock.close();
      throw new WpaCtrlError(`cannot bind ${this.localPath}: ${errnoName(failure)}`, errnoName(failure));
    }
    this.sock.connect(this.ctrlPath);
    this.sock.off('error', catcher);
    if (failure) {
      this.sock.close();
      unlinkQuietly(this.localPath);
      throw new WpaCtrlError(`cannot connect to ${this.ctrlPath}: ${errnoName(failure)}`, errnoName(failure));
    }
    // Every send passes a callback, so this is a safety net: never an unhandled 'error'.
    this.sock.on('error', (e: unknown) => {
      if (this.listenerCount('error') > 0) this.emit('error', new WpaCtrlError(String(e), errnoName(e)));
    });
    liveSocketFiles.add(this.localPath);
  }

  /**
   * Sends one request and resolves with its reply datagram, byte for byte.
   * Requests are serialised: a second call waits for the first reply, because
   * replies carry nothing that would tie them to a request.
   */
  request(cmd: string | Buffer, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<Buffer> {
    if (this.closed) return Promise.reject(new WpaCtrlClosedError());
    const payload = typeof cmd === 'string' ? Buffer.from(cmd, 'utf8') : cmd;
    const command = printable(payload);
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ command, payload, pending: { command, resolve, reject }, timeoutMs });
      this.pump();
    });
  }

  /** Sends a datagram that is expected to get no reply (an over-long request, say). */
  sendOnly(payload: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new WpaCtrlClosedError());
    return new Promise((resolve, reject) => {
      this.sock.send(payload, (err) =>
        err ? reject(new WpaCtrlError(`send failed: ${errnoName(err)}`, errnoName(err))) : resolve(),
      );
    });
  }

  /** ATTACH: this socket becomes a monitor and receives events at level >= 3. */
  async attach(timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
    await this.expectOk('ATTACH', timeoutMs);
    this.attachedFlag = true;
  }

  async detach(timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
    await this.expectOk('DETACH', timeoutMs);
    this.attachedFlag = false;
  }

  async level(level: number, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
    await this.expectOk(`LEVEL ${level}`, timeoutMs);
  }

  /** Resolves with the next event whose text starts with `prefix`. */
  waitEvent(prefix: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<CtrlEvent> {
    return new Promise((resolve, reject) => {
      const onEvent = (ev: CtrlEvent): void => {
        if (!ev.text.startsWith(prefix)) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve(ev);
      };
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        reject(new WpaCtrlTimeoutError(`wait for event ${prefix}`, timeoutMs));
      }, timeoutMs);
      this.on('event', onEvent);
    });
  }

  /** Closes the socket and unlinks the client's socket file; pending requests fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const err = new WpaCtrlClosedError();
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.reject(err);
      this.inFlight = undefined;
    }
    for (const q of this.queue.splice(0)) q.pending.reject(err);
    try {
      this.sock.close();
    } finally {
      unlinkQuietly(this.localPath);
      liveSocketFiles.delete(this.localPath);
    }
  }

  private async expectOk(cmd: string, timeoutMs: number): Promise<void> {
    const reply = await this.request(cmd, timeoutMs);
    if (reply.toString('latin1') !== 'OK\n') {
      throw new WpaCtrlError(`${cmd} answered ${JSON.stringify(reply.toString('latin1'))}`);
    }
  }

  private pump(): void {
    if (this.inFlight || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    const timer = setTimeout(() => {
      if (this.inFlight?.timer !== timer) return;
      this.inFlight = undefined;
      next.pending.reject(new WpaCtrlTimeoutError(next.command, next.timeoutMs));
      this.pump();
    }, next.timeoutMs);
    this.inFlight = { ...next.pending, timer };
    this.sock.send(next.payload, (err) => {
      if (!err || this.inFlight?.timer !== timer) return;
      clearTimeout(timer);
      this.inFlight = undefined;
      next.pending.reject(new WpaCtrlError(`'${next.command}' send failed: ${errnoName(err)}`, errnoName(err)));
      this.pump();
    });
  }

  private onDatagram(buf: Buffer): void {
    if (isEventDatagram(buf)) {
      this.emit('event', parseEvent(buf));
      return;
    }
    const p = this.inFlight;
    if (!p) return; // a late reply to a request that already timed out: wpa_ctrl drops it too
    clearTimeout(p.timer);
    this.inFlight = undefined;
    p.resolve(buf);
    this.pump();
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** A request as it can appear in an error message: no control bytes, bounded. */
function printable(buf: Buffer): string {
  const s = buf.subarray(0, 64).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return buf.length > 64 ? `${s}...` : s;
}
