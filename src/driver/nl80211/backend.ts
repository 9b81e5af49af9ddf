/**
 * `-D nl80211`: the DriverBackend on the kernel's nl80211 (cfg80211). The
 * link comes up once the socket is open, the interface found by name
 * (GET_INTERFACE dump: ifindex, wiphy, MAC address) and the wiphy's
 * capabilities read (split GET_WIPHY dump); scans run (TRIGGER_SCAN, then on
 * NEW_SCAN_RESULTS a GET_SCAN dump). Connections use NL80211_CMD_CONNECT:
 * cfg80211's own SME authenticates and associates for drivers without a
 * connect op (mac80211_hwsim and every mac80211 driver), the firmware for
 * FullMAC ones. SAE networks, when the wiphy takes SAE frames from user
 * space (NL80211_FEATURE_SAE, capability `sae_auth`), go through the host's
 * own SME instead, as 2.10's sme.c: AUTHENTICATE per SAE frame (`auth`), the
 * AP's frames back as AUTHENTICATE events (`auth_rx`), then ASSOCIATE; a
 * PMKSA-cached reconnect authenticates with Open System before it. On such
 * a wiphy FT over the air runs through the host's SME as well (capability
 * `ft_auth`): AUTHENTICATE with the FT elements, then ASSOCIATE with
 * PREV_BSSID, whichever SME made the association it leaves. EAPOL
 * travels over the control port (eapol-transport.ts), keys with NEW_KEY, the
 * port opens with SET_STATION. On a QCA wiphy with key management offload
 * (capability `key_mgmt_offload`) the PSK for the firmware's own roams goes
 * first with the KEY_MGMT_SET_KEY vendor command (tryConnect), and its roams
 * come back as KEY_MGMT_ROAM_AUTH paired with ROAM (roam-auth.ts).
 *
 * Like wpa_supplicant, the backend does not require the interface to exist
 * at start-up: it keeps looking (every 5 s, warning once) until it does. It
 * sets the interface up (link-updown.ts), and down again at the end if it
 * found it down.
 */
import { EventEmitter } from 'node:events';
import * as log from '../../log.js';
import { akmFamily } from '../../rsn/akm.js';
import { WLAN_AUTH_FT } from '../../rsn/ft-protocol.js';
import {
  type AssocEvent,
  type AuthParams,
  type ConnectParams,
  DRIVER_PROTOCOL_VERSION,
  type DriverBackend,
  DriverError,
  type DriverEvents,
  type FirmwareSyncState,
  type HelloResult,
  type LinkSignal,
  NoDriverCommandsError,
  type PmksaParams,
  type RekeyData,
  type RoamFtParams,
  type ScanBss,
  type ScanParams,
  type SetKeyParams,
} from '../backend.js';
import { assumeOffload, SilentFirmware } from './assumed-offload.js';
import { type GenlMessage, Nl80211DecodeError, parseAttrs } from './attrs.js';
import { type Decoded, decodeEvent, type DriverEventMsg } from './decode.js';
import { completionSignal, netdevDriver } from './completion.js';
import { PacketTransport } from './eapol-packet.js';
import { ControlPortTransport, type EapolTransport } from './eapol-transport.js';
import type { EapolMode, Nl80211Options } from './options.js';
import * as req from './encode.js';
import { parseInterface, type WirelessInterface } from './interfaces.js';
import { setInterfaceUp } from './link-updown.js';
import { type LinkChange, LinkWatch } from './link-watch.js';
import { Attr } from './numbers.js';
import { type PairedEvent, RoamAuthPairing } from './roam-auth.js';
import { scanDumpResults } from './scan-results.js';
import { parseLinkSignal } from './station-info.js';
import { type Nl80211Link, Nl80211RequestError, Nl80211Socket } from './socket.js';
import { mergeWiphyParts, parseWiphy, type WiphyInfo } from './wiphy.js';
import { type WowlanTrigger, wowlanFlags } from './wowlan.js';

/** An operation the nl80211 backend does not have yet (association, keys, EAPOL: the next step). */
export class NotImplementedError extends Error {
  constructor(op: string) {
    super(`nl80211: ${op} not implemented yet`);
    this.name = 'NotImplementedError';
  }
}

const RETRY_MS = 5000;
/** The SAE AKM suite 00-0f-ac:8 as a u32 in EXTERNAL_AUTH's ATTR_AKM_SUITES, and with its octets the other way round (see onExternalAuth). */
const SAE_AKM_SUITE = 0x000fac08;
const SAE_AKM_SUITE_SWAPPED = 0x08ac0f00;
/** WLAN_REASON_PREV_AUTH_NOT_VALID: what 2.10 gives when it leaves a BSS to connect to another. */
const REASON_PREV_AUTH_NOT_VALID = 2;
/** WLAN_STATUS_UNSPECIFIED_FAILURE: an association that ended without the AP's status (timeout, refused request). */
const WLAN_STATUS_UNSPECIFIED_FAILURE = 1;

/** The kernel as the backend reaches it: the nl80211 socket, and rtnetlink for the link's up/down. */
export interface Nl80211System {
  open(onEvent: (msg: GenlMessage) => void): Promise<Nl80211Link>;
  /** Sets the interface up or down; resolves whether it was up before. */
  setInterfaceUp(ifindex: number, up: boolean): Promise<boolean>;
  /** The kernel driver of the netdev (completion.ts), when known. */
  netdevDriver(ifname: string): string | undefined;
  /** Route-netlink link notifications (link-watch.ts) until closed. */
  watchLinks(onChange: (c: LinkChange) => void): { close(): void };
  /** EAPOL over a packet socket on the netdev (eapol-packet.ts); throws when it cannot be opened. */
  openPacketEapol(ifname: string, own: string, onFrame: (src: string, frame: Buffer) => void): EapolTransport;
}

