/**
 * The supplicant state machine against the behaviours hostap's own test
 * suite checks on the supplicant side (tests/hwsim/test_ap_psk.py
 * "supp_proto" and the KRACK retransmission tests), plus PTK rekey, key
 * requests and the material seeding the offload sync relies on.
 */
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/rsn/authenticator.js';
import { bigIntToCounter, parseEapolKey } from '../../src/rsn/eapol.js';
import { pmkidKde } from '../../src/rsn/kde.js';
import { eapolKeyMicValid } from '../../src/rsn/keyframe.js';
import { Reason, Supplicant, SupplicantConfigError, SupplicantStateError } from '../../src/rsn/supplicant.js';
import { AA, GTK, h, newSupplicant, PMK, Rig, rsneFor, SPA } from './rig.js';

/** Runs msg 1 and msg 3 to completion; returns the supplicant, the rig and the msg 3 result. */
function complete(sOpts = {}, rig = new Rig()) {
  const sup = newSupplicant(sOpts);
  const r1 = sup.receive(rig.msg1());
  rig.learn(r1.tx[0]);
  const r3 = sup.receive(rig.msg3());
  return { sup, rig, r1, r3 };
}

const verifies = (rig: Rig, frame: Buffer, kck = rig.ptk!.kck) => eapolKeyMicValid(parseEapolKey(frame), rig.alg, kck);

