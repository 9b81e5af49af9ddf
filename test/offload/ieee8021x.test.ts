/**
 * 802.1X AKMs with a PMK from a cached PMKSA (there are no EAP methods in the
 * daemon): the firmware runs the 4-way handshake with the PMK the host sends
 * down (four_way_8021x), or the host runs it; either way the group rekey that
 * reaches the host verifies. A network with no cached PMK is not tried.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build, Rig, simSection } from '../station/rig.js';

const A = '02:00:00:00:9a:01';
const OWN = '02:00:00:00:00:01';
const PMK = '5c'.repeat(32);
const NET = 'network={\n\tssid="eap-net"\n\tkey_mgmt=WPA-EAP\n\tdisabled=1\n}\n';

/** PMKID = HMAC-SHA1-128(PMK, "PMK Name" || AA || SPA). */
const pmkid = (): string =>
  createHmac('sha1', Buffer.from(PMK, 'hex'))
    .update(Buffer.concat([Buffer.from('PMK Name'), Buffer.from(A.replace(/:/g, ''), 'hex'), Buffer.from(OWN.replace(/:/g, ''), 'hex')]))
    .digest()
    .subarray(0, 16)
    .toString('hex');

const scenario = (seed: number, fourWay8021x: boolean): string =>
  `${simSection(seed)}[firmware]\nfour_way_psk = true\nfour_way_8021x = ${fourWay8021x}\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nmode = complete\n\n` +
  `[ap a]\nbssid = ${A}\nssid = eap-net\nfreq = 2437\nsignal = -45\nakm = WPA-EAP\npmk = ${PMK}\n`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});
beforeAll(() => build(), 120_000);

async function connectWithCachedPmk(seed: number, fourWay8021x: boolean): Promise<Rig> {
  const r = await Rig.start({ scenario: scenario(seed, fourWay8021x), networks: NET, backend: 'sim', offload: 'pmksa_testing = true\n' });
  // akmp 1 = WPA_KEY_MGMT_IEEE8021X
  expect(await r.req(`PMKSA_ADD 0 ${A} ${pmkid()} ${PMK} 30000 43200 1 0`)).toBe('OK\n');
  const from = r.mark();
  expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
  await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
  const st = await r.status();
  expect(st.wpa_state).toBe('COMPLETED');
  expect(st.key_mgmt).toBe('WPA2/IEEE 802.1X/EAP');
  return r;
}

async function hostGroupRekeyVerifies(r: Rig): Promise<void> {
  const from = r.mark();
  expect(await r.req('DRIVER SIM_GTK_REKEY host')).toBe('OK\n');
  await r.wait(new RegExp(`WPA: Group rekeying completed with ${A}`), from);
  expect((await r.simUntil((s) => s.host_gtk_ok === '1')).host_gtk_ok).toBe('1');
  expect((await r.offload()).in_sync).toBe('1');
}

describe('802.1X with a cached PMKSA', () => {
  it('four_way_8021x: the firmware runs the handshake with the cached PMK; the host verifies the next group rekey', async () => {
    rig = await connectWithCachedPmk(401, true);
    const off = await rig.offload();
    expect(off.key_owner).toBe('firmware');
    expect(off.completion).toBe('firmware-at-assoc');
    expect(off.host_pmksa).toBe(`${A}/${pmkid()}`);
    await hostGroupRekeyVerifies(rig);
  });

  it('no four_way_8021x: the host runs the handshake with the cached PMK', async () => {
    rig = await connectWithCachedPmk(402, false);
    const off = await rig.offload();
    expect(off.key_owner).toBe('host');
    expect(off.completion).toBe('host-only');
    expect((await rig.simUntil((s) => s.host_tk_ok === '1')).host_tk_ok).toBe('1');
    await hostGroupRekeyVerifies(rig);
  });

  it('without a cached PMK the network is not tried', async () => {
    rig = await Rig.start({ scenario: scenario(403, true), networks: NET, backend: 'sim' });
    const from = rig.mark();
    expect(await rig.req('SELECT_NETWORK 0')).toBe('OK\n');
    await rig.wait(/CTRL-EVENT-NETWORK-NOT-FOUND/, from);
    expect(rig.eventsFrom(from).some((e) => e.startsWith('Trying to associate'))).toBe(false);
  });
});