const KERNEL: Nl80211System = {
  open: (onEvent) => Nl80211Socket.open(onEvent),
  setInterfaceUp,
  netdevDriver,
  watchLinks: (onChange) => LinkWatch.open(onChange),
  openPacketEapol: (ifname, own, onFrame) => PacketTransport.open(ifname, own, onFrame),
};

/** The driver has no such operation. Node names errno 95 ENOTSUP (the same number as EOPNOTSUPP on Linux). */
const unsupported = (e: unknown): boolean => e instanceof Nl80211RequestError && (e.code === 'EOPNOTSUPP' || e.code === 'ENOTSUP');

export class Nl80211Driver extends EventEmitter<DriverEvents> implements DriverBackend {
  readonly name = 'nl80211';
  private sock: Nl80211Link | null = null;
  private iface: WirelessInterface | null = null;
  private helloResult: HelloResult | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private warned = false;
  /** Whether the interface was up when we first found it: if not, close() sets it down again. */
  private startedUp: boolean | undefined;
  private links: { close(): void } | null = null;
  /** The netdev was set down by someone else: the hello to give back once it is up. */
  private adminDown: HelloResult | null = null;
  private bringing: Promise<void> | undefined;
  /** Null when the radio has no control port over nl80211 (the packet-socket path is another transport). */
  private eapol: EapolTransport | null = null;
  /** The BSS of the association in place (CONNECT or ROAM event): DISCONNECT does not name it. */
  private bssid: string | undefined;
  /** The last connection asked for: roam() asks again for another BSS of the ESS. */
  private lastConnect: ConnectParams | undefined;
  /** roam() in progress: the CONNECT event for `to` is the roam's `assoc`; if it fails, `from` is lost. */
  private roaming: { from: string; to: string } | undefined;
  /** CONNECT sent, its event not yet in: the BSSID asked for. */
  private connectingTo: string | undefined;
  /**
   * An EAPOL frame of that BSS that came before the CONNECT event: the AP's
   * msg 1/4 often does (the control port frame goes out at once, the event
   * after cfg80211's event work). Held and passed on after the `assoc`, as
   * 2.10 delays it ("Not associated - Delay processing of received EAPOL frame").
   */
  private earlyEapol: { src: string; data: Buffer } | undefined;
  /** A pairwise key is installed for this association: EAPOL frames go encrypted (2.10's wpa_ether_send()). */
  private ptkInstalled = false;
  /**
   * Our own DISCONNECT's event is not news: the station has already marked
   * the disassociation, and a late event must not end the next connection
   * (2.10's ignore_next_local_disconnect).
   */
  private ignoreLocalDisconnect = false;
  private pairing = new RoamAuthPairing(false);
  /**
   * The host's SME runs the current attempt (auth() or an SAE connect()):
   * cfg80211's CONNECT events, which follow its ASSOCIATE events, are then
   * not news (2.10: "Ignore connect event (cmd=46) when using userspace
   * SME"); otherwise the mlme frame events are cfg80211's own SME's business.
   */
  private smeMode = false;
  /** The BSS the host's SAE authenticated with (auth() sent to it): the next connect() to it only associates. */
  private saeAuthWith: string | undefined;
  /**
   * FT Authentication sent to `to` on `freq` (auth() with algorithm ft), leaving `from`:
   * the AP's answer is auth_rx, and roam() with the FT elements reassociates.
   */
  private ftAuth: { from: string; to: string; freq: number } | undefined;
  /** Open System authentication sent for a PMKSA-cached reconnect: ASSOCIATE with these once the AP accepts. */
  private openAuthFor: ConnectParams | undefined;
  /**
   * External authentication the driver asked for (EXTERNAL_AUTH start) and
   * the host has not answered: auth() then sends CMD_FRAME, and received
   * Authentication frames of that BSS are auth_rx. `seq`: the last sequence
   * number sent (2.10's sme.seq_num, from 0 at each start).
   */
  private extAuth: { bssid: string; ssid: Buffer; seq: number } | undefined;
  /** The wowlan_triggers words the wiphy takes. */
  private wowlanSupported: readonly WowlanTrigger[] = [];
  /** The last scan's BSSes: Beacon IEs for an association event that carries none, and roam targets' channels. */
  private scanTable = new Map<string, ScanBss>();
  private readonly eapolMode: EapolMode;
  /** `assume_4way_offload`: the handshakes the radio is assumed to run; silent while it "runs" one. */
  private silent = new SilentFirmware([]);

  constructor(
    private readonly ifname: string,
    private readonly sys: Nl80211System = KERNEL,
    private readonly opts: Nl80211Options = {},
  ) {
    super();
    this.eapolMode = opts.eapol ?? 'auto';
  }

  get hello(): HelloResult | null {
    return this.helloResult;
  }

  /** The association in place was made by the host's SME: a ROAM on it is the station's (backend.ts). */
  get smeAssociated(): boolean {
    return this.smeMode && this.bssid !== undefined;
  }

  /** The first bring-up's promise: interface start waits for it, as 2.10's driver init is part of wpa_supplicant_init_iface(). */
  start(): Promise<void> {
    try {
      this.links = this.sys.watchLinks((c) => this.onLinkChange(c));
    } catch (e) {
      log.warning(`nl80211: no link notifications for ${this.ifname} (down/up and removal go unnoticed): ${(e as Error).message}`);
    }
    return this.bringUp();
  }

  /** One bring-up at a time: the retry timer and link notifications both ask for it. */
  private bringUp(): Promise<void> {
    this.bringing ??= this.tryBringUp().finally(() => {
      this.bringing = undefined;
    });
    return this.bringing;
  }

