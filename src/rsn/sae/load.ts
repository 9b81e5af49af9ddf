/**
 * SAE's state machines (machines.ts) for the modules that run them (the key
 * path, the simulator), at first use rather than by a static import.
 *
 * Why: SAE and its group arithmetic (@noble/curves, which builds its curves
 * when loaded) are a fifth of the daemon's code, and most daemons never run
 * SAE. In the start-up snapshot the import below becomes the loading of
 * machines.ts and what only it needs, from a file of their own, at the first
 * call (scripts/first-use-chunks.mjs): the blob holds none of it, neither
 * their classes, curves and tables nor their source. Everywhere else (tsc's
 * output, the tests) it is this static import.
 */
import * as machines from './machines.js';

export type SaeMachines = typeof machines;

export function saeMachines(): SaeMachines {
  return machines;
}
