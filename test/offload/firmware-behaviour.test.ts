/**
 * What real firmware does that the first driver protocol did not foresee,
 * in process on virtual time (inproc.ts): completion without PTK material
 * (the kernel's PORT_AUTHORIZED), partial material (the QCA roam-auth
 * event), a CONNECT that already means "handshake done" (brcmfmac),
 * key lengths that follow the PMK, and a driver that cannot report its state.
 */
import { pbkdf2Sync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectParams } from '../../src/driver/backend.js';
import { checkFirmwareMaterial, FirmwareInputError } from '../../src/offload/key-owner.js';
import { pskNetwork, simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';

const A = '02:00:00:00:6c:01';
const SSID = 'fw-net';
const PASS = 'fw passphrase';
const NET = pskNetwork(SSID, PASS);
const FULL = 'four_way_psk = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\n';

function scenario(firmware: string): string {
  return `${simSection(11)}[firmware]\n${FULL}${firmware}\n[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n`;
}

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

const connected = /CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:6c:01 completed/;

describe('completion without PTK material (the kernel PORT_AUTHORIZED)', () => {
  it('port_authorized with no KCK, KEK or replay counter completes the association; no EAPOL-Start', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = late_no_material\n'), conf: NET });
    await rig.until(connected);
    const owner = rig.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
    expect(owner).toEqual([`OFFLOAD-KEY-OWNER bssid=${A} owner=firmware completion=firmware-no-material reason=firmware completed the 4-way handshake without reporting KCK/KEK`]);
    // The offload wait passes with nothing more: no take-back.
    await rig.run(5000);
    expect(rig.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toHaveLength(1);
    const off = await rig.offload();
    expect([off.key_owner, off.completion, off.host_kck_fp]).toEqual(['firmware', 'firmware-no-material', '']);
    expect(rig.station.wpaState).toBe('COMPLETED');
  });

  it('a group rekey the firmware answers needs nothing from the host', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = late_no_material\n'), conf: NET });
    await rig.until(connected);
    const from = rig.mark();
    expect(rig.simCmd('SIM_GTK_REKEY fw')).toBe('OK');
    await rig.run(100);
    expect(rig.eventsFrom(from)).toEqual([]);
    expect(rig.station.wpaState).toBe('COMPLETED');
  });
});

describe('partial material (each field of the roam-auth event is optional)', () => {
  it('a replay counter without KCK/KEK is adopted; the association completes', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = replay_only\n'), conf: NET });
    await rig.until(connected);
    const off = await rig.offload();
    expect([off.key_owner, off.completion]).toEqual(['firmware', 'firmware-no-material']);
    // The firmware's counter after its handshake: msg 3/4 carried replay counter 2 (msg 1 was 1).
    expect(off.host_replay_ctr).toBe(off.fw_replay_ctr);
    expect(off.host_replay_ctr).toMatch(/^0{15}[1-9]$/);
  });

  it('field checks follow the AKM and the PMK length; absent fields are not errors', () => {
    const ok16 = { kck: Buffer.alloc(16), kek: Buffer.alloc(16) };
    expect(() => checkFirmwareMaterial('WPA-PSK', 32, ok16, null)).not.toThrow();
    expect(() => checkFirmwareMaterial('WPA-PSK', 32, { keyReplayCtr: Buffer.alloc(8) }, null)).not.toThrow();
    expect(() => checkFirmwareMaterial('WPA-PSK', 32, { kek: Buffer.alloc(16) }, null)).not.toThrow();
    expect(() => checkFirmwareMaterial('WPA-PSK', 32, { kck: Buffer.alloc(24) }, null)).toThrow(FirmwareInputError);
    // SAE-EXT-KEY with a 48-byte PMK: KCK 24, KEK 32.
    expect(() => checkFirmwareMaterial('SAE-EXT-KEY', 48, { kck: Buffer.alloc(24), kek: Buffer.alloc(32) }, null)).not.toThrow();
    expect(() => checkFirmwareMaterial('SAE-EXT-KEY', 48, ok16, null)).toThrow(FirmwareInputError);
    expect(() => checkFirmwareMaterial('OWE', 64, { kck: Buffer.alloc(32), kek: Buffer.alloc(32) }, null)).not.toThrow();
    expect(() => checkFirmwareMaterial('WPA-PSK', 32, { keyReplayCtr: Buffer.from('0000000000000001', 'hex') }, Buffer.from('0000000000000002', 'hex'))).toThrow(/behind/);
  });
});

