/**
 * CPU time of a process, all its threads (V8's GC and compiler threads,
 * libuv's pool), from the kernel's scheduler statistics: what a process
 * costs, which other processes on the same CPUs barely move, unlike the
 * wall-clock figures that the machine's load does.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of every thread of `pid` so far, in ns (schedstat's first field: time on the CPU). */
export function cpuNs(pid: number | string): number {
  const dir = `/proc/${pid}/task`;
  let ns = 0;
  for (const tid of readdirSync(dir)) {
    try {
      ns += Number(readFileSync(`${dir}/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between readdir and read: its time is gone from both readings alike.
    }
  }
  return ns;
}
