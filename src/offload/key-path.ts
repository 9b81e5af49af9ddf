/**
 * The key path of an interface: everything between "the station picked a
 * BSS" and "the keys are in place", whichever side runs the handshake.
 *
 * It owns the PMK choice (connect and roam), the offload decision, the
 * driver's key operations (keys, port, rekey data; PMKSA pushes go through
 * PmksaSync), the routing of EAPOL and of the firmware's key reports
 * (port_authorized, gtk_rekey, pmksa_added), and the classification of a
 * lost link as a handshake failure. The station keeps connection policy and
 * wpa_state; it calls in at connect, association, roam and loss, and hears
 * back only through the typed events below (as iwd's netdev reports to its
 * station).
 */
import { EventEmitter } from 'node:events';
import type { NetworkConfig } from '../config/network.js';
import type { AssocEvent, DriverBackend, DriverCapabilities, FirmwareMaterial, SaeOffloadParams } from '../driver/backend.js';
import * as log from '../log.js';
import { akmFacts, akmFamily, akmInfo } from '../rsn/akm.js';
import { FtElementError, parseFtAssoc, type FtAssoc } from '../rsn/ft.js';
import { FtProtocolError, FtRoam, WLAN_AUTH_FT, type FtRoamResult } from '../rsn/ft-protocol.js';
import { parseRsne } from '../rsn/rsne.js';
import { pbkdf2Psk, pbkdf2PskAhead } from '../rsn/crypto.js';
import { buildRsne } from '../rsn/rsne.js';
import type { SecurityChoice } from '../rsn/security.js';
import { Reason } from '../rsn/supplicant.js';
import { AssociationKeys, FirmwareInputError, type Completion, type KeyOwner } from './key-owner.js';
import { OffloadDecider, wantsKeyMgmtOffloadPsk, wantsOffload, type OffloadPolicy } from './policy.js';
import type { PmksaSync } from './pmksa-sync.js';
import { takeBackNeedsPmksa } from './take-back.js';
import { SaeAuthExchange, type SaeOutcome, type SaeTarget } from './sae-auth.js';
import { saeMachines } from '../rsn/sae/load.js';
import type { SaePwe } from '../rsn/sae/session.js';
import type { SaeStation } from '../rsn/sae/station.js';

export interface KeyPathEvents {
  /** The host's handshake moved wpa_state. */
  handshakeState: [state: '4WAY_HANDSHAKE' | 'GROUP_HANDSHAKE'];
  /** First completion of this association (or of a roam). */
  completed: [owner: KeyOwner, how: Completion];
  /** A later 4-way handshake run by the host finished (PTK rekey, keys taken back). */
  rekeyed: [];
  /** A group key handshake finished after completion. */
  groupRekeyed: [];
  /** The exchange cannot complete: the station disconnects with this reason. */
  failed: [reason: number, message: string];
  /** Owner or reason changed (the OFFLOAD-KEY-OWNER event). */
  ownerChanged: [bssid: string, owner: KeyOwner, how: Completion, why: string];
}

export interface KeyPathOptions {
  ifname: string;
  driver: DriverBackend;
  config: () => { getGlobal(name: string): string | undefined; globalValue(name: string): unknown };
  policy: OffloadPolicy;
  pmksa: PmksaSync;
}

/** What goes down with `connect` for one association. */
export interface ConnectKeys {
  /** Our RSNE for the (Re)Association Request (empty for an open network). */
  ies: Buffer;
  /** Present only when the firmware is asked to run the 4-way handshake. */
  pmk?: Buffer;
  pmkid?: Buffer;
  /** The firmware is asked to run the 4-way handshake (connect's `four_way_offload`). */
  offload: boolean;
  /** The PSK the firmware keeps for its own roams (connect's `psk`, policy.ts wantsKeyMgmtOffloadPsk), whoever runs this handshake. */
  psk?: Buffer;
  /** Present only when the firmware is asked to run SAE too (capability sae_offload; `offload` is then true). */
  sae?: SaeOffloadParams;
}

/** How a lost link ends the association, for the station's connection policy. */
export type LossVerdict =
  /** The firmware failed the handshake it was asked to run: retry on the host, no temporary disabling. */
  | 'offload-failed'
  /** wpa_supplicant's "4-Way Handshake failed - pre-shared key may be incorrect". */
  | 'wrong-key'
  /** The key exchange failed (and we disconnected for it). */
  | 'auth-failed'
  | undefined;

/** The facts of the link the station holds that the classification needs. */
export interface LinkFacts {
  reason: number;
  locallyGenerated: boolean;
  /** `assoc` came for this association (it was not still connecting). */
  associated: boolean;
  /** wpa_state when the link was lost. */
  wpaState: string;
}

/** The key side of the association in progress (connecting or associated). */
interface Keyed {
  netId: number;
  bssid: string;
  sec: SecurityChoice;
  keys: AssociationKeys | undefined;
  associated: boolean;
  /** Set when the key exchange failed and the station was asked to disconnect. */
  failure?: { reason: number; wrongKey: boolean };
  /** The key path gave the handshake back to the host by reassociating: not a failure of the credentials. */
  takingBack?: boolean;
  /** The Transition Disable bitmap of PORT_AUTHORIZED (WPA3 transition modes the AP disabled). */
  tdBitmap?: Buffer;
  /** What the firmware is known to hold: reported by it or pushed and acknowledged (the audit without sync_state). */
  fwKnown: FirmwareMaterial;
  /** The AP MLD address of a multi-link association: the PMKSA's authenticator address. */
  apMldAddr?: string;
  /** The network's SSID (FT: part of the PMK-R0 derivation). */
  ssid?: Buffer;
  /** FT: the mobility domain facts of this association (from its (Re)Association Response), what a transition starts from. */
  ft?: FtAssoc;
  /** FT over the air: the Reassociation Response's keys, installed when the association's key side starts. */
  ftResult?: FtRoamResult;
  /**
   * The firmware runs SAE for this connection and no PMKSA was cached: the
   * PMK (and so the host's side of the keys) comes with its `pmksa_added`
   * (or the `assoc`), or never (SAE_OFFLOAD_STA); kept here until the `assoc`.
   */
  saeOffload?: { ownAddress: string; rsne: Buffer };
  /**
   * The driver runs the connection and asks the host for SAE once connecting
   * (nl80211 external authentication) and no PMKSA was cached: the PMK is
   * the one that SAE adds to the cache before the `assoc`.
   */
  externalAuth?: { ownAddress: string; rsne: Buffer };
}

