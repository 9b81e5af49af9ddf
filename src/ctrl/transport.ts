/**
 * One wpa_ctrl endpoint: a bound AF_UNIX/SOCK_DGRAM socket that answers each
 * request datagram with exactly one reply datagram to the sender's path.
 *
 * Framing is wpa_supplicant's (ctrl_iface_unix.c):
 * - at most CTRL_IFACE_MAX_LEN (8192) bytes are read; a longer request is
 *   dropped without a reply;
 * - the request is a C string: it ends at the first NUL;
 * - ATTACH, DETACH and "LEVEL " are handled here, before the command table,
 *   and only on exact match (so `IFNAME=x ATTACH` is not a monitor request);
 * - everything else goes to the owner's request handler, whose reply text is
 *   sent as is (no NUL, maybe empty).
 *
 * The hot path (PING, STATUS from a poller) allocates no Buffer and makes
 * no call into C++ besides the addon's recvmsg() and sendmsg(): a request
 * with the bytes of the one before reuses its text (commandText()), and a
 * reply with the text of the one before reuses its bytes (reply()); fixed
 * replies are encoded once, other replies into one Buffer kept for them, and
 * replies go out through trySendto(), without a callback. Profiled (node
 * --cpu-prof, perf on the daemon under `npm run bench -- ctrl`'s clients),
 * Buffer#indexOf, #toString, a Map lookup of a long reply and Buffer.from()
 * each took 1-3 % of the daemon's CPU per STATUS; without them its CPU per
 * request fell by 10-19 % for STATUS and to within 2-8 % of the bare echo
 * server's for PING x8 (was 13-24 % above it). Encoding STATUS's text
 * (flattening the concatenation, then Buffer#write) was another 3-4 %.
 *
 * A full send buffer (ctrl_iface_unix.c's wpas_ctrl_iface_reinit()): replies
 * and events leave through this one socket, and every datagram waiting in a
 * receiver's queue is charged to its send buffer. A wpa_ctrl client
 * connect()s to this socket, and Linux applies no receive-queue limit
 * (max_dgram_qlen) to datagrams from a connected peer, so a monitor that
 * stops reading keeps its events queued until the buffer is full; from then
 * on every sendto() fails with EAGAIN, replies included, and nothing on this
 * side can free that memory. So when a send fails with EAGAIN or ENOBUFS and
 * the buffer is really full (see sendBufferFull(); otherwise it was the
 * receiver's own queue limit, which is that monitor's failure),
 * the socket is closed and a new one bound at the same path with the same
 * mode and group, and the failed datagram is sent once more through it.
 * Clients connected to the old socket then get ECONNREFUSED on their next
 * send, and the new socket cannot send to them (EPERM): they are dropped as
 * monitors at once and must reconnect and ATTACH again, as after a restart
 * (wpa_cli does: "Connection to wpa_supplicant lost - trying to reconnect").
 * Unconnected clients keep their monitor registration and get every reply.
 * A reply to a connected client that fails this way is lost (it can leave
 * only through the full socket), as in wpa_supplicant 2.10; so are requests
 * still queued on the old socket at that moment.
 *
 * Deliberate difference: 2.10 also holds events back once its socket's
 * output queue (TIOCOUTQ, which Node cannot read) passes half the send
 * buffer, so its replies keep flowing but, measured with one stuck connected
 * monitor, every other monitor stopped getting events after ~140 of them and
 * for as long as the stuck one stays. Here the re-bind ends that: unconnected
 * monitors go on receiving, connected ones reconnect (wpa-ctrl.ts, cli.ts).
 */
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import { debug, error as logError, info } from '../log.js';
import { createDgramSocket, errnoName, type UnixDgramSocket } from '../net/dgram.js';
import { atoi } from '../config/cstr.js';
import { FAIL, IFACE_REPLY_SIZE, OK, PONG, UNKNOWN_COMMAND } from './command-table.js';
import { setSocketMode } from './ctrl-dir.js';
import { MonitorList } from './monitors.js';

const { EAGAIN, ENOBUFS, EPERM } = osConstants.errno;
const EMPTY = Buffer.alloc(0);
/**
 * Where sendBufferFull() sends: the addon turns '' into the all-zero abstract
 * address, which nobody binds, so the probe is never delivered anywhere.
 */
