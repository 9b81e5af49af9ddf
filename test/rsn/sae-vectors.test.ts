/**
 * SAE against published vectors: IEEE 802.11-2020 Annex J.10 (group 19,
 * hunting-and-pecking commit, KCK/PMK/PMKID, and hash-to-element PWE), and
 * RFC 9380 J.1.1 for the simplified SWU map hash-to-element is built on.
 */
import { describe, expect, it } from 'vitest';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bigintFromBytes, bigintToBytes, encodeElement, mod, saeGroup } from '../../src/rsn/sae/group.js';
import { derivePt, huntAndPeck, pweFromPt } from '../../src/rsn/sae/pwe.js';
import { checkPeerCommit, commitFromRandMask, deriveKeys } from '../../src/rsn/sae/core.js';
import { encodeCommit, parseCommit } from '../../src/rsn/sae/frames.js';
import { readVector } from '../fixtures/vectors.js';

const sae = readVector('sae.json');
const rfc = readVector('rfc9380-p256.json');
const hex = (s: string) => Buffer.from(s, 'hex');
const g19 = saeGroup(19)!;

describe('SAE Annex J.10 (group 19)', () => {
  const v = sae.hunting_and_pecking;
  const pwe = huntAndPeck(g19, Buffer.from(v.password), hex(v.addr1), hex(v.addr2));
  const own = commitFromRandMask(g19, pwe, bigintFromBytes(hex(v.local_rand)), bigintFromBytes(hex(v.local_mask)))!;

  it('hunting-and-pecking PWE gives the published local commit', () => {
    const body = encodeCommit({ group: 19, scalar: own.scalarBytes, element: own.elementBytes }, false);
    expect(body.toString('hex')).toBe(v.local_commit);
  });

  it('the peer commit gives the published KCK, PMK and PMKID', () => {
    const parsed = parseCommit(hex(v.peer_commit), false);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const checked = checkPeerCommit(g19, parsed.value, own);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const keys = deriveKeys(g19, pwe, own, checked.peer, { h2e: false, akm: 8 })!;
    expect(keys.kck.toString('hex')).toBe(v.kck);
    expect(keys.pmk.toString('hex')).toBe(v.pmk);
    expect(keys.pmkid.toString('hex')).toBe(v.pmkid);
  });

  it('hash-to-element PT and PWE give the published PWE', () => {
    const h = sae.hash_to_element;
    const pt = derivePt(g19, Buffer.from(h.ssid), Buffer.from(h.password), Buffer.from(h.password_id));
    const p = pweFromPt(g19, pt, hex(h.addr1), hex(h.addr2));
    expect(encodeElement(g19, p).toString('hex')).toBe(h.pwe.x + h.pwe.y);
    // The address order does not matter (MAX || MIN).
    expect(encodeElement(g19, pweFromPt(g19, pt, hex(h.addr2), hex(h.addr1))).toString('hex')).toBe(h.pwe.x + h.pwe.y);
  });
});

describe('RFC 9380 J.1.1 P256_XMD:SHA-256_SSWU_RO_', () => {
  for (const t of rfc.vectors) {
    it(`msg "${t.msg.slice(0, 20)}${t.msg.length > 20 ? '...' : ''}"`, () => {
      // hash_to_field (count 2, L = 48) with expand_message_xmd, then SAE's map: u mod p.
      const uniform = Buffer.from(expand_message_xmd(Buffer.from(t.msg), rfc.dst, 96, sha256));
      const u = [0, 1].map((i) => mod(bigintFromBytes(uniform.subarray(48 * i, 48 * (i + 1))), g19.p));
      expect(u.map((x) => bigintToBytes(x, 32).toString('hex'))).toEqual(t.u);
      const q0 = g19.mapToCurve(u[0]);
      const q1 = g19.mapToCurve(u[1]);
      expect(encodeElement(g19, q0).toString('hex')).toBe(t.Q0.x + t.Q0.y);
      expect(encodeElement(g19, q1).toString('hex')).toBe(t.Q1.x + t.Q1.y);
      expect(encodeElement(g19, q0.add(q1)).toString('hex')).toBe(t.P.x + t.P.y);
    });
  }
});
