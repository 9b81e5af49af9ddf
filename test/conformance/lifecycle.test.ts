/**
 * Process lifecycle and socket files (wpa-ctrl-reference.md section 4), each
 * case on a fresh pair because most of them end it: TERMINATE and SIGTERM
 * (event to monitors, exit 0, socket and empty directory removed), socket
 * and directory modes, a stale socket file at startup, a live one.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createDgramSocket } from '../../src/net/dgram.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedProcess, TestEnv, daemonEntry, exitedWithin, WPA_SUPPLICANT } from '../harness/index.js';
import { Pair, show, type Side } from './pair.js';
import { referenceAvailable } from './setup.js';

describe.skipIf(!referenceAvailable())('lifecycle and socket files vs wpa_supplicant 2.10', () => {
  let env: TestEnv;
  afterEach(() => env.cleanup());

  async function freshPair(global = false): Promise<Pair> {
    env = new TestEnv();
    return Pair.start(env, { global });
  }

  async function terminatedCleanly(side: Side, mon: { event: Promise<string> }): Promise<void> {
    expect(show(await mon.event), `${side.label}: event to monitors`).toBe(show('<3>CTRL-EVENT-TERMINATING '));
    expect(await exitedWithin(side.daemon.proc, 5000), `${side.label}: exit status`).toEqual({ code: 0, signal: null });
    expect(existsSync(side.daemon.ctrlPath), `${side.label}: socket removed`).toBe(false);
    expect(existsSync(side.ctx.ctrlDir), `${side.label}: empty ctrl dir removed`).toBe(false);
  }

  /** An attached monitor; `event` settles with the raw TERMINATING event (or a marker). */
  async function monitor(side: Side): Promise<{ event: Promise<string> }> {
    const m = await env.client(side.daemon.ctrlPath);
    await m.attach(2000);
    const event = m.waitEvent('CTRL-EVENT-TERMINATING', 5000).then(
      (e) => e.raw.toString('latin1'),
      () => '<no CTRL-EVENT-TERMINATING>',
    );
    return { event };
  }

  it('TERMINATE on the interface socket', async () => {
    const p = await freshPair();
    const evs = { ref: await monitor(p.ref), dut: await monitor(p.dut) };
    await p.same('TERMINATE');
    await terminatedCleanly(p.ref, evs.ref);
    await terminatedCleanly(p.dut, evs.dut);
  });

  it('TERMINATE with networks configured: every event the same, DSCP and NETWORK-REMOVED included', async () => {
    env = new TestEnv();
    const nets = 'network={\n\tssid="one"\n\tkey_mgmt=NONE\n\tdisabled=1\n}\nnetwork={\n\tssid="two"\n\tpsk="passphrase"\n\tdisabled=1\n}\n';
    const p = await Pair.start(env, { confExtra: nets });
    // No wired-artefact filter here: with every network disabled the reference does not associate.
    const record = async (side: Side): Promise<{ got: string[]; done: Promise<unknown> }> => {
      const m = await env.client(side.daemon.ctrlPath);
      await m.attach(2000);
      const got: string[] = [];
      m.on('event', (e: { raw: Buffer }) => got.push(e.raw.toString('latin1')));
      return { got, done: m.waitEvent('CTRL-EVENT-TERMINATING', 5000) };
    };
    const ref = await record(p.ref);
    const dut = await record(p.dut);
    await p.same('TERMINATE');
    await Promise.all([ref.done, dut.done]);
    expect(ref.got).toEqual([
      '<3>CTRL-EVENT-DSCP-POLICY clear_all',
      '<3>CTRL-EVENT-NETWORK-REMOVED 0',
      '<3>CTRL-EVENT-NETWORK-REMOVED 1',
      '<3>CTRL-EVENT-DSCP-POLICY clear_all',
      '<3>CTRL-EVENT-TERMINATING ',
    ]);
    expect(dut.got).toEqual(ref.got);
  });

  it('SIGTERM stops cleanly', async () => {
    const p = await freshPair();
    const evs = { ref: await monitor(p.ref), dut: await monitor(p.dut) };
    p.ref.daemon.proc.kill('SIGTERM');
    p.dut.daemon.proc.kill('SIGTERM');
    await terminatedCleanly(p.ref, evs.ref);
    await terminatedCleanly(p.dut, evs.dut);
  });

  it('socket and directory modes: dir 0750 when created, interface socket 0770, global socket 0700', async () => {
    const p = await freshPair(true);
    const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
    for (const [what, get] of [
      ['ctrl dir', (s: Side) => s.ctx.ctrlDir],
      ['interface socket', (s: Side) => s.daemon.ctrlPath],
      ['global socket', (s: Side) => s.daemon.globalPath!],
    ] as const) {
      expect(mode(get(p.dut)), `${what} mode`).toBe(mode(get(p.ref)));
    }
  });

  it('an existing directory keeps its mode', async () => {
    env = new TestEnv();
    for (const tag of ['ref', 'dut']) mkdirSync(env.path(`${tag}-ctl`), { mode: 0o711 });
    const p = await Pair.start(env);
    const mode = (s: Side): string => (statSync(s.ctx.ctrlDir).mode & 0o777).toString(8);
    expect(mode(p.dut)).toBe(mode(p.ref));
  });

  it('a stale socket file (nobody bound) is replaced at startup', async () => {
    env = new TestEnv();
    const veth = env.veth();
    for (const tag of ['ref', 'dut']) {
      mkdirSync(env.path(`${tag}-ctl`), { mode: 0o750 });
      // A socket file whose owner is gone: bind, then close without unlinking.
      const s = createDgramSocket();
      s.bind(env.path(`${tag}-ctl/${veth.name}`));
      s.close();
    }
    const p = await Pair.start(env, { veth });
    await p.same('PING');
  });

  it('a socket answered by a live daemon: the second instance exits 255, the first keeps its socket', async () => {
    const p = await freshPair();
    const second = (side: Side, tag: 'ref' | 'dut'): ManagedProcess => {
      const args = ['-i', p.ifname, '-c', side.ctx.confPath];
      return tag === 'ref'
        ? new ManagedProcess('second wpa_supplicant', WPA_SUPPLICANT, ['-Dwired', ...args], env.cleanupSteps)
        : new ManagedProcess('second wpa-offloadd', daemonEntry(), args, env.cleanupSteps);
    };
    const r = second(p.ref, 'ref');
    const d = second(p.dut, 'dut');
    const rs = await exitedWithin(r, 10_000);
    const ds = await exitedWithin(d, 10_000);
    expect(rs).toEqual({ code: 255, signal: null });
    expect(ds, 'wpa-offloadd second instance exit status').toEqual(rs);
    expect(d.output).toContain('ctrl_iface exists and seems to be in use - cannot override it');
    await p.same('PING');
  });
});
