/**
 * One simulated access point: its beacon, its group keys, and the AP side of
 * the EAPOL-Key exchanges with our station, run by the rsn Authenticator so
 * every frame carries a real MIC. Retransmission and give-up follow hostapd
 * (a request repeated eapol_retries times, then deauthentication with reason
 * 15 for the 4-way or 16 for the group key handshake).
 */
import { Authenticator, type AuthenticatorOptions } from '../../rsn/authenticator.js';
import { macBytes, pbkdf2Psk, pmkidForAkm } from '../../rsn/crypto.js';
import { akmFacts, akmFamily, cipherInfo } from '../../rsn/akm.js';
import { classifyEapol } from '../../rsn/eapol.js';
import { Reason } from '../../rsn/supplicant.js';
import * as log from '../../log.js';
import type { Clock, TimerHandle } from './clock.js';
import type { SeededRandom } from './random.js';
import type { ApConfig } from './scenario.js';
import { apRsn, apRsne, ftAssocFor } from './ies.js';
import type { SaeApPeer } from '../../rsn/sae/authenticator.js';
import { saeMachines } from '../../rsn/sae/load.js';
import { SaeStatus } from '../../rsn/sae/status.js';
import { parseRsne, WLAN_EID_RSN } from '../../rsn/rsne.js';
import { buildMde, findElement, WLAN_EID_FTE } from '../../rsn/ft.js';
import { FtProtocolError, FtStatus, FtTarget, parseFte, WLAN_AUTH_FT } from '../../rsn/ft-protocol.js';

export interface ApEnv {
  clock: Clock;
  random: SeededRandom;
  eapolTimeoutMs: number;
  eapolRetries: number;
  /** An EAPOL frame from this AP to the associated station (the simulator adds air delay). */
  toStation(ap: SimAp, frame: Buffer): void;
  /** The AP deauthenticates the station (handshake timeout, failure). */
  deauth(ap: SimAp, reason: number): void;
  /** An Authentication frame body (SAE) from this AP to the station (the simulator adds air delay). */
  authToStation(ap: SimAp, frame: Buffer): void;
  /**
   * FT-SAE: the mobility domain's key holder (hostapd's R0KH/R1KH exchange
   * between the APs, pmk_r1_push or pull): the XXKey, the SAE PMK, of a
   * station's initial mobility domain association, kept for the other APs
   * of that domain (same MDID and SSID), which derive PMK-R0 and PMK-R1 from
   * it as the R0KH would. An FT-PSK AP needs none (its PSK is the XXKey).
   */
  mobilityDomainKey: { set(ap: SimAp, sta: string, xxkey: Buffer): void; get(ap: SimAp, sta: string): Buffer | undefined };
}

/** A PMK and its PMKID as SAE made them. */
interface SaeKey {
  pmk: Buffer;
  pmkid: Buffer;
}

/** 802.11 status code: the PMKID in the RSNE names no PMKSA the AP holds. */
export const STATUS_INVALID_PMKID = 53;
const STATUS_INVALID_AKMP = 43;

interface Session {
  spa: string;
  /** The AKM the station chose among the AP's (its RSNE's). */
  akm: string;
  auth: Authenticator;
  retransmit?: TimerHandle;
  tries: number;
  /** What a give-up means: which handshake is waiting for the station. */
  waiting: '4way' | 'group' | null;
  /** The 4-way handshake has completed at least once on this association. */
  established: boolean;
  rekeyTimers: TimerHandle[];
  /** 4-way handshakes started since the last success (hostapd's ptkstart_without_success). */
  ptkStarts: number;
  /** EAP started (no PMKSA for an 802.1X station): no 4-way handshake until it completes, which it never does here. */
  eapPending?: boolean;
  /** The SAE PMKSA this association uses (hostapd's sta->wpa_sm->pmksa). */
  saePmkid?: Buffer;
}

/** What the AP saw of EAPOL-Start and EAP, for SIM_STATUS (the tests' view of "the AP was not harmed"). */
export interface ApCounters {
  eapolStarts: number;
  /** EAP-Request/Identity frames sent (EAP started over, or no PMKSA at association). */
  eapRequests: number;
  /** Stations disconnected for more than three 4-way handshake starts without success. */
  restartLimit: number;
}

