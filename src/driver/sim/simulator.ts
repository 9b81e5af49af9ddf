/**
 * The simulator core: a radio environment (the scenario's APs, their signal,
 * a timeline) and an offloading firmware between it and the host. It is the
 * one implementation behind both `-D sim` (SimDriver, in process) and
 * `wpa-offload-sim` (the same object served over the driver protocol).
 *
 * The firmware follows the nl80211 offload model:
 * - connect with a PMK and the capability for the AKM: the firmware runs the
 *   4-way handshake itself with the rsn Supplicant and reports it according
 *   to its mode (complete / late / silent / no_material / fail);
 * - otherwise the AP's EAPOL frames go to the host (`eapol_rx`) and the
 *   host's (`tx_eapol`) go to the AP;
 * - after set_rekey_data (or its own handshake) a firmware with
 *   gtk_rekey_offload answers group key messages itself and says so with
 *   `gtk_rekey`; PTK rekeys always reach the host;
 * - with key_mgmt_offload it roams on its own when the signal drops, using a
 *   cached PMKSA (or the ESS-wide PSK it was given: connect's `pmk`, or
 *   its `psk` for key_mgmt_offload, kept also when the host runs the
 *   association's handshakes), and runs the roam's 4-way handshake itself;
 * - with sae_offload, a connect that carries the SAE password makes the
 *   firmware run SAE with the AP itself (the rsn SaeStation, as the host
 *   would), report the PMKSA with `pmksa_added` (unless sae_report_pmksa =
 *   false, as brcmfmac), then associate and run the
 *   4-way handshake as above; a roam to a BSS with no cached PMKSA runs SAE
 *   with it the same way.
 */
import { createHash } from 'node:crypto';
import * as log from '../../log.js';
import { secret } from '../../log.js';
import { Reason, Supplicant, type SupplicantResult } from '../../rsn/supplicant.js';
import { classifyEapol } from '../../rsn/eapol.js';
import { pmkidForAkm } from '../../rsn/crypto.js';
import { akmFamily, akmInfo } from '../../rsn/akm.js';
import { saeMachines } from '../../rsn/sae/load.js';
import type { SaeAction } from '../../rsn/sae/session.js';
import type { SaeStation } from '../../rsn/sae/station.js';
import {
  DRIVER_PROTOCOL_VERSION,
  type AuthParams,
  type ConnectParams,
  type DriverEvents,
  type FirmwareMaterial,
  type FirmwareSyncState,
  type HelloResult,
  type PmksaParams,
  type RekeyData,
  type RoamFtParams,
  type ScanBss,
  type ScanParams,
  type SetKeyParams,
  type SuspendParams,
  type WakeReason,
} from '../backend.js';
import type { ProtocolEventName } from '../wire.js';
import type { Clock, TimerHandle } from './clock.js';
import { SeededRandom } from './random.js';
import type { FirmwareMode, RestartPoint, Scenario } from './scenario.js';
import { SimAp, STATUS_INVALID_PMKID } from './ap.js';
import { WLAN_AUTH_FT } from '../../rsn/ft-protocol.js';
import { assocReqIes, assocRespIes, beaconIes, capabilityInfo, ftAssocFor, isFtAkm, probeRespIes } from './ies.js';
import { findElement, rsneWithPmkid, WLAN_EID_MDE } from '../../rsn/ft.js';

/** 802.11 status and reason codes the simulator reports. */
const STATUS_UNSPECIFIED = 1;
const STATUS_INVALID_GROUP_CIPHER = 41;
const STATUS_INVALID_PAIRWISE_CIPHER = 42;
const STATUS_INVALID_AKMP = 43;
const STATUS_ROBUST_MGMT_POLICY = 31;
const STATUS_INVALID_MDE = 54;
/** Disassociated due to inactivity: what mac80211 reports on beacon loss. */
const REASON_INACTIVITY = 4;

const EID_RSN = 48;

/** An operation the simulated firmware refuses (becomes a DriverError / ok:false). */
export class SimOpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimOpError';
  }
}

export type SimEmit = <K extends ProtocolEventName>(name: K, ...args: DriverEvents[K]) => void;


/** PTK material as the firmware holds it (sync_state reports fingerprints of it). */
interface FwMaterial {
  kck: Buffer;
  kek: Buffer;
  replayCtr: Buffer;
}

interface Association {
  ap: SimAp;
  conn: ConnectParams;
  staRsne: Buffer;
  roam: boolean;
  /** Reported to the host with `assoc` yet (complete/no_material report only after the handshake). */
  reported: boolean;
  /** The firmware runs the current 4-way handshake (null: the host does). */
  fwSm: Supplicant | null;
  fwHandshakeDone: boolean;
  /** Used by the firmware for group rekeys it answers itself. */
  rekeySm: Supplicant | null;
  /**
   * Rekey data the host pushed, not yet in a Supplicant: most associations
   * never see a group rekey, and the host pushes after every handshake, so
   * rekeySupplicant() builds the Supplicant at the first group message.
   */
  rekeySeed: RekeyData | null;
  material: FwMaterial | null;
  pmk?: Buffer;
  pmkid?: Buffer;
  mode: FirmwareMode;
  /** FT reassociation: the AP's FT elements (RSNE, MDE, FTE with MIC, GTK, IGTK) for the Reassociation Response. */
  respIes?: Buffer;
}

function fingerprint(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex').slice(0, 8);
}

/** The SAE exchange the firmware runs (sae_offload) before it associates with `ap`. */
interface FirmwareSae {
  ap: SimAp;
  conn: ConnectParams;
  roam: boolean;
  sae: SaeStation;
  timer?: TimerHandle;
}

/** `ies` with its RSNE naming this PMKID (a roam offering the target's cached SAE PMKSA). */
function withPmkid(ies: Buffer, pmkid: Buffer): Buffer {
  const old = findRsne(ies);
  if (!old.length) return ies;
  // The station's own octets with the PMKID list spliced in (its capabilities and other fields kept).
  const rsne = rsneWithPmkid(old, pmkid);
  const at = ies.indexOf(old);
  return Buffer.concat([ies.subarray(0, at), rsne, ies.subarray(at + old.length)]);
}

function findRsne(ies: Buffer): Buffer {
  for (let off = 0; off + 2 <= ies.length; off += 2 + ies[off + 1]) {
    if (off + 2 + ies[off + 1] > ies.length) break;
    if (ies[off] === EID_RSN) return ies.subarray(off, off + 2 + ies[off + 1]);
  }
  return Buffer.alloc(0);
}