  /**
   * The netdev as route-netlink reports it, as 2.10's driver_nl80211 follows
   * it: set down by someone else, the link is down (the station reports a
   * connection lost and shows INTERFACE_DISABLED) until it is up again, which
   * the backend does not do itself; removed, it is gone until a netdev of
   * the name appears (re-added, or its radio back), then taken as at start.
   */
  private onLinkChange(c: LinkChange): void {
    if (this.closed) return;
    if (c.kind === 'dropped') return log.msgdump(() => `nl80211: ${c.reason}`);
    const iface = this.iface;
    if (iface?.ifindex === c.ifindex) {
      if (c.kind === 'del') {
        log.warning(`nl80211: ${this.ifname} was removed`);
        this.linkDown();
      } else if (!c.up && this.helloResult) {
        log.info(`nl80211: ${this.ifname} is down`);
        this.adminDown = this.helloResult;
        this.helloResult = null;
        this.forgetAssociation();
        this.roaming = undefined;
        this.ftAuth = undefined;
        this.emit('link_down');
      } else if (c.up && this.adminDown) {
        log.info(`nl80211: ${this.ifname} is up`);
        this.helloResult = this.adminDown;
        this.adminDown = null;
        this.emit('link_up', this.helloResult);
      }
    } else if (!iface && !this.bringing && c.kind === 'new' && c.ifname === this.ifname) {
      // Re-added, or its radio came back: look now rather than at the next retry.
      clearTimeout(this.retryTimer);
      void this.bringUp();
    }
  }

