/**
 * ExtDriver against a real wpa-offload-sim process over the wire protocol:
 * the shared driver sequences end to end, the process killed and restarted,
 * and garbage sent straight to the simulator's socket.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanBss } from '../../src/driver/backend.js';
import { ExtDriver } from '../../src/driver/ext.js';
import { SimProcess, SIM_MAIN as MAIN } from '../station/rig.js';
import { driverSequences, testScenario, OWN } from './sequences.js';
import { tmpDir, until } from './helpers.js';

beforeAll(() => {
  // Other parts of the tree may not compile yet; tsc emits anyway.
  spawnSync('npx', ['tsc', '-p', '.'], { cwd: process.cwd(), stdio: 'ignore' });
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} was not built`);
}, 120_000);

/** wpa-offload-sim serving `scenarioText` on `sock`, once it listens (the rig's SimProcess). */
async function startSim(scenarioText: string, sock: string): Promise<ChildProcess> {
  const file = path.join(path.dirname(sock), `scenario-${Date.now()}.ini`);
  fs.writeFileSync(file, scenarioText);
  const sim = new SimProcess(sock, file);
  await sim.start();
  return sim.proc!;
}

function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    p.once('exit', () => r());
    p.kill('SIGKILL');
  });
}

driverSequences('ExtDriver <-> wpa-offload-sim', async (text) => {
  const sock = path.join(tmpDir(), 'sim.sock');
  const proc = await startSim(text, sock);
  const driver = new ExtDriver({ socket: sock });
  driver.start();
  return {
    driver,
    close: async () => {
      await driver.close();
      await stop(proc);
    },
  };
});

describe('wpa-offload-sim process', () => {
  it('is killed and restarted: link_down, then reconnect with hello and link_up again', async () => {
    const sock = path.join(tmpDir(), 'sim.sock');
    let proc = await startSim(testScenario(), sock);
    const d = new ExtDriver({ socket: sock });
    const ups: string[] = [];
    let downs = 0;
    d.on('link_up', (h) => ups.push(h.address));
    d.on('link_down', () => downs++);
    d.start();
    try {
      await until(() => ups.length === 1, 'first link_up');
      await stop(proc);
      await until(() => downs === 1, 'link_down');
      await expect(d.scan({})).rejects.toThrow(/link down/);
      proc = await startSim(testScenario(), sock);
      await until(() => ups.length === 2, 'link_up after restart');
      expect(ups).toEqual([OWN, OWN]);
      expect((await d.syncState()).pmkids).toEqual([]);
    } finally {
      await d.close();
      await stop(proc);
    }
  });

  it('drops malformed and over-long request lines, answers unknown ops, and keeps serving', async () => {
    const sock = path.join(tmpDir(), 'sim.sock');
    const proc = await startSim(testScenario(), sock);
    const c = net.createConnection(sock);
    let got = '';
    c.on('data', (b) => (got += b));
    try {
      await new Promise((r) => c.once('connect', r));
      c.write('this is not json\n');
      c.write(`{"id": 1, "op": "driver_cmd", "cmd": "${'A'.repeat(70000)}"}\n`);
      c.write('{"op": "hello", "version": 1}\n'); // no id: nothing to answer
      c.write('{"id": 2, "op": "warp_drive"}\n');
      c.write('{"id": 3, "op": "hello", "version": 1, "ifname": "wlan0", "future": true}\n');
      c.write('{"id": 4, "op": "connect", "bssid": "zz"}\n');
      await until(() => got.split('\n').filter((l) => l).length >= 3, 'three replies');
      const replies = got.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(replies.map((r) => r.id)).toEqual([2, 3, 4]);
      expect(replies[0]).toEqual({ id: 2, ok: false, error: 'unknown op' });
      expect(replies[1]).toMatchObject({ id: 3, ok: true, version: 1, address: OWN });
      expect(replies[2]).toMatchObject({ id: 4, ok: false });
      expect(String(replies[2].error)).toMatch(/bssid/);
    } finally {
      c.destroy();
      await stop(proc);
    }
  });

  it('delivers a 1000-BSS scan over the wire in parts that each fit a line', async () => {
    const sock = path.join(tmpDir(), 'sim.sock');
    const proc = await startSim(fs.readFileSync(path.resolve(process.cwd(), 'conf/scenarios/scale-1000.ini'), 'utf8'), sock);
    const d = new ExtDriver({ socket: sock });
    d.start();
    try {
      await until(() => d.hello !== null, 'link_up');
      const results = new Promise<ScanBss[]>((r) => d.once('scan_results', r));
      await d.scan({});
      const bss = await results;
      expect(bss.length).toBe(1000);
      expect(new Set(bss.map((b) => b.bssid)).size).toBe(1000);
      expect(bss.find((b) => b.ssid.toString() === 'scale-home')?.signal).toBe(-40);
    } finally {
      await d.close();
      await stop(proc);
    }
  });

  it('refuses a bad scenario with a clear error and a non-zero exit', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'bad.ini');
    fs.writeFileSync(file, '[firmware]\nmode = sloppy\n');
    const r = spawnSync(process.execPath, [MAIN, '--socket', path.join(dir, 's.sock'), '--scenario', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[firmware] mode');
    const u = spawnSync(process.execPath, [MAIN, '--scenario', file], { encoding: 'utf8' });
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('usage: wpa-offload-sim');
  });
});
