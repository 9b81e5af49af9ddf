/**
 * The station: wpa_supplicant's connection state machine (wpa_supplicant.c,
 * events.c) on top of a DriverBackend. It selects a network from its scans'
 * results and connects; it leaves the scans themselves (when, which channels,
 * the results into the BSS table) to its Scan (scan.ts, 2.10's scan.c), which
 * reports back through ScanStation, everything about the association's keys
 * to the offload layer's KeyPath (PMK, offload decision, driver key
 * operations, EAPOL), hearing back through its typed events, and the
 * authentication the host runs itself (SAE, FT, the roams through the host's
 * SME) to its Sme (sme.ts), which reports back through SmeStation. The
 * station neither knows nor cares which driver backend it has.
 */
import { EventEmitter } from 'node:events';
import type { SupplicantConfig } from '../config/config.js';
import { ssidTxt } from '../config/cstr.js';
import { invalidatesPmksa, type NetworkConfig } from '../config/network.js';
import { type AssocEvent, type ConnectParams, type DriverBackend, type DriverCapabilities, type HelloResult, type LinkSignal, type ScanBss, type ScanParams, ZERO_ADDR } from '../driver/backend.js';
import * as log from '../log.js';
import { MsgLevel } from '../log.js';
import { FirmwareInputError, keyFingerprint } from '../offload/key-owner.js';
import { KeyPath } from '../offload/key-path.js';
import type { OffloadPolicy } from '../offload/policy.js';
import type { PmksaSync } from '../offload/pmksa-sync.js';
import { parseRsne } from '../rsn/rsne.js';
import { Reason } from '../rsn/supplicant.js';
import { auditOffload, type OffloadAudit } from '../offload/audit.js';
import { EAPOL_TIMER_DEFAULTS, type AssociationView, type EapolTimers, type MibState, type NetworkRef, type StationControl, type StationEvents, type UserScanResult } from './api.js';
import type { Association } from './association.js';
import { BssTable, type BssEntry } from './bss-table.js';
import { ev } from './events.js';
import { CAPAB_ESS, CAPAB_PRIVACY, EID_RSN, findIe } from './ies.js';
import { chooseSecurity, hasCredentials, securityFor, selectCandidate, type SecurityChoice } from './select.js';
import { akmFacts, akmFamily } from '../rsn/akm.js';
import { FtProtocolError } from '../rsn/ft-protocol.js';
import { stateAtLeast, type WpaState } from './state.js';
import { Sme, type SmeStation } from './sme.js';
import { networkEnabled, Scan, type ScanStation } from './scan.js';
import { TempDisableTable } from './temp-disable.js';
import { BssidIgnoreList } from './bssid-ignore.js';

/** scan_res_valid_for_connect's default (config.h): how long scan results may start a connection without a new scan. */
const SCAN_RES_VALID_FOR_CONNECT_S = 5;
/** wpas_connection_failed(): the delay of the next scan after the 1st, 2nd, 3rd, 4th and any later consecutive failure. */
const CONN_FAILED_SCAN_MS = [100, 500, 1000, 5000, 10000];
/** wpa_supplicant_event_disassoc_finish(): the scan asked for when an association, in progress or in use, is lost. */
const DISCONNECT_SCAN_MS = 100;
/** WLAN_REASON_DISASSOC_DUE_TO_INACTIVITY: from the AP, or from mac80211 when the AP stopped answering (locally generated). */
const REASON_DISASSOC_DUE_TO_INACTIVITY = 4;
/**
 * disconnect_reason_recoverable(): reasons an AP gives when it dropped the
 * station's state but may take it back at once (4 inactivity, 6 CLASS2_FRAME_FROM_NONAUTH_STA,
 * 7 CLASS3_FRAME_FROM_NONASSOC_STA): worth reconnecting to the same BSS without a scan.
 */
const RECOVERABLE_REASONS: ReadonlySet<number> = new Set([REASON_DISASSOC_DUE_TO_INACTIVITY, 6, 7]);

/** The driver refused the configured wowlan_triggers at interface start. */
export class WowlanTriggersError extends Error {
  constructor(
    readonly triggers: string,
    why: string,
  ) {
    super(`the driver refused wowlan_triggers '${triggers}': ${why}`);
    this.name = 'WowlanTriggersError';
  }
}

export interface StationOptions {
  ifname: string;
  driver: DriverBackend;
  /** The configuration in force; RECONFIGURE replaces the object, so it is read through this. */
  config: () => SupplicantConfig;
  policy: OffloadPolicy;
  pmksa: PmksaSync;
  /** Seconds; injectable for tests of expiry. */
  now?: () => number;
}

export class Station extends EventEmitter<StationEvents> implements StationControl {
  /** Until the driver link is up the interface is unusable, as a netdev that is down. */
  wpaState: WpaState = 'INTERFACE_DISABLED';
  ownAddress = ZERO_ADDR;
  readonly bss: BssTable;
  private readonly tempDisabled = new TempDisableTable();
  private readonly now: () => number;
  private current: Association | undefined;
  /** Where a connect is under way (before `assoc`). */
  private connecting: Association | undefined;
  /**
   * The key path asked the driver to deauthenticate (2.10's wpa_sm_deauthenticate(),
   * which is wpa_supplicant_deauthenticate()): its disconnection then clears the DSCP policies.
   */
  private deauthRequested = false;
  /**
   * The BSS the station asked the driver to leave, until the driver's report
   * of it comes (or the next association, which the report can no longer
   * precede). As 2.10's ignore_next_local_disconnect in driver_nl80211: that
   * locally generated report answers our own request, whose disassociation is
   * already marked; arriving after the next connect to the same BSS started
   * (fast associate scans no more), it must not end that attempt. The nl80211
   * backend drops the kernel's report itself (ignoreLocalDisconnect): there
   * it never comes, the kernel's reports until the next association name no
   * BSS (so none matches this), and that association clears it.
   */
  private leaveReported: string | undefined;
  /** wpa_s->disconnected: DISCONNECT was given (or, with STA_AUTOCONNECT 0, an association was lost); only RECONNECT / SELECT / REASSOCIATE clear it. */
  private userDisconnected = false;
  /** STA_AUTOCONNECT: reconnect on its own after losing an association. */
  private autoconnect = true;
  private reenableTimer: NodeJS.Timeout | undefined;
  /** FLUSH is removing the networks: leaving the current one starts no new scan. */
  private flushing = false;
  /** Consecutive connection failures, for the reconnect back-off. */
  private failures = 0;
  private hello: HelloResult | null = null;
  /** The key side of the association in progress. */
  private readonly keyPath: KeyPath;
  /** The authentication the host runs itself (SAE, FT) and the roams through it. */
  private readonly sme: Sme;
  /** The scans: when, which channels, their results into the BSS table. */
  private readonly scan: Scan;
  /** BSSID_IGNORE: BSSes tried last, or not at all for a while, after failures (2.10's bssid_ignore list). */
  private readonly bssidIgnore: BssidIgnoreList;
  /** SIGNAL_MONITOR: report CTRL-EVENT-SIGNAL-CHANGE when the signal crosses threshold ± hysteresis. */
  private signalMonitor: { threshold: number; hysteresis: number; above?: boolean } | undefined;
  private terminated = false;
  /** start() waits for the first link-up's wowlan_triggers: its outcome, for onLinkUp to give. */
  private starting: { resolve(): void; reject(e: Error): void } | undefined;
  /** wpa_sm's suites, set when an RSN association starts and kept after it ends (MIB). */
  private lastRsna: MibState['rsna'];
  /** dot11RSNA4WayHandshakeFailures: links lost during a 4-way handshake the host ran. */
  private fourWayFailures = 0;
  /**
   * The 802.1X PAE's timers, shown by MIB. No EAP method runs in this daemon,
   * so no EAPOL supplicant state machine times out on them.
   */
  private readonly eapolTimers: EapolTimers = { ...EAPOL_TIMER_DEFAULTS };

