/**
 * Network and BSS selection, after wpa_supplicant's wpa_supplicant_select_bss():
 * networks in priority groups (highest first), a BSS matches a network when the
 * SSID (and BSSID, if pinned) match, the BSS's channel is in the network's
 * freq_list (if any), and the security of the BSS's RSNE fits the
 * network's key_mgmt / pairwise / group / ieee80211w; among matches the
 * strongest signal wins.
 */
import type { NetworkConfig } from '../config/network.js';
import { akmFacts, akmFamily } from '../rsn/akm.js';
import { parseRsne, type Rsne } from '../rsn/rsne.js';
import type { SecurityChoice } from '../rsn/security.js';
import { bssRsne, type BssEntry } from './bss-table.js';
import { CAPAB_PRIVACY, findIe } from './ies.js';

/** The Mobility Domain element (FT). */
const EID_MDE = 54;

export type { SecurityChoice } from '../rsn/security.js';

/**
 * wpa_supplicant_set_suites()'s AKM preference when a BSS offers several the
 * network allows (2.10: FT-EAP, FT-SAE, SAE, FT-PSK, then the SHA-256 and
 * SHA-1 ones). The FT AKMs make the initial mobility domain association (its
 * FT 4-way handshake on the host) and, with a driver that carries FT
 * Authentication, FT over the air on ROAM. The SHA-384 FT AKMs and
 * FT-SAE-EXT-KEY are not chosen.
 */
export const AKM_PREFERENCE: readonly string[] = ['FT-EAP', 'FT-SAE', 'SAE', 'FT-PSK', 'WPA-EAP-SHA256', 'WPA-PSK-SHA256', 'WPA-EAP', 'WPA-PSK'];
/**
 * No TKIP: its EAPOL-Key descriptor version 1 (HMAC-MD5, RC4) and its GTK
 * layout (the Michael keys swapped at installation) are not implemented, so a
 * BSS that needs TKIP for pairwise or group keys is no candidate (as for
 * wpa_supplicant built with CONFIG_NO_TKIP).
 */
export const PAIRWISE_PREFERENCE: readonly string[] = ['GCMP-256', 'CCMP-256', 'GCMP', 'CCMP'];

/**
 * Returns the security to use with `bss` for `net`, or undefined when the two
 * cannot agree. `pmfDefault` is the global `pmf` option, used for ieee80211w=3.
 * `usableAkm` leaves out AKMs the network has nothing to authenticate with,
 * so the next one the BSS offers is taken (a WPA3-transition BSS falls back
 * to WPA-PSK when there is no PMKSA for SAE).
 */
export function chooseSecurity(
  net: NetworkConfig,
  bss: BssEntry,
  pmfDefault: number,
  usableAkm: (akm: string) => boolean = () => true,
): SecurityChoice | undefined {
  const raw = bssRsne(bss);
  if (!raw) {
    // No RSNE: an open BSS, unless the Privacy bit says WEP or WPA1 (not
    // supported); a network with WEP keys wants privacy, so never an open BSS.
    if (!net.keyMgmt.includes('NONE') || net.hasWepKey || (bss.caps & CAPAB_PRIVACY) !== 0) return undefined;
    return { akm: 'NONE', pairwise: 'NONE', group: 'NONE', mfp: false, mfpRequired: false, apRsne: Buffer.alloc(0) };
  }
  let rsne: Rsne;
  try {
    rsne = parseRsne(raw);
  } catch {
    return undefined;
  }
  if (!net.proto.includes('RSN')) return undefined;
  // SAE mandates PMF (802.11-2020 12.6.2): a BSS without MFPC is no SAE candidate (a transition network falls back to PSK).
  const akm = AKM_PREFERENCE.find((a) => net.keyMgmt.includes(a) && rsne.akms.includes(a) && usableAkm(a) && (akmFamily(a) !== 'sae' || rsne.mfpc));
  if (!akm) return undefined;
  // An FT AKM needs the BSS's Mobility Domain element (hostapd refuses an association without it).
  const mde = akmFacts(akm)?.ft ? findIe(bss.ies, EID_MDE)?.raw : undefined;
  if (akmFacts(akm)?.ft && !mde) return undefined;
  const pairwise = PAIRWISE_PREFERENCE.find((c) => net.pairwise.includes(c) && rsne.pairwise.includes(c));
  if (!pairwise) return undefined;
  if (!net.group.includes(rsne.group) || rsne.group === 'TKIP') return undefined;
  let w = net.ieee80211w === 3 ? pmfDefault : net.ieee80211w;
  // wpa_supplicant's SAE-only networks (key_mgmt with nothing but SAE AKMs) always use PMF, and require it.
  if (akmFamily(akm) === 'sae') w = net.keyMgmt.every((k) => akmFamily(k) === 'sae') ? 2 : Math.max(w, 1);
  const apCapable = rsne.mfpc;
  const apRequired = rsne.mfpr;
  if (w === 2 && !apCapable) return undefined;
  if (w === 0 && apRequired) return undefined;
  const mfp = w > 0 && apCapable;
  return {
    akm,
    pairwise,
    group: rsne.group,
    groupMgmt: mfp ? (rsne.groupMgmt ?? 'AES-128-CMAC') : undefined,
    mfp,
    mfpRequired: w === 2,
    apRsne: Buffer.from(raw),
    ...(mde ? { mde: Buffer.from(mde) } : {}),
  };
}

