/**
 * systemd's notify protocol (sd_notify(3)) without libsystemd: one datagram
 * "READY=1" / "STOPPING=1" / "WATCHDOG=1" to $NOTIFY_SOCKET, and WATCHDOG=1
 * every WATCHDOG_USEC/2 when the unit has WatchdogSec=.
 *
 * Limitation: unix-dgram copies the path with strncpy, so it cannot address
 * abstract sockets ("@..."). systemd uses the filesystem socket
 * /run/systemd/notify for services, so this only matters under other service
 * managers; with an abstract NOTIFY_SOCKET we log once and notify nothing.
 */
import { createDgramSocket, type UnixDgramSocket } from '../net/dgram.js';
import { debug, warning } from '../log.js';

export class SystemdNotifier {
  private sock: UnixDgramSocket | undefined;
  private readonly path: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const p = env.NOTIFY_SOCKET;
    if (p === undefined || p === '') return;
    if (p.startsWith('@')) {
      warning(`NOTIFY_SOCKET=${p} is an abstract socket, which this daemon cannot address; no systemd notifications`);
      return;
    }
    this.path = p;
    this.sock = createDgramSocket();
    this.sock.on('error', (e: Error) => debug(`sd_notify: ${e.message}`));
    const usec = Number(env.WATCHDOG_USEC);
    const pid = env.WATCHDOG_PID;
    if (usec > 0 && (pid === undefined || Number(pid) === process.pid)) {
      this.watchdog = setInterval(() => this.send('WATCHDOG=1'), Math.max(1, Math.floor(usec / 2000)));
      this.watchdog.unref();
    }
  }

  ready(): void {
    this.send(`READY=1\nMAINPID=${process.pid}`);
  }

  stopping(): void {
    this.send('STOPPING=1');
  }

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.sock?.close();
    this.sock = undefined;
  }

  private send(state: string): void {
    if (!this.sock || !this.path) return;
    const buf = Buffer.from(state);
    this.sock.sendto(buf, 0, buf.length, this.path, (err) => {
      if (err) debug(`sd_notify ${state}: ${err.message}`);
    });
  }
}