/** A snapshot of the key side for OFFLOAD_STATUS. */
export interface KeyPathAudit {
  bssid: string;
  owner: KeyOwner;
  how: Completion;
  replayCounter: Buffer | null;
  material: { kck: Buffer; kek: Buffer; replayCounter: Buffer } | null;
  apMldAddr: string;
  /** `suspended`, or the reason of the last wake. */
  power: string;
}

/** What a PSK network's PMK is derived from by PBKDF2: none for a raw PSK, or without a passphrase or SSID. */
function pskSource(net: NetworkConfig): { passphrase: string | Buffer; ssid: Buffer } | undefined {
  const passphrase = net.state.passphrase;
  return !net.psk && passphrase !== undefined && net.ssid ? { passphrase, ssid: net.ssid } : undefined;
}

/** The PMK for a PSK network: the raw PSK or PBKDF2(passphrase, SSID), cached by rsn. */
function pskPmk(net: NetworkConfig): Buffer | undefined {
  if (net.psk) return net.psk;
  const src = pskSource(net);
  return src && pbkdf2Psk(src.passphrase, src.ssid);
}

/** Our RSNE for the (Re)Association Request, naming the PMKSA we want used. */
function ownRsne(sec: SecurityChoice, pmkid: Buffer | undefined): Buffer {
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

/** The outcome of an FT Authentication: the Reassociation Request's FT elements, or the status that ended it. */
export type FtAuthOutcome =
  | { ok: true; ies: Buffer }
  /** `peerStatus`: the AP's response refused it (2.10's CTRL-EVENT-AUTH-REJECT); absent when we ended it. */
  | { ok: false; status: number; reason: string; peerStatus?: number; transaction?: number };

/** 2.10's SME_AUTH_TIMEOUT (s), as ms. */
const FT_AUTH_TIMEOUT_MS = 5000;

/** The fixed fields of an FT Authentication frame body: algorithm 2, transaction, status. */
function ftAuthHeader(transaction: number, status: number): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt16LE(WLAN_AUTH_FT, 0);
  h.writeUInt16LE(transaction, 2);
  h.writeUInt16LE(status, 4);
  return h;
}

export class KeyPath extends EventEmitter<KeyPathEvents> {
  private readonly offload: OffloadDecider;
  private caps: DriverCapabilities | undefined;
  private cur: Keyed | undefined;
  private suspended = false;
  private lastWake = '';
  /**
   * Replay counters of group rekeys the firmware ran with another BSS while
   * the host slept, reported before the roam's `assoc` that makes it ours:
   * applied (if higher) once that association is.
   */
  private heldCounters = new Map<string, Buffer>();

  constructor(private readonly opts: KeyPathOptions) {
    super();
    this.offload = new OffloadDecider(opts.policy, opts.config);
  }

  /** A new firmware (driver link up, restart) or a new configuration: trust it again. */
  reset(caps?: DriverCapabilities): void {
    if (caps) this.caps = caps;
    this.offload.reset();
  }

  /** The network is gone (its id may be reused). */
  forgetNetwork(networkId: number): void {
    this.offload.forget(networkId);
  }

  /**
   * The PSKs of `nets` (those with a passphrase and a PSK AKM) derived in the
   * background, as the station's scan starts: wpa_supplicant 2.10 derives
   * them when it reads the configuration, at start-up; here they are ready
   * when the scan's results are, and cost neither the start-up nor the time
   * from the results to the association (on the radio VM about 35 ms of a
   * fresh daemon's first connection).
   */
  derivePsksAhead(nets: readonly NetworkConfig[]): void {
    for (const net of nets) {
      const src = net.keyMgmt.some((k) => akmFamily(k) === 'psk') ? pskSource(net) : undefined;
      if (src) void pbkdf2PskAhead(src.passphrase, src.ssid);
    }
  }

  /** A PMKSA is cached for this BSS, network and AKM (selection: can an 802.1X/SAE AKM authenticate?). */
  hasCachedPmk(bssid: string, networkId: number, akm: string): boolean {
    return this.opts.pmksa.lookup(bssid, networkId, akm) !== undefined;
  }

  /**
   * The PMK for an association: one the firmware reported with a roam, else a
   * cached PMKSA for this BSS, else (PSK AKMs) the network's PSK.
   */
  private choosePmk(net: NetworkConfig, bssid: string, akm: string, fromFirmware?: { pmk: Buffer; pmkid: Buffer }): { pmk: Buffer; pmkid?: Buffer } | undefined {
    const cached = this.opts.pmksa.lookup(bssid, net.id, akm);
    // The passphrase makes a PMK only for PSK AKMs: SAE's comes from the SAE exchange (a cached PMKSA).
    const pmk = fromFirmware?.pmk ?? cached?.pmk ?? (akmFamily(akm) === 'psk' ? pskPmk(net) : undefined);
    return pmk && { pmk, pmkid: fromFirmware?.pmkid ?? cached?.pmkid };
  }

