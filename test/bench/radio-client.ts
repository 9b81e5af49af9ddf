/**
 * The radio bench's control client in the guest (test/bench/radio.ts): one
 * process for the whole step, attached to the station daemon's control
 * socket, driven line by line on stdin by the step's shell (a bash coproc).
 *
 * Why not wpa_cli per command: each wpa_cli start in the guest reads its
 * binary and libraries over 9p (idle time on the guest clock, as long as the
 * host makes it) and execs while the daemon works, and the shell's
 * `tail | grep` waiting for the monitor's line starts three processes more
 * inside the measured interval. Here nothing starts between the command and
 * the event: the same process sends the command and receives the event, both
 * stamped with the guest's monotonic clock, the same way for either daemon.
 *
 * Input lines: `TAG EVENT COMMAND...`: sends COMMAND (as the daemon reads it:
 * `SELECT_NETWORK 0`, not wpa_cli's `select_network 0`), waits (60 s at most)
 * for the first event starting with EVENT received after it was sent, then
 * prints `SAMPLE TAG T0 T1 CPU` (seconds on the guest clock; CPU: the
 * daemon's CPU time in ms between the two, all its threads, from
 * /proc/PID/task/TID/schedstat, or -1), or `SAMPLE TAG FAILED` on a timeout.
 * `-` as TAG waits the same way and prints `DONE` (or `DONE FAILED`); `-` as
 * EVENT waits for the reply only.
 *
 * The kernel's tick: mac80211 sends the Association Request from a timer it
 * sets due at once (ieee80211_mgd_assoc() -> run_again()), which runs at the
 * next tick, so a connection waits 0 to one tick period (4 ms with Debian's
 * CONFIG_HZ=250) depending on where in the period its command went out: the
 * widest spread between samples of either daemon. Given the tick period and
 * the number of samples per step, each measured sample's command goes out at
 * its own phase of the tick period, spread evenly over it ((k + 1/2) / n of
 * the period for the step's k-th sample), the same phases in the same order
 * for every daemon: a sample of the phases instead of whatever phase the
 * step's timing gave. Phases are taken on the monotonic clock, on whose
 * multiples of the period the ticks fall (in kernel traces of the guest the
 * Association Request left 0.02 to 0.3 ms after one); warm-ups go out at
 * once.
 *
 * argv: the control socket path, the daemon's PID file, and optionally the
 * tick period in ns and the samples per step (phases off without them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WpaCtrl, type CtrlEvent } from '../../src/client/wpa-ctrl.js';

const [ctrlPath, pidFile, tickArg, perStepArg] = process.argv.slice(2);
if (!ctrlPath || !pidFile) {
  console.error('usage: radio-client CTRL_PATH PID_FILE [TICK_NS SAMPLES_PER_STEP]');
  process.exit(2);
}
const pid = readFileSync(pidFile, 'utf8').trim();

/** The daemon's CPU time so far, in ns: schedstat's first field (time on a CPU) summed over its threads (V8's too). */
function cpuNs(): number {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    return ns;
  } catch {
    return Number.NaN;
  }
}

const now = (): number => Number(process.hrtime.bigint()) / 1e9;

const tickNs = BigInt(Number(tickArg) || 0);
const perStep = BigInt(Number(perStepArg) || 0);
/** Measured samples so far: the next one's phase. */
let sampled = 0n;
/** A command sent sooner than this after the previous event would still share the CPU with the kernel and AP finishing it. */
const LEAD_NS = 3_000_000n;

/** Until the monotonic clock is at the next sample's phase of the tick period (see above); at once without a period. */
async function atNextPhase(): Promise<void> {
  if (tickNs === 0n || perStep === 0n) return;
  const phase = ((2n * (sampled++ % perStep) + 1n) * tickNs) / (2n * perStep);
  const t = process.hrtime.bigint();
  let at = t - (t % tickNs) + phase;
  while (at < t + LEAD_NS) at += tickNs;
  // a timer to within a millisecond, then the clock itself: timers are not that exact
  await new Promise((resolve) => setTimeout(resolve, Number(at - t) / 1e6 - 1));
  while (process.hrtime.bigint() < at);
}

const ctrl = await WpaCtrl.open(ctrlPath, { clientDir: '/tmp' });
await ctrl.attach();

/** The time at which the wanted event arrived, or undefined after the timeout. */
function waitFor(prefix: string, timeoutMs: number): { arrived: Promise<number | undefined> } {
  let done: (t: number | undefined) => void = () => {};
  const arrived = new Promise<number | undefined>((resolve) => (done = resolve));
  const onEvent = (ev: CtrlEvent): void => {
    if (!ev.text.startsWith(prefix)) return;
    const t = now();
    clearTimeout(timer);
    ctrl.off('event', onEvent);
    done(t);
  };
  const timer = setTimeout(() => {
    ctrl.off('event', onEvent);
    done(undefined);
  }, timeoutMs);
  ctrl.on('event', onEvent);
  return { arrived };
}

async function run(line: string): Promise<string> {
  const [tag, event, ...command] = line.trim().split(/\s+/);
  if (!tag || !event || command.length === 0) return `ERROR bad line: ${line}`;
  // listening before the command goes out: an event may beat the reply
  // Read before the phase wait: reading every thread's schedstat takes the
  // guest longer for a daemon with more threads, which would shift its phases.
  const cpu0 = cpuNs();
  if (tag !== '-' && !tag.startsWith('w-')) await atNextPhase();
  const wait = event === '-' ? { arrived: Promise.resolve(0) } : waitFor(event, 60_000);
  const t0 = now();
  const reply = (await ctrl.request(command.join(' '))).toString().trim();
  if (reply.startsWith('FAIL') || reply.startsWith('UNKNOWN')) return `${tag === '-' ? 'DONE' : `SAMPLE ${tag}`} FAILED: ${command[0]} answered ${reply}`;
  const t1 = await wait.arrived;
  const cpu1 = cpuNs();
  if (tag === '-') return t1 === undefined ? 'DONE FAILED' : 'DONE';
  if (t1 === undefined) return `SAMPLE ${tag} FAILED`;
  const cpuMs = Number.isFinite(cpu1 - cpu0) ? ((cpu1 - cpu0) / 1e6).toFixed(3) : '-1';
  return `SAMPLE ${tag} ${t0.toFixed(6)} ${t1.toFixed(6)} ${cpuMs}`;
}

console.log('READY');
// one line at a time: the shell waits for each answer before it writes the next
for await (const line of createInterface({ input: process.stdin })) {
  console.log(await run(line));
}
ctrl.close();
