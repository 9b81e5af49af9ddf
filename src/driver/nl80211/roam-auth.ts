/**
 * The QCA KEY_MGMT_ROAM_AUTH vendor event and NL80211_CMD_ROAM, paired.
 * After a firmware roam the driver sends both, in either order. As hostap
 * (qca_nl80211_key_mgmt_auth_handler, roam_indication_done) does, a
 * ROAM_AUTH that comes first is held until the ROAM arrives; the pair gives
 * one `assoc` carrying what the firmware reports (every field optional).
 * A ROAM_AUTH after its ROAM completes it at once. Pure: no timers, no I/O.
 */
import type { AssocEvent, FirmwareMaterial } from '../backend.js';

export interface RoamAuth {
  bssid?: string;
  reqIes?: Buffer;
  respIes?: Buffer;
  authorized?: boolean;
  keyReplayCtr?: Buffer;
  kck?: Buffer;
  kek?: Buffer;
  status?: number;
  retainConnection?: boolean;
  pmk?: Buffer;
  pmkid?: Buffer;
}

export type PairedEvent =
  | { name: 'assoc'; ev: AssocEvent }
  | { name: 'port_authorized'; ev: { bssid: string; material?: FirmwareMaterial } };

function material(a: RoamAuth): FirmwareMaterial | undefined {
  const m: FirmwareMaterial = {};
  if (a.keyReplayCtr) m.keyReplayCtr = a.keyReplayCtr;
  if (a.kck) m.kck = a.kck;
  if (a.kek) m.kek = a.kek;
  return Object.keys(m).length ? m : undefined;
}

function mergeRoam(roam: AssocEvent, a: RoamAuth): AssocEvent {
  const authorized = a.authorized === true;
  const ev: AssocEvent = {
    ...roam,
    bssid: a.bssid ?? roam.bssid,
    reqIes: a.reqIes ?? roam.reqIes,
    respIes: a.respIes ?? roam.respIes,
    roam: true,
    authorized,
  };
  const m = authorized ? material(a) : undefined;
  if (m) ev.material = m;
  if (a.pmk) ev.pmk = a.pmk;
  if (a.pmkid) ev.pmkid = a.pmkid;
  return ev;
}

export class RoamAuthPairing {
  private pendingAuth: RoamAuth | null = null;
  private roamSeen: AssocEvent | null = null;

  /**
   * @param expectRoamAuth the driver sends ROAM_AUTH after roams (QCA key
   *   management offload): a ROAM alone is then held for it, as hostap
   *   ignores the bare ROAM of such a driver.
   */
  constructor(private readonly expectRoamAuth: boolean) {}

  roam(ev: AssocEvent): PairedEvent[] {
    if (this.pendingAuth) {
      const a = this.pendingAuth;
      this.pendingAuth = null;
      this.roamSeen = null;
      return [{ name: 'assoc', ev: mergeRoam(ev, a) }];
    }
    this.roamSeen = ev;
    return this.expectRoamAuth ? [] : [{ name: 'assoc', ev }];
  }

  roamAuth(a: RoamAuth): PairedEvent[] {
    // A failed reassociation the host asked for: the old link stays or a DISCONNECT follows.
    if (a.status !== undefined && a.status !== 0) return [];
    const roam = this.roamSeen;
    if (!roam) {
      this.pendingAuth = a; // a newer one replaces an older one, as in hostap
      return [];
    }
    this.roamSeen = null;
    if (this.expectRoamAuth) return [{ name: 'assoc', ev: mergeRoam(roam, a) }];
    // The ROAM already went up as an unauthorized assoc: only completion is news.
    if (a.authorized !== true) return [];
    const m = material(a);
    return [{ name: 'port_authorized', ev: m ? { bssid: a.bssid ?? roam.bssid, material: m } : { bssid: a.bssid ?? roam.bssid } }];
  }

  /** The link went (DISCONNECT, wiphy gone): nothing held belongs to the next association. */
  reset(): void {
    this.pendingAuth = null;
    this.roamSeen = null;
  }

  get holding(): boolean {
    return this.pendingAuth !== null || (this.expectRoamAuth && this.roamSeen !== null);
  }
}
