/**
 * The authenticator (AP) side of the 4-way and group key handshakes for one
 * station, as the simulator's APs run it: msg 1 (with a PMKID KDE when
 * given), msg 2 verification, msg 3 with the GTK (and the IGTK under PMF),
 * msg 4; retransmissions with increasing replay counters; group rekey; PTK
 * rekey; EAPOL-Key requests from the station.
 *
 * No I/O and no timers: the owner calls retransmit() when its timer fires
 * and gives up after its own retry budget.
 */
import { randomBytes } from 'node:crypto';
import { akmInfo, cipherFor, cipherInfo, descriptorVersion, micAlgorithm, type AkmInfo, type MicAlgorithm } from './akm.js';
import { deriveFtPtk, derivePtk, macBytes, type MacAddress, type Ptk } from './crypto.js';
import { ftPmkR1, rsneWithPmkid, type FtAssoc } from './ft.js';
import { bigIntToCounter, buildEapolKey, counterToBigInt, encodeKeyInfo, type EapolKey } from './eapol.js';
import { buildTie, gtkKde, igtkKde, pmkidKde, TimeoutIntervalType } from './kde.js';
import { eapolKeyMicValid, readEapolKey, signEapolKey, wrapKeyData } from './keyframe.js';
import { Reason } from './supplicant.js';

export interface GroupKey {
  key: Buffer;
  idx: number;
}

export interface IntegrityGroupKey extends GroupKey {
  /** IGTK packet number, 6 octets; zero when not given. */
  ipn?: Buffer;
}

export interface AuthenticatorOptions {
  akm: string | number;
  pairwise: string;
  group: string;
  groupMgmt?: string;
  mfp: boolean;
  pmk: Buffer;
  /** PMKID to announce in msg 1 (PMKID KDE). */
  pmkid?: Buffer;
  aa: MacAddress;
  spa: MacAddress;
  /** The AP's RSNE (Beacon/Probe Response): sent in msg 3. */
  apRsne: Buffer;
  /** The station's RSNE from its (Re)Association Request: msg 2 must carry exactly this. */
  staRsne: Buffer;
  gtk: GroupKey;
  igtk?: IntegrityGroupKey;
  random?: (n: number) => Buffer;
  /** EAPOL version of our frames (hostapd's eapol_version, default 2). */
  eapolVersion?: number;
  /** FT AKMs: the MDE/FTE this AP sent in its (Re)Association Response; `pmk` is XXKey. */
  ft?: FtAssoc;
  /**
   * FT: the Timeout Interval elements msg 3 carries after the FTE, as hostapd
   * sends them: reassociation deadline (TUs, hostapd's reassociation_deadline)
   * and PMK-R0 key lifetime (seconds, ft_r0_key_lifetime). Defaults: the
   * values hostapd.conf documents, 1000 TUs and 1209600 s (14 days).
   */
  ftReassocDeadline?: number;
  ftKeyLifetime?: number;
}

export type AuthenticatorEvent = '4way-complete' | 'group-complete' | 'ptk-rekeyed';

export interface AuthenticatorResult {
  tx: Buffer[];
  event?: AuthenticatorEvent;
  failure?: { reason: number; message: string };
  dropped?: string;
}

export class AuthenticatorStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticatorStateError';
  }
}

type Pending = { kind: 'msg1' | 'msg3' | 'group1'; counters: Set<bigint> };

export type AuthenticatorState = 'idle' | 'ptkstart' | 'ptkinitnegotiating' | 'complete' | 'failed';

export class Authenticator {
  private readonly akm: AkmInfo;
  private readonly ver: number;
  private readonly micAlg: MicAlgorithm;
  private readonly pairwise: string;
  private readonly aa: Buffer;
  private readonly spa: Buffer;
  private readonly random: (n: number) => Buffer;
  private readonly eapolVersion: number;

