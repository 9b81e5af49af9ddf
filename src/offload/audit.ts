/**
 * OFFLOAD_STATUS: what the host and the firmware each believe about the keys
 * of the current association and the PMKSA cache, and whether they agree.
 * Keys appear only as fingerprints (first 8 hex digits of SHA-256, the same
 * form `sync_state` uses), never in clear.
 */
import type { DriverCapabilities, FirmwareSyncState } from '../driver/backend.js';
import { keyFingerprint, type AssociationKeys } from './key-owner.js';

const CAPABILITY_NAMES = ['four_way_psk', 'four_way_8021x', 'key_mgmt_offload', 'gtk_rekey_offload', 'pmksa_offload'] as const;

export interface AuditInput {
  caps: DriverCapabilities | undefined;
  keys: AssociationKeys | undefined;
  hostPmksa: { aa: string; pmkid: Buffer }[];
  firmware: FirmwareSyncState | undefined;
  /** Why the firmware's view could not be read, if it could not. */
  firmwareError?: string;
}

export function formatOffloadStatus(a: AuditInput): string {
  const lines: string[] = [];
  const caps = a.caps;
  lines.push(`capabilities=${caps ? CAPABILITY_NAMES.filter((c) => caps[c]).join(' ') : ''}`);
  if (caps) lines.push(`max_pmksa=${caps.max_pmksa}`);
  const keys = a.keys;
  const host = keys?.material() ?? null;
  if (keys) {
    lines.push(`bssid=${keys.bssid}`);
    lines.push(`key_owner=${keys.owner}`);
    lines.push(`completion=${keys.how}`);
  } else {
    lines.push('key_owner=none');
  }
  lines.push(`host_replay_ctr=${keys?.replayCounter()?.toString('hex') ?? ''}`);
  lines.push(`host_kck_fp=${keyFingerprint(host?.kck) ?? ''}`);
  lines.push(`host_kek_fp=${keyFingerprint(host?.kek) ?? ''}`);
  const fw = a.firmware;
  if (fw) {
    lines.push(`fw_replay_ctr=${fw.replayCtr?.toString('hex') ?? ''}`);
    lines.push(`fw_kck_fp=${fw.kckFp ?? ''}`);
    lines.push(`fw_kek_fp=${fw.kekFp ?? ''}`);
  } else {
    lines.push(`fw_state=unavailable${a.firmwareError ? ` (${a.firmwareError})` : ''}`);
  }
  const hostIds = a.hostPmksa.map((e) => `${e.aa}/${e.pmkid.toString('hex')}`).sort();
  const fwIds = (fw?.pmkids ?? []).map((e) => `${e.bssid.toLowerCase()}/${e.pmkid.toString('hex')}`).sort();
  lines.push(`host_pmksa=${hostIds.join(' ')}`);
  lines.push(`fw_pmksa=${fw ? fwIds.join(' ') : ''}`);
  lines.push(`in_sync=${inSync(a, hostIds, fwIds) ? 1 : 0}`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * In sync when the firmware holds exactly the PMKSA entries the host holds,
 * and the PTK material the firmware is meant to hold equals the host's: all
 * of it (KCK, KEK, replay counter) when the firmware takes rekey data, since
 * the host pushes it after every exchange it runs; KCK and KEK when the
 * firmware ran the handshake but takes no rekey data (its replay counter is
 * then legitimately left behind by host-run group rekeys).
 */
function inSync(a: AuditInput, hostIds: string[], fwIds: string[]): boolean {
  const fw = a.firmware;
  if (!fw) return false;
  if (hostIds.join(' ') !== fwIds.join(' ')) return false;
  const keys = a.keys;
  if (!keys || keys.owner === 'none') return true;
  const takesRekeyData = a.caps?.gtk_rekey_offload ?? false;
  if (!takesRekeyData && keys.owner !== 'firmware') return true;
  const host = keys.material();
  if (!host) {
    // Without KCK/KEK only the replay counter can be compared.
    const ctr = keys.replayCounter();
    return keys.how === 'firmware-no-material' && (ctr === null || fw.replayCtr === null || fw.replayCtr.equals(ctr));
  }
  const keysEqual = fw.kckFp === keyFingerprint(host.kck) && fw.kekFp === keyFingerprint(host.kek);
  if (!takesRekeyData) return keysEqual;
  return keysEqual && fw.replayCtr !== null && fw.replayCtr.equals(host.replayCounter);
}
