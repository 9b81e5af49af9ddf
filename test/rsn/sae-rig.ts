/**
 * An in-process air between a SaeStation and a SaeApPeer: frames travel with
 * a delay and may be lost or overtake each other, each side has the one timer
 * its actions arm, and a virtual clock runs until neither has anything left to
 * do. Seeded, so every run can be replayed.
 */
import type { SaeAction } from '../../src/rsn/sae/session.js';
import { prng } from './prng.js';

export interface Party {
  receive(frame: Buffer): SaeAction[];
  timeout(): SaeAction[];
}

export interface AirOptions {
  /** Probability that a frame is lost. */
  loss?: number;
  /** Frames take 1..maxDelayMs ms (uniform), so later frames may arrive first. */
  maxDelayMs?: number;
  seed?: number;
  /** Give up after this much virtual time. */
  limitMs?: number;
}

export interface RunResult {
  sta: SaeAction[];
  ap: SaeAction[];
  /** Frames each side sent, in order. */
  sent: { from: 'sta' | 'ap'; frame: Buffer }[];
  endMs: number;
}


export function runAir(sta: Party, ap: Party, first: SaeAction[], opts: AirOptions = {}): RunResult {
  const rnd = prng(opts.seed ?? 1);
  const loss = opts.loss ?? 0;
  const maxDelay = opts.maxDelayMs ?? 1;
  const limit = opts.limitMs ?? 60_000;
  const inFlight: { at: number; to: 'sta' | 'ap'; frame: Buffer; seq: number }[] = [];
  const timers: Record<'sta' | 'ap', number | undefined> = { sta: undefined, ap: undefined };
  const out: RunResult = { sta: [], ap: [], sent: [], endMs: 0 };
  let now = 0;
  let seq = 0;
  const apply = (who: 'sta' | 'ap', actions: SaeAction[]) => {
    for (const a of actions) {
      out[who].push(a);
      if (a.kind === 'send') {
        out.sent.push({ from: who, frame: a.frame });
        if (rnd() >= loss) inFlight.push({ at: now + 1 + Math.floor(rnd() * maxDelay), to: who === 'sta' ? 'ap' : 'sta', frame: a.frame, seq: seq++ });
      } else if (a.kind === 'timer') timers[who] = now + a.ms;
      else if (a.kind === 'cancel-timer') timers[who] = undefined;
    }
  };
  apply('sta', first);
  for (;;) {
    const nextFrame = inFlight.reduce<number | undefined>((m, f) => (m === undefined || f.at < m ? f.at : m), undefined);
    const candidates = [nextFrame, timers.sta, timers.ap].filter((t): t is number => t !== undefined);
    if (!candidates.length) break;
    now = Math.min(...candidates);
    if (now > limit) break;
    const due = inFlight.filter((f) => f.at === now).sort((a, b) => a.seq - b.seq);
    for (const f of due) {
      inFlight.splice(inFlight.indexOf(f), 1);
      apply(f.to, (f.to === 'sta' ? sta : ap).receive(f.frame));
    }
    for (const who of ['sta', 'ap'] as const) {
      if (timers[who] === now) {
        timers[who] = undefined;
        apply(who, (who === 'sta' ? sta : ap).timeout());
      }
    }
  }
  out.endMs = now;
  return out;
}

export function outcome(actions: SaeAction[]): Extract<SaeAction, { kind: 'accepted' | 'failed' }> | undefined {
  return actions.find((a): a is Extract<SaeAction, { kind: 'accepted' | 'failed' }> => a.kind === 'accepted' || a.kind === 'failed');
}
