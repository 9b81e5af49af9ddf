/**
 * The station side of SAE (IEEE 802.11-2020 12.4.8, wpa_supplicant 2.10's
 * sme_sae_auth()): a pure object fed with received Authentication frames and
 * timer expiries, answering with actions (send a frame, arm or cancel the
 * timer, PMK ready, failure with a status code). The caller owns the radio
 * and the clock.
 *
 * What it does as wpa_supplicant 2.10 does:
 * - the password is sae_password, else the psk passphrase;
 * - hunting-and-pecking with sae_pwe=0, hash-to-element with sae_pwe=1, and
 *   with sae_pwe=2 H2E exactly when the AP advertises it (RSNXE); a
 *   sae_password_id always means H2E;
 * - groups are tried in sae_groups order; status 77 moves to the next one
 *   (and, with H2E, the refused groups go into the Rejected Groups element
 *   and salt the keys);
 * - status 76 resends the commit with the AP's anti-clogging token;
 * - status 123 ends the exchange (the caller reports
 *   CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER); any other failure status too;
 * - a reflected commit is dropped silently; a commit received while waiting
 *   for the AP's confirm is ignored.
 *
 * Where it differs on purpose: wpa_supplicant leaves Authentication frame
 * retransmission to the kernel (mac80211) under its 5 s SME auth timeout.
 * Our driver backends have no such layer, so this machine retransmits itself,
 * as 12.4.8.6 describes: every dot11RSNASAERetransPeriod (1000 ms, the
 * default wpa_supplicant gives that MIB variable) and at most
 * dot11RSNASAESync (5, hostapd's sae_sync) times, which stays inside those
 * 5 s. A confirm that arrives before the AP's commit is ignored (2.10 fails
 * the attempt), so that a reordered pair of frames does not cost a connection.
 */
import { macBytes, type MacAddress } from '../crypto.js';
import { SAE_AKMS, type RandomSource } from './core.js';
import { decodeSaeAuth, parseCommit, parseTokenRequest } from './frames.js';
import { SaeStatus } from './status.js';
import { DEFAULT_SAE_GROUPS, saeGroup, type SaeGroup, type SaePoint } from './group.js';
import { passwordElement } from './pwe.js';
import { SAE_MAX_SYNC, SAE_RETRANS_PERIOD_MS, SaeConfigError, SaeSession, type SaeAction, type SaePwe, type SaeState } from './session.js';

export interface SaeStationConfig {
  ownAddr: MacAddress;
  bssid: MacAddress;
  ssid: string | Buffer;
  /** The network's sae_password; wins over `passphrase`. */
  saePassword?: string;
  /** The network's psk passphrase (used when there is no sae_password). */
  passphrase?: string;
  /** sae_password_id. */
  passwordId?: string;
  /** sae_groups; unset or empty: 19 20 21. Groups this library does not run are skipped, as wpa_supplicant skips them. */
  saeGroups?: readonly number[];
  /** sae_pwe (global in wpa_supplicant.conf); default 0. */
  saePwe?: SaePwe;
  /** Whether the AP's RSNXE has the SAE hash-to-element bit. */
  apH2e: boolean;
  /** AKM suite type: 8 SAE (default), 9 FT-SAE, 24 SAE-EXT-KEY, 25 FT-SAE-EXT-KEY. */
  akm?: number;
  retransPeriodMs?: number;
  maxSync?: number;
  random?: RandomSource;
}

export class SaeStation {
  readonly h2e: boolean;
  private readonly own: Buffer;
  private readonly bssid: Buffer;
  private readonly ssid: Buffer;
  private readonly password: Buffer;
  private readonly passwordId?: Buffer;
  private readonly groups: SaeGroup[];
  private readonly akm: number;
  private readonly retransMs: number;
  private readonly maxSync: number;
  private readonly random?: RandomSource;
  private groupIndex = 0;
  private readonly rejectedGroups: number[] = [];
  private session?: SaeSession;
  private token?: Buffer;
  private sync = 0;
  private _state: SaeState = 'nothing';

