/**
 * Property-based tests of the SAE commit and confirm parsers and of both SAE
 * machines: truncated bodies, wrong groups, points not on the curve, scalars
 * out of range and reflected commits get the answer hostap 2.10 gives
 * (status 1, 77, silent drop), and nothing ever throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SaeApPeer } from '../../src/rsn/sae/authenticator.js';
import { decodeSaeAuth, encodeCommit, encodeSaeAuth, parseCommit, parseConfirm, parseTokenRequest } from '../../src/rsn/sae/frames.js';
import { SaeStatus } from '../../src/rsn/sae/status.js';
import { bigintToBytes, saeGroup } from '../../src/rsn/sae/group.js';
import type { SaeAction } from '../../src/rsn/sae/session.js';
import { SaeStation } from '../../src/rsn/sae/station.js';

const STA = '02:00:00:00:00:01';
const AP = '02:00:00:00:00:0a';
const groupArb = fc.constantFrom(19, 20, 21);

function station(group = 19, saePwe: 0 | 1 = 0) {
  const sta = new SaeStation({ ownAddr: STA, bssid: AP, ssid: 'fuzz', passphrase: 'fuzz-pass', apH2e: true, saeGroups: [group], saePwe });
  const commit = (sta.start()[0] as Extract<SaeAction, { kind: 'send' }>).frame;
  return { sta, commit };
}

const peerCommits = new Map<string, Buffer>();

/** A well-formed commit from a real peer (made once per group and method), to mutate. */
function peerCommit(group: number, saePwe: 0 | 1): Buffer {
  const key = `${group}/${saePwe}`;
  if (!peerCommits.has(key)) peerCommits.set(key, makePeerCommit(group, saePwe));
  return peerCommits.get(key)!;
}

function makePeerCommit(group: number, saePwe: 0 | 1): Buffer {
  const ap = new SaeApPeer({ bssid: AP, staAddr: STA, ssid: 'fuzz', passwords: [{ password: 'fuzz-pass' }], saeGroups: [group], saePwe });
  const { commit } = station(group, saePwe);
  return (ap.receive(commit)[0] as Extract<SaeAction, { kind: 'send' }>).frame;
}

const failedWith = (actions: SaeAction[]) => actions.find((a): a is Extract<SaeAction, { kind: 'failed' }> => a.kind === 'failed')?.status;
const repliedWith = (actions: SaeAction[]) => {
  const send = actions.find((a): a is Extract<SaeAction, { kind: 'send' }> => a.kind === 'send');
  return send && decodeSaeAuth(send.frame)!.status;
};

describe('SAE parsers', () => {
  it('never throw on arbitrary bytes, and a failure always carries a status', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), fc.nat({ max: 64 }), (bytes, h2e, tokenLen) => {
        const b = Buffer.from(bytes);
        for (const r of [parseCommit(b, h2e, tokenLen), parseConfirm(b, 32), parseTokenRequest(b, h2e)]) {
          if (!r.ok) expect([SaeStatus.UNSPECIFIED_FAILURE, SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED]).toContain(r.status);
        }
        decodeSaeAuth(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('a truncated commit is status 1', () => {
    fc.assert(
      fc.property(groupArb, fc.boolean(), fc.nat(), (group, h2e, cutSeed) => {
        const g = saeGroup(group)!;
        const body = encodeCommit({ group, scalar: bigintToBytes(5n, g.primeLen), element: Buffer.alloc(2 * g.primeLen, 1) }, h2e);
        const cut = cutSeed % body.length;
        const r = parseCommit(body.subarray(0, cut), h2e);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.status).toBe(SaeStatus.UNSPECIFIED_FAILURE);
      }),
    );
  });

  it('an unknown group is status 77', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }).filter((n) => ![19, 20, 21].includes(n)), fc.uint8Array({ maxLength: 200 }), (group, rest) => {
        const body = Buffer.concat([Buffer.from([group & 0xff, group >> 8]), Buffer.from(rest)]);
        const r = parseCommit(body, false);
        expect(r).toMatchObject({ ok: false, status: SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED });
      }),
    );
  });
});

