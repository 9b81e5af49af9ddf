/**
 * The -s logger (src/daemon/syslog.ts): RFC 3164 lines on a datagram socket,
 * at wpa_supplicant's levels, with winston loaded at run time. A socket of
 * the test's own stands in for /dev/log.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syslogLine, syslogLogger } from '../../src/daemon/syslog.js';
import { MsgLevel } from '../../src/log.js';
import { createDgramSocket, type UnixDgramSocket } from '../../src/net/dgram.js';
import { tempDir } from './harness.js';

let server: UnixDgramSocket | undefined;
let dir: string | undefined;
afterEach(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function listen(): { path: string; lines: string[]; next: () => Promise<void> } {
  dir = tempDir('syslog');
  const path = join(dir, 'log.sock');
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  server = createDgramSocket();
  server.on('message', (b: Buffer) => {
    lines.push(b.toString());
    wake?.();
  });
  server.bind(path);
  return { path, lines, next: () => new Promise<void>((r) => (wake = r)) };
}

describe('-s: syslog', () => {
  it('sends lines at or above the level, facility daemon, tagged with the pid; a changed level takes effect', async () => {
    const { path, lines, next } = listen();
    const logger = syslogLogger(MsgLevel.INFO, path);
    let got = next();
    logger.log('DEBUG', 'below the level');
    logger.log('WARNING', 'a warning');
    await got;
    expect(lines).toEqual([`<28>wpa-offloadd[${process.pid}]: a warning`]);
    logger.level = 'DEBUG';
    got = next();
    logger.log('DEBUG', 'now wanted');
    await got;
    expect(lines[1]).toBe(`<31>wpa-offloadd[${process.pid}]: now wanted`);
    logger.close();
  });

  it('syslogLine: one ERROR line on a socket of its own', async () => {
    const { path, lines, next } = listen();
    const got = next();
    syslogLine('stdout failed', path);
    await got;
    expect(lines).toEqual([`<27>wpa-offloadd[${process.pid}]: stdout failed`]);
  });
});
