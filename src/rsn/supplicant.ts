/**
 * The supplicant side of the RSN key handshakes: 4-way handshake, group key
 * handshake, PTK rekey and EAPOL-Key requests, following wpa_supplicant's
 * src/rsn_supp/wpa.c in its checks, their order and its reactions (drop the
 * frame, or deauthenticate with a reason code).
 *
 * It does no I/O: `receive()` takes an EAPOL frame and returns the frames to
 * send, the keys to install, the event and any failure. It never throws on
 * what the air delivers. KRACK defences (CVE-2017-13077..13081): an
 * installed PTK, GTK or IGTK is never installed again; a retransmitted msg 3
 * is answered without reinstalling; a msg 3 whose ANonce is not the last
 * msg 1's fails; an SNonce is never used with two different ANonces.
 *
 * The PTK material (KCK, KEK, replay counter) can be seeded from elsewhere
 * (the firmware ran the handshake) and every change of it is reported, which
 * is what the host/firmware sync is built on.
 */
import { akmInfo, cipherFor, cipherInfo, descriptorVersion, micAlgorithm, type AkmInfo, type CipherInfo, type MicAlgorithm } from './akm.js';
import { CryptoInputError, deriveFtPtk, derivePtk, KeyUnwrapError, macBytes, pooledRandom, type MacAddress, type Ptk } from './crypto.js';
import { ftPmkR1, rsneWithPmkid, type FtAssoc } from './ft.js';
import { buildEapolKey, encodeKeyInfo, type EapolKey } from './eapol.js';
import { KeyDataError, parseKeyData, type KeyDataElements } from './kde.js';
import { eapolKeyMicValid, readEapolKey, signEapolKey, unwrapKeyData } from './keyframe.js';

/** IEEE 802.11 reason codes (Table 9-49) the handshakes and the station give. */
export const Reason = {
  UNSPECIFIED: 1,
  PREV_AUTH_NOT_VALID: 2,
  DEAUTH_LEAVING: 3,
  INVALID_IE: 13,
  MICHAEL_MIC_FAILURE: 14,
  FOURWAY_HANDSHAKE_TIMEOUT: 15,
  GROUP_KEY_UPDATE_TIMEOUT: 16,
  IE_IN_4WAY_DIFFERS: 17,
  /** IEEE 802.1X authentication failed (what hostapd sends after EAP-Failure). */
  IEEE_802_1X_AUTH_FAILED: 23,
} as const;

export class SupplicantConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupplicantConfigError';
  }
}

export interface SupplicantOptions {
  akm: string | number;
  pairwise: string;
  group: string;
  /** Group management cipher; used only with `mfp`. Default AES-128-CMAC. */
  groupMgmt?: string;
  mfp: boolean;
  /**
   * Undefined: no PMK is known (a firmware ran SAE and kept its PMK): a
   * msg 1/4 fails, the replay counter and group keys are still tracked.
   */
  pmk?: Buffer;
  /** PMKID of `pmk`, when it comes from a PMKSA cache entry. */
  pmkid?: Buffer;
  aa: MacAddress;
  spa: MacAddress;
  /** Our RSNE as sent in the (Re)Association Request: goes into msg 2. */
  ownRsne: Buffer;
  /** The AP's RSNE from its Beacon/Probe Response: msg 3 must carry exactly this. */
  apRsne: Buffer;
  random?: (n: number) => Buffer;
  /** PMKSA cache hook: the PMK cached under a PMKID the AP names in msg 1. */
  pmksaLookup?: (pmkid: Buffer) => Buffer | undefined;
  /** EAPOL version of our frames (wpa_supplicant's eapol_version, default 1). */
  eapolVersion?: number;
  /** FT AKMs: the initial mobility domain association's facts (else setFt() before msg 1/4). */
  ft?: FtAssoc;
}

