/**
 * Unix datagram sockets on the `unix-dgram` package's native addon. Below
 * every layer, like log.ts: the wpa_ctrl server (ctrl), the daemon's
 * sd_notify and syslog sockets and the wpa_ctrl client all use it.
 *
 * The addon is loaded by itself, not through the package's entry
 * (lib/unix_dgram.js): that entry requires node:dgram (for udp4/udp6
 * sockets, never made here) and the `bindings` package (a search of a dozen
 * paths for the .node file), which cost ~5-10 ms and ~0.7 MiB of RSS at the
 * daemon's first socket, before its control interface answers. The socket
 * below is that entry's: same events, same errors (`code` = -errno, message
 * "<syscall> <code>"), on the addon's six functions.
 */
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { constants as osConstants } from 'node:os';
import { dirname, join } from 'node:path';

export interface UnixDgramSocket extends EventEmitter {
  bind(path: string): void;
  connect(path: string): void;
  /** Connected sockets: send(buf, cb). */
  send(buf: Buffer, callback?: (err?: UnixDgramError) => void): void;
  /** Unconnected sockets: sendto(buf, offset, length, path, cb). */
  sendto(
    buf: Buffer,
    offset: number,
    length: number,
    path: string,
    callback?: (err?: UnixDgramError) => void,
  ): void;
  /**
   * sendto() of buf's first `length` bytes (all of them by default) that
   * returns 0 or the errno (positive; congestion is EAGAIN) instead of
   * calling back: no closure and no Error per datagram, for a server's
   * replies (the control interface's request path).
   */
  trySendto(buf: Buffer, path: string, length?: number): number;
  close(): void;
}

/** What unix_dgram.node exports: each call returns -errno on failure (send/sendto: 1 when the socket is congested). */
interface Addon {
  AF_UNIX: number;
  SOCK_DGRAM: number;
  socket(
    domain: number,
    type: number,
    protocol: number,
    onRecv: (status: number, buf: Buffer | null, path: string | null) => void,
    onWritable: () => void,
  ): number;
  bind(fd: number, path: string): number;
  connect(fd: number, path: string): number;
  send(fd: number, buf: Buffer): number;
  sendto(fd: number, buf: Buffer, offset: number, length: number, path: string): number;
  close(fd: number): number;
}

/** A failed socket call: `code` and `errno` are the addon's -errno (1: congestion). */
export class UnixDgramError extends Error {
  readonly errno: number;
  constructor(
    readonly code: number,
    readonly syscall: string,
    message = `${syscall} ${code}`,
  ) {
    super(message);
    this.name = 'UnixDgramError';
    this.errno = code;
  }
}

const CONGESTED = 1;

class Socket extends EventEmitter implements UnixDgramSocket {
  private fd: number;
  private connected = false;

  constructor(private readonly addon: Addon) {
    super();
    const fd = addon.socket(
      addon.AF_UNIX,
      addon.SOCK_DGRAM,
      0,
      (status, buf, path) => {
        if (status < 0 || !buf) this.emit('error', new UnixDgramError(status, 'recv'));
        else this.emit('message', buf, { size: buf.length, path });
      },
      () => this.emit('writable'),
    );
    if (fd < 0) throw new UnixDgramError(fd, 'socket');
    this.fd = fd;
  }

  bind(path: string): void {
    const err = this.addon.bind(this.fd, path);
    if (err < 0) this.emit('error', new UnixDgramError(err, 'bind'));
    else this.emit('listening');
  }

  connect(path: string): void {
    const err = this.addon.connect(this.fd, path);
    if (err < 0) {
      this.emit('error', new UnixDgramError(err, 'connect'));
    } else {
      this.connected = true;
      this.emit('connect');
    }
  }

  send(buf: Buffer, callback?: (err?: UnixDgramError) => void): void {
    this.sent(buf, this.addon.send(this.fd, buf), callback);
  }

