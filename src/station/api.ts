/**
 * What the control interface needs from the station, and nothing more.
 * ctrl depends on this contract, never on the station's internals, so the
 * station's state machine can change without touching command handlers.
 */
import type { EventEmitter } from 'node:events';
import type { DriverCapabilities, LinkSignal, ScanParams } from '../driver/backend.js';
import type { OffloadAudit } from '../offload/audit.js';
import type { SecurityChoice } from '../rsn/security.js';
import type { BssTable } from './bss-table.js';
import type { WpaState } from './state.js';

export interface StationEvents {
  /** A control-interface event for monitors: level (wpa MsgLevel) and text without `<N>`. */
  ctrlEvent: [level: number, text: string];
}

/** A network as the station sees it; `id` matches LIST_NETWORKS. */
export interface NetworkRef {
  readonly id: number;
  /** For a firmware that derived the network's PMKs (SAE/OWE offload): its entries go by SSID. */
  readonly ssid?: Buffer;
  readonly keyMgmt?: readonly string[];
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

/** The association in use, as STATUS, SIGNAL_POLL and BSS show it. */
export interface AssociationView {
  readonly bssid: string;
  readonly freq: number;
  readonly ssid: Buffer;
  readonly networkId: number;
  readonly idStr?: string;
  readonly sec: SecurityChoice;
  /** Last known signal (dBm). */
  readonly signal: number;
  /** The SAE exchange of this association, when it ran one. */
  readonly sae?: { readonly group: number; readonly h2e: boolean };
}

export type UserScanResult = { status: 'ok'; id?: number } | { status: 'busy' } | { status: 'disabled' };

export interface StationControl extends EventEmitter<StationEvents> {
  readonly wpaState: WpaState;
  /** Own MAC address (STATUS address=). */
  readonly ownAddress: string;
  /** The association once `assoc` came for it (undefined while connecting or idle). */
  association(): AssociationView | undefined;
  /** The BSS table (SCAN_RESULTS, BSS, BSS_EXPIRE_*). */
  readonly bss: BssTable;
  /** BSS_FLUSH <age>: the entries not updated within `age` seconds go (0: all but the one in use, and the next scan flushes the driver's cache too). */
  flushBss(age: number): void;
  /** The driver's capabilities while its link is up. */
  readonly capabilities: DriverCapabilities | undefined;
  /** The driver link is up (`hello` answered). */
  readonly driverUp: boolean;
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
  /** SET changed a global option's value (2.10's wpa_supplicant_update_config() for its CFG_CHANGED_ flag). */
  globalChanged(name: string): void;
  /** RECONFIGURE / SIGHUP: the configuration object was replaced; disconnect and start over. */
  reconfigured(): void;
  /** TERMINATE / SIGTERM: leave the BSS and release the driver. */
  terminate(): Promise<void>;

  /* Station commands. */
  /** SCAN: 'disabled' without a driver link, 'busy' while a scan or a connection setup runs. */
  userScan(req?: ScanParams, opts?: { useId?: boolean; only?: boolean }): UserScanResult;
  /** ABORT_SCAN; false when no scan runs. */
  abortScan(): boolean;
  /** DISCONNECT. */
  disconnect(): void;
  /** RECONNECT (force false) / REASSOCIATE (force true). */
  reconnect(force: boolean): void;
  /** ROAM <bssid>; false means FAIL. */
  roam(bssid: string): boolean;
  /** SIGNAL_MONITOR; a threshold of 0 turns it off. False: the radio refused it (FAIL). */
  setSignalMonitor(threshold: number, hysteresis: number): Promise<boolean>;
  /** SIGNAL_POLL: the radio's measurement when the driver can take one (it becomes the association's signal). */
  pollSignal(): Promise<LinkSignal | undefined>;
  /** BSSID_IGNORE: the list, most recent first. */
  ignoredBssids(): readonly string[];
  ignoreBssid(bssid: string): void;
  clearIgnoredBssids(): void;
  /** STA_AUTOCONNECT. */
  setAutoconnect(on: boolean): void;
  /** SCAN_INTERVAL (seconds). */
  setScanInterval(seconds: number): void;
  /** DRIVER <cmd>: passed to the driver; rejects when it refuses. */
  driverCommand(cmd: string): Promise<string>;
  /** OFFLOAD_STATUS: what the host and the firmware each hold. */
  offloadAudit(): Promise<OffloadAudit>;
  /** SUSPEND / RESUME of the system (driver protocol version 2 `suspend`/`resume`). */
  suspend(): Promise<void>;
  resume(): Promise<void>;
}