export interface KeyInstall {
  kind: 'pairwise' | 'group' | 'igtk';
  idx: number;
  cipher: string;
  key: Buffer;
  /** Receive sequence counter to start from (Key RSC, or the IPN for an IGTK). */
  rsc?: Buffer;
}

export type SupplicantEvent = '4way-started' | '4way-complete' | 'group-complete' | 'ptk-rekeyed';

export interface SupplicantResult {
  tx: Buffer[];
  install: KeyInstall[];
  event?: SupplicantEvent;
  /** The association must end: deauthenticate with this reason. */
  failure?: { reason: number; message: string };
  /** Why the frame was ignored, for the log. */
  dropped?: string;
  /** KCK, KEK or the replay counter changed (see material()). */
  materialChanged: boolean;
  /**
   * FT: the Timeout Interval elements of the msg 3/4 that completed the
   * handshake, for the log only: like wpa_supplicant 2.10 the station neither
   * needs them nor acts on them (hostapd always sends both).
   */
  ftTimeouts?: { reassocDeadline?: number; keyLifetime?: number };
}

export interface PtkMaterial {
  kck: Buffer;
  kek: Buffer;
  replayCounter: Buffer;
}

export type SupplicantState = 'idle' | '4way' | 'complete' | 'failed';

/** Thrown by API misuse (not by received frames), e.g. a key request without a PTK. */
export class SupplicantStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupplicantStateError';
  }
}

/** A frame handler's early exit: dropped frame or failed association. */
class Outcome {
  constructor(
    readonly kind: 'dropped' | 'failure',
    readonly message: string,
    readonly reason = Reason.UNSPECIFIED as number,
  ) {}
}
const drop = (message: string): Outcome => new Outcome('dropped', message);
const fail = (message: string, reason: number = Reason.UNSPECIFIED): Outcome => new Outcome('failure', message, reason);

export class Supplicant {
  private readonly akm: AkmInfo;
  private readonly ver: number;
  private readonly micAlg: MicAlgorithm;
  /** The two ciphers' table entries (their names too), looked up once rather than by name in every handshake. */
  private readonly pairwiseCipher: CipherInfo;
  private readonly groupCipher: CipherInfo;
  private readonly groupMgmt: string | undefined;
  private readonly aa: Buffer;
  private readonly spa: Buffer;
  private readonly random: (n: number) => Buffer;
  private readonly eapolVersion: number;

  private st: SupplicantState = 'idle';
  /** Replay counter of the last frame whose MIC verified (wpa_supplicant's rx_replay_counter). */
  private rxReplay: Buffer | null = null;
  private anonce: Buffer | null = null;
  private snonce: Buffer | null = null;
  /** The ANonce the current SNonce was first sent with. */
  private snonceAnonce: Buffer | null = null;
  /** Set once a msg 3 used the SNonce: the next msg 1 gets a fresh one. */
  private renewSnonce = true;
  private tptk: Ptk | null = null;
  private ptk: Ptk | null = null;
  private ptkInstalled = false;
  private msg3Ok = false;
  private everCompleted = false;
  private installedGtk: Buffer | null = null;
  private installedIgtk: Buffer | null = null;
  private requestCounter = 0n;

  constructor(private readonly opts: SupplicantOptions) {
    try {
      this.akm = akmInfo(opts.akm);
      this.pairwiseCipher = cipherFor('pairwise', opts.pairwise);
      this.groupCipher = cipherFor('group', opts.group);
      this.groupMgmt = opts.mfp ? cipherFor('group-mgmt', opts.groupMgmt ?? 'AES-128-CMAC').name : undefined;
      this.ver = descriptorVersion(this.akm.selector, this.pairwiseCipher.name);
      this.aa = macBytes(opts.aa);
      this.spa = macBytes(opts.spa);
    } catch (e) {
      throw new SupplicantConfigError((e as Error).message);
    }
    if (opts.pmk && (opts.pmk.length < 32 || opts.pmk.length > 64)) throw new SupplicantConfigError(`PMK of ${opts.pmk.length} octets`);
    const alg = micAlgorithm(this.akm.selector, this.ver);
    if (!alg) throw new SupplicantConfigError(`${this.akm.name} with ${this.pairwiseCipher.name} is not supported by the host handshake`);
    this.micAlg = alg;
    this.random = opts.random ?? pooledRandom;
    this.eapolVersion = opts.eapolVersion ?? 1;
    this.ft = opts.ft;
  }

