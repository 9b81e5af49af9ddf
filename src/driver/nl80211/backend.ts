/**
 * `-D nl80211`: the DriverBackend on the kernel's nl80211 (cfg80211), first
 * slice. The link comes up once the socket is open, the interface found by
 * name (GET_INTERFACE dump: ifindex, wiphy, MAC address) and the wiphy's
 * capabilities read (split GET_WIPHY dump); scans run (TRIGGER_SCAN, then on
 * NEW_SCAN_RESULTS a GET_SCAN dump). Connecting, keys and EAPOL are not there
 * yet: those operations fail with NotImplementedError, never pretend.
 *
 * Like wpa_supplicant, the backend does not require the interface to exist
 * at start-up: it keeps looking (every 5 s, warning once) until it does. It
 * sets the interface up (link-updown.ts), and down again at the end if it
 * found it down.
 */
import { EventEmitter } from 'node:events';
import * as log from '../../log.js';
import {
  DRIVER_PROTOCOL_VERSION,
  type DriverBackend,
  type DriverEvents,
  type FirmwareSyncState,
  type HelloResult,
  type PmksaParams,
  type ScanParams,
} from '../backend.js';
import { type GenlMessage, parseAttrs } from './attrs.js';
import { decodeEvent } from './decode.js';
import * as req from './encode.js';
import { parseInterface, type WirelessInterface } from './interfaces.js';
import { setInterfaceUp } from './link-updown.js';
import { Attr } from './numbers.js';
import { scanDumpResults } from './scan-results.js';
import { Nl80211RequestError, Nl80211Socket } from './socket.js';
import { mergeWiphyParts, parseWiphy } from './wiphy.js';

/** An operation the nl80211 backend does not have yet (association, keys, EAPOL: the next step). */
export class NotImplementedError extends Error {
  constructor(op: string) {
    super(`nl80211: ${op} not implemented yet`);
    this.name = 'NotImplementedError';
  }
}

const RETRY_MS = 5000;

export class Nl80211Driver extends EventEmitter<DriverEvents> implements DriverBackend {
  readonly name = 'nl80211';
  private sock: Nl80211Socket | null = null;
  private iface: WirelessInterface | null = null;
  private helloResult: HelloResult | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private warned = false;
  /** Whether the interface was up when we first found it: if not, close() sets it down again. */
  private startedUp: boolean | undefined;

  constructor(private readonly ifname: string) {
    super();
  }

  get hello(): HelloResult | null {
    return this.helloResult;
  }

  start(): void {
    void this.bringUp();
  }

  private async bringUp(): Promise<void> {
    try {
      this.sock ??= await Nl80211Socket.open((m) => this.onMessage(m));
      if (this.closed) return this.closeSocket();
      const iface = await this.findInterface(this.sock);
      const wiphy = await this.readWiphy(this.sock, iface.wiphy);
      const wasUp = await setInterfaceUp(iface.ifindex, true);
      this.startedUp ??= wasUp;
      if (this.closed) return;
      this.iface = iface;
      this.helloResult = { version: DRIVER_PROTOCOL_VERSION, address: iface.address, capabilities: wiphy };
      log.info(`nl80211: ${this.ifname} is ifindex ${iface.ifindex} on phy#${iface.wiphy}, address ${iface.address}`);
      this.emit('link_up', this.helloResult);
    } catch (e) {
      if (this.closed) return;
      const why = e instanceof Error ? e.message : String(e);
      if (this.warned) log.debug(`nl80211: ${this.ifname}: ${why}`);
      else log.warning(`nl80211: cannot use ${this.ifname}: ${why}; retrying quietly (every ${RETRY_MS / 1000} s)`);
      this.warned = true;
      this.retryTimer = setTimeout(() => void this.bringUp(), RETRY_MS);
    }
  }

  private async findInterface(sock: Nl80211Socket): Promise<WirelessInterface> {
    for (const m of await sock.dump(req.getInterfaces())) {
      const i = parseInterface(m.data);
      if (i?.ifname === this.ifname) return i;
    }
    throw new Error(`no wireless interface ${this.ifname}`);
  }

  private async readWiphy(sock: Nl80211Socket, wiphy: number) {
    // A split dump filtered to one wiphy may still carry others' parts on old kernels: keep ours.
    const parts = (await sock.dump(req.getWiphy(wiphy))).map((m) => parseAttrs(m.data)).filter((a) => a.get(Attr.WIPHY)?.readUInt32LE(0) === wiphy);
    if (!parts.length) throw new Error(`phy#${wiphy} answered no GET_WIPHY`);
    return parseWiphy(mergeWiphyParts(parts)).capabilities;
  }

