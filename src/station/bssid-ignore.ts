/**
 * The BSSID ignore list (BSSID_IGNORE, alias BLACKLIST), as wpa_supplicant
 * 2.10's bssid_ignore.c keeps it: one entry per BSS with a count of the
 * failures that put it there and the time of the most recent one. An entry
 * is in force for 10 s after it was last added to (60 s at the third
 * addition, 120 s at the fourth, 600 s at the fifth, 1800 s beyond); it
 * stays listed, with its count, until an hour after that and is dropped on
 * the next look-up. The list orders which BSS is tried next, it bars none
 * for good: selection skips a BSS only while its count is above a limit
 * (0 with one enabled network, else 1), and clears the list when it would
 * otherwise find nothing (station.ts). What happens to the list is logged
 * (wpa_printf(), at 2.10's levels), never sent to monitors as events.
 */
import * as log from '../log.js';

interface Entry {
  bssid: string;
  count: number;
  /** Station clock seconds of the most recent addition. */
  start: number;
  timeoutSecs: number;
}

/** wpa_bssid_ignore_add(): how long an entry added to `count` times is in force. */
function timeoutFor(count: number): number {
  if (count > 5) return 1800;
  if (count === 5) return 600;
  if (count === 4) return 120;
  if (count === 3) return 60;
  return 10;
}

/** An entry stays listed this long after it stopped being in force (wpa_bssid_ignore_update()). */
const KEEP_EXPIRED_SECS = 3600;

export class BssidIgnoreList {
  /** Most recent first, as 2.10 puts a new entry at the head of its list. */
  private entries: Entry[] = [];

  /** `now`: the station clock in seconds. */
  constructor(private readonly now: () => number) {}

  /** wpa_bssid_ignore_add(): the entry's count after this failure. */
  add(bssid: string): number {
    const e = this.get(bssid);
    const now = this.now();
    if (e) {
      e.start = now;
      e.count++;
      e.timeoutSecs = timeoutFor(e.count);
      log.info(`BSSID ${bssid} ignore list count incremented to ${e.count}, ignoring for ${e.timeoutSecs} seconds`);
      return e.count;
    }
    const n: Entry = { bssid, count: 1, start: now, timeoutSecs: timeoutFor(1) };
    this.entries.unshift(n);
    log.debug(`Added BSSID ${bssid} into ignore list, ignoring for ${n.timeoutSecs} seconds`);
    return 1;
  }

  /** wpa_bssid_ignore_del(): the association with `bssid` succeeded. */
  del(bssid: string): void {
    const i = this.entries.findIndex((e) => e.bssid === bssid);
    if (i < 0) return;
    this.entries.splice(i, 1);
    log.debug(`Removed BSSID ${bssid} from ignore list`);
  }

  /** wpa_bssid_ignore_is_listed(): the entry's count while it is in force, else 0. */
  countOf(bssid: string): number {
    const e = this.get(bssid);
    // os_reltime_expired(): out of force once strictly more than its timeout has passed.
    if (!e || this.now() - e.start > e.timeoutSecs) return 0;
    return e.count;
  }

  /** wpa_bssid_ignore_clear(). */
  clear(): void {
    const gone = this.entries;
    this.entries = [];
    for (const e of gone) log.debug(`Removed BSSID ${e.bssid} from ignore list (clear)`);
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** BSSID_IGNORE's listing: every entry still listed, in force or not, most recent first. */
  bssids(): string[] {
    return this.entries.map((e) => e.bssid);
  }

  /** wpa_bssid_ignore_get(), which first drops the entries out of force for over an hour (wpa_bssid_ignore_update()). */
  private get(bssid: string): Entry | undefined {
    const now = this.now();
    const kept: Entry[] = [];
    for (const e of this.entries) {
      if (now - e.start > e.timeoutSecs + KEEP_EXPIRED_SECS) log.info(`Removed BSSID ${e.bssid} from ignore list (expired)`);
      else kept.push(e);
    }
    this.entries = kept;
    return this.entries.find((e) => e.bssid === bssid);
  }
}