  private ft: FtAssoc | undefined;
  /** FT: PMK-R1 and PMKR1Name of this association (derived at the first msg 1/4). */
  private ftKeys: { pmkR1: Buffer; pmkR1Name: Buffer } | undefined;

  /** FT AKMs: the MDE/FTE the (Re)Association Response carried, known only once associated. */
  setFt(ft: FtAssoc): void {
    this.ft = ft;
    this.ftKeys = undefined;
  }

  get state(): SupplicantState {
    return this.st;
  }

  /** The PTK material the host holds (null before any verified handshake or seeding). */
  material(): PtkMaterial | null {
    if (!this.ptk || !this.rxReplay) return null;
    return { kck: Buffer.from(this.ptk.kck), kek: Buffer.from(this.ptk.kek), replayCounter: Buffer.from(this.rxReplay) };
  }

  /** The last EAPOL-Key replay counter accepted, by us or (advanceReplayCounter) by the firmware; known even without a PTK. */
  replayCounter(): Buffer | null {
    return this.rxReplay ? Buffer.from(this.rxReplay) : null;
  }

  /**
   * Adopts PTK material someone else derived (the firmware completed the
   * 4-way handshake): a following group key handshake verifies with this KCK
   * and unwraps with this KEK, and the replay counter continues from here.
   */
  seedMaterial(m: PtkMaterial): void {
    if (m.kck.length !== this.akm.kckLen) throw new SupplicantStateError(`KCK of ${m.kck.length} octets for ${this.akm.name}`);
    if (m.kek.length !== this.akm.kekLen) throw new SupplicantStateError(`KEK of ${m.kek.length} octets for ${this.akm.name}`);
    if (m.replayCounter.length !== 8) throw new SupplicantStateError(`replay counter of ${m.replayCounter.length} octets`);
    this.ptk = { kck: Buffer.from(m.kck), kek: Buffer.from(m.kek), tk: Buffer.alloc(0) };
    this.tptk = null;
    this.ptkInstalled = true; // the firmware installed the TK it derived
    this.rxReplay = Buffer.from(m.replayCounter);
    this.msg3Ok = true;
    this.everCompleted = true;
    this.renewSnonce = true;
    this.st = 'complete';
  }

  /** Someone else (the firmware) consumed EAPOL-Key frames up to `ctr`. Forward only. */
  advanceReplayCounter(ctr: Buffer): boolean {
    if (ctr.length !== 8) return false;
    if (this.rxReplay && Buffer.compare(ctr, this.rxReplay) < 0) return false;
    this.rxReplay = Buffer.from(ctr);
    return true;
  }

  /** An EAPOL-Key request (asking the AP for a PTK rekey, or a GTK rekey when `pairwise` is false). */
  buildKeyRequest(pairwise: boolean): Buffer {
    if (!this.ptk) throw new SupplicantStateError('no PTK: an EAPOL-Key request needs a KCK for its MIC');
    this.requestCounter++;
    const ctr = Buffer.alloc(8);
    ctr.writeBigUInt64BE(this.requestCounter);
    const frame = buildEapolKey(
      {
        eapolVersion: this.eapolVersion,
        keyInfo: encodeKeyInfo({ version: this.ver, request: true, mic: true, secure: true, pairwise }),
        replayCounter: ctr,
      },
      this.akm.micLen,
    );
    return signEapolKey(frame, this.micAlg, this.ptk.kck);
  }

