/**
 * Wake-on-WLAN on nl80211, as wpa_supplicant 2.10 does it: the configured
 * `wowlan_triggers` words are checked against what the wiphy supports
 * (driver_common.c's wpa_get_wowlan_triggers(): one unknown or unsupported
 * word and nothing is set at all) and go to the kernel as flags nested in
 * NL80211_ATTR_WOWLAN_TRIGGERS of NL80211_CMD_SET_WOWLAN when the interface
 * starts and when the value changes. NL80211_CMD_GET_WOWLAN says whether
 * WoWLAN is enabled (at deinit). The kernel's wake-up report (the same
 * command as an event) names why the system woke.
 */
import type { WakeReason } from '../backend.js';
import { parseAttrs } from './attrs.js';
import { WowlanTrig } from './numbers.js';

/** The `wowlan_triggers` words and their flags, in the order 2.10's nl80211_set_wowlan() puts them. */
const TRIGGERS = [
  ['any', WowlanTrig.ANY],
  ['disconnect', WowlanTrig.DISCONNECT],
  ['magic_pkt', WowlanTrig.MAGIC_PKT],
  ['gtk_rekey_failure', WowlanTrig.GTK_REKEY_FAILURE],
  ['eap_identity_req', WowlanTrig.EAP_IDENT_REQUEST],
  ['four_way_handshake', WowlanTrig.FOUR_WAY_HANDSHAKE],
  ['rfkill_release', WowlanTrig.RFKILL_RELEASE],
] as const;

export type WowlanTrigger = (typeof TRIGGERS)[number][0];

/** The words a wiphy's NL80211_ATTR_WOWLAN_TRIGGERS_SUPPORTED allows (2.10's wiphy_info_wowlan_triggers()). */
export function supportedWowlanTriggers(nested: Buffer | undefined): WowlanTrigger[] {
  if (!nested) return [];
  const a = parseAttrs(nested);
  return TRIGGERS.filter(([, flag]) => a.has(flag)).map(([word]) => word);
}

/**
 * The flags to set for a `wowlan_triggers` value, in 2.10's order, or the
 * first word the wiphy does not take (then 2.10 sets nothing, and says so
 * only at debug level). Words are separated by blanks (spaces, tabs).
 */
export function wowlanFlags(text: string, supported: readonly WowlanTrigger[]): { flags: number[] } | { refused: string } {
  const words = text.split(/[ \t]+/).filter((w) => w !== '');
  for (const w of words) {
    if (!supported.includes(w as WowlanTrigger)) return { refused: w };
  }
  return { flags: TRIGGERS.filter(([word]) => words.includes(word)).map(([, flag]) => flag) };
}

/** Wake-up reasons in the kernel's report, most telling first: the one the host acts on. */
const WAKE = [
  [WowlanTrig.GTK_REKEY_FAILURE, 'gtk_rekey_failure'],
  [WowlanTrig.FOUR_WAY_HANDSHAKE, 'four_way_handshake'],
  [WowlanTrig.EAP_IDENT_REQUEST, 'eap_identity_req'],
  [WowlanTrig.DISCONNECT, 'disconnect'],
  [WowlanTrig.MAGIC_PKT, 'magic_pkt'],
  [WowlanTrig.RFKILL_RELEASE, 'rfkill_release'],
  [WowlanTrig.PKT_PATTERN, 'pattern'],
] as const;

/**
 * Why the system woke, from the wake-up report's NL80211_ATTR_WOWLAN_TRIGGERS
 * (cfg80211_report_wowlan_wakeup()); undefined when the report has none (a
 * wake that WoWLAN did not cause). Reasons the driver protocol has no name
 * for (TCP, net-detect, the wake packet alone) are `other`.
 */
export function wakeReason(nested: Buffer | undefined): WakeReason | undefined {
  if (!nested) return undefined;
  const a = parseAttrs(nested);
  for (const [flag, reason] of WAKE) if (a.has(flag)) return reason;
  return 'other';
}
