/**
 * The BSSID ignore list's bookkeeping, as 2.10's bssid_ignore.c: counts,
 * how long an entry is in force at each count, when it leaves the list, and
 * the lines 2.10 logs about it (wpa_printf(): the log only, no monitor
 * events; "count incremented" and "(expired)" at INFO, the rest at DEBUG).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MsgLevel, onLog } from '../../src/log.js';
import { BssidIgnoreList } from '../../src/station/bssid-ignore.js';

const A = '02:00:00:00:7a:01';
const B = '02:00:00:00:7a:02';

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
});

/** A list on a clock the test moves, and the lines it logs (INFO ones marked). */
function list(): { l: BssidIgnoreList; msgs: string[]; clock: { t: number } } {
  const clock = { t: 1000 };
  const msgs: string[] = [];
  stop = onLog((level, text) => {
    if (text.includes('ignore list')) msgs.push(level === MsgLevel.INFO ? `INFO ${text}` : text);
  });
  return { l: new BssidIgnoreList(() => clock.t), msgs, clock };
}

describe('BssidIgnoreList (2.10 bssid_ignore.c)', () => {
  it('each addition counts and sets how long the entry is in force: 10, 10, 60, 120, 600, then 1800 s', () => {
    const { l, msgs } = list();
    const counts = [1, 2, 3, 4, 5, 6].map(() => l.add(A));
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
    expect(msgs).toEqual([
      `Added BSSID ${A} into ignore list, ignoring for 10 seconds`,
      `INFO BSSID ${A} ignore list count incremented to 2, ignoring for 10 seconds`,
      `INFO BSSID ${A} ignore list count incremented to 3, ignoring for 60 seconds`,
      `INFO BSSID ${A} ignore list count incremented to 4, ignoring for 120 seconds`,
      `INFO BSSID ${A} ignore list count incremented to 5, ignoring for 600 seconds`,
      `INFO BSSID ${A} ignore list count incremented to 6, ignoring for 1800 seconds`,
    ]);
  });

  it('in force (its count) until strictly more than its time has passed; listed, with its count kept, for an hour more; then dropped at the next look-up', () => {
    const { l, msgs, clock } = list();
    l.add(A);
    l.add(A);
    expect(l.countOf(A)).toBe(2);
    clock.t += 10;
    expect(l.countOf(A)).toBe(2);
    clock.t += 0.5;
    expect(l.countOf(A)).toBe(0);
    expect(l.bssids()).toEqual([A]);
    // Out of force but listed: the next failure counts on from 2.
    expect(l.add(A)).toBe(3);
    clock.t += 60 + 3600 + 1;
    msgs.length = 0;
    expect(l.countOf(B)).toBe(0);
    expect(msgs).toEqual([`INFO Removed BSSID ${A} from ignore list (expired)`]);
    expect(l.bssids()).toEqual([]);
    expect(l.add(A)).toBe(1);
  });

  it('most recent first; del and clear say what they removed', () => {
    const { l, msgs } = list();
    l.add(A);
    l.add(B);
    expect(l.bssids()).toEqual([B, A]);
    msgs.length = 0;
    l.del(A);
    l.del(A);
    expect(msgs).toEqual([`Removed BSSID ${A} from ignore list`]);
    l.add(A);
    msgs.length = 0;
    l.clear();
    expect(msgs).toEqual([`Removed BSSID ${A} from ignore list (clear)`, `Removed BSSID ${B} from ignore list (clear)`]);
    expect(l.isEmpty).toBe(true);
  });
});
