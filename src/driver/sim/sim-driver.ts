/**
 * `-D sim`: the simulator in the daemon's own process, as a DriverBackend.
 * The link is always up once started (there is no socket to lose); a
 * SIM_FW_RESTART still reaches the daemon as `firmware_restarted`.
 */
import { EventEmitter } from 'node:events';
import {
  DriverError,
  type AuthParams,
  type ConnectParams,
  type DriverBackend,
  type DriverEvents,
  type FirmwareSyncState,
  type HelloResult,
  type PmksaParams,
  type RekeyData,
  type RoamFtParams,
  type ScanParams,
  type SetKeyParams,
  type SuspendParams,
} from '../backend.js';
import { realClock, type Clock } from './clock.js';
import { runSimCommand } from './commands.js';
import type { Scenario } from './scenario.js';
import { Simulator } from './simulator.js';

export interface SimDriverOptions {
  clock?: Clock;
  seed?: number;
}

export class SimDriver extends EventEmitter<DriverEvents> implements DriverBackend {
  readonly name = 'sim';
  readonly sim: Simulator;
  private up = false;
  private started = false;

  constructor(scenario: Scenario, opts: SimDriverOptions = {}) {
    super();
    this.sim = new Simulator(scenario, {
      clock: opts.clock ?? realClock,
      seed: opts.seed,
      emit: (name, ...args) => {
        if (this.up) (this.emit as (n: string, ...a: unknown[]) => boolean)(name, ...args);
      },
    });
  }

  get hello(): HelloResult | null {
    return this.up ? this.sim.hello : null;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.up = true;
    this.sim.startTimeline((cmd) => runSimCommand(this.sim, cmd));
    // Asynchronous like every other backend: listeners attached after start() still see it.
    setImmediate(() => {
      if (this.up) this.emit('link_up', this.sim.hello);
    });
  }

  async close(): Promise<void> {
    this.up = false;
    this.sim.stop();
  }

  private run<T>(op: string, fn: () => T): Promise<T> {
    if (!this.up) return Promise.reject(new DriverError(op, 'driver not started'));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(new DriverError(op, e instanceof Error ? e.message : String(e)));
    }
  }

  scan(p: ScanParams): Promise<void> {
    return this.run('scan', () => this.sim.scan(p));
  }

  connect(p: ConnectParams): Promise<void> {
    return this.run('connect', () => this.sim.connect(p));
  }

  auth(p: AuthParams): Promise<void> {
    return this.run('auth', () => this.sim.auth(p));
  }

  disconnect(reason: number): Promise<void> {
    return this.run('disconnect', () => this.sim.disconnect(reason));
  }

  roam(bssid: string, ft?: RoamFtParams): Promise<void> {
    return this.run('roam', () => this.sim.roam(bssid, ft));
  }

  txEapol(dst: string, data: Buffer): Promise<void> {
    return this.run('tx_eapol', () => this.sim.txEapol(dst, data));
  }

  setKey(p: SetKeyParams): Promise<void> {
    return this.run('set_key', () => this.sim.setKey(p));
  }

  setPort(authorized: boolean): Promise<void> {
    return this.run('set_port', () => this.sim.setPort(authorized));
  }

  setPmksa(p: PmksaParams): Promise<void> {
    return this.run('set_pmksa', () => this.sim.setPmksa(p));
  }

  delPmksa(bssid: string, pmkid: Buffer): Promise<void> {
    return this.run('del_pmksa', () => this.sim.delPmksa(bssid, pmkid));
  }

  delPmksaBySsid(ssid: Buffer): Promise<void> {
    return this.run('del_pmksa', () => this.sim.delPmksaBySsid(ssid));
  }

  flushPmksa(): Promise<void> {
    return this.run('flush_pmksa', () => this.sim.flushPmksa());
  }

  suspend(p: SuspendParams): Promise<void> {
    return this.run('suspend', () => this.sim.suspend(p));
  }

  resume(): Promise<void> {
    return this.run('resume', () => this.sim.resume());
  }

  setRekeyData(d: RekeyData): Promise<void> {
    return this.run('set_rekey_data', () => this.sim.setRekeyData(d));
  }

  syncState(): Promise<FirmwareSyncState> {
    return this.run('sync_state', () => this.sim.syncState());
  }

  driverCmd(cmd: string): Promise<string> {
    return this.run('driver_cmd', () => runSimCommand(this.sim, cmd));
  }
}
