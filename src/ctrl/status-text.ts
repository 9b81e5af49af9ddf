/**
 * STATUS's text (wpa_supplicant_ctrl_iface_status() + wpa_sm_get_status() of
 * 2.10), kept between requests.
 *
 * A poller asks for STATUS many times a second and the answer rarely
 * changes: building it anew (ssidTxt() byte by byte, the AP's RSNE parsed
 * for pmf=, a dozen concatenations), then flattening and encoding it, was
 * most of the daemon's own work per STATUS. Nothing has to invalidate the
 * kept text from outside, so no state change can be missed: statusText()
 * compares every value the text is made of with the one it was built from
 * (the SSID's and RSNE's bytes included) and builds it again when one
 * differs, so the text is always what building it anew would give. The same
 * string object comes back while nothing changed, which the transport
 * recognises by identity (CtrlSocket.reply()) to send the same bytes again.
 */
import { ssidTxt } from '../config/cstr.js';
import { akmFacts } from '../rsn/akm.js';
import { parseRsne } from '../rsn/rsne.js';
import type { AssociationView } from '../station/api.js';

/** What STATUS shows: `association` only once associated (wpa_state ASSOCIATED or later). */
export interface StatusInputs {
  wpaState: string;
  association: AssociationView | undefined;
  ipAddress: string | undefined;
  address: string;
  uuid: string;
}

/** The values the kept text was built from: copies, so that a change in place is seen too. */
interface Kept {
  wpaState: string;
  ipAddress: string | undefined;
  address: string;
  uuid: string;
  assoc: KeptAssociation | undefined;
  text: string;
}

/** associationStatusLines()'s inputs as they were. */
interface KeptAssociation {
  bssid: string;
  freq: number;
  ssid: Buffer;
  networkId: number;
  idStr: string | undefined;
  pairwise: string;
  group: string;
  akm: string;
  mfp: boolean;
  apRsne: Buffer;
  groupMgmt: string | undefined;
  saeGroup: number | undefined;
  saeH2e: boolean | undefined;
}

/** One text is kept, the last one built: it is a function of its inputs alone, whichever interface asks. */
let kept: Kept | undefined;

/** STATUS's reply (without -DRIVER): the kept string while nothing it shows has changed. */
export function statusText(s: StatusInputs): string {
  const k = kept;
  if (
    k !== undefined &&
    k.wpaState === s.wpaState &&
    k.ipAddress === s.ipAddress &&
    k.address === s.address &&
    k.uuid === s.uuid &&
    sameAssociation(k.assoc, s.association)
  ) {
    return k.text;
  }
  let text = s.association ? associationStatusLines(s.association) : '';
  text += `wpa_state=${s.wpaState}\n`;
  if (s.ipAddress !== undefined) text += `ip_address=${s.ipAddress}\n`;
  text += `address=${s.address}\nuuid=${s.uuid}\n`;
  kept = { wpaState: s.wpaState, ipAddress: s.ipAddress, address: s.address, uuid: s.uuid, assoc: s.association && keep(s.association), text };
  return text;
}

function keep(cur: AssociationView): KeptAssociation {
  const { sec, sae } = cur;
  return {
    bssid: cur.bssid,
    freq: cur.freq,
    ssid: Buffer.from(cur.ssid),
    networkId: cur.networkId,
    idStr: cur.idStr,
    pairwise: sec.pairwise,
    group: sec.group,
    akm: sec.akm,
    mfp: sec.mfp,
    apRsne: Buffer.from(sec.apRsne),
    groupMgmt: sec.groupMgmt,
    saeGroup: sae?.group,
    saeH2e: sae?.h2e,
  };
}

function sameAssociation(k: KeptAssociation | undefined, cur: AssociationView | undefined): boolean {
  if (k === undefined || cur === undefined) return k === cur;
  const { sec, sae } = cur;
  return (
    k.bssid === cur.bssid &&
    k.freq === cur.freq &&
    k.networkId === cur.networkId &&
    k.idStr === cur.idStr &&
    k.pairwise === sec.pairwise &&
    k.group === sec.group &&
    k.akm === sec.akm &&
    k.mfp === sec.mfp &&
    k.groupMgmt === sec.groupMgmt &&
    k.saeGroup === sae?.group &&
    k.saeH2e === sae?.h2e &&
    sameBytes(k.ssid, cur.ssid) &&
    sameBytes(k.apRsne, sec.apRsne)
  );
}

/** Byte by byte in JavaScript: an SSID or an RSNE is a few dozen bytes, less than a call into C++ (Buffer#equals) costs. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The STATUS lines wpa_supplicant 2.10 prints before `wpa_state=` once
 * associated (wpa_supplicant_ctrl_iface_status() + wpa_sm_get_status()).
 */
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