  /**
   * The key side of a new connection; undefined when there is no PMK for it
   * (and, for SAE, no firmware to run SAE with the password).
   */
  prepareConnect(net: NetworkConfig, bssid: string, sec: SecurityChoice, ownAddress: string): ConnectKeys | undefined {
    this.end();
    const keyed: Keyed = { netId: net.id, bssid, sec, keys: undefined, associated: false, fwKnown: {} };
    if (sec.akm === 'NONE') {
      this.cur = keyed;
      return { ies: Buffer.alloc(0), offload: false };
    }
    const chosen = this.choosePmk(net, bssid, sec.akm);
    const decision = this.offload.decide(net.id, sec.akm, this.caps);
    const sae = decision.offload && akmFamily(sec.akm) === 'sae' ? this.saeOffloadParams(net) : undefined;
    const externalAuth = !chosen && !sae && akmFamily(sec.akm) === 'sae' && !decision.offload && this.externalSae();
    if (!chosen && !sae && !externalAuth) {
      log.warning(`${this.opts.ifname}: no PMK for network ${net.id} (${sec.akm})`);
      return undefined;
    }
    // FT: the (Re)Association Request of an initial mobility domain association repeats the BSS's MDE.
    const rsne = ownRsne(sec, chosen?.pmkid);
    const ies = Buffer.concat([rsne, sec.mde ?? Buffer.alloc(0)]);
    keyed.ssid = net.ssid;
    if (chosen) keyed.keys = this.newKeys(keyed, ownAddress, chosen.pmk, chosen.pmkid, rsne, decision.offload, decision.why);
    else if (externalAuth) keyed.externalAuth = { ownAddress, rsne };
    else keyed.saeOffload = { ownAddress, rsne };
    this.cur = keyed;
    // Offload off (the take-back rule, take-back.ts) is one thing for every AKM: four_way_offload false, no PMK and, for SAE, no password.
    const psk = wantsKeyMgmtOffloadPsk(this.opts.config(), this.caps, sec.akm) ? pskPmk(net) : undefined;
    return { ies, pmk: decision.offload ? chosen?.pmk : undefined, pmkid: chosen?.pmkid, offload: decision.offload, ...(psk ? { psk } : {}), ...(sae ? { sae } : {}) };
  }

  /** What a firmware with sae_offload runs SAE with (2.10 puts sae_password, else the passphrase, into CONNECT). */
  private saeOffloadParams(net: NetworkConfig): SaeOffloadParams | undefined {
    const password = net.state.saePassword ?? net.state.passphrase;
    if (!password) return undefined;
    const passwordId = net.state.saePasswordId;
    return { password, pwe: this.saePwe(), ...(passwordId ? { passwordId } : {}) };
  }

  /** The global sae_pwe (0, 1 or 2; anything else is 0, as 2.10 treats it). */
  private saePwe(): SaePwe {
    const pwe = Number(this.opts.config().getGlobal('sae_pwe') ?? 0);
    return pwe === 1 || pwe === 2 ? pwe : 0;
  }

  /**
   * `assoc` for the connection prepared: a PMKSA the firmware reported joins
   * the cache; after SAE in the firmware, the host's side of the keys is
   * made with the PMK of the PMKSA it reported, or with none when it
   * reported none (nl80211's SAE_OFFLOAD_STA never does): the firmware then
   * alone can complete the association (firmware-no-material).
   */
  associated(a: AssocEvent): void {
    const k = this.cur;
    if (!k) return;
    k.associated = true;
    k.apMldAddr = a.apMldAddr;
    const aa = a.apMldAddr ?? k.bssid;
    if (a.pmk && a.pmkid) this.opts.pmksa.addFromFirmware(aa, a.pmkid, a.pmk, k.sec.akm, undefined, k.netId);
    const off = k.saeOffload;
    if (!k.keys && off) {
      const e = this.opts.pmksa.lookup(aa, k.netId, k.sec.akm);
      if (!e && k.ssid) this.opts.pmksa.noteFirmwareOwned(aa, k.ssid);
      k.keys = this.newKeys(k, off.ownAddress, e?.pmk, e?.pmkid, off.rsne, true, '');
    }
    const ext = k.externalAuth;
    if (!k.keys && ext) {
      // SAE ran on the host at the driver's request: its PMKSA is the association's.
      const e = this.opts.pmksa.lookup(aa, k.netId, k.sec.akm);
      if (!e) log.warning(`${this.opts.ifname}: associated with ${aa} after external authentication without its PMKSA`);
      k.keys = this.newKeys(k, ext.ownAddress, e?.pmk, e?.pmkid, ext.rsne, false, 'SAE by external authentication on the host');
    }
  }