export interface SimulatorOptions {
  clock: Clock;
  emit: SimEmit;
  /** Overrides the scenario's seed (wpa-offload-sim --seed). */
  seed?: number;
}

/** The mobility domain (MDID, SSID) and station an FT-SAE XXKey is kept for. */
function mobilityDomainKeyId(ap: SimAp, sta: string): string {
  return `${ap.cfg.mdid.toString('hex')}/${ap.cfg.ssid.toString('hex')}/${sta.toLowerCase()}`;
}

export class Simulator {
  readonly aps: SimAp[];
  readonly hello: HelloResult;
  private readonly clock: Clock;
  private readonly emitEvent: SimEmit;
  private readonly random: SeededRandom;
  private mode: FirmwareMode;
  private restartAt: RestartPoint | undefined;
  private pmksa: PmksaParams[] = [];
  private assoc: Association | null = null;
  /** A connect or roam on its way to association (cancelled by disconnect or restart). */
  private pending: TimerHandle | null = null;
  private pendingBssid: string | null = null;
  private scanning = false;
  private nextGroupRekeyRoute: 'auto' | 'host' | 'fw' = 'auto';
  private timeline: TimerHandle[] = [];
  private readonly startedAt: number;
  /** The last key of each kind the host installed on this association (SIM_STATUS checks them against the AP's). */
  private hostKeys = new Map<string, SetKeyParams>();
  portAuthorized = false;
  /** Set by `suspend`: the host sleeps; events wait for `resume` or a wake. */
  private suspended: { wowlanTriggers: string; held: [string, unknown[]][] } | null = null;
  private lastWake = '';
  /** SAE the firmware is running (sae_offload), and how many it ran (SIM_STATUS fw_sae_runs). */
  private fwSae: FirmwareSae | null = null;
  private fwSaeRuns = 0;
  /** FT-SAE XXKeys by mobility domain, SSID and station (ApEnv.mobilityDomainKey). */
  private readonly mdKeys = new Map<string, Buffer>();

  constructor(
    readonly scenario: Scenario,
    opts: SimulatorOptions,
  ) {
    this.clock = opts.clock;
    this.emitEvent = opts.emit;
    this.random = new SeededRandom(opts.seed ?? scenario.seed);
    this.mode = scenario.firmware.mode;
    this.restartAt = scenario.firmware.restartAt;
    this.startedAt = this.clock.now();
    const env = {
      clock: this.clock,
      random: this.random,
      eapolTimeoutMs: scenario.eapolTimeoutMs,
      eapolRetries: scenario.eapolRetries,
      toStation: (ap: SimAp, f: Buffer) => this.air(() => this.fromAp(ap, f)),
      deauth: (ap: SimAp, reason: number) => this.air(() => this.apDeauth(ap, reason)),
      authToStation: (ap: SimAp, f: Buffer) =>
        this.air(() => {
          const fw = this.fwSae;
          // The firmware's own SAE takes the AP's frames; nothing of it reaches the host.
          if (fw && fw.ap === ap) return this.fwSaeActions(fw, fw.sae.receive(f));
          // Reaches the host only while the radio is still off the AP (authenticating), as mac80211 passes it up;
          // FT Authentication runs while the station stays associated with the current AP.
          const ft = f.length >= 2 && f.readUInt16LE(0) === WLAN_AUTH_FT;
          if ((!this.assoc || ft) && ap.up) this.emit('auth_rx', { bssid: ap.bssid, data: f, status: f.length >= 6 ? f.readUInt16LE(4) : 1 });
        }),
      mobilityDomainKey: {
        set: (ap: SimAp, sta: string, xxkey: Buffer) => this.mdKeys.set(mobilityDomainKeyId(ap, sta), xxkey),
        get: (ap: SimAp, sta: string) => this.mdKeys.get(mobilityDomainKeyId(ap, sta)),
      },
    };
    this.aps = scenario.aps.map((c) => new SimAp(c, env));
    this.hello = { version: DRIVER_PROTOCOL_VERSION, address: scenario.address, capabilities: { ...scenario.firmware.caps } };
  }

  private get caps() {
    return this.hello.capabilities;
  }

  private get own(): string {
    return this.hello.address;
  }

  private emit: SimEmit = (name, ...args) => {
    // A sleeping host hears nothing: the firmware keeps the events for when it wakes.
    if (this.suspended) {
      this.suspended.held.push([name, args]);
      return;
    }
    log.msgdump(() => `sim: event ${name}`);
    this.emitEvent(name, ...args);
  };

  /** One hop over the air. */
  private air(fn: () => void): void {
    this.clock.after(this.scenario.airDelayMs, fn);
  }

  ap(bssid: string): SimAp | undefined {
    return this.aps.find((a) => a.bssid === bssid.toLowerCase());
  }

  /** Schedules the scenario's timeline; `run` executes one DRIVER command. */
  startTimeline(run: (cmd: string) => string): void {
    for (const e of this.scenario.timeline) {
      this.timeline.push(
        this.clock.after(e.atMs, () => {
          for (const c of e.commands) log.info(`sim: timeline +${e.atMs} ms: ${c}: ${run(c)}`);
        }),
      );
    }
  }

  stop(): void {
    for (const t of this.timeline) t.cancel();
    this.timeline = [];
    this.pending?.cancel();
    this.pending = null;
    if (this.assoc) this.assoc.ap.disassociate();
    this.assoc = null;
  }

  /* ------------------------------------------------------------------ scan */

  scan(p: ScanParams): void {
    if (this.scanning) throw new SimOpError('scan already in progress');
    this.scanning = true;
    this.clock.after(0, () => this.emit('scan_started'));
    this.clock.after(this.scenario.scanDelayMs, () => {
      this.scanning = false;
      this.emit('scan_results', this.scanResults(p));
    });
  }

  private scanResults(p: ScanParams): ScanBss[] {
    const probed = (ssid: Buffer): boolean => (p.ssids ?? []).some((s) => s.equals(ssid));
    const out: ScanBss[] = [];
    for (const ap of this.aps) {
      if (!ap.up) continue;
      if (p.freqs && p.freqs.length && !p.freqs.includes(ap.cfg.freq)) continue;
      // A hidden AP shows up only when a directed probe names its SSID.
      const revealed = !ap.cfg.hidden || probed(ap.cfg.ssid);
      if (ap.cfg.hidden && !revealed) continue;
      out.push({
        bssid: ap.bssid,
        ssid: ap.cfg.ssid,
        freq: ap.cfg.freq,
        signal: ap.signal,
        noise: this.scenario.noise,
        beaconInt: ap.cfg.beaconInt,
        caps: capabilityInfo(ap.cfg),
        ies: probeRespIes(ap.cfg),
        ageMs: 0,
      });
    }
    return out;
  }

