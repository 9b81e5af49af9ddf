/**
 * The resync's requests against host-cache changes made while it runs: the
 * driver's link delivers requests in order (nl80211's socket, the external
 * driver's stream), and the firmware's table must end up equal to the host
 * cache whatever the host did while the flush was on its way.
 */
import { describe, expect, it } from 'vitest';
import type { DriverBackend, DriverCapabilities, PmksaParams } from '../../src/driver/backend.js';
import { PmksaSync } from '../../src/offload/pmksa-sync.js';
import { PmksaCache } from '../../src/rsn/pmksa.js';

/** A firmware PMKSA table behind an in-order link: each request is carried out and answered one turn after it was sent. */
class OrderedLinkFirmware {
  readonly table = new Map<string, string>();
  /** Called as each set_pmksa is sent: what the host does while it is on its way. */
  onSetSent: (bssid: string) => void = () => undefined;
  private queue: Promise<void> = Promise.resolve();

  private send(fn: () => void): Promise<void> {
    const done = this.queue.then(() => new Promise<void>((resolve) => setImmediate(() => (fn(), resolve()))));
    this.queue = done;
    return done;
  }

  driver(): DriverBackend {
    return {
      hello: { capabilities: CAPS },
      setPmksa: (p: PmksaParams) => {
        this.onSetSent(p.bssid);
        return this.send(() => this.table.set(p.bssid, p.pmkid.toString('hex')));
      },
      delPmksa: (bssid: string) => this.send(() => this.table.delete(bssid)),
      flushPmksa: () => this.send(() => this.table.clear()),
    } as unknown as DriverBackend;
  }
}

const CAPS = { pmksa_offload: false } as DriverCapabilities;
const A = '02:00:00:00:9b:01';
const B = '02:00:00:00:9b:02';
const entry = (aa: string, b: number) => ({ aa, pmkid: Buffer.alloc(16, b), pmk: Buffer.alloc(32, b), akm: 'WPA-PSK', networkId: 0, lifetime: 3600, reauthThresholdPct: 70, opportunistic: false });
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('PMKSA resync against changes made while it runs', () => {
  it('an entry removed while the resync writes the table is not written back after its deletion', async () => {
    const fw = new OrderedLinkFirmware();
    const cache = new PmksaCache();
    const sync = new PmksaSync(cache, fw.driver(), 'wlan0');
    cache.add(entry(A, 1));
    const b = cache.add(entry(B, 2));
    await settle();
    let resyncing = false;
    // While the resync's set for A is on its way, B expires or is removed (PMKSA_FLUSH, REMOVE_NETWORK): del_pmksa B is sent.
    fw.onSetSent = (bssid) => {
      if (resyncing && bssid === A) setImmediate(() => cache.remove(b));
    };
    resyncing = true;
    await sync.resync(CAPS);
    await settle();
    expect(cache.list().map((e) => e.aa)).toEqual([A]);
    expect([...fw.table.keys()]).toEqual([A]);
  });

  it('a second resync started while the first runs (firmware restart during link-up) leaves the table complete once the first is done', async () => {
    const fw = new OrderedLinkFirmware();
    const cache = new PmksaCache();
    const sync = new PmksaSync(cache, fw.driver(), 'wlan0');
    cache.add(entry(A, 1));
    await settle();
    let second: Promise<void> | undefined;
    // The firmware restarts while the first resync's set is on its way: the restart's resync begins.
    fw.onSetSent = () => {
      if (!second) setImmediate(() => (second ??= sync.resync(CAPS)));
    };
    await sync.resync(CAPS);
    // What a status query sent now finds (OFFLOAD_STATUS after the log line of the first): it travels behind what was sent before it.
    const seen = await fw.driver().delPmksa(B, Buffer.alloc(16)).then(() => [...fw.table.keys()]);
    await second;
    expect(second).toBeDefined();
    expect(seen).toEqual([A]);
  });
});
