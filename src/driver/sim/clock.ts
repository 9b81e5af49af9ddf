/**
 * Time for the simulator. Air delays, EAPOL retransmissions, rekey intervals
 * and the scenario timeline all run on a Clock, so tests can replace real
 * time with a ManualClock and step through a scenario without waiting.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  after(ms: number, fn: () => void): TimerHandle;
}

export const realClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** Virtual time: nothing happens until advance() moves the clock. */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void; live: boolean }[] = [];

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => { timer.live = false; } };
  }

  /** Runs every timer due within `ms` from now, in time order, including ones they schedule. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((x) => x.live);
      const next = this.timers.reduce<(typeof this.timers)[number] | undefined>(
        (a, x) => (x.at <= end && (!a || x.at < a.at || (x.at === a.at && x.seq < a.seq)) ? x : a),
        undefined,
      );
      if (!next) break;
      next.live = false;
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }
}