  /* ------------------------------------------------------------ connection */

  connect(p: ConnectParams): void {
    // A connect while associated replaces the association: after a driver
    // link loss the host reconnects without knowing what the firmware kept.
    this.dropAssociation();
    if (this.restartPoint('connect')) return;
    const ap = this.ap(p.bssid);
    if (p.sae && !p.pmk && ap && ap.up && ap.cfg.ssid.equals(p.ssid) && this.runsSae(p)) {
      this.firmwareSae(ap, p, false);
      return;
    }
    if (p.sae && !this.caps.sae_offload) log.debug('sim: connect with an SAE password, but this firmware has no sae_offload; ignored');
    this.pendingBssid = p.bssid;
    this.pending = this.clock.after(this.scenario.airDelayMs, () => {
      this.pending = null;
      this.pendingBssid = null;
      if (!ap || !ap.up || !ap.cfg.ssid.equals(p.ssid)) {
        // No answer to Authentication: nl80211 reports a timed-out connect.
        this.emit('assoc_reject', { bssid: p.bssid, status: STATUS_UNSPECIFIED, timeout: true });
        return;
      }
      const status = this.assocStatus(ap, p);
      if (status !== 0) {
        this.emit('assoc_reject', { bssid: p.bssid, status, timeout: false });
        return;
      }
      this.associate(ap, p, false, this.pmkFor(ap, p));
    });
  }

  /**
   * One Authentication frame from the host (SAE before association, as
   * nl80211's AUTHENTICATE with SAE data): it reaches the AP one air delay
   * later; an AP that is not there answers nothing (the host's SAE
   * retransmissions run out).
   */
  auth(p: AuthParams): void {
    if (p.algorithm === 'ft') {
      if (!this.caps.ft_auth) throw new SimOpError('FT Authentication through the host not supported (capability ft_auth)');
    } else {
      if (!this.caps.sae_auth) throw new SimOpError('host SAE not supported (capability sae_auth)');
      // Authenticating with a BSS leaves the current one (mac80211 deauthenticates first); FT over the air does not.
      if (this.assoc) this.dropAssociation();
    }
    const ap = this.ap(p.bssid);
    this.air(() => {
      if (ap && ap.up && ap.cfg.ssid.equals(p.ssid)) ap.receiveAuth(this.own, p.data);
    });
  }

  /** The firmware runs SAE for this connect: capability sae_offload, an SAE AKM it offloads, the password given. */
  private runsSae(p: ConnectParams): boolean {
    return p.sae !== undefined && akmFamily(p.akm) === 'sae' && this.canOffload(p.akm);
  }

  /**
   * SAE run by the firmware with the password of `connect` (nl80211
   * SAE_OFFLOAD_STA): the same SaeStation the host runs, its frames over the
   * air to the AP. Accepted: the PMKSA goes into the firmware's table and to
   * the host (`pmksa_added`, before the association), then the association
   * and the 4-way handshake follow with that PMK. Failed: `assoc_reject`
   * with the status that ended the exchange.
   */
  private firmwareSae(ap: SimAp, conn: ConnectParams, roam: boolean): void {
    const sp = conn.sae!;
    const machines = saeMachines();
    let sae: SaeStation;
    try {
      sae = new machines.SaeStation({
        ownAddr: this.own,
        bssid: ap.bssid,
        ssid: ap.cfg.ssid,
        saePassword: sp.password.toString('latin1'),
        passwordId: sp.passwordId?.toString('latin1'),
        saePwe: sp.pwe,
        apH2e: ap.cfg.saePwe !== 0,
        random: (n: number) => this.random.bytes(n),
      });
    } catch (e) {
      if (!(e instanceof machines.SaeConfigError)) throw e;
      log.info(`sim: firmware cannot run SAE with ${ap.bssid}: ${e.message}`);
      this.air(() => this.emit('assoc_reject', { bssid: ap.bssid, status: STATUS_UNSPECIFIED, timeout: false }));
      return;
    }
    this.fwSaeRuns++;
    log.info(`sim: firmware runs SAE with ${ap.bssid}${roam ? ' (roam)' : ''}`);
    const fw: FirmwareSae = { ap, conn: { ...conn, bssid: ap.bssid, freq: ap.cfg.freq }, roam, sae };
    this.fwSae = fw;
    this.pendingBssid = ap.bssid;
    this.fwSaeActions(fw, sae.start());
  }

  private fwSaeActions(fw: FirmwareSae, actions: SaeAction[]): void {
    for (const a of actions) {
      // The confirm that goes with acceptance still goes out (it is listed after it, or before).
      if (this.fwSae !== fw && a.kind !== 'send') continue;
      switch (a.kind) {
        case 'send': {
          const spa = this.own;
          this.air(() => {
            if (fw.ap.up) fw.ap.receiveAuth(spa, a.frame);
          });
          break;
        }
        case 'timer':
          fw.timer?.cancel();
          fw.timer = this.clock.after(a.ms, () => {
            fw.timer = undefined;
            if (this.fwSae === fw) this.fwSaeActions(fw, fw.sae.timeout());
          });
          break;
        case 'cancel-timer':
          fw.timer?.cancel();
          fw.timer = undefined;
          break;
        case 'accepted':
          this.endFirmwareSae();
          this.firmwareSaeAccepted(fw, a.pmk, a.pmkid);
          break;
        case 'failed':
          this.endFirmwareSae();
          this.pendingBssid = null;
          log.info(`sim: firmware SAE with ${fw.ap.bssid} failed: ${a.reason}`);
          this.emit('assoc_reject', { bssid: fw.ap.bssid, status: a.status, timeout: false });
          break;
      }
    }
  }

  private endFirmwareSae(): void {
    this.fwSae?.timer?.cancel();
    this.fwSae = null;
  }

