/**
 * Key ownership for one association (ARCHITECTURE.md, "Key owner").
 *
 * Exactly one side runs the EAPOL-Key exchanges of an association at a time:
 * the firmware (it completed the 4-way handshake itself) or the host (it runs
 * the rsn Supplicant). Whoever it is, the host keeps the PTK material (KCK,
 * KEK, replay counter) current, so it can answer the next group key message,
 * and pushes it down to a firmware that re-keys while the host sleeps.
 *
 * This class decides, never does I/O itself: it is given the driver
 * operations it may call and the station callbacks through `KeyOwnerHooks`.
 */
import { createHash } from 'node:crypto';
import type { FirmwareMaterial, SetKeyParams } from '../driver/backend.js';
import * as log from '../log.js';
import { secret } from '../log.js';
import { Reason, Supplicant, type SupplicantResult } from '../rsn/supplicant.js';
import { buildEapolStart, classifyEapol } from '../rsn/eapol.js';
import { ptkKeyLengths } from '../rsn/akm.js';
import { takeBackMeans } from './take-back.js';
import type { FtAssoc } from '../rsn/ft.js';
import type { FtRoamResult } from '../rsn/ft-protocol.js';
import type { SecurityChoice } from '../rsn/security.js';

export type KeyOwner = 'none' | 'firmware' | 'host';

/** How the last 4-way handshake of this association completed (OFFLOAD_STATUS, the key-owner event). */
export type Completion =
  | 'pending'
  | 'firmware-at-assoc'
  | 'firmware-late'
  | 'firmware-no-material'
  | 'host-after-firmware-silence'
  | 'host-reclaimed'
  | 'host-only'
  /** FT over the air: the keys came with the Reassociation Response, no 4-way handshake ran. */
  | 'host-ft';

export interface AssociationParams {
  bssid: string;
  ownAddress: string;
  sec: SecurityChoice;
  /**
   * Undefined: the firmware ran SAE and reported no PMKSA (nl80211's
   * SAE_OFFLOAD_STA): only the firmware can run this association's 4-way
   * handshake; the host can take it back only by reassociating.
   */
  pmk?: Buffer;
  pmkid?: Buffer;
  ownRsne: Buffer;
  /** The host asked the firmware to run the 4-way handshake (PMK went down with connect). */
  offloadRequested: boolean;
  /** Why it did not (the key-owner event's reason when the host runs the handshake from the start). */
  hostOnlyReason: string;
  /** The firmware accepts set_rekey_data. */
  gtkRekeyOffload: boolean;
  /**
   * The driver said (hello `completion: connect`) that its `assoc` comes only
   * after its own handshake is done, and no `port_authorized` follows.
   */
  completesAtConnect?: boolean;
}

export interface KeyOwnerHooks {
  txEapol(dst: string, frame: Buffer): void;
  setKey(params: SetKeyParams): void;
  setPort(authorized: boolean): void;
  setRekeyData(kck: Buffer, kek: Buffer, replayCtr: Buffer): void;
  /** wpa_state moves the station must show. */
  handshakeState(state: '4WAY_HANDSHAKE' | 'GROUP_HANDSHAKE'): void;
  /** First completion of this association (or of a roam). */
  completed(owner: KeyOwner, how: Completion): void;
  /** A later 4-way handshake run by the host finished (PTK rekey, keys taken back): COMPLETED again, no new connection. */
  rekeyed(): void;
  /** A group key handshake finished after completion. */
  groupRekeyed(owner: KeyOwner): void;
  /** The exchange cannot complete: the station disconnects with this reason. */
  failed(reason: number, message: string, wrongKey: boolean): void;
  /**
   * The host takes the handshake back by reassociating with offload off
   * (offering the cached PMKID): for AKMs where EAPOL-Start would harm the
   * association (FT: the AP ignores it; 802.1X and SAE: the AP drops its
   * PMKSA and asks for EAP the host cannot run).
   */
  reassociate(message: string): void;
  /** Owner or reason changed (the key-owner event). */
  ownerChanged(owner: KeyOwner, how: Completion, why: string): void;
}

export interface KeyOwnerTimers {
  /** How long to wait for the firmware after an unauthorized `assoc` (ms). */
  offloadWaitMs: number;
  /** wpa_supplicant's authentication timeout after association (ms). */
  authTimeoutMs: number;
}

