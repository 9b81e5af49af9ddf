/**
 * Soak, compressed in time on the simulator: per simulated minute, 6 scans
 * (one every 10 s), one group rekey answered by the host and 600 STATUS
 * requests (10 Hz), back to back; SOAK_HOURS simulated hours (default 24).
 * The daemon runs as users start it, with test/bench/mem-probe.ts: heap used
 * after a full GC and RSS are sampled every simulated hour. "No growth after
 * warm-up" compares the last sample with the one after the first hour.
 * Printed, never asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { TestEnv } from '../harness/index.js';
import { addSummaryRow } from './summary.js';
import { daemonEntry } from '../harness/processes.js';
import { describeMem, memSample, mib, probeEnv, timeToPong, type MemSample } from './startup.js';

export async function benchSoak(): Promise<void> {
  const hours = Number(process.env.SOAK_HOURS ?? 24);
  console.log(`\n== soak: ${hours} simulated hours (scan every 10 s, group rekey every minute, STATUS at 10 Hz) ==`);
  const env = new TestEnv();
  try {
    // conf/sim.ini without air or scan delays: time is compressed, the work is not.
    const scenario = env.writeConf('soak-sim.ini', readFileSync('conf/sim.ini', 'utf8').replace(/^(air|scan)_delay_ms = \d+$/gm, '$1_delay_ms = 0'));
    const ctrlDir = env.path('soak-ctl');
    const conf = env.writeConf('soak.conf', readFileSync('conf/wpa_supplicant.conf', 'utf8').replace(/^ctrl_interface=.*$/m, `ctrl_interface=${ctrlDir}`));
    const settings = env.path('soak.ini');
    writeFileSync(settings, '[log]\nlevel = ERROR\n');
    const file = env.path('soak-mem.json');
    const d = await timeToPong(
      daemonEntry(),
      ['-i', 'soak0', '-c', conf, '-D', 'sim', '-p', `scenario=${scenario}`, '--settings', settings],
      `${ctrlDir}/soak0`,
      probeEnv(file),
    );
    env.cleanupSteps.add(() => void d.proc.kill('SIGTERM'));
    const ctrl = await WpaCtrl.open(`${ctrlDir}/soak0`);
    env.cleanupSteps.add(() => ctrl.close());
    for (let i = 0; i < 100 && !(await ctrl.request('STATUS')).toString().includes('wpa_state=COMPLETED'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const samples: MemSample[] = [await memSample(d.proc.pid!, file)];
    const t0 = Date.now();
    for (let h = 0; h < hours; h++) {
      for (let m = 0; m < 60; m++) {
        await ctrl.request('DRIVER SIM_GTK_REKEY host');
        for (let s = 0; s < 6; s++) {
          await ctrl.request('SCAN');
          for (let k = 0; k < 100; k++) await ctrl.request('STATUS');
        }
      }
      samples.push(await memSample(d.proc.pid!, file));
    }
    const status = (await ctrl.request('STATUS')).toString();
    console.log(`${hours} simulated hours in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${/wpa_state=\w+/.exec(status)?.[0]}`);
    console.log(describeMem('after start-up', samples[0]!));
    if (samples.length > 1) console.log(describeMem('after 1 simulated hour (warm-up)', samples[1]!));
    console.log(describeMem(`after ${hours} simulated hours`, samples.at(-1)!));
    console.log(`heap used per hour (MiB): ${samples.map((s) => mib(s.heapUsed)).join(' ')}`);
    console.log(`RSS per hour (MiB):       ${samples.map((s) => mib(s.rss)).join(' ')}`);
    if (samples.length > 2) {
      const warm = samples[1]!;
      const last = samples.at(-1)!;
      const growth = last.heapUsed - warm.heapUsed;
      // 256 KiB: the GC's own granularity; a leak of one object per request would be megabytes here.
      addSummaryRow({ what: `soak ${hours} h: heap used growth after warm-up`, value: growth / 1024, unit: 'KiB', goal: '<= 256 KiB', met: growth <= 256 * 1024 });
      addSummaryRow({ what: `soak ${hours} h: RSS growth after warm-up`, value: (last.rss - warm.rss) / 1024 / 1024, unit: 'MiB', goal: '' });
    }
  } finally {
    await env.cleanup();
  }
}