  constructor(private readonly opts: StationOptions) {
    super();
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.bssidIgnore = new BssidIgnoreList(this.now);
    opts.pmksa.rsnaConfig = () => ({ lifetime: this.config.dot11RSNAConfigPMKLifetime, reauthThreshold: this.config.dot11RSNAConfigPMKReauthThreshold });
    // 2.10's wpa_supplicant_add_pmkid(): every PMKSA of a configured network its cache takes (SAE, the driver's, PMKSA_ADD) is announced.
    opts.pmksa.announceAdded = (e) => {
      if (this.config.getNetwork(e.networkId)) this.event(ev.pmksaCacheAdded(e.aa, e.networkId));
    };
    // And wpa_supplicant_remove_pmkid(): every entry of a network still configured that leaves it (none for an entry without one).
    opts.pmksa.announceRemoved = (e) => {
      if (this.config.getNetwork(e.networkId)) this.event(ev.pmksaCacheRemoved(e.aa, e.networkId));
    };
    this.keyPath = new KeyPath({ ifname: opts.ifname, driver: opts.driver, config: () => this.config, policy: opts.policy, pmksa: opts.pmksa });
    this.attachKeyPath();
    this.bss = new BssTable(
      {
        added: (e) => this.event(ev.bssAdded(e.id, e.bssid)),
        removed: (e) => this.event(ev.bssRemoved(e.id, e.bssid)),
      },
      this.now,
    );
    this.sme = new Sme({ ifname: opts.ifname, driver: opts.driver, keyPath: this.keyPath, config: () => this.config, bss: this.bss, station: this.smeStation() });
    this.scan = new Scan({ ifname: opts.ifname, driver: opts.driver, config: () => this.config, bss: this.bss, now: this.now, station: this.scanStation() });
    this.attachDriver();
  }

  /** What the SME sees of the station and reports to it. */
  private smeStation(): SmeStation {
    return {
      attempt: () => this.connecting,
      current: () => this.current,
      ownAddress: () => this.ownAddress,
      setState: (s) => this.setState(s),
      event: (text, level) => this.event(text, level),
      authenticating: (cur) => {
        this.connecting = cur;
        this.setState('AUTHENTICATING');
      },
      associate: (net, bss, sec, sae, prevBssid) => {
        this.connecting = undefined;
        this.connectTo(net, bss, sec, sae, prevBssid);
      },
      attemptFailed: (net, reason) => {
        const bssid = this.connecting?.bssid;
        this.endAssociation();
        this.setState('DISCONNECTED');
        if (reason === 'CONN_FAILED' && bssid) this.connectionFailed(net, bssid);
        else this.authFailed(net, reason);
      },
      deauthenticate: (bssid) => this.askDriverToLeave(bssid, Reason.DEAUTH_LEAVING),
      roamFailed: (net, target) => {
        this.leave(Reason.DEAUTH_LEAVING);
        this.setState('DISCONNECTED');
        this.connectionFailed(net, target);
      },
      reassociate: (net, target, sec, prevBssid) => {
        this.endAssociation();
        this.connectTo(net, target, sec, undefined, prevBssid);
      },
    };
  }

  /** What the scans see of the station and report to it. */
  private scanStation(): ScanStation {
    return {
      state: () => this.wpaState,
      setState: (s) => this.setState(s),
      event: (text, level) => this.event(text, level),
      current: () => this.current,
      attempt: () => this.connecting,
      wantsConnection: () => this.wantsConnection(),
      idleState: () => this.idleState(),
      scanResultsAvailable: (scanOnly) => {
        if (this.current) this.refreshSignal();
        if (this.wantsConnection() && !scanOnly) this.selectAndConnect();
        else if (!this.current && !this.connecting) this.setState(this.idleState());
      },
      ownScanStarted: () => this.keyPath.derivePsksAhead(this.config.networks.filter(networkEnabled)),
    };
  }

  get driverUp(): boolean {
    return this.opts.driver.hello !== null;
  }

  get capabilities(): HelloResult['capabilities'] | undefined {
    return this.hello?.capabilities;
  }

  private get config(): SupplicantConfig {
    return this.opts.config();
  }

  /**
   * Starts the driver. Settles once its first attempt to bring the link up
   * is over; rejects with WowlanTriggersError when that attempt brought the
   * link up and the driver refused wowlan_triggers: 2.10's
   * wpa_supplicant_init_iface() fails the interface then. A link that comes
   * up later (ext, sim, a netdev that appears) only logs such a refusal.
   */
  async start(): Promise<void> {
    const first = new Promise<void>((resolve, reject) => (this.starting = { resolve, reject }));
    await this.opts.driver.start();
    if (!this.opts.driver.hello) {
      this.starting = undefined;
      return;
    }
    await first;
  }

  /** A wpa_msg() of this interface: the interface logs it and sends it to monitors. */
  private event(text: string, level: number = MsgLevel.INFO): void {
    this.emit('ctrlEvent', level, text);
  }

  private setState(s: WpaState): void {
    if (s === this.wpaState) return;
    // Only the driver link coming up ends INTERFACE_DISABLED.
    if (this.wpaState === 'INTERFACE_DISABLED' && !this.opts.driver.hello) return;
    log.debug(() => `${this.opts.ifname}: State: ${this.wpaState} -> ${s}`);
    this.wpaState = s;
    this.sme.stateChanged(s);
  }

  /* ---------------------------------------------------------------- driver */

  private attachDriver(): void {
    const d = this.opts.driver;
    const guard = <A extends unknown[]>(name: string, fn: (...a: A) => void | Promise<void>) =>
      (...a: A): void => {
        try {
          const r = fn(...a);
          if (r instanceof Promise) r.catch((e) => this.driverEventError(name, e));
        } catch (e) {
          this.driverEventError(name, e);
        }
      };
    d.on('link_up', guard('link_up', (h) => this.onLinkUp(h)));
    d.on('link_down', guard('link_down', () => {
      this.scan.forgetScan();
      this.onLinkLost('driver link lost');
      this.setState('INTERFACE_DISABLED');
    }));
    d.on('firmware_restarted', guard('firmware_restarted', () => this.onFirmwareRestarted()));
    d.on('scan_started', guard('scan_started', () => this.event(ev.scanStarted())));
    d.on('scan_results', guard('scan_results', (bss) => this.scan.onScanResults(bss)));
    d.on('scan_results_lost', guard('scan_results_lost', () => this.scan.onScanResultsLost()));
    d.on('assoc', guard('assoc', (a) => this.onAssoc(a)));
    d.on('port_authorized', guard('port_authorized', (p) => this.keyPath.onPortAuthorized(p.bssid, p.material, p.tdBitmap, p.apMldAddr)));
    d.on('wake', guard('wake', (w) => this.keyPath.onWake(w.reason)));
    d.on('assoc_reject', guard('assoc_reject', (r) => this.onAssocReject(r.bssid, r.status, r.timeout)));
    d.on('eapol_rx', guard('eapol_rx', (e) => this.keyPath.onEapolRx(e.src, e.data)));
    d.on('auth_rx', guard('auth_rx', (e) => this.sme.onAuthRx(e.bssid, e.data, e.status)));
    d.on('auth_timeout', guard('auth_timeout', (e) => this.sme.authFailed(e.bssid)));
    d.on('assoc_timeout', guard('assoc_timeout', (e) => this.sme.authFailed(e.bssid, undefined, 'Association')));
    d.on('external_auth', guard('external_auth', (e) => this.sme.onExternalAuth(e.action, e.bssid, e.ssid)));
    d.on('gtk_rekey', guard('gtk_rekey', (g) => this.keyPath.onFirmwareGtkRekey(g.bssid, g.replayCtr)));
    d.on('pmksa_added', guard('pmksa_added', (p) => this.keyPath.onPmksaAdded(p)));
    d.on('disconnected', guard('disconnected', (x) => this.onDriverDisconnected(x.bssid, x.reason, x.locallyGenerated)));
    d.on('signal', guard('signal', (s) => this.onSignal(s.bssid, s.signal)));
    // EVENT_BEACON_LOSS: reported only while associated (current_bss and current_ssid).
    d.on('beacon_loss', guard('beacon_loss', () => this.current && this.event(ev.beaconLoss())));
  }

