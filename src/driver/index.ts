/**
 * Driver selection, as wpa_supplicant's `-D <name> -p <driver_param>`:
 * `sim` (the in-process simulator, `scenario=PATH`), `ext` (a driver in
 * another process, `socket=PATH`), `nl80211` (the kernel's cfg80211) and `none` (a radio with nothing in range,
 * also what an interface without `-D` gets).
 */
import type { DriverBackend } from './backend.js';
import type { Nl80211Options } from './nl80211/options.js';
import { extBackend, nl80211Backend, simBackend, simScenario } from './load.js';
import { NoneDriver } from './none.js';
import type { Clock } from './sim/clock.js';

export const DRIVER_NAMES = ['sim', 'ext', 'nl80211', 'none'] as const;

/** `-D` named a driver we do not have. */
export class UnknownDriverError extends Error {
  constructor(readonly driver: string) {
    super(`unsupported driver '${driver}' (available: ${DRIVER_NAMES.join(', ')})`);
    this.name = 'UnknownDriverError';
  }
}

/**
 * `-D nl80211,wext` (and INTERFACE_ADD's driver field) may list several
 * drivers: as wpa_supplicant_set_driver() in 2.10, the first one we have wins.
 * Undefined when none of them is ours.
 */
export function pickDriverName(list: string): string | undefined {
  return list.split(',').find((n) => (DRIVER_NAMES as readonly string[]).includes(n));
}

/** A driver parameter is missing or malformed. */
export class DriverParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverParamError';
  }
}

export interface CreateDriverOptions {
  ifname?: string;
  /** sim only: virtual time for tests. */
  clock?: Clock;
  /** sim only: overrides the scenario's seed. */
  seed?: number;
  /** nl80211 only: the settings' `[driver] eapol` and `assume_4way_offload`. */
  nl80211?: Nl80211Options;
}

/** `-p "scenario=conf/sim.ini seed=3"`: key=value pairs separated by spaces or commas. */
export function parseDriverParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tok of text.split(/[\s,]+/).filter((t) => t !== '')) {
    const eq = tok.indexOf('=');
    if (eq <= 0) throw new DriverParamError(`driver parameter '${tok}' is not key=value`);
    out[tok.slice(0, eq)] = tok.slice(eq + 1);
  }
  return out;
}

export function createDriver(name: string, params: Record<string, string>, opts: CreateDriverOptions = {}): DriverBackend {
  switch (name) {
    case 'sim': {
      const scenario = params.scenario;
      if (!scenario) throw new DriverParamError('driver sim needs scenario=PATH');
      let seed = opts.seed;
      if (params.seed !== undefined) {
        if (!/^\d+$/.test(params.seed)) throw new DriverParamError(`seed=${params.seed} is not a non-negative integer`);
        seed = Number(params.seed);
      }
      return new (simBackend().SimDriver)(simScenario().loadScenario(scenario), { clock: opts.clock, seed });
    }
    case 'ext': {
      const socket = params.socket;
      if (!socket) throw new DriverParamError('driver ext needs socket=PATH');
      return new (extBackend().ExtDriver)({ socket, ifname: opts.ifname });
    }
    case 'nl80211':
      return new (nl80211Backend().Nl80211Driver)(opts.ifname ?? '', undefined, opts.nl80211);
    case 'none':
      return new NoneDriver(opts.ifname ?? '');
    default:
      throw new UnknownDriverError(name);
  }
}