/**
 * The network has what it takes to authenticate with this AKM. Without EAP
 * methods in the daemon, an 802.1X AKM has a PMK only from a cached PMKSA
 * (filled by the firmware, PMKSA_ADD, or the PMKSA file). SAE and FT-SAE run on
 * the host when the driver takes Authentication frames (`hostSae`) and the
 * network has a password: sae_password, else the psk passphrase (a raw psk
 * is no SAE password); a cached PMKSA does without.
 */
export function hasCredentials(net: NetworkConfig, akm: string, cachedPmk: boolean, hostSae = false): boolean {
  if (akm === 'NONE') return true;
  if (akmFamily(akm) === 'psk') return net.passphrase !== undefined || net.psk !== undefined;
  if (akmFamily(akm) === 'sae' && hostSae && (net.saePassword !== undefined || net.passphrase !== undefined)) return true;
  return cachedPmk;
}

/** The security a network would use with a BSS, given the credentials it has (chooseSecurity with hasCredentials): undefined when none. */
export function securityFor(net: NetworkConfig, bss: BssEntry, pmfDefault: number, cachedPmk: (akm: string) => boolean, hostSae = false): SecurityChoice | undefined {
  return chooseSecurity(net, bss, pmfDefault, (akm) => hasCredentials(net, akm, cachedPmk(akm), hostSae));
}

export interface Candidate {
  net: NetworkConfig;
  bss: BssEntry;
  sec: SecurityChoice;
}

export function selectCandidate(
  networks: readonly NetworkConfig[],
  bsses: readonly BssEntry[],
  usable: (net: NetworkConfig) => boolean,
  bssUsable: (bss: BssEntry) => boolean,
  pmfDefault: number,
  cachedPmk: (net: NetworkConfig, bss: BssEntry, akm: string) => boolean,
  hostSae = false,
): Candidate | undefined {
  const enabled = networks.filter((n) => n.disabled === 0 && usable(n));
  const priorities = [...new Set(enabled.map((n) => n.priority))].sort((a, b) => b - a);
  for (const prio of priorities) {
    let best: Candidate | undefined;
    for (const net of enabled.filter((n) => n.priority === prio)) {
      for (const bss of bsses) {
        if (!bssUsable(bss)) continue;
        if (!net.ssid || !net.ssid.equals(bss.ssid)) continue;
        if (net.bssid && net.bssid !== bss.bssid) continue;
        if (net.bssidIgnore.includes(bss.bssid)) continue;
        if (net.bssidAccept.length > 0 && !net.bssidAccept.includes(bss.bssid)) continue;
        // freq_allowed(): freq_list confines the network to those channels.
        if (net.freqList && !net.freqList.includes(bss.freq)) continue;
        const sec = securityFor(net, bss, pmfDefault, (akm) => cachedPmk(net, bss, akm), hostSae);
        if (!sec) continue;
        if (!best || bss.level > best.bss.level) best = { net, bss, sec };
      }
    }
    if (best) return best;
  }
  return undefined;
}
