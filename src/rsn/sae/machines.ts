/**
 * SAE's state machines, as the rest of the daemon uses them: the station's
 * (the host's SAE, and the simulated firmware's), the AP's (the simulator's
 * AP) and the error of a configuration SAE cannot run with. Reached through
 * load.ts's saeMachines(), never imported directly from outside rsn/sae.
 */
export { SaeApPeer } from './authenticator.js';
export { SaeConfigError } from './session.js';
export { SaeStation } from './station.js';
