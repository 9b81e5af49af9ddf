/**
 * Soak, compressed in time on the simulator: per simulated minute, 6 scans
 * (one every 10 s), one group rekey answered by the host and 600 STATUS
 * requests (10 Hz), back to back; SOAK_HOURS simulated hours (default 24).
 * The daemon runs as users start it, with test/bench/mem-probe.ts: heap used
 * after a full GC, V8 code space and RSS are sampled every simulated hour.
 * "No growth after warm-up" compares the last sample with the one after the
 * first hour.
 *
 * Heap growth here is V8 compiling, not the daemon keeping data: the group
 * rekey path runs 60 times a simulated hour, so its functions reach
 * TurboFan only over hours, and each optimized function adds its machine
 * code, deoptimization data and dependent-code entries (heap snapshots
 * diffed by constructor: all new objects are Code, deopt data and the
 * WeakArrayLists of dependent code; no JS object of the daemon grows). It
 * plateaus near 40 simulated hours (SOAK_HOURS=150 shows it). The control
 * arm proves the split: the same soak with V8's compilers off
 * (--no-opt --no-maglev --no-sparkplug, set by the probe) leaves only the
 * daemon's own data, whose growth is the leak check.
 *
 * SOAK_HEAP_SNAPSHOTS=<dir>: the daemon writes a heap snapshot there after
 * the first simulated hour and at the end (node's --heapsnapshot-signal),
 * for a diff in Chrome DevTools' "Comparison" view (writing one costs the
 * process tens of MiB of RSS: that run's RSS figures mean nothing). Printed,
 * never asserted.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { TestEnv } from '../harness/index.js';
import { addSummaryRow } from './summary.js';
import { daemonEntry } from '../harness/processes.js';
import { describeMem, memSample, mib, probeEnv, timeToPong, type MemSample } from './startup.js';

/** V8's compilers off (TurboFan, Maglev, Sparkplug): the control arm, where only the daemon's data can grow. */
const NO_JIT = '--no-opt --no-maglev --no-sparkplug';
const KiB = 1024;

export async function benchSoak(): Promise<void> {
  const hours = Number(process.env.SOAK_HOURS ?? 24);
  console.log(`\n== soak: ${hours} simulated hours (scan every 10 s, group rekey every minute, STATUS at 10 Hz) ==`);
  const asRun = await soak(hours, 'as users run it', undefined, process.env.SOAK_HEAP_SNAPSHOTS);
  const noJit = await soak(hours, `V8 compilers off (${NO_JIT})`, NO_JIT);
  if (asRun.length > 2) {
    const growth = (s: MemSample[], from: number): number => s.at(-1)!.heapUsed - s[from]!.heapUsed;
    const half = Math.floor(asRun.length / 2);
    console.log(
      `heap growth after warm-up: ${(growth(asRun, 1) / KiB).toFixed(0)} KiB, of which code space ${((asRun.at(-1)!.code - asRun[1]!.code) / KiB).toFixed(0)} KiB; ` +
        `over the second half ${(growth(asRun, half) / KiB).toFixed(0)} KiB; compilers off ${(growth(noJit, 1) / KiB).toFixed(0)} KiB`,
    );
    addSummaryRow({ what: `soak ${hours} h: heap used growth after warm-up`, value: growth(asRun, 1) / KiB, unit: 'KiB', goal: '' });
    addSummaryRow({ what: `soak ${hours} h: the same, 2nd half`, value: growth(asRun, half) / KiB, unit: 'KiB', goal: '' });
    // The leak check. 256 KiB: the GC's own granularity; a leak of one object per request would be megabytes here.
    addSummaryRow({
      what: `soak ${hours} h, V8 compilers off: heap growth after warm-up`,
      value: growth(noJit, 1) / KiB,
      unit: 'KiB',
      goal: '<= 256 KiB',
      met: growth(noJit, 1) <= 256 * KiB,
    });
    addSummaryRow({ what: `soak ${hours} h: RSS growth after warm-up`, value: (asRun.at(-1)!.rss - asRun[1]!.rss) / 1024 / 1024, unit: 'MiB', goal: '' });
  }
}