const NOBODY = '';

/** CTRL_IFACE_MAX_LEN; also what `GET max_command_len` answers. */
export const CTRL_IFACE_MAX_LEN = 8192;

/**
 * How request bytes become command text and reply text becomes bytes: one
 * char per byte ("binary strings", the config module's convention), so SSIDs,
 * passphrases and junk reach the handlers with exactly the bytes the client
 * sent and replies go out byte for byte as built.
 */
const WIRE_ENCODING: BufferEncoding = 'latin1';

/** The replies most requests get (PING's, OK, FAIL, unknown), encoded once instead of per reply. */
const FIXED_REPLIES = new Map([PONG, OK, FAIL, UNKNOWN_COMMAND].map((t) => [t, Buffer.from(t, WIRE_ENCODING)]));
/**
 * No longer text can be a fixed reply. A Map lookup hashes the whole string
 * (and first flattens one built by concatenation, as STATUS's is): longer
 * replies skip it.
 */
const FIXED_REPLY_MAX_LENGTH = Math.max(...[...FIXED_REPLIES.keys()].map((t) => t.length));
/**
 * The size of the Buffer each socket encodes its other replies into: the
 * largest reply a handler may build (IFACE_REPLY_SIZE less C's NUL). A longer
 * one, which no handler should build, gets a Buffer of its own.
 */
const REPLY_BYTES = IFACE_REPLY_SIZE;

export class CtrlSocketInUseError extends Error {
  constructor(readonly path: string) {
    super('ctrl_iface exists and seems to be in use - cannot override it');
    this.name = 'CtrlSocketInUseError';
  }
}

export class CtrlBindError extends Error {
  constructor(readonly path: string, cause: unknown) {
    super(`bind(PF_UNIX) ${path}: ${(cause as Error).message}`);
    this.name = 'CtrlBindError';
  }
}

export type RequestHandler = (cmd: string) => string | Promise<string>;

/** The socket file's permissions, applied after every bind (the first and each re-bind). */
export interface SocketPerms {
  mode: number;
  gid: number | undefined;
}

export class CtrlSocket {
  readonly monitors = new MonitorList();
  private closed = false;
  private sock: UnixDgramSocket;
  /** Bound to `this`, handed to the monitor list: sends through whichever socket is current. */
  private readonly transmitTo = (msg: Buffer, to: string): number => this.transmit(msg, to);
  /** Where encode() writes: sendto() copies the bytes into the kernel at once, so one Buffer serves every reply. */
  private readonly replyBytes = Buffer.allocUnsafe(REPLY_BYTES);
  /** The last reply's text and its bytes (a fixed reply's Buffer, replyBytes, or one of its own): see reply(). */
  private lastReply = '';
  private lastReplyBytes: Buffer = EMPTY;
  private lastReplyLength = 0;
  /** The previous request and its text: see commandText(). */
  private lastRequest: Buffer = EMPTY;
  private lastCommand = '';

  private constructor(
    readonly path: string,
    sock: UnixDgramSocket,
    private perms: SocketPerms,
    private readonly label: string,
    private handler: RequestHandler,
  ) {
    this.sock = sock;
    this.listen(sock);
  }

  /**
   * Binds `path` and gives the file `perms`. A socket file nobody answers on
   * (connect refused) is a leftover of a killed daemon and is replaced; one
   * that accepts a connect belongs to a live daemon and makes this fail with
   * CtrlSocketInUseError.
   */
  static open(path: string, label: string, handler: RequestHandler, perms: SocketPerms): CtrlSocket {
    const sock = createDgramSocket();
    try {
      if (!tryBind(sock, path)) {
        if (tryConnect(sock, path)) {
          info('ctrl_iface exists and seems to be in use - cannot override it');
          info(`Delete '${path}' manually if it is not used anymore`);
          throw new CtrlSocketInUseError(path);
        }
        debug('ctrl_iface exists, but does not allow connections - assuming it was left over from forced program termination');
        fs.unlinkSync(path);
        const err = bindError(sock, path);
        if (err) throw new CtrlBindError(path, err);
        debug(`Successfully replaced leftover ctrl_iface socket '${path}'`);
      }
      try {
        setSocketMode(path, perms.mode, perms.gid);
      } catch (e) {
        fs.rmSync(path, { force: true });
        throw e;
      }
    } catch (e) {
      sock.close();
      throw e;
    }
    return new CtrlSocket(path, sock, perms, label, handler);
  }