/** A firmware report that was refused, for the log and the tests. */
export class FirmwareInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirmwareInputError';
  }
}

/**
 * The checks on firmware-reported PTK material, field by field: KCK and KEK
 * of the lengths the AKM and the PMK length give (one table, src/rsn/akm.ts),
 * an 8-octet replay counter that does not go backwards.
 */
export function checkFirmwareMaterial(akm: string, pmkLen: number | undefined, m: FirmwareMaterial, replayCounter: Buffer | null): void {
  const want = ptkKeyLengths(akm, pmkLen);
  const withPmk = pmkLen === undefined ? '' : ` with a ${pmkLen}-byte PMK`;
  if (m.kck && m.kck.length !== want.kck) throw new FirmwareInputError(`KCK of ${m.kck.length} bytes for ${akm}${withPmk}`);
  if (m.kek && m.kek.length !== want.kek) throw new FirmwareInputError(`KEK of ${m.kek.length} bytes for ${akm}${withPmk}`);
  const ctr = m.keyReplayCtr;
  if (!ctr) return;
  if (ctr.length !== 8) throw new FirmwareInputError(`replay counter of ${ctr.length} bytes`);
  if (replayCounter && Buffer.compare(ctr, replayCounter) < 0) throw new FirmwareInputError(`replay counter ${ctr.toString('hex')} is behind ${replayCounter.toString('hex')}`);
}

/** First 8 hex digits of SHA-256: the fingerprint driver-protocol.md uses for keys. */
export function keyFingerprint(key: Buffer | null | undefined): string | null {
  return key ? createHash('sha256').update(key).digest('hex').slice(0, 8) : null;
}

export class AssociationKeys {
  owner: KeyOwner = 'none';
  how: Completion = 'pending';
  private completedOnce = false;
  private readonly sm: Supplicant;
  /**
   * One timer for the association's two deadlines, both counted from
   * `assoc`: the offload wait (while the firmware was asked to run the
   * handshake), then the authentication timeout. One, not one per deadline:
   * the host taking the handshake over (msg 1/4 during the offload wait)
   * touches no timer (the offload wait, if it comes, finds the host the
   * owner), and a completion clears the one timer, as without offload.
   */
  private deadline: NodeJS.Timeout | undefined;
  /** clearTimers() ran: the end of the offload wait does not start the authentication timeout again. */
  private timersCleared = false;
  /** Completion was reported without KCK/KEK: group messages cannot be answered. */
  private materialMissing = false;
  private eapolStartSent = false;

  constructor(
    readonly params: AssociationParams,
    private readonly hooks: KeyOwnerHooks,
    private readonly timers: KeyOwnerTimers,
  ) {
    this.sm = new Supplicant({
      akm: params.sec.akm,
      pairwise: params.sec.pairwise,
      group: params.sec.group,
      groupMgmt: params.sec.groupMgmt,
      mfp: params.sec.mfp,
      pmk: params.pmk,
      pmkid: params.pmkid,
      aa: params.bssid,
      spa: params.ownAddress,
      ownRsne: params.ownRsne,
      apRsne: params.sec.apRsne,
    });
  }

  get bssid(): string {
    return this.params.bssid;
  }

  /** The host sent its one EAPOL-Start on this association. */
  get sentEapolStart(): boolean {
    return this.eapolStartSent;
  }

  /** FT: what the (Re)Association Response gave the key hierarchy. */
  setFt(ft: FtAssoc): void {
    this.sm.setFt(ft);
  }

  /**
   * FT over the air (802.11-2020 13.8): the Reassociation Response gave the
   * PTK, GTK and IGTK, checked by its MIC; no 4-way handshake runs (2.10's
   * wpa_ft_install_ptk() and the FTE's key subelements, then COMPLETED with
   * "WPA: Key negotiation completed" as after a 4-way handshake). The
   * host holds KCK and KEK for the group key handshakes to come; the replay
   * counter starts over, as the AP's does for the new association.
   */
  ftCompleted(r: FtRoamResult): void {
    this.sm.setFt(r.ft);
    this.sm.seedMaterial({ kck: r.ptk.kck, kek: r.ptk.kek, replayCounter: Buffer.alloc(8) });
    for (const k of r.install) {
      this.hooks.setKey({ kind: k.kind, idx: k.idx, cipher: k.cipher, key: k.key, rsc: k.rsc, addr: k.kind === 'pairwise' ? this.params.bssid : 'ff:ff:ff:ff:ff:ff' });
    }
    this.hooks.setPort(true);
    this.setOwner('host', 'host-ft', 'FT: keys from the Reassociation Response');
    this.pushRekeyData();
    this.completeOnce();
  }

