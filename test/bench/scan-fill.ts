/**
 * Shared by the memory benchmarks (station.ts, startup.ts): SCAN until the
 * daemon's BSS table holds `want` entries (or 100 scans have run), counted
 * through paged BSS RANGE requests, since one 4096-byte reply holds only a
 * few hundred "id=N" lines. Returns the count seen last.
 */
import type { WpaCtrl } from '../../src/client/wpa-ctrl.js';

export async function scanUntilBsses(ctrl: WpaCtrl, want: number): Promise<number> {
  let bsses = 0;
  for (let i = 0; i < 100 && bsses < want; i++) {
    await ctrl.request('SCAN');
    await new Promise((r) => setTimeout(r, 100));
    bsses = 0;
    for (let first = 0; ; first += 200) {
      const page = (await ctrl.request(`BSS RANGE=${first}-${first + 199} MASK=0x1`)).toString();
      const n = page.split('\n').filter((l) => l.startsWith('id=')).length;
      bsses += n;
      if (n === 0) break;
    }
  }
  return bsses;
}
