/**
 * Property-based fuzzing of both state machines: random and mutated frames
 * never throw out of the library, and no key is ever installed (or handshake
 * completed) from a frame whose MIC does not verify.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/rsn/authenticator.js';
import { derivePtk, type Ptk } from '../../src/rsn/crypto.js';
import { EapolParseError, parseEapolKey } from '../../src/rsn/eapol.js';
import { eapolKeyMicValid } from '../../src/rsn/keyframe.js';
import { AA, GTK, newSupplicant, PMK, Rig, rsneFor, SPA } from './rig.js';

/** A frame template plus mutations (byte writes, truncation, appended bytes) or plain random bytes. */
const mutation = fc.record({
  writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
  cut: fc.nat({ max: 40 }),
  extra: fc.uint8Array({ maxLength: 8 }),
  keyInfo: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
});

function mutate(f: Buffer, m: { writes: [number, number][]; cut: number; extra: Uint8Array; keyInfo?: number }): Buffer {
  const b = Buffer.from(f);
  for (const [i, v] of m.writes) b[i % b.length] = v;
  if (m.keyInfo !== undefined && b.length >= 7) b.writeUInt16BE(m.keyInfo, 5);
  return Buffer.concat([b.subarray(0, Math.max(0, b.length - (m.cut % 8 === 0 ? m.cut : 0))), Buffer.from(m.extra)]);
}

const verifiesUnder = (frame: Buffer, rig: Rig, ptks: Ptk[]): boolean => {
  let key;
  try {
    key = parseEapolKey(frame);
  } catch (e) {
    expect(e).toBeInstanceOf(EapolParseError);
    return false;
  }
  return ptks.some((p) => eapolKeyMicValid(key, rig.alg, p.kck));
};

describe('state machine fuzzing', () => {
  it('supplicant: mutated and random frames never throw; installs only from MIC-verified frames', () => {
    let verifiedInstalls = 0;
    const step = fc.oneof(
      fc.record({ t: fc.constant('msg1' as const), m: mutation, fresh: fc.boolean() }),
      fc.record({ t: fc.constant('msg3' as const), m: mutation, fresh: fc.boolean() }),
      fc.record({ t: fc.constant('group1' as const), m: mutation, fresh: fc.boolean() }),
      fc.record({ t: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 180 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const sup = newSupplicant({ mfp: true });
        const rig = new Rig('WPA-PSK', PMK, true);
        const ptks: Ptk[] = [];
        for (const s of steps) {
          let frame: Buffer;
          if (s.t === 'random') frame = Buffer.from(s.bytes);
          else if (s.t === 'msg1') {
            if (s.fresh) rig.anonce = Buffer.alloc(32, Number(rig.counter % 250n) + 1);
            frame = s.fresh ? rig.msg1() : mutate(rig.msg1(), s.m);
          } else {
            if (!rig.ptk) continue;
            const valid = s.t === 'msg3' ? rig.msg3({ plain: Buffer.concat([rig.apRsne, rig.gtkKde(), rig.igtkKde()]) }) : rig.group1();
            frame = s.fresh ? valid : mutate(valid, s.m);
          }
          const r = sup.receive(frame);
          // Learn every PTK the supplicant could hold: one per msg 2 it sent.
          for (const t of r.tx) {
            const k = parseEapolKey(t);
            if (k.flags.pairwise && !k.flags.secure && k.keyData.length > 0) {
              const p = derivePtk({ akm: 'WPA-PSK', pairwise: 'CCMP', pmk: PMK, aa: AA, spa: SPA, anonce: rig.anonce, snonce: k.nonce });
              ptks.push(p);
              rig.ptk = p;
            }
          }
          if (r.install.length > 0 || r.event === '4way-complete' || r.event === 'group-complete' || r.event === 'ptk-rekeyed') {
            expect(verifiesUnder(frame, rig, ptks)).toBe(true);
            verifiedInstalls++;
          }
          expect(r.dropped ?? '').not.toMatch(/internal error/);
        }
      }),
      { numRuns: 400 },
    );
    // The generator must reach the interesting paths, or the property proves nothing.
    expect(verifiedInstalls).toBeGreaterThan(50);
  });

  it('authenticator: mutated and random station frames never throw; completion only from MIC-verified frames', () => {
    let events = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ m: mutation, fresh: fc.boolean() }), fc.uint8Array({ maxLength: 140 })), { minLength: 1, maxLength: 10 }), (steps) => {
        const auth = new Authenticator({ akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: PMK, aa: AA, spa: SPA, apRsne: rsneFor(), staRsne: rsneFor(), gtk: { key: GTK, idx: 1 } });
        const sup = newSupplicant();
        let toSta = [auth.start()];
        for (const s of steps) {
          // The genuine station answers the authenticator's latest frame; the fuzzer mutates or replaces it.
          const genuine = toSta.flatMap((f) => sup.receive(f).tx)[0];
          toSta = [];
          let frame: Buffer;
          if (s instanceof Uint8Array) frame = Buffer.from(s);
          else if (!genuine) continue;
          else frame = s.fresh ? genuine : mutate(genuine, s.m);
          const before = auth.ptk;
          const r = auth.receive(frame);
          expect(r.dropped ?? '').not.toMatch(/internal error/);
          if (r.event) {
            const kck = r.event === 'group-complete' ? before!.kck : auth.ptk!.kck;
            expect(eapolKeyMicValid(parseEapolKey(frame), 'hmac-sha1-128', kck)).toBe(true);
            events++;
          }
          toSta = r.tx.length ? r.tx : [auth.retransmit() ?? auth.start()];
        }
      }),
      { numRuns: 300 },
    );
    expect(events).toBeGreaterThan(30);
  });
});
