/**
 * The functions a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file)
 * spent its time in: the top N by self time and by inclusive time (a
 * function counted once per sample however often it is on the stack), with
 * the share of the profile's sampled time. For profiles taken in the radio VM
 * (test/bench/radio.ts's profile notes) as well as on the host.
 *
 * usage: node dist/test/bench/cpuprofile-top.js FILE.cpuprofile [N] [--from MS --to MS] [--windows FILE]
 *   --from/--to: only the samples in that window, in ms from the profile's start.
 *   --windows: only the samples inside the intervals of FILE's `SAMPLE TAG T0 T1 ...`
 *   lines (radio-client.ts's, seconds of CLOCK_MONOTONIC, which V8's profile
 *   timestamps count in microseconds): the measured connections alone.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const opt = (name: string): number | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const windowsAt = args.indexOf('--windows');
const windows: [number, number][] = [];
if (windowsAt >= 0) {
  for (const l of readFileSync(args[windowsAt + 1]!, 'utf8').split('\n')) {
    const f = l.split(' ');
    if (f[0] === 'SAMPLE' && Number(f[3]) > 0) windows.push([Number(f[2]) * 1e6, Number(f[3]) * 1e6]);
  }
  args.splice(windowsAt, 2);
}
const fromMs = opt('--from') ?? 0;
const toMs = opt('--to') ?? Number.POSITIVE_INFINITY;
const [file, nArg] = args;
if (!file) {
  console.error('usage: cpuprofile-top FILE.cpuprofile [N] [--from MS --to MS]');
  process.exit(2);
}
const top = Number(nArg) || 25;
const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of p.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}
const label = (f: CallFrame): string => {
  const where = f.url ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
let t = 0;
for (let i = 0; i < p.samples.length; i++) {
  // a sample's time: the delta to the next one (the last one's is unknown: its own delta)
  t += p.timeDeltas[i] ?? 0;
  const dt = (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0) / 1000;
  if (t / 1000 < fromMs || t / 1000 > toMs) continue;
  if (windowsAt >= 0 && !windows.some(([a, b]) => p.startTime + t >= a && p.startTime + t <= b)) continue;
  const leaf = byId.get(p.samples[i]!)!;
  if (leaf.callFrame.functionName === '(idle)') continue;
  total += dt;
  const l = label(leaf.callFrame);
  self.set(l, (self.get(l) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const name = label(byId.get(id)!.callFrame);
    if (seen.has(name)) continue;
    seen.add(name);
    incl.set(name, (incl.get(name) ?? 0) + dt);
  }
}

const print = (title: string, m: Map<string, number>): void => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
};
console.log(`${file}: ${total.toFixed(1)} ms sampled (not idle) of ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms${windowsAt >= 0 ? ` in ${windows.length} windows` : ''}`);
print('self time', self);
print('inclusive time', incl);
