/**
 * `-s`: log lines to syslog (/dev/log, RFC 3164 framing, facility daemon),
 * as wpa_supplicant does with openlog("wpa_supplicant", LOG_PID, LOG_DAEMON).
 * Built on winston's Stream transport, so no extra logging dependency.
 */
import { Writable } from 'node:stream';
import winston from 'winston';
import { createDgramSocket } from '../net/dgram.js';

const FACILITY_DAEMON = 3;
const SEVERITY: Record<string, number> = { ERROR: 3, WARNING: 4, INFO: 6, DEBUG: 7, MSGDUMP: 7, EXCESSIVE: 7 };

function frame(level: string, message: string, tag: string): Buffer {
  const pri = FACILITY_DAEMON * 8 + (SEVERITY[level] ?? 6);
  return Buffer.from(`<${pri}>${tag}[${process.pid}]: ${message}`);
}

export function syslogTransport(path = '/dev/log', tag = 'wpa-offloadd'): winston.transport {
  const sock = createDgramSocket();
  // A missing syslog daemon must not stop the supplicant.
  sock.on('error', () => undefined);
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: unknown }, _enc, done) {
      const buf = frame(info.level, String(info.message), tag);
      sock.sendto(buf, 0, buf.length, path, () => undefined);
      done();
    },
  });
  return new winston.transports.Stream({ stream });
}

/** One ERROR line on a socket of its own: what the logger says when its stdout or -f sink fails (log.ts). */
export function syslogLine(message: string, path = '/dev/log', tag = 'wpa-offloadd'): void {
  const sock = createDgramSocket();
  sock.on('error', () => undefined);
  const buf = frame('ERROR', message, tag);
  // The addon calls back synchronously, delivered or not.
  sock.sendto(buf, 0, buf.length, path, () => undefined);
  sock.close();
}