/** EAP-Request/Identity (EAPOL version 2, EAP-Packet): what hostapd sends when it starts EAP over. */
const EAP_REQUEST_IDENTITY = Buffer.from('0200000501010005' + '01', 'hex');

export class SimAp {
  signal: number;
  up: boolean;
  readonly rsne: Buffer;
  private pmkCache: Buffer | undefined;
  private gtk: { key: Buffer; idx: number };
  private igtk: { key: Buffer; idx: number } | undefined;
  private session: Session | undefined;
  /** SAE with the station (hostapd's sta->sae), and the timer its last action armed. */
  private saePeer: { peer: SaeApPeer; timer?: TimerHandle } | undefined;
  /** The PMK of the SAE exchange just completed: what the next association uses without a cached PMKID. */
  private saeFresh: SaeKey | undefined;
  /** PMKSAs SAE created, by PMKID (hex): a station naming one at association skips SAE (hostapd's PMKSA cache). */
  private readonly saePmksa = new Map<string, Buffer>();
  /**
   * 802.1X: stations whose PMKSA the AP dropped. Every other station holds
   * one, from the EAP run the scenario stands for (PMK = the AP's `pmk`,
   * PMKID from it, the AA and the SPA).
   */
  private readonly droppedPmksa = new Set<string>();
  readonly counters: ApCounters = { eapolStarts: 0, eapRequests: 0, restartLimit: 0 };
  /** The key of the anti-clogging tokens (hostapd's sae_token_key). */
  private readonly tokenKey: Buffer;
  /** Anti-clogging token requests (status 76) this AP sent (SIM_STATUS sae_token_requests). */
  tokenRequests = 0;
  /** FT Authentication done with a station, waiting for its Reassociation Request (hostapd's sta->ft_state). */
  private ftPending: { sta: string; akm: string; xxkey: Buffer; target: FtTarget; r0khId: Buffer } | undefined;
  /** FT roams this AP completed (SIM_STATUS ft_roams). */
  ftRoams = 0;

  constructor(
    readonly cfg: ApConfig,
    private readonly env: ApEnv,
  ) {
    this.signal = cfg.signal;
    this.up = cfg.up;
    this.rsne = apRsne(cfg);
    this.gtk = { key: env.random.bytes(cipherInfo(cfg.group).keyLen), idx: 1 };
    this.igtk = cfg.mfp !== 'none' ? { key: env.random.bytes(cipherInfo(cfg.groupMgmt).keyLen), idx: 4 } : undefined;
    this.tokenKey = env.random.bytes(32);
  }

  /**
   * hostapd's use_anti_clogging(): tokens once sae_anti_clogging_threshold
   * SAE exchanges are open (0: always). This AP serves one station, so at
   * most one is open: thresholds above 1 never ask.
   */
  private antiCloggingRequired(): boolean {
    const open = this.saePeer && (this.saePeer.peer.state === 'committed' || this.saePeer.peer.state === 'confirmed') ? 1 : 0;
    return open >= this.cfg.saeAntiCloggingThreshold;
  }

  /** Derived on first association: 1000 APs with distinct SSIDs would otherwise cost 1000 PBKDF2 runs at start. */
  private get pmk(): Buffer {
    this.pmkCache ??= this.cfg.pmk ?? pbkdf2Psk(this.cfg.passphrase as string, this.cfg.ssid);
    return this.pmkCache;
  }

  get bssid(): string {
    return this.cfg.bssid;
  }

  /** The TK of the PTK the last 4-way handshake confirmed (to check what the host installed). */
  get tk(): Buffer | undefined {
    return this.session?.auth.ptk?.tk;
  }

  get gtkKey(): Buffer {
    return this.gtk.key;
  }

  get rsn(): boolean {
    return apRsn(this.cfg);
  }

