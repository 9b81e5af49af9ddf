/**
 * The deadlines of one association's key owner (AssociationKeys), on virtual
 * time: the offload wait and the authentication timeout, both counted from
 * `assoc`, whoever ends up running the handshake. In process, with the rsn
 * Authenticator as the AP and driver hooks that record what they are given.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AssociationKeys, type KeyOwnerHooks } from '../../src/offload/key-owner.js';
import { Authenticator } from '../../src/rsn/authenticator.js';
import { classifyEapol } from '../../src/rsn/eapol.js';
import { buildRsne } from '../../src/rsn/rsne.js';
import { Reason } from '../../src/rsn/supplicant.js';

const OFFLOAD_WAIT_MS = 1000;
const AUTH_TIMEOUT_MS = 10_000;
const AA = '02:00:00:01:01:00';
const SPA = '02:00:00:00:00:01';
const PMK = Buffer.alloc(32, 0x11);
const RSNE = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'] });

function rig(offloadRequested: boolean) {
  const sent: string[] = [];
  const frames: Buffer[] = [];
  const failed: number[] = [];
  const owners: string[] = [];
  let completed = 0;
  const hooks: KeyOwnerHooks = {
    txEapol: (_dst, frame) => {
      sent.push(classifyEapol(frame));
      frames.push(frame);
    },
    setKey: () => {},
    setPort: () => {},
    setRekeyData: () => {},
    handshakeState: () => {},
    completed: () => {
      completed++;
    },
    rekeyed: () => {},
    groupRekeyed: () => {},
    failed: (reason) => {
      failed.push(reason);
    },
    reassociate: () => {},
    ownerChanged: (owner, how) => {
      owners.push(`${owner}/${how}`);
    },
  };
  const keys = new AssociationKeys(
    {
      bssid: AA,
      ownAddress: SPA,
      sec: { akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, mfpRequired: false, apRsne: RSNE },
      pmk: PMK,
      ownRsne: RSNE,
      offloadRequested,
      hostOnlyReason: 'test',
      gtkRekeyOffload: false,
    },
    hooks,
    { offloadWaitMs: OFFLOAD_WAIT_MS, authTimeoutMs: AUTH_TIMEOUT_MS },
  );
  const ap = new Authenticator({ akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: PMK, aa: AA, spa: SPA, apRsne: RSNE, staRsne: RSNE, gtk: { key: Buffer.alloc(16, 0x33), idx: 1 } });
  return {
    keys,
    sent,
    failed,
    owners,
    get completed() {
      return completed;
    },
    /** msg 1/4 from the AP; returns its msg 3/4 for our msg 2/4. */
    msg1(): Buffer {
      keys.onEapol(AA, ap.start());
      return ap.receive(frames[frames.length - 1]!).tx[0]!;
    },
  };
}

describe('key owner deadlines (virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('msg 1/4 during the offload wait: the host owns the handshake, the end of the wait sends nothing, the authentication timeout still counts from assoc', () => {
    const r = rig(true);
    r.keys.onAssoc(false, undefined);
    r.msg1(); // the AP's msg 3/4 never reaches us
    expect(r.owners).toEqual(['host/host-after-firmware-silence']);
    vi.advanceTimersByTime(OFFLOAD_WAIT_MS);
    expect(r.sent).toEqual(['pairwise-2']); // no EAPOL-Start
    expect(r.owners).toHaveLength(1);
    vi.advanceTimersByTime(AUTH_TIMEOUT_MS - OFFLOAD_WAIT_MS - 1);
    expect(r.failed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(r.failed).toEqual([Reason.FOURWAY_HANDSHAKE_TIMEOUT]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a host handshake completed during the offload wait leaves no timer behind', () => {
    const r = rig(true);
    r.keys.onAssoc(false, undefined);
    r.keys.onEapol(AA, r.msg1());
    expect(r.completed).toBe(1);
    expect(r.sent).toEqual(['pairwise-2', 'pairwise-4']);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(AUTH_TIMEOUT_MS * 2);
    expect(r.failed).toEqual([]);
    expect(r.sent).toHaveLength(2);
  });

  it('a silent firmware: EAPOL-Start at the end of the offload wait, the authentication timeout at its time from assoc', () => {
    const r = rig(true);
    r.keys.onAssoc(false, undefined);
    vi.advanceTimersByTime(OFFLOAD_WAIT_MS - 1);
    expect(r.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(r.sent).toEqual(['start']);
    expect(r.owners).toEqual(['host/host-after-firmware-silence']);
    vi.advanceTimersByTime(AUTH_TIMEOUT_MS - OFFLOAD_WAIT_MS - 1);
    expect(r.failed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(r.failed).toEqual([Reason.FOURWAY_HANDSHAKE_TIMEOUT]);
  });

  it('host-only: the authentication timeout alone; a completed handshake clears it', () => {
    const stalled = rig(false);
    stalled.keys.onAssoc(false, undefined);
    stalled.msg1();
    vi.advanceTimersByTime(AUTH_TIMEOUT_MS - 1);
    expect(stalled.failed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stalled.failed).toEqual([Reason.FOURWAY_HANDSHAKE_TIMEOUT]);

    const done = rig(false);
    done.keys.onAssoc(false, undefined);
    done.keys.onEapol(AA, done.msg1());
    expect(done.completed).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clearTimers() during the offload wait: nothing fires afterwards', () => {
    const r = rig(true);
    r.keys.onAssoc(false, undefined);
    r.keys.clearTimers();
    vi.advanceTimersByTime(AUTH_TIMEOUT_MS * 2);
    expect(r.sent).toEqual([]);
    expect(r.failed).toEqual([]);
  });
});
