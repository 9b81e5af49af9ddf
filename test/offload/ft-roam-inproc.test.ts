/**
 * ROAM within a mobility domain uses FT over the air (802.11-2020 13.8), as
 * wpa_supplicant 2.10's SME does when the target's MDE names the current
 * association's MDID: FT Authentication with the target while associated,
 * a reassociation whose FTE carries a MIC, the keys from the Reassociation
 * Response, no 4-way handshake; the events as 2.10 showed them on the
 * kernel radio (test/fixtures/vectors/ft-psk-roam-2.10.json). In process on the simulated radio (its APs
 * answer FT Authentication and check the FTE MIC with the rsn FtTarget,
 * PMK-R0 derived locally as hostapd's ft_psk_generate_local=1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Inproc } from './inproc.js';
import { simSection } from '../station/rig.js';
import { readVector } from '../fixtures/vectors.js';

/** What wpa_supplicant 2.10 showed for an FT roam on the kernel radio (test/fixtures/vectors/README.md), for this target. */
function roamEvents2_10(target: string, ssid: string, freq: number): string[] {
  const v = readVector('ft-psk-roam-2.10.json');
  return (v.events as string[]).map((e) => e.replaceAll(v.target, target).replaceAll(`'${v.ssid}'`, `'${ssid}'`).replace('freq=2437', `freq=${freq}`));
}

const PASS = 'ft passphrase';
const A = '02:00:00:00:6c:01';
const B = '02:00:00:00:6c:02';

function scenario(o: { bPass?: string; bMdid?: string; firmware?: string } = {}): string {
  const ap = (name: string, bssid: string, freq: number, signal: number, mdid: string, pass: string): string =>
    `[ap ${name}]\nbssid = ${bssid}\nssid = ft-net\nfreq = ${freq}\nsignal = ${signal}\nakm = FT-PSK\nmdid = ${mdid}\nr0kh_id = r0kh.${name}\npassphrase = ${pass}\nmfp = optional\n`;
  return (
    `${simSection(21)}[firmware]\nakms = WPA-PSK, FT-PSK\n${o.firmware ?? ''}\n` +
    ap('a', A, 2437, -45, '5a5a', PASS) +
    ap('b', B, 2462, -60, o.bMdid ?? '5a5a', o.bPass ?? PASS)
  );
}
const NET = `network={\n\tssid="ft-net"\n\tkey_mgmt=FT-PSK\n\tpsk="${PASS}"\n\tieee80211w=1\n\tdisabled=1\n}\n`;

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function connectedToA(o: Parameters<typeof scenario>[0] = {}): Promise<Inproc> {
  rig = await Inproc.start({ scenario: scenario(o), conf: NET });
  const net = rig.config.getNetwork(0)!;
  net.set('disabled', '0');
  rig.station.selectNetwork(net);
  await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
  await rig.run(100);
  return rig;
}

