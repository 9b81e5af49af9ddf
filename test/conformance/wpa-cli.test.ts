/**
 * The real /usr/sbin/wpa_cli drives wpa-offloadd: one-shot commands and
 * interactive mode through a pipe, with the same invocation against the
 * reference wpa_supplicant as the expected output; and `wpa_cli -a SCRIPT`
 * receiving events from wpa-offloadd.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IP, ManagedProcess, TestEnv, WPA_CLI, WPA_SUPPLICANT, ctrlConf, requireRoot, requireTools, monitorAttached, type RunningDaemon } from '../harness/index.js';
import { normaliseReply, type SideContext } from './expected-differences.js';
import { show, type Side } from './pair.js';
import { usePair } from './setup.js';

interface CliResult {
  stdout: string;
  code: number;
}

function wpaCli(args: string[], input?: string): Promise<CliResult> {
  return new Promise((res) => {
    const child = execFile(WPA_CLI, args, { timeout: 15_000, encoding: 'latin1' }, (err, stdout) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      res({ stdout, code });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const available = (): boolean => requireTools(WPA_CLI, WPA_SUPPLICANT, IP) && requireRoot();

/** wpa_cli output of one side, with that side's volatile fields replaced. */
function norm(out: string, ctx: SideContext): string {
  return normaliseReply(Buffer.from(out, 'latin1'), ctx);
}

describe.skipIf(!available())('real wpa_cli against wpa-offloadd (reference output from wpa_supplicant)', () => {
  const { pair } = usePair({ global: true });

  async function sameCli(args: (side: Side) => string[], input?: string): Promise<void> {
    const p = pair();
    const ref = await wpaCli(args(p.ref), input);
    const dut = await wpaCli(args(p.dut), input);
    const label = `wpa_cli ${args(p.dut).join(' ')}`;
    expect(show(norm(dut.stdout, p.dut.ctx)), label).toBe(show(norm(ref.stdout, p.ref.ctx)));
    expect(dut.code, `${label}: exit status`).toBe(ref.code);
  }

  const oneShot = (...cmd: string[]) => (s: Side) => ['-p', s.ctx.ctrlDir, '-i', pair().ifname, ...cmd];

  const ONE_SHOT: string[][] = [
    ['ping'],
    ['status'],
    ['status', 'verbose'],
    ['ifname'],
    ['interfaces'],
    ['list_networks'],
    ['add_network'],
    ['set_network', '0', 'ssid', '"from wpa_cli"'],
    ['set_network', '0', 'psk', '"12345678"'],
    ['get_network', '0', 'ssid'],
    ['get_network', '0', 'psk'],
    ['get_network', '9', 'ssid'],
    ['list_networks'],
    ['disable_network', '0'],
    ['get', 'version'],
    ['set', 'country', 'SE'],
    ['get', 'country'],
    ['log_level'],
    ['note', 'hello'],
    ['mib'],
    // (eap differs by design: CAPABILITY_DIFFERENCES in expected-differences.ts)
    ['get_capability', 'beacon_prot'],
    ['get_capability', 'tdls'],
    ['bogus_command'],
    ['set_network', '0'],
    ['remove_network', 'all'],
    ['list_networks'],
  ];

  it.each(ONE_SHOT.map((c) => [c.join(' '), c]))('one-shot: wpa_cli %s', async (_label, cmd) => {
    await sameCli(oneShot(...(cmd as string[])));
  });

  it('default interface: the first socket in -p DIR', async () => {
    await sameCli((s) => ['-p', s.ctx.ctrlDir, 'ping']);
  });

  it('global socket: -g GLOBAL ping / interfaces', async () => {
    await sameCli((s) => ['-g', s.ctx.globalPath!, 'ping']);
    await sameCli((s) => ['-g', s.ctx.globalPath!, 'interfaces']);
  });

  it('unreachable interface: same message and exit status', async () => {
    await sameCli((s) => ['-p', s.ctx.ctrlDir, '-i', 'nosuchif0', 'ping']);
  });

  it('interactive mode through a pipe: same transcript', async () => {
    const script = [
      'ping',
      'add_network',
      'set_network 0 ssid "piped ssid"',
      'get_network 0 ssid',
      'list_networks',
      'status',
      'bogus',
      'remove_network all',
      'quit',
      '',
    ].join('\n');
    const p = pair();
    const run = async (s: Side): Promise<{ replies: string; events: string[] }> => {
      const r = await wpaCli(['-p', s.ctx.ctrlDir, '-i', p.ifname], script);
      const lines = norm(r.stdout, s.ctx).split('\n');
      // Events come in on wpa_cli's monitor connection and are printed when
      // its event loop gets to them; compare them as a set, replies in order.
      // An event line is the redrawn prompt, \r, then the event: "> \r<3>CTRL-EVENT-...".
      const event = (l: string): string | undefined => /\r(<\d>.*)$/.exec(l)?.[1];
      return {
        replies: lines.filter((l) => event(l) === undefined).join('\n'),
        events: lines.map(event).filter((e): e is string => e !== undefined).sort(),
      };
    };
    const ref = await run(p.ref);
    const dut = await run(p.dut);
    expect(ref.replies).toContain('PONG');
    expect(ref.events).toContain('<3>CTRL-EVENT-NETWORK-ADDED 0');
    expect(show(dut.replies)).toBe(show(ref.replies));
    expect(dut.events).toEqual(ref.events);
  });
});