  /**
   * The firmware reassociated (on its own or on our ROAM): the key side of
   * the new BSS. Throws FirmwareInputError, changing nothing, for a report
   * the new association cannot use.
   */
  roamed(net: NetworkConfig, bssid: string, sec: SecurityChoice, ownAddress: string, a: AssocEvent): void {
    const keyed: Keyed = { netId: net.id, bssid, sec, keys: undefined, associated: true, fwKnown: {}, apMldAddr: a.apMldAddr, ssid: net.ssid };
    const ft = this.ftReassoc;
    this.ftReassoc = undefined;
    if (ft && ft.roam.target === bssid) {
      // FT over the air: the Reassociation Response's MIC and keys (throws FtProtocolError, changing nothing).
      const result = ft.roam.reassocResponse(a.respIes);
      keyed.keys = this.newKeys(keyed, ownAddress, ft.xxkey, undefined, result.ownRsne, false, 'FT protocol');
      keyed.ft = result.ft;
      keyed.ftResult = result;
      this.end();
      this.cur = keyed;
      return;
    }
    if (sec.akm !== 'NONE') {
      const fromFirmware = a.pmk && a.pmkid ? { pmk: a.pmk, pmkid: a.pmkid } : undefined;
      // A multi-link association's PMKSA is the AP MLD's, whichever affiliated AP it went through.
      const aa = a.apMldAddr ?? bssid;
      const chosen = this.choosePmk(net, aa, sec.akm, fromFirmware);
      const decision = this.offload.decide(net.id, sec.akm, this.caps);
      // A firmware running SAE roams with SAE's PMK it keeps (and may not report): the roam is its to complete.
      const firmwareSae = decision.offload && akmFamily(sec.akm) === 'sae';
      if (!chosen && !firmwareSae) throw new FirmwareInputError(`roam to ${bssid} with no PMK known for it`);
      if (!chosen && net.ssid) this.opts.pmksa.noteFirmwareOwned(aa, net.ssid);
      keyed.keys = this.newKeys(keyed, ownAddress, chosen?.pmk, chosen?.pmkid, ownRsne(sec, chosen?.pmkid), decision.offload, decision.why);
      // A report the new association cannot use changes nothing: check before switching.
      if (a.authorized && a.material) keyed.keys.checkMaterial(a.material);
      const cached = this.opts.pmksa.lookup(aa, net.id, sec.akm);
      const pmksa = fromFirmware ? this.opts.pmksa.addFromFirmware(aa, fromFirmware.pmkid, fromFirmware.pmk, sec.akm, undefined, net.id) : cached;
      if (pmksa && a.authorized) this.opts.pmksa.markUsed(pmksa);
    }
    this.end();
    this.cur = keyed;
  }

  /** The association's handshake begins (after the station showed ASSOCIATED); false for an open network. */
  start(a: AssocEvent): boolean {
    const k = this.cur;
    const keys = k?.keys;
    if (!keys) return false;
    if (k.ftResult) {
      keys.ftCompleted(k.ftResult);
      k.ftResult = undefined;
      return true;
    }
    if (akmFacts(keys.params.sec.akm)?.ft) this.learnFt(keys, a.respIes);
    keys.onAssoc(a.authorized, a.material);
    if (keys.owner === 'firmware' && a.material && this.cur) this.cur.fwKnown = { ...a.material };
    this.markPmksaInUse();
    this.applyHeldCounter(keys);
    return true;
  }

  /**
   * FT: the (Re)Association Response's MDE and FTE key the 4-way handshake
   * (R0KH-ID, R1KH-ID). Without them msg 1/4 fails the association.
   */
  private learnFt(keys: AssociationKeys, respIes: Buffer): void {
    try {
      const ft = parseFtAssoc(keys.params.sec.akm, respIes, this.cur?.ssid ?? Buffer.alloc(0));
      keys.setFt(ft);
      if (this.cur) this.cur.ft = ft;
    } catch (e) {
      if (!(e instanceof FtElementError)) throw e;
      log.warning(`${this.opts.ifname}: FT: ${e.message}`);
    }
  }

  /** The PMKID named in our RSNE (MIB). */
  get pmkid(): Buffer | undefined {
    return this.cur?.keys?.params.pmkid;
  }

  /** The cached PMKSA this association named (its PMKID in our RSNE) is in use: an SAE one does not expire under it. */
  private markPmksaInUse(): void {
    const k = this.cur;
    const pmkid = k?.keys?.params.pmkid;
    const e = k && pmkid ? this.opts.pmksa.lookup(k.apMldAddr ?? k.bssid, k.netId, k.sec.akm) : undefined;
    this.opts.pmksa.setCurrent(e && pmkid && e.pmkid.equals(pmkid) ? e : undefined);
  }

  /** The association is over: timers stop, nothing more is reported for it. */
  end(): void {
    this.opts.pmksa.setCurrent(undefined);
    this.sae?.abort();
    this.sae = undefined;
    this.abortFt();
    this.cur?.keys?.clearTimers();
    this.cur = undefined;
  }

  /* ------------------------------------------------- driver key reports */

  onPortAuthorized(bssid: string, material: FirmwareMaterial | undefined, tdBitmap?: Buffer, apMldAddr?: string): void {
    const keys = this.associatedKeys();
    if (!keys) throw new FirmwareInputError(`port_authorized for ${bssid} while not associated`);
    if (apMldAddr && this.cur) this.cur.apMldAddr = apMldAddr;
    keys.onPortAuthorized(bssid.toLowerCase(), material);
    if (material && this.cur) this.cur.fwKnown = { ...material };
    // Kept for OFFLOAD_STATUS; transition disable is not acted on yet.
    if (tdBitmap && this.cur) this.cur.tdBitmap = tdBitmap;
  }

  onEapolRx(src: string, data: Buffer): void {
    const keys = this.associatedKeys();
    if (!keys) {
      log.debug(`${this.opts.ifname}: EAPOL from ${src} while not associated; dropped`);
      return;
    }
    keys.onEapol(src.toLowerCase(), data);
  }

  onFirmwareGtkRekey(bssid: string, replayCtr: Buffer): void {
    const keys = this.associatedKeys();
    const b = bssid.toLowerCase();
    if (this.resumeWindow() && keys && b !== keys.bssid && replayCtr.length === 8) {
      // After a resume the firmware may report the group rekeys it ran with
      // the BSS it roamed to before the roam itself: kept for that association.
      const held = this.heldCounters.get(b);
      if (!held || replayCtr.compare(held) > 0) this.heldCounters.set(b, replayCtr);
      log.debug(`${this.opts.ifname}: OFFLOAD: replay counter ${replayCtr.toString('hex')} of ${b} held until the roam to it is reported`);
      return;
    }
    if (!keys) throw new FirmwareInputError(`gtk_rekey for ${bssid} while not associated`);
    keys.onFirmwareGtkRekey(bssid.toLowerCase(), replayCtr);
    if (this.cur) this.cur.fwKnown = { ...this.cur.fwKnown, keyReplayCtr: replayCtr };
    log.info(`${this.opts.ifname}: OFFLOAD: firmware completed a group rekey with ${keys.bssid}; replay counter now ${replayCtr.toString('hex')}`);
  }