  private firmwareSaeAccepted(fw: FirmwareSae, pmk: Buffer, pmkid: Buffer): void {
    const { ap, conn } = fw;
    const entry: PmksaParams = { bssid: ap.bssid, pmkid, pmk, akm: conn.akm, lifetime: 43200, ssid: ap.cfg.ssid };
    try {
      this.storePmksa(entry);
    } catch (e) {
      log.info(`sim: firmware keeps no PMKSA for ${ap.bssid}: ${(e as Error).message}`);
    }
    if (this.scenario.firmware.saeReportsPmksa) this.emit('pmksa_added', { bssid: ap.bssid, pmkid, pmk, akm: conn.akm, lifetime: entry.lifetime });
    this.pendingBssid = ap.bssid;
    this.pending = this.clock.after(this.scenario.airDelayMs, () => {
      this.pending = null;
      this.pendingBssid = null;
      const status = this.assocStatus(ap, conn);
      if (status !== 0) {
        this.emit('assoc_reject', { bssid: ap.bssid, status, timeout: false });
        return;
      }
      this.associate(ap, conn, fw.roam, { pmk, pmkid });
    });
  }

  /** Association Request checks an AP makes against its RSN policy. */
  private assocStatus(ap: SimAp, p: ConnectParams): number {
    if (!ap.rsn) return p.akm === 'NONE' || p.akm === '' ? 0 : STATUS_INVALID_AKMP;
    if (!(ap.cfg.akms as readonly string[]).includes(p.akm)) return STATUS_INVALID_AKMP;
    if (p.pairwise !== ap.cfg.pairwise) return STATUS_INVALID_PAIRWISE_CIPHER;
    if (p.group !== ap.cfg.group) return STATUS_INVALID_GROUP_CIPHER;
    if ((ap.cfg.mfp === 'required' && p.mfp === 'none') || (p.mfp === 'required' && ap.cfg.mfp === 'none')) return STATUS_ROBUST_MGMT_POLICY;
    // FT (hostapd's wpa_validate_wpa_ie): an FT AKM needs the AP's MDE in the request (status 54, invalid MDE).
    if (isFtAkm(p.akm)) {
      const mde = findElement(p.ies, WLAN_EID_MDE);
      if (!mde || !mde.subarray(2, 4).equals(ap.cfg.mdid)) return STATUS_INVALID_MDE;
    }
    // SAE: a PMK from the exchange just completed or a cached PMKSA the RSNE names, else no association.
    if (akmFamily(p.akm) === 'sae' && !ap.saeKey(findRsne(p.ies))) return STATUS_INVALID_PMKID;
    return 0;
  }

  /** The PMK the firmware runs the handshake with, or undefined when the host must. */
  private pmkFor(ap: SimAp, p: ConnectParams): { pmk: Buffer; pmkid?: Buffer } | undefined {
    if (p.fourWayOffload === false) {
      // The host runs this handshake (nl80211: CONNECT without ATTR_PMK and ATTR_WANT_1X_4WAY_HS).
      log.debug(`sim: connect with four_way_offload false: the host runs the handshake`);
      return undefined;
    }
    if (!this.canOffload(p.akm)) {
      if (p.pmk) log.debug(`sim: firmware cannot offload ${p.akm}; the host runs the handshake`);
      return undefined;
    }
    if (p.pmk) return { pmk: p.pmk, pmkid: p.pmkid };
    // SAE offload is asked for by the password (NL80211_ATTR_SAE_PASSWORD): without it the host runs the handshake.
    if (akmFamily(p.akm) === 'sae' && !p.sae) return undefined;
    // A PMKSA the host pushed with its PMK may stand in for the PMK.
    const e = p.pmkid ? this.pmksa.find((x) => x.pmkid.equals(p.pmkid as Buffer) && x.bssid === ap.bssid && x.pmk) : undefined;
    return e ? { pmk: e.pmk as Buffer, pmkid: e.pmkid } : undefined;
  }

  private canOffload(akm: string): boolean {
    if (!this.caps.akms.includes(akm)) return false;
    const family = akmFamily(akm);
    if (family === 'psk') return this.caps.four_way_psk;
    if (family === '8021x') return this.caps.four_way_8021x;
    if (family === 'sae') return this.caps.sae_offload === true;
    return false;
  }

  /**
   * A new association with `ap` (a connect, a roam or an FT reassociation):
   * not reported yet, no handshake run, no rekey data or key material.
   */
  private newAssociation(ap: SimAp, conn: ConnectParams, staRsne: Buffer, roam: boolean, keys: Pick<Association, 'pmk' | 'pmkid' | 'respIes'>): Association {
    return {
      ap,
      conn: { ...conn, bssid: ap.bssid, freq: ap.cfg.freq },
      staRsne,
      roam,
      reported: false,
      fwSm: null,
      fwHandshakeDone: false,
      rekeySm: null,
      rekeySeed: null,
      material: null,
      mode: this.mode,
      ...keys,
    };
  }

  private associate(ap: SimAp, conn: ConnectParams, roam: boolean, key: { pmk: Buffer; pmkid?: Buffer } | undefined): void {
    const staRsne = findRsne(conn.ies);
    const a = this.newAssociation(ap, conn, staRsne, roam, { pmk: key?.pmk, pmkid: key?.pmkid });
    this.assoc = a;
    this.portAuthorized = false;
    this.hostKeys.clear();
    log.info(`sim: associated with ${ap.bssid}${roam ? ' (roam)' : ''}; handshake by ${key && ap.rsn ? `firmware (${a.mode})` : 'host'}`);
    if (!ap.rsn) {
      this.reportAssoc(a, false);
      return;
    }
    if (key) {
      if (a.mode !== 'silent') a.fwSm = this.newSupplicant(a, key.pmk, key.pmkid);
      // These modes report the association only once their handshake is done.
      if (!['complete', 'no_material', 'connect', 'replay_only'].includes(a.mode)) this.reportAssoc(a, false);
    } else {
      this.reportAssoc(a, false);
    }
    if (this.restartPoint('assoc')) return;
    ap.associate(this.own, staRsne, roam);
  }

  private newSupplicant(a: Association, pmk: Buffer, pmkid?: Buffer): Supplicant {
    return new Supplicant({
      akm: a.conn.akm,
      pairwise: a.conn.pairwise,
      group: a.conn.group,
      groupMgmt: a.ap.cfg.mfp !== 'none' ? a.ap.cfg.groupMgmt : undefined,
      mfp: a.conn.mfp !== 'none' && a.ap.cfg.mfp !== 'none',
      pmk,
      pmkid,
      aa: a.ap.bssid,
      spa: this.own,
      ownRsne: a.staRsne,
      apRsne: a.ap.rsne,
      random: (n: number) => this.random.bytes(n),
      // The firmware sees the (Re)Association Response: FT's MDE and FTE.
      ft: ftAssocFor(a.ap.cfg, a.conn.akm),
    });
  }