  /** One EAPOL frame (from the version octet) from the authenticator. */
  receive(frame: Buffer): SupplicantResult {
    const res: SupplicantResult = { tx: [], install: [], materialChanged: false };
    // The PTK and the counter themselves, not material()'s copies: they are
    // replaced, never written to, so the comparison after the frame sees every change.
    const ptk0 = this.ptk;
    const replay0 = this.rxReplay;
    try {
      const out = this.process(frame, res);
      if (out) {
        if (out.kind === 'dropped') res.dropped = out.message;
        else {
          res.failure = { reason: out.reason, message: out.message };
          this.st = 'failed';
        }
      }
    } catch (e) {
      // Only a defect can get here; keep the caller running and say what happened.
      res.dropped = `internal error: ${(e as Error).message}`;
    }
    res.materialChanged = this.materialChangedSince(ptk0, replay0);
    return res;
  }

  /** KCK, KEK or replay counter differ from those of `ptk` and `replay` (material() was null and is no longer, or the reverse). */
  private materialChangedSince(ptk: Ptk | null, replay: Buffer | null): boolean {
    const had = ptk !== null && replay !== null;
    const has = this.ptk !== null && this.rxReplay !== null;
    if (!had || !has) return had !== has;
    const now = this.ptk as Ptk;
    return !(ptk.kck.equals(now.kck) && ptk.kek.equals(now.kek) && replay.equals(this.rxReplay as Buffer));
  }

  private process(frame: Buffer, res: SupplicantResult): Outcome | undefined {
    if (this.st === 'failed') return drop('association failed; waiting for the disconnect');
    const key = readEapolKey(frame, this.akm.micLen);
    if (typeof key === 'string') return drop(key);
    const f = key.flags;
    if (f.request) return drop('EAPOL-Key with Request bit from the authenticator');
    if (f.smk) return drop('EAPOL-Key SMK message');
    if (!f.ack) return drop('EAPOL-Key without Ack bit');
    if (f.version !== this.ver) return drop(`unexpected EAPOL-Key descriptor version ${f.version} (${this.akm.name} with ${this.pairwiseCipher.name} uses ${this.ver})`);
    if (f.pairwise && f.keyIndex !== 0) return drop('pairwise EAPOL-Key with non-zero key index');
    if (this.rxReplay && Buffer.compare(key.replayCounter, this.rxReplay) <= 0) {
      return drop(`replay counter ${key.replayCounter.toString('hex')} did not increase (last ${this.rxReplay.toString('hex')})`);
    }
    if (f.pairwise && !f.mic) {
      if (f.encrypted) return drop('msg 1/4 with encrypted key data');
      return this.msg1(key, res);
    }
    if (!f.mic) return drop('group EAPOL-Key without MIC');

    // MIC: the temporary PTK of the running handshake first, then the
    // current one (a retransmitted msg 3 or a group message).
    let ptk: Ptk;
    if (this.tptk && eapolKeyMicValid(key, this.micAlg, this.tptk.kck)) {
      ptk = this.tptk;
      this.ptk = ptk;
      this.tptk = null;
      this.ptkInstalled = false;
    } else if (this.ptk && eapolKeyMicValid(key, this.micAlg, this.ptk.kck)) {
      ptk = this.ptk;
    } else {
      return drop(this.tptk || this.ptk ? 'invalid EAPOL-Key MIC' : 'no PTK to verify the EAPOL-Key MIC');
    }
    this.rxReplay = Buffer.from(key.replayCounter);

    let keyData = key.keyData;
    if (f.encrypted) {
      try {
        keyData = unwrapKeyData(ptk.kek, key.keyData);
      } catch (e) {
        if (e instanceof KeyUnwrapError) return drop('AES unwrap failed: could not decrypt EAPOL-Key key data');
        if (e instanceof CryptoInputError) return drop(`encrypted key data of ${key.keyData.length} octets cannot be unwrapped`);
        throw e;
      }
    }
    return f.pairwise ? this.msg3(key, keyData, ptk, res) : this.group1(key, keyData, ptk, res);
  }