  /* ------------------------------------------------------ suspend/resume */

  /**
   * SUSPEND: a firmware with GTK rekey offload gets the current KCK, KEK and
   * replay counter first, so that it answers the group rekeys of the night
   * with what the host holds now.
   */
  async suspend(wowlanTriggers: string): Promise<void> {
    const k = this.cur;
    const m = k?.associated ? k.keys?.material() : undefined;
    if (k && m && this.caps?.gtk_rekey_offload) {
      await this.opts.driver.setRekeyData({ kck: m.kck, kek: m.kek, replayCtr: m.replayCounter, akm: k.sec.akm });
      k.fwKnown = { kck: m.kck, kek: m.kek, keyReplayCtr: m.replayCounter };
    }
    await this.opts.driver.suspend({ wowlanTriggers });
    this.suspended = true;
    this.heldCounters.clear();
  }

  /** RESUME: what the firmware did meanwhile arrives as events (gtk_rekey, assoc, disconnected) in any order. */
  async resume(): Promise<void> {
    this.suspended = false;
    this.resumed = true;
    await this.opts.driver.resume();
  }

  private resumed = false;

  /* ------------------------------------------------------------------ SAE */

  private sae: SaeAuthExchange | undefined;

  /**
   * The host must run SAE before the connect: an SAE AKM (SAE, or FT-SAE for
   * an initial mobility domain association) with no PMKSA cached for this
   * BSS, network and AKM, and no firmware to run SAE for it (sae_offload,
   * not given up on for this network).
   */
  needsSae(net: NetworkConfig, bssid: string, sec: SecurityChoice): boolean {
    if (akmFamily(sec.akm) !== 'sae' || this.opts.pmksa.lookup(bssid, net.id, sec.akm) !== undefined) return false;
    // With external authentication the driver asks for SAE after the connect.
    return !this.offload.decide(net.id, sec.akm, this.caps).offload && !this.externalSae();
  }

  /** SAE can authenticate this network: on the host (the driver takes `auth`) or in a firmware with sae_offload. */
  saeRunnable(hostSae: boolean): boolean {
    return hostSae || this.externalSae() || (this.caps !== undefined && wantsOffload(this.opts.policy, this.opts.config(), this.caps, 'SAE'));
  }

  /** The driver asks for SAE when it needs it (capability sae_external_auth) and takes the outcome. */
  private externalSae(): boolean {
    return this.caps?.sae_external_auth === true && typeof this.opts.driver.externalAuthStatus === 'function';
  }

  /**
   * Take-back by reassociation (take-back.ts): disconnect; the next attempt
   * for this network runs with offload off (`four_way_offload: false`, no
   * PMK, no SAE password), offering the cached PMKID, or for SAE without one
   * running SAE on the host.
   */
  private reassociateOffloadOff(k: Keyed, why: string): void {
    k.takingBack = true;
    this.offload.firmwareFailed(k.netId);
    this.emit('failed', Reason.DEAUTH_LEAVING, `OFFLOAD: ${why}`);
  }

  /**
   * Runs SAE with the BSS through the driver's `auth` op (2.10's
   * sme_send_authentication() with WLAN_AUTH_SAE). On success the PMKSA joins
   * the cache (and so the firmware's table), and the connect that follows
   * names its PMKID; `done` hears the outcome once, unless end() comes first;
   * `sending` hears each Authentication frame as it goes out.
   */
  authenticate(net: NetworkConfig, target: SaeTarget, sec: SecurityChoice, ownAddress: string, apH2e: boolean, done: (o: SaeOutcome) => void, sending?: () => void): void {
    this.end();
    this.runSae(net, target, sec, ownAddress, apH2e, done, sending);
  }

  /**
   * SAE the driver asked for while connecting (nl80211 external
   * authentication): as authenticate(), but the connection prepared stays,
   * since its `assoc` follows the SAE.
   */
  authenticateExternal(net: NetworkConfig, target: SaeTarget, sec: SecurityChoice, ownAddress: string, apH2e: boolean, done: (o: SaeOutcome) => void): void {
    this.sae?.abort();
    this.sae = undefined;
    this.runSae(net, target, sec, ownAddress, apH2e, done);
  }

  private runSae(net: NetworkConfig, target: SaeTarget, sec: SecurityChoice, ownAddress: string, apH2e: boolean, done: (o: SaeOutcome) => void, sending?: () => void): void {
    const cfg = this.opts.config();
    // sae_groups has no GET text (2.10 answers FAIL), so its stored list is read.
    const stored = cfg.globalValue('sae_groups');
    const groups = Array.isArray(stored) ? stored.map(Number) : [];
    const sae = saeMachines();
    let station: SaeStation;
    try {
      station = new sae.SaeStation({
        ownAddr: ownAddress,
        bssid: target.bssid,
        ssid: target.ssid,
        saePassword: net.saePassword,
        passphrase: net.passphrase,
        passwordId: net.state.saePasswordId?.toString('latin1'),
        saeGroups: groups,
        saePwe: this.saePwe(),
        apH2e,
        akm: akmInfo(sec.akm).selector,
      });
    } catch (e) {
      if (!(e instanceof sae.SaeConfigError)) throw e;
      done({ ok: false, status: 1, reason: e.message });
      return;
    }
    const x = new SaeAuthExchange(this.opts.ifname, this.opts.driver, target, station, (o) => {
      if (this.sae !== x) return;
      this.sae = undefined;
      if (o.ok) this.opts.pmksa.addFromHost(target.bssid, o.pmkid, o.pmk, sec.akm, net.id);
      done(o);
    }, sending);
    this.sae = x;
    x.start();
  }