  /** What the key path reports about the association in progress. */
  private attachKeyPath(): void {
    const k = this.keyPath;
    k.on('handshakeState', (s) => this.setState(s));
    k.on('completed', () => {
      // FT over the air too: 2.10 prints "WPA: Key negotiation completed" for it (measured on the kernel radio).
      if (this.current) this.onConnectionCompleted(this.current, true);
    });
    k.on('rekeyed', () => {
      const cur = this.current;
      if (!cur) return;
      // wpa_supplicant_key_neg_complete() runs for every 4-way handshake;
      // CTRL-EVENT-CONNECTED only for a new association.
      this.setState('COMPLETED');
      this.event(ev.keyNegotiationCompleted(cur.bssid, cur.sec.pairwise, cur.sec.group));
    });
    k.on('groupRekeyed', () => {
      const cur = this.current;
      if (!cur) return;
      this.event(ev.groupRekeyCompleted(cur.bssid, cur.sec.group));
      this.setState('COMPLETED');
    });
    k.on('failed', (reason, message) => this.onKeysFailed(reason, message));
    k.on('ownerChanged', (bssid, owner, how, why) => this.event(ev.keyOwner(bssid, owner, how, why)));
  }

  /** Bad input from the firmware: logged, state left as it was, daemon keeps running. */
  private driverEventError(name: string, e: unknown): void {
    if (e instanceof FirmwareInputError) log.warning(`${this.opts.ifname}: OFFLOAD: ignored ${name} from driver: ${e.message}`);
    else log.error(`${this.opts.ifname}: driver event ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  private async onLinkUp(h: HelloResult): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    try {
      this.hello = h;
      this.keyPath.reset(h.capabilities);
      this.ownAddress = h.address.toLowerCase();
      log.info(`${this.opts.ifname}: driver ${this.opts.driver.name} up, own address ${this.ownAddress}`);
      if (this.wpaState === 'INTERFACE_DISABLED') this.setState('DISCONNECTED');
      await this.setWowlanTriggers(starting !== undefined);
    } catch (e) {
      if (!starting) throw e;
      return starting.reject(e as Error);
    }
    // What the firmware lost is the association of before this link-up, not
    // one started while the PMKSA resync below waits on the driver (a
    // SELECT_NETWORK right after the interface came up, say).
    const stale = this.current ?? this.connecting;
    starting?.resolve();
    await this.opts.pmksa.resync(h.capabilities);
    if (stale && (stale === this.current || stale === this.connecting)) this.onLinkLost('driver reconnected; firmware state is gone');
    else if (!this.current && !this.connecting) this.scan.reqScan(0);
  }

  /**
   * wowlan_triggers to a driver that takes them at start (nl80211), as
   * 2.10's wpas_set_wowlan_triggers() in wpa_supplicant_init_iface(): at
   * interface start (`atStart`) a refusal fails the interface
   * (WowlanTriggersError); at a later link-up it is logged.
   */
  private async setWowlanTriggers(atStart: boolean): Promise<void> {
    const triggers = this.config.getGlobal('wowlan_triggers');
    const d = this.opts.driver;
    if (triggers === undefined || !d.setWowlan) return;
    try {
      await d.setWowlan(triggers);
    } catch (e) {
      if (atStart) throw new WowlanTriggersError(triggers, (e as Error).message);
      log.error(`${this.opts.ifname}: Failed to set wowlan_triggers to '${triggers}': ${(e as Error).message}`);
    }
  }

  private async onFirmwareRestarted(): Promise<void> {
    log.warning(`${this.opts.ifname}: firmware restarted: resyncing PMKSA cache and reconnecting`);
    this.scan.forgetScan();
    this.keyPath.reset();
    if (this.hello) await this.opts.pmksa.resync(this.hello.capabilities);
    if (this.current || this.connecting) this.onLinkLost('firmware restarted');
  }

  /** The association is gone without a disconnect event (driver link or firmware lost). */
  private onLinkLost(why: string): void {
    const cur = this.current ?? this.connecting;
    if (!cur) {
      if (this.wpaState !== 'DISCONNECTED') this.setState('DISCONNECTED');
      return;
    }
    log.info(`${this.opts.ifname}: association with ${cur.bssid} lost: ${why}`);
    this.endAssociation();
    this.disassociated({ bssid: cur.bssid, reason: Reason.DEAUTH_LEAVING, locallyGenerated: true }, false);
    this.setState('DISCONNECTED');
    this.noAutoReconnect();
    this.scan.reqScan(100);
  }

  /**
   * STA_AUTOCONNECT 0: after a lost or failed association the station stays
   * away as after DISCONNECT, until RECONNECT, REASSOCIATE or SELECT_NETWORK
   * (wpa_supplicant_event_disassoc_finish(): "Auto connect disabled").
   */
  private noAutoReconnect(): void {
    if (this.autoconnect) return;
    log.debug(`${this.opts.ifname}: Auto connect disabled: do not try to re-connect`);
    this.userDisconnected = true;
  }

  /* ----------------------------------------------------------------- scan */

  /** SCAN command: its bookkeeping is the scans' (Scan.ctrlScan()). */
  userScan(req: ScanParams = {}, opts: { useId?: boolean; only?: boolean } = {}): UserScanResult {
    return this.scan.ctrlScan(req, opts);
  }

  abortScan(): boolean {
    return this.scan.abortScan();
  }

  private wantsConnection(): boolean {
    return !this.terminated && !this.userDisconnected && !this.current && !this.connecting;
  }

  /** The state after a scan that starts no connection: DISCONNECTED while disconnected (as 2.10's scan-results handler sets it), else INACTIVE without an enabled network. */
  private idleState(): WpaState {
    return this.userDisconnected || this.scan.enabledNetworks() ? 'DISCONNECTED' : 'INACTIVE';
  }

  /**
   * wpa_supplicant_fast_associate(): when the last scan's results are younger
   * than scan_res_valid_for_connect (5 s), connect to their best candidate
   * without scanning again. True when a connection started; else the caller
   * scans. Fresh results without a candidate are reported as 2.10's
   * wpas_select_network_from_last_scan() does (CTRL-EVENT-NETWORK-NOT-FOUND,
   * then the caller's scan), unless every enabled network is only waiting to
   * be re-enabled (2.10 postpones the selection then, silently).
   */
  private fastAssociate(): boolean {
    const lastScan = this.scan.lastScan;
    if (lastScan === undefined || this.scan.scanning || this.current || this.connecting) return false;
    if (this.now() - lastScan >= SCAN_RES_VALID_FOR_CONNECT_S || this.bss.lastScan().length === 0) {
      log.debug(`${this.opts.ifname}: Fast associate: ${this.bss.lastScan().length === 0 ? 'no scan results' : 'Old scan results'}`);
      return false;
    }
    this.reenableExpired();
    const cand = this.pickCandidate();
    if (!cand) {
      const t = this.now();
      if (this.config.networks.some((n) => networkEnabled(n) && !this.tempDisabled.isDisabled(n.id, t))) this.event(ev.networkNotFound());
      return false;
    }
    this.connectTo(cand.net, cand.bss, cand.sec);
    return true;
  }

  private refreshSignal(): void {
    const b = this.current && this.bss.get(this.current.bssid);
    if (b && this.current) this.current.signal = b.level;
  }

  /* -------------------------------------------------------------- connect */

  /** The best candidate of the last scan's BSSes, if any (wpa_supplicant_pick_network()). */
  private pickCandidate(): ReturnType<typeof selectCandidate> {
    const pmf = this.config.pmf;
    // wpa_scan_res_match(): with one enabled network a BSS is skipped from its
    // first failure on; with more, only from its second, so that one failure
    // does not push the station to a worse ESS.
    const limit = this.config.networks.filter((n) => n.disabled === 0).length === 1 ? 0 : 1;
    const pick = (): ReturnType<typeof selectCandidate> =>
      selectCandidate(
        this.config.networks,
        this.bss.lastScan(),
        (n) => !this.tempDisabled.isDisabled(n.id, this.now()),
        (b) => this.bssidIgnore.countOf(b.bssid) <= limit,
        pmf,
        (n, b, akm) => this.keyPath.hasCachedPmk(b.bssid, n.id, akm),
        this.keyPath.saeRunnable(this.hostSae),
      );
    let cand = pick();
    if (!cand && !this.bssidIgnore.isEmpty) {
      // As wpa_supplicant_pick_network(): ignoring every AP must not keep the station off the air.
      log.debug(`${this.opts.ifname}: No APs found - clear BSSID ignore list and try again`);
      this.bssidIgnore.clear();
      cand = pick();
    }
    return cand;
  }

  private selectAndConnect(): void {
    this.reenableExpired();
    const cand = this.pickCandidate();
    if (!cand) {
      this.event(ev.networkNotFound());
      this.setState('DISCONNECTED');
      this.scan.reqScan(this.scan.scanInterval * 1000);
      return;
    }
    this.connectTo(cand.net, cand.bss, cand.sec);
  }

  /** The driver takes Authentication frames from the host (capability sae_auth): SAE runs here. */
  private get hostSae(): boolean {
    return this.hello?.capabilities.sae_auth === true && typeof this.opts.driver.auth === 'function';
  }

  /** `prevBssid`: a reassociation from that BSS (ROAM on an association of the host's SME, Sme.smeRoam()). */
  private connectTo(net: NetworkConfig, bss: BssEntry, sec: SecurityChoice, sae?: Association['sae'], prevBssid?: string): void {
    if (!sae && this.keyPath.needsSae(net, bss.bssid, sec)) return this.sme.authenticateSae(net, bss, sec, prevBssid);
    const cur: Association = { net, bssid: bss.bssid, freq: bss.freq, ssid: bss.ssid, sec, signal: bss.level, ...(sae ? { sae } : {}) };
    const keys = this.keyPath.prepareConnect(net, bss.bssid, sec, this.ownAddress);
    if (!keys) {
      this.tempDisable(net, 'AUTH_FAILED');
      this.scan.reqScan(this.scan.scanInterval * 1000);
      return;
    }
    const macPolicy = net.macAddr >= 0 ? net.macAddr : this.config.macAddr;
    if (macPolicy > 0) {
      log.warning(`${this.opts.ifname}: mac_addr=${macPolicy} asks for a random address, which the driver protocol cannot set: connecting with the radio's own`);
    }
    const params: ConnectParams = {
      bssid: bss.bssid,
      ssid: bss.ssid,
      freq: bss.freq,
      ies: keys.ies,
      akm: sec.akm,
      pairwise: sec.pairwise,
      group: sec.group,
      mfp: sec.mfpRequired ? 'required' : sec.mfp ? 'optional' : 'none',
      pmk: keys.pmk,
      pmkid: keys.pmkid,
      fourWayOffload: keys.offload,
      ...(keys.psk ? { psk: keys.psk } : {}),
      ...(keys.sae ? { sae: keys.sae } : {}),
      ...(prevBssid ? { prevBssid } : {}),
      // wpas_start_assoc_cb(): params.sae_pwe with every association; the driver uses it for the SAE AKMs.
      saePwe: Number(this.config.getGlobal('sae_pwe') ?? 0),
    };
    // wpas_start_assoc_cb(): a scan asked for earlier does not go out during the attempt.
    this.scan.cancelScan();
    this.connecting = cur;
    this.setSuites(cur);
    this.setState('ASSOCIATING');
    // Without SAE just run, the host's SME authenticates first (Open System, a cached PMKSA).
    if (!sae && this.opts.driver.usesHostSme?.(params)) this.event(ev.smeTrying(bss.bssid, ssidTxt(bss.ssid), bss.freq));
    this.event(ev.trying(bss.bssid, ssidTxt(bss.ssid), bss.freq));
    this.opts.driver
      .connect(params)
      .catch((e) => {
        log.warning(`${this.opts.ifname}: connect failed: ${e instanceof Error ? e.message : String(e)}`);
        if (this.connecting?.bssid !== bss.bssid) return;
        this.endAssociation();
        // 2.10's "Association request to the driver failed" from a driver whose errors are final (VALID_ERROR_CODES): DISCONNECTED.
        this.setState('DISCONNECTED');
        this.connectionFailed(net, bss.bssid);
      });
  }

