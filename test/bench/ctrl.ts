/**
 * Control-interface throughput: PING and STATUS round trips with 1 and 8
 * concurrent clients, wpa-offloadd and the reference wpa_supplicant 2.10
 * measured side by side in one run, plus the daemon's idle RSS. Prints; never
 * asserts (targets from issue 2: >= 1.1x wpa_supplicant in all four cases,
 * idle RSS <= 60 MB).
 */
import { readFileSync } from 'node:fs';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { IP, TestEnv, WPA_SUPPLICANT, ctrlConf, requireRoot, requireTools, type RunningDaemon } from '../harness/index.js';

const RUN_MS = 1500;
const WARMUP_MS = 200;
const TARGET_RATIO = 1.1;
const TARGET_RSS_MB = 60;

/** Round trips per second with `clients` clients each doing one request at a time. */
async function measure(ctrlPath: string, command: string, clients: number): Promise<number> {
  const conns = await Promise.all(Array.from({ length: clients }, () => WpaCtrl.open(ctrlPath)));
  try {
    const loop = async (c: WpaCtrl, until: number): Promise<number> => {
      let n = 0;
      while (Date.now() < until) {
        await c.request(command);
        n++;
      }
      return n;
    };
    const warm = Date.now() + WARMUP_MS;
    await Promise.all(conns.map((c) => loop(c, warm)));
    const start = process.hrtime.bigint();
    const end = Date.now() + RUN_MS;
    const counts = await Promise.all(conns.map((c) => loop(c, end)));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return counts.reduce((a, b) => a + b, 0) / seconds;
  } finally {
    for (const c of conns) c.close();
  }
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const fmt = (n: number, w = 10): string => n.toFixed(0).padStart(w);

export async function benchCtrl(): Promise<void> {
  console.log('\n== ctrl: control-interface round trips (wpa-offloadd vs wpa_supplicant 2.10) ==');
  try {
    if (!(requireTools(WPA_SUPPLICANT, IP) && requireRoot())) return;
  } catch (e) {
    console.log(`ctrl bench not run: ${(e as Error).message}`);
    return;
  }
  const env = new TestEnv();
  try {
    const veth = env.veth();
    const start = async (tag: 'ref' | 'dut'): Promise<RunningDaemon> => {
      const ctrlDir = env.path(`${tag}-ctl`);
      const conf = env.writeConf(`${tag}.conf`, ctrlConf(ctrlDir));
      const opts = { ifname: veth.name, conf, ctrlDir };
      return tag === 'ref' ? env.startReference(opts) : env.startDaemon(opts);
    };
    const ref = await start('ref');
    const dut = await start('dut');
    await new Promise((r) => setTimeout(r, 500));
    const idleBefore = rssMb(dut.proc.pid);

    console.log(`${'case'.padEnd(16)}${'wpa_supplicant'.padStart(16)}${'wpa-offloadd'.padStart(16)}${'ratio'.padStart(8)}  target`);
    for (const command of ['PING', 'STATUS']) {
      for (const clients of [1, 8]) {
        const r = await measure(ref.ctrlPath, command, clients);
        const d = await measure(dut.ctrlPath, command, clients);
        const ratio = d / r;
        const verdict = ratio >= TARGET_RATIO ? 'met' : 'NOT met';
        console.log(
          `${`${command} x${clients}`.padEnd(16)}${fmt(r, 12)} r/s${fmt(d, 12)} r/s${ratio.toFixed(2).padStart(8)}  >= ${TARGET_RATIO}x ${verdict}`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    const idleAfter = rssMb(dut.proc.pid);
    const rssVerdict = Math.max(idleBefore, idleAfter) <= TARGET_RSS_MB ? 'met' : 'NOT met';
    console.log(
      `wpa-offloadd idle RSS: ${idleBefore.toFixed(1)} MB at start, ${idleAfter.toFixed(1)} MB after the runs (target <= ${TARGET_RSS_MB} MB: ${rssVerdict}); ` +
        `wpa_supplicant: ${rssMb(ref.proc.pid).toFixed(1)} MB`,
    );
  } finally {
    await env.cleanup();
  }
}