  private st: AuthenticatorState = 'idle';
  private counter = 0n;
  private lastRequest = -1n;
  private anonce: Buffer = Buffer.alloc(32);
  /** PTK derived from the msg 2 being answered, not yet confirmed by msg 4. */
  private tptk: Ptk | null = null;
  private established: Ptk | null = null;
  private pending: Pending | null = null;
  private groupKey: GroupKey;
  private readonly igtk: IntegrityGroupKey | undefined;
  /** FT: PMK-R1 and PMKR1Name for this station (R1KH-ID of our FTE, S1KH-ID = SPA). */
  private readonly ftKeys: { pmkR1: Buffer; pmkR1Name: Buffer } | undefined;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.akm = akmInfo(opts.akm);
    this.pairwise = cipherFor('pairwise', opts.pairwise).name;
    this.ver = descriptorVersion(this.akm.selector, this.pairwise);
    const alg = micAlgorithm(this.akm.selector, this.ver);
    if (!alg) throw new AuthenticatorStateError(`${this.akm.name} with ${this.pairwise} is not supported`);
    if (this.akm.ft && !opts.ft) throw new AuthenticatorStateError(`${this.akm.name} needs the MDE and FTE of the association`);
    this.ftKeys = this.akm.ft && opts.ft ? ftPmkR1(this.akm.name, opts.pmk, opts.ft, opts.spa) : undefined;
    this.micAlg = alg;
    this.aa = macBytes(opts.aa);
    this.spa = macBytes(opts.spa);
    this.random = opts.random ?? randomBytes;
    this.eapolVersion = opts.eapolVersion ?? 2;
    if (opts.gtk.key.length !== cipherFor('group', opts.group).keyLen) throw new AuthenticatorStateError(`GTK of ${opts.gtk.key.length} octets for ${opts.group}`);
    this.groupKey = opts.gtk;
    this.igtk = opts.mfp ? opts.igtk : undefined;
    const mgmt = cipherFor('group-mgmt', opts.groupMgmt ?? 'AES-128-CMAC');
    if (this.igtk && this.igtk.key.length !== mgmt.keyLen) throw new AuthenticatorStateError(`IGTK of ${this.igtk.key.length} octets for ${mgmt.name}`);
  }

  get state(): AuthenticatorState {
    return this.st;
  }

  /** The PTK confirmed by the last msg 4 (null before). */
  get ptk(): Ptk | null {
    return this.established;
  }

  /** Replay counter of the last frame sent. */
  get replayCounter(): Buffer {
    return bigIntToCounter(this.counter);
  }

  get gtk(): GroupKey {
    return this.groupKey;
  }

  /**
   * FT over the air (13.8): the PTK came from the FT Authentication and the
   * Reassociation, without a 4-way handshake; group rekeys and PTK rekeys
   * follow as after one.
   */
  establishFt(ptk: Ptk): void {
    if (!this.akm.ft) throw new AuthenticatorStateError(`${this.akm.name} is not an FT AKM`);
    this.established = ptk;
    this.st = 'complete';
  }

  /** Msg 1/4 of a new 4-way handshake (fresh ANonce). */
  start(): Buffer {
    this.anonce = Buffer.from(this.random(32));
    this.tptk = null;
    this.st = 'ptkstart';
    return this.send('msg1');
  }

  /** A 4-way handshake on an established association: same as start(), the old PTK stays until msg 4. */
  startPtkRekey(): Buffer {
    return this.start();
  }

  /** Group key handshake msg 1/2 with a new GTK. */
  startGroupRekey(gtk: GroupKey): Buffer {
    if (!this.established) throw new AuthenticatorStateError('group rekey before the 4-way handshake completed');
    if (gtk.key.length !== this.groupKey.key.length) throw new AuthenticatorStateError(`GTK of ${gtk.key.length} octets`);
    this.groupKey = gtk;
    return this.send('group1');
  }

  /** The outstanding message again with the next replay counter, or null when nothing is outstanding. */
  retransmit(): Buffer | null {
    if (!this.pending) return null;
    return this.send(this.pending.kind, this.pending.counters);
  }

  receive(frame: Buffer): AuthenticatorResult {
    try {
      return this.process(frame);
    } catch (e) {
      return { tx: [], dropped: `internal error: ${(e as Error).message}` };
    }
  }

  private process(frame: Buffer): AuthenticatorResult {
    const dropped = (why: string): AuthenticatorResult => ({ tx: [], dropped: why });
    if (this.st === 'failed') return dropped('handshake failed');
    const key = readEapolKey(frame, this.akm.micLen);
    if (typeof key === 'string') return dropped(key);
    const f = key.flags;
    if (f.version !== this.ver) return dropped(`descriptor version ${f.version}, expected ${this.ver}`);
    if (f.ack) return dropped('EAPOL-Key with Ack bit from the station');
    if (!f.mic) return dropped('EAPOL-Key without MIC from the station');
    const ctr = counterToBigInt(key.replayCounter);

    if (f.request) return this.request(key, ctr);

    const p = this.pending;
    if (!p) return dropped('no EAPOL-Key message outstanding');
    if (!p.counters.has(ctr)) return dropped(`unexpected replay counter ${ctr}`);
    if (f.pairwise && p.kind === 'msg1') return this.msg2(key);
    if (f.pairwise && p.kind === 'msg3') return this.msg4(key);
    if (!f.pairwise && p.kind === 'group1') return this.group2(key);
    return dropped(`${f.pairwise ? 'pairwise' : 'group'} EAPOL-Key while waiting for the reply to ${p.kind}`);
  }

  private msg2(key: EapolKey): AuthenticatorResult {
    const tptk = this.ftKeys
      ? deriveFtPtk({ akm: this.akm.name, pairwise: this.pairwise, pmkR1: this.ftKeys.pmkR1, pmkR1Name: this.ftKeys.pmkR1Name, snonce: key.nonce, anonce: this.anonce, bssid: this.aa, sta: this.spa })
      : derivePtk({ akm: this.akm.selector, pairwise: this.pairwise, pmk: this.opts.pmk, aa: this.aa, spa: this.spa, anonce: this.anonce, snonce: key.nonce });
    if (!eapolKeyMicValid(key, this.micAlg, tptk.kck)) return { tx: [], dropped: 'invalid MIC in msg 2/4' };
    if (!key.keyData.equals(this.expectedMsg2())) {
      this.st = 'failed';
      this.pending = null;
      // hostapd: "WPA IE from (Re)AssocReq did not match with msg 2/4", deauthenticated with reason 2
      // (FT: "PMKR1Name mismatch", "MDIE/FTIE in msg 2/4 did not match" with the (Re)Association Response).
      return { tx: [], failure: { reason: Reason.PREV_AUTH_NOT_VALID, message: 'RSNE in msg 2/4 differs from the (Re)Association Request' } };
    }
    this.tptk = tptk;
    this.st = 'ptkinitnegotiating';
    return { tx: [this.send('msg3')] };
  }

  /** Msg 2/4's Key Data: the station's RSNE; for FT with PMKR1Name as its PMKID, then our MDE and FTE (12.7.6.3). */
  private expectedMsg2(): Buffer {
    const ft = this.opts.ft;
    if (!this.ftKeys || !ft) return this.opts.staRsne;
    return Buffer.concat([rsneWithPmkid(this.opts.staRsne, this.ftKeys.pmkR1Name), ft.mde, ft.fte]);
  }

  private msg4(key: EapolKey): AuthenticatorResult {
    if (!this.tptk || !eapolKeyMicValid(key, this.micAlg, this.tptk.kck)) return { tx: [], dropped: 'invalid MIC in msg 4/4' };
    const rekey = this.established !== null;
    this.established = this.tptk;
    this.tptk = null;
    this.pending = null;
    this.st = 'complete';
    return { tx: [], event: rekey ? 'ptk-rekeyed' : '4way-complete' };
  }

  private group2(key: EapolKey): AuthenticatorResult {
    if (!this.established || !eapolKeyMicValid(key, this.micAlg, this.established.kck)) return { tx: [], dropped: 'invalid MIC in group msg 2/2' };
    this.pending = null;
    return { tx: [], event: 'group-complete' };
  }

  /** EAPOL-Key request: pairwise asks for a PTK rekey, group for a new GTK. */
  private request(key: EapolKey, ctr: bigint): AuthenticatorResult {
    if (!this.established || !eapolKeyMicValid(key, this.micAlg, this.established.kck)) return { tx: [], dropped: 'EAPOL-Key request with invalid MIC' };
    if (ctr <= this.lastRequest) return { tx: [], dropped: `EAPOL-Key request replay counter ${ctr} did not increase` };
    this.lastRequest = ctr;
    if (key.flags.pairwise) return { tx: [this.start()] };
    const len = cipherInfo(this.opts.group).keyLen;
    return { tx: [this.startGroupRekey({ key: Buffer.from(this.random(len)), idx: this.groupKey.idx === 1 ? 2 : 1 })] };
  }

  /* ------------------------------------------------------------ frames */

  private send(kind: Pending['kind'], counters = new Set<bigint>()): Buffer {
    this.counter++;
    counters.add(this.counter);
    this.pending = { kind, counters };
    const replayCounter = bigIntToCounter(this.counter);
    const tkLen = cipherInfo(this.pairwise).keyLen;
    if (kind === 'msg1') {
      const frame = buildEapolKey(
        {
          eapolVersion: this.eapolVersion,
          keyInfo: encodeKeyInfo({ version: this.ver, pairwise: true, ack: true }),
          keyLength: tkLen,
          replayCounter,
          nonce: this.anonce,
          // FT: the PMKID KDE names PMKR1Name (12.7.6.2).
          keyData: this.ftKeys ? pmkidKde(this.ftKeys.pmkR1Name) : this.opts.pmkid ? pmkidKde(this.opts.pmkid) : undefined,
        },
        this.akm.micLen,
      );
      return frame;
    }
    const ptk = kind === 'msg3' ? this.tptk : this.established;
    if (!ptk) throw new AuthenticatorStateError(`${kind} without a PTK`);
    const gtkRsc = Buffer.alloc(8);
    const parts = [gtkKde(this.groupKey.idx, this.groupKey.key)];
    if (this.igtk) parts.push(igtkKde(this.igtk.idx, this.igtk.ipn ?? Buffer.alloc(6), this.igtk.key));
    if (kind === 'msg3') {
      // FT (12.7.6.4): the RSNE with PMKR1Name, the MDE and FTE of the (Re)Association Response, the TIEs.
      const ft = this.opts.ft;
      if (this.ftKeys && ft) parts.unshift(rsneWithPmkid(this.opts.apRsne, this.ftKeys.pmkR1Name));
      else parts.unshift(this.opts.apRsne);
      if (this.ftKeys && ft) {
        parts.push(ft.mde, ft.fte);
        parts.push(buildTie(TimeoutIntervalType.REASSOC_DEADLINE, this.opts.ftReassocDeadline ?? 1000));
        parts.push(buildTie(TimeoutIntervalType.KEY_LIFETIME, this.opts.ftKeyLifetime ?? 1209600));
      }
    }
    const frame = buildEapolKey(
      {
        eapolVersion: this.eapolVersion,
        keyInfo: encodeKeyInfo({ version: this.ver, pairwise: kind === 'msg3', install: kind === 'msg3', ack: true, mic: true, secure: true, encrypted: true }),
        keyLength: kind === 'msg3' ? tkLen : 0,
        replayCounter,
        nonce: kind === 'msg3' ? this.anonce : undefined,
        rsc: gtkRsc,
        keyData: wrapKeyData(ptk.kek, Buffer.concat(parts)),
      },
      this.akm.micLen,
    );
    return signEapolKey(frame, this.micAlg, ptk.kck);
  }
}
