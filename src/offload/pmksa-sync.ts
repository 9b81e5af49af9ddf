/**
 * The PMKSA cache kept equal on host and firmware.
 *
 * The host cache (rsn PmksaCache) is the source of truth. Every change it
 * reports is mirrored to the driver; entries the firmware creates join the
 * host cache. On every new driver link and after a firmware restart the
 * firmware's table is rebuilt from scratch (flush, then every entry), so the
 * firmware never holds an entry the host does not know, and the host never
 * believes the firmware holds one it lost.
 *
 * Optionally the cache is kept in a file (mode 0600) so that a restarted
 * daemon can still roam fast; wpa_supplicant has no such thing.
 */
import { promises as fs } from 'node:fs';
import { removeStaleTemporaries, writeFileAtomic } from '../atomic-file.js';
import type { DriverBackend, DriverCapabilities } from '../driver/backend.js';
import * as log from '../log.js';
import { PMK_LIFETIME_DEFAULT, PMK_REAUTH_THRESHOLD_DEFAULT, PmksaCache, type PmksaEntry } from '../rsn/pmksa.js';

/** dot11RSNAConfigPMKLifetime (s) and dot11RSNAConfigPMKReauthThreshold (%) as configured. */
export interface RsnaPmkConfig {
  lifetime: number;
  reauthThreshold: number;
}

const ackKey = (aa: string, pmkid: Buffer): string => `${aa.toLowerCase()}/${pmkid.toString('hex')}`;

export class PmksaSync {
  private caps: DriverCapabilities | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The timer's save in progress, if any. */
  private saving: Promise<void> | undefined;
  /** Set while an entry from the firmware is being added, so it is not echoed back. */
  private fromFirmware = false;
  /**
   * What the driver acknowledged holding (aa/pmkid), for a driver that cannot
   * report its table (nl80211 has no GET_PMKSA): the audit's view of it.
   */
  private readonly acked = new Map<string, { bssid: string; pmkid: Buffer }>();
  /**
   * APs (aa) the firmware ran SAE with and kept the PMKSA to itself (no
   * `pmksa_added`, as nl80211's SAE_OFFLOAD_STA): the host knows neither PMK
   * nor PMKID, only that an entry is there, and the SSID to delete it by.
   */
  private readonly firmwareOwned = new Map<string, Buffer>();
  /**
   * Set by the station: a PMKSA joined the cache (added, or replacing the
   * one for its AA), whoever made it: 2.10 announces each PMKSA its cache
   * takes (pmksa_cache_add_entry(), then PMKSA-CACHE-ADDED), but not one it
   * already held with the same PMK and PMKID.
   */
  announceAdded: (e: PmksaEntry) => void = () => undefined;
  /**
   * Set by the station: a PMKSA left the cache, however (replaced by a new
   * one for its AA, expired, removed, flushed): 2.10 announces each entry
   * pmksa_cache_free_entry() frees (PMKSA-CACHE-REMOVED), in the order it
   * frees them.
   */
  announceRemoved: (e: PmksaEntry) => void = () => undefined;
  /** Set by the station: the configured PMK lifetime and reauthentication threshold (defaults until then). */
  rsnaConfig: () => RsnaPmkConfig = () => ({ lifetime: PMK_LIFETIME_DEFAULT, reauthThreshold: PMK_REAUTH_THRESHOLD_DEFAULT });

  constructor(
    readonly cache: PmksaCache,
    private readonly driver: DriverBackend,
    private readonly ifname: string,
    private readonly file?: string,
  ) {
    cache.on('change', (kind, entry, gone) => {
      this.announce(kind, entry, gone);
      this.mirror(kind, entry);
    });
  }

  /** The host-cache change as 2.10's events: the entries freed first (as pmksa_cache_add_entry() frees the one it replaces), then the one added. */
  private announce(kind: string, entry: PmksaEntry | undefined, gone: readonly PmksaEntry[] | undefined): void {
    for (const e of gone ?? []) this.announceRemoved(e);
    if ((kind === 'expired' || kind === 'removed') && entry) this.announceRemoved(entry);
    if ((kind === 'added' || kind === 'replaced') && entry) this.announceAdded(entry);
  }