  /**
   * An SAE Authentication frame from the station, answered as hostapd's
   * handle_auth_sae() (the rsn SaeApPeer); a new commit after a failed or
   * finished exchange starts a new one.
   */
  receiveAuth(sta: string, frame: Buffer): void {
    if (frame.length >= 2 && frame.readUInt16LE(0) === WLAN_AUTH_FT) {
      this.receiveFtAuth(sta, frame);
      return;
    }
    if (!this.cfg.akms.some((a) => akmFamily(a) === 'sae')) {
      log.debug(`sim: AP ${this.bssid}: SAE Authentication frame from ${sta} dropped: no SAE here`);
      return;
    }
    if (!this.saePeer || this.saePeer.peer.state === 'failed') {
      this.saePeer?.timer?.cancel();
      const peer = new (saeMachines().SaeApPeer)({
        bssid: this.bssid,
        staAddr: sta,
        ssid: this.cfg.ssid,
        passwords: [{ password: this.cfg.passphrase as string }],
        saeGroups: this.cfg.saeGroups,
        saePwe: this.cfg.saePwe,
        antiClogging: { required: () => this.antiCloggingRequired(), secret: this.tokenKey },
        random: (n: number) => this.env.random.bytes(n),
      });
      this.saePeer = { peer };
    }
    this.saeActions(this.saePeer.peer.receive(frame));
  }

  private saeActions(actions: ReturnType<SaeApPeer['receive']>): void {
    const st = this.saePeer;
    if (!st) return;
    for (const a of actions) {
      switch (a.kind) {
        case 'send':
          if (a.frame.length >= 6 && a.frame.readUInt16LE(4) === SaeStatus.ANTI_CLOGGING_TOKEN_REQ) this.tokenRequests++;
          this.env.authToStation(this, a.frame);
          break;
        case 'timer':
          st.timer?.cancel();
          st.timer = this.env.clock.after(a.ms, () => {
            st.timer = undefined;
            if (this.saePeer === st) this.saeActions(st.peer.timeout());
          });
          break;
        case 'cancel-timer':
          st.timer?.cancel();
          st.timer = undefined;
          break;
        case 'accepted':
          this.saeFresh = { pmk: a.pmk, pmkid: a.pmkid };
          this.saePmksa.set(a.pmkid.toString('hex'), a.pmk);
          log.info(`sim: AP ${this.bssid}: SAE accepted (group ${a.group})`);
          break;
        case 'failed':
          log.info(`sim: AP ${this.bssid}: SAE failed: ${a.reason}`);
          break;
      }
    }
  }

  /**
   * An FT Authentication Request (hostapd's wpa_ft_process_auth_req()): the
   * AKM of its RSNE must be an FT AKM of this AP, and its PMKR0Name one this
   * AP can derive from the PSK (ft_psk_generate_local=1; for FT-EAP the AP's
   * `pmk` stands in for XXKey as in the initial association; for FT-SAE the
   * SAE PMK of the station's initial association, from the mobility domain's
   * key holder, else status 53 as hostapd answers when no R0KH gives it
   * PMK-R1). Answered with transaction 2 and the status.
   */
  private receiveFtAuth(sta: string, frame: Buffer): void {
    const ies = frame.subarray(6);
    const reply = (status: number, body: Buffer = Buffer.alloc(0)): void => {
      const h = Buffer.alloc(6);
      h.writeUInt16LE(WLAN_AUTH_FT, 0);
      h.writeUInt16LE(2, 2);
      h.writeUInt16LE(status, 4);
      this.env.authToStation(this, Buffer.concat([h, body]));
    };
    let akm: string | undefined;
    try {
      const rsne = findElement(ies, WLAN_EID_RSN);
      akm = rsne ? parseRsne(rsne).akms[0] : undefined;
    } catch {
      akm = undefined;
    }
    if (!akm || !akmFacts(akm)?.ft || !(this.cfg.akms as readonly string[]).includes(akm)) {
      log.info(`sim: AP ${this.bssid}: FT Authentication from ${sta} refused: AKM ${akm ?? 'none'} not offered`);
      reply(STATUS_INVALID_AKMP);
      return;
    }
    const xxkey = akmFamily(akm) === 'sae' ? this.env.mobilityDomainKey.get(this, sta) : this.pmk;
    if (!xxkey) {
      log.info(`sim: AP ${this.bssid}: FT Authentication from ${sta} refused: no PMK-R0 for it in the mobility domain`);
      reply(FtStatus.INVALID_PMKID);
      return;
    }
    const target = new FtTarget({
      akm, pairwise: this.cfg.pairwise, apRsne: this.rsne, xxkey, ssid: this.cfg.ssid, mdid: this.cfg.mdid, mde: buildMde(this.cfg.mdid),
      aa: this.bssid, spa: sta, gtk: this.gtk, igtk: this.igtk, random: (n: number) => this.env.random.bytes(n),
    });
    try {
      const resp = target.authRequest(ies);
      const fte = findElement(ies, WLAN_EID_FTE);
      this.ftPending = { sta, akm, xxkey, target, r0khId: fte ? (parseFte(fte).r0khId ?? Buffer.alloc(0)) : Buffer.alloc(0) };
      log.info(`sim: AP ${this.bssid}: FT Authentication with ${sta} accepted`);
      reply(0, resp);
    } catch (e) {
      if (!(e instanceof FtProtocolError)) throw e;
      log.info(`sim: AP ${this.bssid}: FT Authentication from ${sta} refused: ${e.message}`);
      reply(e.status);
    }
  }

