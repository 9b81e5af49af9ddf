/**
 * What the start-up snapshot leaves for first use (scripts/bundle.mjs's
 * builtinsAtFirstUse, first-use-chunks.mjs): a daemon started from the blob answers
 * its first PING with none of node:crypto, node:fs/promises and node:net
 * loaded, each of which the blob would otherwise hold and deserialize at
 * every start; the simulator's connection then loads node:crypto, and the
 * ext backend's node:net stays out. The daemon's loaded built-ins are read
 * from inside it: a --require'd probe writes process.moduleLoadList on
 * SIGUSR2 (which the daemon does not use).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { until } from '../driver/helpers.js';
import { Cleanup, ManagedProcess, waitForCtrl } from '../harness/index.js';
import { daemonEntry } from '../harness/processes.js';

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

/** The built-in modules the daemon has loaded, as `NativeModule x` ids. */
async function loadedBuiltins(proc: ManagedProcess, out: string): Promise<string[]> {
  fs.rmSync(out, { force: true });
  process.kill(proc.pid!, 'SIGUSR2');
  await until(() => fs.existsSync(out), 'the probe');
  return fs
    .readFileSync(out, 'utf8')
    .split('\n')
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
}

describe('the start-up snapshot', () => {
  it('answers the first PING without node:crypto, node:fs/promises or node:net, and loads crypto when a connection needs it', async () => {
    const dir = cleanup.tempDir('wpo-snapshot-');
    const probe = path.join(dir, 'probe.cjs');
    const out = path.join(dir, 'modules');
    fs.writeFileSync(probe, `process.on('SIGUSR2', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));\n`);
    const conf = path.join(dir, 'w.conf');
    // No network yet: one with a passphrase would have the daemon derive its PSK at once.
    fs.writeFileSync(conf, `ctrl_interface=${dir}/ctrl\n`, { mode: 0o600 });
    const proc = new ManagedProcess('wpa-offloadd', daemonEntry(), ['-i', 'wosnap0', '-c', conf, '-D', 'sim', '-p', `scenario=${path.resolve('conf/sim.ini')}`], cleanup, {
      ...process.env,
      NODE_OPTIONS: `--require ${probe}`,
    });
    const ctrlPath = path.join(dir, 'ctrl', 'wosnap0');
    await waitForCtrl(proc, ctrlPath);
    expect(fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0')).toContain('--snapshot-blob');
    const atStart = await loadedBuiltins(proc, out);
    expect(atStart).toContain('fs'); // the probe's reading works
    expect(atStart.filter((m) => ['crypto', 'fs/promises', 'net'].includes(m))).toEqual([]);

    const ctrl = await WpaCtrl.open(ctrlPath);
    try {
      for (const cmd of ['ADD_NETWORK', 'SET_NETWORK 0 ssid "wpa-offload-demo"', 'SET_NETWORK 0 psk "correct horse battery"', 'SELECT_NETWORK 0']) {
        expect((await ctrl.request(cmd)).toString()).toMatch(/^(0|OK)\n$/);
      }
    } finally {
      ctrl.close();
    }
    await until(() => proc.output.includes('CTRL-EVENT-CONNECTED'), 'CTRL-EVENT-CONNECTED');
    const connected = await loadedBuiltins(proc, out);
    expect(connected).toContain('crypto');
    expect(connected).not.toContain('net');
    await proc.stop();
  });
});