  /* --------------------------------------------------------- msg 1/4 */

  private msg1(key: EapolKey, res: SupplicantResult): Outcome | undefined {
    let ie: KeyDataElements;
    try {
      ie = parseKeyData(key.keyData);
    } catch (e) {
      if (e instanceof KeyDataError) return fail(`invalid key data in msg 1/4: ${e.message}`);
      throw e;
    }
    let pmk = this.opts.pmk;
    if (this.akm.ft) return this.ftMsg1(key, res);
    if (ie.pmkid && !(this.opts.pmkid && ie.pmkid.equals(this.opts.pmkid))) {
      const cached = this.opts.pmksaLookup?.(ie.pmkid);
      if (cached && cached.length >= 32 && cached.length <= 64) pmk = cached;
    }
    if (!pmk) return fail('msg 1/4 with no PMK known');
    this.newSnonce(key);
    this.tptk = derivePtk({ akm: this.akm.selector, pairwise: this.pairwiseCipher.selector, pmk, aa: this.aa, spa: this.spa, anonce: key.nonce, snonce: this.snonce as Buffer });
    return this.sendMsg2(key, this.opts.ownRsne, res);
  }

  private newSnonce(key: EapolKey): void {
    if (!this.snonce || this.renewSnonce || !this.snonceAnonce || !this.snonceAnonce.equals(key.nonce)) {
      this.snonce = Buffer.from(this.random(32));
      this.renewSnonce = false;
      // One copy for both: neither is ever written to.
      this.anonce = this.snonceAnonce = Buffer.from(key.nonce);
      return;
    }
    this.anonce = Buffer.from(key.nonce);
  }

  private sendMsg2(key: EapolKey, keyData: Buffer, res: SupplicantResult): undefined {
    const msg2 = buildEapolKey(
      {
        eapolVersion: this.eapolVersion,
        keyInfo: encodeKeyInfo({ version: this.ver, pairwise: true, mic: true }),
        replayCounter: key.replayCounter,
        nonce: this.snonce as Buffer,
        keyData,
      },
      this.akm.micLen,
    );
    res.tx.push(signEapolKey(msg2, this.micAlg, (this.tptk as Ptk).kck));
    this.st = '4way';
    res.event = '4way-started';
    return undefined;
  }

  /**
   * Msg 1/4 of an FT initial mobility domain association (12.7.6.2-3): the
   * PTK comes from PMK-R1 (FT-PTK), and msg 2/4 carries our RSNE with
   * PMKR1Name as its PMKID, then the MDE and FTE of the (Re)Association
   * Response. (A PMKID KDE in msg 1 names PMKR1Name; nothing to look up.)
   */
  private ftMsg1(key: EapolKey, res: SupplicantResult): Outcome | undefined {
    const ft = this.ft;
    if (!ft) return fail('FT 4-way handshake without the MDE and FTE of the association');
    if (!this.opts.pmk) return fail('FT 4-way handshake with no PMK known');
    this.ftKeys ??= ftPmkR1(this.akm.name, this.opts.pmk, ft, this.spa);
    this.newSnonce(key);
    const ptk = deriveFtPtk({ akm: this.akm.name, pairwise: this.pairwiseCipher.name, pmkR1: this.ftKeys.pmkR1, pmkR1Name: this.ftKeys.pmkR1Name, snonce: this.snonce as Buffer, anonce: key.nonce, bssid: this.aa, sta: this.spa });
    this.tptk = { kck: ptk.kck, kek: ptk.kek, tk: ptk.tk };
    return this.sendMsg2(key, Buffer.concat([rsneWithPmkid(this.opts.ownRsne, this.ftKeys.pmkR1Name), ft.mde, ft.fte]), res);
  }