  /**
   * A Reassociation Request after FT Authentication (hostapd's
   * wpa_ft_validate_reassoc()): its FTE MIC checked, the association keyed
   * with the FT PTK and no 4-way handshake. The response's FT elements (with
   * the GTK and IGTK), or the status refusing the request.
   */
  ftReassociate(spa: string, reqIes: Buffer): { status: number; respIes?: Buffer } {
    const p = this.ftPending;
    if (!p || p.sta !== spa) return { status: FtStatus.INVALID_PMKID };
    let r: ReturnType<FtTarget['reassocRequest']>;
    try {
      r = p.target.reassocRequest(reqIes);
    } catch (e) {
      if (!(e instanceof FtProtocolError)) throw e;
      log.info(`sim: AP ${this.bssid}: FT Reassociation Request from ${spa} refused: ${e.message}`);
      return { status: e.status };
    }
    this.ftPending = undefined;
    this.disassociate();
    const mde = buildMde(this.cfg.mdid);
    const fte = findElement(r.ies, WLAN_EID_FTE) as Buffer;
    const staRsne = findElement(reqIes, WLAN_EID_RSN) as Buffer;
    const auth = this.newAuthenticator(spa, staRsne, {
      akm: p.akm,
      pmk: p.xxkey,
      // A later PTK rekey is an FT 4-way handshake keyed by the PMK-R1 of this transition.
      ft: { mde, fte, mdid: this.cfg.mdid, r0khId: p.r0khId, r1khId: macBytes(this.bssid), ssid: this.cfg.ssid },
    });
    auth.establishFt(r.ptk);
    this.session = { spa, akm: p.akm, auth, tries: 0, waiting: null, established: true, rekeyTimers: [], ptkStarts: 0 };
    this.ftRoams++;
    log.info(`sim: AP ${this.bssid}: FT reassociation with ${spa}; keys from the FT exchange, no 4-way handshake`);
    return { status: 0, respIes: r.ies };
  }

  /** The AP lost its state (down): SAE instance, fresh PMK, PMKSA cache, and an FT Authentication not yet followed by reassociation. */
  forgetSae(): void {
    this.ftPending = undefined;
    this.saePeer?.timer?.cancel();
    this.saePeer = undefined;
    this.saeFresh = undefined;
    this.saePmksa.clear();
  }

  /**
   * The PMK an SAE association uses (hostapd at (Re)Association Request): the
   * PMKSA the RSNE's PMKID names, else the one the SAE exchange just made;
   * undefined when neither exists (status 53, INVALID_PMKID).
   */
  saeKey(staRsne: Buffer): SaeKey | undefined {
    let pmkids: Buffer[] = [];
    try {
      pmkids = staRsne.length ? parseRsne(staRsne).pmkids : [];
    } catch {
      pmkids = [];
    }
    for (const id of pmkids) {
      const pmk = this.saePmksa.get(id.toString('hex'));
      if (pmk) return { pmk, pmkid: id };
    }
    if (pmkids.length && !this.saeFresh) return undefined;
    return this.saeFresh;
  }

