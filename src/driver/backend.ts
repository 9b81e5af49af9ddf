/**
 * The DriverBackend interface: exactly the operations and events of the driver
 * protocol (docs/driver-protocol.md, version 2). The `ext` backend
 * carries them as JSON lines over a Unix stream socket; the `sim` backend
 * implements them in process. Nothing above this file knows which one it has.
 *
 * Binary values are Buffers here; the hex encoding belongs to the wire form
 * (ext) only. MAC addresses are lowercase `aa:bb:cc:dd:ee:ff` strings, as on
 * the wire and in every wpa_supplicant output.
 */
import type { EventEmitter } from 'node:events';

export const DRIVER_PROTOCOL_VERSION = 2;
/** The address that names no BSS (nl80211's DISCONNECT carries none; a reject may lack one). */
export const ZERO_ADDR = '00:00:00:00:00:00';
/** Versions a peer may speak: a version-1 driver sends none of version 2's optional fields, and works unchanged. */
export const DRIVER_PROTOCOL_VERSIONS: readonly number[] = [1, 2];

/**
 * How a firmware that ran the 4-way handshake says so (version 2):
 * `port_authorized` (or `assoc` with `authorized: true`), the nl80211 model;
 * or `connect`: the firmware reports the association only once its own
 * handshake is done and sends nothing more (brcmfmac with FWSUP).
 */
export type CompletionSignal = 'port_authorized' | 'connect';

export interface DriverCapabilities {
  four_way_psk: boolean;
  four_way_8021x: boolean;
  key_mgmt_offload: boolean;
  gtk_rekey_offload: boolean;
  pmksa_offload: boolean;
  max_pmksa: number;
  /** AKM names as wpa_supplicant prints them: WPA-PSK, WPA-PSK-SHA256, SAE, ... */
  akms: string[];
  /** Cipher names as wpa_supplicant prints them: CCMP, GCMP, BIP, ... */
  ciphers: string[];
  /** Version 2: how an offloaded handshake's completion is signalled; absent: `port_authorized`. */
  completion?: CompletionSignal;
  /** Version 2: false when the driver cannot answer `sync_state` (nl80211 cannot read PMKSA or PTK back); absent: true. */
  sync_state?: boolean;
  /**
   * Version 2: the firmware runs SAE / OWE itself and derives the PMK (nl80211
   * SAE_OFFLOAD_STA / OWE_OFFLOAD_STA): its PMKSA entries are deleted by SSID
   * when the network goes, since the host may not know their PMKIDs.
   */
  sae_offload?: boolean;
  owe_offload?: boolean;
  /**
   * Version 2: the driver takes Authentication frames from the host (`auth`,
   * `auth_rx`): the host runs SAE before `connect` (nl80211's AUTHENTICATE
   * with SAE data, WPA_DRIVER_FLAGS_SAE).
   */
  sae_auth?: boolean;
  /**
   * nl80211 only: a connect-style driver (no AUTHENTICATE) that takes SAE
   * from the host when it asks (NL80211_FEATURE_SAE without the host SME,
   * 2.10's WPA_DRIVER_FLAGS_SAE without _SME): CONNECT says so
   * (EXTERNAL_AUTH_SUPPORT), the driver sends `external_auth`, the host runs
   * SAE through `auth`/`auth_rx` and answers with `externalAuthStatus`.
   */
  sae_external_auth?: boolean;
  /**
   * Version 2: the driver passes FT Authentication frames (`auth` with
   * algorithm `ft`, `auth_rx`) while the station stays associated, and
   * `roam` with `ft` reassociates with the host's FT elements and no
   * Authentication exchange of its own (802.11r FT over the air through the
   * host's SME, wpa_supplicant's WPA_AUTH_ALG_FT).
   */
  ft_auth?: boolean;
  /**
   * nl80211 only (the driver protocol carries no channel list): the radio's
   * channels by hardware mode from GET_WIPHY's bands, in hostap's order, for
   * GET_CAPABILITY channels / freq. Absent: the driver reports none.
   */
  hw_modes?: HwMode[];
}

