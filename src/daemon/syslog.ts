/**
 * `-s`: log lines to syslog (/dev/log, RFC 3164 framing, facility daemon),
 * as wpa_supplicant does with openlog("wpa_supplicant", LOG_PID, LOG_DAEMON).
 * A winston logger with winston's Stream transport onto our datagram socket,
 * so no extra logging dependency.
 *
 * winston is loaded here, at run time and only with -s, not bundled: stdout
 * and -f are written by log.ts itself, and winston with its 28 dependencies
 * was a third of the bundle's source, which V8 keeps in the heap and in the
 * start-up snapshot (idle RSS about 1.5 MiB, more with 1000 BSSes).
 */
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type winston from 'winston';
import { LEVEL_NAMES, type MsgLevel } from '../log.js';
import { createDgramSocket } from '../net/dgram.js';

const FACILITY_DAEMON = 3;
const SEVERITY: Record<string, number> = { ERROR: 3, WARNING: 4, INFO: 6, DEBUG: 7, MSGDUMP: 7, EXCESSIVE: 7 };
/** winston orders levels with 0 = most severe; wpa_supplicant the other way round. */
const WINSTON_LEVELS: Record<(typeof LEVEL_NAMES)[number], number> = { ERROR: 0, WARNING: 1, INFO: 2, DEBUG: 3, MSGDUMP: 4, EXCESSIVE: 5 };

function frame(level: string, message: string, tag: string): Buffer {
  const pri = FACILITY_DAEMON * 8 + (SEVERITY[level] ?? 6);
  return Buffer.from(`<${pri}>${tag}[${process.pid}]: ${message}`);
}

/** The logger of -s, at wpa_supplicant's `level`. */
export function syslogLogger(level: MsgLevel, path = '/dev/log', tag = 'wpa-offloadd'): winston.Logger {
  const w = createRequire(import.meta.url)('winston') as typeof winston;
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
  return w.createLogger({ levels: WINSTON_LEVELS, level: LEVEL_NAMES[level], transports: [new w.transports.Stream({ stream })] });
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
