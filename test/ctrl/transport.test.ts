/**
 * The wpa_ctrl transport of the real daemon over real Unix datagram sockets:
 * framing, request size limit, exact matching, monitors and dead monitors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtrlClient, Daemon, startDaemon, tempDir, writeConf } from '../daemon/harness.js';

let dir: string;
let daemon: Daemon;
let sockPath: string;
const clients: CtrlClient[] = [];
let n = 0;
function client(): CtrlClient {
  const c = new CtrlClient(sockPath, path.join(dir, `c${n++}`));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = tempDir('ctrl');
  writeConf(path.join(dir, 'w.conf'), `ctrl_interface=${dir}/run\n`);
  daemon = startDaemon(['-i', 'wotest0', '-c', path.join(dir, 'w.conf')]);
  await daemon.ready();
  sockPath = path.join(dir, 'run', 'wotest0');
});

afterAll(async () => {
  for (const c of clients) c.close();
  await daemon?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('framing', () => {
  it('treats the request as a C string and matches exactly', async () => {
    const c = client();
    expect(await c.req('PING')).toBe('PONG\n');
    expect(await c.req('PING\0junk')).toBe('PONG\n');
    expect(await c.req('\0PING')).toBe('UNKNOWN COMMAND\n');
    for (const bad of ['ping', 'PING ', ' PING', 'PING\n', 'PING\r\n', '', '\xff\xfe\x01', 'SET_NETWORK', 'GET']) {
      expect(await c.req(bad), JSON.stringify(bad)).toBe('UNKNOWN COMMAND\n');
    }
    expect(await c.req('IFNAME')).toBe('wotest0');
    expect(await c.req('STATUSX')).toMatch(/^wpa_state=INACTIVE\naddress=[0-9a-f:]{17}\nuuid=[0-9a-f-]{36}\n$/);
    expect(await c.req('NOTE ')).toBe('OK\n');
    expect(await c.req('GET ')).toBe('FAIL\n');
  });

  it('answers each request by its own bytes, each reply at its own length', async () => {
    // The transport reuses the previous request's text when the bytes are the
    // same, and encodes replies into one Buffer: neither may leak into the next.
    const c = client();
    const steps: [string, string][] = [
      ['PING', 'PONG\n'],
      ['PINH', 'UNKNOWN COMMAND\n'],
      ['PING', 'PONG\n'],
      ['PING\0ab', 'PONG\n'],
      ['IFNAME\0', 'wotest0'],
      ['PING\0ab', 'PONG\n'],
      ['PING\0ac', 'PONG\n'],
      ['IFNAMF\0', 'UNKNOWN COMMAND\n'],
    ];
    for (const [req, reply] of steps) expect(await c.req(req), JSON.stringify(req)).toBe(reply);
    const status = await c.req('STATUS');
    expect(status).toMatch(/^wpa_state=INACTIVE\naddress=[0-9a-f:]{17}\nuuid=[0-9a-f-]{36}\n$/);
    expect(await c.req('IFNAME')).toBe('wotest0');
    expect(await c.req('STATUS')).toBe(status);
  });

  it('drops requests over 8192 bytes silently and keeps serving', async () => {
    const c = client();
    const note = (len: number): string => `NOTE ${'x'.repeat(len - 5)}`;
    expect(await c.request(note(8193), 1500)).toBeUndefined();
    expect(await c.req(note(8192))).toBe('OK\n');
    expect(await c.req('GET max_command_len')).toBe('8192');
    expect(await c.req('PING')).toBe('PONG\n');
  });

  it('keeps LIST_NETWORKS within the 4096-byte reply without cutting a row, and pages with LAST_ID', async () => {
    const c = client();
    for (let i = 0; i < 120; i++) {
      const id = await c.req('ADD_NETWORK');
      expect(await c.req(`SET_NETWORK ${id.trim()} ssid "${'s'.repeat(32)}"`)).toBe('OK\n');
    }
    const first = await c.req('LIST_NETWORKS');
    expect(Buffer.byteLength(first, 'latin1')).toBeLessThan(4096);
    expect(first.endsWith('\t[DISABLED]\n')).toBe(true);
    const rows = first.split('\n').slice(1, -1);
    expect(rows.length).toBeLessThan(120);
    const last = Number(rows[rows.length - 1].split('\t')[0]);
    const next = await c.req(`LIST_NETWORKS LAST_ID=${last}`);
    expect(next.split('\n')[1].split('\t')[0]).toBe(String(last + 1));
    expect(await c.req('REMOVE_NETWORK all')).toBe('OK\n');
    expect(await c.req('LIST_NETWORKS')).toBe('network id / ssid / bssid / flags\n');
  });
});

describe('monitors', () => {
  it('ATTACH/DETACH/LEVEL are exact and events precede the reply', async () => {
    const c = client();
    expect(await c.req('DETACH')).toBe('FAIL\n');
    expect(await c.req('LEVEL 2')).toBe('FAIL\n');
    expect(await c.req('ATTACH ')).toBe('UNKNOWN COMMAND\n');
    expect(await c.req('ATTACH\0x')).toBe('OK\n');
    expect(await c.req('ATTACH')).toBe('OK\n');
    const id = await c.req('ADD_NETWORK');
    const iEvent = c.received.indexOf(`<3>CTRL-EVENT-NETWORK-ADDED ${id.trim()}`);
    expect(iEvent).toBeGreaterThanOrEqual(0);
    expect(iEvent).toBeLessThan(c.received.indexOf(id));
    expect(await c.req('LEVEL x')).toBe('OK\n');
    await c.req(`SET_NETWORK ${id.trim()} psk "supersecret1"`);
    const dbg = await c.waitEvent(/Control interface command 'SET_NETWORK/);
    expect(dbg).toBe("<2>Control interface command 'SET_NETWORK [REMOVED]'");
    expect(await c.req(`REMOVE_NETWORK ${id.trim()}`)).toBe('OK\n');
    await c.waitEvent(new RegExp(`^<3>CTRL-EVENT-NETWORK-REMOVED ${id.trim()}$`));
    expect(await c.req('DETACH')).toBe('OK\n');
    expect(await c.req('DETACH')).toBe('FAIL\n');
  });

  it('drops a monitor whose socket file is gone at once, and one that keeps failing at the 11th failure', async () => {
    const alive = client();
    expect(await alive.req('ATTACH')).toBe('OK\n');
    const gone = client();
    expect(await gone.req('ATTACH')).toBe('OK\n');
    gone.close(true); // file removed: ENOENT on the next event
    const refusing = client();
    expect(await refusing.req('ATTACH')).toBe('OK\n');
    refusing.close(false); // file left behind: ECONNREFUSED, counted

    const trigger = async (): Promise<void> => {
      const id = (await alive.req('ADD_NETWORK')).trim();
      await alive.waitEvent(new RegExp(`NETWORK-ADDED ${id}$`));
    };
    for (let i = 0; i < 3; i++) await trigger();
    // The unlinked monitor was dropped at its first failure: a socket bound there now gets nothing.
    const goneAgain = new CtrlClient(sockPath, gone.own);
    clients.push(goneAgain);
    // After 3 failures the refusing monitor is still registered: rebinding its path receives events.
    fs.rmSync(refusing.own);
    const rebound = new CtrlClient(sockPath, refusing.own);
    clients.push(rebound);
    await trigger();
    await rebound.waitEvent(/NETWORK-ADDED/);
    rebound.close(false);
    for (let i = 0; i < 11; i++) await trigger();
    fs.rmSync(refusing.own);
    const again = new CtrlClient(sockPath, refusing.own);
    clients.push(again);
    // ... and after 11 more failures it was dropped.
    await trigger();
    expect(await again.req('PING')).toBe('PONG\n');
    expect(again.events).toEqual([]);
    expect(goneAgain.events).toEqual([]);
    expect(alive.events.filter((e) => e.includes('NETWORK-ADDED')).length).toBe(16);
    // Detached first: 16 NETWORK-REMOVED events ahead of the reply can fill the
    // client's 10-datagram queue (max_dgram_qlen) on a busy machine, and a full
    // queue drops the reply, for wpa_supplicant's non-blocking socket as for ours.
    expect(await alive.req('DETACH')).toBe('OK\n');
    expect(await alive.req('REMOVE_NETWORK all')).toBe('OK\n');
  });
});
