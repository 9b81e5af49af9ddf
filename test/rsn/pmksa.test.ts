/**
 * PMKSA cache: wpa_supplicant's replacement, 32-entry limit and eviction
 * order, expiry on an injected clock, OKC clones, change notifications and
 * the JSON snapshot.
 */
import { describe, expect, it } from 'vitest';
import { pmkid } from '../../src/rsn/crypto.js';
import { PmksaCache, PmksaError, type PmksaChange, type PmksaEntry } from '../../src/rsn/pmksa.js';

const SPA = '02:00:00:00:00:01';
const mac = (i: number): string => `02:aa:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
const pmk = (b: number): Buffer => Buffer.alloc(32, b);

function setup() {
  let t = 1000;
  const cache = new PmksaCache({ now: () => t });
  const log: [PmksaChange, string | undefined][] = [];
  cache.on('change', (kind, e) => log.push([kind, e?.aa]));
  return { cache, log, advance: (s: number) => (t += s), now: () => t };
}

describe('PmksaCache', () => {
  it('add computes the PMKID (SHA-1 for WPA-PSK, SHA-256 for WPA-PSK-SHA256) and the default lifetimes', () => {
    const { cache, log } = setup();
    const e = cache.add({ aa: '02:AA:00:00:00:01', pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0 });
    expect(e.aa).toBe('02:aa:00:00:00:01');
    expect(e.pmkid.equals(pmkid(pmk(1), e.aa, SPA, 'sha1'))).toBe(true);
    expect(e.expiration).toBe(1000 + 43200);
    expect(e.reauthThreshold).toBe(1000 + 30240);
    const e2 = cache.add({ aa: mac(2), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK-SHA256', networkId: 0 });
    expect(e2.pmkid.equals(pmkid(pmk(1), mac(2), SPA, 'sha256'))).toBe(true);
    expect(log).toEqual([['added', '02:aa:00:00:00:01'], ['added', mac(2)]]);
    expect(() => cache.add({ aa: mac(3), pmk: pmk(1), akm: 'WPA-PSK', networkId: 0 })).toThrow(PmksaError);
  });

  it('looks up by AA (+network, +AKM), by PMKID and by network', () => {
    const { cache } = setup();
    const a = cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0 });
    const b = cache.add({ aa: mac(2), pmk: pmk(2), spa: SPA, akm: 'SAE', networkId: 1, pmkid: Buffer.alloc(16, 9) });
    expect(cache.get(mac(1))).toBe(a);
    expect(cache.get(mac(1), 1)).toBeUndefined();
    expect(cache.get(mac(2), 1, 'SAE')).toBe(b);
    expect(cache.get(mac(2), 1, 'WPA-PSK')).toBeUndefined();
    expect(cache.getByPmkid(Buffer.alloc(16, 9))).toBe(b);
    expect(cache.forNetwork(0)).toEqual([a]);
  });

  it('same AA, PMK and PMKID: the entry is kept as is, no notification', () => {
    const { cache, log, advance } = setup();
    const a = cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0 });
    advance(10);
    expect(cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0 })).toBe(a);
    expect(log.length).toBe(1);
  });

  it('a new PMK for the same AA replaces the entry and drops OKC entries based on the old PMK', () => {
    const { cache, log } = setup();
    cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-EAP', networkId: 0 });
    const okc = cache.getOpportunistic(0, mac(2), SPA)!;
    expect(okc.opportunistic).toBe(true);
    expect(okc.pmk.equals(pmk(1))).toBe(true);
    expect(okc.pmkid.equals(pmkid(pmk(1), mac(2), SPA))).toBe(true);
    log.length = 0;
    const n = cache.add({ aa: mac(1), pmk: pmk(7), spa: SPA, akm: 'WPA-EAP', networkId: 0 });
    expect(log).toEqual([['removed', mac(2)], ['replaced', mac(1)]]);
    expect(cache.list()).toEqual([n]);
  });

  it('holds 32 entries and evicts the one expiring first, but never the current one', () => {
    const { cache, log, advance } = setup();
    const first: PmksaEntry[] = [];
    for (let i = 0; i < 32; i++) {
      first.push(cache.add({ aa: mac(i), pmk: pmk(i + 1), spa: SPA, akm: 'WPA-PSK', networkId: 0 }));
      advance(1);
    }
    expect(cache.size).toBe(32);
    cache.setCurrent(first[0]);
    log.length = 0;
    cache.add({ aa: mac(100), pmk: pmk(200), spa: SPA, akm: 'WPA-PSK', networkId: 0 });
    expect(log).toEqual([['removed', mac(1)], ['added', mac(100)]]);
    cache.setCurrent(undefined);
    cache.add({ aa: mac(101), pmk: pmk(201), spa: SPA, akm: 'WPA-PSK', networkId: 0 });
    expect(log.slice(2)).toEqual([['removed', mac(0)], ['added', mac(101)]]);
    expect(cache.size).toBe(32);
    // The list stays ordered by expiration.
    const exp = cache.list().map((e) => e.expiration);
    expect(exp).toEqual([...exp].sort((a, b) => a - b));
  });

  it('entries with a shorter lifetime sort first and so are evicted first', () => {
    const { cache } = setup();
    cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0, lifetime: 500 });
    cache.add({ aa: mac(2), pmk: pmk(2), spa: SPA, akm: 'WPA-PSK', networkId: 0, lifetime: 100 });
    expect(cache.list().map((e) => e.aa)).toEqual([mac(2), mac(1)]);
    expect(cache.nextExpiration()).toBe(1100);
  });

  it('expires on the injected clock and announces each, keeping an in-use SAE entry', () => {
    const { cache, log, advance } = setup();
    cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0, lifetime: 100 });
    const sae = cache.add({ aa: mac(2), pmk: pmk(2), pmkid: Buffer.alloc(16, 2), akm: 'SAE', networkId: 0, lifetime: 100 });
    cache.add({ aa: mac(3), pmk: pmk(3), spa: SPA, akm: 'WPA-PSK', networkId: 0, lifetime: 200 });
    cache.setCurrent(sae);
    advance(99);
    expect(cache.get(mac(1))).toBeDefined();
    advance(1);
    expect(cache.get(mac(1))).toBeUndefined();
    expect(cache.get(mac(2))).toBe(sae);
    cache.setCurrent(undefined);
    expect(cache.expire()).toEqual([sae]);
    expect(log.filter(([k]) => k === 'expired').map(([, a]) => a)).toEqual([mac(1), mac(2)]);
    expect(cache.list().map((e) => e.aa)).toEqual([mac(3)]);
  });

  it('remove, removeNetwork and flush notify removed/removed/flushed', () => {
    const { cache, log } = setup();
    const a = cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 0 });
    cache.add({ aa: mac(2), pmk: pmk(2), spa: SPA, akm: 'WPA-PSK', networkId: 1 });
    cache.add({ aa: mac(3), pmk: pmk(3), spa: SPA, akm: 'WPA-PSK', networkId: 1 });
    log.length = 0;
    expect(cache.remove(a)).toBe(true);
    expect(cache.remove(a)).toBe(false);
    expect(cache.removeNetwork(1)).toBe(2);
    cache.add({ aa: mac(4), pmk: pmk(4), spa: SPA, akm: 'WPA-PSK', networkId: 2 });
    cache.flush();
    expect(log).toEqual([['removed', mac(1)], ['removed', mac(2)], ['removed', mac(3)], ['added', mac(4)], ['flushed', undefined]]);
    expect(cache.size).toBe(0);
  });

  it('JSON snapshot round-trips live entries with their remaining lifetime; bad input is a PmksaError', () => {
    const { cache, advance } = setup();
    cache.add({ aa: mac(1), pmk: pmk(1), spa: SPA, akm: 'WPA-PSK', networkId: 3, lifetime: 1000 });
    cache.getOpportunistic(3, mac(2), SPA);
    advance(400);
    const text = cache.exportJson();
    const other = setup();
    expect(other.cache.importJson(text)).toBe(2);
    const e = other.cache.get(mac(2))!;
    expect(e.opportunistic).toBe(true);
    expect(e.expiration - other.now()).toBe(600);
    expect(e.pmk.equals(pmk(1))).toBe(true);
    expect(() => other.cache.importJson('nope')).toThrow(PmksaError);
    expect(() => other.cache.importJson('{"savedAt":1,"entries":[{"remaining":1e12}]}')).toThrow(PmksaError);
  });
});