  /** Mirror one host-cache change to the firmware. */
  private mirror(kind: string, entry: PmksaEntry | undefined): void {
    this.scheduleSave();
    this.armExpiry();
    // The driver keeps one entry per AA: a known entry (the host's, or one the firmware reported) replaces the one it kept unnamed.
    if ((kind === 'added' || kind === 'replaced') && entry) {
      this.firmwareOwned.delete(entry.aa);
    }
    if (!this.driver.hello || this.fromFirmware) return;
    const op = (name: string, p: Promise<unknown>): void => {
      p.catch((e) => log.warning(`${this.ifname}: PMKSA sync: ${name} failed: ${e instanceof Error ? e.message : String(e)}`));
    };
    switch (kind) {
      case 'added':
      case 'replaced':
        if (entry) op('set_pmksa', this.driver.setPmksa(this.params(entry)).then(() => this.ack(entry)));
        break;
      case 'expired':
      case 'removed':
        if (entry) op('del_pmksa', this.driver.delPmksa(entry.aa, entry.pmkid).then(() => this.acked.delete(ackKey(entry.aa, entry.pmkid))));
        break;
      case 'flushed':
        this.firmwareOwned.clear();
        op('flush_pmksa', this.driver.flushPmksa().then(() => this.acked.clear()));
        break;
    }
  }

  private ack(e: PmksaEntry): void {
    // The driver keeps one entry per AA (as the simulator and nl80211 drivers do).
    for (const [k, v] of this.acked) if (v.bssid === e.aa) this.acked.delete(k);
    this.acked.set(ackKey(e.aa, e.pmkid), { bssid: e.aa, pmkid: e.pmkid });
  }

  /** The entries the driver acknowledged, as sync_state would list them. */
  acknowledged(): { bssid: string; pmkid: Buffer }[] {
    return [...this.acked.values()];
  }

  private params(e: PmksaEntry) {
    // NL80211_ATTR_PMK_LIFETIME is what the entry has left (at its creation:
    // dot11RSNAConfigPMKLifetime, what 2.10 sends), so a resync does not give
    // an old entry a new life; NL80211_ATTR_PMK_REAUTH_THRESHOLD is the
    // configured percentage.
    const lifetime = Math.max(0, Math.round(e.expiration - this.cache.now()));
    return {
      bssid: e.aa,
      pmkid: e.pmkid,
      pmk: this.caps?.pmksa_offload ? e.pmk : undefined,
      akm: e.akm,
      lifetime,
      reauthThreshold: this.rsnaConfig().reauthThreshold,
    };
  }

  /**
   * Rebuilds the firmware's table from the host's (new driver link, firmware
   * restart). The flush and every entry are handed to the driver in one turn:
   * its link delivers requests in order, so a change the host cache mirrors
   * later, or a second resync (a firmware restart while the link-up one is
   * still running), lands after this one instead of between its requests,
   * where a delete could be undone by a set sent after it, or a flush could
   * wipe entries already written.
   */
  async resync(caps: DriverCapabilities): Promise<void> {
    this.caps = caps;
    this.acked.clear();
    this.firmwareOwned.clear();
    const entries = this.cache.list();
    await Promise.all([this.driver.flushPmksa(), ...entries.map((e) => this.driver.setPmksa(this.params(e)).then(() => this.ack(e)))]);
    log.debug(`${this.ifname}: PMKSA sync: firmware table rebuilt with ${entries.length} entries`);
  }

  lookup(aa: string, networkId: number, akm: string): PmksaEntry | undefined {
    const e = this.cache.get(aa, networkId);
    return e && e.akm === akm ? e : undefined;
  }

  /** An entry the firmware created (pmksa_added, or PMK/PMKID in an assoc). */
  addFromFirmware(aa: string, pmkid: Buffer, pmk: Buffer, akm: string, lifetime: number | undefined, networkId: number | undefined): PmksaEntry {
    this.fromFirmware = true;
    try {
      return this.add(aa, pmkid, pmk, akm, lifetime, networkId ?? -1);
    } finally {
      this.fromFirmware = false;
    }
  }

  /** The firmware ran SAE with `aa` and reported no PMKSA: it holds an entry the host cannot name. */
  noteFirmwareOwned(aa: string, ssid: Buffer): void {
    if (!this.cache.list().some((e) => e.aa === aa.toLowerCase())) this.firmwareOwned.set(aa.toLowerCase(), ssid);
  }