/** One soak; returns the memory samples: after start-up, then after each simulated hour. */
async function soak(hours: number, label: string, v8Flags?: string, snapshotDir?: string): Promise<MemSample[]> {
  const env = new TestEnv();
  try {
    // conf/sim.ini without air or scan delays: time is compressed, the work is not.
    const scenario = env.writeConf('soak-sim.ini', readFileSync('conf/sim.ini', 'utf8').replace(/^(air|scan)_delay_ms = \d+$/gm, '$1_delay_ms = 0'));
    const ctrlDir = env.path('soak-ctl');
    const conf = env.writeConf('soak.conf', readFileSync('conf/wpa_supplicant.conf', 'utf8').replace(/^ctrl_interface=.*$/m, `ctrl_interface=${ctrlDir}`));
    const settings = env.path('soak.ini');
    writeFileSync(settings, '[log]\nlevel = ERROR\n');
    const file = env.path('soak-mem.json');
    const procEnv = probeEnv(file);
    if (v8Flags) procEnv.WPA_OFFLOADD_MEM_PROBE_V8_FLAGS = v8Flags;
    if (snapshotDir) procEnv.NODE_OPTIONS += ` --heapsnapshot-signal=SIGUSR1 --diagnostic-dir=${snapshotDir}`;
    const d = await timeToPong(
      daemonEntry(),
      ['-i', 'soak0', '-c', conf, '-D', 'sim', '-p', `scenario=${scenario}`, '--settings', settings],
      `${ctrlDir}/soak0`,
      procEnv,
    );
    env.cleanupSteps.add(() => void d.proc.kill('SIGTERM'));
    const ctrl = await WpaCtrl.open(`${ctrlDir}/soak0`);
    env.cleanupSteps.add(() => ctrl.close());
    for (let i = 0; i < 100 && !(await ctrl.request('STATUS')).toString().includes('wpa_state=COMPLETED'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const pid = d.proc.pid!;
    const samples: MemSample[] = [await memSample(pid, file)];
    const t0 = Date.now();
    for (let h = 0; h < hours; h++) {
      for (let m = 0; m < 60; m++) {
        await ctrl.request('DRIVER SIM_GTK_REKEY host');
        for (let s = 0; s < 6; s++) {
          await ctrl.request('SCAN');
          for (let k = 0; k < 100; k++) await ctrl.request('STATUS');
        }
      }
      samples.push(await memSample(pid, file));
      if (snapshotDir && (h === 0 || h === hours - 1)) await heapSnapshot(pid, snapshotDir);
    }
    const status = (await ctrl.request('STATUS')).toString();
    console.log(`-- ${label}: ${hours} simulated hours in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${/wpa_state=\w+/.exec(status)?.[0]}`);
    console.log(describeMem('after start-up', samples[0]!));
    if (samples.length > 1) console.log(describeMem('after 1 simulated hour (warm-up)', samples[1]!));
    console.log(describeMem(`after ${hours} simulated hours`, samples.at(-1)!));
    console.log(`heap used per hour (MiB):  ${samples.map((s) => mib(s.heapUsed)).join(' ')}`);
    console.log(`code space per hour (KiB): ${samples.map((s) => (s.code / KiB).toFixed(0)).join(' ')}`);
    console.log(`RSS per hour (MiB):        ${samples.map((s) => mib(s.rss)).join(' ')}`);
    return samples;
  } finally {
    await env.cleanup();
  }
}

/** Signals the daemon (--heapsnapshot-signal=SIGUSR1) and waits until its snapshot file stops growing. */
async function heapSnapshot(pid: number, dir: string): Promise<void> {
  const size = (): number => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')).reduce((n, f) => n + statSync(`${dir}/${f}`).size, 0);
  const before = size();
  process.kill(pid, 'SIGUSR1');
  let last = -1;
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = size();
    if (now > before && now === last) return;
    last = now;
  }
  throw new Error(`no heap snapshot from ${pid} in ${dir}`);
}
