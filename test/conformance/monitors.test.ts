/**
 * Monitors: ATTACH / DETACH / LEVEL replies, which events a monitor receives
 * (wired association events left out, see expected-differences.ts), and the
 * order of events and reply on a socket that is both monitor and requester.
 */
import { renameSync, unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDgramSocket } from '../../src/net/dgram.js';
import { WpaCtrl, type CtrlEvent } from '../../src/client/wpa-ctrl.js';
import { isIgnoredEvent } from './expected-differences.js';
import { MonitorPair, Pair, show, type Side } from './pair.js';
import { referenceAvailable, usePair } from './setup.js';

describe.skipIf(!referenceAvailable())('monitors vs wpa_supplicant 2.10', () => {
  const { pair, env } = usePair();

  /** A fresh client per side (not attached). */
  async function clients(): Promise<{ ref: WpaCtrl; dut: WpaCtrl }> {
    return { ref: await env.client(pair().ref.daemon.ctrlPath), dut: await env.client(pair().dut.daemon.ctrlPath) };
  }

  async function sameOn(c: { ref: WpaCtrl; dut: WpaCtrl }, cmd: string | Buffer): Promise<void> {
    const ref = (await c.ref.request(cmd, 2000)).toString('latin1');
    const dut = (await Pair.ask(c.dut, cmd)).toString('latin1');
    expect(show(dut), `reply to ${show(cmd.toString())}`).toBe(show(ref));
  }

  it('ATTACH / DETACH / LEVEL replies, exact-match rules', async () => {
    const c = await clients();
    for (const cmd of ['DETACH', 'LEVEL 3', 'ATTACH ', 'ATTACHX', 'ATTACH', 'ATTACH', 'LEVEL 4', 'LEVEL x', 'LEVEL', 'LEVEL 3']) {
      await sameOn(c, cmd);
    }
    await sameOn(c, 'DETACH');
    await sameOn(c, 'DETACH');
    await sameOn(c, Buffer.from('ATTACH\0x', 'latin1'));
    await sameOn(c, 'DETACH');
  });

  it('network added/removed events, one per network for REMOVE_NETWORK all', async () => {
    const p = pair();
    const m = await MonitorPair.open(p);
    await p.sameAll(['ADD_NETWORK', 'ADD_NETWORK', 'ADD_NETWORK']);
    const added = await m.expectSameEvents('3 x ADD_NETWORK');
    expect(added.length).toBe(3);
    await p.same('REMOVE_NETWORK 1');
    await m.expectSameEvents('REMOVE_NETWORK 1');
    await p.same('REMOVE_NETWORK all');
    const removed = await m.expectSameEvents('REMOVE_NETWORK all');
    expect(removed.length).toBe(2);
    await p.same('REMOVE_NETWORK all');
    expect((await m.expectSameEvents('REMOVE_NETWORK all on an empty list')).length).toBe(0);
  });

  it('no events for SET_NETWORK, SET, disabling a network that is not current, SAVE_CONFIG refusal', async () => {
    const p = pair();
    await p.same('ADD_NETWORK');
    const m = await MonitorPair.open(p);
    await p.sameAll(['SET_NETWORK 0 ssid "quiet"', 'SET country SE', 'DISABLE_NETWORK 0', 'NOTE hello', 'GET version']);
    expect(await m.expectSameEvents('quiet commands')).toEqual([]);
  });

  it('events arrive before the reply on an attached requester socket', async () => {
    const order = async (side: Side): Promise<string[]> => {
      const c = await env.client(side.daemon.ctrlPath);
      await c.attach(2000);
      const seen: string[] = [];
      const onEv = (ev: CtrlEvent): void => {
        if (!isIgnoredEvent(ev.text)) seen.push(`event:${ev.text}`);
      };
      c.on('event', onEv);
      const reply = await Pair.ask(c, 'ADD_NETWORK');
      seen.push(`reply:${reply.toString('latin1')}`);
      c.off('event', onEv);
      await c.detach(2000);
      return seen;
    };
    const ref = await order(pair().ref);
    const dut = await order(pair().dut);
    expect(ref[0]).toMatch(/^event:CTRL-EVENT-NETWORK-ADDED /);
    expect(dut).toEqual(ref);
  });

  it('events carry the <level> prefix and no trailing newline', async () => {
    const p = pair();
    const raws: Record<string, string> = {};
    for (const side of [p.ref, p.dut]) {
      const c = await env.client(side.daemon.ctrlPath);
      await c.attach(2000);
      const ev = c.waitEvent('CTRL-EVENT-NETWORK-ADDED', 2000);
      await Pair.ask(side.ctrl, 'ADD_NETWORK');
      raws[side.label] = (await ev.catch(() => ({ raw: Buffer.from('<no event>') }))).raw.toString('latin1');
      await c.detach(2000);
    }
    expect(raws['wpa_supplicant']).toBe('<3>CTRL-EVENT-NETWORK-ADDED 0');
    expect(show(raws['wpa-offloadd']!)).toBe(show(raws['wpa_supplicant']!));
  });

  it('LEVEL: a monitor at level 4 does not get level-3 events; back at 3 it does', async () => {
    const p = pair();
    const m = await MonitorPair.open(p);
    expect((await Pair.ask(m.ref, 'LEVEL 4')).toString()).toBe('OK\n');
    expect((await Pair.ask(m.dut, 'LEVEL 4')).toString(), 'wpa-offloadd: LEVEL 4').toBe('OK\n');
    await p.same('ADD_NETWORK');
    expect(await m.expectSameEvents('ADD_NETWORK at LEVEL 4')).toEqual([]);
    await Pair.ask(m.ref, 'LEVEL 3');
    await Pair.ask(m.dut, 'LEVEL 3');
    await p.same('ADD_NETWORK');
    expect((await m.expectSameEvents('ADD_NETWORK at LEVEL 3')).length).toBe(1);
  });

  it('LEVEL below 3 adds debug lines such as the command trace', async () => {
    const p = pair();
    const m = await MonitorPair.open(p);
    await Pair.ask(m.ref, 'LEVEL 2');
    await Pair.ask(m.dut, 'LEVEL 2');
    await p.same('ADD_NETWORK');
    const { ref, dut } = await m.drain();
    const trace = "<2>Control interface command 'ADD_NETWORK'";
    expect(ref).toContain(trace);
    expect(dut).toContain(trace);
    expect(dut).toContain('<3>CTRL-EVENT-NETWORK-ADDED 0');
    await Pair.ask(m.ref, 'LEVEL 3');
    await Pair.ask(m.dut, 'LEVEL 3');
  });

  it('at LEVEL 1 the trace of frequent commands (PING, STATUS*, BSS, GET_NETWORK, STA) is left out, as wpas_ctrl_cmd_debug_level()', async () => {
    const p = pair();
    const m = await MonitorPair.open(p);
    await Pair.ask(m.ref, 'LEVEL 1');
    await Pair.ask(m.dut, 'LEVEL 1');
    for (const cmd of ['PING', 'STATUS', 'STATUS-VERBOSE', 'GET_NETWORK 0 ssid', 'LIST_NETWORKS', 'BSSX', 'GET_NETWORKS']) {
      await p.same(cmd);
    }
    // Their replies differ without a driver (BSS and the AP-mode STA commands
    // are not served there); the trace is written before the command runs.
    for (const cmd of ['BSS 0', 'STA x', 'STA-FIRST']) {
      await Pair.ask(p.ref.ctrl, cmd);
      await Pair.ask(p.dut.ctrl, cmd);
    }
    const events = await m.expectSameEvents('frequent commands at LEVEL 1');
    expect(events).toEqual([
      "<2>Control interface command 'LIST_NETWORKS'",
      "<2>Control interface command 'BSSX'",
      "<2>Control interface command 'GET_NETWORKS'",
    ]);
    await Pair.ask(m.ref, 'LEVEL 3');
    await Pair.ask(m.dut, 'LEVEL 3');
  });

  it('FLUSH: every network removed with its event, okc off, the other global options kept', async () => {
    const p = pair();
    const m = await MonitorPair.open(p);
    await p.sameAll(['ADD_NETWORK', 'ADD_NETWORK', 'SET_NETWORK 1 ssid "x"', 'SET okc 1', 'SET country SE', 'SET bss_max_count 50']);
    await p.same('FLUSH');
    await p.sameAll(['LIST_NETWORKS', 'GET okc', 'GET country', 'GET bss_max_count', 'PMKSA', 'ADD_NETWORK', 'FLUSHX', 'FLUSH 1']);
    const events = await m.expectSameEvents('FLUSH');
    expect(events).toEqual([
      '<3>CTRL-EVENT-NETWORK-ADDED 0',
      '<3>CTRL-EVENT-NETWORK-ADDED 1',
      '<3>CTRL-EVENT-NETWORK-REMOVED 0',
      '<3>CTRL-EVENT-NETWORK-REMOVED 1',
      '<3>CTRL-EVENT-NETWORK-ADDED 0',
    ]);
    await p.reset();
  });

  it('DETACH stops events', async () => {
    const p = pair();
    const m = await MonitorPair.open(p);
    await sameOn(m, 'DETACH');
    await p.same('ADD_NETWORK');
    expect(await m.expectSameEvents('ADD_NETWORK after DETACH')).toEqual([]);
  });

  /**
   * A monitor whose socket file stays but that nobody is bound to any more
   * (sends fail with ECONNREFUSED), then `failures` events, then a new socket
   * bound at the same path: does the daemon still send it events? Proven
   * without a timer: the new socket sends PING, and everything sent to it
   * before the PONG has arrived by then.
   */
  async function stillRegisteredAfter(side: Side, failures: number): Promise<boolean> {
    const m = await WpaCtrl.open(side.daemon.ctrlPath);
    await m.attach(2000);
    const aside = `${m.localPath}.aside`;
    renameSync(m.localPath, aside);
    m.close(); // unlinks nothing: the file is aside
    renameSync(aside, m.localPath);
    for (let i = 0; i < failures; i++) await Pair.ask(side.ctrl, 'ADD_NETWORK');
    unlinkSync(m.localPath);
    const again = createDgramSocket();
    const got: string[] = [];
    const pong = new Promise<void>((res) => {
      again.on('message', (b: Buffer | null) => {
        if (!b) return;
        const s = b.toString('latin1');
        if (s === 'PONG\n') res();
        else got.push(s);
      });
    });
    again.bind(m.localPath);
    again.connect(side.daemon.ctrlPath);
    await Pair.ask(side.ctrl, 'ADD_NETWORK');
    again.send(Buffer.from('PING'));
    await pong;
    again.close();
    unlinkSync(m.localPath);
    return got.some((s) => s.startsWith('<3>CTRL-EVENT-NETWORK-ADDED'));
  }

  it('a monitor that keeps failing (ECONNREFUSED) stays registered after 3 failures, is dropped after 12', async () => {
    const p = pair();
    for (const failures of [3, 12]) {
      const ref = await stillRegisteredAfter(p.ref, failures);
      const dut = await stillRegisteredAfter(p.dut, failures);
      expect(ref, `reference after ${failures} failures`).toBe(failures < 11);
      expect(dut, `wpa-offloadd: still registered after ${failures} failed sends`).toBe(ref);
      await p.reset();
    }
  });

  it('a monitor whose socket file is gone is dropped; others still get events and replies', async () => {
    const p = pair();
    for (const side of [p.ref, p.dut]) {
      const dead = await WpaCtrl.open(side.daemon.ctrlPath);
      await dead.attach(2000);
      dead.close(); // unlinks the socket file: the daemon sees ENOENT on the next event
    }
    const m = await MonitorPair.open(p);
    await p.sameAll(['ADD_NETWORK', 'ADD_NETWORK', 'PING']);
    expect((await m.expectSameEvents('ADD_NETWORK with a dead monitor registered')).length).toBe(2);
  });
});
