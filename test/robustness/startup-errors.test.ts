/**
 * What a failed start prints. A second daemon on an interface whose socket a
 * live one holds: the same lines as the real wpa_supplicant 2.10 (run twice
 * with -Dwired on a veth), each once, on stdout, nothing on stderr, status
 * 255. A settings file naming a driver we do not have: the error names the
 * file and the key.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonEntry, requireRoot, requireTools, TestEnv, IP, WPA_SUPPLICANT, uniqueIfname } from '../harness/index.js';

const env = new TestEnv();
afterAll(() => env.cleanup());

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[]): Outcome {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ours = (args: string[]): Outcome => run(daemonEntry(), args);

/** From "ctrl_iface exists" to the blank line that ends the hint, with the ctrl_interface directory as <dir>. */
function inUseReport(stdout: string, dir: string): string[] {
  const lines = stdout.replaceAll(dir, '<dir>').split('\n');
  const from = lines.findIndex((l) => l.startsWith('ctrl_iface exists'));
  const to = lines.indexOf('', from);
  return from < 0 || to < 0 ? [] : lines.slice(from, to + 1);
}

describe.skipIf(!(requireRoot() && requireTools(WPA_SUPPLICANT, IP)))('a second daemon on the same interface, vs wpa_supplicant 2.10', () => {
  it('says that the socket is in use once, then the hint, on stdout only; exit status 255', async () => {
    const veth = env.veth();
    const side = async (tag: string, start: typeof env.startReference, second: (args: string[]) => Outcome) => {
      const ctrlDir = env.path(`${tag}-run`);
      const conf = env.writeConf(`${tag}.conf`, `ctrl_interface=${ctrlDir}\n`);
      await start.call(env, { ifname: veth.name, conf, ctrlDir });
      const out = second(['-i', veth.name, '-c', conf]);
      return { out, report: inUseReport(out.stdout, ctrlDir) };
    };
    const ref = await side('ref', env.startReference, (args) => run(WPA_SUPPLICANT, ['-Dwired', ...args]));
    const dut = await side('dut', env.startDaemon, ours);

    expect(ref.out.status).toBe(255);
    expect(ref.out.stderr).toBe('');
    expect(ref.report[0]).toBe('ctrl_iface exists and seems to be in use - cannot override it');
    expect(ref.report.length).toBeGreaterThan(3);

    expect(dut.out.status).toBe(255);
    expect(dut.out.stderr).toBe('');
    expect(dut.report).toEqual(ref.report);
    expect(dut.out.stdout.split('ctrl_iface exists').length - 1, 'times the daemon says so').toBe(1);
  });
});

describe('settings naming a driver that does not exist', () => {
  it('[driver] backend = wifi: the error names the file and the key; exit status 255', () => {
    const settings = env.writeConf('bad.ini', '[driver]\nbackend = wifi\n');
    const out = ours(['-i', uniqueIfname(), '--settings', settings]);
    expect(out.status).toBe(255);
    expect(out.stderr).toBe(`Invalid settings: ${settings}: [driver] backend = wifi is not one of sim, ext, nl80211, none\n`);
  });
});