  /** An Authentication frame from the AP (`auth_rx`): FT's (algorithm 2) or SAE's. */
  onAuthRx(bssid: string, data: Buffer): void {
    if (data.length >= 2 && data.readUInt16LE(0) === WLAN_AUTH_FT && this.ftAuth) {
      this.onFtAuthRx(bssid, data);
      return;
    }
    if (!this.sae) {
      log.debug(`${this.opts.ifname}: Authentication frame from ${bssid} while not authenticating; dropped`);
      return;
    }
    this.sae.receive(bssid, data);
  }

  /* ------------------------------------------------------------------- FT */

  /** FT Authentication in progress with a target (2.10's SME with WPA_WLAN_AUTH_FT). */
  private ftAuth: { roam: FtRoam; xxkey: Buffer; target: SaeTarget; timer: NodeJS.Timeout; done: (o: FtAuthOutcome) => void } | undefined;
  /** FT Authentication succeeded: the Reassociation Response to `roam.target` is checked by roamed(). */
  private ftReassoc: { roam: FtRoam; xxkey: Buffer } | undefined;

  /**
   * A roam to a BSS whose MDE names this association's mobility domain can
   * use FT over the air, as 2.10's sme_authenticate() decides (FT AKM in use,
   * the same MDID, a PTK in place), with a driver that carries FT
   * Authentication frames (`ft_auth`) and an FT AKM done here (SHA-256).
   */
  canFtRoam(targetMde: Buffer | undefined): boolean {
    const k = this.cur;
    const info = k ? akmFacts(k.sec.akm) : undefined;
    if (!k?.ft || !k.keys?.params.pmk || !k.keys.material() || !info?.ft || info.hash !== 'sha256') return false;
    if (this.caps?.ft_auth !== true || !this.opts.driver.auth) return false;
    return targetMde !== undefined && targetMde.length >= 4 && targetMde.subarray(2, 4).equals(k.ft.mdid);
  }

  /**
   * FT Authentication with `target` (transaction 1: RSNE[PMKR0Name], MDE,
   * FTE[SNonce, R0KH-ID]); its response is checked as 2.10's
   * wpa_ft_process_response() and `done` hears the Reassociation Request's
   * FT elements, or why not. SME's 5 s authentication timeout applies.
   */
  ftAuthenticate(target: SaeTarget, done: (o: FtAuthOutcome) => void): void {
    const k = this.cur;
    const params = k?.keys?.params;
    const pmk = params?.pmk;
    if (!k?.ft || !params || !pmk || !this.opts.driver.auth) {
      done({ ok: false, status: 1, reason: 'no FT association to start from' });
      return;
    }
    this.abortFt();
    const sec = k.sec;
    const roam = new FtRoam(
      {
        akm: sec.akm,
        pairwise: sec.pairwise,
        group: sec.group,
        groupMgmt: sec.mfp ? (sec.groupMgmt ?? 'AES-128-CMAC') : undefined,
        capabilities: parseRsne(params.ownRsne).capabilities,
        xxkey: pmk,
        ft: k.ft,
        spa: params.ownAddress,
      },
      target.bssid,
    );
    const timer = setTimeout(() => this.endFtAuth({ ok: false, status: 1, reason: 'Authentication timed out' }), FT_AUTH_TIMEOUT_MS);
    this.ftAuth = { roam, xxkey: pmk, target, timer, done };
    const frame = Buffer.concat([ftAuthHeader(1, 0), roam.authRequest()]);
    this.opts.driver.auth({ ...target, algorithm: 'ft', data: frame }).catch((e) => {
      log.warning(`${this.opts.ifname}: FT: driver auth failed: ${e instanceof Error ? e.message : String(e)}`);
      this.endFtAuth({ ok: false, status: 1, reason: 'driver auth failed' });
    });
  }

  private onFtAuthRx(bssid: string, data: Buffer): void {
    const x = this.ftAuth;
    if (!x || bssid.toLowerCase() !== x.target.bssid || data.length < 6 || data.readUInt16LE(2) !== 2) return;
    const status = data.readUInt16LE(4);
    if (status !== 0) {
      this.endFtAuth({ ok: false, status, reason: `FT Authentication refused with status ${status}`, peerStatus: status, transaction: 2 });
      return;
    }
    try {
      const ies = x.roam.authResponse(data.subarray(6));
      this.ftReassoc = { roam: x.roam, xxkey: x.xxkey };
      this.endFtAuth({ ok: true, ies });
    } catch (e) {
      if (!(e instanceof FtProtocolError)) throw e;
      this.endFtAuth({ ok: false, status: e.status, reason: `FT Authentication response processing failed: ${e.message}` });
    }
  }

  private endFtAuth(o: FtAuthOutcome): void {
    const x = this.ftAuth;
    if (!x) return;
    clearTimeout(x.timer);
    this.ftAuth = undefined;
    x.done(o);
  }

  /** The roam is off (disconnect, another connection): no more FT frames or outcome. */
  private abortFt(): void {
    if (this.ftAuth) clearTimeout(this.ftAuth.timer);
    this.ftAuth = undefined;
    this.ftReassoc = undefined;
  }

  /** From SUSPEND until the first association after RESUME: reports may cross. */
  private resumeWindow(): boolean {
    return this.suspended || this.resumed;
  }

