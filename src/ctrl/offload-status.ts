/**
 * The text of OFFLOAD_STATUS, the one command wpa_supplicant does not have:
 * one `key=value` per line. Keys appear only as fingerprints (first 8 hex
 * digits of SHA-256, the form the driver's `sync_state` uses), never in clear.
 */
import { pmksaIds, type OffloadAudit } from '../offload/audit.js';
import { keyFingerprint } from '../offload/key-owner.js';

const CAPABILITY_NAMES = ['four_way_psk', 'four_way_8021x', 'key_mgmt_offload', 'gtk_rekey_offload', 'pmksa_offload', 'sae_offload'] as const;

export function formatOffloadStatus(a: OffloadAudit): string {
  const lines: string[] = [];
  const caps = a.caps;
  lines.push(`capabilities=${caps ? CAPABILITY_NAMES.filter((c) => caps[c]).join(' ') : ''}`);
  if (caps) lines.push(`max_pmksa=${caps.max_pmksa}`);
  const keys = a.keys;
  const host = keys?.material ?? null;
  if (keys) {
    lines.push(`bssid=${keys.bssid}`);
    lines.push(`key_owner=${keys.owner}`);
    lines.push(`completion=${keys.how}`);
    if (keys.apMldAddr) lines.push(`ap_mld_addr=${keys.apMldAddr}`);
    // `suspended`, or why the firmware last woke the host (empty: never).
    lines.push(`power=${keys.power}`);
  } else {
    lines.push('key_owner=none');
  }
  lines.push(`host_replay_ctr=${keys?.replayCounter?.toString('hex') ?? ''}`);
  lines.push(`host_kck_fp=${keyFingerprint(host?.kck) ?? ''}`);
  lines.push(`host_kek_fp=${keyFingerprint(host?.kek) ?? ''}`);
  const fw = a.firmware;
  // Without sync_state: what the firmware acknowledged or reported, marked as such.
  if (a.firmwareUnreported) lines.push('fw_state=unreported');
  if (fw) {
    lines.push(`fw_replay_ctr=${fw.replayCtr?.toString('hex') ?? ''}`);
    lines.push(`fw_kck_fp=${fw.kckFp ?? ''}`);
    lines.push(`fw_kek_fp=${fw.kekFp ?? ''}`);
  } else {
    lines.push(`fw_state=unavailable${a.firmwareError ? ` (${a.firmwareError})` : ''}`);
  }
  lines.push(`host_pmksa=${pmksaIds(a.hostPmksa).join(' ')}`);
  // dot11RSNAConfigPMKLifetime / PMKReauthThreshold at work: aa/akm/seconds to expiry/seconds to the reauthentication threshold (negative: past it).
  const times = a.hostPmksa.filter((e) => e.expiresIn !== undefined).map((e) => `${e.aa}/${e.akm ?? ''}/${e.expiresIn}/${e.reauthIn ?? ''}`);
  lines.push(`host_pmksa_lifetime=${times.sort().join(' ')}`);
  lines.push(`fw_pmksa=${fw ? pmksaIds(fw.pmkids).join(' ') : ''}`);
  // The APs whose PMKSA the firmware kept to itself (SAE offload, no pmksa_added): known to be there, PMKID unknown.
  if (a.firmwareOwned?.length) lines.push(`fw_pmksa_unreported=${a.firmwareOwned.join(' ')}`);
  lines.push(`in_sync=${a.inSync ? 1 : 0}`);
  return lines.map((l) => `${l}\n`).join('');
}
