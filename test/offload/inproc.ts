/**
 * The station and its key path in this process, on the simulated radio, with
 * vitest's fake timers: every timer of the station, the key path and the
 * simulator (air delays, AP retransmissions, offload wait, auth timeout)
 * runs on virtual time, so a whole scenario takes milliseconds and the same
 * steps always give the same events. No wall-clock sleeps.
 *
 * `until(re)` steps virtual time timer by timer until a matching event (or a
 * virtual-time budget runs out, which fails the test with the events seen).
 */
import { vi } from 'vitest';
import { SupplicantConfig } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/parse.js';
import type { ConnectParams, DriverBackend } from '../../src/driver/backend.js';
import { runSimCommand } from '../../src/driver/sim/commands.js';
import { parseScenario } from '../../src/driver/sim/scenario.js';
import { SimDriver } from '../../src/driver/sim/sim-driver.js';
import { configureLogging, MsgLevel, onLog } from '../../src/log.js';
import { DEFAULT_POLICY, type OffloadPolicy } from '../../src/offload/policy.js';
import { PmksaSync } from '../../src/offload/pmksa-sync.js';
import { PmksaCache } from '../../src/rsn/pmksa.js';
import { Station } from '../../src/station/station.js';
import { formatOffloadStatus } from '../../src/ctrl/offload-status.js';
import { kv } from '../station/rig.js';

export interface InprocOptions {
  /** Scenario INI (sim backend) ... */
  scenario?: string;
  /** ... or a driver the test plays itself. */
  driver?: DriverBackend;
  /** wpa_supplicant.conf text. */
  conf: string;
  policy?: Partial<OffloadPolicy>;
}

export class Inproc {
  readonly events: string[] = [];
  private readonly stopLogs: (() => void)[] = [];
  private constructor(
    readonly station: Station,
    readonly driver: DriverBackend,
    readonly config: SupplicantConfig,
    readonly pmksa: PmksaSync,
  ) {
    station.on('ctrlEvent', (_level, text) => this.events.push(text));
  }

  static async start(o: InprocOptions): Promise<Inproc> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date'] });
    configureLogging({ level: MsgLevel.ERROR, timestamps: false, showKeys: false });
    const driver = o.driver ?? new SimDriver(parseScenario(o.scenario ?? '', 'inproc'));
    const config = parseConfig(o.conf);
    const pmksa = new PmksaSync(new PmksaCache(), driver, 'wlan0');
    const station = new Station({ ifname: 'wlan0', driver, config: () => config, policy: { ...DEFAULT_POLICY, ...o.policy }, pmksa });
    const r = new Inproc(station, driver, config, pmksa);
    station.start();
    await vi.advanceTimersByTimeAsync(0);
    return r;
  }

  get sim(): SimDriver {
    return this.driver as SimDriver;
  }

  /** Every connect request the station makes from now on, as the driver gets it. */
  recordConnects(): ConnectParams[] {
    const seen: ConnectParams[] = [];
    const connect = this.driver.connect.bind(this.driver);
    this.driver.connect = (p: ConnectParams) => {
      seen.push(p);
      return connect(p);
    };
    return seen;
  }

  /** EAPOL frames the host sends from now on: all, or those of one EAPOL packet type (1: EAPOL-Start). */
  countEapol(packetType?: number): { n: number } {
    const seen = { n: 0 };
    const tx = this.driver.txEapol.bind(this.driver);
    this.driver.txEapol = (dst: string, data: Buffer) => {
      if (packetType === undefined || data[1] === packetType) seen.n++;
      return tx(dst, data);
    };
    return seen;
  }

  /** EAPOL-Start frames the host sends from now on. */
  countEapolStarts(): { n: number } {
    return this.countEapol(1);
  }

  /** Events from now on, with their virtual time. */
  stamped(): { t: number; e: string }[] {
    const seen: { t: number; e: string }[] = [];
    this.station.on('ctrlEvent', (_level: number, e: string) => seen.push({ t: Date.now(), e }));
    return seen;
  }

  /** What the station logs about its BSSID ignore list from now on (2.10 logs it; monitors get no event). */
  ignoreLog(): string[] {
    const lines: string[] = [];
    this.stopLogs.push(
      onLog((_level, text) => {
        if (text.includes('ignore list')) lines.push(text);
      }),
    );
    return lines;
  }

  mark(): number {
    return this.events.length;
  }

  eventsFrom(from: number): string[] {
    return this.events.slice(from);
  }

  /** Advances virtual time until an event after `from` matches; fails after `budgetMs` of virtual time. */
  async until(re: RegExp, from = 0, budgetMs = 60_000): Promise<string> {
    const end = Date.now() + budgetMs;
    for (;;) {
      const hit = this.events.slice(from).find((e) => re.test(e));
      if (hit) return hit;
      if (Date.now() >= end) throw new Error(`no event matching ${re} within ${budgetMs} ms of virtual time; events:\n${this.events.slice(from).join('\n')}`);
      await vi.advanceTimersToNextTimerAsync();
      if (vi.getTimerCount() === 0) await vi.advanceTimersByTimeAsync(1);
    }
  }

  /** Lets `ms` of virtual time pass. */
  async run(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
  }

  /** A simulator DRIVER command. */
  simCmd(cmd: string): string {
    return runSimCommand(this.sim.sim, cmd);
  }

  simStatus(): Record<string, string> {
    return kv(this.simCmd('SIM_STATUS'));
  }

  async offload(): Promise<Record<string, string>> {
    return kv(formatOffloadStatus(await this.station.offloadAudit()));
  }

  async stop(): Promise<void> {
    for (const stop of this.stopLogs.splice(0)) stop();
    await this.station.terminate();
    vi.clearAllTimers();
    vi.useRealTimers();
  }
}