/** A channel of a hardware mode, as hostap's struct hostapd_channel_data keeps what GET_CAPABILITY prints. */
export interface HwChannel {
  chan: number;
  /** MHz */
  freq: number;
  disabled: boolean;
  /** No initiating radiation (passive scan only): "(NO_IR)". */
  noIr: boolean;
  /** Radar detection required: "(DFS)". */
  radar: boolean;
}

/** hostap's hardware modes: B and G (2.4 GHz), A (5 and 6 GHz, one mode per band), AD (60 GHz). */
export interface HwMode {
  mode: 'B' | 'G' | 'A' | 'AD';
  channels: HwChannel[];
}

/**
 * Bounds on one set of scan results, whatever the backend: BSS entries, and
 * the bytes they arrived in (ext: wire bytes of the lines joined; nl80211:
 * the GET_SCAN dump's messages). Ten times a dense real environment; a set
 * beyond either is dropped whole, with a log line and `scan_results_lost`
 * (docs/driver-protocol.md).
 */
export const MAX_SCAN_BSS = 2048;
export const MAX_SCAN_BYTES = 8 * 1024 * 1024;

export interface HelloResult {
  version: number;
  address: string;
  capabilities: DriverCapabilities;
}

export interface ScanParams {
  ssids?: Buffer[];
  freqs?: number[];
  /**
   * The driver drops the results it cached from earlier scans, keeping only
   * what this one finds (2.10's only_new_results, set after a BSS flush;
   * nl80211: NL80211_SCAN_FLAG_FLUSH).
   */
  flush?: boolean;
}

export type MfpPolicy = 'none' | 'optional' | 'required';

export interface ConnectParams {
  bssid: string;
  ssid: Buffer;
  freq: number;
  /** IEs for the (Re)Association Request, our RSNE first. */
  ies: Buffer;
  akm: string;
  pairwise: string;
  group: string;
  mfp: MfpPolicy;
  /** Present only when the host asks the firmware to run the 4-way handshake. */
  pmk?: Buffer;
  /**
   * Version 2, capability `key_mgmt_offload`: the PSK (the 32-octet PMK of
   * the PSK AKMs) the firmware keeps for the roams it makes on its own,
   * whichever side runs this association's 4-way handshake (`pmk`,
   * `fourWayOffload` say that). 2.10's params.psk with req_key_mgmt_offload
   * (wpas_start_assoc_cb(), the global key_mgmt_offload not 0, AKM WPA-PSK,
   * WPA-PSK-SHA256 or FT-PSK); nl80211 gives it to the firmware with the QCA
   * vendor command KEY_MGMT_SET_KEY before CONNECT.
   */
  psk?: Buffer;
  /** The PMKSA the host wants used. */
  pmkid?: Buffer;
  /**
   * Version 2: whether the firmware runs this association's 4-way handshake
   * (nl80211: CONNECT with ATTR_PMK or ATTR_WANT_1X_4WAY_HS, or neither).
   * false: it must not, even with a PMKSA it holds for `pmkid`; the AP's
   * EAPOL frames go to the host. Absent (a version-1 daemon): the firmware
   * decides from `pmk` and its PMKSA table, as before.
   */
  fourWayOffload?: boolean;
  /**
   * Version 2, capability `sae_offload`: the firmware runs SAE itself with
   * this password (nl80211 CONNECT with NL80211_ATTR_SAE_PASSWORD,
   * NL80211_ATTR_SAE_PWE), then the 4-way handshake; present only when the
   * host asks it to, never with `fourWayOffload: false` (offload off for SAE
   * is no password).
   */
  sae?: SaeOffloadParams;
  /**
   * Not on the wire: a reassociation within the ESS from this BSS (ROAM on an
   * association the host's SME made, `smeAssociated`), as 2.10's sme.c gives
   * the driver prev_bssid (nl80211 ASSOCIATE with NL80211_ATTR_PREV_BSSID:
   * a Reassociation Request).
   */
  prevBssid?: string;
  /**
   * Not on the wire: the global sae_pwe (0-3), as 2.10 gives it to the
   * driver with every association (wpas_start_assoc_cb(): params.sae_pwe);
   * nl80211 puts it in the CONNECT of the SAE and FT-SAE AKMs
   * (NL80211_ATTR_SAE_PWE). An offloading firmware's `sae` carries its own.
   */
  saePwe?: number;
}

