/**
 * The AP side of SAE for one station (IEEE 802.11-2020 12.4.8, as hostapd's
 * handle_auth_sae() answers): what the simulator's APs run. Same shape as
 * SaeStation: frames and timer expiries in, actions out.
 *
 * - sae_pwe decides which commits it takes: 0 status 0 only, 1 status 126
 *   only, 2 both (hostapd's sae_status_success(); a commit with the wrong one
 *   is dropped without an answer, hostapd removes the station);
 * - a group outside sae_groups (default 19) is refused with status 77;
 * - while `antiClogging.required()` holds, a commit without our token gets
 *   status 76 and the token (HMAC-SHA256 of the station address under the
 *   AP's secret, so no per-station state is kept before the token returns);
 * - a password identifier with no sae_password entry gets status 123;
 * - with H2E, a Rejected Groups element naming a group this AP enables is a
 *   downgrade attempt and gets status 1 (hostapd's check_sae_rejected_groups());
 * - bad scalar or element: status 1; reflected commit: dropped; bad confirm:
 *   status 15 (CHALLENGE_FAIL);
 * - in Confirmed state the confirm is retransmitted every
 *   dot11RSNASAERetransPeriod, at most dot11RSNASAESync times; a repeated
 *   commit is answered with commit and confirm again (counted the same way).
 */
import { timingSafeEqual } from 'node:crypto';
import { hmac, macBytes, type MacAddress } from '../crypto.js';
import { SAE_AKMS, type RandomSource } from './core.js';
import { decodeSaeAuth, encodeSaeAuth, encodeTokenRequest, parseCommit, type SaeCommit } from './frames.js';
import { SaeStatus } from './status.js';
import { saeGroup, type SaeGroup, type SaePoint } from './group.js';
import { passwordElement } from './pwe.js';
import { SAE_MAX_SYNC, SAE_RETRANS_PERIOD_MS, SaeConfigError, SaeSession, type SaeAction, type SaePwe, type SaeState } from './session.js';

/** One sae_password line: the password and its optional identifier. */
export interface SaePasswordEntry {
  password: string;
  identifier?: string;
}

export interface SaeApConfig {
  bssid: MacAddress;
  staAddr: MacAddress;
  ssid: string | Buffer;
  passwords: readonly SaePasswordEntry[];
  /** sae_groups; default 19 (hostapd's default). */
  saeGroups?: readonly number[];
  saePwe?: SaePwe;
  akm?: number;
  /** Demand anti-clogging tokens while `required()` says so (hostapd: sae_anti_clogging_threshold reached). */
  antiClogging?: { required: () => boolean; secret: Buffer };
  retransPeriodMs?: number;
  maxSync?: number;
  random?: RandomSource;
}

const TOKEN_LEN = 32;

export class SaeApPeer {
  private readonly bssid: Buffer;
  private readonly sta: Buffer;
  private readonly ssid: Buffer;
  private readonly groups: readonly number[];
  private readonly pweMode: SaePwe;
  private readonly akm: number;
  private readonly retransMs: number;
  private readonly maxSync: number;
  private session?: SaeSession;
  private sync = 0;
  private tokenAsked = false;
  private _state: SaeState = 'nothing';

  constructor(private readonly cfg: SaeApConfig) {
    this.bssid = macBytes(cfg.bssid);
    this.sta = macBytes(cfg.staAddr);
    this.ssid = Buffer.isBuffer(cfg.ssid) ? cfg.ssid : Buffer.from(cfg.ssid, 'utf8');
    this.groups = cfg.saeGroups?.length ? cfg.saeGroups : [19];
    this.pweMode = cfg.saePwe ?? 0;
    this.akm = cfg.akm ?? 8;
    if (!SAE_AKMS.has(this.akm)) throw new SaeConfigError(`SAE: AKM ${this.akm} is not an SAE AKM`);
    this.retransMs = cfg.retransPeriodMs ?? SAE_RETRANS_PERIOD_MS;
    this.maxSync = cfg.maxSync ?? SAE_MAX_SYNC;
  }

  get state(): SaeState {
    return this._state;
  }

  receive(frame: Buffer): SaeAction[] {
    const auth = decodeSaeAuth(frame);
    if (!auth || this._state === 'failed') return [];
    if (auth.transaction === 1) return this.onCommit(auth.status, auth.body);
    if (auth.transaction === 2) return this.onConfirm(auth.status, auth.body);
    return [];
  }

  timeout(): SaeAction[] {
    if (this._state !== 'confirmed') return [];
    if (++this.sync > this.maxSync) return this.fail(SaeStatus.UNSPECIFIED_FAILURE, `no confirm from the station after ${this.maxSync} retransmissions`);
    return [{ kind: 'send', frame: this.session!.confirmFrame() }, { kind: 'timer', ms: this.retransMs }];
  }

  private statusAccepted(status: number): boolean {
    if (status === SaeStatus.SUCCESS) return this.pweMode !== 1;
    if (status === SaeStatus.SAE_HASH_TO_ELEMENT) return this.pweMode !== 0;
    return false;
  }

