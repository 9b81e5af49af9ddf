/**
 * PMKSA-CACHE-REMOVED in process: 2.10's wpa_supplicant_remove_pmkid() is
 * called for every entry pmksa_cache_free_entry() frees, and announces the
 * ones whose network is configured.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Inproc } from './inproc.js';

const A = '02:00:00:00:9a:01';
const B = '02:00:00:00:9a:02';
const C = '02:00:00:00:9a:03';
const pmkid = (b: number): Buffer => Buffer.alloc(16, b);
const pmk = (b: number): Buffer => Buffer.alloc(32, b);
const CONF = 'network={\n\tssid="rm-net"\n\tpsk="12345678"\n\tdisabled=1\n}\n';

let r: Inproc | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

const pmksaEvents = (x: Inproc, from: number): string[] => x.eventsFrom(from).filter((e) => e.startsWith('PMKSA-CACHE-'));

describe('PMKSA-CACHE-REMOVED <bssid> <network id>', () => {
  it('for the entry a new PMKSA for the same AA replaces (before its PMKSA-CACHE-ADDED), for one that expires, and for each one a flush empties', async () => {
    r = await Inproc.start({ conf: CONF });
    const from = r.mark();
    r.pmksa.addFromHost(A, pmkid(1), pmk(2), 'WPA-PSK', 0);
    r.pmksa.addFromHost(A, pmkid(3), pmk(4), 'WPA-PSK', 0);
    r.pmksa.addFromHost(B, pmkid(5), pmk(6), 'WPA-PSK', 0);
    expect(pmksaEvents(r, from)).toEqual([
      `PMKSA-CACHE-ADDED ${A} 0`,
      `PMKSA-CACHE-REMOVED ${A} 0`,
      `PMKSA-CACHE-ADDED ${A} 0`,
      `PMKSA-CACHE-ADDED ${B} 0`,
    ]);
    // An entry with a lifetime of 10 s leaves the cache on the expiry timer.
    const expiring = r.mark();
    r.pmksa.addFromFirmware(C, pmkid(7), pmk(8), 'WPA-PSK', 10, 0);
    await r.run(12_000);
    expect(pmksaEvents(r, expiring)).toEqual([`PMKSA-CACHE-ADDED ${C} 0`, `PMKSA-CACHE-REMOVED ${C} 0`]);
    const flushed = r.mark();
    r.pmksa.flushAll();
    expect(pmksaEvents(r, flushed)).toEqual([`PMKSA-CACHE-REMOVED ${A} 0`, `PMKSA-CACHE-REMOVED ${B} 0`]);
  });

  it('none for an entry of no configured network (as for PMKSA-CACHE-ADDED)', async () => {
    r = await Inproc.start({ conf: CONF });
    const from = r.mark();
    r.pmksa.addFromFirmware(A, pmkid(1), pmk(2), 'WPA-PSK', undefined, undefined);
    r.pmksa.addFromHost(B, pmkid(3), pmk(4), 'WPA-PSK', 0);
    r.pmksa.addFromFirmware(A, pmkid(5), pmk(6), 'WPA-PSK', undefined, undefined);
    r.pmksa.flushAll();
    expect(pmksaEvents(r, from)).toEqual([`PMKSA-CACHE-ADDED ${B} 0`, `PMKSA-CACHE-REMOVED ${B} 0`]);
    expect(r.pmksa.cache.list()).toEqual([]);
  });

  it('for each entry of a network whose password changes (wpa_sm_pmksa_cache_flush() for that network)', async () => {
    r = await Inproc.start({ conf: CONF });
    r.pmksa.addFromHost(A, pmkid(1), pmk(2), 'WPA-PSK', 0);
    r.pmksa.addFromHost(B, pmkid(3), pmk(4), 'WPA-PSK', 0);
    const from = r.mark();
    r.station.networkChanged(r.config.getNetwork(0)!, 'psk');
    expect(pmksaEvents(r, from)).toEqual([`PMKSA-CACHE-REMOVED ${A} 0`, `PMKSA-CACHE-REMOVED ${B} 0`]);
  });
});