  /** The APs whose PMKSA only the firmware holds (OFFLOAD_STATUS fw_pmksa_unreported). */
  firmwareOwnedAas(): string[] {
    return [...this.firmwareOwned.keys()].sort();
  }

  /** An entry the host derived (SAE): cached, and mirrored to the firmware like every host entry. */
  addFromHost(aa: string, pmkid: Buffer, pmk: Buffer, akm: string, networkId: number): PmksaEntry {
    return this.add(aa, pmkid, pmk, akm, undefined, networkId);
  }

  private add(aa: string, pmkid: Buffer, pmk: Buffer, akm: string, lifetime: number | undefined, networkId: number): PmksaEntry {
    const cfg = this.rsnaConfig();
    return this.cache.add({
      aa: aa.toLowerCase(),
      pmkid,
      pmk,
      akm,
      networkId,
      lifetime: lifetime ?? cfg.lifetime,
      reauthThresholdPct: cfg.reauthThreshold,
      opportunistic: false,
    });
  }

  /**
   * The entry the association in progress uses (none: it ended). An SAE
   * entry in use does not expire until the association ends (SAE cannot
   * reauthenticate in place), as in wpa_supplicant 2.10; then it goes.
   */
  setCurrent(e: PmksaEntry | undefined): void {
    if (this.cache.current === e) return;
    this.cache.setCurrent(e);
    this.armExpiry();
  }

  /**
   * 2.10's pmksa_cache_expire timer: an entry leaves the cache, and the
   * firmware's table (del_pmksa), a second after it expires, not only when
   * the cache is next looked at. Not armed for an SAE entry in use.
   */
  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const next = this.cache.nextExpiration();
    if (next === undefined) return;
    const ms = Math.max(0, next - this.cache.now() + 1) * 1000;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      this.cache.expire();
      this.armExpiry();
    }, ms);
    // A pending expiry keeps no process alive.
    this.expiryTimer.unref?.();
  }

  /** A firmware-completed roam used this entry: it is no longer merely opportunistic. */
  markUsed(e: PmksaEntry): void {
    e.opportunistic = false;
    this.scheduleSave();
  }

  dropNetwork(networkId: number): void {
    this.cache.removeNetwork(networkId);
  }

  /**
   * A removed network (or one whose password changed) whose PMKs the
   * firmware derived itself (SAE or OWE offload): the host may not know
   * every entry, so the firmware deletes them by SSID, as wpa_supplicant
   * does on network removal with a driver doing SAE_OFFLOAD_STA /
   * OWE_OFFLOAD_STA.
   */
  dropOffloadedSsid(ssid: Buffer, keyMgmt: readonly string[]): void {
    const sae = this.caps?.sae_offload && keyMgmt.some((k) => k === 'SAE' || k === 'FT-SAE' || k.startsWith('SAE-'));
    const owe = this.caps?.owe_offload && keyMgmt.includes('OWE');
    if (!(sae || owe) || !this.driver.hello) return;
    for (const [aa, s] of this.firmwareOwned) if (s.equals(ssid)) this.firmwareOwned.delete(aa);
    this.driver.delPmksaBySsid(ssid).catch((e) => log.warning(`${this.ifname}: PMKSA sync: del_pmksa by SSID failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  flushAll(): void {
    this.cache.flush();
  }

  /* ------------------------------------------------------- persistence */

  async load(): Promise<void> {
    if (!this.file) return;
    removeStaleTemporaries(this.file);
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.warning(`${this.ifname}: PMKSA file ${this.file}: ${(e as Error).message}`);
      return;
    }
    try {
      const n = this.cache.importJson(text);
      log.info(`${this.ifname}: PMKSA cache: ${n} entries restored from ${this.file}`);
    } catch (e) {
      log.warning(`${this.ifname}: PMKSA file ${this.file} ignored: ${(e as Error).message}`);
    }
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.save().catch((e) => log.warning(`${this.ifname}: PMKSA file ${this.file}: ${(e as Error).message}`));
    }, 50);
  }

  /** Atomic, durable, serialized replacement, mode 0600: the file holds PMKs. */
  async save(): Promise<void> {
    if (!this.file) return;
    await writeFileAtomic(this.file, this.cache.exportJson());
  }

  async close(): Promise<void> {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    // A save under way finishes before the process may exit (else the file could be missing).
    await this.saving;
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.save();
    }
  }
}