/** What a firmware that runs SAE needs: the network's password as wpa_supplicant chooses it, and the PWE mode. */
export interface SaeOffloadParams {
  /** sae_password, else the psk passphrase (NL80211_ATTR_SAE_PASSWORD). */
  password: Buffer;
  /** sae_password_id (no nl80211 attribute: an offloading driver that gets one must use H2E). */
  passwordId?: Buffer;
  /** The global sae_pwe: 0 hunting-and-pecking, 1 hash-to-element only, 2 both (NL80211_ATTR_SAE_PWE 1, 2, 3). */
  pwe: 0 | 1 | 2;
}

/** Version 2: one Authentication frame the host sends before association (SAE). */
export interface AuthParams {
  bssid: string;
  freq: number;
  ssid: Buffer;
  algorithm: 'sae' | 'ft';
  /** The Authentication frame body from the Authentication Algorithm Number field on. */
  data: Buffer;
}

/** `roam` after an FT Authentication with the target. */
export interface RoamFtParams {
  /** The Reassociation Request's FT elements: RSNE[PMKR1Name], MDE, FTE with its MIC. */
  ies: Buffer;
}

export type KeyKind = 'pairwise' | 'group' | 'igtk';

export interface SetKeyParams {
  kind: KeyKind;
  idx: number;
  cipher: string;
  key: Buffer;
  rsc?: Buffer;
  addr: string;
}

export interface PmksaParams {
  bssid: string;
  pmkid: Buffer;
  /**
   * Sent only to a firmware with `pmksa_offload`; without it the firmware
   * keeps PMKIDs only (nl80211 SET_PMKSA without NL80211_ATTR_PMK), and the
   * wire form carries `pmk` as "".
   */
  pmk?: Buffer;
  akm: string;
  /** Seconds the entry has left (NL80211_ATTR_PMK_LIFETIME). */
  lifetime: number;
  /** Version 2: percent of the lifetime after which to reauthenticate (NL80211_ATTR_PMK_REAUTH_THRESHOLD, dot11RSNAConfigPMKReauthThreshold). */
  reauthThreshold?: number;
  ssid?: Buffer;
}

/** Version 2: `suspend` arguments. */
export interface SuspendParams {
  /** The configured `wowlan_triggers`, as written ("disconnect gtk_rekey_failure"); "" for none. */
  wowlanTriggers: string;
}

/** Why the firmware woke the host (nl80211 WoWLAN wake-up reasons, NL80211_WOWLAN_TRIG_*). */
export const WAKE_REASONS = ['disconnect', 'magic_pkt', 'gtk_rekey_failure', 'eap_identity_req', 'four_way_handshake', 'rfkill_release', 'pattern', 'other'] as const;
export type WakeReason = (typeof WAKE_REASONS)[number];

export interface RekeyData {
  kck: Buffer;
  kek: Buffer;
  /** 8 bytes, big-endian, as in the EAPOL-Key frame. */
  replayCtr: Buffer;
  akm: string;
}

export interface FirmwareSyncState {
  replayCtr: Buffer | null;
  kckFp: string | null;
  kekFp: string | null;
  pmkids: { bssid: string; pmkid: Buffer }[];
}

export interface ScanBss {
  bssid: string;
  ssid: Buffer;
  freq: number;
  signal: number;
  noise: number;
  beaconInt: number;
  caps: number;
  ies: Buffer;
  ageMs: number;
}

/**
 * PTK material the firmware reports after running the 4-way handshake. Each
 * field is optional (the QCA roam-auth event; the kernel's PORT_AUTHORIZED
 * carries none): the host adopts what is present and valid.
 */
export interface FirmwareMaterial {
  keyReplayCtr?: Buffer;
  kck?: Buffer;
  kek?: Buffer;
}

export interface AssocEvent {
  bssid: string;
  freq: number;
  reqIes: Buffer;
  respIes: Buffer;
  beaconIes: Buffer;
  roam: boolean;
  authorized: boolean;
  /** Present when authorized. */
  material?: FirmwareMaterial;
  pmk?: Buffer;
  pmkid?: Buffer;
  /** Version 2: the AP MLD address of a multi-link association; the PMKSA's authenticator address. */
  apMldAddr?: string;
}

