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

export function syslogTransport(path = '/dev/log', tag = 'wpa-offloadd'): winston.transport {
  const sock = createDgramSocket();
  // A missing syslog daemon must not stop the supplicant.
  sock.on('error', () => undefined);
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: unknown }, _enc, done) {
      const pri = FACILITY_DAEMON * 8 + (SEVERITY[info.level] ?? 6);
      const buf = Buffer.from(`<${pri}>${tag}[${process.pid}]: ${String(info.message)}`);
      sock.sendto(buf, 0, buf.length, path, () => undefined);
      done();
    },
  });
  return new winston.transports.Stream({ stream });
}
