/**
 * The README's wpa_cli recipes, exactly as written there, run in order with
 * the real wpa_cli against a daemon started with `npm start`'s arguments
 * (package.json), each checked for what its comment says. Only the control
 * socket directory moves (-C) so a running `npm start` is not disturbed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { CtrlClient, type Daemon, startDaemon, tempDir } from './harness.js';

const run = promisify(execFile);

/** The recipe lines of the README's "wpa_cli recipes" block, comments kept (the shell drops them). */
function readmeRecipes(): { define: string; lines: string[] } {
  const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### wpa_cli recipes'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const all = block.split('\n').filter((l) => l.trim() !== '' && !/^\s+#/.test(l));
  return { define: all[0]!, lines: all.slice(1) };
}

/** `npm start`'s daemon command line and the copy it makes of the configuration. */
function npmStart(): { args: string[]; copyFrom: string; copyTo: string } {
  const pkg = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: { start: string } };
  const steps = pkg.scripts.start.split('&&').map((s) => s.trim().split(/\s+/));
  const daemon = steps.find((s) => s.includes('dist/bundle/wpa-offloadd'))!;
  const args = daemon.slice(daemon.indexOf('dist/bundle/wpa-offloadd') + 1);
  const install = steps.find((s) => s[0] === 'install') ?? [];
  return { args, copyFrom: install.at(-2) ?? '', copyTo: install.at(-1) ?? '' };
}

const have = requireTool(WPA_CLI);