  private reportAssoc(a: Association, authorized: boolean, withMaterial = false, partial?: FirmwareMaterial): void {
    a.reported = true;
    this.emit('assoc', {
      bssid: a.ap.bssid,
      freq: a.ap.cfg.freq,
      reqIes: assocReqIes(a.ap.cfg, a.conn.ies),
      respIes: a.respIes ? Buffer.concat([assocRespIes(a.ap.cfg, 'NONE'), a.respIes]) : assocRespIes(a.ap.cfg, a.conn.akm),
      beaconIes: beaconIes(a.ap.cfg),
      roam: a.roam,
      authorized,
      ...(withMaterial && a.material ? { material: { keyReplayCtr: a.material.replayCtr, kck: a.material.kck, kek: a.material.kek } } : {}),
      ...(partial ? { material: partial } : {}),
      ...(a.roam && a.pmkid ? { pmkid: a.pmkid } : {}),
      ...(a.ap.cfg.apMldAddr ? { apMldAddr: a.ap.cfg.apMldAddr } : {}),
    });
  }

  disconnect(reason: number): void {
    const a = this.assoc;
    const bssid = a?.ap.bssid ?? this.pendingBssid;
    this.dropAssociation();
    if (bssid) this.air(() => this.emit('disconnected', { bssid, reason, locallyGenerated: true }));
  }

  /** Ends the association (or the attempt) without telling the host. */
  private dropAssociation(): void {
    this.endFirmwareSae();
    this.pending?.cancel();
    this.pending = null;
    this.pendingBssid = null;
    if (this.assoc) this.assoc.ap.disassociate();
    this.assoc = null;
    this.portAuthorized = false;
  }

  roam(bssid: string, ft?: RoamFtParams): void {
    const a = this.assoc;
    if (!a) throw new SimOpError('not associated');
    const target = this.ap(bssid);
    if (!target || !target.up) throw new SimOpError(`BSS ${bssid} not found`);
    if (!target.cfg.ssid.equals(a.ap.cfg.ssid)) throw new SimOpError(`BSS ${bssid} is not in the same ESS`);
    if (target === a.ap) throw new SimOpError('already associated with that BSS');
    if (ft) {
      if (!this.caps.ft_auth) throw new SimOpError('FT reassociation through the host not supported (capability ft_auth)');
      this.ftReassociate(a, target, ft.ies);
      return;
    }
    // An SAE reassociation needs the target's PMKSA or SAE with it, which only a firmware holding the password runs here.
    if (akmFamily(a.conn.akm) === 'sae' && !this.roamKey(a, target) && !this.runsSae(a.conn)) {
      throw new SimOpError(`no PMKSA for ${target.bssid} and no SAE password: the host must authenticate with it (SAE) first`);
    }
    this.reassociate(a, target);
  }

  /**
   * Reassociation to `target`, host- or firmware-initiated. SAE: with the
   * target's cached PMKSA, its PMKID in the RSNE and no SAE exchange; without
   * one, a firmware that was given the password runs SAE with the target first.
   * `ownRoam`: the firmware's own decision (key_mgmt_offload), not the host's ROAM.
   */
  private reassociate(a: Association, target: SimAp, ownRoam = false): void {
    const key = this.roamKey(a, target, ownRoam);
    a.ap.disassociate();
    this.assoc = null;
    if (!key && this.runsSae(a.conn)) {
      this.firmwareSae(target, a.conn, true);
      return;
    }
    const conn = key?.pmkid && akmFamily(a.conn.akm) === 'sae' ? { ...a.conn, ies: withPmkid(a.conn.ies, key.pmkid) } : a.conn;
    this.pendingBssid = target.bssid;
    this.pending = this.clock.after(this.scenario.airDelayMs, () => {
      this.pending = null;
      this.pendingBssid = null;
      this.associate(target, conn, true, key);
    });
  }

  /**
   * The host's FT reassociation (after its FT Authentication with `target`):
   * the Reassociation Request carries the host's FT elements; the AP checks
   * them and answers with its own (MIC, GTK, IGTK), or refuses with a status.
   * No 4-way handshake follows: the host installs the keys.
   */
  private ftReassociate(a: Association, target: SimAp, ies: Buffer): void {
    a.ap.disassociate();
    this.assoc = null;
    this.portAuthorized = false;
    const conn = { ...a.conn, ies };
    this.pendingBssid = target.bssid;
    this.pending = this.clock.after(this.scenario.airDelayMs, () => {
      this.pending = null;
      this.pendingBssid = null;
      const r = target.ftReassociate(this.own, ies);
      if (r.status !== 0 || !r.respIes) {
        this.emit('assoc_reject', { bssid: target.bssid, status: r.status, timeout: false });
        return;
      }
      const fa = this.newAssociation(target, conn, findRsne(ies), true, { respIes: r.respIes });
      this.assoc = fa;
      this.hostKeys.clear();
      log.info(`sim: reassociated with ${target.bssid} by FT; keys installed by the host`);
      this.reportAssoc(fa, false);
    });
  }

  /**
   * A cached PMKSA with its PMK for the target, or the ESS-wide PSK the
   * firmware was given: with connect (`pmk`) to run the handshake, or (on
   * its own roams, `ownRoam`) connect's `psk` for key_mgmt_offload, which
   * the firmware keeps whoever ran the association's first handshake (as
   * QCA's KEY_MGMT_SET_KEY).
   */
  private roamKey(a: Association, target: SimAp, ownRoam = false): { pmk: Buffer; pmkid?: Buffer } | undefined {
    const psk = ownRoam ? this.keyMgmtPsk(a.conn) : undefined;
    // An association the host asked to keep (four_way_offload false) is not offloaded on a roam either, unless the host gave the PSK for its own roams.
    if (!this.canOffload(a.conn.akm) || a.conn.fourWayOffload === false) return psk && { pmk: psk };
    const cached = this.pmksa.find((e) => e.bssid === target.bssid && e.pmk && e.akm === a.conn.akm);
    if (cached) return { pmk: cached.pmk as Buffer, pmkid: cached.pmkid };
    if (a.pmk && akmFamily(a.conn.akm) === 'psk') return { pmk: a.pmk };
    return psk && { pmk: psk };
  }

  /** connect's `psk`, when this firmware roams on its own (key_mgmt_offload) for that PSK AKM. */
  private keyMgmtPsk(conn: ConnectParams): Buffer | undefined {
    if (!conn.psk || !this.caps.key_mgmt_offload || akmFamily(conn.akm) !== 'psk' || !this.caps.akms.includes(conn.akm)) return undefined;
    return conn.psk;
  }

