/**
 * The take-back rule per AKM family (src/offload/take-back.ts), over every
 * AKM the rsn table names: EAPOL-Start only for PSK without FT.
 */
import { describe, expect, it } from 'vitest';
import { allAkms } from '../../src/rsn/akm.js';
import { takeBackMeans, takeBackNeedsPmksa } from '../../src/offload/take-back.js';

describe('take-back means per AKM family', () => {
  it('PSK (not FT) sends EAPOL-Start; 802.1X, every FT AKM and SAE reassociate with offload off', () => {
    expect(['WPA-PSK', 'WPA-PSK-SHA256'].map(takeBackMeans)).toEqual(['eapol-start', 'eapol-start']);
    expect(['FT-PSK', 'FT-EAP', 'FT-SAE', 'FT-EAP-SHA384', 'FT-SAE-EXT-KEY'].map(takeBackMeans)).toEqual(Array(5).fill('reassociate'));
    expect(['WPA-EAP', 'WPA-EAP-SHA256', 'WPA-EAP-SUITE-B-192', 'SAE', 'SAE-EXT-KEY'].map(takeBackMeans)).toEqual(Array(5).fill('reassociate'));
    for (const a of allAkms()) {
      expect(takeBackMeans(a.name), a.name).toBe(a.family === 'psk' && !a.ft ? 'eapol-start' : 'reassociate');
    }
  });

  it('only the 802.1X family needs a cached PMKSA to reassociate (the host runs no EAP)', () => {
    expect(['WPA-EAP', 'FT-EAP', 'WPA-EAP-SHA256'].every(takeBackNeedsPmksa)).toBe(true);
    expect(['WPA-PSK', 'FT-PSK', 'SAE'].some(takeBackNeedsPmksa)).toBe(false);
  });
});
