/**
 * The FT 4-way handshake of an initial mobility domain association
 * (IEEE 802.11-2020 12.7.6 with 12.7.1.7): the rsn Supplicant against the rsn
 * Authenticator for FT-PSK (AKM 4) and FT-EAP (AKM 3); PMKR1Name in the RSNE
 * of msgs 2 and 3, the MDE and FTE of the (Re)Association Response in their
 * Key Data; a msg 3 whose FTE differs is refused.
 */
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/rsn/authenticator.js';
import { deriveFtPmkR0, deriveFtPmkR1 } from '../../src/rsn/crypto.js';
import { parseEapolKey } from '../../src/rsn/eapol.js';
import { unwrapKeyData } from '../../src/rsn/keyframe.js';
import { buildFte, buildMde, parseFtAssoc, rsneWithPmkid } from '../../src/rsn/ft.js';
import { parseKeyData } from '../../src/rsn/kde.js';
import { buildRsne, parseRsne } from '../../src/rsn/rsne.js';
import { Supplicant } from '../../src/rsn/supplicant.js';

const AA = '02:00:00:00:f7:01';
const SPA = '02:00:00:00:00:01';
const SSID = Buffer.from('ft-net');
const XXKEY = Buffer.alloc(32, 0x42);
const MDID = Buffer.from('a1b2', 'hex');
const R0KH = Buffer.from('r0kh.example');
const mac = (m: string): Buffer => Buffer.from(m.replace(/:/g, ''), 'hex');

function pair(akm: 'FT-PSK' | 'FT-EAP' | 'FT-SAE', tamper?: (fte: Buffer) => Buffer) {
  const rsne = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: [akm] });
  const respIes = Buffer.concat([buildMde(MDID), buildFte(akm, R0KH, mac(AA))]);
  const apFt = parseFtAssoc(akm, respIes, SSID);
  const staFt = parseFtAssoc(akm, respIes, SSID);
  const auth = new Authenticator({
    akm, pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: XXKEY, aa: AA, spa: SPA, apRsne: rsne, staRsne: rsne,
    gtk: { key: Buffer.alloc(16, 0x33), idx: 1 }, ft: tamper ? { ...apFt, fte: tamper(apFt.fte) } : apFt,
  });
  const sup = new Supplicant({ akm, pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: XXKEY, aa: AA, spa: SPA, ownRsne: rsne, apRsne: rsne });
  sup.setFt(staFt);
  return { auth, sup, rsne, respIes };
}

