/**
 * GET_CAPABILITY answers from what is implemented and what the driver
 * reports: in process against driver capabilities the test chooses, then end
 * to end with the simulator (embedded and as a process behind `-D ext`,
 * whose link the test takes down).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getCapability } from '../../src/ctrl/capability.js';
import type { DriverCapabilities } from '../../src/driver/backend.js';
import { build, Rig, simSection } from '../station/rig.js';

const caps = (akms: string[], ciphers: string[]): DriverCapabilities => ({
  four_way_psk: true,
  four_way_8021x: false,
  key_mgmt_offload: false,
  gtk_rekey_offload: false,
  pmksa_offload: false,
  max_pmksa: 0,
  akms,
  ciphers,
});

describe('GET_CAPABILITY (in process)', () => {
  // A driver that reports more than the station implements, and a name nobody knows.
  const wide = caps(
    ['WPA-PSK', 'WPA-PSK-SHA256', 'FT-PSK', 'SAE', 'WPA-EAP-SUITE-B', 'OWE', 'bogus'],
    ['CCMP', 'GCMP', 'TKIP', 'WEP40', 'WEP104', 'BIP', 'BIP-GMAC-256', 'bogus'],
  );

  it('lists what the driver reports and the station implements, in 2.10 order', () => {
    // 2.10 prints no line for the SHA-256 AKMs (measured on the kernel radio: test/radio/nl80211-scan.test.ts).
    expect(getCapability('key_mgmt', wide)).toBe('NONE WPA-PSK SAE');
    expect(getCapability('key_mgmt iftype=STATION', wide)).toBe('NONE WPA-PSK SAE');
    expect(getCapability('pairwise', wide)).toBe('CCMP GCMP');
    expect(getCapability('group', wide)).toBe('CCMP GCMP');
    expect(getCapability('group_mgmt', wide)).toBe('AES-128-CMAC BIP-GMAC-256');
    expect(getCapability('proto', wide)).toBe('RSN');
    expect(getCapability('auth_alg', wide)).toBe('OPEN');
    expect(getCapability('modes', wide)).toBe('');
  });

  it('auth_alg lists SAE, and the sae field answers H2E, when the driver takes Authentication frames from the host (sae_auth)', () => {
    expect(getCapability('auth_alg', { ...wide, sae_auth: true })).toBe('OPEN SAE');
    expect(getCapability('auth_alg', { ...wide, sae_auth: false })).toBe('OPEN');
    expect(getCapability('sae', { ...wide, sae_auth: true })).toBe('H2E');
    expect(getCapability('sae', { ...wide, sae_auth: false })).toBe('FAIL\n');
    expect(getCapability('sae', undefined)).toBe('FAIL\n');
  });

  it('channels and freq: per hardware mode, enabled channels only, NO_IR and DFS marked, as 2.10 prints them', () => {
    const ch = (chan: number, freq: number, f: { disabled?: boolean; noIr?: boolean; radar?: boolean } = {}) =>
      ({ chan, freq, disabled: false, noIr: false, radar: false, ...f });
    const radio = {
      ...wide,
      hw_modes: [
        { mode: 'G' as const, channels: [ch(1, 2412), ch(13, 2472, { noIr: true }), ch(14, 2484, { disabled: true })] },
        { mode: 'A' as const, channels: [ch(36, 5180), ch(52, 5260, { radar: true, noIr: true })] },
        { mode: 'B' as const, channels: [ch(1, 2412)] },
      ],
    };
    expect(getCapability('channels', radio)).toBe('Mode[G] Channels: 1 13\nMode[A] Channels: 36 52\nMode[B] Channels: 1\n');
    expect(getCapability('freq', radio)).toBe(
      'Mode[G] Channels:\n 1 = 2412 MHz\n 13 = 2472 MHz (NO_IR)\n\n' +
        'Mode[A] Channels:\n 36 = 5180 MHz\n 52 = 5260 MHz (NO_IR) (DFS)\n\n' +
        'Mode[B] Channels:\n 1 = 2412 MHz\n\n',
    );
    // The driver protocol reports no modes: nothing, as 2.10 with none.
    expect(getCapability('channels', wide)).toBe('');
    expect(getCapability('freq', undefined)).toBe('');
  });

  it('never lists TKIP, WEP, WPA1, LEAP, SHARED, IEEE8021X or an EAP method', () => {
    const all = ['key_mgmt', 'pairwise', 'group', 'proto', 'auth_alg', 'eap'].map((f) => getCapability(f, wide)).join(' ');
    for (const t of ['TKIP', 'WEP104', 'WEP40', 'WPA ', 'LEAP', 'SHARED', 'IEEE8021X', 'MD5', 'PEAP']) expect(all).not.toContain(t);
    expect(getCapability('proto', wide)).not.toMatch(/\bWPA\b/);
  });

  it('iftype=: another interface type has no AKM here; an unknown one is FAIL', () => {
    expect(getCapability('key_mgmt iftype=AP', wide)).toBe('NONE');
    expect(getCapability('key_mgmt iftype=BOGUS', wide)).toBe('FAIL\n');
    expect(getCapability('pairwise iftype=BOGUS', wide)).toBe('CCMP GCMP');
  });

  it('FT-PSK and FT-EAP are listed (2.10 order, after WPA-PSK) only with a driver that carries FT Authentication (ft_auth)', () => {
    expect(getCapability('key_mgmt', { ...wide, ft_auth: true })).toBe('NONE WPA-PSK FT-PSK SAE');
    expect(getCapability('key_mgmt', { ...caps(['WPA-EAP', 'FT-EAP', 'FT-PSK', 'WPA-PSK'], ['CCMP']), ft_auth: true })).toBe('NONE WPA-EAP WPA-PSK FT-PSK FT-EAP');
    expect(getCapability('key_mgmt', { ...wide, ft_auth: false })).toBe('NONE WPA-PSK SAE');
  });

  it('FT-SAE is listed where the driver reports it and carries FT Authentication, between FT-EAP and SAE as 2.10 prints it', () => {
    const ftSae = caps(['WPA-PSK', 'FT-PSK', 'SAE', 'FT-SAE'], ['CCMP']);
    expect(getCapability('key_mgmt', { ...ftSae, ft_auth: true })).toBe('NONE WPA-PSK FT-PSK FT-SAE SAE');
    expect(getCapability('key_mgmt', { ...ftSae, ft_auth: false })).toBe('NONE WPA-PSK SAE');
  });

  it('a driver that reports nothing: NONE and empty lists', () => {
    const none = caps([], []);
    expect(getCapability('key_mgmt', none)).toBe('NONE');
    for (const f of ['pairwise', 'group', 'group_mgmt', 'proto']) expect(getCapability(f, none), f).toBe('');
  });

  it('driver link down: what is implemented, nothing with strict; iftype= is not looked at', () => {
    expect(getCapability('key_mgmt', undefined)).toBe('NONE WPA-EAP WPA-PSK FT-PSK FT-EAP FT-SAE SAE');
    expect(getCapability('key_mgmt iftype=BOGUS', undefined)).toBe('NONE WPA-EAP WPA-PSK FT-PSK FT-EAP FT-SAE SAE');
    expect(getCapability('pairwise', undefined)).toBe('CCMP-256 GCMP-256 CCMP GCMP');
    expect(getCapability('proto', undefined)).toBe('RSN');
    expect(getCapability('group_mgmt', undefined)).toBe('');
    for (const f of ['key_mgmt', 'pairwise', 'group', 'group_mgmt', 'proto', 'auth_alg', 'modes']) {
      expect(getCapability(`${f} strict`, undefined), f).toBe('');
    }
  });
});

describe('GET_CAPABILITY with the simulator', () => {
  let rig: Rig | undefined;
  beforeAll(() => build(), 120_000);
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const scenario = (seed: number): string =>
    `${simSection(seed)}[firmware]\nakms = WPA-PSK, WPA-PSK-SHA256, SAE\nciphers = CCMP, GCMP, GCMP-256, BIP, BIP-GMAC-128\n\n` +
    '[ap a]\nbssid = 02:00:00:00:ca:01\nssid = cap\nfreq = 2437\nsignal = -45\nakm = WPA-PSK\npassphrase = 12345678\n';

  it('-D sim: GCMP, GCMP-256 and SAE as the firmware advertises them (its WPA-PSK-SHA256 is not printed, as 2.10 prints no SHA-256 AKM); beacon_prot answered', async () => {
    rig = await Rig.start({ scenario: scenario(501), networks: '', backend: 'sim' });
    expect(await rig.req('GET_CAPABILITY key_mgmt')).toBe('NONE WPA-PSK SAE');
    expect(await rig.req('GET_CAPABILITY key_mgmt iftype=STATION')).toBe('NONE WPA-PSK SAE');
    expect(await rig.req('GET_CAPABILITY pairwise')).toBe('GCMP-256 CCMP GCMP');
    expect(await rig.req('GET_CAPABILITY group strict')).toBe('GCMP-256 CCMP GCMP');
    expect(await rig.req('GET_CAPABILITY group_mgmt')).toBe('AES-128-CMAC BIP-GMAC-128');
    expect(await rig.req('GET_CAPABILITY proto')).toBe('RSN');
    expect(await rig.req('GET_CAPABILITY beacon_prot')).toBe('not supported');
  });

  it('-D ext: with the driver process gone, the implemented lists (nothing with strict); back with it', async () => {
    rig = await Rig.start({ scenario: scenario(502), networks: '', backend: 'ext' });
    expect(await rig.req('GET_CAPABILITY pairwise')).toBe('GCMP-256 CCMP GCMP');
    await rig.sim!.kill();
    await rig.waitOutput(/ext: driver link down/);
    expect(await rig.req('GET_CAPABILITY pairwise')).toBe('CCMP-256 GCMP-256 CCMP GCMP');
    expect(await rig.req('GET_CAPABILITY pairwise strict')).toBe('');
    expect(await rig.req('GET_CAPABILITY group_mgmt')).toBe('');
    const from = rig.daemon.output.length;
    await rig.sim!.start();
    await rig.waitOutput(/: driver ext up, own address/, from);
    expect(await rig.req('GET_CAPABILITY pairwise strict')).toBe('GCMP-256 CCMP GCMP');
  });
});