describe('CONNECT means completed (brcmfmac)', () => {
  it('a driver that says completion=connect: its assoc completes the association at once', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = connect\ncompletion = connect\n'), conf: NET });
    await rig.until(connected);
    expect(rig.events.find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(/owner=firmware completion=firmware-no-material /);
    await rig.run(5000);
    expect(rig.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toHaveLength(1);
  });

  it('the same firmware without the version-2 field: the host waits, then takes the handshake back (version 1 behaviour)', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = connect\n'), conf: NET });
    await rig.until(connected);
    expect(rig.events.find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(/owner=host completion=host-after-firmware-silence /);
  });
});

describe('what can be known: a driver without sync_state (nl80211)', () => {
  it('OFFLOAD_STATUS says fw_state=unreported and in_sync covers what was pushed and acknowledged', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = complete\nsync_state = false\n'), conf: NET });
    await rig.until(connected);
    let off = await rig.offload();
    expect(off.fw_state).toBe('unreported');
    // The firmware reported its material at completion: that much is known.
    expect(off.fw_kck_fp).toBe(off.host_kck_fp);
    expect(off.fw_pmksa).toBe(off.host_pmksa);
    expect(off.in_sync).toBe('1');
    // A group rekey the host runs is pushed as rekey data; once acknowledged, the firmware's counter is the host's.
    const from = rig.mark();
    expect(rig.simCmd('SIM_GTK_REKEY host')).toBe('OK');
    await rig.until(/WPA: Group rekeying completed/, from);
    await rig.run(10);
    off = await rig.offload();
    expect(off.fw_replay_ctr).toBe(off.host_replay_ctr);
    expect(off.in_sync).toBe('1');
  });
});

