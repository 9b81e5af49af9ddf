/**
 * The STATUS lines wpa_supplicant 2.10 prints before `wpa_state=` once
 * associated (wpa_supplicant_ctrl_iface_status() + wpa_sm_get_status()).
 */
import { ssidTxt } from '../config/cstr.js';
import { akmFacts } from '../rsn/akm.js';
import { parseRsne } from '../rsn/rsne.js';
import type { AssociationView } from '../station/api.js';

export function associationStatusLines(cur: AssociationView): string {
  let s = `bssid=${cur.bssid}\nfreq=${cur.freq}\nssid=${ssidTxt(cur.ssid)}\nid=${cur.networkId}\n`;
  if (cur.idStr !== undefined) s += `id_str=${cur.idStr}\n`;
  s += `mode=station\npairwise_cipher=${cur.sec.pairwise}\ngroup_cipher=${cur.sec.group}\nkey_mgmt=${akmFacts(cur.sec.akm)?.statusTxt ?? cur.sec.akm}\n`;
  // pmf is the AP's requirement (MFPR 2, MFPC 1), with the BIP in use.
  if (cur.sec.mfp) s += `pmf=${parseRsne(cur.sec.apRsne).mfpr ? 2 : 1}\nmgmt_group_cipher=${bipTxt(cur.sec.groupMgmt)}\n`;
  // 2.10 prints these while its SME's SAE instance is in Accepted state (no SAE-PK here).
  if (cur.sae) s += `sae_group=${cur.sae.group}\nsae_h2e=${cur.sae.h2e ? 1 : 0}\nsae_pk=0\n`;
  return s;
}

/** wpa_cipher_txt() of a group management cipher (group_mgmt names it AES-128-CMAC, STATUS says BIP). */
function bipTxt(groupMgmt: string | undefined): string {
  return groupMgmt === undefined || groupMgmt === 'AES-128-CMAC' ? 'BIP' : groupMgmt;
}
