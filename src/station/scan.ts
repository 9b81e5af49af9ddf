/**
 * The station's scans (wpa_supplicant 2.10's scan.c, and the part of events.c
 * that takes a scan's results into the BSS table): when the next scan of the
 * station's own goes out (wpa_supplicant_req_scan() and its timer), which
 * SSIDs and channels it covers (wpa_supplicant_scan()), what reaches the
 * driver (wpa_supplicant_trigger_scan()), the SCAN command's bookkeeping
 * (wpas_ctrl_scan(): use_id, TYPE=ONLY, FAIL-BUSY), the scan FLUSH dropped, and
 * the results into the BSS table with CTRL-EVENT-SCAN-RESULTS. What a scan's
 * results start (network selection, a connection) is the station's, told
 * through ScanStation; this module touches no connection.
 */
import type { SupplicantConfig } from '../config/config.js';
import type { NetworkConfig } from '../config/network.js';
import type { DriverBackend, ScanBss, ScanParams } from '../driver/backend.js';
import * as log from '../log.js';
import { akmFamily } from '../rsn/akm.js';
import type { UserScanResult } from './api.js';
import type { Association } from './association.js';
import type { BssTable } from './bss-table.js';
import { ev } from './events.js';
import { sortScanResults } from './scan-order.js';
import { stateAtLeast, type WpaState } from './state.js';

/** The station as its scans see it: its state and connection, and where a scan's results go. */
export interface ScanStation {
  state(): WpaState;
  setState(s: WpaState): void;
  /** A wpa_msg() of the interface, at `level` (default INFO). */
  event(text: string, level?: number): void;
  /** The association in use, if any. */
  current(): Association | undefined;
  /** The connection attempt under way (before its association), if any. */
  attempt(): Association | undefined;
  /** The station looks for a connection: not terminated, not disconnected by DISCONNECT, no connection in use or under way. */
  wantsConnection(): boolean;
  /** The state after a scan that starts no connection. */
  idleState(): WpaState;
  /** A scan's results are in the BSS table and announced: the station selects from them, unless the scan was SCAN TYPE=ONLY. */
  scanResultsAvailable(scanOnly: boolean): void;
  /** A scan of the station's own went out: what a connection after it will need can be prepared while the radio scans. */
  ownScanStarted(): void;
}

export interface ScanOptions {
  ifname: string;
  driver: DriverBackend;
  config: () => SupplicantConfig;
  bss: BssTable;
  /** Seconds. */
  now: () => number;
  station: ScanStation;
}

/**
 * wpas_network_disabled() inverted: enabled, and not a PSK-family network
 * without anything to derive its PMK from (such a network is neither scanned
 * for nor counts as enabled).
 */
export function networkEnabled(n: NetworkConfig): boolean {
  if (n.disabled !== 0) return false;
  const pskFamily = n.keyMgmt.some((k) => akmFamily(k) === 'psk' || akmFamily(k) === 'sae');
  return !pskFamily || n.hasPsk || n.saePassword !== undefined || n.memOnlyPsk;
}

export class Scan {
  /** SCAN_INTERVAL (wpa_s->scan_interval): seconds between scans while looking for a network. */
  scanInterval = 5;
  /**
   * 2.10's clear_driver_scan_cache: set by wpa_bss_flush() (BSS_FLUSH 0,
   * FLUSH), so the next scan asks the driver to drop the results it cached
   * (only_new_results); cleared once a scan has been triggered.
   */
  clearDriverScanCache = false;
  /** SELECT_NETWORK ... freq=: the channels of the next scan of the station's own (select_network_scan_freqs). */
  selectNetworkScanFreqs: number[] | undefined;
  /** wpas_connection_failed(): the channels of the ESS's other BSSes, for the next scan of the station's own (next_scan_freqs). */
  nextScanFreqs: number[] | undefined;
  /** The timer of wpa_supplicant_req_scan(). */
  private scanTimer: NodeJS.Timeout | undefined;
  /** Station clock (s) of the last scan results that reached the BSS table (wpa_s->last_scan). */
  private lastScanAt: number | undefined;
  private running = false;
  /** The channels of the scan in progress (undefined: all). */
  private scanFreqs: number[] | undefined;
  private manualScanId = 0;
  /** The id the running manual scan's results event carries (SCAN use_id=1). */
  private pendingScanId: number | undefined;
  /** SCAN TYPE=ONLY: report the results, select nothing (scan_only_handler). */
  private scanOnly = false;
  /**
   * FLUSH came while the driver ran a scan: its results must not refill the
   * BSS table (ignore_post_flush_scan_res). The driver protocol cannot abort
   * a scan, so until that one reports, a new scan waits in `queuedScan`.
   */
  private ignorePostFlushScanRes = false;
  private queuedScan: ScanParams | undefined;