  /* ---------------------------------------------------------------- EAPOL */

  txEapol(dst: string, data: Buffer): void {
    const a = this.assoc;
    if (!a || a.ap.bssid !== dst.toLowerCase()) throw new SimOpError(`not associated with ${dst}`);
    const spa = this.own;
    if (a.mode === 'mute') {
      a.mode = 'silent';
      a.fwSm = null;
    }
    this.air(() => a.ap.receive(spa, data));
  }

  /** An EAPOL frame from the AP reaches the firmware. */
  private fromAp(ap: SimAp, frame: Buffer): void {
    const a = this.assoc;
    if (!a || a.ap !== ap) return;
    const kind = classifyEapol(frame);
    if (kind === 'pairwise-3' && this.restartPoint('4way')) return;
    // mode mute: the firmware swallows the handshake and says nothing, until the host sends EAPOL itself; deaf: for good.
    if ((a.mode === 'mute' || a.mode === 'deaf') && a.fwSm) return;
    if (a.fwSm && !a.fwHandshakeDone) {
      this.firmwareHandshake(a, frame);
      return;
    }
    if (kind === 'group-1' && this.firmwareTakesGroupRekey(a)) {
      this.firmwareGroupRekey(a, frame);
      return;
    }
    this.emit('eapol_rx', { src: ap.bssid, data: frame });
  }

  private firmwareTakesGroupRekey(a: Association): boolean {
    const route = this.nextGroupRekeyRoute;
    this.nextGroupRekeyRoute = 'auto';
    if (route === 'host') return false;
    return this.caps.gtk_rekey_offload && (a.rekeySm !== null || a.rekeySeed !== null);
  }

  private firmwareHandshake(a: Association, frame: Buffer): void {
    if (a.mode === 'fail') {
      // The firmware gives up on the handshake it was asked to run.
      log.info(`sim: firmware mode fail: abandoning the 4-way handshake with ${a.ap.bssid}`);
      this.dropAssociation();
      this.air(() => this.emit('disconnected', { bssid: a.ap.bssid, reason: Reason.FOURWAY_HANDSHAKE_TIMEOUT, locallyGenerated: true }));
      return;
    }
    const sm = a.fwSm as Supplicant;
    const r = sm.receive(frame);
    this.sendFirmwareTx(a, r);
    if (r.failure) {
      log.info(`sim: firmware handshake failed: ${r.failure.message}`);
      this.dropAssociation();
      this.air(() => this.emit('disconnected', { bssid: a.ap.bssid, reason: r.failure!.reason, locallyGenerated: true }));
      return;
    }
    if (r.event !== '4way-complete') return;
    a.fwHandshakeDone = true;
    a.rekeySm = sm;
    a.rekeySeed = null;
    this.takeMaterial(a, sm);
    log.debug(() => `sim: firmware completed the 4-way handshake, KCK=${secret(a.material!.kck)}`);
    this.portAuthorized = true;
    this.firmwarePmksa(a);
    // Reported once msg 4/4 (sent above, same air delay) has reached the AP.
    this.air(() => {
      if (this.assoc !== a) return;
      const m = a.material as FwMaterial;
      switch (a.mode) {
        case 'late':
          this.emit('port_authorized', { bssid: a.ap.bssid, material: { keyReplayCtr: m.replayCtr, kck: m.kck, kek: m.kek } });
          break;
        case 'late_no_material':
          // The kernel's PORT_AUTHORIZED: no KCK, no KEK, no replay counter.
          this.emit('port_authorized', { bssid: a.ap.bssid });
          break;
        case 'connect':
          // brcmfmac (FWSUP): the connect result once the handshake is done, never a PORT_AUTHORIZED.
          this.reportAssoc(a, false);
          break;
        case 'replay_only':
          this.reportAssoc(a, true, false, { keyReplayCtr: m.replayCtr });
          break;
        default:
          this.reportAssoc(a, true, a.mode === 'complete');
      }
    });
  }

  /** After an offloaded 802.1X handshake the firmware owns a PMKSA the host has not seen. */
  private firmwarePmksa(a: Association): void {
    if (!a.pmk || a.pmkid || akmFamily(a.conn.akm) !== '8021x' || !this.caps.pmksa_offload) return;
    // A multi-link association's PMKSA belongs to the AP MLD.
    const aa = a.ap.cfg.apMldAddr ?? a.ap.bssid;
    const pmkid = pmkidForAkm(a.conn.akm, a.pmk, aa, this.own);
    const entry = { bssid: aa, pmkid, pmk: a.pmk, akm: a.conn.akm, lifetime: 43200, ssid: a.ap.cfg.ssid };
    this.storePmksa(entry);
    this.emit('pmksa_added', { bssid: aa, pmkid, pmk: a.pmk, akm: a.conn.akm, lifetime: entry.lifetime });
  }

  private firmwareGroupRekey(a: Association, frame: Buffer): void {
    const sm = this.rekeySupplicant(a) as Supplicant;
    const r = sm.receive(frame);
    this.sendFirmwareTx(a, r);
    if (r.event === 'group-complete') {
      this.takeMaterial(a, sm);
      const replayCtr = (a.material as FwMaterial).replayCtr;
      this.air(() => this.emit('gtk_rekey', { bssid: a.ap.bssid, replayCtr }));
    } else if (r.dropped || r.failure) {
      // Stale rekey data (the host re-keyed without telling us): the AP will time out.
      log.info(`sim: firmware could not answer a group key message: ${r.dropped ?? r.failure?.message}`);
    }
  }

  private takeMaterial(a: Association, sm: Supplicant): void {
    const m = sm.material();
    if (m) a.material = { kck: m.kck, kek: m.kek, replayCtr: m.replayCounter };
  }

  private sendFirmwareTx(a: Association, r: SupplicantResult): void {
    const spa = this.own;
    for (const f of r.tx) this.air(() => a.ap.receive(spa, f));
  }

  /** The AP deauthenticated us. */
  private apDeauth(ap: SimAp, reason: number): void {
    const a = this.assoc;
    if (!a || a.ap !== ap) return;
    this.dropAssociation();
    this.emit('disconnected', { bssid: ap.bssid, reason, locallyGenerated: false });
  }

  /* ----------------------------------------------------------- key material */

