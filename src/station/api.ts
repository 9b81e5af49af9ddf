/**
 * What the control interface needs from the station, and nothing more.
 * ctrl depends on this contract, never on the station's internals, so the
 * station's state machine can change without touching command handlers.
 */
import type { EventEmitter } from 'node:events';
import type { DriverCapabilities } from '../driver/backend.js';
import type { WpaState } from './state.js';

export interface StationEvents {
  /** A control-interface event for monitors: level (wpa MsgLevel) and text without `<N>`. */
  ctrlEvent: [level: number, text: string];
}

/** A network as the station sees it; `id` matches LIST_NETWORKS. */
export interface NetworkRef {
  readonly id: number;
}

/**
 * The 802.1X supplicant PAE's timers (seconds) and EAPOL-Start limit, as
 * SET EAPOL::<name> sets them (eapol_sm_configure()); IEEE 802.1X-2004 names.
 */
export interface EapolTimers {
  heldPeriod: number;
  authPeriod: number;
  startPeriod: number;
  maxStart: number;
}

/** IEEE 802.1X-2004's defaults, which eapol_sm_init() starts from. */
export const EAPOL_TIMER_DEFAULTS: Readonly<EapolTimers> = { heldPeriod: 60, authPeriod: 30, startPeriod: 30, maxStart: 3 };

/** What MIB shows of key management: the last RSN association's suites, 4-way failures, the controlled port. */
export interface MibState {
  rsna?: { akm: string; pairwise: string; group: string; pmkid?: Buffer };
  fourWayFailures: number;
  portAuthorized: boolean;
  eapol: Readonly<EapolTimers>;
}

export interface StationControl extends EventEmitter<StationEvents> {
  readonly wpaState: WpaState;
  /** Own MAC address (STATUS address=). */
  readonly ownAddress: string;
  /**
   * The STATUS lines that wpa_supplicant prints before `wpa_state=` once
   * associated (bssid, freq, ssid, id, id_str, mode, pairwise_cipher,
   * group_cipher, key_mgmt), already formatted with trailing newlines;
   * empty when not associated.
   */
  statusAssocLines(): string;
  /** Id of the network in use, for LIST_NETWORKS [CURRENT]; undefined when none. */
  readonly currentNetworkId: number | undefined;
  /** Networks in temporary disable, for LIST_NETWORKS [TEMP-DISABLED]. */
  isTempDisabled(id: number): boolean;
  mib(): MibState;
  /**
   * The driver's capabilities while its link is up; undefined otherwise (as
   * wpa_drv_get_capa() failing), for GET_CAPABILITY.
   */
  readonly driverCapabilities: DriverCapabilities | undefined;
  /**
   * SET EAPOL::<name>: eapol_sm_configure(); a negative value leaves that
   * timer alone. Kept across FLUSH and RECONFIGURE, as in 2.10.
   */
  configureEapol(timers: Partial<EapolTimers>): void;

  /* Hooks called by the control interface after it changed the configuration. */
  networkAdded(net: NetworkRef): void;
  /** Before the network is gone from the configuration: disconnects if it is current. */
  networkRemoved(net: NetworkRef): void;
  /** A field changed through SET_NETWORK; security fields drop PMKSA entries. */
  networkChanged(net: NetworkRef, field: string): void;
  /** ENABLE_NETWORK (undefined = all). */
  enableNetwork(net: NetworkRef | undefined): void;
  /** DISABLE_NETWORK (undefined = all). */
  disableNetwork(net: NetworkRef | undefined): void;
  /** SELECT_NETWORK (undefined = any); `scanFreqs` limits the scan that follows (SELECT_NETWORK ... freq=). */
  selectNetwork(net: NetworkRef | undefined, scanFreqs?: number[]): void;
  /**
   * FLUSH: the station's state back to its start, with `removeNetworks`
   * (REMOVE_NETWORK all) run at the point wpa_supplicant removes them, so the
   * events come in its order.
   */
  flush(removeNetworks: () => void): void;
  /** RECONFIGURE / SIGHUP: the configuration object was replaced; disconnect and start over. */
  reconfigured(): void;
  /** TERMINATE / SIGTERM: leave the BSS and release the driver. */
  terminate(): Promise<void>;
}