  /** The PTK material the host holds now (null before any handshake). */
  material(): { kck: Buffer; kek: Buffer; replayCounter: Buffer } | null {
    return this.sm.material();
  }

  /** The association completed once (later 4-way handshakes are rekeys). */
  get completed(): boolean {
    return this.completedOnce;
  }

  /** The replay counter the host would check the next EAPOL-Key frame against; kept even when the firmware reported no KCK/KEK. */
  replayCounter(): Buffer | null {
    return this.sm.replayCounter();
  }

  /** Association done. `ev.authorized` tells whether the firmware already ran the 4-way handshake. */
  onAssoc(authorized: boolean, material: FirmwareMaterial | undefined): void {
    const firmwareDone = authorized || (this.params.offloadRequested && this.params.completesAtConnect);
    this.startTimers(this.params.offloadRequested && !firmwareDone);
    if (firmwareDone) {
      this.firmwareCompleted(material, 'firmware-at-assoc');
      return;
    }
    if (this.params.offloadRequested) return;
    this.setOwner('host', 'host-only', this.params.hostOnlyReason);
  }

  /** `port_authorized` after an unauthorized `assoc`. */
  onPortAuthorized(bssid: string, material: FirmwareMaterial | undefined): void {
    if (bssid !== this.params.bssid) throw new FirmwareInputError(`port_authorized for ${bssid}, not the current BSS ${this.params.bssid}`);
    if (this.owner === 'host') throw new FirmwareInputError('port_authorized after the host took the handshake over');
    this.firmwareCompleted(material, 'firmware-late');
  }

  /**
   * The firmware completed the 4-way handshake. What it reported of KCK, KEK
   * and replay counter is adopted where present and valid (the kernel's
   * PORT_AUTHORIZED carries none of them; a vendor roam event any subset);
   * a report that is wrong is refused whole (FirmwareInputError) first.
   */
  private firmwareCompleted(material: FirmwareMaterial | undefined, how: Completion): void {
    if (material) this.checkMaterial(material);
    const adopted = material ? this.adopt(material) : false;
    if (!adopted) {
      this.materialMissing = true;
      how = 'firmware-no-material';
    }
    this.clearDeadline();
    this.setOwner('firmware', how, adopted ? 'firmware completed the 4-way handshake' : 'firmware completed the 4-way handshake without reporting KCK/KEK');
    this.completeOnce();
  }

  /** Takes what the report holds; true when the host now has KCK and KEK (it can verify group messages). */
  private adopt(m: FirmwareMaterial): boolean {
    if (m.kck && m.kek) {
      const replayCounter = m.keyReplayCtr ?? this.sm.replayCounter() ?? Buffer.alloc(8);
      this.sm.seedMaterial({ kck: m.kck, kek: m.kek, replayCounter });
      log.debug(() => `OFFLOAD: firmware material adopted replay_ctr=${replayCounter.toString('hex')} KCK=${secret(m.kck as Buffer)} KEK=${secret(m.kek as Buffer)}`);
      return true;
    }
    if (m.kck || m.kek) log.info(`OFFLOAD: firmware reported ${m.kck ? 'a KCK without a KEK' : 'a KEK without a KCK'}; not usable alone, not adopted`);
    if (m.keyReplayCtr) {
      this.sm.advanceReplayCounter(m.keyReplayCtr);
      log.debug(() => `OFFLOAD: firmware replay counter adopted: ${m.keyReplayCtr?.toString('hex')}`);
    }
    return false;
  }

  /** Throws FirmwareInputError when a field the firmware reported cannot belong to this association. */
  checkMaterial(m: FirmwareMaterial): void {
    // No PMK known: the AKM's first PMK length (SAE's group 19) sizes KCK and KEK.
    checkFirmwareMaterial(this.params.sec.akm, this.params.pmk?.length, m, this.sm.replayCounter());
  }

