/**
 * A reconfiguration whose ctrl_interface cannot be opened (GROUP= a group
 * that does not exist) changes nothing: the running socket keeps serving the
 * running configuration, the daemon says why and keeps running. Before, the
 * old socket was closed first, the new one failed, and the process ended with
 * status 0, which systemd's Restart=on-failure does not restart.
 * RECONFIGURE and SIGHUP, a new directory and the same one.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { exitedWithin, TestEnv, uniqueIfname, type RunningDaemon } from '../harness/index.js';

let env: TestEnv;
afterEach(() => env.cleanup());

const NO_SUCH_GROUP = 'wpo-no-such-group';
const network = (ssid: string): string => `network={\n\tssid="${ssid}"\n\tkey_mgmt=NONE\n\tdisabled=1\n}\n`;
const LIST_HEADER = 'network id / ssid / bssid / flags\n';

async function start(): Promise<{ d: RunningDaemon; conf: string; ctrlDir: string }> {
  env = new TestEnv();
  const ctrlDir = env.path('run');
  const conf = env.writeConf('w.conf', `ctrl_interface=${ctrlDir}\n${network('old')}`);
  const d = await env.startDaemon({ ifname: uniqueIfname(), conf, ctrlDir, extraArgs: ['-d'] });
  return { d, conf, ctrlDir };
}

async function until(d: RunningDaemon, re: RegExp, count = 1): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((d.proc.output.match(new RegExp(re.source, 'g')) ?? []).length < count) {
    if (d.proc.exitStatus) throw new Error(`daemon exited ${JSON.stringify(d.proc.exitStatus)}:\n${d.proc.output}`);
    if (Date.now() > deadline) throw new Error(`no ${re} in:\n${d.proc.output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Trigger = 'RECONFIGURE' | 'SIGHUP';

/** Makes the daemon re-read its file; for RECONFIGURE, the reply. */
async function reconfigure(how: Trigger, d: RunningDaemon): Promise<string | undefined> {
  if (how === 'SIGHUP') {
    d.proc.kill('SIGHUP');
    await until(d, /Signal 1 received - reconfiguring/);
    return undefined;
  }
  const c = await env.client(d.ctrlPath);
  return (await c.request('RECONFIGURE', 10_000)).toString();
}

describe('a reconfiguration with an unusable ctrl_interface keeps the running one', () => {
  for (const how of ['RECONFIGURE', 'SIGHUP'] as const) {
    for (const where of ['in another directory', 'in the same directory'] as const) {
      it(`${how}, GROUP= a group that does not exist, ${where}`, async () => {
        const { d, conf, ctrlDir } = await start();
        const dir = where === 'in the same directory' ? ctrlDir : env.path('elsewhere');
        writeFileSync(conf, `ctrl_interface=DIR=${dir} GROUP=${NO_SUCH_GROUP}\n${network('new')}`);

        const reply = await reconfigure(how, d);
        if (how === 'RECONFIGURE') expect(reply).toBe('FAIL\n');
        await until(d, /keeping the running configuration/);
        expect(d.proc.output).toContain(`CTRL: Invalid group '${NO_SUCH_GROUP}'`);

        expect(d.proc.exitStatus, 'still running').toBeUndefined();
        const c = await env.client(d.ctrlPath);
        expect((await c.request('PING', 5000)).toString()).toBe('PONG\n');
        expect((await c.request('LIST_NETWORKS', 5000)).toString()).toBe(`${LIST_HEADER}0\told\tany\t[DISABLED]\n`);
        expect((await c.request('INTERFACES ctrl', 5000)).toString()).toBe(`${d.opts.ifname} ctrl_iface=${ctrlDir}\n`);

        // A usable one afterwards moves the socket: the new one is there, the old one gone.
        const moved = env.path('moved');
        writeFileSync(conf, `ctrl_interface=${moved}\n${network('new')}`);
        // RECONFIGURE gets no reply then, as from 2.10: the socket it came in on is gone.
        if (how === 'SIGHUP') d.proc.kill('SIGHUP');
        else await c.sendOnly(Buffer.from('RECONFIGURE'));
        const newPath = `${moved}/${d.opts.ifname}`;
        await until(d, /Reconfiguration completed/);
        const n = await env.client(newPath);
        expect((await n.request('LIST_NETWORKS', 5000)).toString()).toBe(`${LIST_HEADER}0\tnew\tany\t[DISABLED]\n`);
        expect(existsSync(d.ctrlPath)).toBe(false);

        d.proc.kill('SIGTERM');
        expect(await exitedWithin(d.proc, 10_000)).toEqual({ code: 0, signal: null });
      });
    }
  }
});

describe('the daemon ends only when told to', () => {
  it('a configuration without ctrl_interface leaves it running: SIGHUP brings the socket back, SIGTERM ends it with 0', async () => {
    const { d, conf, ctrlDir } = await start();
    writeFileSync(conf, network('new'));
    d.proc.kill('SIGHUP');
    await until(d, /Reconfiguration completed/);
    expect(existsSync(d.ctrlPath)).toBe(false);

    writeFileSync(conf, `ctrl_interface=${ctrlDir}\n${network('again')}`);
    d.proc.kill('SIGHUP');
    await until(d, /Reconfiguration completed/, 2);
    const c = await env.client(d.ctrlPath);
    expect((await c.request('LIST_NETWORKS', 5000)).toString()).toBe(`${LIST_HEADER}0\tagain\tany\t[DISABLED]\n`);

    d.proc.kill('SIGTERM');
    expect(await exitedWithin(d.proc, 10_000)).toEqual({ code: 0, signal: null });
  });
});
