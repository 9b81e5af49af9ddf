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
 * The sample also splits the RSS by mapping (/proc/self/smaps) and gives each
 * V8 heap space's resident size, so that a figure says where its memory is.
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
    // V8 hands the pages a compacting collection emptied to a background
    // task that unmaps them: read the memory once that has run, not while
    // it races this read (+1.5 to +2.7 MiB of RSS in some samples).
    setTimeout(() => writeSample(out), 100);
  });
}

/** One JSON line to `file`: the process's memory now. */
function writeSample(file: string): void {
  const m = process.memoryUsage();
  const code = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'code_space');
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { resident: s.physical_space_size, used: s.space_used_size }]));
  writeFileSync(
    file,
    `${JSON.stringify({
      rss: m.rss,
      hwm: kb('VmHWM'),
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      code: code?.space_used_size ?? 0,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN),
      spaces,
      mappings: rssByMapping(readFileSync('/proc/self/smaps', 'utf8')),
    })}\n`,
  );
}

/**
 * Resident bytes by kind of mapping: the node binary's code (r-x) and
 * read-only data (r--, where the built-in start-up snapshot and code cache
 * live), shared libraries, the brk heap (glibc malloc's main arena), anonymous
 * memory (V8's heap pages, the user snapshot's copy, malloc's mmap'ed blocks,
 * thread stacks) and the rest.
 */
function rssByMapping(smaps: string): Record<string, number> {
  const sums: Record<string, number> = {};
  let kind = '';
  for (const line of smaps.split('\n')) {
    const map = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (map) {
      const [, perms, name] = map as unknown as [string, string, string];
      if (name === process.execPath) kind = perms.includes('x') ? 'node code' : perms.includes('w') ? 'node data' : 'node rodata';
      else if (name.startsWith('/')) kind = /\.so(\.|$)/.test(name) ? 'libraries' : name.endsWith('.node') ? 'addons' : 'other files';
      else if (name === '[heap]') kind = 'malloc brk';
      else if (name === '') kind = perms.includes('x') ? 'anonymous code' : 'anonymous';
      else kind = 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sums[kind] = (sums[kind] ?? 0) + Number(rss[1]) * 1024;
  }
  return sums;
}