/**
 * wpa_cli -a: the action script runs with `IFNAME CONNECTED` /
 * `IFNAME DISCONNECTED` and WPA_ID / WPA_ID_STR / WPA_CTRL_DIR.
 */
describe.skipIf(!available())('wpa_cli -a against wpa-offloadd', () => {
  const env = new TestEnv();
  afterAll(() => env.cleanup());

  function actionScript(log: string): string {
    const path = env.writeConf('action.sh', `#!/bin/sh\necho "$1 $2 id=\${WPA_ID-unset} id_str=\${WPA_ID_STR-unset} dir=\${WPA_CTRL_DIR-unset}" >> ${log}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  async function attached(cli: ManagedProcess, d: RunningDaemon): Promise<void> {
    await until('the daemon to take wpa_cli\'s ATTACH', () => monitorAttached(d, cli.pid));
  }

  async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('CTRL-EVENT-TERMINATING ends wpa_cli -a with its message and status 0', async () => {
    const ctrlDir = env.path('term-ctl');
    const conf = env.writeConf('term.conf', ctrlConf(ctrlDir));
    const d = await env.startDaemon({ ifname: 'wpoterm0', conf, ctrlDir, extraArgs: ['-d'] });
    const cli = new ManagedProcess('wpa_cli -a', WPA_CLI, ['-G', '1', '-p', ctrlDir, '-i', 'wpoterm0', '-a', actionScript(env.path('term.log'))], env.cleanupSteps);
    const c = await env.client(d.ctrlPath);
    await attached(cli, d);
    expect((await c.request('TERMINATE', 2000)).toString()).toBe('OK\n');
    const st = await cli.exited;
    expect(cli.output).toContain('wpa_supplicant is terminating - stop monitoring');
    expect(st.code).toBe(0);
  });

  it('a connection and a disconnection run the script with CONNECTED then DISCONNECTED', async () => {
    const ctrlDir = env.path('act-ctl');
    const conf = env.writeConf(
      'act.conf',
      ctrlConf(ctrlDir, 'network={\n\tssid="wpa-offload-demo"\n\tpsk="correct horse battery"\n\tid_str="demo"\n\tdisabled=1\n}\n'),
    );
    const scenario = resolve(process.cwd(), 'conf/sim.ini');
    const d = await env.startDaemon({ ifname: 'wpoact0', conf, ctrlDir, extraArgs: ['-d', '-D', 'sim', '-p', `scenario=${scenario}`] });
    const log = env.path('act.log');
    const cli = new ManagedProcess('wpa_cli -a', WPA_CLI, ['-p', ctrlDir, '-i', 'wpoact0', '-a', actionScript(log)], env.cleanupSteps);
    const c = await env.client(d.ctrlPath);
    await attached(cli, d);
    // Enabled only now, so wpa_cli is listening before the connection completes.
    expect((await c.request('ENABLE_NETWORK 0', 2000)).toString()).toBe('OK\n');
    const read = (): string => (existsSync(log) ? readFileSync(log, 'utf8') : '');
    await until('the CONNECTED action', () => read().includes('CONNECTED'));
    expect(read()).toBe(`wpoact0 CONNECTED id=0 id_str=demo dir=${ctrlDir}\n`);
    expect((await c.request('DISCONNECT', 2000)).toString()).toBe('OK\n');
    await until('the DISCONNECTED action', () => read().includes('DISCONNECTED'));
    expect(read()).toBe(`wpoact0 CONNECTED id=0 id_str=demo dir=${ctrlDir}\nwpoact0 DISCONNECTED id=0 id_str=demo dir=${ctrlDir}\n`);
  });
});