export interface DriverEvents {
  scan_started: [];
  scan_results: [bss: ScanBss[]];
  assoc: [ev: AssocEvent];
  port_authorized: [ev: { bssid: string; material?: FirmwareMaterial; tdBitmap?: Buffer; apMldAddr?: string }];
  assoc_reject: [ev: { bssid: string; status: number; timeout: boolean }];
  eapol_rx: [ev: { src: string; data: Buffer }];
  gtk_rekey: [ev: { bssid: string; replayCtr: Buffer }];
  pmksa_added: [ev: { bssid: string; pmkid: Buffer; pmk: Buffer; akm: string; lifetime: number }];
  disconnected: [ev: { bssid: string; reason: number; locallyGenerated: boolean }];
  signal: [ev: { bssid: string; signal: number }];
  firmware_restarted: [];
  /**
   * Version 2: an Authentication frame from the AP (SAE): `data` from the
   * algorithm field on, `status` its status code. nl80211 also passes up an
   * Open System one its SME was refused (a PMKSA-cached connection).
   */
  auth_rx: [ev: { bssid: string; data: Buffer; status: number }];
  /**
   * nl80211 only (sae_external_auth): the driver, connecting, asks the host
   * to run SAE with `bssid` of `ssid` (start), or gives the request up (abort).
   */
  external_auth: [ev: { action: 'start' | 'abort'; bssid: string; ssid: Buffer }];
  /**
   * Not a protocol event: the host SME's authentication got no answer (nl80211
   * AUTHENTICATE with TIMED_OUT: mac80211 gave up after its retries), as
   * 2.10's EVENT_AUTH_TIMED_OUT.
   */
  auth_timeout: [ev: { bssid: string }];
  /**
   * Not a protocol event: the host SME's association got no answer (nl80211
   * ASSOCIATE with TIMED_OUT), as 2.10's EVENT_ASSOC_TIMED_OUT; no
   * rejection is reported for it.
   */
  assoc_timeout: [ev: { bssid: string }];
  /** Version 2, optional: the current BSS's beacons stopped (nl80211 NOTIFY_CQM BEACON_LOSS_EVENT); a `disconnected` usually follows. */
  beacon_loss: [];
  /** Version 2: the firmware woke the host while suspended, for this reason. */
  wake: [ev: { reason: WakeReason }];
  /**
   * Not a protocol event: the backend's own link to the driver came up
   * (after `hello` succeeded) or went down. Resync hangs off `link_up`.
   */
  link_up: [hello: HelloResult];
  link_down: [];
  /**
   * Not a protocol event either: the results of the last scan could not be
   * had (the driver sent more than MAX_SCAN_BSS / MAX_SCAN_BYTES allow), as a failed
   * NL80211_CMD_GET_SCAN for wpa_supplicant. No `scan_results` follows.
   */
  scan_results_lost: [];
}

/** The link as the radio measures it now (SIGNAL_POLL). */
export interface LinkSignal {
  /** dBm. */
  rssi: number;
  /** Transmit bit rate, kbit/s (0: unknown). */
  txRateKbps: number;
  /** dBm, when the radio averages. */
  avgRssi?: number;
  avgBeaconRssi?: number;
}

/** An operation the driver refused, or that timed out. */
export class DriverError extends Error {
  constructor(
    readonly op: string,
    message: string,
    readonly timedOut = false,
  ) {
    super(`driver ${op}: ${message}`);
    this.name = 'DriverError';
  }
}

/**
 * The driver has no DRIVER commands at all: wpa_supplicant 2.10 built
 * without ANDROID has no DRIVER command (UNKNOWN COMMAND), as on nl80211.
 */
export class NoDriverCommandsError extends DriverError {
  constructor(why: string) {
    super('driver_cmd', why);
    this.name = 'NoDriverCommandsError';
  }
}

export interface DriverBackend extends EventEmitter<DriverEvents> {
  readonly name: string;
  /** Result of the last successful `hello`, or null while the link is down. */
  readonly hello: HelloResult | null;
  /**
   * Opens the link and keeps it open (reconnecting with back-off) until
   * close(). A promise, where the backend returns one (nl80211), settles once
   * the first attempt is over: the link up (`link_up` emitted) or a retry
   * scheduled.
   */
  start(): void | Promise<void>;
  close(): Promise<void>;

