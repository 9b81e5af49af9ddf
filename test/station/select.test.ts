/**
 * Network and BSS selection on synthetic scan entries: which AKM and cipher a
 * BSS gets when it offers several, and which BSSes are no candidate because
 * this daemon cannot authenticate with them (TKIP-only pairwise, FT without
 * a Mobility Domain element, SAE or 802.1X without a cached PMKSA).
 */
import { describe, expect, it } from 'vitest';
import { NetworkConfig } from '../../src/config/network.js';
import { buildRsne } from '../../src/rsn/rsne.js';
import type { BssEntry } from '../../src/station/bss-table.js';
import { selectCandidate } from '../../src/station/select.js';

const SSID = 'sel-net';

function bss(bssid: string, level: number, rsne: { akms: string[]; pairwise: string[]; group?: string; mfpc?: boolean; mfpr?: boolean }): BssEntry {
  const ie = buildRsne({ group: rsne.group ?? 'CCMP', pairwise: rsne.pairwise, akms: rsne.akms, mfpc: rsne.mfpc, mfpr: rsne.mfpr, groupMgmt: rsne.mfpc ? 'AES-128-CMAC' : undefined });
  const ssidIe = Buffer.concat([Buffer.from([0, SSID.length]), Buffer.from(SSID)]);
  return {
    id: 0, bssid, ssid: Buffer.from(SSID), freq: 2437, level, noise: -95, beaconInt: 100, caps: 0x0011,
    ies: Buffer.concat([ssidIe, ie]), lastUpdate: 0, lastSeenScan: 0, scanMiss: 0,
  };
}

function network(keyMgmt: string, extra: Record<string, string> = {}): NetworkConfig {
  const n = new NetworkConfig(0);
  for (const [k, v] of Object.entries({ ssid: `"${SSID}"`, key_mgmt: keyMgmt, psk: '"sel passphrase"', ...extra })) {
    expect(n.set(k, v), `${k} ${v}`).toBe(true);
  }
  return n;
}

const pick = (net: NetworkConfig, bsses: BssEntry[], cached: (akm: string) => boolean = () => false, hostSae = false) =>
  selectCandidate([net], bsses, () => true, () => true, 0, (_n, _b, akm) => cached(akm), hostSae);

