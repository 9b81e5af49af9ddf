/**
 * Attached monitors (ATTACH / DETACH / LEVEL) and event delivery, as
 * ctrl_iface_unix.c does it: non-blocking sends; a monitor whose socket file
 * is gone (ENOENT) or that is connected to another socket (EPERM: a client
 * still connected to the socket this one replaced, see CtrlSocket) is
 * dropped at once; any other failure is counted, a success resets the count,
 * and the 11th failure in a row drops it. A dead monitor never blocks the
 * reply or the other monitors. A full send buffer of the daemon's own socket
 * is the transport's business (CtrlSocket.transmit), not a monitor's.
 */
import { constants as osConstants } from 'node:os';
import { debug, info, MsgLevel } from '../log.js';
import { errnoName } from '../net/dgram.js';

/** Sends one datagram to `path`; returns 0 or the errno of the failure. */
export type Transmit = (msg: Buffer, path: string) => number;

const MAX_SEND_ERRORS = 10;
const ENOENT = osConstants.errno.ENOENT;
const EPERM = osConstants.errno.EPERM;

interface Monitor {
  level: number;
  errors: number;
}

export class MonitorList {
  private readonly monitors = new Map<string, Monitor>();
  /** Lowest level any monitor wants: lets callers skip formatting debug lines nobody reads. */
  private minLevel = Number.POSITIVE_INFINITY;

  /** True if some monitor would receive a message at this level. */
  wants(level: number): boolean {
    return level >= this.minLevel;
  }

  /** ATTACH: a second ATTACH from the same address re-registers it at the default level. */
  attach(path: string): void {
    this.monitors.delete(path);
    this.monitors.set(path, { level: MsgLevel.INFO, errors: 0 });
    debug(`CTRL_IFACE monitor attached ${path}`);
    this.recompute();
  }

  detach(path: string): boolean {
    const had = this.monitors.delete(path);
    if (had) {
      debug(`CTRL_IFACE monitor detached ${path}`);
      this.recompute();
    }
    return had;
  }

  setLevel(path: string, level: number): boolean {
    const m = this.monitors.get(path);
    if (!m) return false;
    m.level = level;
    this.recompute();
    return true;
  }

  /**
   * Sends `<prefix><level>text` (prefix is '' or 'IFNAME=<if> ') to every
   * monitor at or below `level`. The datagram is built once for all of them.
   */
  send(transmit: Transmit, level: number, text: string, prefix = ''): void {
    if (level < this.minLevel) return;
    // latin1: event text is a binary string like every reply (see transport.ts).
    const msg = Buffer.from(`${prefix}<${level}>${text}`, 'latin1');
    let dropped = false;
    for (const [path, m] of this.monitors) {
      if (level < m.level) continue;
      const errno = transmit(msg, path);
      if (errno === 0) {
        m.errors = 0;
        continue;
      }
      m.errors++;
      debug(`CTRL_IFACE monitor: ${errno} (${errnoName({ code: -errno })}) for ${path}`);
      if (m.errors > MAX_SEND_ERRORS || errno === ENOENT || errno === EPERM) {
        info(`CTRL_IFACE: Detach monitor ${path} that cannot receive messages`);
        this.monitors.delete(path);
        dropped = true;
      }
    }
    if (dropped) this.recompute();
  }

  clear(): void {
    this.monitors.clear();
    this.recompute();
  }

  private recompute(): void {
    let min = Number.POSITIVE_INFINITY;
    for (const m of this.monitors.values()) min = Math.min(min, m.level);
    this.minLevel = min;
  }
}