  sendto(buf: Buffer, offset: number, length: number, path: string, callback?: (err?: UnixDgramError) => void): void {
    this.sent(buf, this.sendtoCode(buf, offset, length, path), callback);
  }

  trySendto(buf: Buffer, path: string, length = buf.length): number {
    return errnoOfCode(this.sendtoCode(buf, 0, length, path));
  }

  /** The addon's code: 0, -errno, or CONGESTED. */
  private sendtoCode(buf: Buffer, offset: number, length: number, path: string): number {
    if (!this.connected) return this.addon.sendto(this.fd, buf, offset, length, path);
    // As the package's entry: a connected socket sends to its peer whatever
    // the path (but only the bytes asked for: the addon's send() takes no range).
    return this.addon.send(this.fd, offset === 0 && length === buf.length ? buf : buf.subarray(offset, offset + length));
  }

  /** The callback, synchronously; without one, 'error' or 'congestion'. */
  private sent(buf: Buffer, err: number, callback?: (err?: UnixDgramError) => void): void {
    if (callback) {
      if (err < 0) callback(new UnixDgramError(err, 'send'));
      else if (err === CONGESTED) callback(new UnixDgramError(err, 'send', 'congestion'));
      else callback();
    } else if (err < 0) {
      this.emit('error', new UnixDgramError(err, 'send'));
    } else if (err === CONGESTED) {
      this.emit('congestion', buf);
    }
  }

  close(): void {
    const err = this.addon.close(this.fd);
    if (err < 0) throw new UnixDgramError(err, 'close');
    this.fd = -1;
  }
}

/*
 * The addon's file, found when this module is evaluated: in the daemon's
 * start-up snapshot (daemon/snapshot.ts) that is when the blob is built, so
 * a start only dlopen()s the file. A require() of it resolved the package
 * through Node's CommonJS loader at every start (its path cache, package.json
 * reads and scope lookups, which the snapshot holds no state of): about 2 ms
 * of CPU before the control interface answered.
 */
const addonFile = join(dirname(createRequire(import.meta.url).resolve('unix-dgram/package.json')), 'build/Release/unix_dgram.node');
/*
 * The loaded addon, kept process-wide: a second process.dlopen() of the same
 * file fails ("Module did not self-register"; require() avoids that with its
 * module cache, which a bare dlopen() does not use), and one process can
 * hold this module twice (a test runner's source and built copies) or the
 * package's own entry beside it.
 */
const LOADED = Symbol.for('wpa-offloadd.unix-dgram-addon');
const registry = globalThis as { [LOADED]?: Addon };

export function createDgramSocket(): UnixDgramSocket {
  // Loaded on first use, not on import: the daemon's start-up snapshot
  // (daemon/snapshot.ts) holds this module but cannot hold a native addon.
  let addon = registry[LOADED];
  if (!addon) {
    // Required already (the package's own entry, in a test's reference client): that copy.
    const required = createRequire(import.meta.url).cache[addonFile]?.exports as Addon | undefined;
    const module = { exports: required ?? ({} as Addon) };
    if (!required) process.dlopen(module, addonFile);
    addon = registry[LOADED] = module.exports;
  }
  return new Socket(addon);
}

/**
 * The addon's code of a send as a positive errno (0: sent): it returns
 * -errno, except that a *connected* socket's send reports
 * EAGAIN/EWOULDBLOCK/ENOBUFS as 1 ("congestion"); that is EAGAIN here.
 */
function errnoOfCode(code: number): number {
  if (code === CONGESTED) return osConstants.errno.EAGAIN;
  return code < 0 ? -code : 0;
}

/**
 * The addon reports errno as a negative number in `code` (message "connect -2");
 * this turns it into the usual symbolic name (ENOENT, ECONNREFUSED, ...).
 */
export function errnoName(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number') {
    const hit = Object.entries(osConstants.errno).find(([, n]) => n === -code);
    return hit ? hit[0] : `errno ${-code}`;
  }
  return typeof code === 'string' ? code : String(err);
}
