/**
 * nl80211 and QCA vendor numbers this backend speaks. Values from the
 * kernel's include/uapi/linux/nl80211.h (enum nl80211_commands, nl80211_attrs,
 * nl80211_ext_feature_index, nl80211_rekey_data, nl80211_sta_flags,
 * nl80211_wowlan_triggers) and hostap's src/common/qca-vendor.h
 * (enum qca_nl80211_vendor_subcmds, qca_wlan_vendor_attr_roam_auth).
 * test/fixtures/nl80211/README.md names the enum each value comes from.
 */

export const NL80211_GENL_NAME = 'nl80211';

/** enum nl80211_commands. */
export const Cmd = {
  GET_WIPHY: 1,
  GET_INTERFACE: 5,
  NEW_WIPHY: 3,
  DEL_WIPHY: 4,
  NEW_KEY: 11,
  GET_STATION: 17,
  SET_STATION: 18,
  /** The reply to GET_STATION. */
  NEW_STATION: 19,
  GET_SCAN: 32,
  TRIGGER_SCAN: 33,
  NEW_SCAN_RESULTS: 34,
  SCAN_ABORTED: 35,
  /** The host's SME (SAE): one Authentication frame out; as an mlme event, one received (ATTR_FRAME) or TIMED_OUT. */
  AUTHENTICATE: 37,
  ASSOCIATE: 38,
  DEAUTHENTICATE: 39,
  CONNECT: 46,
  ROAM: 47,
  DISCONNECT: 48,
  SET_PMKSA: 52,
  DEL_PMKSA: 53,
  FLUSH_PMKSA: 54,
  /** Subscribe to management frames (CMD_FRAME events to this socket): FRAME_TYPE, FRAME_MATCH. */
  REGISTER_FRAME: 58,
  /** A management frame out (ATTR_FRAME); as an event, one received that we registered for. */
  FRAME: 59,
  SET_CQM: 63,
  NOTIFY_CQM: 64,
  /** The wiphy's WoWLAN triggers: the reply has ATTR_WOWLAN_TRIGGERS only while WoWLAN is enabled. */
  GET_WOWLAN: 73,
  /** WoWLAN triggers on the wiphy; as an mlme event, why the system woke (cfg80211_report_wowlan_wakeup). */
  SET_WOWLAN: 74,
  SET_REKEY_OFFLOAD: 79,
  VENDOR: 103,
  SET_PMK: 123,
  DEL_PMK: 124,
  PORT_AUTHORIZED: 125,
  /** Event: the driver asks the host to authenticate (SAE); command: the host's outcome (STATUS_CODE). */
  EXTERNAL_AUTH: 127,
  CONTROL_PORT_FRAME: 129,
} as const;