  private onAssoc(a: AssocEvent): void {
    const bssid = a.bssid.toLowerCase();
    if (a.roam && this.current) {
      this.onRoamed(a, bssid);
      return;
    }
    const cur = this.connecting;
    if (!cur || cur.bssid !== bssid) {
      log.warning(`${this.opts.ifname}: assoc event for ${bssid} with no connection attempt to it; ignored`);
      return;
    }
    this.connecting = undefined;
    this.current = cur;
    // Reports from here on are about this association (the driver reports in order).
    this.leaveReported = undefined;
    cur.freq = a.freq || cur.freq;
    this.keyPath.associated(a);
    this.associated(cur, a);
  }

  /** EVENT_ASSOC for `cur`, first or roam: ASSOCIATED, then the keys' turn (or COMPLETED at once when open), then the subnet status. */
  private associated(cur: Association, a: AssocEvent): void {
    this.setState('ASSOCIATED');
    this.event(ev.associated(cur.bssid));
    if (!this.keyPath.start(a)) this.onConnectionCompleted(cur, false); // open: no key handshake
    this.event(ev.subnetStatus(0));
  }

  /** The firmware reassociated on its own (key_mgmt_offload) or on our ROAM request. */
  private onRoamed(a: AssocEvent, bssid: string): void {
    const prev = this.current!;
    const bss = this.bss.get(bssid) ?? this.bss.addAssociated(roamedBss(a, bssid, prev.ssid));
    const pmf = this.config.pmf;
    const fwPmk = a.pmk !== undefined && a.pmkid !== undefined;
    // The new BSS may differ in what it offers; without its IEs, keep what the ESS used.
    // The AKM the firmware used is in the RSNE of its (Re)Association Request; without one, what the network can use here.
    const reqAkm = requestAkm(a.reqIes);
    const usable = (akm: string): boolean =>
      reqAkm !== undefined ? akm === reqAkm : hasCredentials(prev.net, akm, fwPmk || this.keyPath.hasCachedPmk(bssid, prev.net.id, akm));
    const sec = (bss && chooseSecurity(prev.net, bss, pmf, usable)) || prev.sec;
    // A CONNECT event (the kernel's roam by reconnecting) carries no frequency: the BSS table's.
    const cur: Association = { net: prev.net, bssid, freq: a.freq || bss.freq, ssid: bss?.ssid ?? prev.ssid, sec, signal: bss?.level ?? prev.signal };
    try {
      this.keyPath.roamed(prev.net, bssid, sec, this.ownAddress, a);
    } catch (e) {
      if (!(e instanceof FtProtocolError)) throw e;
      // 2.10's wpa_supplicant_event_associnfo(): "FT: Validation of Reassociation Response failed", deauthenticate (13).
      this.current = cur;
      this.onKeysFailed(Reason.INVALID_IE, `FT: Validation of Reassociation Response failed: ${e.message}`);
      return;
    }
    this.current = cur;
    this.setSuites(cur);
    this.associated(cur, a);
  }

