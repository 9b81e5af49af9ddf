/**
 * Driver protocol version 2 on the wire: optional PTK material, a
 * port_authorized without any (the kernel's PORT_AUTHORIZED) and with a TD
 * bitmap, the new hello capabilities; and version-1 forms still accepted.
 */
import { describe, expect, it } from 'vitest';
import { decodeArgs, decodeEvent, decodeHello, encodeArgs, encodeEvent, WireFormatError } from '../../src/driver/wire.js';

const CAPS = { four_way_psk: true, four_way_8021x: false, key_mgmt_offload: true, gtk_rekey_offload: true, pmksa_offload: true, max_pmksa: 32, akms: ['WPA-PSK'], ciphers: ['CCMP'] };
const BSSID = '02:00:00:00:00:01';

describe('driver protocol version 2', () => {
  it('connect for SAE offload: sae_password, sae_password_id and sae_pwe round-trip; half of them, or a bad PWE, is refused', () => {
    const base = { bssid: '02:00:00:00:01:01', ssid: Buffer.from('wpa3'), freq: 2437, ies: Buffer.from('30140100', 'hex'), akm: 'SAE', pairwise: 'CCMP', group: 'CCMP', mfp: 'required' as const, pmk: undefined, pmkid: undefined };
    const p = { ...base, sae: { password: Buffer.from('pass\u00e9', 'utf8'), passwordId: Buffer.from('id1'), pwe: 2 as const } };
    const wire = encodeArgs.connect(p);
    expect([wire.sae_password, wire.sae_password_id, wire.sae_pwe]).toEqual([p.sae.password.toString('hex'), '696431', 2]);
    expect(decodeArgs.connect(JSON.parse(JSON.stringify(wire)))).toEqual(p);
    expect(decodeArgs.connect(JSON.parse(JSON.stringify(encodeArgs.connect(base))))).toEqual(base);
    expect(() => decodeArgs.connect({ ...wire, sae_pwe: 3 })).toThrow(WireFormatError);
    const { sae_password: _drop, ...noPassword } = wire;
    expect(() => decodeArgs.connect(noPassword)).toThrow(/sae_password/);
    const { sae_pwe: _pwe, ...noPwe } = wire;
    expect(() => decodeArgs.connect(noPwe)).toThrow(/sae_pwe/);
  });

  it('connect: offload off for SAE is no password, so sae_password with four_way_offload false is refused', () => {
    const p = { bssid: '02:00:00:00:01:01', ssid: Buffer.from('wpa3'), freq: 2437, ies: Buffer.from('30140100', 'hex'), akm: 'SAE', pairwise: 'CCMP', group: 'CCMP', mfp: 'required' as const, pmk: undefined, pmkid: undefined, fourWayOffload: true, sae: { password: Buffer.from('password'), pwe: 0 as const } };
    const wire = JSON.parse(JSON.stringify(encodeArgs.connect(p)));
    expect(wire.four_way_offload).toBe(true);
    expect(decodeArgs.connect(wire)).toEqual(p);
    expect(() => decodeArgs.connect({ ...wire, four_way_offload: false })).toThrow(/four_way_offload/);
    const { sae_password: _pw, sae_pwe: _pwe, ...off } = wire;
    expect(decodeArgs.connect({ ...off, four_way_offload: false })).toMatchObject({ fourWayOffload: false });
  });

  it('port_authorized without KCK, KEK or replay counter is a valid event', () => {
    const e = decodeEvent({ event: 'port_authorized', bssid: BSSID });
    expect(e).toEqual({ name: 'port_authorized', args: [{ bssid: BSSID }] });
  });

  it('port_authorized keeps the TD bitmap; the encoder writes back what it read', () => {
    const e = decodeEvent({ event: 'port_authorized', bssid: BSSID, td_bitmap: '01' });
    expect(e?.args[0]).toEqual({ bssid: BSSID, tdBitmap: Buffer.from([1]) });
    expect(encodeEvent('port_authorized', { bssid: BSSID, tdBitmap: Buffer.from([1]) })).toEqual({ event: 'port_authorized', bssid: BSSID, td_bitmap: '01' });
  });

  it('beacon_loss (optional): no fields, both ways', () => {
    expect(encodeEvent('beacon_loss')).toEqual({ event: 'beacon_loss' });
    expect(decodeEvent({ event: 'beacon_loss' })).toEqual({ name: 'beacon_loss', args: [] });
  });

  it('assoc with a replay counter alone carries just that', () => {
    const e = decodeEvent({ event: 'assoc', bssid: BSSID, freq: 2412, req_ies: '', resp_ies: '', beacon_ies: '', roam: true, authorized: true, key_replay_ctr: '0000000000000003' });
    expect((e?.args[0] as { material?: unknown }).material).toEqual({ keyReplayCtr: Buffer.from('0000000000000003', 'hex') });
  });

  it('hello: completion and sync_state are read when given, absent otherwise (version 1)', () => {
    const v2 = decodeHello({ version: 2, address: BSSID, capabilities: { ...CAPS, completion: 'connect', sync_state: false } });
    expect([v2.capabilities.completion, v2.capabilities.sync_state]).toEqual(['connect', false]);
    const v1 = decodeHello({ version: 1, address: BSSID, capabilities: CAPS });
    expect('completion' in v1.capabilities || 'sync_state' in v1.capabilities).toBe(false);
    expect(() => decodeHello({ version: 2, address: BSSID, capabilities: { ...CAPS, completion: 'whenever' } })).toThrow(/completion/);
  });

  it('version-1 port_authorized with all three fields still decodes', () => {
    const e = decodeEvent({ event: 'port_authorized', bssid: BSSID, key_replay_ctr: '0000000000000002', kck: '11'.repeat(16), kek: '22'.repeat(16) });
    expect((e?.args[0] as { material: { kck: Buffer } }).material.kck).toEqual(Buffer.alloc(16, 0x11));
  });

  it('host SAE: the auth op and the auth_rx event round-trip; sae_auth is read from hello when given', () => {
    const frame = Buffer.from('030001000000130000', 'hex');
    const p = { bssid: BSSID, freq: 2437, ssid: Buffer.from('net'), algorithm: 'sae' as const, data: frame };
    const wire = encodeArgs.auth(p);
    expect(wire).toEqual({ bssid: BSSID, freq: 2437, ssid: '6e6574', algorithm: 'sae', data: '030001000000130000' });
    expect(decodeArgs.auth(JSON.parse(JSON.stringify(wire)))).toEqual(p);
    expect(() => decodeArgs.auth({ ...wire, algorithm: 'open' })).toThrow(WireFormatError);
    const ev = encodeEvent('auth_rx', { bssid: BSSID, data: frame, status: 0 });
    expect(ev).toEqual({ event: 'auth_rx', bssid: BSSID, data: '030001000000130000', status: 0 });
    expect(decodeEvent(JSON.parse(JSON.stringify(ev)))).toEqual({ name: 'auth_rx', args: [{ bssid: BSSID, data: frame, status: 0 }] });
    expect(decodeHello({ version: 2, address: BSSID, capabilities: { ...CAPS, sae_auth: true } }).capabilities.sae_auth).toBe(true);
    expect('sae_auth' in decodeHello({ version: 2, address: BSSID, capabilities: CAPS }).capabilities).toBe(false);
  });

  it('FT over the air: auth with algorithm ft, roam with ft_ies (absent without FT), ft_auth read from hello when given', () => {
    const frame = Buffer.from('020001000000' + '3603a1b200', 'hex');
    const p = { bssid: BSSID, freq: 2462, ssid: Buffer.from('net'), algorithm: 'ft' as const, data: frame };
    const wire = encodeArgs.auth(p);
    expect(wire.algorithm).toBe('ft');
    expect(decodeArgs.auth(JSON.parse(JSON.stringify(wire)))).toEqual(p);
    const ies = Buffer.from('3603a1b200', 'hex');
    const roam = encodeArgs.roam(BSSID, { ies });
    expect(roam).toEqual({ bssid: BSSID, ft_ies: '3603a1b200' });
    expect(decodeArgs.roam(JSON.parse(JSON.stringify(roam)))).toEqual({ bssid: BSSID, ft: { ies } });
    expect(encodeArgs.roam(BSSID)).toEqual({ bssid: BSSID });
    expect(decodeArgs.roam({ bssid: BSSID })).toEqual({ bssid: BSSID });
    expect(() => decodeArgs.roam({ bssid: BSSID, ft_ies: 'zz' })).toThrow(WireFormatError);
    expect(decodeHello({ version: 2, address: BSSID, capabilities: { ...CAPS, ft_auth: true } }).capabilities.ft_auth).toBe(true);
    expect('ft_auth' in decodeHello({ version: 2, address: BSSID, capabilities: CAPS }).capabilities).toBe(false);
  });

  it('connect: four_way_offload round-trips; absent (a version-1 daemon) it stays absent; not a boolean is refused', () => {
    const p = { bssid: BSSID, ssid: Buffer.from('net'), freq: 2437, ies: Buffer.from('30140100', 'hex'), akm: 'WPA-EAP', pairwise: 'CCMP', group: 'CCMP', mfp: 'none' as const, pmkid: Buffer.alloc(16, 7), fourWayOffload: false };
    const wire = encodeArgs.connect(p);
    expect(wire.four_way_offload).toBe(false);
    expect('pmk' in wire).toBe(false);
    expect(decodeArgs.connect(JSON.parse(JSON.stringify(wire)))).toEqual({ ...p, pmk: undefined });
    const { fourWayOffload: _, ...v1 } = p;
    const old = encodeArgs.connect(v1);
    expect('four_way_offload' in old).toBe(false);
    expect('fourWayOffload' in decodeArgs.connect(JSON.parse(JSON.stringify(old)))).toBe(false);
    expect(() => decodeArgs.connect({ ...wire, four_way_offload: 'no' })).toThrow(WireFormatError);
  });

  it('connect: psk (key_mgmt_offload) round-trips with four_way_offload false; absent it stays absent; not 32 octets is refused without showing the value', () => {
    const psk = Buffer.alloc(32, 0xa5);
    const p = { bssid: BSSID, ssid: Buffer.from('net'), freq: 2437, ies: Buffer.from('30140100', 'hex'), akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: 'none' as const, fourWayOffload: false, psk };
    const wire = JSON.parse(JSON.stringify(encodeArgs.connect(p)));
    expect(wire.psk).toBe('a5'.repeat(32));
    expect('pmk' in wire).toBe(false);
    expect(decodeArgs.connect(wire)).toEqual({ ...p, pmk: undefined, pmkid: undefined });
    const { psk: _, ...without } = p;
    expect('psk' in encodeArgs.connect(without)).toBe(false);
    expect('psk' in decodeArgs.connect(JSON.parse(JSON.stringify(encodeArgs.connect(without))))).toBe(false);
    const short = 'a5'.repeat(31);
    expect(() => decodeArgs.connect({ ...wire, psk: short })).toThrow('field "psk" is 31 octets, not 32');
    expect(() => decodeArgs.connect({ ...wire, psk: 'zz' })).toThrow(WireFormatError);
  });
});