describe('supplicant 4-way handshake', () => {
  it('completes: msg 2 carries SNonce and our RSNE, msg 4 verifies, PTK and GTK installed once', () => {
    const { sup, rig, r1, r3 } = complete();
    expect(r1.event).toBe('4way-started');
    const m2 = parseEapolKey(r1.tx[0]);
    expect(m2.keyInfo).toBe(0x010a);
    expect(m2.keyData.equals(rsneFor())).toBe(true);
    expect(verifies(rig, r1.tx[0])).toBe(true);
    expect(r3.event).toBe('4way-complete');
    expect(r3.tx.length).toBe(1);
    expect(parseEapolKey(r3.tx[0]).keyInfo).toBe(0x030a);
    expect(verifies(rig, r3.tx[0])).toBe(true);
    expect(r3.install.map((k) => [k.kind, k.idx, k.cipher, k.key.toString('hex')])).toEqual([
      ['pairwise', 0, 'CCMP', rig.ptk!.tk.toString('hex')],
      ['group', 1, 'CCMP', GTK.toString('hex')],
    ]);
    expect(r3.materialChanged).toBe(true);
    expect(sup.state).toBe('complete');
    expect(sup.material()).toEqual({ kck: rig.ptk!.kck, kek: rig.ptk!.kek, replayCounter: bigIntToCounter(2n) });
  });

  it('replayed frame dropped (msg 3 and group msg 1 with a counter not above the last)', () => {
    const { sup, rig } = complete();
    const again = sup.receive(rig.msg3({ ctr: 2n }));
    expect(again.dropped).toMatch(/replay counter/);
    expect(again.tx).toEqual([]);
    const g = rig.group1();
    expect(sup.receive(g).event).toBe('group-complete');
    const replay = sup.receive(g);
    expect(replay.dropped).toMatch(/replay counter/);
    expect(replay.install).toEqual([]);
  });

  it('one flipped byte dropped as a MIC failure, then the genuine msg 3 still works', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const m3 = rig.msg3();
    for (const at of [20, 60, 100, m3.length - 1]) {
      const bad = Buffer.from(m3);
      bad[at] ^= 0x01;
      const r = sup.receive(bad);
      expect(r.dropped).toMatch(/MIC/);
      expect(r.install).toEqual([]);
      expect(r.tx).toEqual([]);
    }
    expect(sup.receive(m3).event).toBe('4way-complete');
  });

  it('msg 3 retransmitted after a lost msg 4: answered again, nothing reinstalled', () => {
    const { sup, rig } = complete();
    const r = sup.receive(rig.msg3());
    expect(r.tx.length).toBe(1);
    expect(parseEapolKey(r.tx[0]).replayCounter).toEqual(bigIntToCounter(3n));
    expect(verifies(rig, r.tx[0])).toBe(true);
    expect(r.install).toEqual([]);
    expect(r.event).toBeUndefined();
    expect(r.materialChanged).toBe(true); // the replay counter moved
  });

  it('forged msg 1 between two msg 3 retransmissions: new SNonce, retransmitted msg 3 answered without reinstall (KRACK)', () => {
    const { sup, rig, r1 } = complete();
    const firstSnonce = parseEapolKey(r1.tx[0]).nonce;
    const forged = sup.receive(rig.msg1()); // same ANonce, counter 3, no MIC
    expect(parseEapolKey(forged.tx[0]).nonce.equals(firstSnonce)).toBe(false);
    const r = sup.receive(rig.msg3());
    expect(r.tx.length).toBe(1);
    expect(verifies(rig, r.tx[0])).toBe(true); // still the original PTK
    expect(r.install).toEqual([]);
    expect(sup.material()!.kck.equals(rig.ptk!.kck)).toBe(true);
  });

  it('forged msg 1 with another ANonce: the retransmitted msg 3 fails and installs nothing', () => {
    const { sup, rig } = complete();
    sup.receive(rig.msg1({ anonce: Buffer.alloc(32, 0x99) }));
    const r = sup.receive(rig.msg3());
    expect(r.install).toEqual([]);
    expect(r.tx).toEqual([]);
    expect(r.failure?.reason).toBe(Reason.UNSPECIFIED);
  });

  it('ANonce change between msg 1 and msg 3: no msg 4, no key', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.msg3({ anonce: Buffer.alloc(32, 0x33) }));
    expect(r.failure?.message).toMatch(/ANonce/);
    expect(r.tx).toEqual([]);
    expect(r.install).toEqual([]);
  });

  it('an SNonce is reused for a retransmitted msg 1 with the same ANonce, never across ANonces', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    const a = parseEapolKey(sup.receive(rig.msg1()).tx[0]).nonce;
    const b = parseEapolKey(sup.receive(rig.msg1()).tx[0]).nonce;
    expect(b.equals(a)).toBe(true);
    const c = parseEapolKey(sup.receive(rig.msg1({ anonce: Buffer.alloc(32, 0x44) })).tx[0]).nonce;
    expect(c.equals(a)).toBe(false);
    const d = parseEapolKey(sup.receive(rig.msg1()).tx[0]).nonce;
    expect(d.equals(a) || d.equals(c)).toBe(false);
  });

  it('msg 3 without a GTK: msg 4 and PTK as wpa_supplicant does, then failure, never "complete"', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.msg3({ plain: rig.apRsne }));
    expect(r.failure?.message).toMatch(/no GTK/);
    expect(r.event).toBeUndefined();
    expect(r.install.map((k) => k.kind)).toEqual(['pairwise']);
    expect(sup.receive(rig.group1()).dropped).toMatch(/failed/);
  });

  it('GTK key index 0 in msg 3 and 3 in a group message are accepted', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r3 = sup.receive(rig.msg3({ plain: Buffer.concat([rig.apRsne, rig.gtkKde(0)]) }));
    expect(r3.event).toBe('4way-complete');
    expect(r3.install.find((k) => k.kind === 'group')?.idx).toBe(0);
    const g = sup.receive(rig.group1({ plain: rig.gtkKde(3, Buffer.alloc(16, 0x33)) }));
    expect(g.event).toBe('group-complete');
    expect(g.install).toEqual([{ kind: 'group', idx: 3, cipher: 'CCMP', key: Buffer.alloc(16, 0x33), rsc: Buffer.alloc(6) }]);
  });

  it('overlong GTK KDE fails, in msg 3 and in a group message (hostap: 33-octet GTK)', () => {
    const long = h('dd27000fac010100' + 'ff'.repeat(33));
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.msg3({ plain: Buffer.concat([rig.apRsne, long]) }));
    expect(r.failure?.message).toMatch(/too long GTK/);
    expect(r.install.every((k) => k.kind === 'pairwise')).toBe(true);
    const c = complete();
    const g = c.sup.receive(c.rig.group1({ plain: long }));
    expect(g.failure).toBeDefined();
    expect(g.install).toEqual([]);
    expect(g.tx).toEqual([]);
    // A 15-octet GTK for CCMP is as wrong as a long one.
    const c2 = complete();
    expect(c2.sup.receive(c2.rig.group1({ plain: h('dd15000fac010100' + '11'.repeat(15)) })).failure?.message).toMatch(/key length 15/);
  });

  it('GTK in unencrypted key data fails, in msg 3 and in a group message', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.msg3({ encrypt: false }));
    expect(r.failure?.message).toMatch(/unencrypted/);
    expect(r.install).toEqual([]);
    const c = complete();
    const g = c.sup.receive(c.rig.group1({ encrypt: false }));
    expect(g.failure?.message).toMatch(/unencrypted/);
    expect(g.install).toEqual([]);
  });

  it('IGTK key ID: 4 installed; 0xffff and 6 fail; byte-swapped 0x0400 tolerated without installing', () => {
    const run = (kde: Buffer) => {
      const rig = new Rig('WPA-PSK', PMK, true);
      const sup = newSupplicant({ mfp: true });
      rig.learn(sup.receive(rig.msg1()).tx[0]);
      return sup.receive(rig.msg3({ plain: Buffer.concat([rig.apRsne, rig.gtkKde(), kde]) }));
    };
    const ok = run(h('dd1c000fac090400' + '00'.repeat(6) + '77'.repeat(16)));
    expect(ok.event).toBe('4way-complete');
    expect(ok.install.find((k) => k.kind === 'igtk')).toEqual({ kind: 'igtk', idx: 4, cipher: 'AES-128-CMAC', key: Buffer.alloc(16, 0x77), rsc: Buffer.alloc(6) });
    const swapped = run(h('dd1c000fac090004' + '00'.repeat(6) + '77'.repeat(16)));
    expect(swapped.event).toBe('4way-complete');
    expect(swapped.install.some((k) => k.kind === 'igtk')).toBe(false);
    expect(run(h('dd1c000fac09ffff' + '00'.repeat(6) + '77'.repeat(16))).failure?.message).toMatch(/IGTK KeyID 65535/);
    expect(run(h('dd1c000fac090600' + '00'.repeat(6) + '77'.repeat(16))).failure?.message).toMatch(/IGTK KeyID 6/);
    expect(run(h('dd1b000fac090400' + '00'.repeat(6) + '77'.repeat(15))).failure?.message).toMatch(/IGTK KDE length/);
    // No IGTK KDE at all is accepted (hostap: "no IGTK KDE").
    expect(run(Buffer.alloc(0)).event).toBe('4way-complete');
  });

  it('unknown KDEs and elements tolerated', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.msg3({ plain: Buffer.concat([rig.apRsne, h('dd06000fac7f0102'), rig.gtkKde(), h('2a0100')]) }));
    expect(r.install.map((k) => k.kind)).toEqual(['pairwise', 'group']);
    expect(r.event).toBe('4way-complete');
  });

  it('a group message before the 4-way handshake completes fails the association', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.group1({ plain: rig.gtkKde() }));
    expect(r.failure?.message).toMatch(/before the 4-way handshake/);
    expect(r.install).toEqual([]);
    expect(r.tx).toEqual([]);
  });

  it('a group message with no PTK at all is dropped', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.ptk = { kck: Buffer.alloc(16), kek: Buffer.alloc(16), tk: Buffer.alloc(16) };
    expect(sup.receive(rig.group1()).dropped).toMatch(/no PTK/);
  });

  it('RSNE in msg 3 differing from the Beacon, or missing: reason 17, no msg 4', () => {
    for (const plain of [Buffer.concat([rsneFor('WPA-PSK-SHA256'), new Rig().gtkKde()]), new Rig().gtkKde()]) {
      const sup = newSupplicant();
      const rig = new Rig();
      rig.learn(sup.receive(rig.msg1()).tx[0]);
      const r = sup.receive(rig.msg3({ plain }));
      expect(r.failure?.reason).toBe(Reason.IE_IN_4WAY_DIFFERS);
      expect(r.tx).toEqual([]);
      expect(r.install).toEqual([]);
    }
  });

  it('invalid KDE in msg 1 fails; wrong pairwise key length in msg 3 fails; AES unwrap failure is dropped', () => {
    expect(newSupplicant().receive(new Rig().msg1({ keyData: h('5555') })).failure).toBeDefined();
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const garbage = rig.msg3({ rawKeyData: Buffer.alloc(24, 0x5a) });
    expect(sup.receive(garbage).dropped).toMatch(/AES unwrap failed/);
    expect(sup.receive(rig.msg3({ keyLength: 15 })).failure?.message).toMatch(/key length 15/);
  });

  it('frames that are not for us are dropped: request bit, no Ack, wrong descriptor version, non-zero pairwise key index', () => {
    const sup = newSupplicant();
    const rig = new Rig();
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    expect(sup.receive(rig.msg3({ keyInfo: 0x1bca })).dropped).toMatch(/Request/);
    expect(sup.receive(rig.msg3({ keyInfo: 0x134a })).dropped).toMatch(/Ack/);
    expect(sup.receive(rig.msg3({ keyInfo: 0x13cb })).dropped).toMatch(/descriptor version 3/);
    expect(sup.receive(rig.msg3({ keyInfo: 0x13ea })).dropped).toMatch(/key index/);
    expect(sup.receive(Buffer.from('01010000', 'hex')).dropped).toMatch(/not EAPOL-Key/);
    expect(sup.receive(rig.msg3()).event).toBe('4way-complete');
  });
});

