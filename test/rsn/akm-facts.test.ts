/**
 * The one table of AKM facts (src/rsn/akm.ts): key lengths that follow the
 * AKM and the PMK (wpa_common.c wpa_kck_len()/wpa_kek_len()), families,
 * names, and the one RSNE walker's split between what wpa_supplicant's
 * reader ignores and what a strict reader refuses.
 */
import { describe, expect, it } from 'vitest';
import { akmFacts, akmFamily, akmInfo, ptkKeyLengths, UnknownSuiteError } from '../../src/rsn/akm.js';
import { buildRsne, parseRsne, RsneParseError, walkRsneBody } from '../../src/rsn/rsne.js';

describe('PTK key lengths follow the AKM and the PMK', () => {
  it('fixed-length AKMs', () => {
    expect(ptkKeyLengths('WPA-PSK')).toEqual({ kck: 16, kek: 16 });
    expect(ptkKeyLengths('SAE', 32)).toEqual({ kck: 16, kek: 16 });
    expect(ptkKeyLengths('WPA-EAP-SUITE-B-192')).toEqual({ kck: 24, kek: 32 });
    expect(ptkKeyLengths('FT-EAP-SHA384')).toEqual({ kck: 24, kek: 32 });
  });
  it('SAE-EXT-KEY, OWE and DPP: KCK is half the PMK, KEK 16 up to a 32-byte PMK, else 32', () => {
    for (const akm of ['SAE-EXT-KEY', 'FT-SAE-EXT-KEY', 'OWE', 'DPP']) {
      expect(ptkKeyLengths(akm, 32)).toEqual({ kck: 16, kek: 16 });
      expect(ptkKeyLengths(akm, 48)).toEqual({ kck: 24, kek: 32 });
      expect(ptkKeyLengths(akm, 64)).toEqual({ kck: 32, kek: 32 });
    }
  });
  it('FILS has no KCK', () => {
    expect(ptkKeyLengths('FILS-SHA256')).toEqual({ kck: 0, kek: 32 });
    expect(ptkKeyLengths('FT-FILS-SHA384')).toEqual({ kck: 0, kek: 64 });
  });
  it('an unknown AKM is an error, and only handshake AKMs reach the supplicant', () => {
    expect(() => ptkKeyLengths('WEP')).toThrow(UnknownSuiteError);
    expect(() => akmInfo('OWE')).toThrow(UnknownSuiteError);
    expect(akmInfo('WPA-PSK').name).toBe('WPA-PSK');
  });
});

describe('families and names', () => {
  it('families', () => {
    expect(['WPA-PSK', 'WPA-PSK-SHA256', 'FT-PSK'].map(akmFamily)).toEqual(['psk', 'psk', 'psk']);
    expect(['SAE', 'FT-SAE', 'SAE-EXT-KEY'].map(akmFamily)).toEqual(['sae', 'sae', 'sae']);
    expect(['WPA-EAP', 'FT-EAP', 'WPA-EAP-SUITE-B-192'].map(akmFamily)).toEqual(['8021x', '8021x', '8021x']);
    expect(akmFacts('FT-EAP')?.ft).toBe(true);
  });
  it('STATUS names and WPA_KEY_MGMT bits', () => {
    expect(akmFacts('WPA-PSK')?.statusTxt).toBe('WPA2-PSK');
    expect(akmFacts('WPA-EAP')?.statusTxt).toBe('WPA2/IEEE 802.1X/EAP');
    expect(akmFacts('SAE')?.bit).toBe(1 << 10);
  });
  it('RSNE suites outside the IEEE OUI are named (DPP)', () => {
    const ie = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['DPP', 'OWE'] });
    expect(parseRsne(ie).akms).toEqual(['DPP', 'OWE']);
  });
});

describe('one RSNE walker', () => {
  const base = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'] });
  it('a stray octet after the capabilities: the walk notes it, the strict parser refuses it', () => {
    const body = Buffer.concat([base.subarray(2), Buffer.from([0])]);
    expect(walkRsneBody(body).cut).toBe('PMKID count');
    const ie = Buffer.concat([Buffer.from([48, body.length]), body]);
    expect(() => parseRsne(ie)).toThrow(RsneParseError);
  });
  it('a zero AKM count is refused by both', () => {
    const body = Buffer.from('0100000fac040100000fac040000', 'hex');
    expect(() => walkRsneBody(body)).toThrow(RsneParseError);
  });
});