/** enum nl80211_attrs. */
export const Attr = {
  WIPHY: 1,
  WIPHY_NAME: 2,
  IFINDEX: 3,
  IFNAME: 4,
  MAC: 6,
  STA_INFO: 21,
  /** The commands the wiphy supports (nested u32 list): AUTHENTICATE among them means the host may run the SME. */
  SUPPORTED_COMMANDS: 50,
  WIPHY_BANDS: 22,
  WIPHY_FREQ: 38,
  IE: 42,
  SCAN_FREQUENCIES: 44,
  SCAN_SSIDS: 45,
  BSS: 47,
  FRAME: 51,
  SSID: 52,
  AUTH_TYPE: 53,
  REASON_CODE: 54,
  CIPHER_SUITES: 57,
  TIMED_OUT: 65,
  USE_MFP: 66,
  STA_FLAGS2: 67,
  CONTROL_PORT: 68,
  PRIVACY: 70,
  DISCONNECTED_BY_AP: 71,
  STATUS_CODE: 72,
  CIPHER_SUITES_PAIRWISE: 73,
  CIPHER_SUITE_GROUP: 74,
  WPA_VERSIONS: 75,
  AKM_SUITES: 76,
  REQ_IE: 77,
  RESP_IE: 78,
  /** ASSOCIATE: the BSS we are associated with: a Reassociation Request. */
  PREV_BSSID: 79,
  /** Nested enum nl80211_key_attributes (KeyAttr), as wpa_supplicant 2.10 sends keys. */
  KEY: 80,
  PMKID: 85,
  FRAME_MATCH: 91,
  MAX_NUM_PMKIDS: 86,
  CQM: 94,
  /** u16 frame control type/subtype of REGISTER_FRAME. */
  FRAME_TYPE: 101,
  CONTROL_PORT_ETHERTYPE: 102,
  CONTROL_PORT_NO_ENCRYPT: 103,
  DONT_WAIT_FOR_ACK: 142,
  /** Nested enum nl80211_wowlan_triggers (WowlanTrig). */
  WOWLAN_TRIGGERS: 117,
  WOWLAN_TRIGGERS_SUPPORTED: 118,
  REKEY_DATA: 122,
  SPLIT_WIPHY_DUMP: 174,
  /** Also NL80211_ATTR_IFACE_SOCKET_OWNER: the connection ends when the socket that made it closes. */
  SOCKET_OWNER: 204,
  VENDOR_ID: 195,
  VENDOR_SUBCMD: 196,
  VENDOR_DATA: 197,
  /** u32 enum nl80211_feature_flags (NL80211_FEATURE_SAE). */
  FEATURE_FLAGS: 143,
  /** Also NL80211_ATTR_SAE_DATA: an Authentication frame body from the transaction sequence number field on. */
  AUTH_DATA: 156,
  /** u32 enum nl80211_scan_flags of a TRIGGER_SCAN (ScanFlag). */
  SCAN_FLAGS: 158,
  EXT_FEATURES: 217,
  BSSID: 245,
  PMK: 254,
  WANT_1X_4WAY_HS: 257,
  SAE_PASSWORD: 277,
  PMKR0_NAME: 258,
  /** u32 enum nl80211_external_auth_action (ExternalAuthAction) of the EXTERNAL_AUTH event. */
  EXTERNAL_AUTH_ACTION: 260,
  /** CONNECT flag: the host takes EXTERNAL_AUTH requests. */
  EXTERNAL_AUTH_SUPPORT: 261,
  CONTROL_PORT_OVER_NL80211: 264,
  CONTROL_PORT_NO_PREAUTH: 286,
  PMK_LIFETIME: 287,
  PMK_REAUTH_THRESHOLD: 288,
  SAE_PWE: 298,
  MLO_LINKS: 312,
  MLD_ADDR: 314,
  TD_BITMAP: 321,
} as const;

/** enum nl80211_bss (nested in Attr.BSS of a GET_SCAN dump). */
export const BssAttr = {
  BSSID: 1,
  FREQUENCY: 2,
  BEACON_INTERVAL: 4,
  CAPABILITY: 5,
  /** The Probe Response's IEs when one was received, else the Beacon's. */
  INFORMATION_ELEMENTS: 6,
  SIGNAL_MBM: 7,
  SEEN_MS_AGO: 10,
  BEACON_IES: 11,
} as const;

/** enum nl80211_band: the type of each band nested in Attr.WIPHY_BANDS. */
export const Band = { GHZ_2: 0, GHZ_5: 1, GHZ_60: 2, GHZ_6: 3 } as const;

/** enum nl80211_band_attr. */
export const BandAttr = { FREQS: 1 } as const;

/** enum nl80211_frequency_attr (one channel in BandAttr.FREQS). */
export const FreqAttr = { FREQ: 1, DISABLED: 2, NO_IR: 3, RADAR: 5 } as const;

/** The multicast groups whose events the backend decodes (decode.ts). */
export const MCAST_GROUPS = ['mlme', 'scan', 'config', 'vendor'] as const;

/** enum nl80211_rekey_data (nested in Attr.REKEY_DATA). */
export const RekeyAttr = { KEK: 1, KCK: 2, REPLAY_CTR: 3, AKM: 4 } as const;

/** enum nl80211_sta_flags: bit numbers in struct nl80211_sta_flag_update's mask/set. */
export const StaFlag = { AUTHORIZED: 1, MFP: 4 } as const;

/** enum nl80211_key_attributes (nested in Attr.KEY). */
export const KeyAttr = { DATA: 1, IDX: 2, CIPHER: 3, SEQ: 4 } as const;

