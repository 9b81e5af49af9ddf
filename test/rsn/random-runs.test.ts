/**
 * Our supplicant against our authenticator over thousands of seeded random
 * runs, with loss, duplication, reordering and retransmission, through the
 * 4-way handshake, a GTK rekey and a PTK rekey. Whenever the authenticator
 * completes, both ends hold the same keys; otherwise the authenticator ran
 * out of retries (it would deauthenticate). The supplicant never reports a
 * failure (nobody tampers with frames here) and never installs a key twice.
 */
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/rsn/authenticator.js';
import { buildRsne } from '../../src/rsn/rsne.js';
import { Supplicant, type KeyInstall } from '../../src/rsn/supplicant.js';
import { prng } from './prng.js';

const AKMS = ['WPA-PSK', 'WPA-PSK-SHA256', 'SAE'] as const;
const RETRIES = 4;

type Outcome = 'ok' | 'gave-up';

function run(seed: number): { outcomes: Outcome[]; installs: KeyInstall[] } {
  const rnd = prng(seed);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const akm = AKMS[Math.floor(rnd() * AKMS.length)];
  const mfp = akm === 'SAE' || rnd() < 0.3;
  const loss = rnd() * 0.35;
  const dup = rnd() * 0.2;
  const reorder = rnd() * 0.5;
  const rsne = buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: [akm], mfpc: mfp });
  const pmk = bytes(32);
  const aa = '02:00:00:00:00:0a';
  const spa = '02:00:00:00:00:01';
  const auth = new Authenticator({
    akm, pairwise: 'CCMP', group: 'CCMP', mfp, pmk, aa, spa, apRsne: rsne, staRsne: rsne,
    gtk: { key: bytes(16), idx: 1 }, igtk: mfp ? { key: bytes(16), idx: 4 } : undefined, random: bytes,
  });
  const sup = new Supplicant({ akm, pairwise: 'CCMP', group: 'CCMP', mfp, pmk, aa, spa, ownRsne: rsne, apRsne: rsne, random: bytes });
  const installs: KeyInstall[] = [];
  const installedBy = new Map<string, string>();

  /** Runs one exchange until the authenticator reports `want` or gives up. */
  const exchange = (first: Buffer, want: string): Outcome => {
    const air: { to: 'sta' | 'ap'; f: Buffer }[] = [{ to: 'sta', f: first }];
    let tries = 0;
    for (let steps = 0; steps < 200; steps++) {
      if (air.length === 0) {
        if (tries >= RETRIES) return 'gave-up';
        tries++;
        const again = auth.retransmit();
        expect(again).not.toBeNull();
        air.push({ to: 'sta', f: again! });
        continue;
      }
      const i = rnd() < reorder ? Math.floor(rnd() * air.length) : 0;
      const [{ to, f }] = air.splice(i, 1);
      if (rnd() < loss) continue;
      if (rnd() < dup) air.push({ to, f });
      if (to === 'sta') {
        const r = sup.receive(f);
        expect(r.failure, r.failure?.message).toBeUndefined();
        for (const k of r.install) {
          // KRACK invariant: never the same key twice for the same slot kind.
          const slot = `${k.kind}`;
          expect(installedBy.get(slot)).not.toBe(k.key.toString('hex'));
          installedBy.set(slot, k.key.toString('hex'));
          installs.push(k);
        }
        for (const t of r.tx) air.push({ to: 'ap', f: t });
      } else {
        const r = auth.receive(f);
        expect(r.failure, r.failure?.message).toBeUndefined();
        for (const t of r.tx) air.push({ to: 'sta', f: t });
        if (r.event === want) return 'ok';
      }
    }
    throw new Error(`seed ${seed}: exchange did not settle`);
  };

  const outcomes: Outcome[] = [];
  const check = () => {
    const last = (kind: string) => [...installs].reverse().find((k) => k.kind === kind)?.key;
    expect(last('pairwise')?.equals(auth.ptk!.tk), `seed ${seed} TK`).toBe(true);
    expect(last('group')?.equals(auth.gtk.key), `seed ${seed} GTK`).toBe(true);
    if (mfp) expect(last('igtk')).toBeDefined();
    expect(sup.material()!.kck.equals(auth.ptk!.kck)).toBe(true);
  };
  outcomes.push(exchange(auth.start(), '4way-complete'));
  if (outcomes[0] !== 'ok') return { outcomes, installs };
  check();
  outcomes.push(exchange(auth.startGroupRekey({ key: bytes(16), idx: 2 }), 'group-complete'));
  if (outcomes[1] !== 'ok') return { outcomes, installs };
  check();
  outcomes.push(exchange(auth.startPtkRekey(), 'ptk-rekeyed'));
  if (outcomes[2] === 'ok') check();
  return { outcomes, installs };
}

describe('supplicant vs authenticator, seeded random channel', () => {
  it('3000 runs: equal keys whenever the authenticator completes; otherwise it gave up after its retries', () => {
    let complete = 0;
    let gaveUp = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const { outcomes } = run(seed);
      if (outcomes.length === 3 && outcomes.every((o) => o === 'ok')) complete++;
      else gaveUp++;
    }
    // Both kinds of ending must actually occur, or the channel is not testing anything.
    expect(complete).toBeGreaterThan(1500);
    expect(gaveUp).toBeGreaterThan(10);
  });
});
