/**
 * The PMKSA cache, with wpa_supplicant's rules (src/rsn_supp/pmksa_cache.c):
 * entries kept in order of expiration, one entry per authenticator (a new
 * PMK for the same AA replaces the old entry, and any OKC entries cloned
 * from that old PMK go with it), at most 32 entries with the one expiring
 * first evicted (never the one in use), lifetime 43200 s and reauthentication
 * at 70 % of it, opportunistic (OKC) clones.
 *
 * Time is whatever `now()` says (seconds), so expiry can be driven by tests
 * and by the daemon's timer alike. Every change is announced as a 'change'
 * event: (kind, entry, gone?) with kind added | replaced | expired |
 * removed | flushed; the firmware sync mirrors exactly these.
 */
import { EventEmitter } from 'node:events';
import { akmFamily, akmInfo } from './akm.js';
import { macBytes, pmkidForAkm, type MacAddress } from './crypto.js';

export const PMKSA_CACHE_MAX_ENTRIES = 32;
/** dot11RSNAConfigPMKLifetime and dot11RSNAConfigPMKReauthThreshold defaults. */
export const PMK_LIFETIME_DEFAULT = 43200;
export const PMK_REAUTH_THRESHOLD_DEFAULT = 70;

export class PmksaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PmksaError';
  }
}

export interface PmksaEntry {
  /** Authenticator address, "aa:bb:cc:dd:ee:ff" lower case. */
  aa: string;
  pmkid: Buffer;
  pmk: Buffer;
  /** key_mgmt name, e.g. "WPA-PSK-SHA256". */
  akm: string;
  /** Network block id the PMK belongs to (-1: not tied to a configured network). */
  networkId: number;
  /** Absolute time (in now() seconds) at which the entry expires. */
  expiration: number;
  /** Absolute time at which the station should reauthenticate. */
  reauthThreshold: number;
  /** Created by OKC from another AP's entry and not yet used successfully. */
  opportunistic: boolean;
}

export type PmksaChange = 'added' | 'replaced' | 'expired' | 'removed' | 'flushed';

export interface PmksaAdd {
  aa: MacAddress;
  pmk: Buffer;
  /** Given by whoever derived it (SAE, firmware); otherwise computed from PMK, AA and `spa`. */
  pmkid?: Buffer;
  spa?: MacAddress;
  akm: string;
  networkId: number;
  /** Seconds; default 43200. */
  lifetime?: number;
  /** Percent of the lifetime after which to reauthenticate; default 70. */
  reauthThresholdPct?: number;
  opportunistic?: boolean;
}

export interface PmksaCacheOptions {
  now?: () => number;
  maxEntries?: number;
}

export interface PmksaCacheEvents {
  /**
   * `gone`: the entries the change took out without a change of their own:
   * the one a 'replaced' entry replaced, every entry a 'flushed' emptied.
   */
  change: [kind: PmksaChange, entry: PmksaEntry | undefined, gone?: readonly PmksaEntry[]];
}

function normAa(aa: MacAddress): string {
  return macBytes(aa).toString('hex').replace(/(..)(?!$)/g, '$1:');
}

export class PmksaCache extends EventEmitter<PmksaCacheEvents> {
  /** Ordered by expiration, soonest first (the eviction order). */
  private entries: PmksaEntry[] = [];
  private cur: PmksaEntry | undefined;
  readonly now: () => number;
  private readonly max: number;

  constructor(opts: PmksaCacheOptions = {}) {
    super();
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.max = opts.maxEntries ?? PMKSA_CACHE_MAX_ENTRIES;
  }

  get size(): number {
    return this.entries.length;
  }

  /** All live entries, soonest expiry first. */
  list(): PmksaEntry[] {
    this.expire();
    return [...this.entries];
  }