describe('supplicant rekeying', () => {
  it('GTK rekey: new GTK installed, group msg 2 verifies; the same GTK again is not reinstalled', () => {
    const { sup, rig } = complete();
    const r = sup.receive(rig.group1({ plain: rig.gtkKde(2, Buffer.alloc(16, 0x55)) }));
    expect(r.event).toBe('group-complete');
    expect(r.install).toEqual([{ kind: 'group', idx: 2, cipher: 'CCMP', key: Buffer.alloc(16, 0x55), rsc: Buffer.alloc(6) }]);
    expect(parseEapolKey(r.tx[0]).keyInfo).toBe(0x0302);
    expect(verifies(rig, r.tx[0])).toBe(true);
    const again = sup.receive(rig.group1({ plain: rig.gtkKde(2, Buffer.alloc(16, 0x55)) }));
    expect(again.event).toBe('group-complete');
    expect(again.install).toEqual([]);
    expect(again.tx.length).toBe(1);
  });

  it('PTK rekey with a fresh ANonce: fresh SNonce, new TK installed once, event ptk-rekeyed', () => {
    const { sup, rig, r1 } = complete();
    const oldTk = rig.ptk!.tk;
    rig.anonce = Buffer.alloc(32, 0x66);
    const m1 = sup.receive(rig.msg1());
    expect(parseEapolKey(m1.tx[0]).nonce.equals(parseEapolKey(r1.tx[0]).nonce)).toBe(false);
    expect(verifies(rig, m1.tx[0], rig.learn(m1.tx[0]).kck)).toBe(true);
    const r3 = sup.receive(rig.msg3());
    expect(r3.event).toBe('ptk-rekeyed');
    expect(r3.install.map((k) => k.kind)).toEqual(['pairwise']); // same GTK: not reinstalled
    expect(r3.install[0].key.equals(oldTk)).toBe(false);
    expect(r3.install[0].key.equals(rig.ptk!.tk)).toBe(true);
    expect(sup.material()!.kck.equals(rig.ptk!.kck)).toBe(true);
  });

  it('a group key handshake during a PTK rekey uses the current PTK and leaves the rekey running', () => {
    const { sup, rig } = complete();
    const current = rig.ptk!;
    rig.anonce = Buffer.alloc(32, 0x67);
    const m2 = sup.receive(rig.msg1()).tx[0];
    rig.ptk = current;
    const g = sup.receive(rig.group1());
    expect(g.event).toBe('group-complete');
    expect(verifies(rig, g.tx[0], current.kck)).toBe(true);
    expect(sup.state).toBe('4way');
    rig.learn(m2);
    expect(sup.receive(rig.msg3()).event).toBe('ptk-rekeyed');
    expect(sup.state).toBe('complete');
  });

  it('EAPOL-Key request: pairwise request makes our authenticator start a PTK rekey, replays dropped', () => {
    const gtk = { key: GTK, idx: 1 };
    const auth = new Authenticator({ akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: PMK, aa: AA, spa: SPA, apRsne: rsneFor(), staRsne: rsneFor(), gtk });
    const sup = newSupplicant({ random: undefined });
    expect(() => sup.buildKeyRequest(true)).toThrow(SupplicantStateError);
    let frames = [auth.start()];
    while (frames.length) {
      const next: Buffer[] = [];
      for (const f of frames) next.push(...sup.receive(f).tx);
      frames = [];
      for (const f of next) frames.push(...auth.receive(f).tx);
    }
    expect(auth.state).toBe('complete');
    const req = sup.buildKeyRequest(true);
    expect(parseEapolKey(req).flags).toMatchObject({ request: true, mic: true, pairwise: true, secure: true });
    const r = auth.receive(req);
    expect(r.tx.length).toBe(1);
    expect(parseEapolKey(r.tx[0]).flags).toMatchObject({ pairwise: true, ack: true, mic: false });
    expect(auth.receive(req).dropped).toMatch(/did not increase/);
  });
});

