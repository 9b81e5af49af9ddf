/**
 * The real-frame transcripts (wpa_supplicant 2.10 against an independent
 * authenticator): our derivation reproduces their KCK/KEK/TK and MICs, our
 * authenticator accepts their msg 2 and msg 4, and our supplicant fed their
 * authenticator's frames answers with the very frames wpa_supplicant sent.
 */
import { readVector } from '../fixtures/vectors.js';
import { describe, expect, it } from 'vitest';
import { micAlgorithm } from '../../src/rsn/akm.js';
import { Authenticator } from '../../src/rsn/authenticator.js';
import { aesKeyUnwrap, derivePtk, pbkdf2Psk } from '../../src/rsn/crypto.js';
import { parseEapolKey } from '../../src/rsn/eapol.js';
import { parseKeyData } from '../../src/rsn/kde.js';
import { eapolKeyMicValid } from '../../src/rsn/keyframe.js';
import { Supplicant, type KeyInstall } from '../../src/rsn/supplicant.js';

interface Frame {
  n: number;
  dir: 'ap->sta' | 'sta->ap';
  kind: string;
  replay_ctr: number;
  eapol: string;
  verdicts?: { what: string; ok: boolean }[];
}
const NAMES = ['wpa-psk.json', 'wpa-psk-sha256.json', 'retransmit.json', 'wrong-passphrase.json', 'msg3-rsne-mismatch.json'];
const load = (n: string) => readVector(`transcripts/${n}`);
const h = (s: string): Buffer => Buffer.from(s, 'hex');
const hexOf = (k: { kck: Buffer; kek: Buffer; tk: Buffer }) => ({ kck: k.kck.toString('hex'), kek: k.kek.toString('hex'), tk: k.tk.toString('hex') });

