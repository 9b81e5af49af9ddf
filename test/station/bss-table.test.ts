/**
 * The BSS table's identity of a BSS, in-process: BSSID and SSID, as
 * wpa_supplicant 2.10's wpa_bss_get(). On the kernel radio the scan dump still
 * lists for 30 s (cfg80211's expiry) what a BSSID advertised before, under its
 * old SSID, next to what it advertises now; keyed by BSSID alone, whichever
 * came last in the dump hid the other and the station found no network until
 * the kernel dropped the stale one (test/radio/scenarios.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ScanBss } from '../../src/driver/backend.js';
import { BssTable } from '../../src/station/bss-table.js';

const BSSID = '02:00:00:00:00:00';

function result(ssid: string, ageMs: number): ScanBss {
  const s = Buffer.from(ssid);
  return { bssid: BSSID, ssid: s, freq: 2412, signal: -30, noise: 0, beaconInt: 100, caps: 0x0001, ies: Buffer.concat([Buffer.from([0, s.length]), s]), ageMs };
}

describe('BSS table', () => {
  it('one BSSID under two SSIDs in one scan is two BSSes, both candidates; get(bssid) gives the one updated last', () => {
    const added: string[] = [];
    const clock = { t: 100 };
    const table = new BssTable({ added: (e) => added.push(`${e.id} ${e.ssid}`), removed: () => {} }, () => clock.t);
    // the new SSID first, the kernel's stale entry (seen 20 s ago) after it
    table.update([result('radio-psk', 50), result('radio-scan-0', 20_000)]);
    expect(added).toEqual(['0 radio-psk', '1 radio-scan-0']);
    expect(table.lastScan().map((e) => e.ssid.toString())).toEqual(['radio-psk', 'radio-scan-0']);
    expect(table.get(BSSID.toUpperCase())?.ssid.toString()).toBe('radio-psk');
    // a later scan updates each under its own SSID
    clock.t = 110;
    table.update([result('radio-scan-0', 0), result('radio-psk', 5000)]);
    expect(added).toHaveLength(2);
    expect(table.get(BSSID)?.ssid.toString()).toBe('radio-scan-0');
  });
});