  /** The 802.1X PMKSA the AP holds for this station with this AKM (undefined: dropped, or not an 802.1X AKM). */
  dot1xPmksa(spa: string, akm: string): { pmk: Buffer; pmkid: Buffer } | undefined {
    if (akmFamily(akm) !== '8021x' || this.droppedPmksa.has(spa)) return undefined;
    return { pmk: this.pmk, pmkid: pmkidForAkm(akm, this.pmk, this.bssid, spa) };
  }

  /** The AKM of the station's RSNE when this AP offers it (a transition-mode AP has several), else the AP's first. */
  private chosenAkm(staRsne: Buffer): string {
    try {
      const chosen = staRsne.length ? parseRsne(staRsne).akms[0] : undefined;
      if (chosen && (this.cfg.akms as readonly string[]).includes(chosen)) return chosen;
    } catch {
      // An RSNE the AP cannot parse: its first AKM (the association check refused it already).
    }
    return this.cfg.akms[0];
  }

  /** The AP's side of an association's keys: this BSS's ciphers, RSNE, GTK/IGTK and random, with the association's own AKM and PMK. */
  private newAuthenticator(spa: string, staRsne: Buffer, o: Pick<AuthenticatorOptions, 'akm' | 'pmk' | 'pmkid' | 'ft'>): Authenticator {
    return new Authenticator({
      ...o,
      pairwise: this.cfg.pairwise,
      group: this.cfg.group,
      groupMgmt: this.igtk ? this.cfg.groupMgmt : undefined,
      mfp: this.cfg.mfp !== 'none',
      aa: this.bssid,
      spa,
      apRsne: this.rsne,
      staRsne,
      gtk: this.gtk,
      igtk: this.igtk,
      random: (n: number) => this.env.random.bytes(n),
    });
  }

  /**
   * The station associated: the AP starts the 4-way handshake (msg 1/4).
   * An 802.1X station gets EAP instead when its RSNE names PMKIDs and none is
   * a PMKSA the AP holds for it, as hostapd's ieee802_1x_new_station() does
   * without a PMKSA ("PMK from PMKSA cache - skip IEEE 802.1X/EAP" only with
   * one); EAP cannot complete here (the host runs no EAP method). A station
   * naming no PMKID stands for one that has just run EAP with the AP's server
   * (whose PMK is the scenario's `pmk`): the AP holds its PMKSA again. A
   * firmware roam is the firmware's business (it holds the target's PMK).
   */
  associate(spa: string, staRsne: Buffer, roam = false): void {
    this.disassociate();
    if (!this.rsn) return;
    const akm = this.chosenAkm(staRsne);
    const sae = akmFamily(akm) === 'sae' ? this.saeKey(staRsne) : undefined;
    // FT-SAE: the initial mobility domain association's XXKey (the SAE PMK) goes to the domain's key holder.
    if (sae && akmFacts(akm)?.ft) this.env.mobilityDomainKey.set(this, spa, sae.pmk);
    // A fresh SAE PMK serves one association; a cached one is named again by PMKID.
    this.saeFresh = undefined;
    const pmk = sae?.pmk ?? this.pmk;
    const auth = this.newAuthenticator(spa, staRsne, {
      akm,
      pmk,
      // hostapd names the PMKSA in msg 1/4 for 802.1X and SAE AKMs, not for PSK.
      pmkid: sae ? sae.pmkid : akmFamily(akm) === '8021x' ? pmkidForAkm(akm, pmk, this.bssid, spa) : undefined,
      ft: ftAssocFor(this.cfg, akm),
    });
    this.session = { spa, akm, auth, tries: 0, waiting: null, established: false, rekeyTimers: [], ptkStarts: 0, ...(sae ? { saePmkid: sae.pmkid } : {}) };
    if (akmFamily(akm) === '8021x' && !roam && !this.dot1xKeyed(spa, akm, staRsne)) {
      log.info(`sim: AP ${this.bssid}: no PMKSA for ${spa}: EAP starts`);
      this.session.eapPending = true;
      this.sendEap(this.session);
      return;
    }
    this.session.ptkStarts++;
    this.sendRequest(auth.start(), '4way');
  }

