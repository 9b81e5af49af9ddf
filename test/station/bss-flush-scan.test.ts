/**
 * 2.10's clear_driver_scan_cache: wpa_bss_flush() (BSS_FLUSH 0, FLUSH) makes
 * the next scan ask the driver to drop its cached results (only_new_results,
 * nl80211's NL80211_SCAN_FLAG_FLUSH); a scan triggered clears it;
 * BSS_FLUSH <age> (wpa_bss_flush_by_age()) does not set it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanParams } from '../../src/driver/backend.js';
import { Inproc } from '../offload/inproc.js';

const SCENARIO = '[ap a]\nbssid = 02:00:00:00:7a:01\nssid = flush-net\nfreq = 2412\nsignal = -40\nakm = NONE\n';

let r: Inproc | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

/** The flush flag of each scan the station asks the driver for from now on. */
function recordScans(x: Inproc): (boolean | undefined)[] {
  const seen: (boolean | undefined)[] = [];
  const scan = x.driver.scan.bind(x.driver);
  x.driver.scan = (p: ScanParams) => {
    seen.push(p.flush);
    return scan(p);
  };
  return seen;
}

async function scanOnce(x: Inproc): Promise<void> {
  const from = x.mark();
  expect(x.station.userScan().status).toBe('ok');
  await x.until(/CTRL-EVENT-SCAN-RESULTS/, from);
}

describe('the scan after a BSS flush flushes the driver\'s scan cache', () => {
  it('BSS_FLUSH 0: the next scan only; BSS_FLUSH <age>: none', async () => {
    r = await Inproc.start({ scenario: SCENARIO, conf: '' });
    const flags = recordScans(r);
    await scanOnce(r);
    r.station.flushBss(0);
    await scanOnce(r);
    await scanOnce(r);
    r.station.flushBss(5);
    await scanOnce(r);
    expect(flags.map(Boolean)).toEqual([false, true, false, false]);
  });

  it('FLUSH too (it empties the BSS table with wpa_bss_flush())', async () => {
    r = await Inproc.start({ scenario: SCENARIO, conf: '' });
    const flags = recordScans(r);
    r.station.flush(() => undefined);
    await scanOnce(r);
    await scanOnce(r);
    expect(flags.map(Boolean)).toEqual([true, false]);
  });
});
