/**
 * Point 2 of the reliability issue: monitors that never read their events
 * must not make the daemon deaf. A real wpa-offloadd on -D sim, real sockets,
 * stuck monitors in a separate process (stuck-clients.ts); the daemon's
 * network events (ADD_NETWORK / REMOVE_NETWORK) fill their queues.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { CtrlClient } from '../daemon/harness.js';
import { build, IFNAME, Rig, simSection } from '../station/rig.js';
import { StuckMonitors } from './stuck-clients.js';

const CLI_JS = path.resolve(process.cwd(), 'dist/src/client/cli.js');
/** ctrl_interface_group: the socket file must keep it (and mode 0770) across a re-bind. */
const GID = 4242;

let rig: Rig | undefined;
const stuck: StuckMonitors[] = [];
const clients: CtrlClient[] = [];
const libs: WpaCtrl[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const c of libs.splice(0)) c.close();
  for (const s of stuck.splice(0)) await s.stop();
  await rig?.stop();
  rig = undefined;
});
beforeAll(() => build(), 120_000);

async function startRig(): Promise<Rig> {
  rig = await Rig.start({ scenario: simSection(7), networks: `ctrl_interface_group=${GID}\n`, backend: 'sim' });
  return rig;
}

const ctrlPath = (r: Rig): string => path.join(r.ctrlDir, IFNAME);

function client(r: Rig, name: string): CtrlClient {
  const c = new CtrlClient(ctrlPath(r), path.join(r.dir, name));
  clients.push(c);
  return c;
}

