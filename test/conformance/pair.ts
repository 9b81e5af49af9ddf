/**
 * The differential pair: the reference wpa_supplicant 2.10 and wpa-offloadd,
 * started from the same configuration on the same interface name (so IFNAME,
 * INTERFACES and IFNAME= routing need no normalisation), each with its own
 * ctrl_interface directory. Every helper sends the same bytes to both and
 * compares what comes back after `expected-differences.ts` and nothing else.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { WpaCtrl, WpaCtrlError, type CtrlEvent } from '../../src/client/wpa-ctrl.js';
import { ctrlConf, type RunningDaemon, type TestEnv, type Veth } from '../harness/index.js';
import { BAD_VALUE_CHANGES_NOTHING, isIgnoredEvent, normaliseReply, type SideContext } from './expected-differences.js';

/** The reference always answers quickly; the daemon under test gets the same budget. */
const REPLY_TIMEOUT_MS = 2000;

export type Via = 'iface' | 'global';

export interface Side {
  label: 'wpa_supplicant' | 'wpa-offloadd';
  daemon: RunningDaemon;
  ctrl: WpaCtrl;
  global: WpaCtrl | undefined;
  ctx: SideContext;
}

export interface PairOptions {
  /** Lines appended to both configs after ctrl_interface=. */
  confExtra?: string;
  /** Start both with -g and open a global client too. */
  global?: boolean;
  /** Run on this veth instead of a new one (when a case must know the name first). */
  veth?: Veth;
}

/**
 * CONFORMANCE_DUT=wpa_supplicant runs the reference on both sides: a check of
 * the suite itself, never the default. Every case must pass except those that
 * check a deliberate difference (BAD_VALUE_CHANGES_NOTHING, SAVED_CONFIG_MODE),
 * which fail there by design.
 */
function selfTest(): boolean {
  return process.env.CONFORMANCE_DUT === 'wpa_supplicant';
}

/** A reply as a byte-exact, readable string (latin1, JSON-escaped). */
export function show(s: string): string {
  return JSON.stringify(s);
}

export class Pair {
  private constructor(
    readonly env: TestEnv,
    readonly veth: Veth,
    readonly ref: Side,
    readonly dut: Side,
  ) {}

  /** The interface both run on (the veth's name). */
  get ifname(): string {
    return this.veth.name;
  }

  static async start(env: TestEnv, opts: PairOptions = {}): Promise<Pair> {
    const veth = opts.veth ?? env.veth();
    const side = async (tag: 'ref' | 'dut'): Promise<Side> => {
      const ctrlDir = env.path(`${tag}-ctl`);
      const confPath = env.writeConf(`${tag}.conf`, ctrlConf(ctrlDir, opts.confExtra ?? ''));
      const globalPath = opts.global ? env.path(`${tag}-global`) : undefined;
      const dopts = { ifname: veth.name, conf: confPath, ctrlDir, global: globalPath };
      const daemon = tag === 'ref' || selfTest() ? await env.startReference(dopts) : await env.startDaemon(dopts);
      const ctrl = await env.client(daemon.ctrlPath);
      const global = globalPath ? await env.client(globalPath) : undefined;
      return {
        label: tag === 'ref' ? 'wpa_supplicant' : 'wpa-offloadd',
        daemon,
        ctrl,
        global,
        ctx: { ctrlDir, confPath, globalPath },
      };
    };
    const ref = await side('ref');
    const dut = await side('dut');
    return new Pair(env, veth, ref, dut);
  }

  private conn(side: Side, via: Via): WpaCtrl {
    if (via === 'iface') return side.ctrl;
    if (!side.global) throw new Error('pair started without a global socket');
    return side.global;
  }

  /** The reply, or a marker saying why there was none (so a diff shows it). */
  static async ask(c: WpaCtrl, cmd: string | Buffer): Promise<Buffer> {
    try {
      return await c.request(cmd, REPLY_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof WpaCtrlError) return Buffer.from(`<NO REPLY: ${e.message}>`);
      throw e;
    }
  }

  /**
   * A request that must differ per side (a path, a driver name), replies
   * compared after normalisation.
   */
  async sameEach(cmdFor: (side: Side) => string, via: Via = 'iface'): Promise<string> {
    const ref = normaliseReply(await this.conn(this.ref, via).request(cmdFor(this.ref), REPLY_TIMEOUT_MS), this.ref.ctx);
    const dut = normaliseReply(await Pair.ask(this.conn(this.dut, via), cmdFor(this.dut)), this.dut.ctx);
    expect(show(dut), `reply to ${show(cmdFor(this.dut))} via ${via}`).toBe(show(ref));
    return ref;
  }

  /** The reference must answer: a case it does not answer is a wrong case, and throws. */
  async both(cmd: string | Buffer, via: Via = 'iface'): Promise<{ ref: Buffer; dut: Buffer }> {
    const ref = await this.conn(this.ref, via).request(cmd, REPLY_TIMEOUT_MS);
    const dut = await Pair.ask(this.conn(this.dut, via), cmd);
    return { ref, dut };
  }