describe('FT initial mobility domain association: 4-way handshake', () => {
  for (const akm of ['FT-PSK', 'FT-EAP', 'FT-SAE'] as const) {
    it(`${akm}: completes; msg 2 and msg 3 carry PMKR1Name, the MDE and the FTE; the PTK is the FT one on both sides`, () => {
      const { auth, sup, respIes } = pair(akm);
      const r0 = deriveFtPmkR0({ akm, xxkey: XXKEY, ssid: SSID, mdid: MDID, r0khId: R0KH, s0khId: SPA });
      const r1 = deriveFtPmkR1({ akm, pmkR0: r0.pmkR0, pmkR0Name: r0.pmkR0Name, r1khId: AA, s1khId: SPA });
      const m1 = auth.start();
      expect(parseKeyData(parseEapolKey(m1).keyData).pmkid?.equals(r1.pmkR1Name)).toBe(true);
      const s1 = sup.receive(m1);
      expect(s1.event).toBe('4way-started');
      const kd2 = parseKeyData(parseEapolKey(s1.tx[0]).keyData);
      expect(parseRsne(kd2.rsne!).pmkids).toEqual([r1.pmkR1Name]);
      expect(Buffer.concat([kd2.mde!, kd2.fte!]).equals(respIes)).toBe(true);
      const a2 = auth.receive(s1.tx[0]);
      expect(a2.failure).toBeUndefined();
      const s3 = sup.receive(a2.tx[0]);
      expect(s3.failure).toBeUndefined();
      expect(s3.event).toBe('4way-complete');
      const a4 = auth.receive(s3.tx[0]);
      expect(a4.event).toBe('4way-complete');
      const tk = s3.install.find((k) => k.kind === 'pairwise')!.key;
      expect(tk.equals(auth.ptk!.tk)).toBe(true);
      expect(s3.install.find((k) => k.kind === 'group')!.key.equals(Buffer.alloc(16, 0x33))).toBe(true);
    });
  }

  it('msg 3/4 carries TIE[ReassociationDeadline] and TIE[KeyLifetime] after the FTE as hostapd sends them; the station takes them for the log and completes', () => {
    const { auth, sup } = pair('FT-PSK');
    const s1 = sup.receive(auth.start());
    const m3 = auth.receive(s1.tx[0]).tx[0];
    const s3 = sup.receive(m3);
    expect(s3.event).toBe('4way-complete');
    expect(s3.ftTimeouts).toEqual({ reassocDeadline: 1000, keyLifetime: 1209600 });
    expect(auth.receive(s3.tx[0]).event).toBe('4way-complete');
    const kd = unwrapKeyData(auth.ptk!.kek, parseEapolKey(m3).keyData);
    const tie = (type: number, v: number): string => Buffer.concat([Buffer.of(56, 5, type), Buffer.from(new Uint32Array([v]).buffer)]).toString('hex');
    // The FTE is followed by TIE type 1 (1000 TUs) and TIE type 2 (1209600 s = 14 days).
    expect(kd.toString('hex')).toContain(`${tie(1, 1000)}${tie(2, 1209600)}`);
    const fteAt = kd.indexOf(Buffer.of(55));
    expect(kd.indexOf(Buffer.from(tie(1, 1000), 'hex'))).toBeGreaterThan(fteAt);
  });

  it('the TIE values are the AP\'s configured ones (reassociation_deadline, ft_r0_key_lifetime)', () => {
    const rsne = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['FT-PSK'] });
    const respIes = Buffer.concat([buildMde(MDID), buildFte('FT-PSK', R0KH, mac(AA))]);
    const ft = parseFtAssoc('FT-PSK', respIes, SSID);
    const auth = new Authenticator({
      akm: 'FT-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: XXKEY, aa: AA, spa: SPA, apRsne: rsne, staRsne: rsne,
      gtk: { key: Buffer.alloc(16, 0x33), idx: 1 }, ft, ftReassocDeadline: 20000, ftKeyLifetime: 600,
    });
    const sup = new Supplicant({ akm: 'FT-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: XXKEY, aa: AA, spa: SPA, ownRsne: rsne, apRsne: rsne, ft });
    const s3 = sup.receive(auth.receive(sup.receive(auth.start()).tx[0]).tx[0]);
    expect(s3.ftTimeouts).toEqual({ reassocDeadline: 20000, keyLifetime: 600 });
  });

  it('a msg 2/4 whose FTE is not the one of the (Re)Association Response is refused by the AP (reason 2)', () => {
    // Same keys (MDID, R0KH-ID, R1KH-ID), another FTE encoding: the MIC control field differs.
    const { auth, sup } = pair('FT-PSK', (fte) => {
      const f = Buffer.from(fte);
      f[2] ^= 0x01;
      return f;
    });
    const s1 = sup.receive(auth.start());
    const a2 = auth.receive(s1.tx[0]);
    expect(a2.tx).toHaveLength(0);
    expect(a2.failure?.reason).toBe(2);
  });

  it('without the MDE/FTE of the association the host fails msg 1/4 instead of guessing', () => {
    const rsne = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['FT-PSK'] });
    const sup = new Supplicant({ akm: 'FT-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: XXKEY, aa: AA, spa: SPA, ownRsne: rsne, apRsne: rsne });
    const { auth } = pair('FT-PSK');
    expect(sup.receive(auth.start()).failure?.message).toMatch(/without the MDE and FTE/);
  });
});

describe('rsneWithPmkid: the PMKID list spliced into the element\'s own octets', () => {
  const PMKID = Buffer.alloc(16, 0xa5);
  const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');
  /** An RSN element around this body (hex). */
  const el = (body: string): Buffer => Buffer.concat([Buffer.of(48, hex(body).length), hex(body)]);

  it('keeps a group management suite that is the default (AES-128-CMAC) and the extension octets after it', () => {
    // FT-PSK with MFP capable, PMKID count 0, the group management suite written out
    // although it is the default, then two octets of a future extension field.
    const rsne = el('0100 000fac04 0100 000fac04 0100 000fac04 8000 0000 000fac06 beef');
    const out = rsneWithPmkid(rsne, PMKID);
    expect(out.toString('hex')).toBe(el(`0100 000fac04 0100 000fac04 0100 000fac04 8000 0100 ${PMKID.toString('hex')} 000fac06 beef`).toString('hex'));
  });

  it('replaces a PMKID list of two with the one PMKID and keeps what follows', () => {
    const rsne = el(`0100 000fac04 0100 000fac04 0100 000fac04 c000 0200 ${'11'.repeat(16)} ${'22'.repeat(16)} 000fac0b`);
    const out = rsneWithPmkid(rsne, PMKID);
    expect(out.toString('hex')).toBe(el(`0100 000fac04 0100 000fac04 0100 000fac04 c000 0100 ${PMKID.toString('hex')} 000fac0b`).toString('hex'));
  });

  it('writes the defaults of fields the element stops before (capabilities 0) and refuses a cut element', () => {
    const out = rsneWithPmkid(el('0100 000fac04 0100 000fac04 0100 000fac04'), PMKID);
    expect(out.toString('hex')).toBe(el(`0100 000fac04 0100 000fac04 0100 000fac04 0000 0100 ${PMKID.toString('hex')}`).toString('hex'));
    expect(parseRsne(out).pmkids).toEqual([PMKID]);
    expect(() => rsneWithPmkid(el('0100 000fac04 0100 000fac04 0100 000fac04 80'), PMKID)).toThrow();
  });
});
