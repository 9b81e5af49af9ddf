/**
 * The station when no driver is configured: it cannot scan or associate, so
 * it only reports the state a Wi-Fi wpa_supplicant reports between scans:
 * INACTIVE while no network is enabled ("No enabled networks - do not scan"),
 * DISCONNECTED once one is. Everything the control interface manages
 * (networks, configuration, monitors) works on top of it unchanged.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { SupplicantConfig } from '../config/config.js';
import type { PmksaCache } from '../rsn/pmksa.js';
import type { MibState, NetworkRef, StationControl, StationEvents } from './api.js';
import { MsgLevel } from '../log.js';
import { invalidatesPmksa } from './association.js';
import { ev } from './events.js';
import type { WpaState } from './state.js';

export class IdleStation extends EventEmitter<StationEvents> implements StationControl {
  readonly ownAddress: string;
  readonly currentNetworkId = undefined;

  constructor(
    ifname: string,
    private readonly config: () => SupplicantConfig,
    /** Filled only by PMKSA_ADD here (no association); network changes and FLUSH empty it. */
    private readonly pmksa: PmksaCache,
  ) {
    super();
    this.ownAddress = readMacAddress(ifname);
  }

  get wpaState(): WpaState {
    return this.config().networks.some((n) => n.disabled === 0) ? 'DISCONNECTED' : 'INACTIVE';
  }

  statusAssocLines(): string {
    return '';
  }

  mib(): MibState {
    return { fourWayFailures: 0, portAuthorized: false };
  }

  isTempDisabled(): boolean {
    return false;
  }

  // Nothing to connect to or disconnect from: the configuration change and the PMKSA entries are all there is.
  networkAdded(_net: NetworkRef): void {}
  networkRemoved(net: NetworkRef): void {
    this.pmksa.removeNetwork(net.id);
  }
  networkChanged(net: NetworkRef, field: string): void {
    if (invalidatesPmksa(field)) this.pmksa.removeNetwork(net.id);
  }
  enableNetwork(_net: NetworkRef | undefined): void {}
  disableNetwork(_net: NetworkRef | undefined): void {}
  selectNetwork(_net: NetworkRef | undefined): void {}
  reconfigured(): void {}

  flush(removeNetworks: () => void): void {
    removeNetworks();
    this.pmksa.flush();
  }

  /** wpa_supplicant_deauthenticate() at deinit marks a disassociation even with nothing associated. */
  async terminate(): Promise<void> {
    this.emit('ctrlEvent', MsgLevel.INFO, ev.dscpClearAll());
  }
}

/** The interface's MAC from sysfs; all zeros when the interface does not exist here. */
function readMacAddress(ifname: string): string {
  try {
    return fs.readFileSync(`/sys/class/net/${ifname}/address`, 'utf8').trim();
  } catch {
    return '00:00:00:00:00:00';
  }
}