  /** The firmware ran a group key handshake itself. */
  onFirmwareGtkRekey(bssid: string, replayCtr: Buffer): void {
    if (bssid !== this.params.bssid) throw new FirmwareInputError(`gtk_rekey for ${bssid}, not the current BSS ${this.params.bssid}`);
    if (replayCtr.length !== 8) throw new FirmwareInputError(`replay counter of ${replayCtr.length} bytes`);
    if (!this.sm.advanceReplayCounter(replayCtr)) throw new FirmwareInputError(`replay counter ${replayCtr.toString('hex')} goes backwards`);
  }

  /** An EAPOL frame the firmware did not consume. */
  onEapol(src: string, frame: Buffer): void {
    const kind = classifyEapol(frame);
    if (kind === 'pairwise-1' && !this.params.pmk) {
      // The firmware kept SAE's PMK: the host cannot answer msg 1/4 and takes
      // the association back the only way left, reassociating with SAE on the host.
      const why = 'EAPOL-Key msg 1/4 reached the host, which holds no PMK (the firmware reported no PMKSA); reassociating with the handshake on the host';
      this.setOwner('host', this.owner === 'firmware' ? 'host-reclaimed' : 'host-after-firmware-silence', why);
      this.clearTimers();
      this.hooks.reassociate(why);
      return;
    }
    if (kind === 'pairwise-1' && this.owner !== 'host') {
      // Whatever we expected, a msg 1/4 reaching the host means the firmware
      // is not running this handshake: take it over with the PMK we hold.
      const why = this.owner === 'firmware'
        ? (this.materialMissing ? 'host restarted the 4-way handshake to reclaim keys' : 'AP started a PTK rekey that reached the host')
        : 'firmware forwarded EAPOL-Key msg 1/4 instead of completing';
      this.setOwner('host', this.owner === 'firmware' ? 'host-reclaimed' : 'host-after-firmware-silence', why);
      this.materialMissing = false;
    } else if (kind === 'group-1' && this.materialMissing) {
      // Completion came without KCK/KEK (nl80211 PORT_AUTHORIZED style): we
      // cannot verify this frame, so it is never answered. Where EAPOL-Start
      // is safe (PSK, not FT) the AP is asked once for a fresh 4-way
      // handshake that the host will own; otherwise the frame is dropped.
      if (this.eapolStartIsSafe() && !this.eapolStartSent) {
        log.info('OFFLOAD: group key message without PTK material; requesting a new 4-way handshake');
        this.sendEapolStart();
      } else {
        log.info('OFFLOAD: group key message without PTK material dropped (the firmware owns group rekeys)');
      }
      return;
    }
    if (src !== this.params.bssid) log.debug(`EAPOL from ${src}, associated with ${this.params.bssid}`);
    this.apply(this.sm.receive(frame));
  }

  private apply(r: SupplicantResult): void {
    if (r.dropped) log.info(`WPA: dropped EAPOL-Key frame: ${r.dropped}`);
    if (r.ftTimeouts?.reassocDeadline !== undefined) log.debug(`WPA: Reassoc Deadline in EAPOL-Key: ${r.ftTimeouts.reassocDeadline} TU`);
    if (r.ftTimeouts?.keyLifetime !== undefined) log.debug(`WPA: KeyLifetime in EAPOL-Key: ${r.ftTimeouts.keyLifetime} s`);
    if (r.event === '4way-started') this.hooks.handshakeState('4WAY_HANDSHAKE');
    // Frames before keys, as wpa_supplicant sends 4/4 and then installs the
    // PTK: a driver that encrypts EAPOL once a pairwise key is in place
    // (mac80211's control port) would otherwise send 4/4 under a key the AP
    // does not have yet, and a PTK rekey's 4/4 under the new key.
    // Indexed loops: this runs for every EAPOL-Key frame, mostly in V8's
    // unoptimised tiers, where for-of steps an iterator object per element.
    for (let i = 0; i < r.tx.length; i++) this.hooks.txEapol(this.params.bssid, r.tx[i]!);
    for (let i = 0; i < r.install.length; i++) {
      const k = r.install[i]!;
      this.hooks.setKey({ kind: k.kind, idx: k.idx, cipher: k.cipher, key: k.key, rsc: k.rsc, addr: k.kind === 'pairwise' ? this.params.bssid : 'ff:ff:ff:ff:ff:ff' });
    }
    if (r.failure) {
      this.clearTimers();
      const wrongKey = r.failure.reason === Reason.FOURWAY_HANDSHAKE_TIMEOUT || r.failure.reason === Reason.MICHAEL_MIC_FAILURE;
      this.hooks.failed(r.failure.reason, r.failure.message, wrongKey);
      return;
    }
    if (r.event === '4way-complete' || r.event === 'ptk-rekeyed') {
      this.clearDeadline();
      if (this.owner !== 'host') this.setOwner('host', 'host-only', 'host ran the 4-way handshake');
      this.hooks.setPort(true);
      this.pushRekeyData();
      if (this.completedOnce) this.hooks.rekeyed();
      else this.completeOnce();
    } else if (r.event === 'group-complete') {
      this.pushRekeyData();
      if (this.completedOnce) {
        // wpa_supplicant_process_1_of_2() passes through GROUP_HANDSHAKE on its way back to COMPLETED.
        this.hooks.handshakeState('GROUP_HANDSHAKE');
        this.hooks.groupRekeyed(this.owner);
      } else {
        this.completeOnce();
      }
    }
  }