  /**
   * Adds a PMKSA. An entry for the same AA with the same PMK and PMKID is
   * kept as it is; with a different PMK it is replaced (and, unless it was
   * itself opportunistic, the OKC entries of that network based on its PMK
   * are removed too).
   */
  add(p: PmksaAdd): PmksaEntry {
    this.expire();
    const akm = akmInfo(p.akm).name;
    if (p.pmk.length < 16 || p.pmk.length > 64) throw new PmksaError(`PMK of ${p.pmk.length} octets`);
    let pmkid = p.pmkid;
    if (!pmkid) {
      if (!p.spa) throw new PmksaError('PMKSA without PMKID needs the station address to compute it');
      pmkid = pmkidForAkm(akm, p.pmk, p.aa, p.spa);
    }
    if (pmkid.length !== 16) throw new PmksaError(`PMKID of ${pmkid.length} octets`);
    const lifetime = p.lifetime ?? PMK_LIFETIME_DEFAULT;
    if (!Number.isFinite(lifetime) || lifetime < 0) throw new PmksaError(`PMK lifetime ${lifetime}`);
    const pct = p.reauthThresholdPct ?? PMK_REAUTH_THRESHOLD_DEFAULT;
    const now = this.now();
    const entry: PmksaEntry = {
      aa: normAa(p.aa),
      pmkid: Buffer.from(pmkid),
      pmk: Buffer.from(p.pmk),
      akm,
      networkId: p.networkId,
      expiration: now + lifetime,
      reauthThreshold: now + Math.floor((lifetime * pct) / 100),
      opportunistic: p.opportunistic ?? false,
    };
    return this.insert(entry);
  }

  private insert(entry: PmksaEntry): PmksaEntry {
    let previous: PmksaEntry | undefined;
    const old = this.entries.find((e) => e.aa === entry.aa);
    if (old) {
      if (old.pmk.equals(entry.pmk) && old.pmkid.equals(entry.pmkid)) return old;
      this.unlink(old);
      if (!old.opportunistic) {
        for (const e of this.entries.filter((x) => x.networkId === entry.networkId && x.pmk.equals(old.pmk))) this.drop(e, 'removed');
      }
      if (this.cur === old) this.cur = undefined;
      previous = old;
    }
    if (this.entries.length >= this.max) {
      // Evict the entry expiring first, but never the one in use.
      const victim = this.entries[0] === this.cur ? this.entries[1] : this.entries[0];
      if (victim) this.drop(victim, 'removed');
    }
    const at = this.entries.findIndex((e) => e.expiration > entry.expiration);
    if (at < 0) this.entries.push(entry);
    else this.entries.splice(at, 0, entry);
    if (previous) this.emit('change', 'replaced', entry, [previous]);
    else this.emit('change', 'added', entry);
    return entry;
  }

  /** First entry for this AA (and network, and AKM, when given). */
  get(aa: MacAddress, networkId?: number, akm?: string): PmksaEntry | undefined {
    this.expire();
    const a = normAa(aa);
    return this.entries.find((e) => e.aa === a && (networkId === undefined || e.networkId === networkId) && (akm === undefined || e.akm === akm));
  }

  getByPmkid(pmkid: Buffer, networkId?: number): PmksaEntry | undefined {
    this.expire();
    return this.entries.find((e) => e.pmkid.equals(pmkid) && (networkId === undefined || e.networkId === networkId));
  }

  forNetwork(networkId: number): PmksaEntry[] {
    this.expire();
    return this.entries.filter((e) => e.networkId === networkId);
  }

  /**
   * Opportunistic key caching: a new entry for `aa` cloned from another
   * entry of the same network (new PMKID, same PMK and expiration).
   */
  getOpportunistic(networkId: number, aa: MacAddress, spa: MacAddress, akm?: string): PmksaEntry | undefined {
    this.expire();
    const src = this.entries.find((e) => e.networkId === networkId && (akm === undefined || e.akm === akm));
    if (!src) return undefined;
    const sae = akmFamily(src.akm) === 'sae';
    const entry: PmksaEntry = {
      ...src,
      aa: normAa(aa),
      pmk: Buffer.from(src.pmk),
      pmkid: sae ? Buffer.from(src.pmkid) : pmkidForAkm(src.akm, src.pmk, aa, spa),
      opportunistic: true,
    };
    return this.insert(entry);
  }

  /** The entry the current association uses: never evicted, and not expired while in use for SAE. */
  setCurrent(entry: PmksaEntry | undefined): void {
    this.cur = entry;
  }

  get current(): PmksaEntry | undefined {
    return this.cur;
  }

  remove(entry: PmksaEntry): boolean {
    if (!this.entries.includes(entry)) return false;
    this.drop(entry, 'removed');
    return true;
  }