  private applyHeldCounter(keys: AssociationKeys): void {
    this.resumed = false;
    const held = this.heldCounters.get(keys.bssid);
    this.heldCounters.clear();
    if (!held) return;
    const cur = keys.replayCounter();
    // The replay counter only moves forward: the highest valid one wins, whichever came first.
    if (cur && held.compare(cur) <= 0) return;
    keys.onFirmwareGtkRekey(keys.bssid, held);
    if (this.cur) this.cur.fwKnown = { ...this.cur.fwKnown, keyReplayCtr: held };
    log.info(`${this.opts.ifname}: OFFLOAD: replay counter ${held.toString('hex')} the firmware reported before the roam to ${keys.bssid} applied`);
  }

  /**
   * The firmware woke the host. As wpa_supplicant 2.10, the wake itself
   * changes nothing: what caused it follows as ordinary events (a failed
   * group rekey: the AP's next group key message, answered by the host with
   * its KCK, or without PTK material the EAPOL-Start rule; a new 4-way
   * handshake: the AP's msg 1/4, which the host runs; a disconnect: the
   * `disconnected` event, and the station reconnects). It is logged and
   * shown by OFFLOAD_STATUS.
   */
  onWake(reason: string): void {
    this.suspended = false;
    this.resumed = true;
    this.lastWake = reason;
    log.info(`${this.opts.ifname}: OFFLOAD: woken by the firmware: ${reason}`);
  }

  onPmksaAdded(p: { bssid: string; pmkid: Buffer; pmk: Buffer; akm: string; lifetime: number }): void {
    // Ours while associated (a firmware roam's), and while connecting to that BSS (SAE in the firmware reports before `assoc`).
    const k = this.cur;
    const netId = k && (k.associated || k.bssid === p.bssid.toLowerCase()) ? k.netId : undefined;
    this.opts.pmksa.addFromFirmware(p.bssid, p.pmkid, p.pmk, p.akm, p.lifetime, netId);
  }

  private associatedKeys(): AssociationKeys | undefined {
    return this.cur?.associated ? this.cur.keys : undefined;
  }

  /* ------------------------------------------------------ failure verdict */

  /**
   * What the loss of the link means for the key exchange, decided before the
   * association ends. A firmware that failed the offloaded handshake gets
   * that network's handshakes no more, until it restarts.
   */
  lossVerdict(link: LinkFacts): LossVerdict {
    const k = this.cur;
    if (!k) return undefined;
    if (k.takingBack) return 'offload-failed';
    const fail = k.failure;
    if (!fail && this.inOffloadedHandshake(k, link)) {
      this.offload.firmwareFailed(k.netId);
      log.info(`${this.opts.ifname}: OFFLOAD: the firmware did not complete the 4-way handshake with ${k.bssid}; the host runs those of network ${k.netId} from now on`);
      return 'offload-failed';
    }
    if (this.eapolStartUnanswered(k, link)) {
      // One EAPOL-Start per firmware, not one per association: the next attempt runs on the host.
      this.offload.firmwareFailed(k.netId);
      log.info(`${this.opts.ifname}: OFFLOAD: no 4-way handshake reached the host after EAPOL-Start; the host runs those of network ${k.netId} from now on`);
      return 'offload-failed';
    }
    if (fail?.wrongKey || this.couldBePskMismatch(k, link)) return 'wrong-key';
    return fail ? 'auth-failed' : undefined;
  }

  /**
   * The link was lost while the firmware was running the 4-way handshake it
   * was asked to run (the host never saw 4WAY_HANDSHAKE): the firmware failed,
   * for a reason the host cannot know. Either after an unauthorized `assoc`,
   * or before any `assoc` (a firmware that reports the association only once
   * its handshake is done) when the reason says the 4-way handshake failed;
   * any other loss before `assoc` is a connection failure.
   */
  private inOffloadedHandshake(k: Keyed, link: LinkFacts): boolean {
    const keys = k.keys;
    if (!keys?.params.offloadRequested || keys.owner === 'host') return false;
    if (link.associated) return link.wpaState === 'ASSOCIATED';
    return link.reason === Reason.FOURWAY_HANDSHAKE_TIMEOUT;
  }

  /**
   * The host took an offloaded handshake back with EAPOL-Start and never saw
   * msg 1/4 (the AP ignored it, as hostapd does for PSK, and the firmware kept
   * swallowing the AP's frames): the firmware failed, not the passphrase.
   */
  private eapolStartUnanswered(k: Keyed, link: LinkFacts): boolean {
    const keys = k.keys;
    return !!keys?.params.offloadRequested && keys.sentEapolStart && !keys.completed && link.associated && link.wpaState === 'ASSOCIATED';
  }

  /**
   * wpa_supplicant's could_be_psk_mismatch(): the link was lost during the
   * first 4-way handshake of a PSK network that the host ran (a PTK rekey of
   * a connection whose key worked proves nothing), and not because our own
   * msg 3 check refused the AP's RSNE.
   */
  private couldBePskMismatch(k: Keyed, link: LinkFacts): boolean {
    if (link.wpaState !== '4WAY_HANDSHAKE' || k.keys?.completed) return false;
    if (akmFamily(k.sec.akm) !== 'psk') return false;
    return !(link.locallyGenerated && link.reason === Reason.IE_IN_4WAY_DIFFERS);
  }

  /* --------------------------------------------------------------- audit */

  /** What the firmware is known to hold of the associated BSS's PTK material, without asking it. */
  firmwareKnown(): FirmwareMaterial {
    return this.cur?.associated ? this.cur.fwKnown : {};
  }

  /** The associated BSS's key side (none while still connecting). */
  audit(): KeyPathAudit | undefined {
    const keys = this.associatedKeys();
    if (!keys) return undefined;
    return {
      bssid: keys.bssid,
      owner: keys.owner,
      how: keys.how,
      replayCounter: keys.replayCounter(),
      material: keys.material(),
      apMldAddr: this.cur?.apMldAddr ?? '',
      power: this.suspended ? 'suspended' : this.lastWake,
    };
  }

  /* ------------------------------------------------------------ internal */