  private token(): Buffer {
    return hmac('sha256', this.cfg.antiClogging!.secret, this.sta);
  }

  private reply(transaction: number, status: number, body: Buffer = Buffer.alloc(0)): SaeAction {
    return { kind: 'send', frame: encodeSaeAuth({ transaction, status, body }) };
  }

  private onCommit(status: number, body: Buffer): SaeAction[] {
    if (!this.statusAccepted(status)) return this.fail(SaeStatus.UNSPECIFIED_FAILURE, `commit with status ${status} under sae_pwe=${this.pweMode}`);
    const h2e = status === SaeStatus.SAE_HASH_TO_ELEMENT;
    const parsed = parseCommit(body, h2e, this.tokenAsked && !h2e ? TOKEN_LEN : 0);
    if (!parsed.ok) return [this.reply(1, parsed.status)];
    const c = parsed.value;
    if (!this.groups.includes(c.group)) return [this.reply(1, SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED)];
    const s = this.session;
    if (s && this._state !== 'nothing' && s.isSamePeerCommit(c)) {
      // A retransmitted commit: ours or our confirm was lost. Repeat both (not in Accepted: a replay).
      if (this._state !== 'confirmed') return [];
      if (++this.sync > this.maxSync) return this.fail(SaeStatus.UNSPECIFIED_FAILURE, 'too many repeated commits');
      return [{ kind: 'send', frame: s.commitFrame() }, { kind: 'send', frame: s.confirmFrame() }, { kind: 'timer', ms: this.retransMs }];
    }
    if (s && s.own.scalarBytes.equals(c.scalar) && s.own.elementBytes.equals(c.element)) return []; // our own commit reflected
    if (this.cfg.antiClogging?.required()) {
      const expected = this.token();
      if (!c.token || c.token.length !== expected.length || !timingSafeEqual(c.token, expected)) {
        this.tokenAsked = true;
        return [this.reply(1, SaeStatus.ANTI_CLOGGING_TOKEN_REQ, encodeTokenRequest(c.group, expected, h2e))];
      }
    }
    const entry = this.passwordFor(c);
    if (!entry) {
      return [this.reply(1, c.passwordId ? SaeStatus.UNKNOWN_PASSWORD_IDENTIFIER : SaeStatus.UNSPECIFIED_FAILURE)];
    }
    if (h2e && c.rejectedGroups?.some((g) => this.groups.includes(g))) return [this.reply(1, SaeStatus.UNSPECIFIED_FAILURE)];
    const g = saeGroup(c.group)!;
    const session = new SaeSession(g, this.pwe(g, entry, h2e), h2e, this.akm, this.cfg.random);
    const res = session.acceptPeerCommit(c, h2e ? c.rejectedGroups : undefined);
    if (!res.ok) return res.silent ? [] : [this.reply(1, res.status)];
    this.session = session;
    this._state = 'confirmed';
    this.sync = 0;
    const passwordId = c.passwordId ? Buffer.from(c.passwordId) : undefined;
    return [{ kind: 'send', frame: session.commitFrame({ passwordId }) }, { kind: 'send', frame: session.confirmFrame() }, { kind: 'timer', ms: this.retransMs }];
  }

  private onConfirm(status: number, body: Buffer): SaeAction[] {
    const s = this.session;
    if (!s || status !== SaeStatus.SUCCESS) return [];
    if (this._state === 'confirmed') {
      const v = s.checkPeerConfirm(body);
      if (v === 'stale') return [];
      if (v === 'bad') return [this.reply(2, SaeStatus.CHALLENGE_FAIL), ...this.fail(SaeStatus.CHALLENGE_FAIL, 'the station confirm does not verify')];
      this._state = 'accepted';
      return [{ kind: 'cancel-timer' }, s.accepted()];
    }
    if (this._state === 'accepted' && s.checkPeerConfirm(body) === 'ok') {
      // The station repeats its confirm: ours was lost. Answer with ours again.
      if (++this.sync > this.maxSync) return [];
      return [{ kind: 'send', frame: s.confirmFrame() }];
    }
    return [];
  }

  private passwordFor(c: SaeCommit): SaePasswordEntry | undefined {
    const id = c.passwordId?.toString('utf8');
    return this.cfg.passwords.find((p) => (id === undefined ? p.identifier === undefined : p.identifier === id));
  }

  private pwe(g: SaeGroup, entry: SaePasswordEntry, h2e: boolean): SaePoint {
    const password = Buffer.from(entry.password, 'utf8');
    const identifier = entry.identifier !== undefined ? Buffer.from(entry.identifier, 'utf8') : undefined;
    return passwordElement(g, h2e, { password, identifier, ssid: this.ssid, addrA: this.bssid, addrB: this.sta });
  }

  private fail(status: number, reason: string): SaeAction[] {
    this._state = 'failed';
    return [{ kind: 'cancel-timer' }, { kind: 'failed', status, reason }];
  }
}
