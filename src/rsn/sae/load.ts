/**
 * SAE's state machines (machines.ts) for the modules that run them (the key
 * path, the simulator), at first use rather than by a static import.
 *
 * Why: SAE and its group arithmetic (@noble/curves, which builds its curves
 * when loaded) are a fifth of the daemon's code, and most daemons never run
 * SAE. In the start-up snapshot (scripts/bundle.mjs, `atFirstUse`) the
 * import below becomes a require() of machines.ts at the first call, which
 * makes esbuild put those modules into functions run then: the blob holds
 * their source and function declarations but not their classes, curves and
 * tables, which every start read and deserialized (blob -83 kB). Everywhere
 * else (tsc's output, the tests) it is this static import.
 */
import * as machines from './machines.js';

export type SaeMachines = typeof machines;

export function saeMachines(): SaeMachines {
  return machines;
}