  private newKeys(keyed: Keyed, ownAddress: string, pmk: Buffer | undefined, pmkid: Buffer | undefined, ies: Buffer, offload: boolean, why: string): AssociationKeys {
    const sec = keyed.sec;
    // Reports of keys that are no longer the association's are dropped.
    const live = (): boolean => this.cur === keyed;
    /*
     * A 4-way handshake's msg 4/4 and the keys it installs, until the driver
     * has answered for them. The first completion waits for them: 2.10 sends
     * CTRL-EVENT-CONNECTED after msg 4/4 has gone out and the keys are in
     * (its sends and NEW_KEY are synchronous), so a client acting on the
     * event finds the keys installed; here the driver's requests are
     * asynchronous (nl80211 sends on the next turn of the event loop) and the
     * control socket's sends are not. Completions without an EAPOL frame of
     * ours in flight (FT's keys from the Reassociation Response, a firmware's
     * handshake) report at once, in the order 2.10 prints them.
     */
    const unanswered = new Unanswered();
    const track = (op: string, p: Promise<unknown>): void => this.driverOp(op, p, undefined, unanswered.start(op === 'tx_eapol'));
    const keys: AssociationKeys = new AssociationKeys(
      {
        bssid: keyed.bssid,
        ownAddress,
        sec,
        pmk,
        pmkid,
        ownRsne: ies,
        offloadRequested: offload,
        hostOnlyReason: why,
        gtkRekeyOffload: this.caps?.gtk_rekey_offload ?? false,
        completesAtConnect: this.caps?.completion === 'connect',
      },
      {
        txEapol: (dst, frame) => track('tx_eapol', this.opts.driver.txEapol(dst, frame)),
        setKey: (p) => track('set_key', this.opts.driver.setKey(p)),
        setPort: (a) => this.driverOp('set_port', this.opts.driver.setPort(a)),
        setRekeyData: (kck, kek, replayCtr) =>
          this.driverOp('set_rekey_data', this.opts.driver.setRekeyData({ kck, kek, replayCtr, akm: sec.akm }), () => {
            keyed.fwKnown = { kck, kek, keyReplayCtr: replayCtr };
          }),
        handshakeState: (s) => live() && keyed.associated && this.emit('handshakeState', s),
        completed: (owner, how) => {
          log.debug(() => `${this.opts.ifname}: key owner ${owner} (${how})`);
          if (unanswered.eapol === 0) {
            if (live()) this.emit('completed', owner, how);
            return;
          }
          unanswered.afterAnswered(() => live() && this.emit('completed', owner, how));
        },
        rekeyed: () => live() && this.emit('rekeyed'),
        groupRekeyed: () => live() && this.emit('groupRekeyed'),
        failed: (reason, message, wrongKey) => {
          if (!live()) return;
          keys.clearTimers();
          keyed.failure = { reason, wrongKey };
          this.emit('failed', reason, message);
        },
        reassociate: (why) => {
          if (!live()) return;
          if (takeBackNeedsPmksa(sec.akm) && !this.opts.pmksa.lookup(keyed.apMldAddr ?? keyed.bssid, keyed.netId, sec.akm)) {
            // Nothing to offer: the AP would ask for EAP, which the host cannot run. Not a
            // firmware failure (the next connect is not possible either), an authentication one.
            const msg = `OFFLOAD: cannot take the handshake back from the firmware: no PMKSA cached for ${keyed.bssid} and the host runs no EAP`;
            log.warning(`${this.opts.ifname}: ${msg}`);
            keyed.failure = { reason: Reason.IEEE_802_1X_AUTH_FAILED, wrongKey: false };
            this.emit('failed', Reason.IEEE_802_1X_AUTH_FAILED, msg);
            return;
          }
          this.reassociateOffloadOff(keyed, why);
        },
        ownerChanged: (owner, how, why) => this.emit('ownerChanged', keyed.bssid, owner, how, why),
      },
      { offloadWaitMs: this.opts.policy.offloadWaitMs, authTimeoutMs: this.opts.policy.authTimeoutMs },
    );
    return keys;
  }

  /**
   * A driver request whose failure is logged, never thrown: `succeeded` runs
   * once the driver accepted it, `answered` once it answered either way. One
   * reaction on the driver's promise, no chain (every key operation of every
   * handshake comes through here).
   */
  private driverOp(op: string, p: Promise<unknown>, succeeded?: () => void, answered?: () => void): void {
    p.then(
      () => {
        succeeded?.();
        answered?.();
      },
      (e) => {
        log.warning(`${this.opts.ifname}: driver ${op} failed: ${e instanceof Error ? e.message : String(e)}`);
        answered?.();
      },
    );
  }
}

/**
 * An association's tx_eapol and set_key requests the driver has not answered
 * yet, and the first completion's wait for them (newKeys()): counters and one
 * callback rather than a promise per request and a Promise.all.
 */
class Unanswered {
  /** Requests started so far: a request's number orders it against the wait. */
  private started = 0;
  private pending = 0;
  /** tx_eapol requests unanswered. */
  eapol = 0;
  private wait: { before: number; left: number; then: () => void } | undefined;

  /** A request goes to the driver; call the function returned when it has answered. */
  start(eapol: boolean): () => void {
    const n = this.started++;
    this.pending++;
    if (eapol) this.eapol++;
    return () => {
      this.pending--;
      if (eapol) this.eapol--;
      const w = this.wait;
      if (w && n < w.before && --w.left === 0) {
        this.wait = undefined;
        w.then();
      }
    };
  }

  /** `then` once every request started so far has been answered (at once if none is pending). */
  afterAnswered(then: () => void): void {
    if (this.pending === 0) {
      then();
      return;
    }
    this.wait = { before: this.started, left: this.pending, then };
  }
}
