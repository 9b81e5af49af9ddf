/**
 * OFFLOAD_STATUS's facts: what the host and the firmware each believe about
 * the keys of the current association and the PMKSA cache, and whether they
 * agree. The text is the control interface's (src/ctrl/offload-status.ts).
 */
import type { DriverCapabilities, FirmwareSyncState } from '../driver/backend.js';
import { keyFingerprint } from './key-owner.js';
import type { KeyPathAudit } from './key-path.js';

export interface OffloadAudit {
  caps: DriverCapabilities | undefined;
  /** The key side of the association in progress; undefined when there is none or it is open. */
  keys: KeyPathAudit | undefined;
  /** The host's entries; `expiresIn`/`reauthIn`: seconds until expiry and until the reauthentication threshold. */
  hostPmksa: { aa: string; pmkid: Buffer; akm?: string; expiresIn?: number; reauthIn?: number }[];
  firmware: FirmwareSyncState | undefined;
  /** Why the firmware's view could not be read, if it could not. */
  firmwareError?: string;
  /**
   * The driver cannot report its state (hello `sync_state: false`): `firmware`
   * is what it acknowledged or reported, and in_sync covers only that.
   */
  firmwareUnreported?: boolean;
  /** APs whose PMKSA the firmware made and kept (SAE offload without `pmksa_added`): the host cannot name those entries. */
  firmwareOwned?: string[];
  inSync: boolean;
}

/** PMKSA entries as `aa/pmkid`, sorted: the form both sides are compared (and shown) in. */
export function pmksaIds(entries: { aa?: string; bssid?: string; pmkid: Buffer }[]): string[] {
  return entries.map((e) => `${(e.aa ?? e.bssid ?? '').toLowerCase()}/${e.pmkid.toString('hex')}`).sort();
}

export function auditOffload(a: Omit<OffloadAudit, 'inSync'>): OffloadAudit {
  return { ...a, inSync: inSync(a) };
}

/**
 * In sync when the firmware holds exactly the PMKSA entries the host holds,
 * and the PTK material the firmware is meant to hold equals the host's: all
 * of it (KCK, KEK, replay counter) when the firmware takes rekey data, since
 * the host pushes it after every exchange it runs; KCK and KEK when the
 * firmware ran the handshake but takes no rekey data (its replay counter is
 * then legitimately left behind by host-run group rekeys).
 */
function inSync(a: Omit<OffloadAudit, 'inSync'>): boolean {
  const fw = a.firmware;
  if (!fw) return false;
  // An entry the firmware kept for itself is expected in its table, not in the host's.
  const owned = new Set(a.firmwareOwned ?? []);
  const fwPmkids = fw.pmkids.filter((e) => !owned.has(e.bssid.toLowerCase()));
  if (pmksaIds(a.hostPmksa).join(' ') !== pmksaIds(fwPmkids).join(' ')) return false;
  const keys = a.keys;
  if (!keys || keys.owner === 'none') return true;
  const takesRekeyData = a.caps?.gtk_rekey_offload ?? false;
  if (!takesRekeyData && keys.owner !== 'firmware') return true;
  const host = keys.material;
  if (!host) {
    // Without KCK/KEK only the replay counter can be compared.
    const ctr = keys.replayCounter;
    return keys.how === 'firmware-no-material' && (ctr === null || fw.replayCtr === null || fw.replayCtr.equals(ctr));
  }
  const keysEqual = fw.kckFp === keyFingerprint(host.kck) && fw.kekFp === keyFingerprint(host.kek);
  if (!takesRekeyData) return keysEqual;
  return keysEqual && fw.replayCtr !== null && fw.replayCtr.equals(host.replayCounter);
}