  /** The RSNE msg 3/4 must carry: the Beacon's, with PMKR1Name as its PMKID for FT. */
  private expectedMsg3Rsne(): Buffer {
    return this.akm.ft && this.ftKeys ? rsneWithPmkid(this.opts.apRsne, this.ftKeys.pmkR1Name) : this.opts.apRsne;
  }

  /* --------------------------------------------------------- msg 3/4 */

  private msg3(key: EapolKey, keyData: Buffer, ptk: Ptk, res: SupplicantResult): Outcome | undefined {
    let ie: KeyDataElements;
    try {
      ie = parseKeyData(keyData);
    } catch (e) {
      if (e instanceof KeyDataError) return fail(`invalid key data in msg 3/4: ${e.message}`);
      throw e;
    }
    if (!key.flags.encrypted && (ie.gtk || ie.igtk)) return fail('GTK/IGTK KDE in unencrypted key data');
    if (ie.igtk && this.groupMgmt && ie.igtk.key.length !== cipherInfo(this.groupMgmt).keyLen) {
      return fail(`invalid IGTK KDE length ${8 + ie.igtk.key.length}`);
    }
    if (!ie.rsne) return fail('no RSNE in msg 3/4', Reason.IE_IN_4WAY_DIFFERS);
    if (!ie.rsne.equals(this.expectedMsg3Rsne())) return fail('RSNE in msg 3/4 does not match the one in Beacon/Probe Response', Reason.IE_IN_4WAY_DIFFERS);
    if (this.akm.ft && this.ft) {
      // wpa_supplicant's ft_validate_rsnie/MDIE/FTIE checks: both as in the (Re)Association Response.
      if (!ie.mde || !ie.mde.equals(this.ft.mde)) return fail('MDE in msg 3/4 differs from the (Re)Association Response', Reason.IE_IN_4WAY_DIFFERS);
      if (!ie.fte || !ie.fte.equals(this.ft.fte)) return fail('FTE in msg 3/4 differs from the (Re)Association Response', Reason.IE_IN_4WAY_DIFFERS);
      if (ie.reassocDeadline !== undefined || ie.keyLifetime !== undefined) res.ftTimeouts = { reassocDeadline: ie.reassocDeadline, keyLifetime: ie.keyLifetime };
    }
    if (!this.anonce || !key.nonce.equals(this.anonce)) return fail('ANonce from msg 1/4 differs from msg 3/4');
    const tkLen = this.pairwiseCipher.keyLen;
    if (key.keyLength !== tkLen) return fail(`invalid ${this.pairwiseCipher.name} key length ${key.keyLength}`);

    const msg4 = buildEapolKey(
      {
        eapolVersion: this.eapolVersion,
        keyInfo: encodeKeyInfo({ version: this.ver, pairwise: true, mic: true, secure: key.flags.secure }),
        replayCounter: key.replayCounter,
      },
      this.akm.micLen,
    );
    res.tx.push(signEapolKey(msg4, this.micAlg, ptk.kck));
    // This SNonce has been answered with a msg 3: a new msg 1 gets a new one,
    // while a retransmitted msg 3 still verifies with the same PTK.
    this.renewSnonce = true;

    let newPtk = false;
    if (key.flags.install && !this.ptkInstalled) {
      res.install.push({ kind: 'pairwise', idx: 0, cipher: this.pairwiseCipher.name, key: Buffer.from(ptk.tk), rsc: Buffer.alloc(6) });
      this.ptkInstalled = true;
      newPtk = true;
    }
    this.msg3Ok = true;
    this.st = 'complete';

    if (this.groupCipher.name !== 'GTK_NOT_USED') {
      if (!ie.gtk) return fail('no GTK KDE in msg 3/4');
      const g = this.gtkInstall(ie.gtk.keyId, ie.gtk.key, key.rsc);
      if (g instanceof Outcome) return g;
      if (g) res.install.push(g);
    }
    const i = this.igtkInstall(ie);
    if (i instanceof Outcome) return i;
    if (i) res.install.push(i);

    if (newPtk) {
      res.event = this.everCompleted ? 'ptk-rekeyed' : '4way-complete';
      this.everCompleted = true;
    }
    return undefined;
  }

