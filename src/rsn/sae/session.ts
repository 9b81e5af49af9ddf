/**
 * One SAE protocol instance's crypto state, the part the station and the
 * authenticator machines share: the group and PWE, the own commit, and once
 * the peer's commit is in, the keys and the Send-Confirm counter; and the
 * action, state and configuration types both machines answer with.
 */
import { checkPeerCommit, confirmValue, checkConfirm, deriveKeys, makeCommit, type OwnCommit, type PeerCommit, type RandomSource, type SaeKeys } from './core.js';
import { encodeCommit, encodeConfirm, encodeSaeAuth, parseConfirm, type SaeCommit } from './frames.js';
import { SaeStatus } from './status.js';
import type { SaeGroup, SaePoint } from './group.js';

/** wpa_supplicant's DEFAULT_DOT11_RSNA_SAE_RETRANS_PERIOD, in ms. */
export const SAE_RETRANS_PERIOD_MS = 1000;
/** dot11RSNASAESync: retransmissions before the instance gives up (hostapd's default sae_sync). */
export const SAE_MAX_SYNC = 5;

export class SaeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaeConfigError';
  }
}

/** sae_pwe: 0 hunting-and-pecking only, 1 hash-to-element only, 2 both. */
export type SaePwe = 0 | 1 | 2;

export type SaeAction =
  /** Send this Authentication frame body (algorithm, transaction, status and the SAE fields) to the peer. */
  | { kind: 'send'; frame: Buffer }
  /** (Re)arm the instance's one timer: call timeout() after `ms` unless another action re-arms or cancels it. */
  | { kind: 'timer'; ms: number }
  | { kind: 'cancel-timer' }
  /** Both confirms verified: the PMK and PMKID for the PMKSA and the 4-way handshake. */
  | { kind: 'accepted'; pmk: Buffer; pmkid: Buffer; group: number; h2e: boolean; akm: number }
  /** The exchange is over without a PMK; `status` is the 802.11 status code that ended it. */
  | { kind: 'failed'; status: number; reason: string };

export type SaeState = 'nothing' | 'committed' | 'confirmed' | 'accepted' | 'failed';

/** The Send-Confirm counter stops at 0xffff (hostap's sae_write_confirm()). */
const SEND_CONFIRM_MAX = 0xffff;

export class SaeSession {
  readonly own: OwnCommit;
  peer?: PeerCommit;
  keys?: SaeKeys;
  sendConfirm = 0;
  /** The highest Send-Confirm accepted from the peer (replays at or below it are ignored). */
  peerSendConfirm = -1;

  constructor(
    readonly group: SaeGroup,
    readonly pwe: SaePoint,
    readonly h2e: boolean,
    readonly akm: number,
    random?: RandomSource,
  ) {
    this.own = makeCommit(group, pwe, random);
  }

  /** The status a commit of this instance carries (126 marks H2E). */
  get commitStatus(): number {
    return this.h2e ? SaeStatus.SAE_HASH_TO_ELEMENT : SaeStatus.SUCCESS;
  }

  commitFrame(extra: Omit<SaeCommit, 'group' | 'scalar' | 'element'> = {}): Buffer {
    const body = encodeCommit({ group: this.group.id, scalar: this.own.scalarBytes, element: this.own.elementBytes, ...extra }, this.h2e);
    return encodeSaeAuth({ transaction: 1, status: this.commitStatus, body });
  }

  /** Take the peer's commit: range and curve checks, reflection, then K and the keys. */
  acceptPeerCommit(c: SaeCommit, rejectedGroups?: readonly number[]): { ok: true } | { ok: false; status: number; reason: string; silent?: boolean } {
    const checked = checkPeerCommit(this.group, c, this.own);
    if (!checked.ok) return checked;
    const keys = deriveKeys(this.group, this.pwe, this.own, checked.peer, { h2e: this.h2e, akm: this.akm, rejectedGroups });
    if (!keys) return { ok: false, status: SaeStatus.UNSPECIFIED_FAILURE, reason: 'shared secret is the point at infinity' };
    this.peer = checked.peer;
    this.keys = keys;
    return { ok: true };
  }

  /** Whether `c` is the commit already accepted (a retransmission). */
  isSamePeerCommit(c: SaeCommit): boolean {
    return !!this.peer && this.peer.scalarBytes.equals(c.scalar) && this.peer.elementBytes.equals(c.element);
  }

  /** The next Confirm: Send-Confirm incremented first, so the first one carries 1 (as hostap 2.10). */
  confirmFrame(): Buffer {
    if (this.sendConfirm < SEND_CONFIRM_MAX) this.sendConfirm++;
    const confirm = confirmValue(this.keys!, this.sendConfirm, this.own, this.peer!);
    return encodeSaeAuth({ transaction: 2, status: SaeStatus.SUCCESS, body: encodeConfirm({ sendConfirm: this.sendConfirm, confirm }) });
  }

  /** The peer's Confirm body: 'ok', 'stale' (a Send-Confirm already seen) or 'bad'. */
  checkPeerConfirm(body: Buffer): 'ok' | 'stale' | 'bad' {
    const c = parseConfirm(body, this.keys!.kck.length);
    if (!c.ok) return 'bad';
    if (!checkConfirm(this.keys!, this.own, this.peer!, c.value.sendConfirm, c.value.confirm)) return 'bad';
    if (c.value.sendConfirm <= this.peerSendConfirm) return 'stale';
    this.peerSendConfirm = c.value.sendConfirm;
    return 'ok';
  }

  accepted(): SaeAction {
    return { kind: 'accepted', pmk: this.keys!.pmk, pmkid: this.keys!.pmkid, group: this.group.id, h2e: this.h2e, akm: this.akm };
  }
}
