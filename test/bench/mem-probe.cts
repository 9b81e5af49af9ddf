/**
 * Loaded into a measured process with `node --require .../mem-probe.cjs`
 * (NODE_OPTIONS for wpa-offloadd): CommonJS, because a process started from
 * a V8 start-up snapshot (the daemon) runs --require modules but not --import ones. on
 * SIGUSR2 it runs a full garbage collection and writes the process's memory
 * (RSS, peak RSS, V8 heap used/total, code space, external and array
 * buffers) as one JSON line to the file named by $WPA_OFFLOADD_MEM_PROBE.
 * Benchmark-only: the daemon never loads it on its own. After a GC, heap
 * used is what the process holds, so a leak shows as growth between samples.
 * $WPA_OFFLOADD_MEM_PROBE_V8_FLAGS (e.g. "--no-opt --no-sparkplug") is set
 * when the probe loads: the soak's control arm, where V8
 * compiles nothing, so growth there is data the daemon keeps, not machine code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

const out = process.env.WPA_OFFLOADD_MEM_PROBE;
if (out) {
  v8.setFlagsFromString('--expose-gc');
  if (process.env.WPA_OFFLOADD_MEM_PROBE_V8_FLAGS) v8.setFlagsFromString(process.env.WPA_OFFLOADD_MEM_PROBE_V8_FLAGS);
  const gc = vm.runInNewContext('gc') as () => void;
  process.on('SIGUSR2', () => {
    gc();
    const m = process.memoryUsage();
    const code = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'code_space');
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    writeFileSync(
      out,
      `${JSON.stringify({ rss: m.rss, hwm: kb('VmHWM'), heapUsed: m.heapUsed, heapTotal: m.heapTotal, code: code?.space_used_size ?? 0, external: m.external, arrayBuffers: m.arrayBuffers })}\n`,
    );
  });
}
