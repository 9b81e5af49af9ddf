/**
 * The order in which one scan's results join the BSS table, in-process:
 * wpa_supplicant 2.10 sorts them with wpa_scan_result_compar() first, so new
 * BSS ids (and SCAN_RESULTS, BSS RANGE=...) follow that order, not the
 * driver's. On the kernel radio 2.10 listed radio-scan-0 (WPA2), radio-scan-2
 * (WPA2), radio-scan-1 (open) where the kernel's dump had them in channel
 * order (test/radio/scenarios.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ScanBss } from '../../src/driver/backend.js';
import { BssTable } from '../../src/station/bss-table.js';
import { compareScanResults, sortScanResults } from '../../src/station/scan-order.js';

const RSNE = Buffer.from('30140100000fac040100000fac040100000fac020000', 'hex');
/** WPA (v1) vendor element: 00:50:f2 type 1. */
const WPA_IE = Buffer.from('dd160050f20101000050f20201000050f20201000050f202', 'hex');
const ESS = 0x0001;
const PRIVACY = 0x0010;

function bss(name: string, o: { freq?: number; signal?: number; noise?: number; caps?: number; extra?: Buffer } = {}): ScanBss {
  const ssid = Buffer.from(name);
  return {
    bssid: `02:00:00:00:00:${(name.charCodeAt(name.length - 1) & 0xff).toString(16).padStart(2, '0')}`,
    ssid,
    freq: o.freq ?? 2412,
    signal: o.signal ?? -30,
    noise: o.noise ?? 0,
    beaconInt: 100,
    caps: o.caps ?? ESS,
    ies: Buffer.concat([Buffer.from([0, ssid.length]), ssid, o.extra ?? Buffer.alloc(0)]),
    ageMs: 0,
  };
}
const names = (xs: ScanBss[]): string[] => xs.map((x) => x.ssid.toString());

describe('scan result order (wpa_scan_result_compar)', () => {
  it('the radio scenario: both RSN APs before the open one, the RSN ones in the driver\'s order (equal SNR)', () => {
    const dump = [
      bss('radio-scan-0', { freq: 2412, caps: ESS | PRIVACY, extra: RSNE }),
      bss('radio-scan-1', { freq: 2437 }),
      bss('radio-scan-2', { freq: 2462, caps: ESS | PRIVACY, extra: RSNE }),
    ];
    expect(names(sortScanResults(dump))).toEqual(['radio-scan-0', 'radio-scan-2', 'radio-scan-1']);
  });

  it('new BSS ids follow the sorted order', () => {
    const added: string[] = [];
    const table = new BssTable({ added: (e) => added.push(`${e.id} ${e.ssid}`), removed: () => {} }, () => 0);
    table.update(sortScanResults([bss('open-1'), bss('rsn-2', { caps: ESS | PRIVACY, extra: RSNE })]));
    expect(added).toEqual(['0 rsn-2', '1 open-1']);
  });

  it('a WPA (v1) element counts as an RSNE does; Privacy alone (WEP) comes after both, before open', () => {
    const dump = [bss('open-1'), bss('wep-2', { caps: ESS | PRIVACY }), bss('wpa-3', { caps: ESS | PRIVACY, extra: WPA_IE }), bss('rsn-4', { caps: ESS | PRIVACY, extra: RSNE })];
    expect(names(sortScanResults(dump))).toEqual(['wpa-3', 'rsn-4', 'wep-2', 'open-1']);
  });

  it('then the stronger signal first, even when the weaker is better secured no more', () => {
    expect(names(sortScanResults([bss('weak-1', { signal: -80 }), bss('strong-2', { signal: -40 })]))).toEqual(['strong-2', 'weak-1']);
    // Security outranks signal.
    expect(names(sortScanResults([bss('open-1', { signal: -30 }), bss('rsn-2', { signal: -85, caps: ESS | PRIVACY, extra: RSNE })]))).toEqual(['rsn-2', 'open-1']);
  });

  it('SNRs within 5 dB (capped at 25): 5 GHz first; further apart, the SNR decides', () => {
    // -60 and -62 on floors -89 / -92: SNR 29 and 30, both capped to 25: 5 GHz first.
    expect(names(sortScanResults([bss('two-1', { signal: -60 }), bss('five-2', { freq: 5180, signal: -62 })]))).toEqual(['five-2', 'two-1']);
    // SNR 29 against 18 (-74 on -92): 2.4 GHz, the stronger, first.
    expect(names(sortScanResults([bss('two-1', { signal: -60 }), bss('five-2', { freq: 5180, signal: -74 })]))).toEqual(['two-1', 'five-2']);
  });

  it('a noise the driver reports counts: the SNR is signal less noise', () => {
    // -50 over -70 (SNR 20) loses to -55 over -95 (SNR 40), though its signal is higher.
    expect(compareScanResults(bss('a-1', { signal: -50, noise: -70 }), bss('b-2', { signal: -55, noise: -95 }))).toBeGreaterThan(0);
  });
});
