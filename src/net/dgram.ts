/**
 * A typed view of the `unix-dgram` addon (it ships no type declarations).
 * Below every layer, like log.ts: the wpa_ctrl server (ctrl), the daemon's
 * sd_notify and syslog sockets and the wpa_ctrl client all use it.
 *
 * Loaded through createRequire rather than an ambient `declare module`, so
 * this file does not collide with any other module's declaration of the same
 * package.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { constants as osConstants } from 'node:os';

export interface UnixDgramSocket extends EventEmitter {
  bind(path: string): void;
  connect(path: string): void;
  /** Connected sockets: send(buf, cb). */
  send(buf: Buffer, callback?: (err?: NodeJS.ErrnoException) => void): void;
  /** Unconnected sockets: sendto(buf, offset, length, path, cb). */
  sendto(
    buf: Buffer,
    offset: number,
    length: number,
    path: string,
    callback?: (err?: NodeJS.ErrnoException) => void,
  ): void;
  close(): void;
}

interface UnixDgramModule {
  createSocket(type: 'unix_dgram', listener?: (msg: Buffer, rinfo: { path?: string }) => void): UnixDgramSocket;
}

let unixDgram: UnixDgramModule | undefined;

export function createDgramSocket(): UnixDgramSocket {
  // Loaded on first use, not on import: the daemon's start-up snapshot
  // (daemon/snapshot.ts) holds this module but cannot hold a native addon.
  unixDgram ??= createRequire(import.meta.url)('unix-dgram') as UnixDgramModule;
  return unixDgram.createSocket('unix_dgram');
}

/**
 * The errno of a failed send as a positive number (0: sent). The addon
 * calls the send callback synchronously, with `code` = -errno, except that
 * a *connected* socket's send reports EAGAIN/EWOULDBLOCK/ENOBUFS as
 * `code === 1` ("congestion"); that is EAGAIN here.
 */
export function sendErrno(err: NodeJS.ErrnoException | undefined): number {
  if (!err) return 0;
  const code = Number((err as { code?: unknown }).code);
  if (code === 1) return osConstants.errno.EAGAIN;
  return Number.isFinite(code) && code < 0 ? -code : osConstants.errno.EIO;
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