  /** An 802.1X association can run the 4-way handshake: a PMKSA the RSNE names, or (no PMKID named) a fresh EAP run. */
  private dot1xKeyed(spa: string, akm: string, staRsne: Buffer): boolean {
    let offered: Buffer[] = [];
    try {
      offered = staRsne.length ? parseRsne(staRsne).pmkids : [];
    } catch {
      offered = [];
    }
    if (offered.length === 0) {
      this.droppedPmksa.delete(spa);
      return true;
    }
    const held = this.dot1xPmksa(spa, akm);
    return held !== undefined && offered.some((id) => id.equals(held.pmkid));
  }

  disassociate(): void {
    const s = this.session;
    if (!s) return;
    s.retransmit?.cancel();
    for (const t of s.rekeyTimers) t.cancel();
    this.session = undefined;
  }

  /** An EAPOL frame from the station. */
  receive(src: string, frame: Buffer): void {
    const s = this.session;
    if (!s || s.spa !== src) {
      log.debug(`sim: AP ${this.bssid}: EAPOL from unassociated ${src} dropped`);
      return;
    }
    const kind = classifyEapol(frame);
    if (kind === 'start') {
      this.onEapolStart(s);
      return;
    }
    if (kind === 'eap' || kind === 'logoff' || kind === 'other' || kind === 'invalid') {
      log.debug(`sim: AP ${this.bssid}: ignored EAPOL frame (${kind})`);
      return;
    }
    if (s.eapPending) {
      log.debug(`sim: AP ${this.bssid}: EAPOL-Key while EAP is pending; dropped`);
      return;
    }
    const r = s.auth.receive(frame);
    if (r.dropped) log.debug(`sim: AP ${this.bssid}: dropped EAPOL-Key: ${r.dropped}`);
    if (r.failure) {
      log.info(`sim: AP ${this.bssid}: handshake failed: ${r.failure.message ?? r.failure.reason}`);
      this.giveUp(r.failure.reason);
      return;
    }
    for (const f of r.tx) this.env.toStation(this, f);
    if (r.event === '4way-complete' || r.event === 'group-complete' || r.event === 'ptk-rekeyed') {
      s.retransmit?.cancel();
      s.retransmit = undefined;
      s.waiting = null;
      if (r.event !== 'group-complete') s.ptkStarts = 0;
      if (r.event !== 'group-complete' && !s.established) {
        s.established = true;
        this.armRekeys(s);
      }
    } else if (r.tx.length > 0) {
      // msg 3, or the handshake an EAPOL-Key request asked for, went out: it has its own retransmission budget.
      this.sendRequest(null, classifyEapol(r.tx[0]) === 'group-1' ? 'group' : '4way');
    }
  }

  /**
   * EAPOL-Start, as the APs the host meets treat it (by the AKM the station
   * chose for this association):
   * - 802.1X: hostapd's ieee802_1x_receive() drops the station's cached
   *   PMKSA ("cached PMKSA available - ignore it since STA sent
   *   EAPOL-Start") and starts EAP over (EAP-Request/Identity), which a host
   *   without EAP methods cannot answer: the AP gives up on the station after
   *   its EAP timeout, and the PMKSA is gone for the next association.
   * - FT, SAE and PSK on a BSS without 802.1X: hostapd 2.10 ignores it
   *   ("IEEE 802.1X: Ignore EAPOL message - 802.1X not enabled and WPS not
   *   used", measured on the kernel radio: test/radio/takeback.ts); the SAE
   *   PMKSA stays. Vendor APs (Ralink/MediaTek's WpaEAPOLStartAction) restart
   *   a PSK station's 4-way handshake; the simulator does that for PSK unless
   *   `psk_eapol_start = ignore`, the hostapd behaviour.
   * A restart goes through hostapd's wpa_auth_sm_event(WPA_REAUTH_EAPOL)
   * rule: more than three 4-way handshake starts without success
   * (ptkstart_without_success > 3) and the station is disconnected.
   */
  private onEapolStart(s: Session): void {
    this.counters.eapolStarts++;
    const akm = akmFacts(s.akm);
    if (akm?.ft || akm?.family === 'sae') {
      log.debug(`sim: AP ${this.bssid}: EAPOL-Start from an ${akm.ft ? 'FT' : 'SAE'} station ignored (802.1X not enabled)`);
      return;
    }
    const startsEap = akm?.family === '8021x';
    if (startsEap && !this.droppedPmksa.has(s.spa)) {
      log.info(`sim: AP ${this.bssid}: EAPOL-Start: cached PMKSA of ${s.spa} dropped`);
      this.droppedPmksa.add(s.spa);
    }
    if (s.ptkStarts > 3) {
      log.info(`sim: AP ${this.bssid}: multiple restarts without 4-way handshake completion, disconnecting ${s.spa}`);
      this.counters.restartLimit++;
      this.giveUp(Reason.FOURWAY_HANDSHAKE_TIMEOUT);
      return;
    }
    if (startsEap) {
      log.info(`sim: AP ${this.bssid}: EAP starts over for ${s.spa}`);
      s.eapPending = true;
      this.sendEap(s);
      return;
    }
    if (this.cfg.pskEapolStart === 'ignore') {
      log.debug(`sim: AP ${this.bssid}: EAPOL-Start from a PSK station ignored`);
      return;
    }
    log.debug(`sim: AP ${this.bssid}: EAPOL-Start, restarting the 4-way handshake`);
    this.startPtkRekey();
  }

