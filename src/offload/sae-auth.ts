/**
 * SAE authentication on the host through the driver (wpa_supplicant 2.10's
 * SME with an nl80211 driver that has WPA_DRIVER_FLAGS_SAE): the rsn
 * SaeStation's frames go out with the driver's `auth` op, the AP's come back
 * as `auth_rx`, and its one timer runs here. The outcome is reported once:
 * the PMK and PMKID, or the status code that ended the exchange.
 */
import type { DriverBackend } from '../driver/backend.js';
import * as log from '../log.js';
import type { SaeStation } from '../rsn/sae/station.js';
import type { SaeAction } from '../rsn/sae/session.js';

export type SaeOutcome =
  | { ok: true; pmk: Buffer; pmkid: Buffer; group: number; h2e: boolean; akm: number }
  /** `peerStatus`: the AP's Authentication frame carried this failure status (2.10's CTRL-EVENT-AUTH-REJECT); absent when we ended it. */
  | { ok: false; status: number; reason: string; peerStatus?: number; transaction?: number };

export interface SaeTarget {
  bssid: string;
  freq: number;
  ssid: Buffer;
}

export class SaeAuthExchange {
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  /** The AP's last frame (transaction, status), for the failure report. */
  private lastRx: { transaction: number; status: number } | undefined;

  constructor(
    private readonly ifname: string,
    private readonly driver: DriverBackend,
    private readonly target: SaeTarget,
    private readonly sae: SaeStation,
    private readonly finish: (o: SaeOutcome) => void,
    /** Each Authentication frame as it goes out (2.10's sme_send_authentication() announces each). */
    private readonly sending: () => void = () => undefined,
  ) {}

  start(): void {
    this.apply(this.sae.start());
  }

  /** An `auth_rx` from the driver; frames of other BSSes are not ours. */
  receive(bssid: string, data: Buffer): void {
    if (this.done || bssid.toLowerCase() !== this.target.bssid) return;
    if (data.length >= 6) this.lastRx = { transaction: data.readUInt16LE(2), status: data.readUInt16LE(4) };
    this.apply(this.sae.receive(data));
  }

  /** The connection attempt ended otherwise: no more frames, no outcome. */
  abort(): void {
    this.done = true;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private apply(actions: SaeAction[]): void {
    for (const a of actions) {
      if (this.done) return;
      switch (a.kind) {
        case 'send':
          if (!this.driver.auth) return this.end({ ok: false, status: 1, reason: 'the driver has no auth op' });
          this.sending();
          this.driver.auth({ ...this.target, algorithm: 'sae', data: a.frame }).catch((e) => {
            log.warning(`${this.ifname}: SAE: driver auth failed: ${e instanceof Error ? e.message : String(e)}`);
            this.end({ ok: false, status: 1, reason: 'driver auth failed' });
          });
          break;
        case 'timer':
          this.clearTimer();
          this.timer = setTimeout(() => {
            this.timer = undefined;
            if (!this.done) this.apply(this.sae.timeout());
          }, a.ms);
          break;
        case 'cancel-timer':
          this.clearTimer();
          break;
        case 'accepted':
          this.end({ ok: true, pmk: a.pmk, pmkid: a.pmkid, group: a.group, h2e: a.h2e, akm: a.akm });
          break;
        case 'failed': {
          const rx = this.lastRx;
          const refused = rx !== undefined && rx.status === a.status && a.status !== 0;
          this.end({ ok: false, status: a.status, reason: a.reason, ...(refused ? { peerStatus: rx.status, transaction: rx.transaction } : {}) });
          break;
        }
      }
    }
  }

  private end(o: SaeOutcome): void {
    this.done = true;
    this.clearTimer();
    this.finish(o);
  }
}
