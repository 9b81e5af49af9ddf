/**
 * FT-SAE (AKM 00-0F-AC:9) end to end in process (test/offload/inproc.ts), as
 * wpa_supplicant 2.10's SME does it: SAE with the first AP of the mobility
 * domain, an association with the MDE, the FT 4-way handshake keyed by
 * PMK-R0/PMK-R1 from XXKey = the SAE PMK (802.11-2020 12.7.1.7.3); then ROAM
 * to the other AP of the domain by FT over the air: no SAE again, one FT
 * Authentication frame, the keys from the Reassociation Response. The
 * simulated APs hold the station's XXKey in the domain's key holder (the
 * R0KH/R1KH exchange hostapd does between its APs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { associationStatusLines } from '../../src/ctrl/status-text.js';
import type { AuthParams } from '../../src/driver/backend.js';
import { simSection } from '../station/rig.js';
import { readVector } from '../fixtures/vectors.js';
import { Inproc } from './inproc.js';

const PASS = 'ft sae password';
const A = '02:00:00:00:7c:01';
const B = '02:00:00:00:7c:02';
const SSID = 'ft-sae-net';

function scenario(o: { akm?: string } = {}): string {
  const ap = (name: string, bssid: string, freq: number, signal: number, mdid: string): string =>
    `[ap ${name}]\nbssid = ${bssid}\nssid = ${SSID}\nfreq = ${freq}\nsignal = ${signal}\nakm = ${o.akm ?? 'FT-SAE'}\nmdid = ${mdid}\nr0kh_id = r0kh.${name}\npassphrase = ${PASS}\nmfp = required\n`;
  return `${simSection(23)}[firmware]\nakms = SAE, FT-SAE\n\n` + ap('a', A, 2437, -45, '7c7c') + ap('b', B, 2462, -60, '7c7c');
}

const network = (keyMgmt: string): string => `network={\n\tssid="${SSID}"\n\tkey_mgmt=${keyMgmt}\n\tsae_password="${PASS}"\n\tieee80211w=2\n\tdisabled=1\n}\n`;

/** What wpa_supplicant 2.10 showed for an FT roam over the air on the kernel radio, for this target. */
function roamEvents2_10(target: string, freq: number): string[] {
  const v = readVector('ft-psk-roam-2.10.json');
  return (v.events as string[]).map((e) => e.replaceAll(v.target, target).replaceAll(`'${v.ssid}'`, `'${SSID}'`).replace('freq=2437', `freq=${freq}`));
}

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

/** The Authentication frames the host hands to the driver: algorithm and the first six octets (algorithm, transaction, status). */
function recordAuth(r: Inproc): string[] {
  const seen: string[] = [];
  const orig = r.driver.auth!.bind(r.driver);
  r.driver.auth = (p: AuthParams) => {
    seen.push(`${p.algorithm} ${p.data.subarray(0, 6).toString('hex')}`);
    return orig(p);
  };
  return seen;
}

async function connect(r: Inproc, to: string): Promise<number> {
  const from = r.mark();
  const net = r.config.getNetwork(0)!;
  net.set('disabled', '0');
  r.station.selectNetwork(net);
  await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${to} completed`), from);
  await r.run(100);
  return from;
}

describe('FT-SAE: SAE, the FT initial mobility domain association, FT over the air', () => {
  it('SAE then the FT 4-way handshake from the SAE PMK; ROAM is FT over the air with no SAE; and back', async () => {
    rig = await Inproc.start({ scenario: scenario(), conf: network('FT-SAE') });
    const auths = recordAuth(rig);
    const from = await connect(rig, A);
    // SAE commit and confirm (algorithm 3, transactions 1 and 2), then the association and the FT 4-way handshake.
    expect(auths).toEqual(['sae 030001000000', 'sae 030002000000']);
    const ev = rig.eventsFrom(from);
    expect(ev).toContain(`SME: Trying to authenticate with ${A} (SSID='${SSID}' freq=2437 MHz)`);
    expect(ev).toContain(`WPA: Key negotiation completed with ${A} [PTK=CCMP GTK=CCMP]`);
    const cur = rig.station.association()!;
    expect([cur.sec.akm, cur.sec.mfpRequired]).toEqual(['FT-SAE', true]);
    expect(associationStatusLines(cur)).toContain('key_mgmt=FT-SAE\n');
    // The PMKSA SAE made is cached under FT-SAE.
    expect(rig.pmksa.cache.list().map((e) => [e.aa, e.akm])).toEqual([[A, 'FT-SAE']]);
    expect(rig.simStatus().host_tk_ok).toBe('1');

    auths.length = 0;
    const eapol = rig.countEapol();
    const roam = rig.mark();
    expect(rig.station.roam(B)).toBe(true);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), roam);
    await rig.run(100);
    expect(rig.eventsFrom(roam).filter((e) => !e.startsWith('OFFLOAD-KEY-OWNER'))).toEqual(roamEvents2_10(B, 2462));
    expect(rig.eventsFrom(roam).find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(new RegExp(`bssid=${B} owner=host completion=host-ft `));
    // One FT Authentication frame (algorithm 2, transaction 1): no SAE with the target; no 4-way handshake.
    expect(auths).toEqual(['ft 020001000000']);
    expect(eapol.n).toBe(0);
    let sim = rig.simStatus();
    expect([sim.bssid, sim.host_tk_ok, sim.host_gtk_ok, sim.ap_ft_roams]).toEqual([B, '1', '1', '1']);
    expect(associationStatusLines(rig.station.association()!)).toContain('key_mgmt=FT-SAE\n');

    // Back to the first AP: again FT from the PMK-R0 of the initial association.
    const back = rig.mark();
    expect(rig.station.roam(A)).toBe(true);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), back);
    await rig.run(100);
    expect(auths).toEqual(['ft 020001000000', 'ft 020001000000']);
    expect(eapol.n).toBe(0);
    sim = rig.simStatus();
    expect([sim.bssid, sim.host_tk_ok, sim.host_gtk_ok]).toEqual([A, '1', '1']);
  });

  it('a BSS offering SAE and FT-SAE: FT-SAE for a network that allows both (2.10\'s preference), SAE for a network of SAE only', async () => {
    rig = await Inproc.start({ scenario: scenario({ akm: 'SAE FT-SAE' }), conf: network('SAE FT-SAE') });
    await connect(rig, A);
    expect(rig.station.association()!.sec.akm).toBe('FT-SAE');
    await rig.stop();
    rig = await Inproc.start({ scenario: scenario({ akm: 'SAE FT-SAE' }), conf: network('SAE') });
    await connect(rig, A);
    expect(rig.station.association()!.sec.akm).toBe('SAE');
  });
});
