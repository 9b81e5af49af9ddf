/**
 * The BSS table (wpa_supplicant's bss.c): every BSS seen in scan results, one
 * entry per BSSID and SSID (as wpa_bss_get(): an AP that changed its SSID, or
 * the kernel still listing what the BSSID advertised before, is two BSSes), with
 * a stable id that only grows, so BSS <id>, BSS NEXT-<id> and BSS RANGE= can
 * page through it while it changes. Entries expire like wpa_supplicant's:
 * when they were missing from the last `expirationScanCount` scans and are
 * older than `expirationAge` seconds, or when BSS_FLUSH asks.
 */
import type { ScanBss } from '../driver/backend.js';
import { EID_RSN, EID_SSID, findIe } from './ies.js';

export interface BssEntry {
  readonly id: number;
  readonly bssid: string;
  ssid: Buffer;
  freq: number;
  level: number;
  noise: number;
  beaconInt: number;
  caps: number;
  ies: Buffer;
  /** Seconds (station clock) when this entry was last updated by a scan. */
  lastUpdate: number;
  /** Scan counter value at the last time the BSS was seen. */
  lastSeenScan: number;
  /** Scans since then that covered its frequency and did not see it (wpa_supplicant's scan_miss_count). */
  scanMiss: number;
}

export interface BssTableEvents {
  added(e: BssEntry): void;
  removed(e: BssEntry): void;
}

export class BssTable {
  /** By key(): BSSID and SSID. */
  private readonly byKey = new Map<string, BssEntry>();
  /** Ordered by id, as BSS FIRST/NEXT walk them. */
  private readonly ordered: BssEntry[] = [];
  private nextId = 0;
  private scanCount = 0;
  expirationAge = 180;
  expirationScanCount = 2;
  maxCount = 200;

  constructor(
    private readonly notify: BssTableEvents,
    private readonly now: () => number,
  ) {}

  /** What one scan result says about a BSS: set on a new entry, or over the fields of a known one. */
  private seen(r: ScanBss, t: number): Omit<BssEntry, 'id' | 'bssid'> {
    return {
      ssid: Buffer.from(findIe(r.ies, EID_SSID)?.body ?? r.ssid),
      freq: r.freq,
      level: r.signal,
      noise: r.noise,
      beaconInt: r.beaconInt,
      caps: r.caps,
      ies: Buffer.from(r.ies),
      lastUpdate: t - r.ageMs / 1000,
      lastSeenScan: this.scanCount,
      scanMiss: 0,
    };
  }

  /**
   * Applies one complete set of scan results; notifies adds and removals.
   * `scan.freqs`: the channels a partial scan covered; a BSS elsewhere was not
   * looked for, so its absence does not count towards expiry. When the table
   * is full, the oldest entry that no configured network would use
   * (`scan.known` false) makes room first, as wpa_bss_remove_oldest().
   * `scan.inUse`, the BSS of the current association, is never expired or
   * evicted (wpa_bss_in_use()).
   */
  update(results: ScanBss[], scan: { known?: (ssid: Buffer) => boolean; freqs?: readonly number[]; inUse?: string } = {}): void {
    this.scanCount++;
    const t = this.now();
    const inUse = scan.inUse?.toLowerCase();
    const removable = (e: BssEntry): boolean => e.bssid !== inUse;
    for (const r of results) {
      const bssid = r.bssid.toLowerCase();
      const seen = this.seen(r, t);
      const existing = this.byKey.get(key(bssid, seen.ssid));
      if (existing) {
        Object.assign(existing, seen);
        continue;
      }
      if (this.ordered.length >= this.maxCount) this.removeOldest(scan.known ?? (() => false), removable);
      const e: BssEntry = { id: this.nextId++, bssid, ...seen };
      this.byKey.set(key(bssid, e.ssid), e);
      this.ordered.push(e);
      this.notify.added(e);
    }
    const freqs = scan.freqs;
    for (const e of this.ordered) {
      if (e.lastSeenScan !== this.scanCount && (!freqs?.length || freqs.includes(e.freq))) e.scanMiss++;
    }
    this.expire((e) => removable(e) && e.scanMiss >= this.expirationScanCount);
    this.expire((e) => removable(e) && t - e.lastUpdate > this.expirationAge);
  }

  /**
   * A BSS the station is associated with although no scan reported it (a
   * firmware roam): as wpa_supplicant_get_new_bss() then reads it from the
   * driver's scan table, it is added from what the association reported.
   * This is no scan: no other entry ages or expires. A known BSS is left as it is.
   */
  addAssociated(r: ScanBss): BssEntry {
    const existing = this.get(r.bssid);
    if (existing) return existing;
    const bssid = r.bssid.toLowerCase();
    if (this.ordered.length >= this.maxCount) this.removeOldest(() => false, () => true);
    const e: BssEntry = { id: this.nextId++, bssid, ...this.seen(r, this.now()) };
    this.byKey.set(key(bssid, e.ssid), e);
    this.ordered.push(e);
    this.notify.added(e);
    return e;
  }

  /** BSS_FLUSH [age]: drop entries not updated within `age` seconds (0 = all). */
  flush(age: number, keep?: string): void {
    const t = this.now();
    this.expire((e) => e.bssid !== keep && (age === 0 || t - e.lastUpdate > age));
  }

  private removeOldest(known: (ssid: Buffer) => boolean, removable: (e: BssEntry) => boolean): void {
    let oldest: BssEntry | undefined;
    let oldestUnknown: BssEntry | undefined;
    for (const e of this.ordered) {
      if (!removable(e)) continue;
      if (!oldest || e.lastUpdate < oldest.lastUpdate) oldest = e;
      if (!known(e.ssid) && (!oldestUnknown || e.lastUpdate < oldestUnknown.lastUpdate)) oldestUnknown = e;
    }
    const victim = oldestUnknown ?? oldest;
    if (victim) this.remove(victim);
  }

  private expire(pred: (e: BssEntry) => boolean): void {
    for (const e of [...this.ordered]) if (pred(e)) this.remove(e);
  }

  /** wpa_bss_remove(): the entry goes, with CTRL-EVENT-BSS-REMOVED. */
  remove(e: BssEntry): void {
    this.byKey.delete(key(e.bssid, e.ssid));
    this.ordered.splice(this.ordered.indexOf(e), 1);
    this.notify.removed(e);
  }

  /** The entry of `bssid` updated last (wpa_bss_get_bssid_latest()): one BSSID may have entries under several SSIDs. */
  get(bssid: string): BssEntry | undefined {
    const b = bssid.toLowerCase();
    let latest: BssEntry | undefined;
    for (const e of this.ordered) if (e.bssid === b && (!latest || e.lastUpdate >= latest.lastUpdate)) latest = e;
    return latest;
  }

  getById(id: number): BssEntry | undefined {
    return this.ordered.find((e) => e.id === id);
  }

  /** All entries in id order. */
  list(): readonly BssEntry[] {
    return this.ordered;
  }

  /** The entries the last scan reported: the only connection candidates, as wpa_supplicant's scan_res. */
  lastScan(): BssEntry[] {
    return this.ordered.filter((e) => e.lastSeenScan === this.scanCount);
  }

  age(e: BssEntry): number {
    return Math.max(0, Math.floor(this.now() - e.lastUpdate));
  }
}

function key(bssid: string, ssid: Buffer): string {
  return `${bssid}/${ssid.toString('hex')}`;
}

export function bssRsne(e: BssEntry): Buffer | undefined {
  return findIe(e.ies, EID_RSN)?.raw;
}
