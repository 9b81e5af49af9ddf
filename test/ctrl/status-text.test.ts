/**
 * statusText() keeps the last STATUS text and compares every value it was
 * built from: a change in place (the same objects, new contents) must show
 * at the next call as well as a new value does. In-process, no fakes: the
 * function the STATUS handler calls, with the station's view of an
 * association.
 */
import { describe, expect, it } from 'vitest';
import { statusText, type StatusInputs } from '../../src/ctrl/status-text.js';
import type { AssociationView } from '../../src/station/api.js';

/** An RSNE with CCMP, WPA-PSK-SHA256 and the given RSN capabilities (0xc0: MFPR and MFPC). */
const rsne = (caps: number): Buffer =>
  Buffer.from([0x30, 0x14, 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 6, caps, 0]);

function inputs(): { s: StatusInputs; a: { -readonly [K in keyof AssociationView]: AssociationView[K] } } {
  const a = {
    bssid: '02:00:00:00:02:01',
    freq: 5240,
    ssid: Buffer.from('office-pmf'),
    networkId: 1,
    idStr: undefined as string | undefined,
    sec: { akm: 'WPA-PSK-SHA256', pairwise: 'CCMP', group: 'CCMP', groupMgmt: 'AES-128-CMAC', mfp: true, mfpRequired: true, apRsne: rsne(0xc0) },
    signal: -50,
    sae: undefined as { group: number; h2e: boolean } | undefined,
  };
  const s: StatusInputs = { wpaState: 'COMPLETED', association: a, ipAddress: undefined, address: '02:00:00:00:00:01', uuid: 'u-1' };
  return { s, a };
}

describe('statusText', () => {
  it('gives the same string back while nothing changed, a new one with every change', () => {
    const { s, a } = inputs();
    const first = statusText(s);
    expect(first).toBe(
      'bssid=02:00:00:00:02:01\nfreq=5240\nssid=office-pmf\nid=1\nmode=station\npairwise_cipher=CCMP\ngroup_cipher=CCMP\n' +
        'key_mgmt=WPA2-PSK-SHA256\npmf=2\nmgmt_group_cipher=BIP\nwpa_state=COMPLETED\naddress=02:00:00:00:00:01\nuuid=u-1\n',
    );
    expect(Object.is(statusText(s), first)).toBe(true);
    // A new view object with the same values (association() builds one per call) keeps the text.
    expect(Object.is(statusText({ ...s, association: { ...a } }), first)).toBe(true);
  });

  it('sees SSID bytes changed in place', () => {
    const { s, a } = inputs();
    statusText(s);
    a.ssid.write('OFFICE', 0, 'latin1');
    expect(statusText(s)).toContain('\nssid=OFFICE-pmf\n');
  });

  it("sees the AP's RSNE changed in place (pmf=)", () => {
    const { s, a } = inputs();
    expect(statusText(s)).toContain('\npmf=2\n');
    a.sec.apRsne[20] = 0x80; // MFPC only
    expect(statusText(s)).toContain('\npmf=1\n');
  });

  it('sees the security fields, id_str and the SAE group changed in the same objects', () => {
    const { s, a } = inputs();
    statusText(s);
    a.sec.akm = 'SAE';
    expect(statusText(s)).toContain('\nkey_mgmt=SAE\n');
    a.idStr = 'office';
    expect(statusText(s)).toContain('\nid=1\nid_str=office\n');
    const sae = { group: 19, h2e: false };
    a.sae = sae;
    expect(statusText(s)).toContain('\nsae_group=19\nsae_h2e=0\nsae_pk=0\n');
    sae.h2e = true;
    expect(statusText(s)).toContain('\nsae_group=19\nsae_h2e=1\n');
    a.sec.groupMgmt = 'BIP-GMAC-256';
    expect(statusText(s)).toContain('\nmgmt_group_cipher=BIP-GMAC-256\n');
    a.sec.mfp = false;
    expect(statusText(s)).not.toContain('pmf=');
  });

  it('sees a roam (BSSID, frequency) and the state, IP address, own address and uuid', () => {
    const { s, a } = inputs();
    statusText(s);
    a.bssid = '02:00:00:00:02:02';
    a.freq = 5180;
    expect(statusText(s)).toContain('bssid=02:00:00:00:02:02\nfreq=5180\n');
    expect(statusText({ ...s, wpaState: 'ASSOCIATED' })).toContain('\nwpa_state=ASSOCIATED\n');
    expect(statusText({ ...s, ipAddress: '192.0.2.7' })).toContain('\nip_address=192.0.2.7\naddress=');
    expect(statusText({ ...s, address: '02:00:00:00:00:09' })).toContain('\naddress=02:00:00:00:00:09\n');
    expect(statusText({ ...s, uuid: 'u-2' })).toContain('\nuuid=u-2\n');
    expect(statusText({ ...s, association: undefined, wpaState: 'DISCONNECTED' })).toBe('wpa_state=DISCONNECTED\naddress=02:00:00:00:00:01\nuuid=u-1\n');
  });
});