  /** Removes every entry of a network (wpa_supplicant does this when the network is removed or changed). */
  removeNetwork(networkId: number): number {
    const victims = this.entries.filter((e) => e.networkId === networkId);
    for (const e of victims) this.drop(e, 'removed');
    return victims.length;
  }

  /** PMKSA_FLUSH: everything goes, announced once. */
  flush(): void {
    const gone = this.entries;
    for (const e of gone) e.pmk.fill(0);
    this.entries = [];
    this.cur = undefined;
    this.emit('change', 'flushed', undefined, gone);
  }

  /**
   * Removes what has expired by now() and announces each. A current SAE
   * entry is kept until the association ends, as wpa_supplicant does (SAE has
   * no way to reauthenticate in place).
   */
  expire(): PmksaEntry[] {
    const now = this.now();
    const gone = this.entries.filter((e) => e.expiration <= now && !this.heldInUse(e));
    for (const e of gone) this.drop(e, 'expired');
    return gone;
  }

  /** When the next entry expire() would remove expires (for the owner's timer), or undefined when none. */
  nextExpiration(): number | undefined {
    return this.entries.find((e) => !this.heldInUse(e))?.expiration;
  }

  /** The current SAE entry: not expired while in use. */
  private heldInUse(e: PmksaEntry): boolean {
    return e === this.cur && akmFamily(e.akm) === 'sae';
  }

  private unlink(e: PmksaEntry): void {
    const i = this.entries.indexOf(e);
    if (i >= 0) this.entries.splice(i, 1);
  }

  private drop(e: PmksaEntry, kind: 'expired' | 'removed'): void {
    this.unlink(e);
    if (this.cur === e) this.cur = undefined;
    this.emit('change', kind, e);
  }

  /* ------------------------------------------------------ persistence */

  /**
   * A JSON snapshot (it contains PMKs: the caller stores it privately).
   * Times are kept as seconds remaining plus the wall-clock moment of the
   * snapshot, since now() need not be a wall clock.
   */
  exportJson(): string {
    const now = this.now();
    return JSON.stringify({
      savedAt: Date.now(),
      entries: this.list().map((e) => ({
        aa: e.aa,
        pmkid: e.pmkid.toString('hex'),
        pmk: e.pmk.toString('hex'),
        akm: e.akm,
        networkId: e.networkId,
        remaining: e.expiration - now,
        reauthRemaining: e.reauthThreshold - now,
        opportunistic: e.opportunistic,
      })),
    });
  }

  /** Adds the entries of an exportJson() snapshot that are still alive; returns how many. */
  importJson(text: string): number {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new PmksaError(`PMKSA snapshot is not JSON: ${(e as Error).message}`);
    }
    const d = doc as { savedAt?: unknown; entries?: unknown };
    if (typeof d !== 'object' || d === null || !Array.isArray(d.entries) || typeof d.savedAt !== 'number') throw new PmksaError('PMKSA snapshot without savedAt/entries');
    const elapsed = Math.max(0, Math.floor((Date.now() - d.savedAt) / 1000));
    const now = this.now();
    let n = 0;
    for (const raw of d.entries as Record<string, unknown>[]) {
      const remaining = Number(raw?.remaining) - elapsed;
      if (!(remaining > 0)) continue;
      if (typeof raw.aa !== 'string' || typeof raw.pmkid !== 'string' || typeof raw.pmk !== 'string' || typeof raw.akm !== 'string' || typeof raw.networkId !== 'number') {
        throw new PmksaError('PMKSA snapshot entry with missing fields');
      }
      const pmkid = Buffer.from(raw.pmkid, 'hex');
      const pmk = Buffer.from(raw.pmk, 'hex');
      if (pmkid.length !== 16 || pmk.length < 16 || pmk.length > 64) throw new PmksaError(`PMKSA snapshot entry for ${raw.aa} has a bad PMKID or PMK`);
      this.expire();
      this.insert({
        aa: normAa(raw.aa),
        pmkid,
        pmk,
        akm: akmInfo(raw.akm).name,
        networkId: raw.networkId,
        expiration: now + remaining,
        reauthThreshold: now + Math.max(0, Number(raw.reauthRemaining) - elapsed || 0),
        opportunistic: raw.opportunistic === true,
      });
      n++;
    }
    return n;
  }
}