describe('SAE station on hostile commits', () => {
  it('a point not on the curve, or a scalar out of range, fails with status 1; never throws', () => {
    fc.assert(
      fc.property(groupArb, fc.constantFrom<0 | 1>(0, 1), fc.oneof(fc.constant('element'), fc.constant('scalar0'), fc.constant('scalar1'), fc.constant('scalarR'), fc.constant('scalarMax')), fc.nat(), (group, saePwe, what, seed) => {
        const g = saeGroup(group)!;
        const good = decodeSaeAuth(peerCommit(group, saePwe))!;
        const body = Buffer.from(good.body);
        const scalarAt = 2;
        if (what === 'element') {
          // Flip one bit of y: with overwhelming probability no longer on the curve.
          const i = scalarAt + 2 * g.primeLen + (seed % g.primeLen);
          body[i] ^= 1 << (seed % 8);
        } else {
          const v = { scalar0: 0n, scalar1: 1n, scalarR: g.r, scalarMax: (1n << BigInt(8 * g.primeLen)) - 1n }[what];
          bigintToBytes(v, g.primeLen).copy(body, scalarAt);
        }
        const { sta } = station(group, saePwe);
        const out = sta.receive(encodeSaeAuth({ transaction: 1, status: good.status, body }));
        expect(failedWith(out)).toBe(SaeStatus.UNSPECIFIED_FAILURE);
        expect(out.some((a) => a.kind === 'accepted' || a.kind === 'send')).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it('a commit from the wrong group fails with 77; a reflected commit is dropped silently', () => {
    const { sta } = station(19);
    const other = decodeSaeAuth(peerCommit(20, 0))!;
    expect(failedWith(sta.receive(encodeSaeAuth(other)))).toBe(SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED);
    const s2 = station(19, 1);
    expect(s2.sta.receive(s2.commit)).toEqual([]);
    expect(s2.sta.state).toBe('committed');
  });

  it('mutated and random frames never throw out of either machine, and never complete the exchange', () => {
    fc.assert(
      fc.property(
        groupArb,
        fc.constantFrom<0 | 1>(0, 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat({ max: 300 }),
        fc.uint8Array({ maxLength: 300 }),
        (group, saePwe, writes, cut, random) => {
          const frame = Buffer.from(peerCommit(group, saePwe));
          for (const [i, v] of writes) frame[i % frame.length] = v;
          const mutated = frame.subarray(0, Math.max(0, frame.length - cut));
          const { sta } = station(group, saePwe);
          for (const f of [mutated, Buffer.from(random), Buffer.concat([frame.subarray(0, 6), Buffer.from(random)])]) {
            const out = sta.receive(f);
            expect(out.some((a) => a.kind === 'accepted')).toBe(false);
            const ap = new SaeApPeer({ bssid: AP, staAddr: STA, ssid: 'fuzz', passwords: [{ password: 'fuzz-pass' }], saeGroups: [group], saePwe });
            expect(ap.receive(f).some((a) => a.kind === 'accepted')).toBe(false);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('SAE authenticator on hostile commits', () => {
  it('answers a scalar out of range or an off-curve element with status 1, and a reflected commit with silence', () => {
    const { commit } = station(19);
    const ap = new SaeApPeer({ bssid: AP, staAddr: STA, ssid: 'fuzz', passwords: [{ password: 'fuzz-pass' }] });
    const good = decodeSaeAuth(commit)!;
    const zeroScalar = Buffer.from(good.body);
    zeroScalar.fill(0, 2, 34);
    expect(repliedWith(ap.receive(encodeSaeAuth({ ...good, body: zeroScalar })))).toBe(SaeStatus.UNSPECIFIED_FAILURE);
    const offCurve = Buffer.from(good.body);
    offCurve[97] ^= 1;
    expect(repliedWith(ap.receive(encodeSaeAuth({ ...good, body: offCurve })))).toBe(SaeStatus.UNSPECIFIED_FAILURE);
    // Its own commit sent back to it (it answers the real commit first, then sees its commit reflected).
    const answer = ap.receive(commit);
    const apCommit = (answer[0] as Extract<SaeAction, { kind: 'send' }>).frame;
    expect(ap.receive(apCommit)).toEqual([]);
  });

  it('a group outside sae_groups is answered with 77', () => {
    const { commit } = station(21);
    const ap = new SaeApPeer({ bssid: AP, staAddr: STA, ssid: 'fuzz', passwords: [{ password: 'fuzz-pass' }], saeGroups: [19] });
    expect(repliedWith(ap.receive(commit))).toBe(SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED);
  });
});
