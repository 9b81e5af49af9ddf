/**
 * The settings' `[driver]` keys for nl80211, apart from the backend that acts
 * on them: daemon/settings.ts checks them at start-up without loading the
 * backend, which is loaded only when an interface uses nl80211
 * (driver/load.ts).
 */

/**
 * `eapol`: how EAPOL frames travel (eapol-transport.ts). `auto` takes the
 * control port where the wiphy has it, else the packet socket; the others
 * force one.
 */
export const EAPOL_MODES = ['auto', 'control_port', 'packet'] as const;
export type EapolMode = (typeof EAPOL_MODES)[number];

/** `assume_4way_offload`: the AKM families treated as offloaded, for validation only (assumed-offload.ts). */
export const ASSUMABLE_OFFLOADS = ['psk', 'sae'] as const;
export type AssumedOffload = (typeof ASSUMABLE_OFFLOADS)[number];

export interface Nl80211Options {
  eapol?: EapolMode;
  assume4WayOffload?: readonly AssumedOffload[];
}
