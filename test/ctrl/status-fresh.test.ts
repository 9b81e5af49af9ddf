/**
 * STATUS is kept between requests (src/ctrl/status-text.ts) and the
 * transport resends the previous reply's bytes for the same text: after
 * every change a poller must see the new state at its very next STATUS. A
 * real daemon on `npm start`'s simulator (conf/sim.ini), polled before each
 * change so that a kept text exists, then asked once right after the change.
 * The changes are asked for on the global socket (IFNAME=wlan0 ...), so the
 * interface socket's last reply before the STATUS after a change is the
 * STATUS before it: a text of the same length (a roam changes only digits)
 * must not go out as the bytes sent before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtrlClient, Daemon, startDaemon, tempDir, writeConf } from '../daemon/harness.js';

let dir: string;
let daemon: Daemon;
let mon: CtrlClient;
let poller: CtrlClient;
let commander: CtrlClient;

/** A command to wlan0 through the global socket. */
const command = (cmd: string): Promise<string> => commander.req(`IFNAME=wlan0 ${cmd}`);

/** STATUS as key=value pairs. */
async function status(): Promise<Record<string, string>> {
  const text = await poller.req('STATUS');
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** A poller's STATUS, a few times in a row: the daemon keeps this text, and the bytes the transport last sent. */
async function poll(): Promise<Record<string, string>> {
  let s = await status();
  for (let i = 0; i < 3; i++) s = await status();
  return s;
}

/** The next event matching `re` from here on. */
async function nextEvent(re: RegExp): Promise<string> {
  mon.events.length = 0;
  return mon.waitEvent(re, 10_000);
}

beforeAll(async () => {
  dir = tempDir('status-fresh');
  const conf = path.join(dir, 'wpa_supplicant.conf');
  writeConf(conf, fs.readFileSync(path.resolve('conf/wpa_supplicant.conf'), 'latin1'));
  daemon = startDaemon(['-i', 'wlan0', '-c', conf, '--settings', path.resolve('conf/wpa-offloadd.ini'), '-C', path.join(dir, 'ctrl'), '-g', path.join(dir, 'global')]);
  await daemon.ready();
  mon = new CtrlClient(path.join(dir, 'ctrl', 'wlan0'), path.join(dir, 'mon'));
  poller = new CtrlClient(path.join(dir, 'ctrl', 'wlan0'), path.join(dir, 'poller'));
  commander = new CtrlClient(path.join(dir, 'global'), path.join(dir, 'commander'));
  expect(await mon.req('ATTACH')).toBe('OK\n');
  // The simulator's first connection (it may complete before ATTACH does).
  const deadline = Date.now() + 10_000;
  while ((await status()).wpa_state !== 'COMPLETED') {
    if (Date.now() > deadline) throw new Error('the daemon did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
});

afterAll(async () => {
  mon?.close();
  poller?.close();
  commander?.close();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('STATUS right after a change', () => {
  it('associated: the first AP of the ESS', async () => {
    const s = await poll();
    expect(s).toMatchObject({ bssid: '02:00:00:00:01:01', freq: '2437', ssid: 'wpa-offload-demo', id: '0', wpa_state: 'COMPLETED', key_mgmt: 'WPA2-PSK' });
    expect(s.id_str).toBeUndefined();
  });

  it('SET_NETWORK id_str: the network changed in place, no state change', async () => {
    await poll();
    expect(await command('SET_NETWORK 0 id_str "home"')).toBe('OK\n');
    expect((await status()).id_str).toBe('home');
  });

  it('ROAM: the new BSSID and frequency', async () => {
    await poll();
    const roamed = nextEvent(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:02/);
    expect(await command('ROAM 02:00:00:00:01:02')).toBe('OK\n');
    await roamed;
    expect(await status()).toMatchObject({ bssid: '02:00:00:00:01:02', freq: '5180', wpa_state: 'COMPLETED', id_str: 'home' });
  });

  it('DISCONNECT: no association lines, DISCONNECTED', async () => {
    await poll();
    expect(await command('DISCONNECT')).toBe('OK\n');
    const s = await status();
    expect(s.wpa_state).toBe('DISCONNECTED');
    expect(s.bssid).toBeUndefined();
    expect(s.ssid).toBeUndefined();
  });

  it('SELECT_NETWORK: the other network, its AKM and PMF', async () => {
    await poll();
    const connected = nextEvent(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:02:01/);
    expect(await command('SELECT_NETWORK 1')).toBe('OK\n');
    await connected;
    expect(await status()).toMatchObject({ bssid: '02:00:00:00:02:01', ssid: 'office-pmf', id: '1', key_mgmt: 'WPA2-PSK-SHA256', pmf: '2', wpa_state: 'COMPLETED' });
  });

  it('PING between two STATUS requests: each gets its own reply', async () => {
    const before = await poller.req('STATUS');
    expect(await poller.req('PING')).toBe('PONG\n');
    expect(await poller.req('STATUS')).toBe(before);
    expect(await poller.req('PING')).toBe('PONG\n');
  });
});