  constructor(private readonly opts: ScanOptions) {}

  private get st(): ScanStation {
    return this.opts.station;
  }

  private get config(): SupplicantConfig {
    return this.opts.config();
  }

  /** A scan is running in the driver (wpa_s->scanning). */
  get scanning(): boolean {
    return this.running;
  }

  /** Station clock (s) of the last results that reached the BSS table, if any. */
  get lastScan(): number | undefined {
    return this.lastScanAt;
  }

  private connected(): boolean {
    return this.st.current() !== undefined || this.st.attempt() !== undefined;
  }

  /** wpa_supplicant_enabled_networks(): a network the station may scan for and connect to. */
  enabledNetworks(): boolean {
    return this.config.networks.some(networkEnabled);
  }

  /**
   * SCAN command (wpas_ctrl_scan()): 'disabled' (FAIL) without a driver link;
   * 'busy' (FAIL-BUSY) while a scan runs or a connection is being set up, as
   * 2.10 scans only up to SCANNING and in COMPLETED.
   */
  ctrlScan(req: ScanParams = {}, opts: { useId?: boolean; only?: boolean } = {}): UserScanResult {
    const state = this.st.state();
    if (state === 'INTERFACE_DISABLED') return { status: 'disabled' };
    const settingUp = stateAtLeast(state, 'AUTHENTICATING') && state !== 'COMPLETED';
    if (this.running || settingUp) return { status: 'busy' };
    this.scan(req, true);
    this.scanOnly = opts.only ?? false;
    // use_id=1: the reply and this scan's CTRL-EVENT-SCAN-RESULTS carry wpa_supplicant's manual_scan_id.
    this.pendingScanId = opts.useId ? ++this.manualScanId : undefined;
    return { status: 'ok', id: this.pendingScanId };
  }

  /** ABORT_SCAN: false when no scan runs (FAIL). */
  abortScan(): boolean {
    if (!this.running) return false;
    this.running = false;
    // A scan still waiting for the flushed one is dropped, not sent later.
    this.queuedScan = undefined;
    this.pendingScanId = undefined;
    this.scanOnly = false;
    return true;
  }

