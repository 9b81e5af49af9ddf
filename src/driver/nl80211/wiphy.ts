/**
 * NL80211_CMD_GET_WIPHY (NEW_WIPHY reply) into the driver's capabilities.
 * What the kernel does not say, we do not guess: the extended-KEK/KCK wiphy
 * flag (WIPHY_FLAG_SUPPORTS_EXT_KEK_KCK) is never sent to user space, so a
 * 24/32-byte KCK is found out by SET_REKEY_OFFLOAD's answer; brcmfmac's
 * "CONNECT means done" completion is not visible here either: the backend
 * recognises the driver by name (completion.ts).
 */
import { akmBySuite, allAkms, cipherBySelector, IEEE80211_OUI } from '../../rsn/akm.js';
import type { DriverCapabilities } from '../backend.js';
import { parseHwModes } from './bands.js';
import { type Attrs, getU32, getU8, nestedList, parseAttrs, u32Array } from './attrs.js';
import { Attr, Cmd, ExtFeature, FEATURE_SAE, OUI_QCA, QcaSubcmd, WowlanTrig } from './numbers.js';
import { supportedWowlanTriggers, type WowlanTrigger } from './wowlan.js';

export interface WiphyInfo {
  wiphy: number;
  capabilities: DriverCapabilities;
  /** EAPOL travels in NL80211_CMD_CONTROL_PORT_FRAME; otherwise through a packet socket on the netdev. */
  controlPortOverNl80211: boolean;
  /** The wowlan_triggers words the wiphy takes (NL80211_ATTR_WOWLAN_TRIGGERS_SUPPORTED; none without WoWLAN). */
  wowlanTriggers: WowlanTrigger[];
}

function hasExtFeature(ext: Buffer | undefined, bit: number): boolean {
  return !!ext && bit >> 3 < ext.length && (ext[bit >> 3] & (1 << (bit & 7))) !== 0;
}

const suiteOui = (s: number): number => s >>> 8;

function names(suites: number[], lookup: (s: number) => string | undefined): string[] {
  const out: string[] = [];
  for (const s of suites) {
    const n = lookup(s);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** A QCA vendor command listed in ATTR_VENDOR_DATA (struct nl80211_vendor_cmd_info: u32 vendor_id, u32 subcmd). */
function hasQcaVendorCmd(a: Attrs, subcmd: number): boolean {
  const list = a.get(Attr.VENDOR_DATA);
  if (!list) return false;
  return nestedList(list).some((info) => info.length >= 8 && info.readUInt32LE(0) === OUI_QCA && info.readUInt32LE(4) === subcmd);
}

/**
 * Capabilities from one wiphy's attributes (a split dump merges its parts
 * first: mergeWiphyParts). Throws Nl80211DecodeError on malformed values.
 */
export function parseWiphy(a: Attrs): WiphyInfo {
  const wiphy = getU32(a.get(Attr.WIPHY), 'ATTR_WIPHY');
  const ext = a.get(Attr.EXT_FEATURES);
  const cipherSuites = a.get(Attr.CIPHER_SUITES);
  const akmSuites = a.get(Attr.AKM_SUITES);
  const ciphers = cipherSuites
    ? names(u32Array(cipherSuites, 'ATTR_CIPHER_SUITES'), (s) => (suiteOui(s) === IEEE80211_OUI ? cipherBySelector(s & 0xff)?.name : undefined))
    : [];
  // mac80211 drivers list no AKM suites: cfg80211 then accepts any, as hostap assumes. FT-SAE is
  // left out of what such a driver reports, as 2.10 leaves it out of its capabilities then (its
  // defaults, plus FT and FT-PSK once FT Action frames register; GET_CAPABILITY key_mgmt on
  // mac80211_hwsim has no FT-SAE); 2.10 still connects with FT-SAE there, and so do we.
  const akms = akmSuites
    ? names(u32Array(akmSuites, 'ATTR_AKM_SUITES'), (s) => akmBySuite(suiteOui(s), s & 0xff)?.name)
    : allAkms().map((x) => x.name).filter((n) => n !== 'FT-SAE');
  const wowlan = a.get(Attr.WOWLAN_TRIGGERS_SUPPORTED);
  const psk = hasExtFeature(ext, ExtFeature.FOUR_WAY_HANDSHAKE_STA_PSK);
  const x1 = hasExtFeature(ext, ExtFeature.FOUR_WAY_HANDSHAKE_STA_1X);
  const pmkids = a.get(Attr.MAX_NUM_PMKIDS);
  const bands = a.get(Attr.WIPHY_BANDS);
  const features = a.get(Attr.FEATURE_FLAGS);
  const featureSae = features !== undefined && (getU32(features, 'ATTR_FEATURE_FLAGS') & FEATURE_SAE) !== 0;
  // 2.10's WPA_DRIVER_FLAGS_SME: the wiphy takes AUTHENTICATE (every mac80211 driver), so the host may run the SME.
  const commands = a.get(Attr.SUPPORTED_COMMANDS);
  const sme = !!commands && nestedList(commands).some((c) => c.length >= 4 && c.readUInt32LE(0) === Cmd.AUTHENTICATE);
  return {
    wiphy,
    controlPortOverNl80211: hasExtFeature(ext, ExtFeature.CONTROL_PORT_OVER_NL80211),
    wowlanTriggers: supportedWowlanTriggers(wowlan),
    capabilities: {
      four_way_psk: psk,
      four_way_8021x: x1,
      key_mgmt_offload: hasQcaVendorCmd(a, QcaSubcmd.KEY_MGMT_SET_KEY),
      gtk_rekey_offload: !!wowlan && parseAttrs(wowlan).has(WowlanTrig.GTK_REKEY_SUPPORTED),
      // A firmware that runs 802.1X handshakes itself needs the PMK of each cached PMKSA.
      pmksa_offload: x1,
      max_pmksa: pmkids ? getU8(pmkids, 'ATTR_MAX_NUM_PMKIDS') : 0,
      akms,
      ciphers,
      completion: 'port_authorized',
      // nl80211 has no GET_PMKSA and no way to read PTK material back.
      sync_state: false,
      sae_offload: hasExtFeature(ext, ExtFeature.SAE_OFFLOAD),
      hw_modes: bands ? parseHwModes(bands) : undefined,
      // NL80211_FEATURE_SAE (every mac80211 driver): SAE runs in the host's SME, as 2.10's WPA_DRIVER_FLAGS_SAE ...
      sae_auth: featureSae && sme,
      // ... or, on a connect-style driver (no AUTHENTICATE), when the driver asks for it (NL80211_CMD_EXTERNAL_AUTH).
      sae_external_auth: featureSae && !sme,
      // FT over the air through the host's SME (2.10's WPA_AUTH_ALG_FT with WPA_DRIVER_FLAGS_SME): AUTHENTICATE with the FT elements.
      ft_auth: sme,
    },
  };
}

/**
 * A split GET_WIPHY dump (NL80211_ATTR_SPLIT_WIPHY_DUMP) sends one wiphy in
 * several messages: later parts add attributes, except the bands, which come
 * one channel per message: their streams are joined (bands.ts reads them).
 */
export function mergeWiphyParts(parts: Attrs[]): Attrs {
  const out: Attrs = new Map();
  const bands: Buffer[] = [];
  for (const p of parts) {
    for (const [k, v] of p) {
      if (k === Attr.WIPHY_BANDS) bands.push(v);
      else if (!out.has(k)) out.set(k, v);
    }
  }
  if (bands.length) out.set(Attr.WIPHY_BANDS, Buffer.concat(bands));
  return out;
}