  private completeOnce(): void {
    if (this.completedOnce) return;
    this.completedOnce = true;
    this.hooks.completed(this.owner, this.how);
  }

  /** Host to firmware: the firmware can run the next GTK rekey with what the host holds. */
  private pushRekeyData(): void {
    if (!this.params.gtkRekeyOffload) return;
    const m = this.sm.material();
    if (m) this.hooks.setRekeyData(m.kck, m.kek, m.replayCounter);
  }

  /**
   * The firmware said nothing within the offload wait: the host takes the
   * handshake back by the means that works for the AKM, and never sends
   * EAPOL-Start twice (hostapd disconnects after more than three restarts).
   */
  private firmwareSilent(): void {
    if (this.owner !== 'none') return;
    if (this.eapolStartIsSafe() && !this.eapolStartSent) {
      this.setOwner('host', 'host-after-firmware-silence', `no completion from the firmware within ${this.timers.offloadWaitMs} ms; sent EAPOL-Start`);
      this.sendEapolStart();
      return;
    }
    const why = `no completion from the firmware within ${this.timers.offloadWaitMs} ms; reassociating with the handshake on the host`;
    this.setOwner('host', 'host-after-firmware-silence', why);
    this.clearTimers();
    this.hooks.reassociate(why);
  }

  /** EAPOL-Start restarts the 4-way handshake harmlessly only for a PSK AKM without FT (take-back.ts). */
  private eapolStartIsSafe(): boolean {
    return takeBackMeans(this.params.sec.akm) === 'eapol-start';
  }

  private sendEapolStart(): void {
    this.eapolStartSent = true;
    this.hooks.txEapol(this.params.bssid, buildEapolStart());
  }

  private setOwner(owner: KeyOwner, how: Completion, why: string): void {
    this.owner = owner;
    this.how = how;
    this.hooks.ownerChanged(owner, how, why);
  }

  /** From `assoc`: the offload wait first when `offloadWait` (and it ends before the authentication timeout), else the authentication timeout. */
  private startTimers(offloadWait: boolean): void {
    this.clearDeadline();
    this.timersCleared = false;
    const { offloadWaitMs, authTimeoutMs } = this.timers;
    if (offloadWait && offloadWaitMs < authTimeoutMs) this.deadline = setTimeout(() => this.offloadWaitOver(), offloadWaitMs);
    else this.deadline = setTimeout(() => this.authTimedOut(), authTimeoutMs);
  }

  /** The offload wait ran out: take the handshake back if nobody has it yet; the authentication timeout goes on from `assoc`. */
  private offloadWaitOver(): void {
    this.deadline = undefined;
    this.firmwareSilent();
    if (this.timersCleared || this.completedOnce) return;
    this.deadline = setTimeout(() => this.authTimedOut(), this.timers.authTimeoutMs - this.timers.offloadWaitMs);
  }

  private authTimedOut(): void {
    this.deadline = undefined;
    if (this.completedOnce) return;
    this.clearTimers();
    this.hooks.failed(Reason.FOURWAY_HANDSHAKE_TIMEOUT, 'Authentication with the AP timed out', false);
  }

  private clearDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  clearTimers(): void {
    this.clearDeadline();
    this.timersCleared = true;
  }
}
