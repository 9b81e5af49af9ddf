/**
 * One association as the station tracks it, and what follows from it alone:
 * the PMK of a PSK network, our RSNE for the (Re)Association Request and the
 * STATUS lines wpa_supplicant prints for it.
 */
import { ssidTxt } from '../config/cstr.js';
import type { NetworkConfig } from '../config/network.js';
import type { AssociationKeys } from '../offload/key-owner.js';
import { pbkdf2Psk } from '../rsn/crypto.js';
import { akmFacts } from '../rsn/akm.js';
import { buildRsne, parseRsne } from '../rsn/rsne.js';
import type { SecurityChoice } from './select.js';

export interface Association {
  net: NetworkConfig;
  bssid: string;
  freq: number;
  ssid: Buffer;
  sec: SecurityChoice;
  /** The EAPOL-Key side; undefined for an open network. */
  keys: AssociationKeys | undefined;
  signal: number;
  /** Set when the key exchange failed and we asked the driver to disconnect. */
  failure?: { reason: number; wrongKey: boolean };
}

/** The PMK for a PSK network: the raw PSK or PBKDF2(passphrase, SSID), cached by rsn. */
export function pskPmk(net: NetworkConfig): Buffer | undefined {
  if (net.psk) return net.psk;
  const passphrase = net.state.passphrase;
  if (passphrase !== undefined && net.ssid) return pbkdf2Psk(passphrase, net.ssid);
  return undefined;
}

/** Our RSNE for the (Re)Association Request, naming the PMKSA we want used. */
export function ownRsne(sec: SecurityChoice, pmkid: Buffer | undefined): Buffer {
  return buildRsne({
    group: sec.group,
    pairwise: [sec.pairwise],
    akms: [sec.akm],
    mfpc: sec.mfp,
    mfpr: sec.mfp && sec.mfpRequired,
    pmkids: pmkid ? [pmkid] : [],
    groupMgmt: sec.groupMgmt,
  });
}

/** The STATUS lines before wpa_state= once associated (wpa_supplicant_ctrl_iface_status + wpa_sm_get_status). */
export function statusLines(cur: Association): string {
  let s = `bssid=${cur.bssid}\nfreq=${cur.freq}\nssid=${ssidTxt(cur.ssid)}\nid=${cur.net.id}\n`;
  if (cur.net.idStr !== undefined) s += `id_str=${cur.net.idStr}\n`;
  s += `mode=station\npairwise_cipher=${cur.sec.pairwise}\ngroup_cipher=${cur.sec.group}\nkey_mgmt=${akmFacts(cur.sec.akm)?.statusTxt ?? cur.sec.akm}\n`;
  // pmf is the AP's requirement (MFPR 2, MFPC 1), with the BIP in use.
  if (cur.sec.mfp) s += `pmf=${parseRsne(cur.sec.apRsne).mfpr ? 2 : 1}\nmgmt_group_cipher=${bipTxt(cur.sec.groupMgmt)}\n`;
  return s;
}

/** wpa_cipher_txt() of a group management cipher (group_mgmt names it AES-128-CMAC, STATUS says BIP). */
function bipTxt(groupMgmt: string | undefined): string {
  return groupMgmt === undefined || groupMgmt === 'AES-128-CMAC' ? 'BIP' : groupMgmt;
}