  /** wpa_supplicant_set_suites() at the start of an association: an open network clears them (wpa_supplicant_set_non_wpa_policy). */
  private setSuites(cur: Association): void {
    this.lastRsna = cur.sec.akm !== 'NONE' ? { akm: cur.sec.akm, pairwise: cur.sec.pairwise, group: cur.sec.group, pmkid: this.keyPath.pmkid } : undefined;
  }

  /** COMPLETED for a new association: after the first key negotiation, or at once for an open network. */
  private onConnectionCompleted(cur: Association, keyNegotiation: boolean): void {
    if (this.current !== cur) return;
    this.setState('COMPLETED');
    this.failures = 0;
    this.tempDisabled.clear(cur.net.id);
    // wpa_supplicant_cancel_auth_timeout(): the BSS that took us is no longer ignored.
    this.bssidIgnore.del(cur.bssid);
    if (keyNegotiation) this.event(ev.keyNegotiationCompleted(cur.bssid, cur.sec.pairwise, cur.sec.group));
    this.event(ev.connected(cur.bssid, cur.net.id, cur.net.idStr ?? ''));
  }

  /** The key path gave up on the exchange: leave, and let the loss be classified as its failure. */
  private onKeysFailed(reason: number, message: string): void {
    const cur = this.current ?? this.connecting;
    if (!cur) return;
    log.info(`${this.opts.ifname}: WPA: ${message}`);
    // As 2.10's wpa_supplicant_deauthenticate(), the disassociation is marked
    // here, not when the driver reports it: nl80211 reports no disconnect the
    // host asked for (backend.ts, ignoreLocalDisconnect), and a take-back by
    // reassociation waited for that report for ever. A report that comes
    // anyway finds no association left.
    this.deauthRequested = true;
    this.onDisconnected(cur.bssid, reason, true);
    this.askDriverToLeave(cur.bssid, reason);
  }

  /** The driver's disconnect from `bssid`; its report, when one comes, is ours (leaveReported). */
  private askDriverToLeave(bssid: string, reason: number): void {
    this.leaveReported = bssid;
    this.opts.driver.disconnect(reason).catch(() => undefined);
  }

  private onAssocReject(bssid: string, status: number, timeout: boolean): void {
    const cur = this.connecting;
    this.event(ev.assocReject(bssid.toLowerCase(), status, timeout));
    if (!cur) return;
    const saeCached = akmFamily(cur.sec.akm) === 'sae' && !cur.sae && this.keyPath.pmkid !== undefined;
    this.endAssociation();
    const bss = this.bss.get(cur.bssid);
    if (saeCached && bss) {
      // 2.10's wpas_event_assoc_reject(): "PMKSA caching attempt rejected - drop
      // PMKSA cache entry and fall back to SAE authentication", at once.
      log.debug(`${this.opts.ifname}: PMKSA caching attempt rejected - drop PMKSA cache entry and fall back to SAE authentication`);
      this.opts.pmksa.dropNetwork(cur.net.id);
      this.connectTo(cur.net, bss, cur.sec);
      return;
    }
    // wpas_event_assoc_reject(): the BSS the driver names, else the one being connected to.
    const rejected = bssid === ZERO_ADDR ? cur.bssid : bssid.toLowerCase();
    // wpa_supplicant_mark_disassoc(): DISCONNECTED until the next scan, however far off that is.
    this.setState('DISCONNECTED');
    this.connectionFailed(cur.net, rejected);
  }

  /** The driver's `disconnected`: any report settles the one we asked for; only a locally generated one can be it (the AP's deauthentication is news whenever it comes). */
  private onDriverDisconnected(bssid: string, reason: number, locallyGenerated: boolean): void {
    const asked = this.leaveReported;
    this.leaveReported = undefined;
    if (asked !== undefined && locallyGenerated && bssid.toLowerCase() === asked) {
      log.debug(`${this.opts.ifname}: disconnect from ${asked} (reason ${reason}) reported: the one we asked for, already handled`);
      return;
    }
    this.onDisconnected(bssid, reason, locallyGenerated);
  }

  /**
   * wpa_supplicant_event_disassoc_finish(), for a link lost that the station
   * did not end itself: a likely wrong key disables the network
   * (wpas_auth_failed()); every loss from AUTHENTICATING on, after COMPLETED
   * too, is a failed connection (wpas_connection_failed()), the scan asked
   * for 100 ms after the loss of an association coming first; an AP the
   * driver lost (locally generated reason 4) leaves the BSS table; and an
   * association in use that the AP ended with a recoverable reason is taken
   * up again with the same BSS at once, without a scan (fastReconnect()).
   */
  private onDisconnected(bssid: string, reason: number, locallyGenerated: boolean): void {
    const cur = this.current ?? this.connecting;
    if (!cur) return;
    // The driver's report of leaving the previous BSS may arrive after the
    // next connect started (no scan in between since fast associate): it is
    // not about this association. The zero address names no BSS.
    if (bssid !== ZERO_ADDR && bssid.toLowerCase() !== cur.bssid) {
      log.debug(`${this.opts.ifname}: disconnect from ${bssid} ignored: not the current BSS ${cur.bssid}`);
      return;
    }
    const state = this.wpaState;
    const neverAssociated = this.connecting === cur;
    const verdict = this.keyPath.lossVerdict({ reason, locallyGenerated, associated: !neverAssociated, wpaState: state });
    const autoReconnect = this.autoconnect && !this.userDisconnected;
    // The AP is probably out of range: "Connection to AP lost".
    const lostBss = !this.userDisconnected && reason === REASON_DISASSOC_DUE_TO_INACTIVITY && locallyGenerated ? this.bss.get(cur.bssid) : undefined;
    // It looks like the AP dropped the association but could let us back in.
    const fastReconnect = autoReconnect && state === 'COMPLETED' && !locallyGenerated && RECOVERABLE_REASONS.has(reason) ? this.bss.get(cur.bssid) : undefined;
    this.endAssociation();
    this.disassociated({ bssid: bssid.toLowerCase(), reason, locallyGenerated }, this.deauthRequested);
    this.deauthRequested = false;
    this.setState('DISCONNECTED');
    this.noAutoReconnect();
    if (verdict === 'offload-failed') {
      // Not evidence of a wrong passphrase: the host retries at once, without temporary disabling.
      this.scan.reqScan(this.backoffMs());
      return;
    }
    if (verdict === 'wrong-key') {
      this.event(ev.fourWayFailed());
      this.authFailed(cur.net, 'WRONG_KEY');
    } else if (verdict === 'auth-failed') {
      this.authFailed(cur.net, 'AUTH_FAILED');
    }
    const soonerMs = !fastReconnect && stateAtLeast(state, 'ASSOCIATING') ? DISCONNECT_SCAN_MS : Infinity;
    if (stateAtLeast(state, 'AUTHENTICATING')) this.connectionFailed(cur.net, cur.bssid, soonerMs);
    if (lostBss) {
      log.debug(`${this.opts.ifname}: BSS: Remove id ${lostBss.id} BSSID ${lostBss.bssid} SSID '${ssidTxt(lostBss.ssid)}' due to Connection to AP lost`);
      this.bss.remove(lostBss);
    }
    if (fastReconnect) this.fastReconnect(cur.net, fastReconnect);
  }

