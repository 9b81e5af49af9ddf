/**
 * The daemon process: socket files and modes, stale and live sockets at
 * start, SIGHUP with a broken file, SIGTERM clean-up, SAVE_CONFIG, the global
 * socket, settings errors, systemd notification and the unit file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDgramSocket } from '../../src/net/dgram.js';
import { CtrlClient, Daemon, MAIN, startDaemon, tempDir, writeConf } from './harness.js';

const cleanups: (() => void | Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(conf: (dir: string) => string): { dir: string; conf: string } {
  const dir = tempDir('life');
  const file = path.join(dir, 'w.conf');
  writeConf(file, conf(dir));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, conf: file };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Daemon> {
  const d = startDaemon(args, env);
  cleanups.push(() => d.stop());
  await d.ready();
  return d;
}

function client(sock: string, dir: string, name: string): CtrlClient {
  const c = new CtrlClient(sock, path.join(dir, name));
  cleanups.push(() => c.close());
  return c;
}

const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const umask = process.umask();

describe('socket files', () => {
  it('creates the directory 0770 under the umask, the socket 0770, the global socket 0700; removes them at SIGTERM', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    const pid = path.join(dir, 'pid');
    const d = await run(['-i', 'wotest1', '-c', conf, '-g', `${dir}/global`, '-P', pid]);
    expect(mode(`${dir}/run`)).toBe(0o770 & ~umask);
    expect(mode(`${dir}/run/wotest1`)).toBe(0o770);
    expect(mode(`${dir}/global`)).toBe(0o700);
    expect(fs.readFileSync(pid, 'utf8')).toBe(`${d.proc.pid}\n`);
    const mon = client(`${dir}/run/wotest1`, dir, 'mon');
    expect(await mon.req('ATTACH')).toBe('OK\n');
    const gmon = client(`${dir}/global`, dir, 'gmon');
    expect(await gmon.req('ATTACH')).toBe('OK\n');
    d.proc.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(mon.events).toContain('<3>CTRL-EVENT-TERMINATING ');
    expect(gmon.events).toContain('IFNAME=wotest1 <3>CTRL-EVENT-TERMINATING ');
    expect(fs.existsSync(`${dir}/run`)).toBe(false);
    expect(fs.existsSync(`${dir}/global`)).toBe(false);
    expect(fs.existsSync(pid)).toBe(false);
  });

  it('GROUP= forces chgrp and 0750 on an existing directory; -G gives the global socket 0770', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=DIR=${d}/run GROUP=daemon\n`);
    fs.mkdirSync(`${dir}/run`);
    fs.chmodSync(`${dir}/run`, 0o777);
    await run(['-i', 'wotest1', '-c', conf, '-g', `${dir}/global`, '-G', '1']);
    const gid = Number(execFileSync('getent', ['group', 'daemon']).toString().split(':')[2]);
    expect(mode(`${dir}/run`)).toBe(0o750);
    expect(fs.statSync(`${dir}/run`).gid).toBe(gid);
    expect(fs.statSync(`${dir}/run/wotest1`).gid).toBe(gid);
    expect(mode(`${dir}/global`)).toBe(0o770);
    expect(fs.statSync(`${dir}/global`).gid).toBe(1);
  });

  it('replaces a stale socket file; refuses a live one with exit status 255', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    fs.mkdirSync(`${dir}/run`);
    const stale = createDgramSocket();
    stale.bind(`${dir}/run/wotest1`);
    stale.close(); // the file stays, nobody is bound
    await run(['-i', 'wotest1', '-c', conf]);
    const c = client(`${dir}/run/wotest1`, dir, 'c');
    expect(await c.req('PING')).toBe('PONG\n');

    const second = startDaemon(['-i', 'wotest1', '-c', conf]);
    expect(await second.exited).toBe(255);
    expect(second.output).toContain('ctrl_iface exists and seems to be in use - cannot override it');
    expect(await c.req('PING')).toBe('PONG\n');
  });

  it('rejects a socket path longer than sun_path', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/${'x'.repeat(100)}\n`);
    const d = startDaemon(['-i', 'wotest1', '-c', conf]);
    expect(await d.exited).toBe(255);
    expect(d.output).toContain('ctrl_iface path limit exceeded');
    expect(dir).toBeTruthy();
  });
});

describe('configuration', () => {
  it('SIGHUP and RECONFIGURE with a broken file keep the running configuration and log the line', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\nnetwork={\n\tssid="one"\n\tkey_mgmt=NONE\n}\n`);
    const d = await run(['-i', 'wotest1', '-c', conf]);
    const c = client(`${dir}/run/wotest1`, dir, 'c');
    const before = await c.req('LIST_NETWORKS');
    expect(before).toBe('network id / ssid / bssid / flags\n0\tone\tany\t\n');
    fs.writeFileSync(conf, `ctrl_interface=${dir}/run\nbogus_option=1\n`);
    d.proc.kill('SIGHUP');
    expect(await c.req('RECONFIGURE')).toBe('FAIL\n');
    expect(await d.outputMatching(/Line 2/)).toMatch(/Line 2/);
    expect(await c.req('LIST_NETWORKS')).toBe(before);
    fs.writeFileSync(conf, `ctrl_interface=${dir}/run\nnetwork={\n\tssid="two"\n\tkey_mgmt=NONE\n}\n`);
    expect(await c.req('RECONFIGURE')).toBe('OK\n');
    expect(await c.req('LIST_NETWORKS')).toBe('network id / ssid / bssid / flags\n0\ttwo\tany\t\n');
  });

  it('SAVE_CONFIG writes mode 0600 atomically, FAILs without update_config, and bad input changes nothing', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\nupdate_config=1\n`);
    fs.chmodSync(conf, 0o644);
    await run(['-i', 'wotest1', '-c', conf]);
    const c = client(`${dir}/run/wotest1`, dir, 'c');
    expect(await c.req('ADD_NETWORK')).toBe('0\n');
    expect(await c.req('SET_NETWORK 0 ssid "home"')).toBe('OK\n');
    expect(await c.req('SET_NETWORK 0 psk "short"')).toBe('FAIL\n');
    expect(await c.req('SET_NETWORK 0 psk "long enough"')).toBe('OK\n');
    expect(await c.req('SET_NETWORK 0 psk "x\nupdate_config=0"')).toBe('FAIL\n');
    expect(await c.req('GET_NETWORK 0 psk')).toBe('*');
    expect(await c.req('SAVE_CONFIG')).toBe('OK\n');
    expect(mode(conf)).toBe(0o600);
    expect(fs.readFileSync(conf, 'latin1')).toBe(
      `ctrl_interface=${dir}/run\nupdate_config=1\n\nnetwork={\n\tssid="home"\n\tpsk="long enough"\n\tmesh_fwding=1\n\tdisabled=1\n}\n`,
    );
    expect(fs.readdirSync(dir).filter((f) => f.includes('tmp'))).toEqual([]);
    expect(await c.req('SET update_config 0')).toBe('OK\n');
    const saved = fs.readFileSync(conf);
    expect(await c.req('REMOVE_NETWORK 0')).toBe('OK\n');
    expect(await c.req('SAVE_CONFIG')).toBe('FAIL\n');
    expect(fs.readFileSync(conf).equals(saved)).toBe(true);
  });
});

describe('global socket', () => {
  it('routes IFNAME=, adds and removes interfaces with the TAB syntax, tags events', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    await run(['-i', 'wotest1', '-c', conf, '-g', `${dir}/global`]);
    const g = client(`${dir}/global`, dir, 'g');
    expect(await g.req('ATTACH')).toBe('OK\n');
    expect(await g.req('PING')).toBe('PONG\n');
    expect(await g.req('ADD_NETWORK')).toBe('UNKNOWN COMMAND\n');
    expect(await g.req('IFNAME=wotest1 ATTACH')).toBe('UNKNOWN COMMAND\n');
    expect(await g.req('IFNAME=nope PING')).toBe('FAIL-NO-IFNAME-MATCH\n');
    expect(await g.req('IFNAME=wotest1 ADD_NETWORK')).toBe('0\n');
    expect(g.events).toContain('IFNAME=wotest1 <3>CTRL-EVENT-NETWORK-ADDED 0');
    // No driver backend: like wpa_supplicant's wired driver, an existing netdev is needed.
    expect(await g.req(`INTERFACE_ADD wotest2\t\t\t${dir}/run\t\t`)).toBe('FAIL\n');
    expect(g.events).toContain('IFNAME=wotest2 <5>Failed to initialize driver interface');
    expect(await g.req(`INTERFACE_ADD lo\t\t\t${dir}/run\t\t`)).toBe('OK\n');
    const before = g.events.length;
    expect(await g.req('INTERFACE_ADD lo')).toBe('FAIL\n');
    expect(g.events.slice(before)).toEqual([]);
    expect(await g.req('INTERFACE_ADD wotest3\t\tnosuchdriver')).toBe('FAIL\n');
    expect(await g.req('INTERFACE_ADD wotest3\t\t\t\t\t\tbogus')).toBe('FAIL\n');
    expect(await g.req('INTERFACES')).toBe('lo\nwotest1\n');
    expect(await g.req('INTERFACES ctrl')).toBe(`lo ctrl_iface=${dir}/run\nwotest1 ctrl_iface=${dir}/run\n`);
    expect(await g.req('STATUS')).toMatch(/^wifi_display=1\nifname=lo\naddress=.*\nifname=wotest1\naddress=.*\n$/);
    expect(fs.existsSync(`${dir}/run/lo`)).toBe(true);
    expect(await g.req('INTERFACE_REMOVE lo')).toBe('OK\n');
    expect(fs.existsSync(`${dir}/run/lo`)).toBe(false);
    expect(await g.req('INTERFACE_REMOVE lo')).toBe('FAIL\n');
    expect(await g.req('SET foo 1')).toBe('FAIL\n');
    expect(await g.req('SET wifi_display 0')).toBe('OK\n');
    expect(await g.req('STATUS')).toMatch(/^wifi_display=0\n/);
  });

  it('TERMINATE answers OK, then stops everything', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    const d = await run(['-i', 'wotest1', '-c', conf, '-g', `${dir}/global`]);
    const g = client(`${dir}/global`, dir, 'g');
    expect(await g.req('TERMINATE')).toBe('OK\n');
    expect(await d.exited).toBe(0);
    expect(fs.existsSync(`${dir}/global`)).toBe(false);
  });
});

describe('process', () => {
  it('reports a bad settings file clearly and exits', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    fs.writeFileSync(`${dir}/s.ini`, '[offload]\nofload_wait_ms = 5\n');
    const d = startDaemon(['-i', 'wotest1', '-c', conf, '--settings', `${dir}/s.ini`]);
    expect(await d.exited).toBe(255);
    expect(d.output).toContain("[offload] unknown key 'ofload_wait_ms'");
  });

  it('finds the scenario of the shipped settings file when started from /', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    const d = startDaemon(['-i', 'wotest1', '-c', conf, '--settings', path.resolve('conf/wpa-offloadd.ini')], {}, '/');
    cleanups.push(() => d.stop());
    await d.ready();
    const c = client(`${dir}/run/wotest1`, dir, 'c');
    expect(await c.req('ATTACH')).toBe('OK\n');
    expect(await c.req('SCAN')).toBe('OK\n');
    await c.waitEvent(/CTRL-EVENT-SCAN-RESULTS/);
    expect(await c.req('SCAN_RESULTS')).toContain('wpa-offload-demo');
  });

  it('sends READY=1 and STOPPING=1 to $NOTIFY_SOCKET', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    const got: string[] = [];
    const notify = createDgramSocket();
    notify.on('message', (m: Buffer) => got.push(m.toString()));
    notify.bind(`${dir}/notify`);
    cleanups.push(() => notify.close());
    const d = await run(['-i', 'wotest1', '-c', conf], { NOTIFY_SOCKET: `${dir}/notify` });
    // READY=1 is sent right after the start-up line; wait for the datagram, not for a time.
    while (got.length === 0) await new Promise((r) => setImmediate(r));
    expect(got[0]).toBe(`READY=1\nMAINPID=${d.proc.pid}`);
    d.proc.kill('SIGTERM');
    await d.exited;
    expect(got).toContain('STOPPING=1');
  });

  it('-B returns once the sockets are up and leaves the daemon running', async () => {
    const { dir, conf } = setup((d) => `ctrl_interface=${d}/run\n`);
    const r = spawnSync(MAIN, ['-B', '-i', 'wotest1', '-c', conf, '-P', `${dir}/pid`]);
    expect(r.status).toBe(0);
    const pid = Number(fs.readFileSync(`${dir}/pid`, 'utf8'));
    cleanups.push(() => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });
    const c = client(`${dir}/run/wotest1`, dir, 'c');
    expect(await c.req('PING')).toBe('PONG\n');
    expect(await c.req('TERMINATE')).toBe('OK\n');
  });

  /** A scratch directory for unit copies, or undefined (a skip) without systemd-analyze; under CI its absence fails. */
  function unitDir(): string | undefined {
    if (spawnSync('systemd-analyze', ['--version']).error) {
      if (process.env.CI === 'true') throw new Error('systemd-analyze is missing');
      return undefined;
    }
    const dir = tempDir('unit');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('the systemd unit passes systemd-analyze verify (and a broken copy does not)', () => {
    const dir = unitDir();
    if (dir === undefined) return;
    const unit = fs
      .readFileSync(path.resolve('systemd/wpa-offloadd@.service'), 'utf8')
      .replace(/^ExecStart=\/usr\/bin\/wpa-offloadd/m, `ExecStart=${MAIN}`);
    fs.writeFileSync(path.join(dir, 'wpa-offloadd@lo.service'), unit);
    const ok = spawnSync('systemd-analyze', ['verify', path.join(dir, 'wpa-offloadd@lo.service')], { encoding: 'utf8' });
    expect(ok.stderr + ok.stdout).toBe('');
    expect(ok.status).toBe(0);
    fs.writeFileSync(path.join(dir, 'wpa-offloadd@lo.service'), unit.replace('Type=notify', 'Type=notifyy'));
    const bad = spawnSync('systemd-analyze', ['verify', path.join(dir, 'wpa-offloadd@lo.service')], { encoding: 'utf8' });
    expect(bad.stderr + bad.stdout).not.toBe('');
  });

  it('the systemd unit scores under 3.0 in systemd-analyze security and allows no Internet or packet sockets', () => {
    const dir = unitDir();
    if (dir === undefined) return;
    const unit = path.join(dir, 'wpa-offloadd@wlan0.service');
    fs.copyFileSync(path.resolve('systemd/wpa-offloadd@.service'), unit);
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', unit], { encoding: 'utf8' });
    const score = /Overall exposure level for wpa-offloadd@wlan0\.service: (\d+\.\d)/.exec(r.stdout);
    expect(score, r.stdout + r.stderr).not.toBeNull();
    expect(Number(score![1])).toBeLessThan(3.0);
    expect(r.stdout).toMatch(/✓ RestrictAddressFamilies=~AF_\(INET\|INET6\)/);
    expect(r.stdout).toMatch(/✓ RestrictAddressFamilies=~AF_PACKET/);
    // Only what it needs: no ProtectSystem=strict path it must write to is left read-only.
    const text = fs.readFileSync(unit, 'utf8');
    expect(text).toMatch(/^StateDirectory=wpa-offloadd$/m);
    expect(text).toMatch(/^LogsDirectory=wpa-offloadd$/m);
    expect(text).toMatch(/^CapabilityBoundingSet=CAP_NET_ADMIN$/m);
    expect(text).not.toMatch(/^BindsTo=/m);
  });
});