describe('taking the handshake back without harming the association (the AP behaves as hostapd)', () => {
  const EAP_AP = '02:00:00:00:6c:02';
  const PMK = '5a'.repeat(32);
  const eapScenario = (firmware: string): string =>
    `${simSection(12)}[firmware]\nfour_way_psk = true\nfour_way_8021x = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\n${firmware}\n` +
    `[ap e]\nbssid = ${EAP_AP}\nssid = eap-net\nfreq = 2437\nsignal = -45\nakm = WPA-EAP\npmk = ${PMK}\n`;
  const EAP_NET = 'network={\n\tssid="eap-net"\n\tkey_mgmt=WPA-EAP\n}\n';

  async function eapRig(firmware: string): Promise<{ starts: { n: number }; connects: ConnectParams[]; pmkid: Buffer }> {
    rig = await Inproc.start({ scenario: eapScenario(firmware), conf: EAP_NET.replace('}', '\tdisabled=1\n}') });
    const entry = rig.pmksa.cache.add({ aa: EAP_AP, pmk: Buffer.from(PMK, 'hex'), spa: rig.driver.hello!.address, akm: 'WPA-EAP', networkId: 0 });
    const starts = rig.countEapolStarts();
    const connects = rig.recordConnects();
    const net = rig.config.getNetwork(0)!;
    net.set('disabled', '0');
    rig.station.selectNetwork(net);
    return { starts, connects, pmkid: entry.pmkid };
  }

  it('802.1X with a cached PMKSA, silent firmware: no EAPOL-Start; the host reassociates with offload off and completes with the cached PMKID; the AP keeps its PMKSA', async () => {
    const { starts, connects, pmkid } = await eapRig('mode = mute\n');
    await rig!.until(/CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:6c:02 completed/);
    expect(starts.n).toBe(0);
    const owners = rig!.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
    expect(owners[0]).toMatch(/owner=host completion=host-after-firmware-silence reason=.*reassociating with the handshake on the host/);
    expect(owners.at(-1)).toMatch(/owner=host completion=host-only /);
    // Not a credentials failure.
    expect(rig!.events.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    // First connect: the firmware's handshake; the reassociation: offload off, the cached PMKID in connect and in the RSNE.
    expect(connects.map((c) => c.fourWayOffload)).toEqual([true, false]);
    expect(connects[1].pmkid?.equals(pmkid)).toBe(true);
    expect(connects[1].pmk).toBeUndefined();
    expect(connects[1].ies.includes(pmkid)).toBe(true);
    // msg 4/4 reaches the AP one air delay later; then the AP's rules had their chance to fire.
    await rig!.run(5000);
    const sim = rig!.simStatus();
    expect([sim.ap_pmksa, sim.ap_eapol_starts, sim.ap_eap_requests, sim.ap_restart_limit, sim.host_tk_ok]).toEqual(['1', '0', '0', '0', '1']);
    expect(rig!.station.wpaState).toBe('COMPLETED');
  });

  it('802.1X whose PMKSA is gone when the firmware stays silent: no EAPOL-Start, no reassociation; disconnect with reason 23 and AUTH_FAILED', async () => {
    const { starts, connects } = await eapRig('mode = mute\n');
    await rig!.until(/Associated with 02:00:00:00:6c:02/);
    // The entry goes (PMKSA_FLUSH) while the firmware is still expected to answer.
    rig!.pmksa.flushAll();
    await rig!.until(/CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="eap-net" auth_failures=1 duration=\d+ reason=AUTH_FAILED/);
    expect(rig!.events).toContain('CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:6c:02 reason=23 locally_generated=1');
    expect(starts.n).toBe(0);
    expect(connects).toHaveLength(1);
    expect(rig!.simStatus().ap_eapol_starts).toBe('0');
  });

  it('PSK, silent firmware: exactly one EAPOL-Start takes the handshake back; no reassociation, the AP never hits its restart limit', async () => {
    rig = await Inproc.start({ scenario: scenario('mode = mute\n'), conf: NET });
    const starts = rig.countEapolStarts();
    const connects = rig.recordConnects();
    await rig.until(connected);
    await rig.run(5000);
    expect(starts.n).toBe(1);
    expect(connects).toHaveLength(1);
    expect(rig.events.find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(/completion=host-after-firmware-silence reason=.*sent EAPOL-Start/);
    const sim = rig.simStatus();
    expect([sim.ap_eapol_starts, sim.ap_restart_limit, sim.host_tk_ok]).toEqual(['1', '0', '1']);
    expect(rig.station.wpaState).toBe('COMPLETED');
  });
});

describe('EAPOL-Start is never repeated, not even across associations', () => {
  it('PSK, a firmware that swallows the handshake for good and an AP that ignores EAPOL-Start (hostapd): one EAPOL-Start, then the next association runs on the host and completes', async () => {
    const text = scenario('mode = deaf\n').replace(`passphrase = ${PASS}\n`, `passphrase = ${PASS}\npsk_eapol_start = ignore\n`);
    rig = await Inproc.start({ scenario: text, conf: NET });
    const starts = rig.countEapolStarts();
    const connects = rig.recordConnects();
    await rig.until(connected);
    await rig.run(5000);
    expect(starts.n).toBe(1);
    expect(connects.map((c) => c.fourWayOffload)).toEqual([true, false]);
    // A firmware failure, not a wrong passphrase: no temporary disabling.
    expect(rig.events.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
    const sim = rig.simStatus();
    expect([sim.ap_eapol_starts, sim.ap_restart_limit, sim.host_tk_ok]).toEqual(['1', '0', '1']);
    expect(rig.station.wpaState).toBe('COMPLETED');
  });
});

describe('FT: taking the handshake back from a silent firmware (initial mobility domain association)', () => {
  const FT_AP = '02:00:00:00:6c:03';
  const PMK = '7e'.repeat(32);
  const ftScenario = (akm: 'FT-PSK' | 'FT-EAP', firmware: string): string =>
    `${simSection(13)}[firmware]\nfour_way_psk = true\nfour_way_8021x = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\n` +
    `akms = WPA-PSK, FT-PSK, WPA-EAP, FT-EAP\n${firmware}\n` +
    `[ap f]\nbssid = ${FT_AP}\nssid = ft-net\nfreq = 2437\nsignal = -45\nakm = ${akm}\nmdid = 5a5a\nr0kh_id = r0kh.example\n` +
    (akm === 'FT-PSK' ? `passphrase = ${PASS}\n` : `pmk = ${PMK}\n`);
  const ftNet = (akm: string): string => `network={\n\tssid="ft-net"\n\tkey_mgmt=${akm}\n${akm === 'FT-PSK' ? `\tpsk="${PASS}"\n` : ''}\tdisabled=1\n}\n`;
  const ftConnected = /CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:6c:03 completed/;

  async function ftRig(akm: 'FT-PSK' | 'FT-EAP', firmware: string): Promise<{ connects: ConnectParams[]; starts: { n: number } }> {
    rig = await Inproc.start({ scenario: ftScenario(akm, firmware), conf: ftNet(akm) });
    if (akm === 'FT-EAP') rig.pmksa.cache.add({ aa: FT_AP, pmk: Buffer.from(PMK, 'hex'), spa: rig.driver.hello!.address, akm, networkId: 0 });
    const seen = rig.countEapolStarts();
    const connects = rig.recordConnects();
    const net = rig.config.getNetwork(0)!;
    net.set('disabled', '0');
    rig.station.selectNetwork(net);
    return { connects, starts: seen };
  }

  for (const akm of ['FT-PSK', 'FT-EAP'] as const) {
    it(`${akm}, silent firmware: no EAPOL-Start; reassociation with offload off and the MDE; the host runs the FT 4-way handshake; COMPLETED`, async () => {
      const { connects, starts } = await ftRig(akm, 'mode = mute\n');
      await rig!.until(ftConnected);
      await rig!.run(5000);
      expect(starts.n).toBe(0);
      expect(connects.map((c) => c.fourWayOffload)).toEqual([true, false]);
      // The (Re)Association Request carries the BSS's MDE (MDID 5a5a) after our RSNE.
      expect(connects[1].ies.includes(Buffer.from('36035a5a', 'hex'))).toBe(true);
      const owners = rig!.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
      expect(owners[0]).toMatch(/completion=host-after-firmware-silence reason=.*reassociating with the handshake on the host/);
      expect(owners.at(-1)).toMatch(/owner=host completion=host-only /);
      expect(rig!.events.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
      const sim = rig!.simStatus();
      expect([sim.ap_eapol_starts, sim.ap_eap_requests, sim.ap_restart_limit, sim.host_tk_ok, sim.host_gtk_ok]).toEqual(['0', '0', '0', '1', '1']);
      expect(rig!.station.wpaState).toBe('COMPLETED');
      expect((await rig!.offload()).in_sync).toBe('1');
    });
  }

  it('FT-PSK, silent firmware, a driver that reports no disconnect the host asked for (nl80211): the reassociation still happens and completes', async () => {
    const { connects } = await ftRig('FT-PSK', 'mode = mute\n');
    // As the nl80211 backend (ignoreLocalDisconnect): the DISCONNECT the host sent is not reported back.
    const d = rig!.driver;
    const emit = d.emit.bind(d) as (name: string, ...args: unknown[]) => boolean;
    const disconnect = d.disconnect.bind(d);
    let asked = 0;
    d.disconnect = (reason: number) => {
      asked++;
      return disconnect(reason);
    };
    let swallowed = 0;
    (d as unknown as { emit: typeof emit }).emit = (name, ...args) => {
      if (name === 'disconnected' && asked > swallowed && (args[0] as { locallyGenerated?: boolean }).locallyGenerated) {
        swallowed++;
        return true;
      }
      return emit(name, ...args);
    };
    await rig!.until(ftConnected);
    expect(asked).toBe(1);
    expect(connects.map((c) => c.fourWayOffload)).toEqual([true, false]);
    expect(rig!.events.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toEqual([`CTRL-EVENT-DISCONNECTED bssid=${FT_AP} reason=3 locally_generated=1`]);
    expect(rig!.station.wpaState).toBe('COMPLETED');
  });

  // An AP offering WPA-PSK and FT-PSK (hostapd's wpa_key_mgmt=WPA-PSK FT-PSK): the AKM of an association is the one the station chose.
  for (const akm of ['WPA-PSK', 'FT-PSK'] as const) {
    it(`AP with akm = WPA-PSK FT-PSK, network key_mgmt=${akm}: the AP keys the association by the chosen AKM (FT only for FT-PSK); the host completes after the take-back`, async () => {
      rig = await Inproc.start({
        scenario: ftScenario('FT-PSK', 'mode = mute\n').replace('akm = FT-PSK', 'akm = WPA-PSK FT-PSK'),
        conf: ftNet(akm),
      });
      const connects = rig.recordConnects();
      const net = rig.config.getNetwork(0)!;
      net.set('psk', `"${PASS}"`);
      net.set('disabled', '0');
      rig.station.selectNetwork(net);
      await rig.until(ftConnected);
      await rig.run(2000);
      expect(connects.map((c) => c.akm)).toEqual(akm === 'FT-PSK' ? ['FT-PSK', 'FT-PSK'] : ['WPA-PSK']);
      // The MDE goes into the request only for FT.
      expect(connects[0].ies.includes(Buffer.from('36035a5a', 'hex'))).toBe(akm === 'FT-PSK');
      const sim = rig.simStatus();
      // PSK takes back with one EAPOL-Start, FT by reassociating; either way the host's keys are the AP's.
      expect([sim.ap_eapol_starts, sim.host_tk_ok, sim.host_gtk_ok]).toEqual([akm === 'FT-PSK' ? '0' : '1', '1', '1']);
      expect(rig.station.wpaState).toBe('COMPLETED');
    });
  }

  it('FT-PSK, firmware that completes: the firmware runs the FT 4-way handshake; a group rekey reaching the host verifies with its KCK', async () => {
    await ftRig('FT-PSK', 'mode = complete\n');
    await rig!.until(ftConnected);
    expect(rig!.events.find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(/owner=firmware completion=firmware-at-assoc /);
    const from = rig!.mark();
    expect(rig!.simCmd('SIM_GTK_REKEY host')).toBe('OK');
    await rig!.until(/WPA: Group rekeying completed with 02:00:00:00:6c:03/, from);
    await rig!.run(10);
    expect(rig!.simStatus().host_gtk_ok).toBe('1');
  });
});

describe('key management offload: the host runs the first 4-way handshake, the firmware roams with the PSK (QCA KEY_MGMT_SET_KEY)', () => {
  const KA = '02:00:00:00:6c:11';
  const KB = '02:00:00:00:6c:12';
  const KM_FW = 'four_way_psk = false\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nroam_threshold = -75\nroam_delta = 5\nmode = complete\n';
  const kmScenario = (firmware: string): string =>
    `${simSection(14)}[firmware]\n${firmware}\n` +
    `[ap a]\nbssid = ${KA}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n\n` +
    `[ap b]\nbssid = ${KB}\nssid = ${SSID}\nfreq = 5180\nsignal = -60\npassphrase = ${PASS}\n`;
  const psk = pbkdf2Sync(PASS, SSID, 4096, 32, 'sha1');

  async function kmRig(firmware: string, globals = ''): Promise<{ r: Inproc; connects: ConnectParams[]; eapol: { n: number } }> {
    const r = await Inproc.start({ scenario: kmScenario(firmware), conf: `${globals}${pskNetwork(SSID, PASS, '\tdisabled=1\n')}` });
    rig = r;
    const connects = r.recordConnects();
    const eapol = r.countEapol();
    const net = r.config.getNetwork(0)!;
    net.set('disabled', '0');
    r.station.selectNetwork(net);
    await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${KA} completed`));
    return { r, connects, eapol };
  }

  it('connect gives the firmware the PSK apart from the handshake; the firmware roams on its own, keys the roam and reports KCK/KEK; the host verifies the next group rekey with them', async () => {
    const { r, connects, eapol } = await kmRig(KM_FW);
    // The host runs this handshake (no pmk, four_way_offload false), the firmware gets the PSK for its own roams.
    expect(connects).toHaveLength(1);
    expect([connects[0].pmk, connects[0].fourWayOffload, connects[0].psk?.equals(psk)]).toEqual([undefined, false, true]);
    // Msg 2/4 and 4/4 from the host; its TK is the AP's (once 4/4 has reached the AP).
    await r.run(10);
    expect(eapol.n).toBe(2);
    expect(r.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toEqual([`OFFLOAD-KEY-OWNER bssid=${KA} owner=host completion=host-only reason=firmware cannot offload this AKM or policy forbids it`]);
    expect([r.simStatus().fw_handshake, r.simStatus().host_tk_ok]).toEqual(['0', '1']);

    let from = r.mark();
    expect(r.simCmd(`SIM_SIGNAL ${KA} -85`)).toBe('OK');
    await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${KB} completed`), from);
    const evs = r.eventsFrom(from);
    expect(evs.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED') || e.startsWith('Trying to associate'))).toBe(false);
    expect(evs.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toEqual([`OFFLOAD-KEY-OWNER bssid=${KB} owner=firmware completion=firmware-at-assoc reason=firmware completed the 4-way handshake`]);
    // No host handshake on the roam: no EAPOL frame from the host, no key installed by it; the firmware ran it.
    expect(eapol.n).toBe(2);
    expect(connects).toHaveLength(1);
    let sim = r.simStatus();
    expect([sim.bssid, sim.fw_handshake, sim.host_tk_ok]).toEqual([KB, '1', '']);

    from = r.mark();
    expect(r.simCmd('SIM_GTK_REKEY host')).toBe('OK');
    await r.until(new RegExp(`WPA: Group rekeying completed with ${KB} \\[GTK=CCMP\\]`), from);
    await r.run(10);
    sim = r.simStatus();
    expect(sim.host_gtk_ok).toBe('1');
    // Msg 2/2 with the firmware's KCK; the firmware got the host's counter back.
    expect(eapol.n).toBe(3);
    const off = await r.offload();
    expect([off.key_owner, off.in_sync, off.fw_replay_ctr, off.fw_kck_fp]).toEqual(['firmware', '1', off.host_replay_ctr, off.host_kck_fp]);
    expect(r.station.wpaState).toBe('COMPLETED');
  });

  it('the global key_mgmt_offload=0: no PSK with connect, and the firmware does not roam', async () => {
    const { r, connects } = await kmRig(KM_FW, 'key_mgmt_offload=0\n');
    expect(connects[0].psk).toBeUndefined();
    const from = r.mark();
    expect(r.simCmd(`SIM_SIGNAL ${KA} -85`)).toBe('OK');
    await r.run(5000);
    expect(r.eventsFrom(from).filter((e) => e.startsWith('CTRL-EVENT-'))).toEqual([]);
    expect(r.simStatus().bssid).toBe(KA);
  });

  it('a firmware without key_mgmt_offload gets no PSK', async () => {
    const { connects } = await kmRig(KM_FW.replace('key_mgmt_offload = true', 'key_mgmt_offload = false'));
    expect(connects[0].psk).toBeUndefined();
  });
});
