/**
 * The station's own scan starts the enabled networks' PBKDF2 off the event
 * loop (KeyPath.derivePsksAhead, rsn's pbkdf2PskAhead), so that the
 * connection after the scan finds the PSK derived: node:crypto's async
 * pbkdf2 is watched. In process on the simulator and virtual time.
 */
import * as nodeCrypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearPskCache } from '../../src/rsn/crypto.js';
import { Inproc } from '../offload/inproc.js';
import { pskNetwork, simSection } from './rig.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof nodeCrypto>();
  return { ...real, pbkdf2: vi.fn(real.pbkdf2) };
});
const asyncDerivations = vi.mocked(nodeCrypto.pbkdf2);

const A = '02:00:00:00:7f:01';
const SSID = 'ahead-net';
const PASS = 'ahead passphrase';
const scenario = `${simSection(41)}[firmware]\nfour_way_psk = false\n\n[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -40\nakm = WPA-PSK\npassphrase = ${PASS}\n`;
/** A network of the configuration's that is never scanned for: nothing is derived for it. */
const DISABLED = pskNetwork('other-net', 'other passphrase', '\tdisabled=1\n');

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  asyncDerivations.mockClear();
  clearPskCache();
});

const derivedFor = (): string[] => asyncDerivations.mock.calls.map((c) => `${Buffer.from(c[0] as Buffer).toString()}/${Buffer.from(c[1] as Buffer).toString()}`);

describe('PBKDF2 ahead of the connection', () => {
  it('the scan at start derives the enabled passphrase network\'s PSK, and not the disabled one\'s; the connection completes', async () => {
    rig = await Inproc.start({ scenario, conf: pskNetwork(SSID, PASS) + DISABLED });
    await rig.until(/CTRL-EVENT-SCAN-STARTED/);
    expect(derivedFor()).toEqual([`${PASS}/${SSID}`]);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
  });

  it('a raw 64-hex-digit psk is not derived', async () => {
    const raw = nodeCrypto.pbkdf2Sync(PASS, SSID, 4096, 32, 'sha1').toString('hex');
    rig = await Inproc.start({ scenario, conf: `network={\n\tssid="${SSID}"\n\tpsk=${raw}\n\tkey_mgmt=WPA-PSK\n}\n` });
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
    expect(derivedFor()).toEqual([]);
  });
});