  /** New permissions for the file (RECONFIGURE changed only GROUP=), kept for later re-binds. */
  setPerms(perms: SocketPerms): void {
    setSocketMode(this.path, perms.mode, perms.gid);
    this.perms = perms;
  }

  /** An event to this socket's monitors; `prefix` is 'IFNAME=<if> ' on the global socket. */
  event(level: number, text: string, prefix = ''): void {
    if (!this.closed) this.monitors.send(this.transmitTo, level, text, prefix);
  }

  /** Closes the socket and removes its file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.monitors.clear();
    this.sock.close();
    try {
      fs.unlinkSync(this.path);
    } catch {
      // Already gone (removed by an operator): nothing to clean.
    }
  }

  private listen(sock: UnixDgramSocket): void {
    sock.on('message', (msg: Buffer, rinfo: { path?: string }) => {
      if (sock === this.sock) this.receive(msg, rinfo.path);
    });
    // Send errors are reported through callbacks; anything else is logged, never thrown.
    sock.on('error', (e: Error) => logError(`${this.label}: socket error: ${e.message}`));
  }

  /**
   * One datagram to `to`; 0 or the errno. On EAGAIN/ENOBUFS: re-binds when
   * this socket's send buffer is (still) full, then sends once more. The
   * second try is also made when the buffer is no longer full: a monitor that
   * does read may have taken a datagram between the two sends, and a reply
   * must not be lost to that race. Only a destination whose own queue is full
   * (an unconnected client at its queue limit) fails twice.
   */
  private transmit(msg: Buffer, to: string, length = msg.length): number {
    const errno = this.sock.trySendto(msg, to, length);
    if (errno !== EAGAIN && errno !== ENOBUFS) return errno;
    if (this.sendBufferFull() && !this.rebind()) return errno;
    return this.sock.trySendto(msg, to, length);
  }

  /**
   * A full send buffer fails every send; a receiver at its queue limit fails
   * only sends to it. Linux's unix_dgram_sendmsg() charges the datagram to
   * the send buffer before it looks the destination up, so a zero-length
   * datagram to an address nobody has fails with EAGAIN when the buffer is
   * full and with ECONNREFUSED otherwise, and is queued nowhere. (A probe to
   * ourselves would sit in our own receive queue, whose length limit then
   * refuses other clients' requests.)
   */
  private sendBufferFull(): boolean {
    const errno = this.sock.trySendto(EMPTY, NOBODY);
    return errno === EAGAIN || errno === ENOBUFS;
  }

  /** wpas_ctrl_iface_reinit(): a new socket at the same path, mode and group. False if that failed. */
  private rebind(): boolean {
    const fresh = createDgramSocket();
    try {
      fs.rmSync(this.path, { force: true });
      const err = bindError(fresh, this.path);
      if (err) throw new CtrlBindError(this.path, err);
      setSocketMode(this.path, this.perms.mode, this.perms.gid);
    } catch (e) {
      fresh.close();
      logError(`${this.label}: Failed to reinitialize ctrl_iface socket: ${(e as Error).message}`);
      return false;
    }
    const old = this.sock;
    this.sock = fresh;
    this.listen(fresh);
    old.close();
    info(`${this.label}: send buffer full (a monitor is not reading its events): socket re-opened, connected clients must reconnect`);
    return true;
  }

  private receive(msg: Buffer, from: string | undefined): void {
    if (this.closed) return;
    if (msg.length > CTRL_IFACE_MAX_LEN) {
      logError('recvfrom returned truncated msg');
      return;
    }
    // An unbound (or abstract-namespace) client has no address to reply to.
    if (from === undefined) return;
    const cmd = this.commandText(msg);

    if (cmd === 'ATTACH') {
      this.monitors.attach(from);
      this.reply(OK, from);
      return;
    }
    if (cmd === 'DETACH') {
      this.reply(this.monitors.detach(from) ? OK : FAIL, from);
      return;
    }
    if (cmd.startsWith('LEVEL ')) {
      debug(`CTRL_IFACE LEVEL ${cmd.slice(6)}`);
      this.reply(this.monitors.setLevel(from, atoi(cmd.slice(6))) ? OK : FAIL, from);
      return;
    }
    let r: string | Promise<string>;
    try {
      r = this.handler(cmd);
    } catch (e) {
      // A handler bug must not take the daemon down; the client gets FAIL.
      logError(`${this.label}: command failed: ${(e as Error).stack ?? e}`);
      r = FAIL;
    }
    if (typeof r === 'string') this.reply(r, from);
    else
      r.then(
        (text) => this.reply(text, from),
        (e: unknown) => {
          logError(`${this.label}: command failed: ${(e as Error).stack ?? e}`);
          this.reply(FAIL, from);
        },
      );
  }

