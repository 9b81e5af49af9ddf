/**
 * The station's SME (wpa_supplicant 2.10's sme.c): the authentication the
 * host runs itself before an association, through a driver that carries
 * Authentication frames (SAE, FT), the driver asking for SAE (external
 * authentication), the driver's SME reporting an authentication or
 * association it ended, and the ROAMs that go through the host's SME. The
 * Station keeps connection policy and the wpa_state machine: the SME works on
 * the attempt the Station has under way and reports back through SmeStation.
 */
import type { SupplicantConfig } from '../config/config.js';
import { ssidTxt } from '../config/cstr.js';
import type { NetworkConfig } from '../config/network.js';
import type { DriverBackend } from '../driver/backend.js';
import * as log from '../log.js';
import type { KeyPath } from '../offload/key-path.js';
import { akmFamily } from '../rsn/akm.js';
import { WLAN_AUTH_FT } from '../rsn/ft-protocol.js';
import { SaeStatus, WLAN_AUTH_OPEN, WLAN_AUTH_SAE } from '../rsn/sae/status.js';
import type { Association } from './association.js';
import type { BssEntry, BssTable } from './bss-table.js';
import { ev } from './events.js';
import { saeH2eAdvertised } from './ies.js';
import { chooseSecurity, type SecurityChoice } from './select.js';
import type { WpaState } from './state.js';

/** Why an attempt the SME ran ended: WRONG_KEY disables the network for a while at once; CONN_FAILED is 2.10's wpas_connection_failed(). */
export type SmeFailure = 'WRONG_KEY' | 'CONN_FAILED';

/** The station as the SME sees it: the connection it has, and where the SME reports. */
export interface SmeStation {
  /** The connection attempt under way (before its association), if any. */
  attempt(): Association | undefined;
  /** The association in use, if any. */
  current(): Association | undefined;
  ownAddress(): string;
  setState(s: WpaState): void;
  /** A wpa_msg() of the interface, at `level` (default INFO). */
  event(text: string, level?: number): void;
  /** The SME authenticates `cur` (SAE): it is the attempt under way, AUTHENTICATING. */
  authenticating(cur: Association): void;
  /** Authenticated (`sae`: the SAE run): associate, a reassociation from `prevBssid` if given. */
  associate(net: NetworkConfig, bss: BssEntry, sec: SecurityChoice, sae: Association['sae'], prevBssid?: string): void;
  /** The attempt under way ended without an association (2.10's wpas_connection_failed() and DISCONNECTED). */
  attemptFailed(net: NetworkConfig, reason: SmeFailure): void;
  /** The driver is asked to leave `bssid` (2.10's wpa_drv_deauthenticate()); no event tells of it. */
  deauthenticate(bssid: string): void;
  /** A roam from the association in use to `target` failed: the station leaves it (wpa_supplicant_deauthenticate()) and counts the failure against `target`. */
  roamFailed(net: NetworkConfig, target: string): void;
  /** The association in use ends without a disconnect event; a new one with `target` starts, from `prevBssid`. */
  reassociate(net: NetworkConfig, target: BssEntry, sec: SecurityChoice, prevBssid: string): void;
}

export interface SmeOptions {
  ifname: string;
  driver: DriverBackend;
  keyPath: KeyPath;
  config: () => SupplicantConfig;
  bss: BssTable;
  station: SmeStation;
}

/** 2.10's SME_AUTH_TIMEOUT (sme.c), as ms: how long the SME waits for the AP's answer to an Authentication frame it sent. */
const SME_AUTH_TIMEOUT_MS = 5000;