  /**
   * wpa_supplicant_req_scan(): a scan of the station's own in `delayMs`,
   * replacing one already asked for; none (and the state to rest in) when the
   * station wants no connection or has no enabled network.
   */
  reqScan(delayMs: number): void {
    this.cancelScan();
    if (this.st.state() === 'INTERFACE_DISABLED') return; // link_up starts over
    if (!this.st.wantsConnection()) {
      if (!this.connected()) this.st.setState(this.enabledNetworks() ? 'DISCONNECTED' : 'INACTIVE');
      return;
    }
    if (!this.enabledNetworks()) {
      this.st.setState('INACTIVE');
      return;
    }
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      if (this.st.wantsConnection()) this.scan({}, false);
    }, delayMs);
  }

  /** wpa_supplicant_cancel_scan(): the scan asked for by reqScan() does not go out. */
  cancelScan(): void {
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
  }

  /**
   * wpa_supplicant_scan(): the SSIDs and channels of a SCAN command, else the
   * scan_ssid networks' SSIDs. Channels: the command's freq=; for a scan of
   * its own, the union of the enabled networks' scan_freq when every one of
   * them has it; then the global freq_list; else all.
   */
  private scan(req: ScanParams, manual: boolean): void {
    if (!this.opts.driver.hello) return;
    this.running = true;
    const freqs = req.freqs ?? (manual ? undefined : this.ownScanFreqs()) ?? this.config.freqList;
    this.scanFreqs = freqs;
    if (!this.connected()) this.st.setState('SCANNING');
    const ssids = req.ssids ?? this.config.networks.filter((n) => networkEnabled(n) && n.scanSsid && n.ssid).map((n) => n.ssid as Buffer);
    const params: ScanParams = {};
    if (ssids.length) params.ssids = ssids;
    if (freqs) params.freqs = freqs;
    if (this.ignorePostFlushScanRes) this.queuedScan = params;
    else this.triggerScan(params);
    if (!manual) this.st.ownScanStarted();
  }

  /** wpa_supplicant_trigger_scan(): the scan to the driver, flushing its cache when clear_driver_scan_cache asks. */
  private triggerScan(req: ScanParams): void {
    const params = this.clearDriverScanCache ? { ...req, flush: true } : req;
    this.opts.driver.scan(params).then(() => {
      if (params.flush) this.clearDriverScanCache = false;
    }, (e) => {
      // While a flushed scan is outstanding no other is issued, so this is that one.
      if (this.ignorePostFlushScanRes) return this.flushedScanDone();
      this.running = false;
      this.st.event(ev.scanFailed(-1));
      log.warning(`${this.opts.ifname}: scan failed: ${e instanceof Error ? e.message : String(e)}`);
      this.reqScan(this.scanInterval * 1000);
    });
  }

  /**
   * A scan of the station's own: the networks' scan_freq, else SELECT_NETWORK's
   * freq=, else the channels a failed connection left (each used once), as
   * wpa_supplicant_scan().
   */
  private ownScanFreqs(): number[] | undefined {
    const once = this.selectNetworkScanFreqs;
    const next = this.nextScanFreqs;
    this.selectNetworkScanFreqs = undefined;
    this.nextScanFreqs = undefined;
    return this.networksScanFreq() ?? once ?? next;
  }

  /** The enabled networks' scan_freq lists joined, or undefined if one of them has none (then all channels). */
  private networksScanFreq(): number[] | undefined {
    const union = new Set<number>();
    for (const n of this.config.networks) {
      if (!networkEnabled(n)) continue;
      const list = n.scanFreq;
      if (!list) return undefined;
      for (const f of list) union.add(f);
    }
    return union.size ? [...union].sort((a, b) => a - b) : undefined;
  }

  /** The scan FLUSH dropped has ended in the driver: the scan asked for since, if any, goes out now. */
  private flushedScanDone(): void {
    this.ignorePostFlushScanRes = false;
    const next = this.queuedScan;
    this.queuedScan = undefined;
    if (next) return this.triggerScan(next);
    this.running = false;
    if (this.st.state() === 'SCANNING' && !this.connected()) {
      this.st.setState(this.st.idleState());
    }
  }

  /** The driver's scan results: into the BSS table, CTRL-EVENT-SCAN-RESULTS, then the station's turn. */
  onScanResults(results: ScanBss[]): void {
    if (this.ignorePostFlushScanRes) {
      log.debug(`${this.opts.ifname}: Do not update BSS table based on pending post-FLUSH scan results`);
      return this.flushedScanDone();
    }
    this.running = false;
    const bss = this.opts.bss;
    bss.maxCount = this.config.bssMaxCount;
    const ssids = this.config.networks.flatMap((n) => (n.ssid ? [n.ssid] : []));
    this.lastScanAt = this.opts.now();
    bss.update(sortScanResults(results), { known: (ssid) => ssids.some((x) => x.equals(ssid)), freqs: this.scanFreqs, inUse: this.st.current()?.bssid });
    this.st.event(ev.scanResults(this.pendingScanId));
    this.pendingScanId = undefined;
    const scanOnly = this.scanOnly;
    this.scanOnly = false;
    this.st.scanResultsAvailable(scanOnly);
  }

  /**
   * The scan ended without results the station can have (the driver sent
   * more than the bounds allow). As 2.10 when it fails to get scan results:
   * "try scanning again" a second later, no CTRL-EVENT-SCAN-RESULTS.
   */
  onScanResultsLost(): void {
    if (this.ignorePostFlushScanRes) return this.flushedScanDone();
    this.running = false;
    this.pendingScanId = undefined;
    this.scanOnly = false;
    log.debug(`${this.opts.ifname}: Failed to get scan results - try scanning again`);
    if (this.st.wantsConnection()) this.reqScan(1000);
    else if (!this.connected()) this.st.setState(this.st.idleState());
  }

  /** A scan the lost driver or restarted firmware had accepted will never report. */
  forgetScan(): void {
    this.running = false;
    this.ignorePostFlushScanRes = false;
    this.queuedScan = undefined;
    this.scanOnly = false;
    this.pendingScanId = undefined;
    this.scanFreqs = undefined;
  }

  /**
   * FLUSH's part (wpa_supplicant_ctrl_iface_flush()): a scan under way stays
   * "scanning" (SCAN answers FAIL-BUSY, as 2.10 does until the aborted scan
   * has reported) but its results will be dropped; no scan is pending, and
   * the channels kept for the next one are forgotten.
   */
  flush(): void {
    if (this.running) this.ignorePostFlushScanRes = true;
    this.queuedScan = undefined;
    this.selectNetworkScanFreqs = undefined;
    this.nextScanFreqs = undefined;
    this.scanOnly = false;
    this.pendingScanId = undefined;
    this.cancelScan();
  }
}