  setKey(p: SetKeyParams): void {
    if (!this.assoc) throw new SimOpError('not associated');
    this.hostKeys.set(p.kind, p);
    log.debug(() => `sim: host installed ${p.kind} key idx ${p.idx} (${p.cipher}) ${secret(p.key)}`);
  }

  setPort(authorized: boolean): void {
    if (!this.assoc) throw new SimOpError('not associated');
    this.portAuthorized = authorized;
  }

  setRekeyData(d: RekeyData): void {
    if (!this.caps.gtk_rekey_offload) throw new SimOpError('GTK rekey offload not supported');
    const a = this.assoc;
    if (!a) throw new SimOpError('not associated');
    if (d.replayCtr.length !== 8) throw new SimOpError('replay_ctr must be 8 bytes');
    // Supplicant.seedMaterial()'s checks, now rather than at the first group message.
    const akm = akmInfo(a.conn.akm);
    if (d.kck.length !== akm.kckLen) throw new SimOpError(`KCK of ${d.kck.length} octets for ${akm.name}`);
    if (d.kek.length !== akm.kekLen) throw new SimOpError(`KEK of ${d.kek.length} octets for ${akm.name}`);
    a.rekeySm = null;
    a.rekeySeed = { ...d, kck: Buffer.from(d.kck), kek: Buffer.from(d.kek), replayCtr: Buffer.from(d.replayCtr) };
    a.material = { kck: d.kck, kek: d.kek, replayCtr: d.replayCtr };
  }

  /** The Supplicant the firmware answers group rekeys with, built from pushed rekey data on first use. */
  private rekeySupplicant(a: Association): Supplicant | null {
    const d = a.rekeySeed;
    if (d) {
      const sm = this.newSupplicant(a, a.pmk ?? Buffer.alloc(32));
      sm.seedMaterial({ kck: d.kck, kek: d.kek, replayCounter: d.replayCtr });
      a.rekeySm = sm;
      a.rekeySeed = null;
    }
    return a.rekeySm;
  }

  setPmksa(p: PmksaParams): void {
    const entry: PmksaParams = {
      bssid: p.bssid.toLowerCase(),
      pmkid: p.pmkid,
      // Without pmksa_offload the firmware keeps PMKIDs only.
      pmk: this.caps.pmksa_offload ? p.pmk : undefined,
      akm: p.akm,
      lifetime: p.lifetime,
      reauthThreshold: p.reauthThreshold,
      ssid: p.ssid ?? this.ap(p.bssid)?.cfg.ssid,
    };
    this.storePmksa(entry);
  }

  private storePmksa(entry: PmksaParams): void {
    const i = this.pmksa.findIndex((e) => e.bssid === entry.bssid);
    if (i >= 0) {
      this.pmksa[i] = entry;
      return;
    }
    if (this.pmksa.length >= this.caps.max_pmksa) throw new SimOpError(`PMKSA table full (${this.caps.max_pmksa} entries)`);
    this.pmksa.push(entry);
  }

  delPmksa(bssid: string, pmkid: Buffer): void {
    const i = this.pmksa.findIndex((e) => e.bssid === bssid.toLowerCase() && e.pmkid.equals(pmkid));
    if (i < 0) throw new SimOpError('no such PMKSA entry');
    this.pmksa.splice(i, 1);
  }

  /** del_pmksa by SSID (SAE/OWE offload): every entry of that SSID, known or not to the host. */
  delPmksaBySsid(ssid: Buffer): void {
    this.pmksa = this.pmksa.filter((e) => !(e.ssid ?? this.ap(e.bssid)?.cfg.ssid)?.equals(ssid));
  }

  flushPmksa(): void {
    this.pmksa = [];
  }

  /* ------------------------------------------------------- suspend/resume */

  suspend(p: SuspendParams): void {
    this.suspended = { wowlanTriggers: p.wowlanTriggers, held: [] };
    log.info(`sim: host suspended (wowlan_triggers: ${p.wowlanTriggers || 'none'})`);
  }

  /** RESUME: the host hears what the firmware did while it slept (group rekeys, roams), in order. */
  resume(): void {
    const s = this.suspended;
    if (!s) return;
    this.suspended = null;
    for (const [name, args] of s.held) (this.emit as (n: string, ...a: unknown[]) => void)(name, ...args);
  }

  /**
   * SIM_WAKE <reason>: the firmware wakes the host, then what caused it
   * happens as the host can see it: the AP's next group key message after
   * the firmware failed one, the AP's new 4-way handshake, the AP's deauth.
   */
  wake(reason: WakeReason): string {
    if (!this.suspended) return 'FAIL host not suspended';
    const triggers = this.suspended.wowlanTriggers.split(/\s+/);
    if (!triggers.includes(reason) && !triggers.includes('any')) return `FAIL ${reason} is not a configured wowlan trigger`;
    this.lastWake = reason;
    const held = this.suspended.held;
    held.unshift(['wake', [{ reason }]]);
    this.resume();
    if (reason === 'gtk_rekey_failure') return this.groupRekey('host');
    if (reason === 'four_way_handshake') return this.ptkRekey();
    if (reason === 'disconnect') return this.apDeauthNow() ? 'OK' : 'FAIL not associated';
    return 'OK';
  }

  syncState(): FirmwareSyncState {
    // nl80211 cannot read the firmware's PMKSA table or PTK material back.
    if (this.caps.sync_state === false) throw new SimOpError('sync_state not supported by this driver');
    const m = this.assoc?.material;
    return {
      replayCtr: m ? m.replayCtr : null,
      kckFp: m ? fingerprint(m.kck) : null,
      kekFp: m ? fingerprint(m.kek) : null,
      pmkids: this.pmksa.map((e) => ({ bssid: e.bssid, pmkid: e.pmkid })),
    };
  }

  /* --------------------------------------------------- environment control */

  setSignal(bssid: string, dbm: number): boolean {
    const ap = this.ap(bssid);
    if (!ap) return false;
    ap.signal = dbm;
    const a = this.assoc;
    if (a && a.ap === ap) {
      this.emit('signal', { bssid: ap.bssid, signal: dbm });
      this.maybeFirmwareRoam(a);
    }
    return true;
  }