describe('supplicant material (offload sync)', () => {
  it('seeded KCK/KEK/replay counter: a group handshake verifies and unwraps with them', () => {
    const rig = new Rig();
    rig.ptk = { kck: Buffer.alloc(16, 0xc1), kek: Buffer.alloc(16, 0xe1), tk: Buffer.alloc(0) };
    rig.counter = 7n;
    const sup = newSupplicant();
    expect(sup.material()).toBeNull();
    sup.seedMaterial({ kck: rig.ptk.kck, kek: rig.ptk.kek, replayCounter: bigIntToCounter(7n) });
    expect(sup.state).toBe('complete');
    expect(sup.receive(rig.group1({ ctr: 7n })).dropped).toMatch(/replay/);
    const r = sup.receive(rig.group1());
    expect(r.event).toBe('group-complete');
    expect(verifies(rig, r.tx[0])).toBe(true);
    expect(r.materialChanged).toBe(true);
    expect(sup.material()!.replayCounter).toEqual(bigIntToCounter(8n));
    expect(() => sup.seedMaterial({ kck: Buffer.alloc(15), kek: Buffer.alloc(16), replayCounter: Buffer.alloc(8) })).toThrow(SupplicantStateError);
  });

  it('advanceReplayCounter moves forward only and makes older frames replays', () => {
    const { sup, rig } = complete();
    expect(sup.advanceReplayCounter(bigIntToCounter(1n))).toBe(false);
    expect(sup.advanceReplayCounter(bigIntToCounter(10n))).toBe(true);
    expect(sup.advanceReplayCounter(Buffer.alloc(3))).toBe(false);
    expect(sup.material()!.replayCounter).toEqual(bigIntToCounter(10n));
    expect(sup.receive(rig.group1({ ctr: 9n })).dropped).toMatch(/replay/);
    expect(sup.receive(rig.group1({ ctr: 11n })).event).toBe('group-complete');
  });

  it('msg 1 naming a cached PMKSA by PMKID uses that PMK (PMKSA cache hook)', () => {
    const cachedPmk = Buffer.alloc(32, 0xcc);
    const pmkid = Buffer.alloc(16, 0xee);
    const seen: Buffer[] = [];
    const sup = newSupplicant({ pmksaLookup: (id) => (seen.push(id), id.equals(pmkid) ? cachedPmk : undefined) });
    const rig = new Rig('WPA-PSK', cachedPmk);
    const r1 = sup.receive(rig.msg1({ keyData: pmkidKde(pmkid) }));
    expect(seen.map((b) => b.toString('hex'))).toEqual([pmkid.toString('hex')]);
    rig.learn(r1.tx[0]);
    expect(verifies(rig, r1.tx[0])).toBe(true);
    expect(sup.receive(rig.msg3()).event).toBe('4way-complete');
    // An unknown PMKID falls back to the configured PMK.
    const other = newSupplicant({ pmksaLookup: () => undefined });
    const rig2 = new Rig();
    const r2 = other.receive(rig2.msg1({ keyData: pmkidKde(Buffer.alloc(16, 1)) }));
    rig2.learn(r2.tx[0]);
    expect(verifies(rig2, r2.tx[0])).toBe(true);
  });

  it('unsupported configurations are a typed error at construction', () => {
    expect(() => newSupplicant({ pmk: Buffer.alloc(16) })).toThrow(SupplicantConfigError);
    expect(() => newSupplicant({ akm: 'FT-SAE-EXT-KEY' })).toThrow(SupplicantConfigError);
    expect(() => newSupplicant({ pairwise: 'TKIP' })).toThrow(SupplicantConfigError);
    expect(() => newSupplicant({ aa: 'nonsense' })).toThrow(SupplicantConfigError);
  });

  it('WPA-PSK-SHA256 (AES-CMAC MIC, descriptor version 3) completes against the rig', () => {
    const rig = new Rig('WPA-PSK-SHA256');
    const sup = newSupplicant({ akm: 'WPA-PSK-SHA256' });
    const r1 = sup.receive(rig.msg1());
    expect(parseEapolKey(r1.tx[0]).flags.version).toBe(3);
    rig.learn(r1.tx[0]);
    expect(sup.receive(rig.msg3()).event).toBe('4way-complete');
  });

  it('SAE (AKM-defined descriptor version 0) completes', () => {
    const rig = new Rig('SAE');
    const sup = newSupplicant({ akm: 'SAE' });
    rig.learn(sup.receive(rig.msg1()).tx[0]);
    const r = sup.receive(rig.msg3());
    expect(r.event).toBe('4way-complete');
    expect(new Supplicant({ akm: 'SAE', pairwise: 'CCMP', group: 'CCMP', mfp: true, pmk: PMK, aa: AA, spa: SPA, ownRsne: rsneFor('SAE', true), apRsne: rsneFor('SAE', true) }).state).toBe('idle');
  });
});
