/**
 * The authenticator on its own: message formats, PMKID KDE in msg 1,
 * retransmissions with increasing replay counters, checks on msg 2/4, PMF
 * (IGTK in msg 3 and group msg 1), group and PTK rekeys.
 */
import { describe, expect, it } from 'vitest';
import { Authenticator, AuthenticatorStateError } from '../../src/rsn/authenticator.js';
import { aesKeyUnwrap, pmkidForAkm } from '../../src/rsn/crypto.js';
import { parseEapolKey } from '../../src/rsn/eapol.js';
import { parseKeyData } from '../../src/rsn/kde.js';
import { AA, GTK, newSupplicant, PMK, rsneFor, SPA } from './rig.js';

function pair(o: { akm?: string; mfp?: boolean; staRsne?: Buffer; pmkid?: Buffer } = {}) {
  const akm = o.akm ?? 'WPA-PSK';
  const mfp = o.mfp ?? false;
  const rsne = rsneFor(akm, mfp);
  const auth = new Authenticator({
    akm, pairwise: 'CCMP', group: 'CCMP', mfp, pmk: PMK, pmkid: o.pmkid, aa: AA, spa: SPA, apRsne: rsne, staRsne: o.staRsne ?? rsne,
    gtk: { key: GTK, idx: 1 }, igtk: mfp ? { key: Buffer.alloc(16, 0x77), idx: 4, ipn: Buffer.from('010000000000', 'hex') } : undefined,
  });
  const sup = newSupplicant({ akm, mfp, random: undefined });
  return { auth, sup };
}

describe('authenticator', () => {
  it('msg 1: Ack, pairwise, key length 16, ANonce, PMKID KDE when given; retransmissions count up with the same ANonce', () => {
    const pmkid = pmkidForAkm('WPA-PSK', PMK, AA, SPA);
    const { auth } = pair({ pmkid });
    const m1 = parseEapolKey(auth.start());
    expect(m1.keyInfo).toBe(0x008a);
    expect(m1.keyLength).toBe(16);
    expect(m1.eapolVersion).toBe(2);
    expect(parseKeyData(m1.keyData).pmkid?.equals(pmkid)).toBe(true);
    const r1 = parseEapolKey(auth.retransmit()!);
    expect(r1.replayCounter.readBigUInt64BE()).toBe(2n);
    expect(r1.nonce.equals(m1.nonce)).toBe(true);
    expect(auth.replayCounter.readBigUInt64BE()).toBe(2n);
  });

  it('accepts msg 2 answering any msg 1 it sent, sends msg 3 with RSNE + GTK wrapped, completes on msg 4', () => {
    const { auth, sup } = pair();
    const m1 = auth.start();
    auth.retransmit();
    const m2 = sup.receive(m1).tx[0]; // answers the first msg 1 (counter 1)
    const r = auth.receive(m2);
    expect(r.dropped).toBeUndefined();
    const m3 = parseEapolKey(r.tx[0]);
    expect(m3.keyInfo).toBe(0x13ca);
    expect(m3.replayCounter.readBigUInt64BE()).toBe(3n);
    expect(auth.receive(m2).dropped).toMatch(/unexpected replay counter/);
    const s3 = sup.receive(r.tx[0]);
    expect(s3.event).toBe('4way-complete');
    expect(auth.receive(s3.tx[0]).event).toBe('4way-complete');
    expect(auth.state).toBe('complete');
    expect(auth.ptk!.tk.equals(s3.install[0].key)).toBe(true);
    expect(auth.receive(s3.tx[0]).dropped).toMatch(/no EAPOL-Key message outstanding/);
    expect(auth.retransmit()).toBeNull();
  });

  it('msg 2 with a bad MIC is dropped; msg 2 with another RSNE fails with reason 2 (hostapd)', () => {
    const { auth, sup } = pair();
    const m2 = sup.receive(auth.start()).tx[0];
    const bad = Buffer.from(m2);
    bad[bad.length - 1] ^= 1;
    expect(auth.receive(bad).dropped).toMatch(/MIC/);
    const other = pair({ staRsne: rsneFor('WPA-PSK-SHA256') });
    const r = other.auth.receive(other.sup.receive(other.auth.start()).tx[0]);
    expect(r.failure?.reason).toBe(2);
    expect(other.auth.state).toBe('failed');
  });

  it('PMF: msg 3 and group msg 1 carry the IGTK KDE (key ID 4, IPN), the supplicant installs it', () => {
    const { auth, sup } = pair({ mfp: true });
    const m3 = auth.receive(sup.receive(auth.start()).tx[0]).tx[0];
    const s3 = sup.receive(m3);
    expect(s3.install.map((k) => `${k.kind}:${k.idx}`)).toEqual(['pairwise:0', 'group:1', 'igtk:4']);
    expect(s3.install[2].rsc?.toString('hex')).toBe('010000000000');
    auth.receive(s3.tx[0]);
    const g1 = auth.startGroupRekey({ key: Buffer.alloc(16, 0x99), idx: 2 });
    const plain = parseKeyData(aesKeyUnwrap(auth.ptk!.kek, parseEapolKey(g1).keyData));
    expect(plain.gtk?.keyId).toBe(2);
    expect(plain.igtk?.keyId).toBe(4);
    const sg = sup.receive(g1);
    expect(sg.install.map((k) => `${k.kind}:${k.idx}`)).toEqual(['group:2']); // IGTK unchanged: not reinstalled
    expect(auth.receive(sg.tx[0]).event).toBe('group-complete');
  });

  it('PTK rekey: fresh ANonce, the old PTK stays until msg 4, then ptk-rekeyed on both sides', () => {
    const { auth, sup } = pair({ akm: 'WPA-PSK-SHA256' });
    auth.receive(sup.receive(auth.receive(sup.receive(auth.start()).tx[0]).tx[0]).tx[0]);
    const old = auth.ptk!;
    const m1 = auth.startPtkRekey();
    const m3 = auth.receive(sup.receive(m1).tx[0]).tx[0];
    expect(auth.ptk).toBe(old);
    const s3 = sup.receive(m3);
    expect(s3.event).toBe('ptk-rekeyed');
    expect(auth.receive(s3.tx[0]).event).toBe('ptk-rekeyed');
    expect(auth.ptk!.tk.equals(old.tk)).toBe(false);
    expect(auth.ptk!.tk.equals(s3.install[0].key)).toBe(true);
  });

  it('API misuse is a typed error; garbage is dropped', () => {
    const { auth } = pair();
    expect(() => auth.startGroupRekey({ key: GTK, idx: 2 })).toThrow(AuthenticatorStateError);
    expect(() => new Authenticator({ akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: PMK, aa: AA, spa: SPA, apRsne: rsneFor(), staRsne: rsneFor(), gtk: { key: Buffer.alloc(5), idx: 1 } })).toThrow(AuthenticatorStateError);
    expect(auth.receive(Buffer.from('0103')).dropped).toBeDefined();
    expect(auth.receive(Buffer.from('01010000', 'hex')).dropped).toMatch(/not EAPOL-Key/);
  });
});
