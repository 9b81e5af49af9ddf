/**
 * A Station on the nl80211 backend over a played kernel (an Nl80211System of
 * a test), with the configuration text given and the control events it
 * sends collected, for the tests that drive the station down to nl80211.
 */
import { parseConfig } from '../../../src/config/parse.js';
import { Nl80211Driver, type Nl80211System } from '../../../src/driver/nl80211/backend.js';
import { DEFAULT_POLICY } from '../../../src/offload/policy.js';
import { PmksaSync } from '../../../src/offload/pmksa-sync.js';
import { PmksaCache } from '../../../src/rsn/pmksa.js';
import { Station } from '../../../src/station/station.js';

export function stationOnKernel(k: Nl80211System, conf: string): { s: Station; events: string[] } {
  const cfg = parseConfig(conf);
  const driver = new Nl80211Driver('wlan0', k);
  const s = new Station({ ifname: 'wlan0', driver, config: () => cfg, policy: DEFAULT_POLICY, pmksa: new PmksaSync(new PmksaCache(), driver, 'wlan0') });
  const events: string[] = [];
  s.on('ctrlEvent', (_level: number, text: string) => events.push(text));
  return { s, events };
}