describe.each(NAMES)('transcript %s', (name) => {
  const t = load(name);
  const frames: Frame[] = t.frames;
  const ptkFor = (pmkHex: string) => derivePtk({ akm: t.akm, pairwise: t.pairwise, pmk: h(pmkHex), aa: t.aa, spa: t.spa, anonce: h(t.anonce), snonce: h(t.snonce) });
  const apPtk = ptkFor(t.pmk);
  const staPtk = ptkFor(t.sta_pmk);
  const alg = micAlgorithm(t.akm, t.key_descriptor_version)!;

  it('PMKs are PBKDF2 of the passphrases', () => {
    expect(pbkdf2Psk(t.passphrase, t.ssid).toString('hex')).toBe(t.pmk);
    expect(pbkdf2Psk(t.sta_passphrase, t.ssid).toString('hex')).toBe(t.sta_pmk);
  });

  it('derives the KCK, KEK and TK both ends logged', () => {
    if (t.ptk) expect(hexOf(apPtk)).toEqual(t.ptk);
    expect(hexOf(staPtk)).toEqual(t.supplicant_logged_ptk);
  });

  it('reproduces every MIC: authenticator frames with its PTK, wpa_supplicant frames with its own', () => {
    for (const f of frames) {
      if (f.kind.startsWith('4way-1')) continue; // msg 1 has no MIC
      const key = parseEapolKey(h(f.eapol));
      const kck = f.dir === 'ap->sta' ? apPtk.kck : staPtk.kck;
      expect(eapolKeyMicValid(key, alg, kck), `frame ${f.n} ${f.kind}`).toBe(true);
      // And the authenticator's verdict on sta->ap frames is what our check with the AP's key gives.
      for (const v of f.verdicts ?? []) if (v.what.endsWith('MIC')) expect(eapolKeyMicValid(key, alg, apPtk.kck)).toBe(v.ok);
    }
  });

  it('our supplicant fed the authenticator frames sends what wpa_supplicant sent, byte for byte', () => {
    const sup = new Supplicant({
      akm: t.key_mgmt,
      pairwise: t.pairwise,
      group: t.group,
      mfp: t.ieee80211w > 0,
      pmk: h(t.sta_pmk),
      aa: t.aa,
      spa: t.spa,
      ownRsne: h('30140100000fac040100000fac040100000fac0' + (t.akm === 6 ? '6' : '2') + '0000'),
      apRsne: h(t.beacon_ies).subarray(h(t.beacon_ies).indexOf(Buffer.of(0x30, 0x14))),
      random: () => h(t.snonce),
    });
    const sent: string[] = [];
    const installs: KeyInstall[] = [];
    const failures: number[] = [];
    for (const f of frames.filter((x) => x.dir === 'ap->sta')) {
      const r = sup.receive(h(f.eapol));
      sent.push(...r.tx.map((b) => b.toString('hex')));
      installs.push(...r.install);
      if (r.failure) failures.push(r.failure.reason);
    }
    const theirs = frames.filter((x) => x.dir === 'sta->ap').map((x) => x.eapol);
    if (t.expectation === 'ok') {
      expect(sent).toEqual(theirs);
      expect(failures).toEqual([]);
      // Each key once, even when msg 3 and group msg 1 were retransmitted.
      const tk = installs.filter((k) => k.kind === 'pairwise');
      expect(tk.map((k) => k.key.toString('hex'))).toEqual([t.ptk.tk]);
      const gtks = installs.filter((k) => k.kind === 'group').map((k) => k.key.toString('hex'));
      expect(gtks).toEqual([t.group_rekey.previous_gtk, t.group_rekey.gtk]);
      expect(installs.filter((k) => k.kind === 'group').map((k) => k.idx)).toEqual([1, t.group_rekey.keyid]);
      expect(sup.state).toBe('complete');
      expect(sup.material()?.replayCounter.readBigUInt64BE()).toBe(BigInt(frames[frames.length - 1].replay_ctr));
    } else if (t.expectation === 'msg2-mic-failure') {
      // Every msg 1 answered exactly as wpa_supplicant did; the AP's msg 3 (other PMK) fails our MIC check.
      expect(sent).toEqual(theirs);
      expect(installs).toEqual([]);
      expect(failures).toEqual([]);
      expect(sup.state).toBe('4way');
    } else {
      // RSNE mismatch: msg 2 as wpa_supplicant sent it, then no msg 4, no key, reason 17.
      expect(sent).toEqual(theirs);
      expect(installs).toEqual([]);
      expect(failures).toEqual([17]);
    }
  });

  it('our authenticator accepts their msg 2 and msg 4 and builds their msg 1 and msg 3', () => {
    if (t.expectation === 'rsne-mismatch') return; // their msg 3 deliberately carries another RSNE
    const apFrames = frames.filter((x) => x.dir === 'ap->sta');
    const m3 = apFrames.find((x) => x.kind.startsWith('4way-3'))!;
    const gtkPlain = parseKeyData(aesKeyUnwrap(apPtk.kek, parseEapolKey(h(m3.eapol)).keyData));
    const auth = new Authenticator({
      akm: t.key_mgmt,
      pairwise: t.pairwise,
      group: t.group,
      mfp: false,
      pmk: h(t.pmk),
      aa: t.aa,
      spa: t.spa,
      apRsne: h(t.ap_rsne),
      staRsne: h(t.ap_rsne),
      gtk: { key: gtkPlain.gtk!.key, idx: gtkPlain.gtk!.keyId },
      random: () => h(t.anonce),
    });
    const events: string[] = [];
    const drops: string[] = [];
    let ours = auth.start();
    for (const f of frames) {
      if (f.dir === 'ap->sta') {
        if (f.kind.includes('retry')) ours = auth.retransmit()!;
        else if (f.kind === 'group-1') {
          const gk = parseKeyData(aesKeyUnwrap(apPtk.kek, parseEapolKey(h(f.eapol)).keyData)).gtk!;
          ours = auth.startGroupRekey({ key: gk.key, idx: gk.keyId });
        }
        if (!f.kind.startsWith('4way-3') || t.expectation === 'ok') expect(ours.toString('hex'), `frame ${f.n}`).toBe(f.eapol);
        continue;
      }
      if ((f as unknown as { dropped_by_rig?: boolean }).dropped_by_rig) continue;
      const r = auth.receive(h(f.eapol));
      if (r.event) events.push(r.event);
      if (r.dropped) drops.push(r.dropped);
      if (r.tx.length) ours = r.tx[0];
    }
    if (t.expectation === 'ok') {
      expect(drops).toEqual([]);
      expect(events).toEqual(['4way-complete', 'group-complete']);
      expect(hexOf(auth.ptk!)).toEqual(t.ptk);
    } else {
      expect(drops.every((d) => d === 'invalid MIC in msg 2/4')).toBe(true);
      expect(drops.length).toBe(4);
      expect(auth.ptk).toBeNull();
    }
  });
});