  /**
   * "Try to reconnect to the same BSS": a connection to the BSS just lost,
   * without a scan, unless its network may not be used now (disabled,
   * temporarily disabled, nothing to authenticate with): then, as when the
   * connection cannot start, a scan in 100 ms, which applies those rules.
   */
  private fastReconnect(net: NetworkConfig, bss: BssEntry): void {
    const usable = networkEnabled(net) && this.config.networks.includes(net) && !this.tempDisabled.isDisabled(net.id, this.now());
    const sec = usable ? securityFor(net, bss, this.config.pmf, (akm) => this.keyPath.hasCachedPmk(bss.bssid, net.id, akm), this.hostSae) : undefined;
    if (!sec) {
      this.scan.reqScan(DISCONNECT_SCAN_MS);
      return;
    }
    log.debug(`${this.opts.ifname}: Try to reconnect to the same BSS`);
    this.connectTo(net, bss, sec);
  }

  private backoffMs(): number {
    return this.failures === 0 ? 100 : Math.min(100 * 2 ** this.failures, this.scan.scanInterval * 1000);
  }

  /**
   * 2.10's wpas_connection_failed(), for every attempt that ended without a
   * connection (refused or unanswered authentication or association, the
   * driver's connect failing, a roam that failed, a loss during the
   * handshake): the BSS goes into the ignore list, twice when another BSS of
   * the ESS not ignored has been seen, so that the next selection tries that
   * one first whatever the number of networks; the network is disabled for a
   * while only after more than three consecutive failures (CONN_FAILED); the
   * station scans again after 0.1, 0.5, 1, 5, then 10 s as the failures
   * grow (or at `soonerMs`, a scan already asked for).
   */
  private connectionFailed(net: NetworkConfig, bssid: string, soonerMs = Infinity): void {
    if (this.userDisconnected) {
      // DISCONNECT, or STA_AUTOCONNECT 0 after a lost association: nothing to retry, nothing to count.
      log.debug(`${this.opts.ifname}: Ignore connection failure indication since interface has been put into disconnected state`);
      return;
    }
    const count = this.bssidIgnore.add(bssid);
    const freqs = count === 1 ? this.otherFreqsInEss(bssid) : [];
    if (freqs.length > 0) {
      log.debug(`${this.opts.ifname}: Another BSS in this ESS has been seen; try it next`);
      this.bssidIgnore.add(bssid);
      // The next scan goes through only the channels of those BSSes (load balancing between the APs of an ESS).
      this.scan.nextScanFreqs = freqs;
    }
    this.failures++;
    if (this.failures > 3) {
      log.debug(`${this.opts.ifname}: Continuous association failures - consider temporary network disabling`);
      this.authFailed(net, 'CONN_FAILED');
    }
    const ms = CONN_FAILED_SCAN_MS[Math.min(this.failures, CONN_FAILED_SCAN_MS.length) - 1];
    log.debug(`${this.opts.ifname}: Consecutive connection failures: ${this.failures} --> request scan in ${ms} ms`);
    this.scan.reqScan(Math.min(ms, soonerMs));
  }

  /** get_bss_freqs_in_ess(): the channels of the BSSes of `bssid`'s ESS other than it and not ignored, at most 10. */
  private otherFreqsInEss(bssid: string): number[] {
    const ssid = this.bss.get(bssid)?.ssid;
    if (!ssid) return [];
    const freqs = new Set<number>();
    for (const b of this.bss.list()) {
      if (b.bssid === bssid || !b.ssid.equals(ssid) || this.bssidIgnore.countOf(b.bssid) > 0) continue;
      freqs.add(b.freq);
      if (freqs.size === 10) break;
    }
    return [...freqs];
  }

  /** 2.10's wpas_auth_failed(): the network is disabled for a while, longer at each failure until a connection succeeds. */
  private authFailed(net: NetworkConfig, reason: string): void {
    this.tempDisable(net, reason);
  }

  private tempDisable(net: NetworkConfig, reason: string): void {
    const e = this.tempDisabled.fail(net.id, this.now());
    this.event(ev.tempDisabled(net.id, net.ssid ? ssidTxt(net.ssid) : '', e.authFailures, e.duration, reason));
    if (this.reenableTimer) clearTimeout(this.reenableTimer);
    this.reenableTimer = setTimeout(() => {
      this.reenableTimer = undefined;
      this.reenableExpired();
      this.scan.reqScan(0);
    }, e.duration * 1000);
  }

  private reenableExpired(): void {
    for (const id of this.tempDisabled.expired(this.now())) {
      const net = this.config.getNetwork(id);
      if (net) this.event(ev.reenabled(id, net.ssid ? ssidTxt(net.ssid) : ''));
    }
  }

  private onSignal(bssid: string, signal: number): void {
    if (!this.current || this.current.bssid !== bssid.toLowerCase()) return;
    this.current.signal = signal;
    const m = this.signalMonitor;
    if (!m) return;
    // The driver-protocol `signal` event is every RSSI change; nl80211's CQM
    // reports only crossings of threshold ± hysteresis, which is what
    // wpa_supplicant turns into CTRL-EVENT-SIGNAL-CHANGE.
    const above = m.above === undefined ? signal > m.threshold : m.above ? signal >= m.threshold - m.hysteresis : signal > m.threshold + m.hysteresis;
    if (above === m.above) return;
    m.above = above;
    const noise = this.bss.get(this.current.bssid)?.noise ?? -95;
    this.event(ev.signalChange(above, signal, noise, 0));
  }

