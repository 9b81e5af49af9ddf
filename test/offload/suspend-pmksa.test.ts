/**
 * Issue 11 points 7 and 8 in process on virtual time (inproc.ts): PMK
 * lifetime and reauthentication threshold from the configuration, delete by
 * SSID for SAE offload, SUSPEND/RESUME with GTK rekey offload and wakes, and
 * replay counters that cross a roam after resume.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pskNetwork, simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';

const A = '02:00:00:00:6d:01';
const B = '02:00:00:00:6d:02';
const SSID = 'sleep-net';
const PASS = 'sleep passphrase';
const FULL = 'four_way_psk = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\n';
const ap = (name: string, bssid: string, extra = ''): string =>
  `[ap ${name}]\nbssid = ${bssid}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n${extra}`;
const scenario = (firmware: string, aps = ap('a', A)): string => `${simSection(17)}[firmware]\n${FULL}${firmware}\n${aps}`;
const connected = /CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:6d:01 completed/;

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('PMKSA details (point 7)', () => {
  it('set_pmksa carries the configured reauth threshold; a firmware entry gets the configured lifetime', async () => {
    rig = await Inproc.start({
      scenario: scenario('mode = complete\n'),
      conf: `dot11RSNAConfigPMKLifetime=3600\ndot11RSNAConfigPMKReauthThreshold=50\n${pskNetwork(SSID, PASS, '\tdisabled=1\n')}`,
    });
    await rig.run(10);
    rig.pmksa.cache.add({ aa: A, pmk: Buffer.alloc(32, 3), pmkid: Buffer.alloc(16, 4), akm: 'WPA-PSK', networkId: 0, lifetime: 3000 });
    await rig.run(10);
    expect(rig.simStatus().pmksa).toBe(`${A}/3000/50`);
    const e = rig.pmksa.addFromFirmware(B, Buffer.alloc(16, 5), Buffer.alloc(32, 6), 'WPA-PSK', undefined, 0);
    expect(e.expiration - rig.pmksa.cache.now()).toBe(3600);
    expect(e.reauthThreshold - rig.pmksa.cache.now()).toBe(1800);
  });

  it('a removed SAE network has its firmware PMKSA entries deleted by SSID when the driver does SAE offload', async () => {
    const net = { id: 0, ssid: Buffer.from(SSID), keyMgmt: ['SAE'] };
    for (const offload of [true, false]) {
      rig = await Inproc.start({ scenario: scenario(`sae_offload = ${offload}\n`), conf: pskNetwork(SSID, PASS, '\tdisabled=1\n') });
      await rig.run(10);
      // An entry the firmware holds that the host does not know (it derived the PMK itself).
      rig.sim.sim.setPmksa({ bssid: A, pmkid: Buffer.alloc(16, 7), akm: 'SAE', lifetime: 43200 });
      rig.station.networkRemoved(net);
      await rig.run(10);
      expect(rig.simStatus().pmksa_entries).toBe(offload ? '0' : '1');
      await rig.stop();
      rig = undefined;
    }
  });

  it('ap_mld_addr of a multi-link association is kept (OFFLOAD_STATUS)', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = complete\n', ap('a', A, 'ap_mld_addr = 02:00:00:00:6d:f0\n')), conf: pskNetwork(SSID, PASS) });
    await rig.until(connected);
    expect((await rig.offload()).ap_mld_addr).toBe('02:00:00:00:6d:f0');
  });
});

describe('suspend and resume (point 8)', () => {
  const conf = `wowlan_triggers=disconnect gtk_rekey_failure four_way_handshake\n${pskNetwork(SSID, PASS)}`;

  it('SUSPEND gives the firmware the rekey data and the wowlan triggers; after RESUME the host takes the counter of the night', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = complete\n'), conf });
    await rig.until(connected);
    await rig.station.suspend();
    let st = rig.simStatus();
    expect([st.suspended, st.wowlan_triggers]).toEqual(['1', 'disconnect gtk_rekey_failure four_way_handshake']);
    const before = (await rig.offload()).host_replay_ctr;
    expect(rig.simCmd('SIM_GTK_REKEY fw')).toBe('OK');
    await rig.run(200);
    expect(rig.simCmd('SIM_GTK_REKEY fw')).toBe('OK');
    await rig.run(200);
    expect((await rig.offload()).host_replay_ctr).toBe(before);
    await rig.station.resume();
    await rig.run(50);
    const off = await rig.offload();
    expect(off.host_replay_ctr > before).toBe(true);
    expect(off.host_replay_ctr).toBe(off.fw_replay_ctr);
    st = rig.simStatus();
    expect(st.suspended).toBe('0');
    expect(rig.station.wpaState).toBe('COMPLETED');
  });

  it('a wake for a failed group rekey: the host answers the AP\'s group message itself', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = complete\n'), conf });
    await rig.until(connected);
    await rig.station.suspend();
    expect(rig.simCmd('SIM_WAKE magic_pkt')).toMatch(/^FAIL .*not a configured wowlan trigger/);
    expect(rig.simCmd('SIM_WAKE gtk_rekey_failure')).toBe('OK');
    await rig.run(300);
    const off = await rig.offload();
    expect(off.power).toBe('gtk_rekey_failure');
    expect(off.host_replay_ctr).toBe(off.fw_replay_ctr);
    expect(rig.simStatus().host_gtk_ok).toBe('1');
    expect(rig.station.wpaState).toBe('COMPLETED');
  });

  it('a gtk_rekey for the BSS the firmware roamed to, reported before the roam, is applied once the roam is', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = complete\nroam_threshold = -60\n', ap('a', A) + ap('b', B, 'signal = -80\n')), conf });
    await rig.until(connected);
    await rig.station.suspend();
    // While the host sleeps the firmware roams to B; B's rekeys are reported first.
    expect(rig.simCmd(`SIM_SIGNAL ${B} -40`)).toBe('OK');
    expect(rig.simCmd(`SIM_SIGNAL ${A} -85`)).toBe('OK');
    await rig.run(300);
    const high = Buffer.from('00000000000000f0', 'hex');
    rig.sim.emit('gtk_rekey', { bssid: B, replayCtr: high });
    await rig.station.resume();
    await rig.until(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:6d:02 completed/);
    const off = await rig.offload();
    expect([off.bssid, off.host_replay_ctr]).toEqual([B, high.toString('hex')]);
  });
});