  private onMessage(msg: GenlMessage): void {
    const iface = this.iface;
    if (!iface) return;
    const d = decodeEvent(msg, { ifindex: iface.ifindex, wiphy: iface.wiphy });
    switch (d.kind) {
      case 'event':
        // Association events need the connect path (next step); only scan_started is ours to pass on now.
        if (d.event.name === 'scan_started') this.emit('scan_started');
        else log.debug(`nl80211: event ${d.event.name} not handled yet`);
        return;
      case 'scan_done':
        void this.fetchScanResults(iface);
        return;
      case 'scan_aborted':
        // wpa_supplicant 2.10 reports an aborted scan as failed, keeping its BSS table.
        this.emit('scan_results_lost');
        return;
      case 'wiphy_gone':
        log.warning(`nl80211: phy#${iface.wiphy} of ${this.ifname} went away`);
        this.linkDown();
        return;
      case 'dropped':
        log.msgdump(() => `nl80211: ${d.reason}`);
        return;
      default:
        log.debug(`nl80211: ${d.kind} not handled yet`);
    }
  }

  private async fetchScanResults(iface: WirelessInterface): Promise<void> {
    const sock = this.sock;
    if (!sock) return;
    let msgs: GenlMessage[];
    try {
      msgs = await sock.dump(req.getScan(iface.ifindex));
    } catch (e) {
      log.warning(`nl80211: cannot get scan results of ${this.ifname}: ${(e as Error).message}`);
      this.emit('scan_results_lost');
      return;
    }
    const r = scanDumpResults(msgs);
    if ('over' in r) {
      log.warning(`nl80211: scan results of ${this.ifname} over the limit (${r.over}): dropped`);
      if (this.iface === iface) this.emit('scan_results_lost');
      return;
    }
    for (const why of r.dropped) log.warning(`nl80211: dropped a scan result: ${why}`);
    if (this.iface === iface) this.emit('scan_results', r.bss);
  }

  private linkDown(): void {
    const wasUp = this.helloResult !== null;
    this.iface = null;
    this.helloResult = null;
    if (wasUp) this.emit('link_down');
    if (!this.closed) {
      this.warned = false;
      this.retryTimer = setTimeout(() => void this.bringUp(), RETRY_MS);
    }
  }

  private closeSocket(): void {
    this.sock?.close();
    this.sock = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const iface = this.iface;
    if (iface && this.startedUp === false) {
      await setInterfaceUp(iface.ifindex, false).catch((e: Error) => log.warning(`nl80211: cannot set ${this.ifname} down again: ${e.message}`));
    }
    this.iface = null;
    this.helloResult = null;
    this.closeSocket();
  }

  private need(): { sock: Nl80211Socket; iface: WirelessInterface } {
    if (!this.sock || !this.iface) throw new Error(`nl80211: ${this.ifname} is not available`);
    return { sock: this.sock, iface: this.iface };
  }

  async scan(params: ScanParams): Promise<void> {
    const { sock, iface } = this.need();
    await sock.request(req.triggerScan(iface.ifindex, params));
  }

  /**
   * The PMKSA cache lives on the host; a driver that keeps a copy (full-MAC
   * firmware) gets it. mac80211 drivers have no such table and refuse with
   * EOPNOTSUPP, which wpa_supplicant 2.10 ignores as well.
   */
  private async pmksaRequest(r: req.Request): Promise<void> {
    const { sock } = this.need();
    try {
      await sock.request(r);
    } catch (e) {
      // Node names errno 95 ENOTSUP (the same number as EOPNOTSUPP on Linux).
      if (e instanceof Nl80211RequestError && (e.code === 'EOPNOTSUPP' || e.code === 'ENOTSUP')) return;
      throw e;
    }
  }

  async setPmksa(p: PmksaParams): Promise<void> {
    await this.pmksaRequest(req.setPmksa(this.need().iface.ifindex, p));
  }
  async delPmksa(bssid: string, pmkid: Buffer): Promise<void> {
    await this.pmksaRequest(req.delPmksa(this.need().iface.ifindex, bssid, pmkid));
  }
  async delPmksaBySsid(ssid: Buffer): Promise<void> {
    await this.pmksaRequest(req.delPmksaBySsid(this.need().iface.ifindex, ssid));
  }
  async flushPmksa(): Promise<void> {
    await this.pmksaRequest(req.flushPmksa(this.need().iface.ifindex));
  }

  // The next step: association, keys, EAPOL, rekey offload, suspend.
  async connect(): Promise<void> {
    throw new NotImplementedError('connect');
  }
  async disconnect(): Promise<void> {
    throw new NotImplementedError('disconnect');
  }
  async roam(): Promise<void> {
    throw new NotImplementedError('roam');
  }
  async txEapol(): Promise<void> {
    throw new NotImplementedError('tx_eapol');
  }
  async setKey(): Promise<void> {
    throw new NotImplementedError('set_key');
  }
  async setPort(): Promise<void> {
    throw new NotImplementedError('set_port');
  }
  async setRekeyData(): Promise<void> {
    throw new NotImplementedError('set_rekey_data');
  }
  async suspend(): Promise<void> {
    throw new NotImplementedError('suspend');
  }
  async resume(): Promise<void> {
    throw new NotImplementedError('resume');
  }
  async driverCmd(): Promise<string> {
    throw new NotImplementedError('driver_cmd');
  }
  /** Capabilities say sync_state: false (nl80211 cannot read PMKSA or PTK material back): never asked. */
  async syncState(): Promise<FirmwareSyncState> {
    throw new NotImplementedError('sync_state');
  }
}
