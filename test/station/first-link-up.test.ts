/**
 * The driver's first link-up: the station rebuilds the firmware's PMKSA
 * table (a flush, then each entry) and only then looks at what the firmware
 * lost. An association started while that resync waits on the driver (a
 * SELECT_NETWORK right after the interface came up, on a driver process
 * slow to answer) is not one the firmware lost and must complete. Seen on a
 * loaded CI machine with -D ext: the station dropped that association as
 * "driver reconnected; firmware state is gone".
 *
 * In process on the simulator and virtual time (test/offload/inproc.ts).
 */
import { afterEach, expect, it } from 'vitest';
import { parseScenario } from '../../src/driver/sim/scenario.js';
import { SimDriver } from '../../src/driver/sim/sim-driver.js';
import { Inproc } from '../offload/inproc.js';
import { pskNetwork, simSection } from './rig.js';

const A = '02:00:00:00:7f:01';
const SSID = 'first-net';
const PASS = 'first passphrase';
/** How long the driver takes to answer the resync's flush: longer than a whole connection on the simulator. */
const FLUSH_MS = 5000;

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

it('an association started while the first link-up resync waits on the driver completes and stays', async () => {
  const driver = new SimDriver(
    parseScenario(`${simSection(41)}[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -40\nakm = WPA-PSK\npassphrase = ${PASS}\n`, 'first-link-up'),
  );
  const flush = driver.flushPmksa.bind(driver);
  let flushed = false;
  driver.flushPmksa = () =>
    new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS)).then(async () => {
      await flush();
      flushed = true;
    });
  rig = await Inproc.start({ driver, conf: pskNetwork(SSID, PASS, '\tdisabled=1\n') });
  const r = rig;
  // SELECT_NETWORK 0, as the control interface runs it.
  const net = r.config.networks[0]!;
  net.setDisabled(0);
  r.station.selectNetwork(net);
  await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
  // The connection completed inside the resync: the test's premise.
  expect(flushed).toBe(false);
  const from = r.mark();
  await r.run(FLUSH_MS + 1000);
  expect(flushed).toBe(true);
  expect(r.eventsFrom(from)).toEqual([]);
  expect(r.station.wpaState).toBe('COMPLETED');
});