export class Sme {
  /**
   * 2.10's sme_auth_timer: armed when the SME sends an Authentication frame
   * (a retransmission, which mac80211 makes for 2.10, arms nothing), cancelled
   * when the AP's answer comes or the attempt ends.
   */
  private authTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SmeOptions) {}

  private get st(): SmeStation {
    return this.opts.station;
  }

  /**
   * SAE before association (2.10's SME): AUTHENTICATING while the exchange
   * runs; its PMKSA joins the cache and the connect that follows names it.
   * A failure ends the attempt as 2.10's wpas_connection_failed() does; a
   * confirm that does not verify (status 15) means the password is wrong
   * and the network is disabled for a while with reason WRONG_KEY.
   */
  authenticateSae(net: NetworkConfig, bss: BssEntry, sec: SecurityChoice, prevBssid?: string): void {
    const cur: Association = { net, bssid: bss.bssid, freq: bss.freq, ssid: bss.ssid, sec, signal: bss.level };
    this.cancelAuthTimer();
    this.st.authenticating(cur);
    const target = { bssid: bss.bssid, freq: bss.freq, ssid: bss.ssid };
    // 2.10 announces each SAE Authentication frame it sends: commit (again with a token or another group), confirm.
    const sending = (): void => {
      if (this.st.attempt() !== cur) return;
      this.st.event(ev.smeTrying(bss.bssid, ssidTxt(bss.ssid), bss.freq));
      if (!this.authTimer) this.authTimer = setTimeout(() => this.authTimedOut(cur), SME_AUTH_TIMEOUT_MS);
    };
    this.opts.keyPath.authenticate(net, target, sec, this.st.ownAddress(), saeH2eAdvertised(bss.ies), (o) => {
      if (this.st.attempt() !== cur) return;
      if (o.ok) {
        log.info(`${this.opts.ifname}: SAE: authenticated with ${bss.bssid} (group ${o.group}${o.h2e ? ', H2E' : ''})`);
        this.st.associate(net, bss, sec, { group: o.group, h2e: o.h2e }, prevBssid);
        return;
      }
      log.info(`${this.opts.ifname}: SAE: authentication with ${bss.bssid} failed: ${o.reason}`);
      // sme_sae_auth(): status 123 has its own event; 76 and 77 are handled
      // (token, next group) before the generic refusal, which is AUTH-REJECT.
      if (o.status === SaeStatus.UNKNOWN_PASSWORD_IDENTIFIER) this.st.event(ev.saeUnknownPasswordId(bss.bssid));
      else if (o.peerStatus !== undefined && o.peerStatus !== SaeStatus.ANTI_CLOGGING_TOKEN_REQ && o.peerStatus !== SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED) {
        this.st.event(ev.authReject(bss.bssid, WLAN_AUTH_SAE, o.transaction ?? 1, o.peerStatus));
      }
      this.st.attemptFailed(net, o.status === SaeStatus.CHALLENGE_FAIL ? 'WRONG_KEY' : 'CONN_FAILED');
    }, sending);
  }

  /**
   * The driver, connecting, asks for SAE (nl80211 external authentication,
   * 2.10's sme_external_auth_trigger()): the host runs it with the network
   * being connected and answers with the outcome, status 0 or
   * UNSPECIFIED_FAILURE; the driver then associates, or reports the failure
   * as the connection's (assoc_reject). An abort, or a request for another
   * SSID or a network without SAE, is answered with failure.
   */
  onExternalAuth(action: 'start' | 'abort', bssid: string, ssid: Buffer): void {
    const d = this.opts.driver;
    const answer = (status: number, why: string): void => {
      log.info(`${this.opts.ifname}: SAE: external authentication with ${bssid} ${status === 0 ? 'done' : `failed: ${why}`}`);
      d.externalAuthStatus?.({ bssid, ssid, status }).catch((e: Error) => log.warning(`${this.opts.ifname}: external authentication status: ${e.message}`));
    };
    const cur = this.st.attempt();
    if (action === 'abort') return answer(SaeStatus.UNSPECIFIED_FAILURE, 'the driver aborted it');
    if (!cur || akmFamily(cur.sec.akm) !== 'sae' || !cur.ssid.equals(ssid)) return answer(SaeStatus.UNSPECIFIED_FAILURE, 'no SAE network is being connected with that SSID');
    const bss = this.opts.bss.get(bssid);
    const target = { bssid, freq: bss?.freq ?? cur.freq, ssid };
    this.opts.keyPath.authenticateExternal(cur.net, target, cur.sec, this.st.ownAddress(), bss ? saeH2eAdvertised(bss.ies) : false, (o) => {
      if (this.st.attempt() !== cur) return;
      if (o.ok) answer(0, '');
      else answer(SaeStatus.UNSPECIFIED_FAILURE, o.reason);
    });
  }

  /**
   * sme_auth_timer fired: no answer from the AP within 5 s and no report from
   * the driver (mac80211 reports TIMED_OUT before that; a driver that
   * reports nothing ends here). As 2.10's sme_deauth(): "SME: Authentication
   * timeout" (debug), the driver asked to leave the BSS (no
   * CTRL-EVENT-DISCONNECTED), then wpas_connection_failed() and DISCONNECTED.
   */
  private authTimedOut(cur: Association): void {
    this.authTimer = undefined;
    if (this.st.attempt() !== cur) return;
    this.st.event('SME: Authentication timeout', log.MsgLevel.DEBUG);
    this.st.deauthenticate(cur.bssid);
    this.st.attemptFailed(cur.net, 'CONN_FAILED');
  }

  /** 2.10's sme_state_changed(): the SME's timer ends with AUTHENTICATING. */
  stateChanged(s: WpaState): void {
    if (s !== 'AUTHENTICATING') this.cancelAuthTimer();
  }

  /** sme_event_auth(): the AP answered (or a new exchange starts its own timer). */
  private cancelAuthTimer(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
  }

  /** An Authentication frame from the AP: SAE's, or the refusal of an Open System authentication the driver's SME sent. */
  onAuthRx(bssid: string, data: Buffer, status: number): void {
    if (this.st.attempt()?.bssid === bssid.toLowerCase()) this.cancelAuthTimer();
    if (data.length >= 6 && data.readUInt16LE(0) === WLAN_AUTH_OPEN && status !== 0) {
      this.authFailed(bssid, { authType: WLAN_AUTH_OPEN, transaction: data.readUInt16LE(2), status });
      return;
    }
    this.opts.keyPath.onAuthRx(bssid, data);
  }

  /**
   * The authentication with the BSS being connected to ended without an
   * association: refused (`refused`: 2.10's sme_event_auth() prints
   * CTRL-EVENT-AUTH-REJECT), or no answer from the AP (2.10's
   * sme_event_auth_timed_out(), which prints nothing), or no answer to the
   * association (`step` Association: sme_event_assoc_timed_out(), which
   * prints nothing either, no CTRL-EVENT-ASSOC-REJECT). Either way the
   * attempt fails as with 2.10's wpas_connection_failed() (the station
   * ignores the BSS and scans again; Station.smeConnectionFailed());
   * an SAE exchange under way ends.
   */
  authFailed(bssid: string, refused?: { authType: number; transaction: number; status: number }, step: 'Authentication' | 'Association' = 'Authentication'): void {
    const cur = this.st.attempt();
    if (!cur || cur.bssid !== bssid.toLowerCase()) {
      log.debug(`${this.opts.ifname}: ${step.toLowerCase()} with ${bssid} ended, but no connection attempt to it is under way`);
      return;
    }
    if (refused) this.st.event(ev.authReject(cur.bssid, refused.authType, refused.transaction, refused.status));
    else log.debug(`${this.opts.ifname}: SME: ${step} timed out`);
    this.st.attemptFailed(cur.net, 'CONN_FAILED');
  }

  /**
   * FT over the air (802.11-2020 13.8): FT Authentication with the target
   * while still associated (AUTHENTICATING, "SME: Trying to authenticate"),
   * then the reassociation with the FT elements ("Trying to associate"); the
   * Reassociation Response's keys complete it without a 4-way handshake
   * (the station's onRoamed; then, as 2.10 shows it on the kernel radio,
   * "Associated with", "WPA: Key negotiation completed", CTRL-EVENT-CONNECTED).
   * A refusal or a response that fails the checks ends the connection as
   * 2.10's sme_event_auth() does, and the station connects again.
   */
  ftRoam(cur: Association, target: BssEntry): void {
    this.st.setState('AUTHENTICATING');
    this.st.event(ev.smeTrying(target.bssid, ssidTxt(target.ssid), target.freq));
    this.opts.keyPath.ftAuthenticate({ bssid: target.bssid, freq: target.freq, ssid: target.ssid }, (o) => {
      if (this.st.current() !== cur) return;
      if (o.ok) {
        this.st.setState('ASSOCIATING');
        this.st.event(ev.trying(target.bssid, ssidTxt(target.ssid), target.freq));
        this.opts.driver.roam(target.bssid, { ies: o.ies }).catch((e) => log.warning(`${this.opts.ifname}: driver roam failed: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      log.info(`${this.opts.ifname}: FT: authentication with ${target.bssid} failed: ${o.reason}`);
      if (o.peerStatus !== undefined) this.st.event(ev.authReject(target.bssid, WLAN_AUTH_FT, o.transaction ?? 2, o.peerStatus));
      this.st.roamFailed(cur.net, target.bssid);
    });
  }

  /**
   * ROAM on an association the host's SME made (SAE on nl80211 with
   * mac80211), as 2.10's wpa_supplicant_connect() with its SME: no
   * disconnect first; SAE with the target, or Open System when a PMKSA for it
   * is cached, then a reassociation from the current BSS. The driver leaves
   * the old AP when the new authentication starts; as 2.10 on the kernel
   * radio, no CTRL-EVENT-DISCONNECTED is reported for it.
   */
  smeRoam(cur: Association, target: BssEntry): void {
    const sec = chooseSecurity(cur.net, target, this.opts.config().pmf, (akm) => akm === cur.sec.akm) ?? cur.sec;
    this.st.reassociate(cur.net, target, sec, cur.bssid);
  }
}