  /**
   * SIGNAL_MONITOR THRESHOLD=<dBm> HYSTERESIS=<dB>; a threshold of 0 turns it
   * off. A driver that monitors on the radio (nl80211 CQM) is told, as 2.10's
   * wpa_drv_signal_monitor(); its refusal is FAIL.
   */
  async setSignalMonitor(threshold: number, hysteresis: number): Promise<boolean> {
    const d = this.opts.driver;
    if (d.signalMonitor) {
      try {
        await d.signalMonitor(threshold, hysteresis);
      } catch (e) {
        log.warning(`${this.opts.ifname}: signal monitor: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
    }
    this.signalMonitor = threshold === 0 ? undefined : { threshold, hysteresis: Math.max(0, hysteresis) };
    return true;
  }

  async pollSignal(): Promise<LinkSignal | undefined> {
    const d = this.opts.driver;
    const cur = this.current;
    if (!d.signalPoll || !cur) return undefined;
    const s = await d.signalPoll();
    if (this.current === cur) cur.signal = s.rssi;
    return s;
  }

  /** wpa_sm_notify_disassoc(): a link lost in 4WAY_HANDSHAKE counts as a failure; the PMKSA is no longer in use. */
  private endAssociation(): void {
    if (this.wpaState === '4WAY_HANDSHAKE') this.fourWayFailures++;
    if (this.lastRsna) this.lastRsna = { ...this.lastRsna, pmkid: undefined };
    this.keyPath.end();
    this.current = undefined;
    this.connecting = undefined;
  }

  /* ------------------------------------------------------ control actions */

  /** DISCONNECT: leave and stay away until RECONNECT / REASSOCIATE / SELECT_NETWORK. */
  disconnect(): void {
    this.userDisconnected = true;
    this.leave(Reason.DEAUTH_LEAVING);
    this.setState('DISCONNECTED');
  }

  /** RECONNECT: only if disconnected by DISCONNECT; REASSOCIATE always. */
  reconnect(force: boolean): void {
    if (!force && !this.userDisconnected) return;
    this.userDisconnected = false;
    if (force && this.current) this.leave(Reason.DEAUTH_LEAVING);
    // wpas_request_connection(): RECONNECT from the last results when fresh.
    if (!force && this.fastAssociate()) return;
    this.scan.reqScan(0);
  }

  /** ROAM <bssid>: reassociate within the ESS; false means FAIL. */
  roam(bssid: string): boolean {
    const cur = this.current;
    const target = this.bss.get(bssid);
    if (!cur || !target || !target.ssid.equals(cur.ssid)) return false;
    // Within the mobility domain, with the same FT AKM: FT over the air (2.10's sme_authenticate() with WPA_AUTH_ALG_FT).
    const ftSec = akmFacts(cur.sec.akm)?.ft ? chooseSecurity(cur.net, target, this.config.pmf, (akm) => akm === cur.sec.akm) : undefined;
    if (ftSec && ftSec.akm === cur.sec.akm && this.keyPath.canFtRoam(ftSec.mde)) {
      this.sme.ftRoam(cur, target);
      return true;
    }
    if (this.opts.driver.smeAssociated) {
      this.sme.smeRoam(cur, target);
      return true;
    }
    // As 2.10's wpa_supplicant_associate() for the roam's new association.
    this.event(ev.trying(target.bssid, ssidTxt(target.ssid), target.freq));
    this.opts.driver.roam(target.bssid).catch((e) => log.warning(`${this.opts.ifname}: driver roam failed: ${e instanceof Error ? e.message : String(e)}`));
    return true;
  }

  /** wpa_supplicant_deauthenticate(): leave the BSS if there is one; the disassociation is marked either way. */
  private leave(reason: number): void {
    const cur = this.current ?? this.connecting;
    if (cur) {
      this.endAssociation();
      this.askDriverToLeave(cur.bssid, reason);
    }
    this.disassociated(cur && { bssid: cur.bssid, reason, locallyGenerated: true }, true);
  }

  /**
   * CTRL-EVENT-DISCONNECTED for an association that ended; then, association
   * or not, the DSCP policies are cleared when the station itself left
   * (`deauthenticated`: 2.10's wpa_supplicant_deauthenticate() ends with
   * wpas_dscp_deinit()). A disconnection the station did not ask for (the AP's
   * deauthentication, beacon loss) clears nothing: on the kernel radio 2.10
   * sends no DSCP-POLICY event then (test/radio/scenarios.test.ts).
   */
  private disassociated(ended: { bssid: string; reason: number; locallyGenerated: boolean } | undefined, deauthenticated: boolean): void {
    if (ended) this.event(ev.disconnected(ended.bssid, ended.reason, ended.locallyGenerated));
    if (deauthenticated) this.event(ev.dscpClearAll());
  }

  /* ------------------------------------------- StationControl (ctrl hooks) */

  get currentNetworkId(): number | undefined {
    return (this.current ?? this.connecting)?.net.id;
  }

  association(): AssociationView | undefined {
    const cur = this.current;
    if (!cur) return undefined;
    return { bssid: cur.bssid, freq: cur.freq, ssid: cur.ssid, networkId: cur.net.id, idStr: cur.net.idStr, sec: cur.sec, signal: cur.signal, sae: cur.sae };
  }

  ignoredBssids(): readonly string[] {
    return this.bssidIgnore.bssids();
  }

  /** BSSID_IGNORE <bssid>: added twice, as 2.10 does, so that the count (2) skips it whatever the number of networks. */
  ignoreBssid(bssid: string): void {
    this.bssidIgnore.add(bssid);
    this.bssidIgnore.add(bssid);
  }

  clearIgnoredBssids(): void {
    this.bssidIgnore.clear();
  }

  setAutoconnect(on: boolean): void {
    this.autoconnect = on;
  }

  setScanInterval(seconds: number): void {
    this.scan.scanInterval = seconds;
  }

  driverCommand(cmd: string): Promise<string> {
    return this.opts.driver.driverCmd(cmd);
  }

  /** SUSPEND (wpas_notify_suspend): the firmware gets the rekey data and the configured wowlan_triggers. */
  async suspend(): Promise<void> {
    if (!this.opts.driver.hello) return;
    await this.keyPath.suspend(this.config.getGlobal('wowlan_triggers') ?? '');
  }

  /** RESUME (wpas_notify_resume): as 2.10, a disconnected station scans 100 ms later. */
  async resume(): Promise<void> {
    if (this.opts.driver.hello) await this.keyPath.resume();
    if (this.wpaState === 'DISCONNECTED' && this.wantsConnection()) this.scan.reqScan(100);
  }

  async offloadAudit(): Promise<OffloadAudit> {
    const d = this.opts.driver;
    let firmware;
    let firmwareError: string | undefined;
    const cache = this.opts.pmksa.cache;
    const hostPmksa = (): OffloadAudit['hostPmksa'] =>
      cache.list().map((e) => ({ aa: e.aa, pmkid: e.pmkid, akm: e.akm, expiresIn: e.expiration - cache.now(), reauthIn: e.reauthThreshold - cache.now() }));
    if (d.hello?.capabilities.sync_state === false) {
      // nl80211 cannot read the firmware's PMKSA table or PTK material back: audit what it acknowledged.
      const m = this.keyPath.firmwareKnown();
      firmware = {
        replayCtr: m.keyReplayCtr ?? null,
        kckFp: keyFingerprint(m.kck),
        kekFp: keyFingerprint(m.kek),
        pmkids: this.opts.pmksa.acknowledged(),
      };
      return auditOffload({ caps: this.capabilities, keys: this.keyPath.audit(), hostPmksa: hostPmksa(), firmware, firmwareUnreported: true, firmwareOwned: this.opts.pmksa.firmwareOwnedAas() });
    }
    try {
      firmware = d.hello ? await d.syncState() : undefined;
      if (!d.hello) firmwareError = 'driver link down';
    } catch (e) {
      firmwareError = e instanceof Error ? e.message : String(e);
    }
    return auditOffload({ caps: this.capabilities, keys: this.keyPath.audit(), hostPmksa: hostPmksa(), firmware, firmwareError, firmwareOwned: this.opts.pmksa.firmwareOwnedAas() });
  }

  mib(): MibState {
    return {
      rsna: this.lastRsna,
      fourWayFailures: this.fourWayFailures,
      portAuthorized: this.wpaState === 'COMPLETED',
      eapol: { ...this.eapolTimers },
    };
  }

  get driverCapabilities(): DriverCapabilities | undefined {
    return this.opts.driver.hello?.capabilities;
  }

  configureEapol(timers: Partial<EapolTimers>): void {
    for (const k of Object.keys(timers) as (keyof EapolTimers)[]) {
      const v = timers[k];
      if (v !== undefined && v >= 0) this.eapolTimers[k] = v;
    }
  }

  isTempDisabled(id: number): boolean {
    return this.tempDisabled.isDisabled(id, this.now());
  }

  networkAdded(): void {
    /* A network added over the control interface starts disabled: nothing to do. */
  }

  networkRemoved(net: NetworkRef): void {
    this.opts.pmksa.dropNetwork(net.id);
    if (net.ssid && net.keyMgmt) this.opts.pmksa.dropOffloadedSsid(net.ssid, net.keyMgmt);
    this.keyPath.forgetNetwork(net.id);
    this.tempDisabled.clear(net.id);
    if (this.currentNetworkId === net.id) {
      this.leave(Reason.DEAUTH_LEAVING);
      this.setState('DISCONNECTED');
      if (!this.flushing) this.scan.reqScan(0);
    }
  }

  /**
   * FLUSH, in wpa_supplicant_ctrl_iface_flush()'s order for the state kept
   * here: a scan under way will not fill the BSS table; a connection in
   * progress or in use ends in DISCONNECTED without a new scan; the ignore
   * list goes; the networks are removed (leaving the current one, reason 3);
   * the PMKSA cache is emptied; the failure back-off and a DISCONNECT are
   * forgotten; every BSS not in use is dropped.
   */
  flush(removeNetworks: () => void): void {
    this.scan.flush();
    this.stopTimers();
    const wasSettingUp = stateAtLeast(this.wpaState, 'AUTHENTICATING');
    this.bssidIgnore.clear();
    this.flushing = true;
    try {
      removeNetworks();
    } finally {
      this.flushing = false;
    }
    this.opts.pmksa.flushAll();
    this.failures = 0;
    this.userDisconnected = false;
    this.flushBss(0);
    // Only a connection in progress or in use changes the state (to
    // DISCONNECTED, with no new scan); any other state stays as it was.
    if (wasSettingUp && !this.current && !this.connecting) this.setState('DISCONNECTED');
  }

  flushBss(age: number): void {
    this.bss.flush(age, this.current?.bssid);
    // wpa_bss_flush(), for age 0 only (an age is wpa_bss_flush_by_age(), which leaves the driver's cache alone).
    if (age === 0) this.scan.clearDriverScanCache = true;
  }

  networkChanged(net: NetworkRef, field: string): void {
    if (invalidatesPmksa(field)) {
      this.opts.pmksa.dropNetwork(net.id);
      // A new password (or key_mgmt) makes the firmware's own SAE entries stale too.
      if (net.ssid && net.keyMgmt && field !== 'ssid') this.opts.pmksa.dropOffloadedSsid(net.ssid, net.keyMgmt);
    }
    this.tempDisabled.clear(net.id);
    if (field === 'disabled' || field === 'priority' || field === 'ssid') this.kick();
  }

  enableNetwork(net: NetworkRef | undefined): void {
    if (net) this.tempDisabled.clear(net.id);
    if (!this.fastAssociate()) this.kick();
  }

  disableNetwork(net: NetworkRef | undefined): void {
    const id = this.currentNetworkId;
    if (id !== undefined && (net === undefined || net.id === id)) {
      this.leave(Reason.DEAUTH_LEAVING);
      this.setState('DISCONNECTED');
    }
    this.kick();
  }

  selectNetwork(net: NetworkRef | undefined, scanFreqs?: number[]): void {
    this.userDisconnected = false;
    // A list replaces the pending one only when it is valid (2.10 keeps the old one otherwise).
    if (scanFreqs) this.scan.selectNetworkScanFreqs = scanFreqs;
    const id = this.currentNetworkId;
    if (net && id !== undefined && id !== net.id) this.leave(Reason.DEAUTH_LEAVING);
    if (net) this.tempDisabled.clear(net.id);
    if (!this.fastAssociate()) this.kick();
  }

  globalChanged(name: string): void {
    if (name === 'wowlan_triggers') void this.updateWowlanTriggers();
  }

  reconfigured(): void {
    this.opts.pmksa.flushAll();
    this.keyPath.reset();
    // wpa_supplicant_reload_configuration() deauthenticates only from a current network.
    if (this.current || this.connecting) this.leave(Reason.DEAUTH_LEAVING);
    // Then wpa_supplicant_update_config() with every parameter marked changed.
    void this.updateWowlanTriggers();
    this.setState('DISCONNECTED');
    // And it ends with wpa_bssid_ignore_clear().
    this.bssidIgnore.clear();
    this.kick();
  }

  /**
   * A new wowlan_triggers (SET, RECONFIGURE) to a driver that is up, as 2.10's
   * wpa_supplicant_update_config() for CFG_CHANGED_WOWLAN_TRIGGERS: a refusal
   * is an error on the log, the configuration keeps the value. With the link
   * down, its coming up sets them (onLinkUp).
   */
  private async updateWowlanTriggers(): Promise<void> {
    const triggers = this.config.getGlobal('wowlan_triggers');
    const d = this.opts.driver;
    if (triggers === undefined || !d.setWowlan || !d.hello) return;
    try {
      await d.setWowlan(triggers);
    } catch {
      log.error(`Failed to update wowlan_triggers to '${triggers}'`);
    }
  }

  /** Something changed the candidate set: (re)start looking if we are idle. */
  private kick(): void {
    if (!this.current && !this.connecting) this.scan.reqScan(0);
  }

  /** No scan and no re-enabling pending (FLUSH, TERMINATE). */
  private stopTimers(): void {
    this.scan.cancelScan();
    if (this.reenableTimer) clearTimeout(this.reenableTimer);
    this.reenableTimer = undefined;
  }

  /**
   * wpa_supplicant_deinit_iface(): the BSS is left, unless the driver says
   * WoWLAN is enabled and wowlan_disconnect_on_deinit is not 1 (the system
   * is to sleep on the link and wake on its triggers); the driver is asked
   * first, whatever the setting, as 2.10 asks it.
   */
  async terminate(): Promise<void> {
    this.terminated = true;
    this.stopTimers();
    const wowlan = (await this.opts.driver.getWowlan?.()) ?? false;
    if (wowlan && this.config.globalValue('wowlan_disconnect_on_deinit') !== 1) {
      this.event('Do not deauthenticate as part of interface deinit since WoWLAN is enabled');
    } else {
      this.leave(Reason.DEAUTH_LEAVING);
    }
    await this.opts.driver.close();
  }
}

/**
 * What a roam's `assoc` tells of a BSS no scan reported: its Beacon/Probe
 * Response IEs (SSID element, RSNE, ...), BSSID and channel; the SSID of the
 * ESS if the IEs lack one. Signal, noise and beacon interval are not carried:
 * 0 until a scan sees the BSS. Capabilities: ESS, and Privacy with an RSNE.
 */
function roamedBss(a: AssocEvent, bssid: string, essSsid: Buffer): ScanBss {
  const caps = CAPAB_ESS | (findIe(a.beaconIes, EID_RSN) ? CAPAB_PRIVACY : 0);
  return { bssid, ssid: essSsid, freq: a.freq, signal: 0, noise: 0, beaconInt: 0, caps, ies: a.beaconIes, ageMs: 0 };
}

/** The AKM named by the RSNE among (Re)Association Request IEs, if any parses. */
function requestAkm(ies: Buffer): string | undefined {
  const raw = findIe(ies, EID_RSN)?.raw;
  if (!raw) return undefined;
  try {
    return parseRsne(raw).akms[0];
  } catch {
    return undefined;
  }
}
