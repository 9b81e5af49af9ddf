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
 *
 * Reconnecting: a daemon whose send buffer filled up (a monitor that stopped
 * reading) re-binds its socket, as wpa_supplicant does; a restarted daemon has
 * a new socket too. Either way the old peer is gone and the next send fails
 * with ECONNREFUSED, so the request never reached anyone: the connection is
 * re-made once (same local path; ATTACH and LEVEL again if this was a
 * monitor), the request sent again, and 'reconnect' emitted. A monitor that
 * only listens never sends, so it cannot notice: its owner calls reconnect()
 * (the command-line tool does when its periodic PING on the other connection
 * reconnected, as wpa_cli re-opens both of its connections).
 */
import { EventEmitter } from 'node:events';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createDgramSocket, errnoName, type UnixDgramSocket } from '../net/dgram.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000; // wpa_cli's wpa_ctrl_request timeout

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
  on(event: 'reconnect', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  once(event: 'event', listener: (ev: CtrlEvent) => void): this;
  off(event: 'event', listener: (ev: CtrlEvent) => void): this;
}

export class WpaCtrl extends EventEmitter {
  readonly localPath: string;
  private sock: UnixDgramSocket;
  /** Requests in send order; the daemon answers in that order, one datagram each. */
  private readonly queue: { command: string; payload: Buffer; pending: Omit<Pending, 'timer'>; timeoutMs: number }[] = [];
  private inFlight: Pending | undefined;
  private closed = false;
  private attachedFlag = false;
  /** The last LEVEL that succeeded, restored after a reconnect. */
  private monitorLevel: number | undefined;

  private constructor(readonly ctrlPath: string, opts: WpaCtrlOptions) {
    super();
    this.localPath = join(opts.clientDir ?? '/tmp', `wpa_ctrl_${process.pid}-${++clientCounter}`);
    this.sock = this.newSocket();
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

  private newSocket(): UnixDgramSocket {
    const sock = createDgramSocket();
    sock.on('message', (buf: Buffer | null) => {
      if (buf && sock === this.sock) this.onDatagram(buf);
    });
    return sock;
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
    this.monitorLevel = level;
  }

  /**
   * Re-makes the connection (a daemon that re-bound its socket or restarted)
   * and, for a monitor, ATTACHes (and sets LEVEL) again. Requests already
   * waiting for a reply keep waiting; later ones go to the new socket.
   */
  async reconnect(timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
    if (this.closed) throw new WpaCtrlClosedError();
    this.reopen();
    await this.restoreMonitor(timeoutMs);
    this.emit('reconnect');
  }

  /** A new socket at the same local path, connected to the daemon's path; throws if nobody is there. */
  private reopen(): void {
    const old = this.sock;
    this.sock = this.newSocket();
    old.close();
    unlinkQuietly(this.localPath);
    liveSocketFiles.delete(this.localPath);
    try {
      this.bindAndConnect();
    } catch (e) {
      // Nothing to talk to: this connection is over, as after close().
      this.closed = true;
      this.failAll(e as Error);
      throw e;
    }
  }

  private async restoreMonitor(timeoutMs: number): Promise<void> {
    if (this.attachedFlag) await this.expectOk('ATTACH', timeoutMs);
    if (this.attachedFlag && this.monitorLevel !== undefined) await this.expectOk(`LEVEL ${this.monitorLevel}`, timeoutMs);
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
    this.failAll(new WpaCtrlClosedError());
    try {
      this.sock.close();
    } finally {
      unlinkQuietly(this.localPath);
      liveSocketFiles.delete(this.localPath);
    }
  }

  private failAll(err: Error): void {
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.reject(err);
      this.inFlight = undefined;
    }
    for (const q of this.queue.splice(0)) q.pending.reject(err);
  }

  private async expectOk(cmd: string, timeoutMs: number): Promise<void> {
    const reply = await this.request(cmd, timeoutMs);
    if (reply.toString('latin1') !== 'OK\n') {
      throw new WpaCtrlError(`${cmd} answered ${JSON.stringify(reply.toString('latin1'))}`);
    }
  }

  private pump(reconnected = false): void {
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
      if (errnoName(err) === 'ECONNREFUSED' && !reconnected) {
        // The daemon's socket is gone (re-bound or restarted): nothing was delivered, so send again.
        this.queue.unshift(next);
        this.reconnectAndResend();
        return;
      }
      next.pending.reject(new WpaCtrlError(`'${next.command}' send failed: ${errnoName(err)}`, errnoName(err)));
      this.pump();
    });
  }

  /** reopen(), then the monitor state first (ATTACH before anything else), then the queue. */
  private reconnectAndResend(): void {
    try {
      this.reopen();
    } catch {
      return; // reopen() failed every queued request with the reason
    }
    const held = this.queue.splice(0);
    // Requests made while ATTACH is on its way queue behind the held ones.
    const resume = (): void => {
      this.queue.unshift(...held);
      this.pump(true);
    };
    this.restoreMonitor(DEFAULT_REQUEST_TIMEOUT_MS).then(
      () => {
        this.emit('reconnect');
        resume();
      },
      (e: unknown) => {
        if (this.listenerCount('error') > 0) this.emit('error', e as Error);
        resume();
      },
    );
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