  constructor(cfg: SaeStationConfig) {
    const password = cfg.saePassword ?? cfg.passphrase;
    if (password === undefined || password === '') throw new SaeConfigError('SAE: no sae_password or psk passphrase for this network');
    this.password = Buffer.from(password, 'utf8');
    this.passwordId = cfg.passwordId !== undefined ? Buffer.from(cfg.passwordId, 'utf8') : undefined;
    this.own = macBytes(cfg.ownAddr);
    this.bssid = macBytes(cfg.bssid);
    this.ssid = Buffer.isBuffer(cfg.ssid) ? cfg.ssid : Buffer.from(cfg.ssid, 'utf8');
    const wanted = cfg.saeGroups?.length ? cfg.saeGroups : DEFAULT_SAE_GROUPS;
    this.groups = wanted.map((id) => saeGroup(id)).filter((g): g is SaeGroup => g !== undefined);
    if (!this.groups.length) throw new SaeConfigError(`SAE: none of sae_groups ${wanted.join(' ')} is supported`);
    const pwe = cfg.saePwe ?? 0;
    this.h2e = pwe === 1 || (pwe === 2 && cfg.apH2e) || this.passwordId !== undefined;
    if (this.h2e && !cfg.apH2e) {
      throw new SaeConfigError(`SAE: hash-to-element required (${this.passwordId ? 'sae_password_id' : 'sae_pwe=1'}) but the AP does not advertise it`);
    }
    this.akm = cfg.akm ?? 8;
    if (!SAE_AKMS.has(this.akm)) throw new SaeConfigError(`SAE: AKM ${this.akm} is not an SAE AKM`);
    this.retransMs = cfg.retransPeriodMs ?? SAE_RETRANS_PERIOD_MS;
    this.maxSync = cfg.maxSync ?? SAE_MAX_SYNC;
    this.random = cfg.random;
  }

  get state(): SaeState {
    return this._state;
  }

  /** Send the first commit (group: the first of sae_groups). */
  start(): SaeAction[] {
    this.groupIndex = 0;
    this.rejectedGroups.length = 0;
    return this.commitToGroup();
  }

  receive(frame: Buffer): SaeAction[] {
    if (this._state === 'nothing' || this._state === 'failed') return [];
    const auth = decodeSaeAuth(frame);
    if (!auth) return [];
    // Once accepted only the AP's repeated confirm matters (wpa_supplicant has
    // left the authenticating state and ignores Authentication frames).
    if (this._state === 'accepted') return auth.transaction === 2 && auth.status === SaeStatus.SUCCESS ? this.onConfirm(auth.status, auth.body) : [];
    if (auth.transaction === 1) return this.onCommit(auth.status, auth.body);
    if (auth.transaction === 2) return this.onConfirm(auth.status, auth.body);
    return [];
  }

  /** The timer armed by the last 'timer' action fired: retransmit, or give up after maxSync. */
  timeout(): SaeAction[] {
    if (this._state !== 'committed' && this._state !== 'confirmed') return [];
    if (++this.sync > this.maxSync) return this.fail(SaeStatus.UNSPECIFIED_FAILURE, `no answer from the AP after ${this.maxSync} retransmissions`);
    const frame = this._state === 'committed' ? this.commitFrame() : this.session!.confirmFrame();
    return [{ kind: 'send', frame }, { kind: 'timer', ms: this.retransMs }];
  }

  private pwe(g: SaeGroup): SaePoint {
    return passwordElement(g, this.h2e, { password: this.password, identifier: this.passwordId, ssid: this.ssid, addrA: this.own, addrB: this.bssid });
  }

  private commitToGroup(): SaeAction[] {
    const g = this.groups[this.groupIndex];
    this.session = new SaeSession(g, this.pwe(g), this.h2e, this.akm, this.random);
    this.token = undefined;
    this.sync = 0;
    this._state = 'committed';
    return [{ kind: 'send', frame: this.commitFrame() }, { kind: 'timer', ms: this.retransMs }];
  }

