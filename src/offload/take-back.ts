/**
 * How the host takes a 4-way handshake back from a firmware that was asked
 * to run it and said nothing: one rule per AKM family, in one place (the key
 * owner, the key path and the SAE code all ask here).
 *
 * What an AP does with EAPOL-Start decides it (hostapd's
 * ieee802_1x_receive() and wpa_auth_sm_event(WPA_REAUTH_EAPOL)):
 * - from an 802.1X station (and one with an SAE PMKSA) it drops the cached
 *   PMKSA for that station and starts EAP over, which a host without EAP
 *   methods cannot answer: the association is lost, and so is the PMKSA;
 * - from an FT station it changes nothing (the FT key hierarchy, not the
 *   PMKSA, keys the association), so the handshake never restarts;
 * - after more than three 4-way handshake starts without success it
 *   disconnects the station ("Multiple EAP reauth attempts without 4-way
 *   handshake completion").
 * hostapd 2.10 on the kernel radio (test/radio/takeback.ts) applies none of
 * this to a PSK or SAE station: on a BSS without ieee8021x=1 it drops every
 * EAPOL frame but EAPOL-Key ("IEEE 802.1X: Ignore EAPOL message - 802.1X not
 * enabled and WPS not used"), so EAPOL-Start restarts nothing and drops no SAE
 * PMKSA there; a PSK take-back completes on the AP's own msg 1/4 retry, which
 * the offload wait leaves room for. Other APs restart the handshake.
 * So EAPOL-Start is used only where it costs nothing (PSK, not FT), once per
 * association; everywhere else the host reassociates with the firmware's
 * handshake off (`four_way_offload: false`; for SAE also no SAE password, so
 * the firmware runs no SAE either), offering the cached PMKID, and runs the
 * 4-way handshake itself from the cached PMKSA. SAE with no PMKSA cached
 * (a firmware that ran SAE and reported none) runs SAE on the host first.
 */
import { akmFacts } from '../rsn/akm.js';

export type TakeBackMeans =
  /** One EAPOL-Start: the AP restarts the 4-way handshake (or ignores it harmlessly), never sent twice. */
  | 'eapol-start'
  /** Reassociate with offload off, naming the cached PMKSA by its PMKID. */
  | 'reassociate';

/** The means for this AKM (by wpa_supplicant name); an unknown AKM reassociates, which harms nothing. */
export function takeBackMeans(akm: string): TakeBackMeans {
  const a = akmFacts(akm);
  if (a && a.family === 'psk' && !a.ft) return 'eapol-start';
  return 'reassociate';
}

/**
 * The reassociation needs a PMKSA the host holds: without one an 802.1X AKM
 * could only start EAP, which the host cannot run. (A PSK or FT-PSK AKM has
 * its PMK from the passphrase; SAE runs SAE again.)
 */
export function takeBackNeedsPmksa(akm: string): boolean {
  return akmFacts(akm)?.family === '8021x';
}