/** enum nl80211_sta_info (nested in Attr.STA_INFO of GET_STATION's answer); signals are s8 dBm. */
export const StaInfo = { SIGNAL: 7, TX_BITRATE: 8, SIGNAL_AVG: 13, BEACON_SIGNAL_AVG: 30 } as const;

/** enum nl80211_rate_info (nested in StaInfo.TX_BITRATE / RX_BITRATE): units of 100 kbit/s. */
export const RateInfo = { BITRATE: 1, BITRATE32: 5 } as const;

/** enum nl80211_attr_cqm (nested in Attr.CQM). */
export const CqmAttr = { RSSI_THOLD: 1, RSSI_HYST: 2, RSSI_THRESHOLD_EVENT: 3, BEACON_LOSS_EVENT: 8, RSSI_LEVEL: 9 } as const;

/** enum nl80211_auth_type. */
export const AuthType = { OPEN_SYSTEM: 0, FT: 2, SAE: 4 } as const;

/** enum nl80211_feature_flags: the driver takes SAE Authentication frames from user space (AUTHENTICATE with AUTH_DATA). */
export const FEATURE_SAE = 1 << 5;

/** enum nl80211_scan_flags: FLUSH drops the kernel's cached BSSes the scan does not find again. */
export const ScanFlag = { FLUSH: 1 << 1 } as const;

/** enum nl80211_external_auth_action. */
export const ExternalAuthAction = { START: 0, ABORT: 1 } as const;

/** enum nl80211_sae_pwe_mechanism (NL80211_ATTR_SAE_PWE, a u8). */
export const SaePwe = { HUNT_AND_PECK: 1, HASH_TO_ELEMENT: 2, BOTH: 3 } as const;

/** enum nl80211_mfp. */
export const Mfp = { NO: 0, REQUIRED: 1, OPTIONAL: 2 } as const;

/** enum nl80211_wowlan_triggers (nested in Attr.WOWLAN_TRIGGERS and WOWLAN_TRIGGERS_SUPPORTED). */
export const WowlanTrig = {
  ANY: 1,
  DISCONNECT: 2,
  MAGIC_PKT: 3,
  PKT_PATTERN: 4,
  /** Supported only: the device does GTK rekeying while asleep (rekey offload). */
  GTK_REKEY_SUPPORTED: 5,
  GTK_REKEY_FAILURE: 6,
  EAP_IDENT_REQUEST: 7,
  FOUR_WAY_HANDSHAKE: 8,
  RFKILL_RELEASE: 9,
} as const;

/** enum nl80211_ext_feature_index: bit numbers in Attr.EXT_FEATURES (byte n/8, bit n%8). */
export const ExtFeature = {
  FOUR_WAY_HANDSHAKE_STA_PSK: 15,
  FOUR_WAY_HANDSHAKE_STA_1X: 16,
  MFP_OPTIONAL: 21,
  CONTROL_PORT_OVER_NL80211: 26,
  SAE_OFFLOAD: 38,
} as const;


/** Qualcomm's OUI (OUI_QCA) in Attr.VENDOR_ID. */
export const OUI_QCA = 0x001374;

/** enum qca_nl80211_vendor_subcmds. */
export const QcaSubcmd = { KEY_MGMT_SET_KEY: 50, KEY_MGMT_ROAM_AUTH: 51 } as const;

/** enum qca_wlan_vendor_attr_roam_auth (the attribute stream in Attr.VENDOR_DATA). */
export const RoamAuthAttr = {
  BSSID: 1,
  REQ_IE: 2,
  RESP_IE: 3,
  AUTHORIZED: 4,
  KEY_REPLAY_CTR: 5,
  PTK_KCK: 6,
  PTK_KEK: 7,
  SUBNET_STATUS: 8,
  STATUS: 9,
  RETAIN_CONNECTION: 10,
  PMK: 11,
  PMKID: 12,
  FILS_ERP_NEXT_SEQ_NUM: 13,
} as const;

/** ETH_P_PAE: the EtherType of EAPOL, for Attr.CONTROL_PORT_ETHERTYPE. */
export const ETH_P_PAE = 0x888e;