  setApUp(bssid: string, up: boolean): boolean {
    const ap = this.ap(bssid);
    if (!ap) return false;
    ap.up = up;
    // A restarted AP remembers no SAE exchange and no PMKSA.
    if (!up) ap.forgetSae();
    const a = this.assoc;
    if (!up && a && a.ap === ap) {
      // Beacon loss: a roaming firmware moves on, others report the link lost.
      if (!this.firmwareRoamTarget(a)) {
        this.dropAssociation();
        // As mac80211 on the kernel radio: its beacon-loss CQM event, then the disconnect.
        this.air(() => {
          this.emit('beacon_loss');
          this.emit('disconnected', { bssid: ap.bssid, reason: REASON_INACTIVITY, locallyGenerated: true });
        });
      } else {
        this.maybeFirmwareRoam(a);
      }
    }
    return true;
  }

  private firmwareRoamTarget(a: Association): SimAp | undefined {
    if (!this.caps.key_mgmt_offload) return undefined;
    const cur = a.ap.up ? a.ap.signal : -Infinity;
    if (a.ap.up && cur >= this.scenario.firmware.roamThreshold) return undefined;
    const best = this.aps
      .filter((x) => x !== a.ap && x.up && x.cfg.ssid.equals(a.ap.cfg.ssid) && (x.cfg.akms as readonly string[]).includes(a.conn.akm))
      .filter((x) => x.signal >= cur + this.scenario.firmware.roamDelta && this.roamKey(a, x, true))
      .sort((x, y) => y.signal - x.signal)[0];
    return best;
  }

  private maybeFirmwareRoam(a: Association): void {
    const t = this.firmwareRoamTarget(a);
    if (!t) return;
    log.info(`sim: firmware roams from ${a.ap.bssid} (${a.ap.signal} dBm) to ${t.bssid} (${t.signal} dBm)`);
    this.reassociate(a, t, true);
  }

  /** SIM_DEAUTH: the AP deauthenticates the station. */
  apDeauthNow(reason: number = Reason.PREV_AUTH_NOT_VALID): boolean {
    const a = this.assoc;
    if (!a) return false;
    a.ap.disassociate();
    this.air(() => this.apDeauth(a.ap, reason));
    return true;
  }

  /**
   * SIM_GTK_REKEY / SIM_PTK_REKEY. The AP starts one air delay later, so
   * frames already in flight (a msg 4/4 the host just sent) arrive first.
   */
  groupRekey(route: 'auto' | 'host' | 'fw'): string {
    const a = this.assoc;
    if (!a || !a.ap.rsn) return 'FAIL not associated';
    if (route === 'fw' && !(this.caps.gtk_rekey_offload && (a.rekeySm || a.rekeySeed))) return 'FAIL firmware holds no rekey data';
    this.nextGroupRekeyRoute = route;
    this.air(() => {
      if (this.assoc === a && !a.ap.startGroupRekey()) log.warning(`sim: AP ${a.ap.bssid}: no completed 4-way handshake, group rekey not started`);
    });
    return 'OK';
  }

  ptkRekey(): string {
    const a = this.assoc;
    if (!a || !a.ap.rsn) return 'FAIL not associated';
    this.air(() => {
      if (this.assoc === a) a.ap.startPtkRekey();
    });
    return 'OK';
  }

  setMode(mode: FirmwareMode): void {
    this.mode = mode;
  }

  setRestartAt(point: RestartPoint | undefined): void {
    this.restartAt = point;
  }

  /** Fires a pending `restart_at` once at its point. */
  private restartPoint(point: RestartPoint): boolean {
    if (this.restartAt !== point) return false;
    log.info(`sim: firmware restart at ${point}`);
    this.firmwareRestart();
    return true;
  }

  /** The firmware loses everything: association, keys, PMKSA table, rekey data. */
  firmwareRestart(): void {
    this.restartAt = undefined;
    this.dropAssociation();
    this.pmksa = [];
    this.scanning = false;
    this.air(() => this.emit('firmware_restarted'));
  }

  private keyCheck(kind: string, apKey: Buffer | undefined): string {
    const k = this.hostKeys.get(kind);
    if (!k) return '';
    return apKey && k.key.equals(apKey) ? '1' : '0';
  }

  /** A summary for SIM_STATUS (tests and people at a wpa_cli prompt). */
  status(): string {
    const a = this.assoc;
    const lines = [
      `mode=${this.mode}`,
      `restart_at=${this.restartAt ?? ''}`,
      `bssid=${a?.ap.bssid ?? ''}`,
      `port_authorized=${this.portAuthorized ? 1 : 0}`,
      `fw_handshake=${a?.fwHandshakeDone ? 1 : 0}`,
      // 1/0: the key the host installed is/is not the AP's; empty: none installed.
      `host_tk_ok=${this.keyCheck('pairwise', a?.ap.tk)}`,
      `host_gtk_ok=${this.keyCheck('group', a?.ap.gtkKey)}`,
      `pmksa_entries=${this.pmksa.length}`,
      // The 802.1X PMKSA the AP holds for us (1/0; empty: not an 802.1X association or not associated).
      `ap_pmksa=${a && akmFamily(a.conn.akm) === '8021x' ? (a.ap.dot1xPmksa(this.own, a.conn.akm) ? 1 : 0) : ''}`,
      // What all APs saw: EAPOL-Starts, EAP-Request/Identity sent, "more than three restarts" disconnects.
      `ap_eapol_starts=${this.aps.reduce((n, x) => n + x.counters.eapolStarts, 0)}`,
      `ap_eap_requests=${this.aps.reduce((n, x) => n + x.counters.eapRequests, 0)}`,
      `ap_restart_limit=${this.aps.reduce((n, x) => n + x.counters.restartLimit, 0)}`,
      // SAE exchanges the firmware ran (sae_offload): a roam with a cached PMKSA runs none.
      `fw_sae_runs=${this.fwSaeRuns}`,
      // Anti-clogging token requests (status 76) the APs sent.
      `sae_token_requests=${this.aps.reduce((n, ap) => n + ap.tokenRequests, 0)}`,
      // FT reassociations (after FT Authentication) the APs accepted: roams with no 4-way handshake.
      `ap_ft_roams=${this.aps.reduce((n, ap) => n + ap.ftRoams, 0)}`,
      // aa/lifetime/reauth_threshold of each entry, as the host pushed them.
      `pmksa=${this.pmksa.map((e) => `${e.bssid}/${e.lifetime}/${e.reauthThreshold ?? ''}`).join(' ')}`,
      `suspended=${this.suspended ? 1 : 0}`,
      `wowlan_triggers=${this.suspended?.wowlanTriggers ?? ''}`,
      `last_wake=${this.lastWake}`,
      `uptime_ms=${this.clock.now() - this.startedAt}`,
    ];
    return lines.join('\n');
  }
}