  scan(params: ScanParams): Promise<void>;
  connect(params: ConnectParams): Promise<void>;
  /** Version 2, with capability `sae_auth` (SAE) or `ft_auth` (FT): send one Authentication frame before `connect` or `roam`. */
  auth?(params: AuthParams): Promise<void>;
  disconnect(reason: number): Promise<void>;
  /** Reassociation within the ESS; `ft` (capability `ft_auth`): after FT Authentication, with these FT elements. */
  roam(bssid: string, ft?: RoamFtParams): Promise<void>;
  txEapol(dst: string, data: Buffer): Promise<void>;
  setKey(params: SetKeyParams): Promise<void>;
  setPort(authorized: boolean): Promise<void>;
  setPmksa(params: PmksaParams): Promise<void>;
  delPmksa(bssid: string, pmkid: Buffer): Promise<void>;
  /** Version 2: `del_pmksa` by SSID (every entry of that SSID): SAE/OWE offload, where the firmware derived the PMKs. */
  delPmksaBySsid(ssid: Buffer): Promise<void>;
  flushPmksa(): Promise<void>;
  setRekeyData(data: RekeyData): Promise<void>;
  syncState(): Promise<FirmwareSyncState>;
  /** Version 2: the host suspends (SUSPEND); the firmware keeps the link and wakes the host on the triggers. */
  suspend(p: SuspendParams): Promise<void>;
  /** Version 2: the host resumed (RESUME); the firmware reports what it did meanwhile (gtk_rekey, assoc, ...). */
  resume(): Promise<void>;
  /**
   * Not a protocol operation (the protocol's `suspend` carries the triggers):
   * nl80211 sets the configured `wowlan_triggers` on the wiphy when the link
   * comes up (2.10: at interface start, where a refusal fails it) and when
   * SET or RECONFIGURE gives a new value (2.10's wpa_supplicant_update_config()).
   */
  setWowlan?(triggers: string): Promise<void>;
  /**
   * Not a protocol operation: whether the wiphy has WoWLAN enabled (nl80211
   * GET_WOWLAN, false when the kernel cannot say), asked at deinit: 2.10
   * then leaves the association in place unless wowlan_disconnect_on_deinit=1.
   */
  getWowlan?(): Promise<boolean>;
  /**
   * nl80211 only (sae_external_auth): the outcome of the SAE the driver asked
   * for (NL80211_CMD_EXTERNAL_AUTH, status 0 on success); the driver then
   * associates, or reports the failure as the connection's.
   */
  externalAuthStatus?(p: { bssid: string; ssid: Buffer; status: number; pmkid?: Buffer }): Promise<void>;
  driverCmd(cmd: string): Promise<string>;
  /**
   * Not a protocol operation: true while the association in place was made
   * by the host's SME (nl80211 on mac80211 for SAE: AUTHENTICATE, then
   * ASSOCIATE; 2.10's WPA_DRIVER_FLAGS_SME). A ROAM on it is then the
   * station's own, as in 2.10's sme.c: authentication with the target (SAE,
   * or Open System with a cached PMKSA) and `connect` with `prevBssid`,
   * never `roam`. Absent: false.
   */
  readonly smeAssociated?: boolean;
  /**
   * Not a protocol operation: whether `connect(p)` authenticates through the
   * host's SME before it associates (nl80211 on mac80211: Open System for an
   * SAE network with a cached PMKSA), which 2.10 announces with "SME: Trying
   * to authenticate". Absent: never (a connect-API driver authenticates itself).
   */
  usesHostSme?(p: ConnectParams): boolean;
  /**
   * Not a protocol operation (the wire protocol is unchanged): a backend that
   * can ask the radio (nl80211 GET_STATION) answers SIGNAL_POLL with it;
   * without it the station answers from the last scan.
   */
  signalPoll?(): Promise<LinkSignal>;
  /**
   * Not a protocol operation either: SIGNAL_MONITOR handed to the radio
   * (nl80211 CQM), which then sends `signal` at threshold crossings only;
   * threshold 0 turns it off. Without it the station watches `signal` events.
   */
  signalMonitor?(threshold: number, hysteresis: number): Promise<void>;
}