  /* ------------------------------------------------------ group 1/2 */

  private group1(key: EapolKey, keyData: Buffer, ptk: Ptk, res: SupplicantResult): Outcome | undefined {
    if (!this.msg3Ok) return fail('group key handshake started before the 4-way handshake completed');
    if (!key.flags.encrypted) return fail('GTK KDE in unencrypted key data');
    let ie: KeyDataElements;
    try {
      ie = parseKeyData(keyData);
    } catch (e) {
      if (e instanceof KeyDataError) return fail(`invalid key data in group msg 1/2: ${e.message}`);
      throw e;
    }
    if (!ie.gtk) return fail('no GTK KDE in group msg 1/2');
    const i = this.igtkInstall(ie);
    if (i instanceof Outcome) return i;
    const g = this.gtkInstall(ie.gtk.keyId, ie.gtk.key, key.rsc);
    if (g instanceof Outcome) return g;
    if (g) res.install.push(g);
    if (i) res.install.push(i);
    const msg2 = buildEapolKey(
      {
        eapolVersion: this.eapolVersion,
        keyInfo: encodeKeyInfo({ version: this.ver, mic: true, secure: true }),
        replayCounter: key.replayCounter,
      },
      this.akm.micLen,
    );
    res.tx.push(signEapolKey(msg2, this.micAlg, ptk.kck));
    // The state stays as it is: 'complete', or '4way' when a PTK rekey is under way.
    res.event = 'group-complete';
    return undefined;
  }

  /* ----------------------------------------------------- group keys */

  /** The GTK to install, null when it is the one already installed (KRACK), or the failure. */
  private gtkInstall(keyId: number, gtk: Buffer, rsc: Buffer): KeyInstall | null | Outcome {
    const g = this.groupCipher;
    if (gtk.length > 32) return fail(`too long GTK in GTK KDE (len=${gtk.length})`);
    if (gtk.length !== g.keyLen) return fail(`unsupported ${g.name} group cipher key length ${gtk.length}`);
    if (this.installedGtk && this.installedGtk.equals(gtk)) return null;
    this.installedGtk = Buffer.from(gtk);
    return { kind: 'group', idx: keyId, cipher: g.name, key: Buffer.from(gtk), rsc: Buffer.from(rsc.subarray(0, g.rscLen)) };
  }

  /**
   * The IGTK to install. Key IDs are 4 or 5; > 4095 fails as in
   * wpa_supplicant; the byte-swapped 0x0400/0x0500 some APs send is
   * tolerated by not installing the IGTK (wpa_supplicant's interoperability
   * workaround); other IDs fail as the driver would refuse them.
   */
  private igtkInstall(ie: KeyDataElements): KeyInstall | null | Outcome {
    if (!this.groupMgmt || !ie.igtk) return null;
    const { keyId, ipn, key } = ie.igtk;
    if (key.length !== cipherInfo(this.groupMgmt).keyLen) return fail(`invalid IGTK KDE length ${8 + key.length}`);
    if (keyId > 4095) return fail(`invalid IGTK KeyID ${keyId}`);
    if (keyId === 0x0400 || keyId === 0x0500) return null;
    if (keyId !== 4 && keyId !== 5) return fail(`IGTK KeyID ${keyId} is neither 4 nor 5`);
    if (this.installedIgtk && this.installedIgtk.equals(key)) return null;
    this.installedIgtk = Buffer.from(key);
    return { kind: 'igtk', idx: keyId, cipher: this.groupMgmt, key: Buffer.from(key), rsc: Buffer.from(ipn) };
  }
}

