/**
 * `[driver] assume_4way_offload`: a validation setting for firmware and
 * driver engineers. The nl80211 backend treats the radio as running the
 * 4-way handshake for the AKM families listed although the wiphy does not
 * advertise it (no NL80211_EXT_FEATURE_4WAY_HANDSHAKE_STA_PSK, no
 * SAE_OFFLOAD), and the radio then behaves as a firmware that was handed the
 * handshake and never signals completion: the key owner asks it to run the
 * handshake, hears nothing, and takes the handshake back against the real
 * AP, by the means take-back.ts gives the AKM.
 *
 * This is the one place the setting acts: the capabilities the backend
 * reports (so the key owner's offload decision, policy.ts, is the ordinary
 * one), what CONNECT leaves out (ATTR_PMK, WANT_1X_4WAY_HS and SAE_PASSWORD
 * need extended features the radio lacks: cfg80211 would refuse them), and
 * the silence itself: the AP's EAPOL frames are dropped before the host sees
 * them, as a firmware that consumes them, until the host sends an EAPOL frame
 * of its own (the EAPOL-Start of the take-back) or a connection without
 * offload begins.
 *
 * - `psk`: PSK AKMs (four_way_psk). PSK takes back with one EAPOL-Start; FT-PSK
 *   by reassociating with the handshake on the host.
 * - `sae`: SAE (sae_offload), only for a connection that offers a cached PMKSA:
 *   the radio cannot run SAE in place of a firmware, so the host SME
 *   authenticates with Open System and associates offering the PMKID (as such
 *   a firmware does with PMKSA caching); SAE takes back by reassociating. It
 *   needs a wiphy that takes SAE frames from user space (NL80211_FEATURE_SAE).
 * A ROAM is not silenced: the host sees the new BSS's msg 1/4 as forwarded by
 * the firmware and runs the handshake.
 */
import * as log from '../../log.js';
import { akmFamily } from '../../rsn/akm.js';
import { type ConnectParams, type DriverCapabilities, DriverError } from '../backend.js';
import type { AssumedOffload } from './options.js';

/** The capabilities with the assumed offloads; `emulated`: those the radio does not really have. */
export function assumeOffload(caps: DriverCapabilities, assumed: readonly AssumedOffload[]): { caps: DriverCapabilities; emulated: AssumedOffload[] } {
  const emulated: AssumedOffload[] = [];
  const out = { ...caps };
  if (assumed.includes('psk') && !caps.four_way_psk) {
    out.four_way_psk = true;
    emulated.push('psk');
  }
  // The emulation's SAE connection goes through the host SME (Open System with a cached PMKSA).
  if (assumed.includes('sae') && !caps.sae_offload) {
    if (caps.sae_auth === true) {
      out.sae_offload = true;
      emulated.push('sae');
    } else {
      log.warning('nl80211: [driver] assume_4way_offload = sae needs a radio that takes SAE frames from user space (NL80211_FEATURE_SAE): not assumed');
    }
  }
  return { caps: out, emulated };
}

/** A radio whose firmware is assumed to run the handshake and never completes it. */
export class SilentFirmware {
  private dropping = false;
  private dropped = 0;

  constructor(private readonly emulated: readonly AssumedOffload[]) {}

  /**
   * The parameters to send for a connection: one the host handed to the
   * "firmware" goes without what the radio would refuse, and its EAPOL
   * frames are dropped from now on. Throws DriverError for an SAE connection
   * without a cached PMKSA (the radio cannot run SAE for it).
   */
  connect(p: ConnectParams): ConnectParams {
    const family = akmFamily(p.akm);
    const psk = family === 'psk' && p.pmk !== undefined && this.emulated.includes('psk');
    const sae = family === 'sae' && p.sae !== undefined && this.emulated.includes('sae');
    this.dropping = psk || sae;
    this.dropped = 0;
    if (!this.dropping) return p;
    if (sae && !p.pmkid) {
      this.dropping = false;
      throw new DriverError('connect', 'assume_4way_offload = sae: the radio cannot run SAE in place of a firmware; it needs a cached PMKSA (connect once with the setting off)');
    }
    log.info(`nl80211: assume_4way_offload: ${p.akm} handed to a firmware the radio does not have; its EAPOL frames are dropped until the host sends one`);
    const { pmk: _pmk, sae: _sae, ...rest } = p;
    return { ...rest, fourWayOffload: false };
  }

  /** A received EAPOL frame: true when the silent firmware consumes it. */
  consumes(src: string): boolean {
    if (!this.dropping) return false;
    this.dropped++;
    log.info(`nl80211: assume_4way_offload: EAPOL frame ${this.dropped} from ${src} dropped (the firmware is assumed to run the handshake)`);
    return true;
  }

  /** The host sent an EAPOL frame: it has taken the handshake back; the AP's frames reach it again. */
  hostSent(): void {
    if (!this.dropping) return;
    this.dropping = false;
    log.info(`nl80211: assume_4way_offload: the host took the handshake back after ${this.dropped} dropped EAPOL frame(s)`);
  }
}
