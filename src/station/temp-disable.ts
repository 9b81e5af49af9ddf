/**
 * Temporary disabling of a network after authentication failures, with the
 * durations of wpa_supplicant 2.10's wpas_auth_failed(): 10, 20, 30, 60, 90,
 * 120 and 300 seconds as the count of consecutive failures grows.
 */
function tempDisableDuration(authFailures: number): number {
  if (authFailures > 50) return 300;
  if (authFailures > 10) return 120;
  if (authFailures > 5) return 90;
  if (authFailures > 3) return 60;
  if (authFailures > 2) return 30;
  if (authFailures > 1) return 20;
  return 10;
}

export interface TempDisableEntry {
  authFailures: number;
  /** Seconds on the station's clock when the network becomes usable again. */
  until: number;
}

/** Per-network failure bookkeeping; cleared on a successful connection. */
export class TempDisableTable {
  private readonly entries = new Map<number, TempDisableEntry>();

  /** Records one failure and returns the entry with its new duration. */
  fail(id: number, now: number): TempDisableEntry & { duration: number } {
    const prev = this.entries.get(id);
    const authFailures = (prev?.authFailures ?? 0) + 1;
    const duration = tempDisableDuration(authFailures);
    const entry = { authFailures, until: now + duration };
    this.entries.set(id, entry);
    return { ...entry, duration };
  }

  isDisabled(id: number, now: number): boolean {
    const e = this.entries.get(id);
    return e !== undefined && e.until > now;
  }

  /** Networks whose disable period ran out: they are re-enabled (but keep their count). */
  expired(now: number): number[] {
    const ids: number[] = [];
    for (const [id, e] of this.entries) if (e.until > 0 && e.until <= now) ids.push(id);
    for (const id of ids) this.entries.get(id)!.until = 0;
    return ids;
  }

  clear(id: number): void {
    this.entries.delete(id);
  }
}
