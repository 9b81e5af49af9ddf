/**
 * The station SAE machine against the authenticator counterpart, in process:
 * every group and PWE method, anti-clogging, group rejection, password
 * identifiers, wrong passwords, retransmission, and seeded runs over a lossy,
 * reordering air. Also the station alone against the Annex J.10 exchange.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SaeApPeer, type SaeApConfig } from '../../src/rsn/sae/authenticator.js';
import { decodeSaeAuth, encodeSaeAuth, encodeConfirm, parseCommit } from '../../src/rsn/sae/frames.js';
import { SaeStatus } from '../../src/rsn/sae/status.js';
import { SaeConfigError, type SaeAction } from '../../src/rsn/sae/session.js';
import { SaeStation, type SaeStationConfig } from '../../src/rsn/sae/station.js';
import { readVector } from '../fixtures/vectors.js';
import { prng } from './prng.js';
import { outcome, runAir } from './sae-rig.js';

const STA = '02:00:00:00:00:01';
const AP = '02:00:00:00:00:0a';
const SSID = 'wpa3-net';

function pair(sta: Partial<SaeStationConfig>, ap: Partial<SaeApConfig>) {
  const station = new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'correct horse', apH2e: true, ...sta });
  const peer = new SaeApPeer({ bssid: AP, staAddr: STA, ssid: SSID, passwords: [{ password: 'correct horse' }], ...ap });
  return { station, peer };
}

function run(sta: Partial<SaeStationConfig>, ap: Partial<SaeApConfig>, air = {}) {
  const { station, peer } = pair(sta, ap);
  const r = runAir(station, peer, station.start(), air);
  return { ...r, station, peer, staEnd: outcome(r.sta), apEnd: outcome(r.ap) };
}

function expectSameKeys(r: ReturnType<typeof run>) {
  expect(r.staEnd?.kind).toBe('accepted');
  expect(r.apEnd?.kind).toBe('accepted');
  if (r.staEnd?.kind !== 'accepted' || r.apEnd?.kind !== 'accepted') return;
  expect(r.staEnd.pmk.equals(r.apEnd.pmk)).toBe(true);
  expect(r.staEnd.pmkid.equals(r.apEnd.pmkid)).toBe(true);
}

describe('SAE station against the authenticator', () => {
  for (const group of [19, 20, 21]) {
    for (const saePwe of [0, 1] as const) {
      it(`group ${group}, ${saePwe ? 'hash-to-element' : 'hunting-and-pecking'}`, () => {
        const r = run({ saeGroups: [group], saePwe }, { saeGroups: [group], saePwe });
        expectSameKeys(r);
        if (r.staEnd?.kind === 'accepted') {
          expect(r.staEnd.group).toBe(group);
          expect(r.staEnd.h2e).toBe(saePwe === 1);
          expect(r.staEnd.pmk).toHaveLength(32);
        }
        const commit = decodeSaeAuth(r.sent[0].frame)!;
        expect(commit.status).toBe(saePwe ? SaeStatus.SAE_HASH_TO_ELEMENT : SaeStatus.SUCCESS);
      });
    }
  }

  it('SAE-EXT-KEY (AKM 24) takes a PMK as long as the group hash with H2E', () => {
    for (const [group, len] of [[19, 32], [20, 48], [21, 64]]) {
      const r = run({ saeGroups: [group], saePwe: 1, akm: 24 }, { saeGroups: [group], saePwe: 1, akm: 24 });
      expectSameKeys(r);
      if (r.staEnd?.kind === 'accepted') expect(r.staEnd.pmk).toHaveLength(len);
    }
  });

  it('sae_pwe=2 uses H2E exactly when the AP advertises it', () => {
    expect(new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'x', saePwe: 2, apH2e: true }).h2e).toBe(true);
    expect(new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'x', saePwe: 2, apH2e: false }).h2e).toBe(false);
    expectSameKeys(run({ saePwe: 2, apH2e: false }, { saePwe: 2 }));
  });

  it('anti-clogging: status 76, the commit again with the token, then success (H&P and H2E)', () => {
    for (const saePwe of [0, 1] as const) {
      const r = run({ saePwe }, { saePwe, antiClogging: { required: () => true, secret: Buffer.alloc(32, 7) } });
      expectSameKeys(r);
      const fromAp = r.sent.filter((s) => s.from === 'ap').map((s) => decodeSaeAuth(s.frame)!);
      expect(fromAp[0].status).toBe(SaeStatus.ANTI_CLOGGING_TOKEN_REQ);
      const staCommits = r.sent.filter((s) => s.from === 'sta' && decodeSaeAuth(s.frame)!.transaction === 1);
      expect(staCommits).toHaveLength(2);
      const second = parseCommit(decodeSaeAuth(staCommits[1].frame)!.body, saePwe === 1, 32);
      expect(second.ok && second.value.token?.equals(createHmac('sha256', Buffer.alloc(32, 7)).update(Buffer.from('020000000001', 'hex')).digest())).toBe(true);
    }
  });

  it('a refused group moves to the next of sae_groups; with H2E the refused ones salt the keys', () => {
    for (const saePwe of [0, 1] as const) {
      const r = run({ saeGroups: [21, 20, 19], saePwe }, { saeGroups: [19], saePwe });
      expectSameKeys(r);
      const fromAp = r.sent.filter((s) => s.from === 'ap').map((s) => decodeSaeAuth(s.frame)!.status);
      expect(fromAp.slice(0, 2)).toEqual([77, 77]);
      const last = r.sent.filter((s) => s.from === 'sta' && decodeSaeAuth(s.frame)!.transaction === 1).pop()!;
      const c = parseCommit(decodeSaeAuth(last.frame)!.body, saePwe === 1);
      expect(c.ok && c.value.group).toBe(19);
      expect(c.ok && c.value.rejectedGroups).toEqual(saePwe ? [21, 20] : undefined);
    }
  });

  it('no common group: failure with status 77', () => {
    const r = run({ saeGroups: [20] }, { saeGroups: [19] });
    expect(r.staEnd).toMatchObject({ kind: 'failed', status: 77 });
  });

  it('an AP that lists an enabled group as rejected by the station refuses it (downgrade)', () => {
    const { peer } = pair({}, { saeGroups: [19, 20], saePwe: 1 });
    const sta = new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'correct horse', apH2e: true, saePwe: 1, saeGroups: [20, 19] });
    const first = sta.start();
    // Pretend group 20 was refused: the station's next commit names it as rejected.
    const next = sta.receive(encodeSaeAuth({ transaction: 1, status: 77, body: Buffer.alloc(0) }));
    expect(first[0].kind).toBe('send');
    const commit = next.find((a) => a.kind === 'send')!;
    const reply = peer.receive((commit as { frame: Buffer }).frame);
    expect(decodeSaeAuth((reply[0] as { frame: Buffer }).frame)!.status).toBe(SaeStatus.UNSPECIFIED_FAILURE);
  });

  it('password identifiers: a known one succeeds (H2E forced), an unknown one ends with 123', () => {
    const ok = run({ passwordId: 'guest', saePassword: 'guestpw', saePwe: 0 }, { saePwe: 2, passwords: [{ password: 'mainpw' }, { password: 'guestpw', identifier: 'guest' }] });
    expectSameKeys(ok);
    expect(ok.station.h2e).toBe(true);
    const bad = run({ passwordId: 'nobody', saePassword: 'guestpw' }, { saePwe: 2, passwords: [{ password: 'guestpw', identifier: 'guest' }] });
    expect(bad.staEnd).toMatchObject({ kind: 'failed', status: SaeStatus.UNKNOWN_PASSWORD_IDENTIFIER });
  });

  it('sae_password wins over the psk passphrase', () => {
    expectSameKeys(run({ saePassword: 'sae-secret', passphrase: 'psk-secret' }, { passwords: [{ password: 'sae-secret' }] }));
    const r = run({ saePassword: 'sae-secret', passphrase: 'psk-secret' }, { passwords: [{ password: 'psk-secret' }] });
    expect(r.staEnd).toMatchObject({ kind: 'failed', status: SaeStatus.CHALLENGE_FAIL });
  });

  it('a wrong password fails on both sides, without a PMK', () => {
    const r = run({ passphrase: 'wrong' }, {});
    expect(r.staEnd).toMatchObject({ kind: 'failed', status: SaeStatus.CHALLENGE_FAIL });
    expect(r.ap.some((a) => a.kind === 'accepted')).toBe(false);
  });

  it('configuration errors are typed and say what is wrong', () => {
    expect(() => new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, apH2e: true })).toThrow(SaeConfigError);
    expect(() => new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'x', saePwe: 1, apH2e: false })).toThrow(/hash-to-element required/);
    expect(() => new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'x', passwordId: 'id', apH2e: false })).toThrow(/sae_password_id/);
    expect(() => new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'x', saeGroups: [15, 25], apH2e: true })).toThrow(/none of sae_groups/);
    expect(() => new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'x', akm: 2, apH2e: true })).toThrow(SaeConfigError);
    expect(() => new SaeApPeer({ bssid: AP, staAddr: STA, ssid: SSID, passwords: [{ password: 'x' }], akm: 6 })).toThrow(SaeConfigError);
  });

  it('an H2E station and an H&P-only AP: the AP drops the commit, the station gives up after dot11RSNASAESync', () => {
    const r = run({ saePwe: 1 }, { saePwe: 0 });
    expect(r.staEnd).toMatchObject({ kind: 'failed' });
    expect(r.sent.filter((s) => s.from === 'sta')).toHaveLength(6); // first commit and 5 retransmissions
    expect(r.endMs).toBe(6000);
  });

  it('retransmits the commit each dot11RSNASAERetransPeriod when the AP is silent', () => {
    const sta = new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'p', apH2e: true, retransPeriodMs: 250, maxSync: 2 });
    const first = sta.start();
    expect(first).toContainEqual({ kind: 'timer', ms: 250 });
    const commit = (first[0] as { frame: Buffer }).frame;
    const again = sta.timeout();
    expect((again[0] as { frame: Buffer }).frame.equals(commit)).toBe(true);
    sta.timeout();
    expect(outcome(sta.timeout())).toMatchObject({ kind: 'failed' });
    expect(sta.state).toBe('failed');
  });

  it('once accepted, late or forged frames (a status-1 commit, a refused confirm) change nothing', () => {
    const r = run({}, {});
    expect(r.station.state).toBe('accepted');
    expect(r.station.receive(encodeSaeAuth({ transaction: 1, status: SaeStatus.UNSPECIFIED_FAILURE, body: Buffer.alloc(0) }))).toEqual([]);
    expect(r.station.receive(encodeSaeAuth({ transaction: 2, status: SaeStatus.CHALLENGE_FAIL, body: Buffer.alloc(0) }))).toEqual([]);
    expect(r.station.receive(encodeSaeAuth({ transaction: 1, status: SaeStatus.UNKNOWN_PASSWORD_IDENTIFIER, body: Buffer.alloc(0) }))).toEqual([]);
    expect(r.station.state).toBe('accepted');
  });

  it('drops its own commit reflected back', () => {
    const sta = new SaeStation({ ownAddr: STA, bssid: AP, ssid: SSID, passphrase: 'p', apH2e: true });
    const commit = (sta.start()[0] as { frame: Buffer }).frame;
    expect(sta.receive(commit)).toEqual([]);
    expect(sta.state).toBe('committed');
  });

  it('seeded runs over a lossy, reordering air: never different keys, never stuck, almost always done', () => {
    let done = 0;
    const runs = 60;
    for (let seed = 1; seed <= runs; seed++) {
      const rnd = prng(seed * 7919);
      const saePwe = rnd() < 0.5 ? 0 : 1;
      const r = run({ saePwe, saeGroups: [19] }, { saePwe, saeGroups: [19], antiClogging: rnd() < 0.3 ? { required: () => true, secret: Buffer.alloc(32, seed) } : undefined }, { seed, loss: 0.2, maxDelayMs: 40 });
      const s = r.staEnd;
      expect(s, `seed ${seed}`).toBeDefined();
      if (s?.kind === 'accepted') {
        done++;
        const a = outcome(r.ap);
        // The AP may still be waiting for a lost confirm; when it is done it has the same PMK.
        if (a?.kind === 'accepted') expect(a.pmk.equals(s.pmk), `seed ${seed}`).toBe(true);
        expect(r.ap.some((x) => x.kind === 'accepted' && !x.pmk.equals(s.pmk))).toBe(false);
      }
      expect(r.endMs).toBeLessThan(20_000);
    }
    expect(done).toBeGreaterThanOrEqual(runs * 0.9);
  });
});

describe('SAE station on the Annex J.10 exchange', () => {
  const v = readVector('sae.json').hunting_and_pecking;
  const hex = (s: string) => Buffer.from(s, 'hex');

  it('sends the published commit, a confirm under the published KCK, and accepts with the published PMK and PMKID', () => {
    const randoms = [hex(v.local_rand), hex(v.local_mask)];
    const sta = new SaeStation({ ownAddr: hex(v.addr1), bssid: hex(v.addr2), ssid: 'unused-by-hnp', passphrase: v.password, apH2e: false, saeGroups: [19], random: () => randoms.shift()! });
    const commit = sta.start().find((a): a is Extract<SaeAction, { kind: 'send' }> => a.kind === 'send')!;
    expect(decodeSaeAuth(commit.frame)!.body.toString('hex')).toBe(v.local_commit);

    const toConfirm = sta.receive(encodeSaeAuth({ transaction: 1, status: 0, body: hex(v.peer_commit) }));
    const confirm = toConfirm.find((a): a is Extract<SaeAction, { kind: 'send' }> => a.kind === 'send')!;
    const own = hex(v.local_commit).subarray(2);
    const peer = hex(v.peer_commit).subarray(2);
    const cn = (sc: number, a: Buffer, b: Buffer) => createHmac('sha256', hex(v.kck)).update(Buffer.from([sc, 0])).update(a).update(b).digest();
    expect(decodeSaeAuth(confirm.frame)!.body.toString('hex')).toBe('0100' + cn(1, own, peer).toString('hex'));

    const done = sta.receive(encodeSaeAuth({ transaction: 2, status: 0, body: encodeConfirm({ sendConfirm: 1, confirm: cn(1, peer, own) }) }));
    const accepted = outcome(done);
    expect(accepted?.kind).toBe('accepted');
    if (accepted?.kind !== 'accepted') return;
    expect(accepted.pmk.toString('hex')).toBe(v.pmk);
    expect(accepted.pmkid.toString('hex')).toBe(v.pmkid);
  });
});