  private commitFrame(): Buffer {
    return this.session!.commitFrame({
      token: this.token,
      passwordId: this.passwordId,
      rejectedGroups: this.h2e && this.rejectedGroups.length ? this.rejectedGroups : undefined,
    });
  }

  private onCommit(status: number, body: Buffer): SaeAction[] {
    const s = this.session!;
    switch (status) {
      case SaeStatus.ANTI_CLOGGING_TOKEN_REQ: {
        if (this._state !== 'committed') return [];
        const req = parseTokenRequest(body, this.h2e);
        if (!req.ok) return this.fail(req.status, req.reason);
        if (req.value.group !== s.group.id) return this.fail(SaeStatus.UNSPECIFIED_FAILURE, `anti-clogging token request for group ${req.value.group}, not ${s.group.id}`);
        if (++this.sync > this.maxSync) return this.fail(SaeStatus.UNSPECIFIED_FAILURE, 'the AP keeps asking for anti-clogging tokens');
        this.token = Buffer.from(req.value.token);
        return [{ kind: 'send', frame: this.commitFrame() }, { kind: 'timer', ms: this.retransMs }];
      }
      case SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED:
        if (this._state !== 'committed') return [];
        this.rejectedGroups.push(s.group.id);
        if (++this.groupIndex >= this.groups.length) return this.fail(status, 'the AP supports none of sae_groups');
        return this.commitToGroup();
      case SaeStatus.UNKNOWN_PASSWORD_IDENTIFIER:
        return this.fail(status, 'the AP does not know sae_password_id');
      case SaeStatus.SUCCESS:
      case SaeStatus.SAE_HASH_TO_ELEMENT:
        break;
      default:
        return this.fail(status, `the AP refused the commit with status ${status}`);
    }
    if (this._state !== 'committed') return []; // a commit while waiting for the AP's confirm
    if ((status === SaeStatus.SAE_HASH_TO_ELEMENT) !== this.h2e) {
      return this.fail(SaeStatus.UNSPECIFIED_FAILURE, `commit with status ${status} while H2E is ${this.h2e ? 'in use' : 'not in use'}`);
    }
    const parsed = parseCommit(body, this.h2e);
    if (!parsed.ok) return this.fail(parsed.status, parsed.reason);
    const c = parsed.value;
    if (c.group !== s.group.id) return this.fail(SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED, `the AP committed to group ${c.group}, not ${s.group.id}`);
    if (this.passwordId && !(c.passwordId && c.passwordId.equals(this.passwordId))) {
      return this.fail(SaeStatus.UNKNOWN_PASSWORD_IDENTIFIER, 'the AP commit does not carry our password identifier');
    }
    const res = s.acceptPeerCommit(c, this.h2e ? this.rejectedGroups : undefined);
    if (!res.ok) return res.silent ? [] : this.fail(res.status, res.reason);
    this._state = 'confirmed';
    this.sync = 0;
    return [{ kind: 'send', frame: s.confirmFrame() }, { kind: 'timer', ms: this.retransMs }];
  }

  private onConfirm(status: number, body: Buffer): SaeAction[] {
    if (status !== SaeStatus.SUCCESS) return this.fail(status, `the AP refused the confirm with status ${status}`);
    const s = this.session!;
    if (this._state === 'confirmed') {
      const v = s.checkPeerConfirm(body);
      if (v === 'bad') return this.fail(SaeStatus.CHALLENGE_FAIL, 'the AP confirm does not verify (wrong password?)');
      if (v === 'stale') return [];
      this._state = 'accepted';
      return [{ kind: 'cancel-timer' }, s.accepted()];
    }
    if (this._state === 'accepted' && s.checkPeerConfirm(body) === 'ok') {
      // The AP repeats its confirm: ours was lost (12.4.8.6.6). Send it again.
      return [{ kind: 'send', frame: s.confirmFrame() }];
    }
    return [];
  }

  private fail(status: number, reason: string): SaeAction[] {
    this._state = 'failed';
    return [{ kind: 'cancel-timer' }, { kind: 'failed', status, reason }];
  }
}
