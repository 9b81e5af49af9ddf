/**
 * The backends' modules, for createDriver (index.ts), at first use rather
 * than by static imports.
 *
 * Why: an interface uses one backend, and the nl80211 backend, the simulator
 * and the ext client are a quarter of the daemon's code. In the start-up
 * snapshot each function below loads its module at its first call
 * (scripts/first-use-chunks.mjs): the simulator, its scenarios and the ext
 * client from files of their own, which the blob does not hold at all; the
 * nl80211 backend, which a service starts with, from the bundle, where it is
 * evaluated then (the blob holds its source, not its classes and tables).
 * Everywhere else (tsc's output, the tests) these are static imports.
 */
import * as ext from './ext.js';
import * as nl80211 from './nl80211/backend.js';
import * as scenario from './sim/scenario.js';
import * as sim from './sim/sim-driver.js';

export function extBackend(): typeof ext {
  return ext;
}

export function nl80211Backend(): typeof nl80211 {
  return nl80211;
}

export function simBackend(): typeof sim {
  return sim;
}

export function simScenario(): typeof scenario {
  return scenario;
}