  /** EAP-Request/Identity, repeated as a request; unanswered, the AP gives up on the station. */
  private sendEap(s: Session): void {
    this.counters.eapRequests++;
    this.env.toStation(this, EAP_REQUEST_IDENTITY);
    s.retransmit?.cancel();
    s.waiting = '4way';
    // One EAP timeout, then the AP gives up (the host runs no EAP method).
    s.tries = this.env.eapolRetries;
    this.armRetransmit(s);
  }

  /** Group key handshake with a fresh GTK (index alternates 1 and 2, as hostapd does). */
  startGroupRekey(): boolean {
    const s = this.session;
    if (!s || !s.established) return false;
    this.gtk = { key: this.env.random.bytes(cipherInfo(this.cfg.group).keyLen), idx: this.gtk.idx === 1 ? 2 : 1 };
    this.sendRequest(s.auth.startGroupRekey(this.gtk), 'group');
    return true;
  }

  /** A new 4-way handshake on the running association (fresh ANonce). */
  startPtkRekey(): boolean {
    const s = this.session;
    if (!s) return false;
    s.ptkStarts++;
    this.sendRequest(s.established ? s.auth.startPtkRekey() : s.auth.start(), '4way');
    return true;
  }

  /** Sends a request frame (or re-arms for one already sent) and arms its retransmission. */
  private sendRequest(frame: Buffer | null, waiting: '4way' | 'group'): void {
    const s = this.session;
    if (!s) return;
    if (frame) this.env.toStation(this, frame);
    s.waiting = waiting;
    s.tries = 0;
    this.armRetransmit(s);
  }

  private armRetransmit(s: Session): void {
    s.retransmit?.cancel();
    s.retransmit = this.env.clock.after(this.env.eapolTimeoutMs, () => {
      if (this.session !== s || !s.waiting) return;
      if (s.tries >= this.env.eapolRetries) {
        this.giveUp(s.waiting === 'group' ? Reason.GROUP_KEY_UPDATE_TIMEOUT : Reason.FOURWAY_HANDSHAKE_TIMEOUT);
        return;
      }
      s.tries++;
      const f = s.auth.retransmit();
      if (f) this.env.toStation(this, f);
      this.armRetransmit(s);
    });
  }

  private armRekeys(s: Session): void {
    const every = (sec: number, fn: () => void): void => {
      if (sec <= 0) return;
      const tick = (): void => {
        if (this.session !== s) return;
        fn();
        s.rekeyTimers.push(this.env.clock.after(sec * 1000, tick));
      };
      s.rekeyTimers.push(this.env.clock.after(sec * 1000, tick));
    };
    every(this.cfg.gtkRekeyS, () => this.startGroupRekey());
    every(this.cfg.ptkRekeyS, () => this.startPtkRekey());
  }

  private giveUp(reason: number): void {
    log.info(`sim: AP ${this.bssid}: deauthenticating ${this.session?.spa} (reason ${reason})`);
    this.disassociate();
    this.env.deauth(this, reason);
  }
}