  /**
   * The request as command text: its bytes up to the first NUL, one char per
   * byte. Pollers send the same request over and over (PING, STATUS), so one
   * with the same bytes as the previous request gets the previous text back:
   * comparing a few bytes costs less than Buffer#indexOf() and #toString(),
   * each a call into C++ behind argument checks, and the string, whose hash
   * the command table's Map has already computed, is not built again. The
   * addon gives each datagram a Buffer of its own, so keeping one is safe.
   */
  private commandText(msg: Buffer): string {
    const last = this.lastRequest;
    if (msg.length === last.length) {
      let i = 0;
      while (i < msg.length && msg[i] === last[i]) i++;
      if (i === msg.length) return this.lastCommand;
    }
    const nul = msg.indexOf(0);
    this.lastCommand = (nul < 0 ? msg : msg.subarray(0, nul)).toString(WIRE_ENCODING);
    this.lastRequest = msg;
    return this.lastCommand;
  }

  /**
   * Sends `text` to `to`. A poller gets the same reply over and over, and
   * a handler that returns the very string it returned before (STATUS while
   * nothing changed, every fixed reply) is recognised by identity: its bytes
   * are sent again as they are. Equal text in another string is compared
   * (what encoding it would cost anyway); any other text is encoded.
   */
  private reply(text: string, to: string): void {
    if (this.closed) return;
    if (text !== this.lastReply) this.encode(text);
    const errno = this.transmit(this.lastReplyBytes, to, this.lastReplyLength);
    if (errno === 0) return;
    // EPERM: a client still connected to the socket a re-bind replaced; the reply cannot reach it.
    const log = errno === EPERM ? info : debug;
    log(`${this.label}: ctrl_iface sendto ${to} failed: ${errnoName({ code: -errno })}`);
  }

  /** `text` as lastReply's bytes: a fixed reply's Buffer, else replyBytes (one byte per char), else a Buffer of its own. */
  private encode(text: string): void {
    const fixed = text.length <= FIXED_REPLY_MAX_LENGTH && FIXED_REPLIES.get(text);
    if (fixed) {
      this.lastReplyBytes = fixed;
      this.lastReplyLength = fixed.length;
    } else if (text.length <= REPLY_BYTES) {
      this.lastReplyBytes = this.replyBytes;
      this.lastReplyLength = this.replyBytes.write(text, 0, WIRE_ENCODING);
    } else {
      this.lastReplyBytes = Buffer.from(text, WIRE_ENCODING);
      this.lastReplyLength = this.lastReplyBytes.length;
    }
    this.lastReply = text;
  }
}

/** The error unix-dgram emits synchronously from `call` (bind, connect), if any: it reports their failures as an event, not a throw. */
function syncError(sock: UnixDgramSocket, call: () => void): Error | undefined {
  let err: Error | undefined;
  const onError = (e: Error): void => {
    err = e;
  };
  sock.once('error', onError);
  call();
  sock.removeListener('error', onError);
  return err;
}

function bindError(sock: UnixDgramSocket, path: string): Error | undefined {
  return syncError(sock, () => sock.bind(path));
}

/** bind(); false on EADDRINUSE (someone's file is there), throws on anything else. */
function tryBind(sock: UnixDgramSocket, path: string): boolean {
  const err = bindError(sock, path);
  if (!err) return true;
  if (-Number((err as { code?: unknown }).code) === osConstants.errno.EADDRINUSE) return false;
  throw new CtrlBindError(path, err);
}

/** connect() succeeds only when a live socket is bound at path. */
function tryConnect(sock: UnixDgramSocket, path: string): boolean {
  return syncError(sock, () => sock.connect(path)) === undefined;
}


