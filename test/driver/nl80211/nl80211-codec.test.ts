import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGenlMessages, encodeAttrs, encodeGenlMessage, type GenlMessage, parseAttrs } from '../../../src/driver/nl80211/attrs.js';
import { decodeEvent, type Decoded } from '../../../src/driver/nl80211/decode.js';
import * as enc from '../../../src/driver/nl80211/encode.js';
import { Attr, Cmd, KeyAttr, RekeyAttr } from '../../../src/driver/nl80211/numbers.js';
import { RoamAuthPairing } from '../../../src/driver/nl80211/roam-auth.js';
import { parseWiphy } from '../../../src/driver/nl80211/wiphy.js';
import { cat, nla } from './nla.js';

// From test/driver/nl80211 (vitest on the sources) to test/fixtures/nl80211.
const fixture = (name: string): GenlMessage => {
  const [m] = decodeGenlMessages(Buffer.from(readFileSync(new URL(`../../fixtures/nl80211/${name}.hex`, import.meta.url), 'utf8').trim(), 'hex'));
  return m;
};
const ctx = { ifindex: 5, wiphy: 0, bssid: '02:00:00:00:01:01' };
const decode = (name: string): Decoded => decodeEvent(fixture(name), ctx);
const event = (d: Decoded) => {
  if (d.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(d)}`);
  return d.event;
};

describe('nl80211 decoder: fixture messages', () => {
  it('CONNECT success is an unauthorized assoc with the IEs', () => {
    const e = event(decode('connect-ok'));
    expect(e.name).toBe('assoc');
    const a = e.args[0] as { bssid: string; reqIes: Buffer; respIes: Buffer; roam: boolean; authorized: boolean };
    expect(a.bssid).toBe('02:00:00:00:01:01');
    expect(a.reqIes.toString('hex')).toBe('000474657374');
    expect(a.respIes.toString('hex')).toBe('010482848b96');
    expect([a.roam, a.authorized]).toEqual([false, false]);
  });
  it('CONNECT failure is assoc_reject with status and timeout', () => {
    expect(event(decode('connect-reject'))).toEqual({ name: 'assoc_reject', args: [{ bssid: '02:00:00:00:01:01', status: 17, timeout: true }] });
  });
  it('DISCONNECT by the AP', () => {
    expect(event(decode('disconnect-by-ap'))).toEqual({ name: 'disconnected', args: [{ bssid: '02:00:00:00:01:01', reason: 15, locallyGenerated: false }] });
  });
  it('PORT_AUTHORIZED with TD_BITMAP carries no key material', () => {
    expect(event(decode('port-authorized'))).toEqual({ name: 'port_authorized', args: [{ bssid: '02:00:00:00:01:01', tdBitmap: Buffer.from([1]) }] });
  });
  it('SET_REKEY_OFFLOAD notify is gtk_rekey with the replay counter', () => {
    expect(event(decode('rekey-notify'))).toEqual({ name: 'gtk_rekey', args: [{ bssid: '02:00:00:00:01:01', replayCtr: Buffer.from('0000000000000007', 'hex') }] });
  });
  it('CONTROL_PORT_FRAME is eapol_rx', () => {
    expect(event(decode('control-port-eapol'))).toEqual({ name: 'eapol_rx', args: [{ src: '02:00:00:00:01:01', data: Buffer.from('0203005f02008a', 'hex') }] });
  });
  it('scan notifications', () => {
    expect(decode('scan-results')).toEqual({ kind: 'scan_done' });
    expect(decode('scan-aborted')).toEqual({ kind: 'scan_aborted' });
  });
  it('QCA ROAM_AUTH with material, and with nothing at all', () => {
    expect(decode('qca-roam-auth')).toEqual({
      kind: 'roam_auth',
      auth: { bssid: '02:00:00:00:01:02', authorized: true, keyReplayCtr: Buffer.from('0000000000000003', 'hex'), kck: Buffer.from([...Array(16).keys()]), kek: Buffer.from([...Array(16).keys()].map((x) => x + 16)) },
    });
    expect(decode('qca-roam-auth-empty')).toEqual({ kind: 'roam_auth', auth: {} });
  });
  it('NOTIFY_CQM with BEACON_LOSS_EVENT is beacon_loss (the kernel names no BSSID)', () => {
    expect(event(decode('cqm-beacon-loss'))).toEqual({ name: 'beacon_loss', args: [] });
  });
  it('events for another interface are dropped', () => {
    const d = decode('other-ifindex');
    expect(d.kind).toBe('dropped');
  });
  it('our wiphy disappearing is reported; another wiphy is not ours', () => {
    expect(decode('del-wiphy')).toEqual({ kind: 'wiphy_gone' });
    expect(decodeEvent(fixture('del-wiphy'), { ...ctx, wiphy: 1 }).kind).toBe('dropped');
  });
  it('GET_WIPHY capabilities', () => {
    const w = parseWiphy(parseAttrs(fixture('wiphy-offload').data));
    expect(w.controlPortOverNl80211).toBe(true);
    expect(w.capabilities).toEqual({
      four_way_psk: true, four_way_8021x: true, key_mgmt_offload: true, gtk_rekey_offload: true, pmksa_offload: true,
      max_pmksa: 32, akms: ['WPA-PSK', 'SAE'], ciphers: ['CCMP', 'TKIP', 'AES-128-CMAC'], completion: 'port_authorized', sync_state: false, sae_offload: true,
      // No NL80211_FEATURE_SAE in this full-MAC wiphy's feature flags: SAE would not run in the host SME.
      sae_auth: false,
      sae_external_auth: false,
      // A full-MAC wiphy (no AUTHENTICATE among its commands): no FT over the air through the host SME.
      ft_auth: false,
    });
  });
  it('a wiphy that lists no AKM suites (mac80211) reports every AKM but FT-SAE, which 2.10 does not claim there', () => {
    const akms = parseWiphy(new Map([[Attr.WIPHY, Buffer.from([0, 0, 0, 0])]])).capabilities.akms;
    expect(akms).toEqual(expect.arrayContaining(['WPA-PSK', 'FT-PSK', 'FT-EAP', 'SAE']));
    expect(akms).not.toContain('FT-SAE');
  });
});

describe('roam-auth pairing', () => {
  const roam = (() => {
    const d = decode('roam');
    if (d.kind !== 'roam') throw new Error('roam fixture');
    return d.assoc;
  })();
  const auth = (() => {
    const d = decode('qca-roam-auth');
    if (d.kind !== 'roam_auth') throw new Error('roam-auth fixture');
    return d.auth;
  })();
  it('ROAM_AUTH before ROAM is held, then one authorized assoc with the material', () => {
    const p = new RoamAuthPairing(true);
    expect(p.roamAuth(auth)).toEqual([]);
    expect(p.holding).toBe(true);
    const [out] = p.roam(roam);
    expect(out.name).toBe('assoc');
    expect(out.ev).toMatchObject({ bssid: '02:00:00:00:01:02', roam: true, authorized: true, material: { keyReplayCtr: auth.keyReplayCtr, kck: auth.kck, kek: auth.kek } });
    expect(p.holding).toBe(false);
  });
  it('ROAM then ROAM_AUTH gives the same', () => {
    const p = new RoamAuthPairing(true);
    expect(p.roam(roam)).toEqual([]);
    const [out] = p.roamAuth(auth);
    expect(out.ev).toMatchObject({ roam: true, authorized: true });
  });
  it('without key-management offload a ROAM goes up at once; a later authorized ROAM_AUTH is port_authorized', () => {
    const p = new RoamAuthPairing(false);
    expect(p.roam(roam)).toEqual([{ name: 'assoc', ev: roam }]);
    expect(p.roamAuth(auth)).toEqual([{ name: 'port_authorized', ev: { bssid: '02:00:00:00:01:02', material: { keyReplayCtr: auth.keyReplayCtr, kck: auth.kck, kek: auth.kek } } }]);
  });
  it('an empty ROAM_AUTH leaves the roam unauthorized; reset forgets what is held', () => {
    const p = new RoamAuthPairing(true);
    p.roam(roam);
    expect(p.roamAuth({})[0].ev).toMatchObject({ authorized: false });
    p.roamAuth(auth);
    p.reset();
    expect(p.roam(roam)).toEqual([]);
  });
});

describe('nl80211 encoders', () => {
  it('attribute streams byte-exact as libnl writes them: odd lengths padded, nests nested, whatever the shape', () => {
    type Spec = [number, Buffer | Spec[]];
    // the expected bytes from nla.ts (built by hand), never from the encoder
    const libnl = (specs: Spec[]): Buffer => cat(...specs.map(([t, v]) => nla(t, Buffer.isBuffer(v) ? v : libnl(v))));
    const value = fc.uint8Array({ maxLength: 23 }).map((a) => Buffer.from(a));
    const { stream } = fc.letrec<{ stream: Spec[] }>((tie) => ({
      stream: fc.array(fc.tuple(fc.integer({ min: 1, max: 0x3fff }), fc.oneof({ depthSize: 'small' }, value, tie('stream'))), { maxLength: 5 }) as fc.Arbitrary<Spec[]>,
    }));
    fc.assert(fc.property(stream, (specs) => encodeAttrs(specs).equals(libnl(specs))));
    expect(() => encodeAttrs([[1, Buffer.alloc(0xfffc)]])).toThrow(RangeError);
  });
  const pmk = Buffer.alloc(32, 0xab);
  it('CONNECT with a PSK PMK for the firmware round-trips; an 802.1X PMK asks for WANT_1X_4WAY_HS instead', () => {
    const r = enc.connect(5, { bssid: '02:00:00:00:01:01', ssid: Buffer.from('test'), freq: 2437, ies: Buffer.from('30140100', 'hex'), akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: 'optional', pmk });
    const [m] = decodeGenlMessages(encodeGenlMessage(0x22, r.cmd, r.attrs));
    expect(m.cmd).toBe(Cmd.CONNECT);
    const a = parseAttrs(m.data);
    expect(a.get(Attr.PMK)).toEqual(pmk);
    expect(a.has(Attr.WANT_1X_4WAY_HS)).toBe(false);
    expect(a.get(Attr.AKM_SUITES)?.toString('hex')).toBe('02ac0f00');
    expect(a.get(Attr.MAC)?.toString('hex')).toBe('020000000101');
    const x = parseAttrs(encodeAttrs(enc.connect(5, { bssid: '02:00:00:00:01:01', ssid: Buffer.from('test'), freq: 2437, ies: Buffer.alloc(0), akm: 'WPA-EAP', pairwise: 'CCMP', group: 'CCMP', mfp: 'none', pmk }).attrs));
    expect([x.has(Attr.WANT_1X_4WAY_HS), x.has(Attr.PMK)]).toEqual([true, false]);
  });
  it('SET_PMKSA with lifetime and threshold, byte-exact', () => {
    const r = enc.setPmksa(5, { bssid: '02:00:00:00:01:01', pmkid: Buffer.alloc(16, 1), akm: 'WPA-PSK', lifetime: 43200, reauthThreshold: 70 });
    // IFINDEX 5, MAC, PMKID 01*16, PMK_LIFETIME 43200, PMK_REAUTH_THRESHOLD 70 (u8, padded): nla_len, nla_type, value, padding.
    expect(encodeAttrs(r.attrs).toString('hex')).toBe(
      '0800030005000000' + '0a000600020000000101' + '0000' + '14005500' + '01'.repeat(16) + '08001f01c0a80000' + '0500200146000000',
    );
    const a = parseAttrs(encodeAttrs(r.attrs));
    expect(a.get(Attr.PMK_LIFETIME)?.readUInt32LE(0)).toBe(43200);
    expect(a.get(Attr.PMK_REAUTH_THRESHOLD)).toEqual(Buffer.from([70]));
    expect(a.has(Attr.PMK)).toBe(false);
  });
  it('SET_REKEY_OFFLOAD nests KEK, KCK, replay counter and AKM', () => {
    const r = enc.setRekeyOffload(5, { kek: Buffer.alloc(16, 1), kck: Buffer.alloc(24, 2), replayCtr: Buffer.alloc(8, 3), akm: 'WPA-PSK' });
    const nested = parseAttrs(parseAttrs(encodeAttrs(r.attrs)).get(Attr.REKEY_DATA)!);
    expect(nested.get(RekeyAttr.KCK)).toEqual(Buffer.alloc(24, 2));
    expect(nested.get(RekeyAttr.REPLAY_CTR)).toEqual(Buffer.alloc(8, 3));
    expect(() => enc.setRekeyOffload(5, { kek: Buffer.alloc(15), kck: Buffer.alloc(16), replayCtr: Buffer.alloc(8), akm: 'WPA-PSK' })).toThrow(RangeError);
  });
  it('SET_STATION authorized, NEW_KEY, CONTROL_PORT_FRAME, SET_PMK, DEL/FLUSH_PMKSA', () => {
    const st = parseAttrs(encodeAttrs(enc.setStationAuthorized(5, '02:00:00:00:01:01', true).attrs));
    expect(st.get(Attr.STA_FLAGS2)?.toString('hex')).toBe('0200000002000000');
    const k = parseAttrs(encodeAttrs(enc.newKey(5, { kind: 'pairwise', idx: 0, cipher: 'CCMP', key: Buffer.alloc(16, 9), addr: '02:00:00:00:01:01' }).attrs));
    expect(parseAttrs(k.get(Attr.KEY)!).get(KeyAttr.CIPHER)?.toString('hex')).toBe('04ac0f00');
    expect(() => enc.newKey(5, { kind: 'group', idx: 1, cipher: 'CCMP', key: Buffer.alloc(15), addr: '' })).toThrow(RangeError);
    const c = parseAttrs(encodeAttrs(enc.controlPortFrame(5, '02:00:00:00:01:01', Buffer.from('0203', 'hex')).attrs));
    expect(c.get(Attr.CONTROL_PORT_ETHERTYPE)?.readUInt16LE(0)).toBe(0x888e);
    expect(enc.setPmk(5, '02:00:00:00:01:01', Buffer.alloc(48)).cmd).toBe(Cmd.SET_PMK);
    expect(parseAttrs(encodeAttrs(enc.delPmksaBySsid(5, Buffer.from('x')).attrs)).get(Attr.SSID)).toEqual(Buffer.from('x'));
    expect(enc.flushPmksa(5).cmd).toBe(Cmd.FLUSH_PMKSA);
  });
});

describe('bad input never throws', () => {
  it('truncated fixtures are dropped with a reason', () => {
    for (const name of ['connect-ok', 'rekey-notify', 'qca-roam-auth', 'control-port-eapol', 'port-authorized']) {
      const m = fixture(name);
      for (let cut = 0; cut < m.data.length; cut++) {
        const d = decodeEvent({ cmd: m.cmd, data: m.data.subarray(0, cut) }, ctx);
        expect(['dropped', 'scan_done', 'roam_auth', 'event']).toContain(d.kind);
      }
    }
    const d = decodeEvent({ cmd: Cmd.CONNECT, data: fixture('connect-ok').data.subarray(0, 30) }, ctx);
    expect(d.kind).toBe('dropped');
  });
  it('unknown commands are dropped', () => {
    const d = decodeEvent({ cmd: 250, data: fixture('connect-ok').data }, ctx);
    expect(d).toEqual({ kind: 'dropped', reason: 'command 250 not used' });
  });
  it('random bytes as any command: a result, never an exception', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 200 }), (cmd, bytes) => {
        const d = decodeEvent({ cmd, data: Buffer.from(bytes) }, ctx);
        expect(typeof d.kind).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
  it('random attribute streams with our ifindex reach every decoder branch without throwing', () => {
    const attr = fc.tuple(fc.constantFrom(1, 6, 54, 65, 71, 72, 77, 102, 122, 195, 196, 197, 321), fc.uint8Array({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(Cmd)), fc.array(attr, { maxLength: 8 }), (cmd, list) => {
        const data = encodeAttrs([[Attr.IFINDEX, Buffer.from([5, 0, 0, 0])], ...list.map(([t, v]) => [t, Buffer.from(v)] as [number, Buffer])]);
        expect(typeof decodeEvent({ cmd, data }, ctx).kind).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});
