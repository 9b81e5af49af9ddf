/**
 * The ctrl benchmark's floor: a bare wpa_ctrl-shaped echo server on the same
 * transport as the daemon (Node.js + unix-dgram), answering every datagram
 * with "PONG\n" and doing nothing else. What it reaches is what any Node.js
 * daemon on unix-dgram can reach for PING on this machine; the benchmark
 * prints it next to wpa_supplicant and wpa-offloadd.
 *
 * Usage: node echo-server.js SOCKET_PATH (prints "ready" once bound).
 */
import { rmSync } from 'node:fs';
import { createDgramSocket } from '../../src/net/dgram.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: echo-server SOCKET_PATH');
  process.exit(2);
}
const pong = Buffer.from('PONG\n');
rmSync(path, { force: true });
const sock = createDgramSocket();
sock.on('message', (_msg: Buffer, rinfo: { path?: string }) => {
  if (rinfo.path) sock.sendto(pong, 0, pong.length, rinfo.path);
});
sock.bind(path);
process.on('SIGTERM', () => {
  sock.close();
  rmSync(path, { force: true });
  process.exit(0);
});
console.log('ready');