/** `pairs` ADD_NETWORK + REMOVE_NETWORK round trips: two events each; every reply must come. */
async function causeEvents(c: CtrlClient, pairs: number): Promise<void> {
  for (let i = 0; i < pairs; i++) {
    const id = (await c.req('ADD_NETWORK')).trim();
    expect(id).toMatch(/^\d+$/);
    expect(await c.req(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
  }
}

/** Library clients (wpa_ctrl style: connected) collected for cleanup. */
async function lib(r: Rig): Promise<WpaCtrl> {
  const c = await WpaCtrl.open(ctrlPath(r), { clientDir: r.dir });
  libs.push(c);
  return c;
}

describe('a monitor that never reads', () => {
  it('one stuck monitor and 400 events: fresh clients still get every PING answered; the socket keeps path, mode and group', async () => {
    const r = await startRig();
    const before = fs.statSync(ctrlPath(r));
    stuck.push(await StuckMonitors.start(ctrlPath(r), r.dir, 1));
    await causeEvents(client(r, 'events'), 200);
    let pongs = 0;
    for (let i = 0; i < 10; i++) if ((await client(r, `fresh-${i}`).request('PING')) === 'PONG\n') pongs++;
    // wpa_ctrl-style (connected) fresh clients too.
    for (let i = 0; i < 10; i++) if ((await (await lib(r)).request('PING')).toString() === 'PONG\n') pongs++;
    expect(pongs).toBe(20);
    // The daemon got out by re-binding: a new socket file, same mode and group.
    const after = fs.statSync(ctrlPath(r));
    expect(after.ino).not.toBe(before.ino);
    expect(after.isSocket()).toBe(true);
    expect(after.mode & 0o777).toBe(0o770);
    expect(after.gid).toBe(GID);
    expect(r.daemon.output).toMatch(/send buffer full .*socket re-opened/);
  }, 60_000);

  it('500 stuck monitors: a client measured alongside gets every reply, and every stuck monitor is dropped', async () => {
    const r = await startRig();
    // Half of them connect()ed, as wpa_ctrl does (no queue limit), half not (queue limit, then EAGAIN each time).
    stuck.push(await StuckMonitors.start(ctrlPath(r), r.dir, 500, 250));
    const measured = client(r, 'measured');
    let replies = 0;
    for (let i = 0; i < 300; i++) {
      const id = await measured.request('ADD_NETWORK');
      if (id !== undefined) replies++;
      if ((await measured.request(`REMOVE_NETWORK ${id?.trim()}`)) === 'OK\n') replies++;
    }
    expect(replies).toBe(600);
    // Dropped by the 2.10 rules: EPERM (connected to a replaced socket) at once, 11 failures in a row otherwise.
    expect(r.daemon.output.match(/CTRL_IFACE: Detach monitor \S+\/stuck-\d+ that cannot receive messages/g)?.length).toBe(500);
    // Nothing left to send to: further events cost nothing and fail nothing.
    const out = r.daemon.output.length;
    await causeEvents(measured, 20);
    expect(r.daemon.output.slice(out)).not.toMatch(/Detach monitor|re-opened/);
  }, 120_000);

  it('healthy monitors: an unconnected one keeps its events; a connected one and the bundled client reconnect and get events again', async () => {
    const r = await startRig();
    const healthyLib = await lib(r);
    await healthyLib.attach();
    let reconnects = 0;
    healthyLib.on('reconnect', () => reconnects++);
    const libEvents: string[] = [];
    healthyLib.on('event', (ev) => libEvents.push(ev.text));

    const cli = spawn(process.execPath, [CLI_JS, '-p', r.ctrlDir, '-i', IFNAME, '-G', '1'], {
      env: { ...process.env, HOME: r.dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let cliOut = '';
    cli.stdout.on('data', (d: Buffer) => (cliOut += d.toString('latin1')));
    cli.stderr.on('data', (d: Buffer) => (cliOut += d.toString('latin1')));
    const cliSays = (re: RegExp, from = 0): Promise<void> => until(() => re.test(cliOut.slice(from)), () => cliOut);
    try {
      await cliSays(/Interactive mode/);
      const events = client(r, 'events');
      // Both get events before anything is stuck.
      const first = (await events.req('ADD_NETWORK')).trim();
      await cliSays(new RegExp(`CTRL-EVENT-NETWORK-ADDED ${first}\\b`));
      await until(() => libEvents.includes(`CTRL-EVENT-NETWORK-ADDED ${first}`), () => libEvents.join('\n'));

      stuck.push(await StuckMonitors.start(ctrlPath(r), r.dir, 1));
      await causeEvents(events, 200);
      expect(r.daemon.output).toMatch(/socket re-opened/);

      // The unconnected monitor (the rig's own) kept its registration across the re-bind.
      const mark = r.mark();
      const second = (await events.req('ADD_NETWORK')).trim();
      await r.wait(new RegExp(`CTRL-EVENT-NETWORK-ADDED ${second}$`), mark);

      // The bundled client's PING found the socket replaced: it says so and re-attaches.
      const cliMark = cliOut.length;
      await cliSays(/Connection to wpa_supplicant lost - trying to reconnect\n[^]*Connection to wpa_supplicant re-established/);
      const third = (await events.req('ADD_NETWORK')).trim();
      await cliSays(new RegExp(`CTRL-EVENT-NETWORK-ADDED ${third}\\b`), cliMark);

      // The connected library monitor was dropped (EPERM); its next request reconnects and re-ATTACHes.
      expect(libEvents).not.toContain(`CTRL-EVENT-NETWORK-ADDED ${third}`);
      expect((await healthyLib.request('PING')).toString()).toBe('PONG\n');
      expect(reconnects).toBe(1);
      const fourth = (await events.req('ADD_NETWORK')).trim();
      await until(() => libEvents.includes(`CTRL-EVENT-NETWORK-ADDED ${fourth}`), () => libEvents.join('\n'));
      cli.stdin.end('quit\n');
      expect(await new Promise((res) => cli.once('exit', res))).toBe(0);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
  }, 120_000);
});

/** Polls `cond` (state that other callbacks fill in) for at most 15 s. */
async function until(cond: () => boolean, what: () => string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not reached within 15 s; have:\n${what().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
