/**
 * `-s`: log lines to syslog (/dev/log, RFC 3164 framing, facility daemon),
 * as wpa_supplicant does with openlog("wpa_supplicant", LOG_PID, LOG_DAEMON).
 */
import { MsgLevel, type LogOutput } from '../log.js';
import { createDgramSocket } from '../net/dgram.js';

const FACILITY_DAEMON = 3;
/** syslog severity of each MsgLevel, EXCESSIVE (0) to ERROR (5). */
const SEVERITY = [7, 7, 7, 6, 4, 3] as const;

function frame(level: MsgLevel, message: string, tag: string): Buffer {
  const pri = FACILITY_DAEMON * 8 + SEVERITY[level];
  return Buffer.from(`<${pri}>${tag}[${process.pid}]: ${message}`);
}

/** The log's output for -s: each message one datagram to `path`. */
export function syslogOutput(path = '/dev/log', tag = 'wpa-offloadd'): LogOutput {
  const sock = createDgramSocket();
  // A missing syslog daemon must not stop the supplicant.
  sock.on('error', () => undefined);
  return (level, message) => {
    const buf = frame(level, message, tag);
    sock.sendto(buf, 0, buf.length, path, () => undefined);
  };
}

/** One ERROR line on a socket of its own: what the logger says when its stdout or -f sink fails (log.ts). */
export function syslogLine(message: string, path = '/dev/log', tag = 'wpa-offloadd'): void {
  const sock = createDgramSocket();
  sock.on('error', () => undefined);
  const buf = frame(MsgLevel.ERROR, message, tag);
  // The addon calls back synchronously, delivered or not.
  sock.sendto(buf, 0, buf.length, path, () => undefined);
  sock.close();
}