  private async tryBringUp(): Promise<void> {
    try {
      this.sock ??= await this.sys.open((m) => this.onMessage(m));
      if (this.closed) return this.closeSocket();
      const iface = await this.findInterface(this.sock);
      const wiphy = await this.readWiphy(this.sock, iface.wiphy);
      const wasUp = await this.sys.setInterfaceUp(iface.ifindex, true);
      this.startedUp ??= wasUp;
      if (this.closed) return;
      this.iface = iface;
      this.eapol = this.eapolTransport(this.sock, iface, wiphy);
      this.pairing = new RoamAuthPairing(wiphy.capabilities.key_mgmt_offload);
      this.wowlanSupported = wiphy.wowlanTriggers;
      if (wiphy.capabilities.sae_external_auth) await this.registerSaeFrames(this.sock, iface);
      this.forgetAssociation();
      this.roaming = undefined;
      this.ftAuth = undefined;
      const driver = this.sys.netdevDriver(this.ifname);
      const assumed = assumeOffload(wiphy.capabilities, this.opts.assume4WayOffload ?? []);
      this.silent = new SilentFirmware(assumed.emulated);
      if (assumed.emulated.length) {
        log.warning(`nl80211: [driver] assume_4way_offload: phy#${iface.wiphy} is treated as running the 4-way handshake (${assumed.emulated.join(', ')}) it does not advertise, and never completing it: the host takes every such handshake back. For validation only`);
      }
      const capabilities = { ...assumed.caps, completion: completionSignal(driver, wiphy.capabilities) };
      this.helloResult = { version: DRIVER_PROTOCOL_VERSION, address: iface.address, capabilities };
      log.info(`nl80211: ${this.ifname} is ifindex ${iface.ifindex} on phy#${iface.wiphy} (driver ${driver ?? 'unknown'}), address ${iface.address}`);
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

  /**
   * The control port where the wiphy has it (or the setting forces it), else
   * a packet socket on the netdev; null (no EAPOL, so no RSN connection) when
   * the forced one is not there or the packet socket cannot be opened.
   */
  private eapolTransport(sock: Nl80211Link, iface: WirelessInterface, wiphy: WiphyInfo): EapolTransport | null {
    this.eapol?.close?.();
    const cp = wiphy.controlPortOverNl80211;
    if (this.eapolMode === 'control_port' || (this.eapolMode === 'auto' && cp)) {
      if (cp) return new ControlPortTransport(sock, iface.ifindex);
      log.warning(`nl80211: phy#${iface.wiphy} has no control port over nl80211 ([driver] eapol = control_port): EAPOL cannot be exchanged`);
      return null;
    }
    try {
      const t = this.sys.openPacketEapol(this.ifname, iface.address, (src, data) => this.onEapolRx({ src, data }));
      log.info(`nl80211: EAPOL of ${this.ifname} over a packet socket${cp ? ' ([driver] eapol = packet)' : ` (phy#${iface.wiphy} has no control port over nl80211)`}`);
      return t;
    } catch (e) {
      log.warning(`nl80211: ${(e as Error).message}: EAPOL cannot be exchanged`);
      return null;
    }
  }

  /** External SAE's Authentication frames to this socket (2.10 goes on without them if the kernel refuses). */
  private async registerSaeFrames(sock: Nl80211Link, iface: WirelessInterface): Promise<void> {
    try {
      await sock.request(req.registerSaeAuthFrames(iface.ifindex));
    } catch (e) {
      log.debug(`nl80211: Register frame command failed (type=${req.FC_AUTH}): ${(e as Error).message}`);
    }
  }

  private async findInterface(sock: Nl80211Link): Promise<WirelessInterface> {
    for (const m of await sock.dump(req.getInterfaces())) {
      const i = parseInterface(m.data);
      if (i?.ifname === this.ifname) return i;
    }
    throw new Error(`no wireless interface ${this.ifname}`);
  }

  private async readWiphy(sock: Nl80211Link, wiphy: number): Promise<WiphyInfo> {
    // A split dump filtered to one wiphy may still carry others' parts on old kernels: keep ours.
    const parts = (await sock.dump(req.getWiphy(wiphy))).map((m) => parseAttrs(m.data)).filter((a) => a.get(Attr.WIPHY)?.readUInt32LE(0) === wiphy);
    if (!parts.length) throw new Error(`phy#${wiphy} answered no GET_WIPHY`);
    return parseWiphy(mergeWiphyParts(parts));
  }

  private onMessage(msg: GenlMessage): void {
    const iface = this.iface;
    if (!iface) return;
    const d = decodeEvent(msg, { ifindex: iface.ifindex, wiphy: iface.wiphy, bssid: this.bssid });
    switch (d.kind) {
      case 'event':
        if (this.smeMode && (d.event.name === 'assoc' || d.event.name === 'assoc_reject')) {
          log.debug('nl80211: CONNECT event ignored: the host SME reports the association from its ASSOCIATE event');
          return;
        }
        this.onEvent(d.event);
        return;
      case 'roam':
        this.emitPaired(this.pairing.roam(this.withBeaconIes(d.assoc)));
        return;
      case 'roam_auth':
        this.emitPaired(this.pairing.roamAuth(d.auth));
        return;
      case 'scan_done':
        void this.fetchScanResults(iface);
        return;
      case 'scan_aborted':
        // wpa_supplicant 2.10 reports an aborted scan as failed, keeping its BSS table.
        this.emit('scan_results_lost');
        return;
      case 'cqm_rssi':
        void this.onCqmRssi(d.level);
        return;
      case 'auth_frame':
      case 'assoc_frame':
      case 'mlme_timeout':
        this.onSmeEvent(d);
        return;
      case 'external_auth':
        this.onExternalAuth(d);
        return;
      case 'frame_auth':
        if (this.extAuth?.bssid === d.bssid && d.algorithm === req.WLAN_AUTH_SAE) this.emit('auth_rx', { bssid: d.bssid, data: d.body, status: d.status });
        else log.debug(`nl80211: Authentication frame from ${d.bssid} outside external authentication dropped`);
        return;
      case 'wiphy_gone':
        log.warning(`nl80211: phy#${iface.wiphy} of ${this.ifname} went away`);
        this.linkDown();
        return;
      case 'dropped':
        log.msgdump(() => `nl80211: ${d.reason}`);
        return;
    }
  }

  /**
   * The driver asks for SAE (start) or gives the request up (abort), as
   * 2.10's sme_external_auth_trigger() takes it: only for the SAE AKM, which
   * 2.10 reads with the octets of the u32 in the order 00-0f-ac-08 (the
   * first drivers' byte order, which later hostap keeps accepting) and
   * later drivers send as the value 0x000fac08: both are taken here.
   */
  private onExternalAuth(d: Extract<Decoded, { kind: 'external_auth' }>): void {
    if (d.akm !== SAE_AKM_SUITE && d.akm !== SAE_AKM_SUITE_SWAPPED) {
      log.debug(`nl80211: external authentication for AKM 0x${d.akm.toString(16)} (not SAE) ignored`);
      return;
    }
    log.debug(`nl80211: External auth action: ${d.action}, BSSID ${d.bssid}`);
    this.extAuth = d.action === 'start' ? { bssid: d.bssid, ssid: d.ssid, seq: 0 } : undefined;
    this.emit('external_auth', { action: d.action, bssid: d.bssid, ssid: d.ssid });
  }

  /** The host SME's AUTHENTICATE and ASSOCIATE events (2.10's mlme_event_auth(), mlme_event_assoc(), their timeouts). */
  private onSmeEvent(d: Extract<Decoded, { kind: 'auth_frame' | 'assoc_frame' | 'mlme_timeout' }>): void {
    if (!this.smeMode) return;
    if (d.kind === 'auth_frame') {
      if (d.algorithm === req.WLAN_AUTH_SAE || (d.algorithm === WLAN_AUTH_FT && this.ftAuth?.to === d.bssid)) {
        this.emit('auth_rx', { bssid: d.bssid, data: d.body, status: d.status });
        return;
      }
      const p = this.openAuthFor;
      if (!p || p.bssid.toLowerCase() !== d.bssid) return;
      this.openAuthFor = undefined;
      if (d.status !== 0) {
        // Refused before any association: the station reports it as 2.10's sme_event_auth() does (CTRL-EVENT-AUTH-REJECT).
        this.connectingTo = undefined;
        this.emit('auth_rx', { bssid: d.bssid, data: d.body, status: d.status });
        return;
      }
      void this.sendAssociate(p).catch((e: Error) => this.smeFailed(p.bssid, `ASSOCIATE failed: ${e.message}`));
      return;
    }
    if (d.kind === 'assoc_frame') {
      if (d.status !== 0) {
        this.onEvent({ name: 'assoc_reject', args: [{ bssid: d.bssid, status: d.status, timeout: false }] });
        return;
      }
      const p = this.lastConnect;
      const reqIes = d.reqIes.length || !p ? d.reqIes : p.ies;
      this.onEvent({ name: 'assoc', args: [{ bssid: d.bssid, freq: d.freq || (p?.freq ?? 0), reqIes, respIes: d.respIes, beaconIes: Buffer.alloc(0), roam: false, authorized: false }] });
      return;
    }
    if (d.step === 'auth') {
      // mac80211 gave up on the AP (no Authentication frame back after its retries), SAE or Open System.
      if (d.bssid !== this.saeAuthWith && d.bssid !== this.openAuthFor?.bssid.toLowerCase()) return;
      log.debug(`nl80211: Authentication with ${d.bssid} timed out in the driver`);
      this.openAuthFor = undefined;
      this.saeAuthWith = undefined;
      this.connectingTo = undefined;
      this.emit('auth_timeout', { bssid: d.bssid });
      return;
    }
    // mac80211 gave up on the association (no Association Response after its
    // retries): 2.10's EVENT_ASSOC_TIMED_OUT, no rejection to report. (A
    // CONNECT that times out stays an assoc_reject with timeout, as 2.10's.)
    log.debug(`nl80211: Association with ${d.bssid} timed out in the driver`);
    this.openAuthFor = undefined;
    this.endAttempt(() => this.emit('assoc_timeout', { bssid: d.bssid }));
  }

  /** The kernel refused the ASSOCIATE that an event of ours started: the attempt ends as a refused association. */
  private smeFailed(bssid: string, why: string): void {
    log.warning(`nl80211: ${why}`);
    if (this.lastConnect?.bssid !== bssid) return;
    this.onEvent({ name: 'assoc_reject', args: [{ bssid, status: WLAN_STATUS_UNSPECIFIED_FAILURE, timeout: false }] });
  }

  /** A connection attempt (or roam) ended without an association: `report` tells the station how. */
  private endAttempt(report: () => void): void {
    const lost = this.roaming?.from;
    this.roaming = undefined;
    this.connectingTo = undefined;
    this.earlyEapol = undefined;
    report();
    // The roam's disconnect ended the old association: the station learns it here.
    if (lost) this.emit('disconnected', { bssid: lost, reason: REASON_PREV_AUTH_NOT_VALID, locallyGenerated: true });
  }

  private onEvent(e: DriverEventMsg): void {
    switch (e.name) {
      case 'assoc': {
        const a = this.withBeaconIes(e.args[0]);
        if (this.roaming?.to === a.bssid) a.roam = true;
        this.roaming = undefined;
        this.ignoreLocalDisconnect = false;
        this.bssid = a.bssid;
        this.connectingTo = undefined;
        const early = this.earlyEapol;
        this.earlyEapol = undefined;
        this.emit('assoc', a);
        this.setPmkAfterAssoc(a.bssid);
        if (early?.src === a.bssid) this.emit('eapol_rx', early);
        return;
      }
      case 'assoc_reject': {
        const r = e.args[0];
        this.endAttempt(() => this.emit('assoc_reject', r));
        return;
      }
      case 'disconnected': {
        const ev = e.args[0];
        if (this.ignoreLocalDisconnect && ev.locallyGenerated) {
          this.ignoreLocalDisconnect = false;
          log.debug(`nl80211: the disconnect we asked for (reason ${ev.reason}) took effect`);
          return;
        }
        this.forgetAssociation();
        this.roaming = undefined;
        this.ftAuth = undefined;
        this.emit('disconnected', ev);
        return;
      }
      case 'eapol_rx':
        this.onEapolRx(e.args[0]);
        return;
      case 'port_authorized':
      case 'gtk_rekey':
      case 'scan_started':
      case 'beacon_loss':
      case 'wake':
        this.emitDecoded(e);
        return;
      default:
        log.debug(`nl80211: event ${e.name} not used`);
    }
  }

  private emitDecoded(e: DriverEventMsg): void {
    (this.emit as (name: string, ...args: unknown[]) => boolean)(e.name, ...e.args);
  }

  private emitPaired(out: PairedEvent[]): void {
    for (const p of out) {
      if (p.name === 'assoc') {
        this.bssid = p.ev.bssid;
        this.emit('assoc', p.ev);
      } else {
        this.emit('port_authorized', p.ev);
      }
    }
  }

  /** The association's Beacon IEs from the last scan when the event has none (the station needs them for a roam target it did not scan). */
  private withBeaconIes(a: AssocEvent): AssocEvent {
    if (a.beaconIes.length) return a;
    const bss = this.scanTable.get(a.bssid);
    return bss ? { ...a, beaconIes: bss.ies } : a;
  }

  /** 802.1X with the firmware running the 4-way handshake: the PMK once associated (2.10's nl80211_set_pmk). */
  private setPmkAfterAssoc(bssid: string): void {
    const p = this.lastConnect;
    if (!p?.pmk || akmFamily(p.akm) !== '8021x' || !this.sock || !this.iface) return;
    this.sock.request(req.setPmk(this.iface.ifindex, bssid, p.pmk)).catch((e: Error) => log.warning(`nl80211: SET_PMK failed: ${e.message}`));
  }

  /** A SIGNAL_MONITOR crossing: the level from the event, else measured (2.10 polls the signal on every CQM event). */
  private async onCqmRssi(level: number | undefined): Promise<void> {
    const bssid = this.bssid;
    if (!bssid) return;
    let signal = level;
    if (signal === undefined) {
      try {
        signal = (await this.signalPoll()).rssi;
      } catch (e) {
        log.warning(`nl80211: signal after a CQM event: ${(e as Error).message}`);
        return;
      }
    }
    if (this.bssid === bssid) this.emit('signal', { bssid, signal });
  }

  /** A received EAPOL frame, from the control port or the packet socket. */
  private onEapolRx(rx: { src: string; data: Buffer }): void {
    if (this.silent.consumes(rx.src)) return;
    if (this.bssid === undefined && rx.src === this.connectingTo) {
      log.debug(`nl80211: EAPOL from ${rx.src} before the association event: held until it comes`);
      this.earlyEapol = rx;
      return;
    }
    this.emit('eapol_rx', rx);
  }

  /** Nothing of an association is kept past its end (a roam in progress survives its own disconnect). */
  private forgetAssociation(): void {
    this.bssid = undefined;
    this.connectingTo = undefined;
    this.earlyEapol = undefined;
    this.ptkInstalled = false;
    this.pairing.reset();
    this.extAuth = undefined;
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
    if (this.iface !== iface) return;
    this.scanTable = new Map(r.bss.map((b) => [b.bssid, b]));
    this.emit('scan_results', r.bss);
  }

  private linkDown(): void {
    const wasUp = this.helloResult !== null;
    this.iface = null;
    this.eapol?.close?.();
    this.eapol = null;
    this.forgetAssociation();
    this.roaming = undefined;
    this.ftAuth = undefined;
    this.helloResult = null;
    this.adminDown = null;
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
      await this.sys.setInterfaceUp(iface.ifindex, false).catch((e: Error) => log.warning(`nl80211: cannot set ${this.ifname} down again: ${e.message}`));
    }
    this.iface = null;
    this.helloResult = null;
    this.links?.close();
    this.links = null;
    this.eapol?.close?.();
    this.eapol = null;
    this.closeSocket();
  }

  private need(): { sock: Nl80211Link; iface: WirelessInterface } {
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
      if (unsupported(e)) return;
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

  async connect(params: ConnectParams): Promise<void> {
    const { sock, iface } = this.need();
    const p = this.silent.connect(params);
    this.lastConnect = p;
    this.roaming = undefined;
    this.ftAuth = undefined;
    if (this.usesHostSme(p)) return this.smeConnect(sock, iface, p);
    this.smeMode = false;
    this.saeAuthWith = undefined;
    await this.sendConnect(sock, iface, p);
  }

  /**
   * SAE on a wiphy that takes SAE frames from user space: the host's SME,
   * never CONNECT (cfg80211 would start a new authentication). Unless the
   * host hands SAE to the firmware (SAE offload: the password in CONNECT).
   */
  usesHostSme(p: ConnectParams): boolean {
    return akmFamily(p.akm) === 'sae' && !p.sae && this.helloResult?.capabilities.sae_auth === true;
  }

  /**
   * The association after the host's SAE (2.10's sme_associate()); without
   * an SAE exchange first (a PMKSA-cached reconnect), Open System
   * authentication, then the association once the AP accepts it.
   */
  private async smeConnect(sock: Nl80211Link, iface: WirelessInterface, p: ConnectParams): Promise<void> {
    this.smeMode = true;
    const bssid = p.bssid.toLowerCase();
    if (this.saeAuthWith === bssid) {
      this.saeAuthWith = undefined;
      await this.sendAssociate(p);
      return;
    }
    this.saeAuthWith = undefined;
    this.leaveForAuth(bssid);
    this.openAuthFor = p;
    this.prepareAssociation(p.bssid);
    try {
      await this.sendAuthenticate(sock, iface, req.authenticate(iface.ifindex, p));
    } catch (e) {
      this.openAuthFor = undefined;
      this.connectingTo = undefined;
      throw e;
    }
  }

  private prepareAssociation(bssid: string): void {
    this.ptkInstalled = false;
    this.pairing.reset();
    this.earlyEapol = undefined;
    this.connectingTo = bssid;
  }

  private async sendAssociate(p: ConnectParams): Promise<void> {
    const { sock, iface } = this.need();
    this.prepareAssociation(p.bssid);
    try {
      await sock.request(req.associate(iface.ifindex, p, { controlPortOverNl80211: this.eapol instanceof ControlPortTransport }));
    } catch (e) {
      this.connectingTo = undefined;
      throw e;
    }
  }

  /**
   * One SAE Authentication frame: in external authentication a CMD_FRAME on
   * the BSS's channel; otherwise (capability sae_auth) AUTHENTICATE with
   * AUTH_DATA. Or FT's first (capability ft_auth).
   */
  async auth(p: AuthParams): Promise<void> {
    const { sock, iface } = this.need();
    if (p.algorithm === 'ft') return this.ftAuthenticate(sock, iface, p);
    const ext = this.extAuth;
    if (ext && ext.bssid === p.bssid.toLowerCase()) {
      ext.seq++;
      await sock.request(req.saeAuthFrame(iface.ifindex, { own: iface.address, bssid: ext.bssid, freq: this.scanTable.get(ext.bssid)?.freq ?? p.freq, seq: ext.seq, body: p.data }));
      return;
    }
    const r = req.authenticate(iface.ifindex, p, p);
    this.smeMode = true;
    this.openAuthFor = undefined;
    this.saeAuthWith = p.bssid.toLowerCase();
    this.leaveForAuth(this.saeAuthWith);
    await this.sendAuthenticate(sock, iface, r);
  }

  /**
   * FT Authentication with the roam's target, as 2.10's sme_authenticate()
   * with WPA_AUTH_ALG_FT: AUTHENTICATE with AUTH_TYPE FT and the FT elements
   * (encode.ts). mac80211 leaves the current AP as it starts (leaveForAuth);
   * the association is the host SME's from here on, whichever SME made the
   * one left (cfg80211's CONNECT events are not news any more).
   */
  private async ftAuthenticate(sock: Nl80211Link, iface: WirelessInterface, p: AuthParams): Promise<void> {
    const from = this.bssid;
    if (!from) throw new DriverError('auth', 'FT Authentication needs an association to leave');
    const r = req.authenticate(iface.ifindex, p, p);
    const to = p.bssid.toLowerCase();
    this.smeMode = true;
    this.openAuthFor = undefined;
    this.saeAuthWith = undefined;
    this.leaveForAuth(to);
    this.ftAuth = { from, to, freq: p.freq };
    try {
      await this.sendAuthenticate(sock, iface, r);
    } catch (e) {
      this.ftAuth = undefined;
      throw e;
    }
  }

  /**
   * The host SME's AUTHENTICATE to another BSS while associated (a roam):
   * mac80211 leaves the current AP itself ("disconnect from AP ... for new
   * auth") and cfg80211 reports a local DISCONNECT for it, which is not news:
   * the station is already on its way to the new BSS (2.10, with its own
   * SME, ignores cfg80211's disconnect events too, and reports none).
   */
  private leaveForAuth(bssid: string): void {
    const from = this.bssid;
    if (from === undefined || from === bssid) return;
    log.debug(`nl80211: authenticating with ${bssid} leaves ${from}: the kernel's local disconnect that follows is expected`);
    this.forgetAssociation();
    this.ignoreLocalDisconnect = true;
  }

  /**
   * AUTHENTICATE as 2.10's wpa_driver_nl80211_authenticate(): cfg80211
   * refuses one to the BSS it is connected to (EALREADY); then
   * deauthenticate (reason 2, PREV_AUTH_NOT_VALID) and send it again, once.
   */
  private async sendAuthenticate(sock: Nl80211Link, iface: WirelessInterface, r: req.Request): Promise<void> {
    try {
      await sock.request(r);
    } catch (e) {
      if (!(e instanceof Nl80211RequestError && e.code === 'EALREADY')) throw e;
      log.debug('nl80211: authentication refused while connected: deauthenticating first (as wpa_supplicant 2.10)');
      await this.sendDisconnect(sock, iface, REASON_PREV_AUTH_NOT_VALID);
      await sock.request(r);
    }
  }

  /**
   * CONNECT as 2.10's wpa_driver_nl80211_connect(): cfg80211 takes no new
   * connection while one is in place (EALREADY); then disconnect with reason
   * 2 (PREV_AUTH_NOT_VALID) and connect again.
   */
  private async sendConnect(sock: Nl80211Link, iface: WirelessInterface, p: ConnectParams): Promise<void> {
    const r = req.connect(iface.ifindex, p, { controlPortOverNl80211: this.eapol instanceof ControlPortTransport, externalAuth: this.helloResult?.capabilities.sae_external_auth === true });
    this.extAuth = undefined;
    this.ptkInstalled = false;
    this.pairing.reset();
    this.earlyEapol = undefined;
    this.connectingTo = p.bssid;
    try {
      await this.tryConnect(sock, iface, p, r);
    } catch (e) {
      if (!(e instanceof Nl80211RequestError && e.code === 'EALREADY')) {
        this.connectingTo = undefined;
        throw e;
      }
      log.debug('nl80211: already connected: disconnecting before the new connection (as wpa_supplicant 2.10)');
      await this.sendDisconnect(sock, iface, REASON_PREV_AUTH_NOT_VALID);
      this.connectingTo = p.bssid;
      await this.tryConnect(sock, iface, p, r);
    }
  }

  /**
   * 2.10's wpa_driver_nl80211_try_connect(): the PSK for the firmware's own
   * roams first (QCA KEY_MGMT_SET_KEY, on a wiphy that lists that vendor
   * command: capability key_mgmt_offload), then CONNECT; a refused vendor
   * command fails the connect, CONNECT is not sent.
   */
  private async tryConnect(sock: Nl80211Link, iface: WirelessInterface, p: ConnectParams, r: req.Request): Promise<void> {
    if (p.psk && this.helloResult?.capabilities.key_mgmt_offload) {
      log.debug('nl80211: Key management set PSK');
      await sock.request(req.qcaKeyMgmtSetKey(iface.ifindex, p.psk));
    }
    await sock.request(r);
  }

  async disconnect(reason: number): Promise<void> {
    const { sock, iface } = this.need();
    this.roaming = undefined;
    await this.sendDisconnect(sock, iface, reason);
  }

  /**
   * DISCONNECT, or for the host SME's BSS DEAUTHENTICATE with the reason
   * (2.10's wpa_driver_nl80211_deauthenticate(); DISCONNECT would lose the
   * reason there). cfg80211 sends its DISCONNECT event either way.
   */
  private async sendDisconnect(sock: Nl80211Link, iface: WirelessInterface, reason: number): Promise<void> {
    const associated = this.bssid !== undefined;
    const smeBss = this.smeMode ? (this.bssid ?? this.connectingTo ?? this.saeAuthWith ?? this.ftAuth?.to) : undefined;
    this.forgetAssociation();
    this.openAuthFor = undefined;
    this.saeAuthWith = undefined;
    this.ftAuth = undefined;
    // Set before sending: the kernel's event arrives ahead of its ACK.
    this.ignoreLocalDisconnect = associated;
    try {
      await sock.request(smeBss ? req.deauthenticate(iface.ifindex, smeBss, reason) : req.disconnect(iface.ifindex, reason));
    } catch (e) {
      this.ignoreLocalDisconnect = false;
      // Nothing to leave: the link went meanwhile.
      if (e instanceof Nl80211RequestError && e.code === 'ENOTCONN') return;
      throw e;
    }
  }

  /**
   * ROAM on a connect-API driver, as wpa_supplicant 2.10 does it: a new
   * CONNECT to the target BSS; cfg80211 answers EALREADY while connected, so
   * (sendConnect) the old association is left with reason 2 and the target
   * connected from scratch: a full 4-way handshake follows, no reassociation.
   * The target's CONNECT event goes up as the roam's `assoc`; if it fails,
   * the old association is reported lost.
   */
  async roam(bssid: string, ft?: RoamFtParams): Promise<void> {
    const { sock, iface } = this.need();
    if (ft) return this.ftReassociate(bssid, ft);
    const from = this.bssid;
    const p = this.lastConnect;
    if (!from || !p) throw new DriverError('roam', 'not associated');
    // CONNECT would have cfg80211 authenticate with Open System, which an SAE BSS refuses without a PMKSA for it:
    // the station roams such an association itself (smeAssociated: connect with prevBssid).
    if (this.usesHostSme(p)) throw new DriverError('roam', 'an association of the host SME roams through connect with prevBssid');
    const next: ConnectParams = { ...p, bssid, freq: this.scanTable.get(bssid)?.freq ?? p.freq };
    this.lastConnect = next;
    this.roaming = { from, to: bssid };
    try {
      await this.sendConnect(sock, iface, next);
    } catch (e) {
      this.roaming = undefined;
      throw e;
    }
  }

  /**
   * The reassociation after FT Authentication, as 2.10's sme_associate()
   * with WLAN_AUTH_FT: ASSOCIATE with PREV_BSSID (a Reassociation Request)
   * and the FT elements in place of the RSNE and MDE (encode.ts
   * ftAssocIes), never CONNECT. Its ASSOCIATE event is the roam's `assoc`;
   * a refusal reports the association left at authentication lost.
   */
  private async ftReassociate(bssid: string, ft: RoamFtParams): Promise<void> {
    const x = this.ftAuth;
    const p = this.lastConnect;
    const to = bssid.toLowerCase();
    if (!x || x.to !== to || !p) throw new DriverError('roam', `no FT Authentication with ${to} to reassociate after`);
    this.ftAuth = undefined;
    this.lastConnect = { ...p, bssid: to, freq: this.scanTable.get(to)?.freq ?? x.freq };
    this.roaming = { from: x.from, to };
    try {
      await this.sendAssociate({ ...this.lastConnect, ies: req.ftAssocIes(p.ies, ft.ies), prevBssid: x.from });
    } catch (e) {
      this.roaming = undefined;
      throw e;
    }
  }

  async txEapol(dst: string, data: Buffer): Promise<void> {
    const t = this.eapol;
    if (!t) throw new DriverError('tx_eapol', `${this.ifname} has no EAPOL transport (see the log at link up)`);
    this.silent.hostSent();
    await t.send(dst, data, !this.ptkInstalled);
  }

  async setKey(k: SetKeyParams): Promise<void> {
    const { sock, iface } = this.need();
    await sock.request(req.newKey(iface.ifindex, k));
    if (k.kind === 'pairwise') this.ptkInstalled = true;
  }

  /** The AP's station entry authorized (CONNECT asked for a controlled port: mac80211 keeps it closed until then). */
  async setPort(authorized: boolean): Promise<void> {
    const { sock, iface } = this.need();
    const bssid = this.bssid;
    if (!bssid) throw new DriverError('set_port', 'not associated');
    await sock.request(req.setStationAuthorized(iface.ifindex, bssid, authorized));
  }

  /** GTK rekey offload; a radio without it (mac80211_hwsim: EOPNOTSUPP) is left alone, as 2.10 does. */
  async setRekeyData(d: RekeyData): Promise<void> {
    const { sock, iface } = this.need();
    try {
      await sock.request(req.setRekeyOffload(iface.ifindex, d));
    } catch (e) {
      if (unsupported(e)) {
        log.debug('nl80211: the driver does not support rekey offload');
        return;
      }
      throw e;
    }
  }

  /** GET_STATION for the AP: SIGNAL_POLL from the radio. */
  async signalPoll(): Promise<LinkSignal> {
    const { sock, iface } = this.need();
    const bssid = this.bssid;
    if (!bssid) throw new DriverError('signal_poll', 'not associated');
    const [m] = await sock.request(req.getStation(iface.ifindex, bssid));
    if (!m) throw new DriverError('signal_poll', 'GET_STATION answered nothing');
    try {
      return parseLinkSignal(m.data);
    } catch (e) {
      if (e instanceof Nl80211DecodeError) throw new DriverError('signal_poll', e.message);
      throw e;
    }
  }

  /** SIGNAL_MONITOR on the radio: CQM RSSI threshold and hysteresis (2.10's nl80211_signal_monitor()). */
  async signalMonitor(threshold: number, hysteresis: number): Promise<void> {
    const { sock, iface } = this.need();
    await sock.request(req.setCqm(iface.ifindex, threshold, hysteresis));
  }

  /**
   * `wowlan_triggers` on the wiphy, as 2.10's wpas_set_wowlan_triggers(): a
   * word the wiphy does not take (mac80211_hwsim takes none) and nothing is
   * sent, said at debug level only, as 2.10 does; the kernel's refusal (an
   * empty value on a wiphy without WoWLAN: EOPNOTSUPP) is the caller's error.
   */
  async setWowlan(triggers: string): Promise<void> {
    const { sock, iface } = this.need();
    const f = wowlanFlags(triggers, this.wowlanSupported);
    if ('refused' in f) {
      log.debug(`Unknown/unsupported wowlan trigger '${f.refused}'`);
      return;
    }
    log.debug('nl80211: Setting wowlan');
    try {
      await sock.request(req.setWowlan(iface.ifindex, f.flags));
    } catch (e) {
      log.debug('nl80211: Setting wowlan failed');
      throw e;
    }
  }

  /**
   * As 2.10's nl80211_get_wowlan(): enabled when GET_WOWLAN's reply carries
   * NL80211_ATTR_WOWLAN_TRIGGERS; a refusal (a wiphy without WoWLAN answers
   * EOPNOTSUPP), or no interface, is disabled, said at debug level.
   */
  async getWowlan(): Promise<boolean> {
    log.debug('nl80211: Getting wowlan status');
    let replies: GenlMessage[];
    try {
      const { sock, iface } = this.need();
      replies = await sock.request(req.getWowlan(iface.ifindex));
    } catch (e) {
      log.debug(`nl80211: Getting wowlan status failed: ${(e as Error).message}`);
      return false;
    }
    const enabled = replies.some((m) => parseAttrs(m.data).has(Attr.WOWLAN_TRIGGERS));
    log.debug(`nl80211: wowlan is ${enabled ? 'enabled' : 'disabled'}`);
    return enabled;
  }

  /**
   * Nothing to tell the kernel: 2.10's nl80211 has no suspend operation (the
   * triggers are set at start, the rekey data after each handshake), and the
   * kernel suspends the wiphy itself.
   */
  async suspend(): Promise<void> {}

  /** As 2.10's wpa_driver_nl80211_resume(): the interface set up again (a failure only logged). */
  async resume(): Promise<void> {
    const { iface } = this.need();
    await this.sys.setInterfaceUp(iface.ifindex, true).catch((e: Error) => log.debug(`nl80211: Failed to set interface up on resume event: ${e.message}`));
  }

  /**
   * 2.10 has the DRIVER command (and nl80211's driver_cmd) only in Android
   * builds: elsewhere, as Debian's, `DRIVER ...` is UNKNOWN COMMAND.
   */
  async driverCmd(cmd: string): Promise<string> {
    throw new NoDriverCommandsError(`'${cmd}': nl80211 has no DRIVER commands (wpa_supplicant 2.10 has them in Android builds only)`);
  }
  /** The host's answer to the driver's external authentication request; the request is over either way. */
  async externalAuthStatus(p: { bssid: string; ssid: Buffer; status: number; pmkid?: Buffer }): Promise<void> {
    const { sock, iface } = this.need();
    this.extAuth = undefined;
    log.debug(`nl80211: External auth status: ${p.status}`);
    await sock.request(req.externalAuthStatus(iface.ifindex, p));
  }

  /** Capabilities say sync_state: false (nl80211 cannot read PMKSA or PTK material back): never asked. */
  async syncState(): Promise<FirmwareSyncState> {
    throw new NotImplementedError('sync_state');
  }
}
