/**
 * The order of one scan's results before they join the BSS table, as
 * wpa_supplicant 2.10's wpa_supplicant_get_scan_results() sorts them with
 * wpa_scan_result_compar(): new BSS ids are given in that order, so BSS,
 * SCAN_RESULTS and every id-ordered listing follow it.
 *
 * Best first: a WPA or RSN element; then Privacy; then the SNR (the signal
 * above the noise, or above the band's default noise floor when the driver
 * gives none), 5 GHz first when the SNRs are within 5 dB. 2.10 also prefers a
 * higher estimated throughput when the SNRs are within 7 dB; that estimate
 * (wpas_get_est_tpt(): HT/VHT/HE rates against SNR) is not made here, so such
 * results keep the driver's order, as do results that compare equal (glibc's
 * qsort is a merge sort: stable, as Array.prototype.sort).
 */
import type { ScanBss } from '../driver/backend.js';
import { CAPAB_PRIVACY, EID_RSN, EID_VENDOR, parseIes } from './ies.js';

/** scan.h: an SNR at or above this is as good as any. */
const GREAT_SNR = 25;
/** driver.h: the noise floor assumed when the driver reports none. */
const DEFAULT_NOISE_FLOOR_2GHZ = -89;
const DEFAULT_NOISE_FLOOR_5GHZ = -92;
/** The WPA (version 1) vendor element: OUI 00:50:f2, type 1. */
const WPA_IE_PREFIX = Buffer.from([0x00, 0x50, 0xf2, 0x01]);

const is5Ghz = (freq: number): boolean => freq > 4000 && freq < 5895;
const is6Ghz = (freq: number): boolean => (freq >= 5955 && freq <= 7115) || freq === 5935;

function hasWpa(ies: Buffer): boolean {
  return parseIes(ies).some((ie) => ie.id === EID_RSN || (ie.id === EID_VENDOR && ie.body.subarray(0, 4).equals(WPA_IE_PREFIX)));
}

/** scan_snr(): level in dBm less the noise, the band's default floor when the noise is unknown (0). */
function snr(r: ScanBss): number {
  const noise = r.noise !== 0 ? r.noise : is5Ghz(r.freq) || is6Ghz(r.freq) ? DEFAULT_NOISE_FLOOR_5GHZ : DEFAULT_NOISE_FLOOR_2GHZ;
  return r.signal - noise;
}

/** wpa_scan_result_compar(): > 0 when `b` is better. */
export function compareScanResults(a: ScanBss, b: ScanBss): number {
  const wpaA = hasWpa(a.ies);
  const wpaB = hasWpa(b.ies);
  if (wpaA !== wpaB) return wpaB ? 1 : -1;
  const privA = (a.caps & CAPAB_PRIVACY) !== 0;
  const privB = (b.caps & CAPAB_PRIVACY) !== 0;
  if (privA !== privB) return privB ? 1 : -1;
  const fullA = snr(a);
  const fullB = snr(b);
  const snrA = Math.min(fullA, GREAT_SNR);
  const snrB = Math.min(fullB, GREAT_SNR);
  if (snrA && snrB && Math.abs(snrB - snrA) < 5) {
    if (is6Ghz(a.freq) !== is6Ghz(b.freq)) return is6Ghz(a.freq) ? -1 : 1;
    if (is5Ghz(a.freq) !== is5Ghz(b.freq)) return is5Ghz(a.freq) ? -1 : 1;
  }
  // No quality value: equal SNRs compare equal.
  return fullB - fullA;
}

/** A sorted copy of one scan's results. */
export function sortScanResults(results: readonly ScanBss[]): ScanBss[] {
  return [...results].sort(compareScanResults);
}