describe('ROAM within the mobility domain: FT over the air', () => {
  for (const firmware of ['mode = complete\n', 'four_way_psk = false\n']) {
    it(`FT-PSK (${firmware.trim()}): SME auth, reassociation, keys from the Reassociation Response, no 4-way handshake; the events 2.10 shows`, async () => {
      const r = await connectedToA({ firmware });
      const eapol = r.countEapol();
      const auths: string[] = [];
      const auth = r.driver.auth!.bind(r.driver);
      r.driver.auth = (p) => {
        auths.push(`${p.algorithm} ${p.data.subarray(0, 6).toString('hex')}`);
        return auth(p);
      };
      const from = r.mark();
      expect(r.station.roam(B)).toBe(true);
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), from);
      await r.run(100);
      const shown = r.eventsFrom(from).filter((e) => !e.startsWith('OFFLOAD-KEY-OWNER'));
      expect(shown).toEqual(roamEvents2_10(B, 'ft-net', 2462));
      // One FT Authentication frame: algorithm 2, transaction 1, status 0.
      expect(auths).toEqual(['ft 020001000000']);
      expect(eapol.n).toBe(0);
      expect(r.eventsFrom(from).find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(new RegExp(`bssid=${B} owner=host completion=host-ft `));
      const sim = r.simStatus();
      expect([sim.bssid, sim.host_tk_ok, sim.host_gtk_ok, sim.ap_ft_roams]).toEqual([B, '1', '1', '1']);
      expect(r.station.wpaState).toBe('COMPLETED');
      // The KCK/KEK of the FT PTK answer the AP's next group key handshake.
      const g = r.mark();
      expect(r.simCmd('SIM_GTK_REKEY host')).toBe('OK');
      await r.until(new RegExp(`WPA: Group rekeying completed with ${B}`), g);
      await r.run(10);
      expect(r.simStatus().host_gtk_ok).toBe('1');
      // And back: the next transition starts from the PMK-R0 of the initial association (its R0KH-ID), as 2.10's does.
      const back = r.mark();
      expect(r.station.roam(A)).toBe(true);
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), back);
      await r.run(100);
      expect(r.eventsFrom(back).filter((e) => !e.startsWith('OFFLOAD-KEY-OWNER'))).toEqual(roamEvents2_10(A, 'ft-net', 2437));
      expect(eapol.n).toBe(1); // only the group key handshake's msg 2/2 went out
      expect([r.simStatus().bssid, r.simStatus().host_tk_ok]).toEqual([A, '1']);
    });
  }

  it('after the FT roam the AP\'s PTK rekey is an FT 4-way handshake keyed by the transition\'s PMK-R1 (PMKR1Name, the Reassociation Response\'s FTE): it completes', async () => {
    const r = await connectedToA({ firmware: 'four_way_psk = false\n' });
    expect(r.station.roam(B)).toBe(true);
    await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`));
    await r.run(100);
    const from = r.mark();
    expect(r.simCmd('SIM_PTK_REKEY')).toBe('OK');
    await r.until(new RegExp(`WPA: Key negotiation completed with ${B}`), from);
    await r.run(100);
    expect(r.simStatus().host_tk_ok).toBe('1');
    expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
  });

  it('FT-EAP (the cached PMKSA\'s PMK standing in for XXKey, as for the initial association): the roam completes with the FT keys', async () => {
    const PMK = '7e'.repeat(32);
    const sc = scenario().replace(/akm = FT-PSK/g, 'akm = FT-EAP').replace(/passphrase = .*\n/g, `pmk = ${PMK}\n`).replace('akms = WPA-PSK, FT-PSK', 'akms = WPA-EAP, FT-EAP');
    rig = await Inproc.start({ scenario: sc, conf: `network={\n\tssid="ft-net"\n\tkey_mgmt=FT-EAP\n\tieee80211w=1\n\tdisabled=1\n}\n` });
    rig.pmksa.cache.add({ aa: A, pmk: Buffer.from(PMK, 'hex'), spa: rig.driver.hello!.address, akm: 'FT-EAP', networkId: 0 });
    const net = rig.config.getNetwork(0)!;
    net.set('disabled', '0');
    rig.station.selectNetwork(net);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
    await rig.run(100);
    const from = rig.mark();
    expect(rig.station.roam(B)).toBe(true);
    await rig.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), from);
    await rig.run(100);
    expect(rig.eventsFrom(from)[0]).toBe(`SME: Trying to authenticate with ${B} (SSID='ft-net' freq=2462 MHz)`);
    const sim = rig.simStatus();
    expect([sim.bssid, sim.host_tk_ok, sim.host_gtk_ok]).toEqual([B, '1', '1']);
  });

  it('a Reassociation Response whose FTE MIC does not verify: deauthenticated with reason 13 (2.10: "FT: Validation of Reassociation Response failed"), no CONNECTED to it', async () => {
    const r = await connectedToA();
    // The frame changed on the air: one octet of the FTE's MIC flipped in the roam's assoc event.
    const emit = r.driver.emit.bind(r.driver) as (name: string, ...args: unknown[]) => boolean;
    (r.driver as unknown as { emit: typeof emit }).emit = (name: string, ...args: unknown[]) => {
      const a = args[0] as { roam?: boolean; respIes?: Buffer };
      if (name === 'assoc' && a.roam && a.respIes) {
        const ies = Buffer.from(a.respIes);
        const at = ies.indexOf(Buffer.of(55));
        ies[at + 4] ^= 1;
        return emit(name, { ...a, respIes: ies });
      }
      return emit(name, ...args);
    };
    const from = r.mark();
    expect(r.station.roam(B)).toBe(true);
    const d = await r.until(/CTRL-EVENT-DISCONNECTED/, from);
    expect(d).toBe(`CTRL-EVENT-DISCONNECTED bssid=${B} reason=13 locally_generated=1`);
    expect(r.eventsFrom(from).some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${B}`) || e === `Associated with ${B}`)).toBe(false);
  });

  it('a target that cannot derive the PMKR0Name (another PSK) refuses with status 53: CTRL-EVENT-AUTH-REJECT auth_type=2, then a new connection', async () => {
    const r = await connectedToA({ bPass: 'another passphrase' });
    const from = r.mark();
    expect(r.station.roam(B)).toBe(true);
    const rej = await r.until(/CTRL-EVENT-AUTH-REJECT/, from);
    expect(rej).toBe(`CTRL-EVENT-AUTH-REJECT ${B} auth_type=2 auth_transaction=2 status_code=53`);
    await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
  });

  it('a target that does not answer the FT Authentication: given up after the SME\'s 5 s, the station leaves and connects again; the daemon keeps running', async () => {
    const r = await connectedToA();
    expect(r.simCmd(`SIM_AP_DOWN ${B}`)).toBe('OK');
    const from = r.mark();
    expect(r.station.roam(B)).toBe(true);
    await r.until(/CTRL-EVENT-DISCONNECTED/, from);
    const t = r.eventsFrom(from);
    expect(t[0]).toBe(`SME: Trying to authenticate with ${B} (SSID='ft-net' freq=2462 MHz)`);
    expect(t.some((e) => e.startsWith('Trying to associate'))).toBe(false);
    await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    expect(r.station.wpaState).toBe('COMPLETED');
  });

  it('a target in another mobility domain: no FT; the roam is a new association with a 4-way handshake', async () => {
    const r = await connectedToA({ bMdid: '6b6b' });
    const auths: string[] = [];
    const auth = r.driver.auth!.bind(r.driver);
    r.driver.auth = (p) => {
      auths.push(p.algorithm);
      return auth(p);
    };
    const from = r.mark();
    expect(r.station.roam(B)).toBe(true);
    await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B}`), from);
    expect(auths).toEqual([]);
    expect(r.eventsFrom(from)[0]).toBe(`Trying to associate with ${B} (SSID='ft-net' freq=2462 MHz)`);
    expect(r.eventsFrom(from)).toContain(`WPA: Key negotiation completed with ${B} [PTK=CCMP GTK=CCMP]`);
  });
});