  /** Same request to both; the normalised replies must be byte-identical. Returns the reference's. */
  async same(cmd: string | Buffer, via: Via = 'iface', context = ''): Promise<string> {
    const r = await this.both(cmd, via);
    const ref = normaliseReply(r.ref, this.ref.ctx);
    const dut = normaliseReply(r.dut, this.dut.ctx);
    const label = typeof cmd === 'string' ? cmd : `<${cmd.length} bytes ${show(cmd.subarray(0, 40).toString('latin1'))}>`;
    expect(show(dut), `reply to ${show(label)} via ${via}${context}`).toBe(show(ref));
    return ref;
  }

  /**
   * SET_NETWORK then GET_NETWORK of the same field, compared; except that
   * after a FAIL the daemon's value must simply be unchanged
   * (BAD_VALUE_CHANGES_NOTHING in expected-differences.ts).
   */
  async setAndGet(id: number, field: string, value: string): Promise<void> {
    const get = `GET_NETWORK ${id} ${field}`;
    const set = `SET_NETWORK ${id} ${field} ${value}`;
    const dutBefore = (await Pair.ask(this.dut.ctrl, get)).toString('latin1');
    const reply = await this.same(set);
    if (reply === 'FAIL\n') {
      const dutAfter = (await Pair.ask(this.dut.ctrl, get)).toString('latin1');
      expect(show(dutAfter), `${get} after ${show(set)} -> FAIL: ${BAD_VALUE_CHANGES_NOTHING}`).toBe(show(dutBefore));
      await this.resync(id, field, dutBefore);
      return;
    }
    await this.same(get, 'iface', ` (after ${show(set)})`);
  }

  /**
   * Puts the reference's field back to the daemon's (unchanged) value after a
   * bad SET, so the next comparison starts from the same state.
   */
  private async resync(id: number, field: string, value: string): Promise<void> {
    // Unset (FAIL) cannot be written back; a secret (*) cannot be read back.
    if (value === 'FAIL\n' || value === '*') return;
    // GET_NETWORK output (quoted, hex, tokens, numbers) is valid SET_NETWORK input.
    await this.ref.ctrl.request(`SET_NETWORK ${id} ${field} ${value}`, REPLY_TIMEOUT_MS);
  }

  /** A sequence of requests, each compared. */
  async sameAll(cmds: (string | Buffer)[], via: Via = 'iface'): Promise<void> {
    let prev: string | Buffer | undefined;
    for (const c of cmds) {
      await this.same(c, via, prev === undefined ? '' : ` (after ${show(prev.toString())})`);
      prev = c;
    }
  }

  /**
   * A datagram that must get no reply from either side. Proven without a
   * timer: the next request on the same socket must get its own reply (PONG),
   * which it would not if a reply to the dropped datagram were queued first.
   */
  async noReply(payload: Buffer, via: Via = 'iface'): Promise<void> {
    for (const side of [this.ref, this.dut]) {
      const c = this.conn(side, via);
      await c.sendOnly(payload);
      const next = await Pair.ask(c, 'PING');
      expect(show(next.toString('latin1')), `${side.label}: first reply after a ${payload.length}-byte datagram`).toBe(
        show('PONG\n'),
      );
    }
  }

  /** Back to "no networks" on both sides; used before each independent case. */
  async reset(): Promise<void> {
    await this.both('REMOVE_NETWORK all');
  }

  /** The config files both sides wrote, as text. */
  savedConfigs(): { ref: string; dut: string } {
    return {
      ref: readFileSync(this.ref.ctx.confPath, 'latin1'),
      dut: readFileSync(this.dut.ctx.confPath, 'latin1'),
    };
  }
}

/** An attached monitor on each side, recording events (wired artefacts left out). */
export class MonitorPair {
  private readonly seen = { ref: [] as string[], dut: [] as string[] };

  private constructor(
    readonly ref: WpaCtrl,
    readonly dut: WpaCtrl,
    pair: Pair,
  ) {
    const rec = (into: string[], ctx: SideContext) => (ev: CtrlEvent) => {
      if (isIgnoredEvent(ev.text)) return;
      into.push(normaliseReply(ev.raw, ctx));
    };
    ref.on('event', rec(this.seen.ref, pair.ref.ctx));
    dut.on('event', rec(this.seen.dut, pair.dut.ctx));
  }

  static async open(pair: Pair, via: Via = 'iface'): Promise<MonitorPair> {
    const path = (s: Side): string => (via === 'iface' ? s.daemon.ctrlPath : s.daemon.globalPath!);
    const ref = await pair.env.client(path(pair.ref));
    const dut = await pair.env.client(path(pair.dut));
    const m = new MonitorPair(ref, dut, pair);
    expect(show((await Pair.ask(ref, 'ATTACH')).toString('latin1'))).toBe(show('OK\n'));
    expect(show((await Pair.ask(dut, 'ATTACH')).toString('latin1')), 'wpa-offloadd: ATTACH').toBe(show('OK\n'));
    return m;
  }

  /**
   * Everything received so far. A PING on each monitor socket first: datagrams
   * on one socket arrive in order, so every event sent before the PONG has
   * been delivered by the time it arrives.
   */
  async drain(): Promise<{ ref: string[]; dut: string[] }> {
    await Pair.ask(this.ref, 'PING');
    await Pair.ask(this.dut, 'PING');
    const out = { ref: this.seen.ref.splice(0), dut: this.seen.dut.splice(0) };
    return out;
  }

  /** drain() and compare. */
  async expectSameEvents(what: string): Promise<string[]> {
    const { ref, dut } = await this.drain();
    expect(dut, `events after ${what}`).toEqual(ref);
    return ref;
  }
}