describe.skipIf(!have)('README wpa_cli recipes on npm start', () => {
  const { define, lines } = readmeRecipes();
  const start = npmStart();
  let dir: string;
  let ctrl: string;
  let conf: string;
  let tracked: Buffer;
  let daemon: Daemon;
  let mon: CtrlClient;
  let step = 0;
  let since = 0;

  /** Runs the next README line through the shell, as a reader would paste it. */
  async function next(expected: string): Promise<string> {
    const line = lines[step++];
    expect(line?.replace(/\s+#.*$/, '')).toBe(expected);
    since = mon.events.length;
    const { stdout } = await run('sh', ['-c', `C="${WPA_CLI} -p ${ctrl} -i wlan0"\n${line}`]);
    return stdout;
  }

  /** The first event matching `re` since the current line ran. */
  async function event(re: RegExp, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = mon.events.slice(since).find((e) => re.test(e));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no event ${re}; got ${JSON.stringify(mon.events.slice(since))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const status = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await mon.req('OFFLOAD_STATUS')).trim().split('\n').map((l) => l.split('=', 2) as [string, string]));

  beforeAll(async () => {
    // npm start runs on a copy: SAVE_CONFIG must not rewrite the tracked file.
    expect(start.copyFrom).toBe('conf/wpa_supplicant.conf');
    expect(start.args[start.args.indexOf('-c') + 1]).toBe(start.copyTo);
    expect(start.copyTo.startsWith('run/')).toBe(true);
    tracked = fs.readFileSync(path.resolve(start.copyFrom));
    // The README's C= names the configuration's socket directory.
    const ctrlInterface = /^ctrl_interface=(.*)$/m.exec(tracked.toString())![1]!;
    expect(define).toBe(`C="wpa_cli -p ${ctrlInterface} -i wlan0"`);

    dir = tempDir('recipes');
    ctrl = path.join(dir, 'ctrl');
    conf = path.join(dir, start.copyTo);
    fs.mkdirSync(path.dirname(conf), { recursive: true });
    fs.copyFileSync(path.resolve(start.copyFrom), conf);
    const args = start.args.map((a) => (a === start.copyTo ? conf : a));
    daemon = startDaemon([...args, '-C', ctrl]);
    await daemon.ready();
    mon = new CtrlClient(path.join(ctrl, 'wlan0'), path.join(dir, 'mon'));
    expect(await mon.req('ATTACH')).toBe('OK\n');
    since = 0;
    await event(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:01/);
  });

  afterAll(async () => {
    mon?.close();
    await daemon?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scan, scan_results: both APs of the ESS and the other networks', async () => {
    const out = await next('$C scan && $C scan_results');
    expect(out).toMatch(/^OK\n/);
    for (const bssid of ['02:00:00:00:01:01', '02:00:00:00:01:02', '02:00:00:00:02:01', '02:00:00:00:03:01']) expect(out).toContain(bssid);
    await event(/CTRL-EVENT-SCAN-RESULTS/);
  });

  it('list_networks: network 0 is current', async () => {
    expect(await next('$C list_networks')).toContain('0\twpa-offload-demo\tany\t[CURRENT]');
  });

  it('roam: the host moves to the other AP', async () => {
    expect(await next('$C roam 02:00:00:00:01:02')).toBe('OK\n');
    await event(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:02/);
  });

  it('SIM_GTK_REKEY host: the host answers the group rekey', async () => {
    expect(await next('$C raw "DRIVER SIM_GTK_REKEY host"')).toBe('OK\n');
    await event(/WPA: Group rekeying completed with 02:00:00:00:01:02/);
  });

  it("SIM_GTK_REKEY fw: the firmware answers, the host's replay counter follows", async () => {
    const before = await status();
    expect(await next('$C raw "DRIVER SIM_GTK_REKEY fw"')).toBe('OK\n');
    for (;;) {
      const s = await status();
      if (s.host_replay_ctr !== before.host_replay_ctr) {
        expect(s.host_replay_ctr).toBe(s.fw_replay_ctr);
        expect(s.in_sync).toBe('1');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('SIM_PTK_REKEY: a new 4-way handshake, run by the host', async () => {
    expect(await next('$C raw "DRIVER SIM_PTK_REKEY"')).toBe('OK\n');
    await event(/OFFLOAD-KEY-OWNER bssid=02:00:00:00:01:02 owner=host completion=host-reclaimed/);
    await event(/WPA: Key negotiation completed with 02:00:00:00:01:02/);
  });

  it('SIM_SIGNAL on the current AP: the firmware roams back on its own', async () => {
    expect(await next('$C raw "DRIVER SIM_SIGNAL 02:00:00:00:01:02 -85"')).toBe('OK\n');
    await event(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:01/);
  });

  it('SIM_FW_MODE silent, then SIM_FW_RESTART: resync, reconnect, the host runs the handshake', async () => {
    expect(await next('$C raw "DRIVER SIM_FW_MODE silent"')).toBe('OK\n');
    expect(await next('$C raw "DRIVER SIM_FW_RESTART"')).toBe('OK\n');
    await event(/CTRL-EVENT-DISCONNECTED/);
    await event(/OFFLOAD-KEY-OWNER bssid=\S+ owner=host completion=host-after-firmware-silence/);
    await event(/CTRL-EVENT-CONNECTED/);
  });

  it('OFFLOAD_STATUS: the host holds the keys, in sync', async () => {
    const out = await next('$C raw OFFLOAD_STATUS');
    expect(out).toContain('key_owner=host\n');
    expect(out).toContain('in_sync=1\n');
  });

  it("save_config writes npm start's copy and leaves the tracked file alone", async () => {
    const copy = fs.readFileSync(conf);
    expect(await next('$C save_config')).toBe('OK\n');
    expect(fs.readFileSync(conf).equals(copy)).toBe(false);
    expect(fs.readFileSync(conf, 'utf8')).toContain('ssid="wpa-offload-demo"');
    expect(fs.readFileSync(path.resolve(start.copyFrom)).equals(tracked)).toBe(true);
  });

  it('a wrong passphrase ends in WRONG_KEY and temporary disabling', async () => {
    expect(await next(`$C set_network 0 psk '"wrong passphrase"' && $C reassociate`)).toBe('OK\nOK\n');
    await event(/CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="wpa-offload-demo" auth_failures=1 duration=\d+ reason=WRONG_KEY/, 20_000);
  }, 30_000);

  it('the right passphrase connects again', async () => {
    expect(await next(`$C set_network 0 psk '"correct horse battery"' && $C select_network 0`)).toBe('OK\nOK\n');
    await event(/CTRL-EVENT-CONNECTED/);
    expect(lines.length).toBe(step);
  });
});
