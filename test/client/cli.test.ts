/**
 * wpa-offload-cli: its pieces (command matching, completion, line splitting,
 * the action state machine) and the built tool itself against the real
 * wpa_supplicant and wpa-offloadd, with the real wpa_cli's output as the
 * expected output where both tools do the same thing.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionState } from '../../src/client/action.js';
import { hasSensitiveData, lookup, splitLine } from '../../src/client/commands.js';
import { CompletionState } from '../../src/client/completion.js';
import {
  IP,
  ManagedProcess,
  TestEnv,
  WPA_CLI,
  WPA_SUPPLICANT,
  ctrlConf,
  monitorAttached,
  requireRoot,
  requireTools,
  type RunningDaemon,
} from '../harness/index.js';

describe('command table', () => {
  it('exact names, unique prefixes, any case; unknown and ambiguous words', () => {
    expect(lookup('STATUS')).toMatchObject({ kind: 'found', command: { name: 'status' } });
    expect(lookup('list_n')).toMatchObject({ kind: 'found', command: { name: 'list_networks' } });
    expect(lookup('bogus')).toEqual({ kind: 'unknown' });
    const amb = lookup('s');
    expect(amb.kind).toBe('ambiguous');
  });

  it('builds requests as wpa_cli does', () => {
    const build = (line: string): string => {
      const [w, ...a] = splitLine(line);
      const l = lookup(w!);
      if (l.kind !== 'found') throw new Error(line);
      return l.command.build!(a);
    };
    expect(build('status verbose')).toBe('STATUS-VERBOSE');
    expect(build('set_network 0 ssid "a b c"')).toBe('SET_NETWORK 0 ssid "a b c"');
    expect(build('set country')).toBe('SET country ');
    expect(build('interface_add wlan1 /etc/w.conf')).toBe('INTERFACE_ADD wlan1\t/etc/w.conf\t\t\t\t');
    expect(build('raw PING')).toBe('PING');
  });

  it('completes command names, and nothing after a command that takes no completable argument', () => {
    const c = new CompletionState();
    expect(c.complete('list_')).toEqual([['list_networks'], 'list_']);
    expect(c.complete('get_')[0]).toEqual(['get_network', 'get_capability']);
    expect(c.complete('status ')[0]).toEqual([]);
    expect(c.complete('help sel')).toEqual([['select_network'], 'sel']);
  });

  it('completes network ids, network field names and BSSIDs as wpa_cli (issue point 20)', () => {
    const c = new CompletionState();
    c.setNetworks('network id / ssid / bssid / flags\n0\thome\tany\t[CURRENT]\n2\twork\tany\t\n10\tlab\tany\t[DISABLED]\n');
    c.setBsses('id=3\nbssid=02:00:00:00:01:01\nid=4\nbssid=02:00:00:00:02:02\n');
    // *_network commands: the first argument is a network id.
    expect(c.complete('select_network ')).toEqual([['0', '2', '10'], '']);
    expect(c.complete('enable_network 1')).toEqual([['10'], '1']);
    expect(c.complete('remove_network 0 ')[0]).toEqual([]);
    expect(c.complete('bssid ')[0]).toEqual(['0', '2', '10']);
    // set_network / get_network: id, then the field name; nothing for the value.
    expect(c.complete('set_network ')[0]).toEqual(['0', '2', '10']);
    expect(c.complete('set_network 0 ps')).toEqual([['psk'], 'ps']);
    expect(c.complete('get_network 2 key_')[0]).toEqual(['key_mgmt']);
    expect(c.complete('set_network 0 ssid "x')[0]).toEqual([]);
    // bss: a BSSID from the BSS list.
    expect(c.complete('bss 02:00:00:00:0')).toEqual([['02:00:00:00:01:01', '02:00:00:00:02:02'], '02:00:00:00:0']);
    // Events keep the lists current.
    c.onEvent('CTRL-EVENT-NETWORK-ADDED 11');
    c.onEvent('CTRL-EVENT-NETWORK-REMOVED 0');
    c.onEvent('CTRL-EVENT-BSS-REMOVED 3 02:00:00:00:01:01');
    c.onEvent('CTRL-EVENT-BSS-ADDED 5 02:00:00:00:03:03');
    expect(c.complete('disable_network ')[0]).toEqual(['2', '10', '11']);
    expect(c.complete('bss ')[0]).toEqual(['02:00:00:00:02:02', '02:00:00:00:03:03']);
  });

  it('splits on spaces, a quoted word runs to the last quote', () => {
    expect(splitLine('  set_network  0 ssid "my net"  ')).toEqual(['set_network', '0', 'ssid', '"my net"']);
    expect(splitLine('note "a" b "c"')).toEqual(['note', '"a" b "c"']);
  });

  it('keeps secrets out of the saved history', () => {
    expect(hasSensitiveData('set_network 0 psk "secret12"')).toBe(true);
    expect(hasSensitiveData('set_network 0 sae_password "x"')).toBe(true);
    expect(hasSensitiveData('set_network 0 ssid "x"')).toBe(false);
  });
});

describe('action state (wpa_cli_action_process)', () => {
  it('CONNECTED with id and id_str, not repeated for the same id, DISCONNECTED once', () => {
    const a = new ActionState('wlan0', '/run/w');
    const conn = 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:01 completed [id=3 id_str=home]';
    expect(a.onEvent(conn)).toEqual({
      args: ['wlan0', 'CONNECTED'],
      env: { WPA_ID: '3', WPA_ID_STR: 'home', WPA_CTRL_DIR: '/run/w' },
    });
    expect(a.onEvent(conn)).toBeUndefined();
    const disc = 'CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:01 reason=3 locally_generated=1';
    expect(a.onEvent(disc)).toEqual({ args: ['wlan0', 'DISCONNECTED'], env: { WPA_ID: '3', WPA_ID_STR: 'home', WPA_CTRL_DIR: '/run/w' } });
    expect(a.onEvent(disc)).toBeUndefined();
    expect(a.onEvent(conn.replace('id=3', 'id=4'))?.args).toEqual(['wlan0', 'CONNECTED']);
  });

  it('the state starts unknown: a first DISCONNECTED runs the script', () => {
    expect(new ActionState('wlan0', '/d').onEvent('CTRL-EVENT-DISCONNECTED bssid=x reason=1')?.args).toEqual(['wlan0', 'DISCONNECTED']);
  });

  it('other events run nothing', () => {
    expect(new ActionState('wlan0', '/d').onEvent('CTRL-EVENT-NETWORK-ADDED 0')).toBeUndefined();
  });
});

const CLI_JS = resolve(process.cwd(), 'dist/src/client/cli.js');
const available = (): boolean => requireTools(WPA_SUPPLICANT, WPA_CLI, IP) && requireRoot();

interface Run {
  stdout: string;
  code: number;
}

function run(cmd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((res) => {
    const child = execFile(cmd, args, { timeout: 15_000, encoding: 'latin1', env: env ?? process.env }, (err, stdout) => {
      res({ stdout, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0 });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const ourCli = (args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Run> => run(process.execPath, [CLI_JS, ...args], input, env);

describe.skipIf(!available())('wpa-offload-cli against wpa_supplicant 2.10 and wpa-offloadd', () => {
  const env = new TestEnv();
  const daemons: Record<string, RunningDaemon> = {};

  beforeAll(async () => {
    if (!existsSync(CLI_JS)) throw new Error(`${CLI_JS} is missing: build first (npx tsc -p .)`);
    const veth = env.veth();
    for (const tag of ['wpa_supplicant', 'wpa-offloadd'] as const) {
      const ctrlDir = env.path(`${tag}-ctl`);
      const conf = env.writeConf(`${tag}.conf`, ctrlConf(ctrlDir));
      // The reference at -d: it says when a monitor has attached (the -a test waits for that).
      const opts = { ifname: veth.name, conf, ctrlDir, global: env.path(`${tag}-g`), ...(tag === 'wpa_supplicant' ? { extraArgs: ['-d'] } : {}) };
      daemons[tag] = tag === 'wpa_supplicant' ? await env.startReference(opts) : await env.startDaemon(opts);
    }
  });
  afterAll(() => env.cleanup());

  describe.each(['wpa_supplicant', 'wpa-offloadd'])('%s', (tag) => {
    const d = (): RunningDaemon => daemons[tag]!;
    const base = (): string[] => ['-p', d().opts.ctrlDir, '-i', d().opts.ifname];

    it.each([
      [['ping']],
      [['status']],
      [['ifname']],
      [['set_network', '0', 'ssid', '"cli test"']],
      [['get_network', '0', 'ssid']],
      [['list_networks']],
      [['get_network', '9', 'ssid']],
      [['bogus_command']],
      [['remove_network', 'all']],
    ])('one-shot %j prints what wpa_cli prints, same exit status', async (cmd) => {
      const theirs = await run(WPA_CLI, [...base(), ...cmd]);
      const ours = await ourCli([...base(), ...cmd]);
      expect(JSON.stringify(ours.stdout)).toBe(JSON.stringify(theirs.stdout));
      expect(ours.code).toBe(theirs.code);
    });

    it('one-shot add_network prints the next id, as wpa_cli', async () => {
      const theirs = await run(WPA_CLI, [...base(), 'add_network']);
      const ours = await ourCli([...base(), 'add_network']);
      expect(theirs.stdout).toMatch(/^\d+\n$/);
      expect(ours.stdout).toBe(`${Number(theirs.stdout) + 1}\n`);
    });

    it('-g GLOBAL -i IFNAME routes with IFNAME=', async () => {
      const r = await ourCli(['-g', d().globalPath!, '-i', d().opts.ifname, 'ifname']);
      expect(r.stdout).toBe(d().opts.ifname);
    });

    it('unreachable interface: exit status 255', async () => {
      const r = await ourCli(['-p', d().opts.ctrlDir, '-i', 'nosuchif0', 'ping']);
      expect(r.code).toBe(255);
    });

    it('interactive through a pipe: replies, events, history without secrets', async () => {
      const home = env.path(`home-${tag}`);
      await run('/bin/mkdir', ['-p', home]);
      const input = ['ping', 'add_network', 'set_network 0 psk "12345678"', 'list_networks', 'remove_network all', 'quit', ''].join('\n');
      const r = await ourCli(base(), input, { ...process.env, HOME: home });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('PONG\n');
      expect(r.stdout).toContain('network id / ssid / bssid / flags\n');
      expect(r.stdout).toMatch(/<3>CTRL-EVENT-NETWORK-ADDED \d+/);
      const hist = readFileSync(`${home}/.wpa-offload-cli_history`, 'utf8');
      expect(hist).toContain('list_networks\n');
      expect(hist).not.toContain('12345678');
    });
  });

  it.each(['wpa_supplicant', 'wpa-offloadd'])('%s: interactive prints a command\'s events after its reply, as wpa_cli (issue point 20)', async (tag) => {
    const d = daemons[tag]!;
    const home = env.path(`home-order-${tag}`);
    await run('/bin/mkdir', ['-p', home]);
    const input = ['add_network', 'add_network', 'add_network', 'add_network', 'remove_network all', 'quit', ''].join('\n');
    const r = await ourCli(['-p', d.opts.ctrlDir, '-i', d.opts.ifname], input, { ...process.env, HOME: home });
    expect(r.code).toBe(0);
    const out = r.stdout;
    // Each add_network: its id, then its NETWORK-ADDED event; remove_network all: OK, then the REMOVED events.
    const ids = [...out.matchAll(/<3>CTRL-EVENT-NETWORK-ADDED (\d+)/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(4);
    for (const id of ids) {
      const reply = out.search(new RegExp(`(^|[> ])${id}\n`, 'm'));
      expect(reply).toBeGreaterThanOrEqual(0);
      expect(reply).toBeLessThan(out.indexOf(`<3>CTRL-EVENT-NETWORK-ADDED ${id}`));
    }
    const ok = out.indexOf('OK\n');
    const removed = [...out.matchAll(/<3>CTRL-EVENT-NETWORK-REMOVED \d+/g)].map((m) => m.index);
    expect(removed.length).toBeGreaterThanOrEqual(4); // and any network earlier tests left
    for (const at of removed) expect(ok).toBeLessThan(at);
  });

  it('-a against the reference: CONNECTED (wired associates at once), DISCONNECTED, then TERMINATING ends it', async () => {
    const d = daemons['wpa_supplicant']!;
    const log = env.path('ref-action.log');
    const script = env.writeConf('ref-action.sh', `#!/bin/sh\necho "$1 $2 $WPA_ID $WPA_ID_STR $WPA_CTRL_DIR" >> ${log}\n`);
    chmodSync(script, 0o755);
    const cli = new ManagedProcess('wpa-offload-cli -a', process.execPath, [CLI_JS, '-p', d.opts.ctrlDir, '-i', d.opts.ifname, '-a', script], env.cleanupSteps);
    const c = await env.client(d.ctrlPath);
    // Attached, not only its socket bound: the wired connection's CONNECTED follows ENABLE_NETWORK at once.
    await until(() => monitorAttached(d, cli.pid));
    await c.request('PING');
    const id = (await c.request('ADD_NETWORK')).toString().trim();
    for (const cmd of [`SET_NETWORK ${id} key_mgmt NONE`, `SET_NETWORK ${id} id_str "lab"`, `ENABLE_NETWORK ${id}`]) {
      expect((await c.request(cmd)).toString()).toBe('OK\n');
    }
    const read = (): string => (existsSync(log) ? readFileSync(log, 'utf8') : '');
    await until(() => read().includes('CONNECTED'));
    await c.request('DISCONNECT');
    await until(() => read().includes('DISCONNECTED'));
    expect(read()).toBe(`${d.opts.ifname} CONNECTED ${id} lab ${d.opts.ctrlDir}\n${d.opts.ifname} DISCONNECTED ${id} lab ${d.opts.ctrlDir}\n`);
    await c.request(`REMOVE_NETWORK ${id}`);
  });

  async function until(cond: () => boolean): Promise<void> {
    const end = Date.now() + 10_000;
    while (!cond()) {
      if (Date.now() > end) throw new Error('condition not reached within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
});