describe('selection', () => {
  it('a WPA3-transition BSS with a driver that cannot take Authentication frames: SAE only with a cached PMKSA, else WPA-PSK', () => {
    const b = bss('02:00:00:00:0c:01', -40, { akms: ['SAE', 'WPA-PSK'], pairwise: ['CCMP'], mfpc: true });
    const net = network('WPA-PSK SAE');
    expect(pick(net, [b])?.sec.akm).toBe('WPA-PSK');
    expect(pick(net, [b], (akm) => akm === 'SAE')?.sec.akm).toBe('SAE');
    // SAE alone and nothing cached: no candidate.
    expect(pick(network('SAE'), [b])).toBeUndefined();
  });

  it('host SAE (driver sae_auth): SAE preferred over WPA-PSK in transition mode, as 2.10', () => {
    const b = bss('02:00:00:00:0c:11', -40, { akms: ['SAE', 'WPA-PSK'], pairwise: ['CCMP'], mfpc: true });
    const sec = pick(network('WPA-PSK SAE'), [b], () => false, true)?.sec;
    // Transition mode: PMF on for SAE, not required (the network allows PSK too).
    expect(sec).toMatchObject({ akm: 'SAE', mfp: true, mfpRequired: false });
    // An SAE-only network requires PMF, whatever ieee80211w says.
    expect(pick(network('SAE'), [b], () => false, true)?.sec).toMatchObject({ akm: 'SAE', mfp: true, mfpRequired: true });
    // sae_password alone is a password too.
    const onlySae = new NetworkConfig(0);
    for (const [k, v] of [['ssid', `"${SSID}"`], ['key_mgmt', 'SAE'], ['sae_password', '"pw"']]) expect(onlySae.set(k, v)).toBe(true);
    expect(pick(onlySae, [b], () => false, true)?.sec.akm).toBe('SAE');
    // No password at all (a raw 64-hex psk is no SAE password): no SAE.
    const rawPsk = network('SAE', { psk: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' });
    expect(pick(rawPsk, [b], () => false, true)).toBeUndefined();
  });

  it('SAE needs PMF: a transition BSS without MFPC gets WPA-PSK, and an SAE-only network does not take it', () => {
    const b = bss('02:00:00:00:0c:12', -40, { akms: ['SAE', 'WPA-PSK'], pairwise: ['CCMP'] });
    // Even with a PMKSA cached for SAE.
    expect(pick(network('WPA-PSK SAE'), [b], (akm) => akm === 'SAE', true)?.sec.akm).toBe('WPA-PSK');
    expect(pick(network('SAE'), [b], (akm) => akm === 'SAE', true)).toBeUndefined();
  });

  it('FT-PSK for the initial mobility domain association, in 2.10\'s order, only from a BSS with a Mobility Domain element', () => {
    const mde = Buffer.from('3603a1b200', 'hex');
    const withMde = (b: BssEntry): BssEntry => ({ ...b, ies: Buffer.concat([b.ies, mde]) });
    const mixed = withMde(bss('02:00:00:00:0c:02', -40, { akms: ['FT-PSK', 'WPA-PSK'], pairwise: ['CCMP'] }));
    const ftOnly = withMde(bss('02:00:00:00:0c:03', -30, { akms: ['FT-PSK'], pairwise: ['CCMP'] }));
    const noMde = bss('02:00:00:00:0c:06', -20, { akms: ['FT-PSK'], pairwise: ['CCMP'] });
    const net = network('FT-PSK WPA-PSK');
    expect(pick(net, [mixed])?.sec).toMatchObject({ akm: 'FT-PSK', mde });
    expect(pick(net, [ftOnly])?.sec.akm).toBe('FT-PSK');
    // The MDE is what the (Re)Association Request repeats: without one the BSS is no FT candidate.
    expect(pick(network('FT-PSK'), [noMde])).toBeUndefined();
    // A network without FT AKMs never gets one.
    const plain = pick(network('WPA-PSK'), [mixed])?.sec;
    expect([plain?.akm, plain?.mde]).toEqual(['WPA-PSK', undefined]);
  });

  it('FT-SAE in 2.10\'s order (FT-EAP, FT-SAE, SAE, FT-PSK, ...): host SAE or a cached PMKSA, PMF as for SAE, an MDE', () => {
    const mde = Buffer.from('3603a1b200', 'hex');
    const withMde = (b: BssEntry): BssEntry => ({ ...b, ies: Buffer.concat([b.ies, mde]) });
    const all = withMde(bss('02:00:00:00:0c:21', -40, { akms: ['WPA-PSK', 'FT-PSK', 'SAE', 'FT-SAE'], pairwise: ['CCMP'], mfpc: true }));
    const net = network('WPA-PSK FT-PSK SAE FT-SAE');
    // Host SAE: FT-SAE before SAE and FT-PSK; PMF on, not required (the network allows PSK AKMs too).
    expect(pick(net, [all], () => false, true)?.sec).toMatchObject({ akm: 'FT-SAE', mde, mfp: true, mfpRequired: false });
    // Without host SAE, a cached FT-SAE PMKSA still authenticates; with nothing cached, FT-PSK is next.
    expect(pick(net, [all], (akm) => akm === 'FT-SAE')?.sec.akm).toBe('FT-SAE');
    expect(pick(net, [all])?.sec.akm).toBe('FT-PSK');
    // FT-EAP (with its PMKSA) comes first, as 2.10's.
    const eap = withMde(bss('02:00:00:00:0c:22', -40, { akms: ['FT-EAP', 'FT-SAE'], pairwise: ['CCMP'], mfpc: true }));
    expect(pick(network('FT-EAP FT-SAE'), [eap], (akm) => akm === 'FT-EAP', true)?.sec.akm).toBe('FT-EAP');
    // An FT-SAE-only network requires PMF; a BSS without MFPC is no FT-SAE candidate, nor one without an MDE.
    const onlyFtSae = network('FT-SAE');
    expect(pick(onlyFtSae, [all], () => false, true)?.sec).toMatchObject({ akm: 'FT-SAE', mfpRequired: true });
    expect(pick(onlyFtSae, [withMde(bss('02:00:00:00:0c:23', -40, { akms: ['FT-SAE'], pairwise: ['CCMP'] }))], () => false, true)).toBeUndefined();
    expect(pick(onlyFtSae, [bss('02:00:00:00:0c:24', -40, { akms: ['FT-SAE'], pairwise: ['CCMP'], mfpc: true })], () => false, true)).toBeUndefined();
  });

  it('no TKIP at all: a TKIP-only or mixed-mode (TKIP group) BSS is no candidate; TKIP offered beside CCMP pairwise is skipped', () => {
    const net = network('WPA-PSK');
    expect(pick(net, [bss('02:00:00:00:0c:04', -40, { akms: ['WPA-PSK'], pairwise: ['TKIP'], group: 'TKIP' })])).toBeUndefined();
    expect(pick(net, [bss('02:00:00:00:0c:05', -40, { akms: ['WPA-PSK'], pairwise: ['TKIP', 'CCMP'], group: 'TKIP' })])).toBeUndefined();
    const sec = pick(net, [bss('02:00:00:00:0c:09', -40, { akms: ['WPA-PSK'], pairwise: ['TKIP', 'CCMP'] })])?.sec;
    expect(sec).toMatchObject({ akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP' });
  });

  it('AKM preference as wpa_supplicant_set_suites(): 802.1X before PSK when both can authenticate', () => {
    const b = bss('02:00:00:00:0c:0a', -40, { akms: ['WPA-PSK', 'WPA-EAP'], pairwise: ['CCMP'] });
    const net = network('WPA-PSK WPA-EAP');
    expect(pick(net, [b])?.sec.akm).toBe('WPA-PSK');
    expect(pick(net, [b], (akm) => akm === 'WPA-EAP')?.sec.akm).toBe('WPA-EAP');
  });

  it('an open BSS suits an open network, never one with WEP keys (WEP is not supported, and it would not be open)', () => {
    const open = { ...bss('02:00:00:00:0c:08', -40, { akms: ['WPA-PSK'], pairwise: ['CCMP'] }), ies: Buffer.from([0, SSID.length, ...Buffer.from(SSID)]), caps: 0x0001 };
    const n = new NetworkConfig(0);
    for (const [k, v] of [['ssid', `"${SSID}"`], ['key_mgmt', 'NONE']]) expect(n.set(k, v)).toBe(true);
    expect(pick(n, [open])?.sec.akm).toBe('NONE');
    expect(n.set('wep_key0', '"abcde"')).toBe(true);
    expect(pick(n, [open])).toBeUndefined();
  });

  it('802.1X needs a cached PMKSA; among candidates the strongest wins', () => {
    const weak = bss('02:00:00:00:0c:06', -70, { akms: ['WPA-EAP'], pairwise: ['CCMP'] });
    const strong = bss('02:00:00:00:0c:07', -40, { akms: ['WPA-EAP'], pairwise: ['CCMP'] });
    const net = network('WPA-EAP');
    expect(pick(net, [weak, strong])).toBeUndefined();
    expect(pick(net, [weak, strong], () => true)?.bss.bssid).toBe('02:00:00:00:0c:07');
  });
});
