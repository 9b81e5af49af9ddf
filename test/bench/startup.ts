/**
 * Start-up and memory against the floor of Node.js itself (the performance
 * issue's goals), every yardstick measured in the same run:
 * - exec to exit of a bare `node -e 0`, of `wpa-offloadd -v` and `-h`, and
 *   the CPU time of a bare Node.js (the goal is exec to the first PONG, wall
 *   time as the issue measured it; CPU is the stricter reading printed
 *   beside it, which the machine's load moves less);
 * - exec to the first PONG on the control socket, wpa-offloadd (as users
 *   start it: dist/bundle/wpa-offloadd, the start-up snapshot's launcher) and wpa_supplicant 2.10
 *   (-Dwired on a veth), the client polling the socket every millisecond;
 * - idle RSS, peak RSS and V8 heap of wpa-offloadd and of a bare idle Node.js
 *   with the same flags (test/bench/mem-probe.ts reads them after a full GC),
 *   then of wpa-offloadd holding 1000 BSSes (-D ext: the simulated radio in
 *   its own process) after 1000 PMKSA_ADDs.
 * Rounds alternate the commands so that background load hits all alike; the
 * medians are printed. Never asserts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { createDgramSocket } from '../../src/net/dgram.js';
import { IP, TestEnv, WPA_SUPPLICANT, requireRoot, requireTools } from '../harness/index.js';
import { daemonEntry } from '../harness/processes.js';
import { cpuNs } from './cpu-time.js';
import { scanUntilBsses } from './scan-fill.js';
import { addRatioRow, addSummaryRow } from './summary.js';

/** Rounds (STARTUP_ROUNDS, default 31): a start's CPU moves by ±30 % from round to round on a 2-core machine, and 15 rounds left the median ±0.05x. */
const ROUNDS = Number(process.env.STARTUP_ROUNDS) || 31;
const MiB = 1024 * 1024;
/** The daemon's V8 flags (V8_FLAGS in scripts/bundle.mjs): bare Node.js gets them too, so the two compare alike. */
const NODE_FLAGS = ['--max-semi-space-size=1', '--compact-on-every-full-gc'];
const PROBE = fileURLToPath(new URL('./mem-probe.cjs', import.meta.url));

export interface MemSample {
  rss: number;
  hwm: number;
  heapUsed: number;
  heapTotal: number;
  code: number;
  external: number;
  arrayBuffers: number;
  threads: number;
  /** Per V8 heap space: resident and used bytes. */
  spaces: Record<string, { resident: number; used: number }>;
  /** Resident bytes by kind of mapping (mem-probe.cts). */
  mappings: Record<string, number>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const elapsedMs = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * CPU time (ms, all threads) of a bare Node.js that runs nothing, as the
 * process reads it itself on its way out (getrusage: every thread so far):
 * the yardstick of the start-up goal's CPU reading (wall time follows the
 * machine's load). `node -e 0` plus the reading and one write(2).
 */
function bareNodeCpu(): Promise<number> {
  const p = spawn(process.execPath, ['-e', "const u = process.cpuUsage(); require('fs').writeSync(1, String(u.user + u.system))"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    p.once('error', reject);
    p.once('close', (code) => (code === 0 ? resolve(Number(out) / 1000) : reject(new Error(`bare node exited ${code}`))));
  });
}

/** Exec to exit, in ms. */
function timeToExit(cmd: string, args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const p = spawn(cmd, args, { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    p.once('error', reject);
    p.once('exit', () => resolve(elapsedMs(t0)));
  });
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

/**
 * Exec to the first PONG on `ctrlPath`, in ms: PING every millisecond once the
 * socket file exists, as a script waiting for the daemon would (wpa_cli ping
 * in a loop, minus wpa_cli's own start-up). The process is left running.
 */
export async function timeToPong(
  cmd: string,
  args: string[],
  ctrlPath: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ ms: number; cpuMs: number; proc: ChildProcess }> {
  const me = `/tmp/wpa_ctrl_${process.pid}-startup`;
  rmSync(me, { force: true });
  const sock = createDgramSocket();
  sock.on('error', () => undefined); // ECONNREFUSED while the daemon binds: try again
  sock.bind(me);
  const ping = Buffer.from('PING');
  const t0 = process.hrtime.bigint();
  const proc = spawn(cmd, args, { stdio: 'ignore', env: env ?? process.env });
  try {
    let cpuMs = 0;
    const ms = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        if (!existsSync(ctrlPath)) return;
        try {
          sock.sendto(ping, 0, ping.length, ctrlPath);
        } catch {
          // not bound yet
        }
      }, 1);
      sock.on('message', (m: Buffer) => {
        if (m.toString() !== 'PONG\n') return;
        // At once: the process goes on starting after its first PONG.
        cpuMs = cpuNs(proc.pid!) / 1e6;
        clearInterval(timer);
        resolve(elapsedMs(t0));
      });
      proc.once('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`${cmd} exited (${code}) before it answered PING`));
      });
    });
    return { ms, cpuMs, proc };
  } catch (e) {
    await stop(proc);
    throw e;
  } finally {
    sock.close();
    rmSync(me, { force: true });
  }
}

/** Asks the process's mem-probe for a sample (after a full GC). */
export async function memSample(pid: number, file: string): Promise<MemSample> {
  rmSync(file, { force: true });
  // SIGUSR2's default action ends the process: send it only once the probe
  // has its listener (a loaded machine can take longer to get there).
  for (let i = 0; i < 400 && !catchesSigusr2(pid); i++) await new Promise((r) => setTimeout(r, 10));
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => setTimeout(r, 10));
    if (existsSync(file) && statSync(file).size > 0) {
      const text = readFileSync(file, 'utf8');
      if (text.endsWith('\n')) return JSON.parse(text) as MemSample;
    }
  }
  throw new Error(`no memory sample from ${pid}`);
}

/** Whether the process has a handler for SIGUSR2 (bit 12 of SigCgt in /proc/PID/status). */
function catchesSigusr2(pid: number): boolean {
  const caught = /^SigCgt:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return caught !== undefined && (BigInt(`0x${caught}`) & (1n << 11n)) !== 0n;
}

export const mib = (b: number): string => (b / MiB).toFixed(1);

export function describeMem(label: string, m: MemSample): string {
  return `${label.padEnd(44)} RSS ${mib(m.rss).padStart(5)}  peak ${mib(m.hwm).padStart(5)}  heap used ${mib(m.heapUsed).padStart(5)} of ${mib(m.heapTotal).padStart(5)}  code ${mib(m.code).padStart(4)}  external ${mib(m.external).padStart(4)} MiB`;
}

/** Where a sample's RSS is: by mapping, and the V8 heap's spaces (resident/used), in MiB. */
export function describeRssBreakdown(m: MemSample): string {
  const maps = Object.entries(m.mappings)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${mib(v)}`)
    .join(', ');
  const spaces = Object.entries(m.spaces)
    .filter(([, s]) => s.resident > 0)
    .map(([k, s]) => `${k.replace(/_space$/, '')} ${mib(s.resident)}/${mib(s.used)}`)
    .join(', ');
  return `    by mapping: ${maps}\n    V8 spaces resident/used: ${spaces}; ${m.threads} threads`;
}

/** A process started with the mem-probe (through NODE_OPTIONS, which reaches the node under the daemon's launcher), for memory samples. */
export function probeEnv(file: string): NodeJS.ProcessEnv {
  return { ...process.env, WPA_OFFLOADD_MEM_PROBE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PROBE}` };
}

async function bareNodeIdle(file: string): Promise<MemSample> {
  const p = spawn(process.execPath, [...NODE_FLAGS, '--require', PROBE, '-e', 'setInterval(() => undefined, 2 ** 30)'], {
    stdio: 'ignore',
    env: probeEnv(file),
  });
  try {
    await new Promise((r) => setTimeout(r, 500));
    return await memSample(p.pid!, file);
  } finally {
    await stop(p);
  }
}

async function startupTimes(env: TestEnv, ifname: string, haveRef: boolean): Promise<void> {
  const dutDir = env.path('dut-ctl');
  const refDir = env.path('ref-ctl');
  const dutConf = env.writeConf('dut.conf', `ctrl_interface=${dutDir}\n`);
  const refConf = env.writeConf('ref.conf', `ctrl_interface=${refDir}\n`);
  const daemon = daemonEntry();
  const t: Record<string, number[]> = { bare: [], v: [], h: [], dut: [], ref: [] };
  /** CPU time (ms, all threads) each daemon had used when its first PONG came: the load-proof figure. */
  const cpu: Record<'bare' | 'dut' | 'ref', number[]> = { bare: [], dut: [], ref: [] };
  for (let i = 0; i < ROUNDS; i++) {
    t.bare!.push(await timeToExit(process.execPath, ['-e', '0']));
    cpu.bare.push(await bareNodeCpu());
    t.v!.push(await timeToExit(daemon, ['-v']));
    t.h!.push(await timeToExit(daemon, ['-h']));
    const d = await timeToPong(daemon, ['-i', ifname, '-c', dutConf], `${dutDir}/${ifname}`);
    t.dut!.push(d.ms);
    cpu.dut.push(d.cpuMs);
    await stop(d.proc);
    if (haveRef) {
      const r = await timeToPong(WPA_SUPPLICANT, ['-Dwired', '-i', ifname, '-c', refConf], `${refDir}/${ifname}`);
      t.ref!.push(r.ms);
      cpu.ref.push(r.cpuMs);
      await stop(r.proc);
    }
  }
  const bare = median(t.bare!);
  const line = (what: string, ms: number): void =>
    console.log(`${what.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / bare).toFixed(2)}x bare node`);
  console.log(`median of ${ROUNDS} alternating runs; bare = exec to exit of \`node -e 0\``);
  line('bare node -e 0 (exec to exit)', bare);
  line('wpa-offloadd -v (exec to exit)', median(t.v!));
  line('wpa-offloadd -h (exec to exit)', median(t.h!));
  line('wpa-offloadd exec to first PONG', median(t.dut!));
  if (haveRef) line('wpa_supplicant 2.10 exec to first PONG', median(t.ref!));
  const range = (xs: number[]): string => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  console.log(
    `CPU time to the first PONG (all threads, launcher included; median, range): wpa-offloadd ${median(cpu.dut).toFixed(1)} ms (${range(cpu.dut)})` +
      (haveRef ? `, wpa_supplicant ${median(cpu.ref).toFixed(1)} ms (${range(cpu.ref)})` : '') +
      `; bare node, exec to exit: ${median(cpu.bare).toFixed(1)} ms (${range(cpu.bare)})`,
  );
  // Each round's daemon against the same round's bare node: load that drifts between rounds hits both alike.
  const perRound = cpu.dut.map((d, i) => d / cpu.bare[i]!);
  console.log(`CPU to the first PONG over bare node's, per round: median ${median(perRound).toFixed(2)}x (${range(perRound)})`);
  const yard = { name: 'node -e 0', value: bare };
  const dut = median(t.dut!);
  addRatioRow({ what: 'start-up: exec to first PONG', value: dut, unit: 'ms', yardstick: yard }, { atMost: 1.3 });
  addRatioRow({ what: 'start-up: CPU, exec to first PONG', value: median(cpu.dut), unit: 'ms', yardstick: { name: 'node -e 0', value: median(cpu.bare) } }, { atMost: 1.3 });
  for (const [k, name] of [['v', '-v'], ['h', '-h']] as const) {
    addRatioRow({ what: `start-up: ${name} (exec to exit)`, value: median(t[k]!), unit: 'ms', yardstick: yard }, { atMost: 1.2 });
  }
  if (haveRef) {
    const r = median(t.ref!);
    addSummaryRow({ what: 'start-up: exec to first PONG vs wpa_supplicant', value: dut, unit: 'ms', yardstick: { name: 'wpa_supplicant', value: r }, goal: '' });
  }
}

/** Idle, then with 1000 BSSes (-D ext, the simulated radio apart) and 1000 PMKSA_ADDs. */
async function memory(env: TestEnv): Promise<void> {
  const file = env.path('mem.json');
  const bare = await bareNodeIdle(file);
  console.log(describeMem('bare node, idle (same flags)', bare));
  console.log(describeRssBreakdown(bare));

  const ctrlDir = env.path('mem-ctl');
  const conf = env.writeConf('mem.conf', `ctrl_interface=${ctrlDir}\n`);
  const idle = await timeToPong(daemonEntry(), ['-i', 'mem0', '-c', conf], `${ctrlDir}/mem0`, probeEnv(file));
  let idleMem: MemSample;
  try {
    await new Promise((r) => setTimeout(r, 500));
    idleMem = await memSample(idle.proc.pid!, file);
  } finally {
    await stop(idle.proc);
  }
  console.log(describeMem('wpa-offloadd, idle', idleMem));
  console.log(describeRssBreakdown(idleMem));

  const fwSock = env.path('fw.sock');
  const sim = spawn(process.execPath, ['dist/src/driver/sim/main.js', '--socket', fwSock, '--scenario', 'conf/scenarios/scale-1000.ini'], { stdio: 'ignore' });
  env.cleanupSteps.add(() => stop(sim));
  for (let i = 0; i < 400 && !existsSync(fwSock); i++) await new Promise((r) => setTimeout(r, 25));
  const bigDir = env.path('big-ctl');
  // bss_max_count: room for the whole scenario; the network is disabled, so the daemon only scans and caches.
  const bigConf = env.writeConf(
    'big.conf',
    `ctrl_interface=${bigDir}\nbss_max_count=1200\nnetwork={\n\tssid="scale-home"\n\tpsk="scale passphrase"\n\tdisabled=1\n}\n`,
  );
  const settings = env.path('big.ini');
  writeFileSync(settings, '[offload]\npmksa_testing = true\n');
  const big = await timeToPong(
    daemonEntry(),
    ['-i', 'big0', '-c', bigConf, '-D', 'ext', '-p', `socket=${fwSock}`, '--settings', settings],
    `${bigDir}/big0`,
    probeEnv(file),
  );
  let bigMem: MemSample;
  let bsses = 0;
  try {
    const ctrl = await WpaCtrl.open(`${bigDir}/big0`);
    try {
      bsses = await scanUntilBsses(ctrl, 1000);
      for (let i = 0; i < 1000; i++) {
        const aa = `02:00:00:02:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
        const hex = (n: number): string => (i & 0xff).toString(16).padStart(2, '0').repeat(n);
        await ctrl.request(`PMKSA_ADD 0 ${aa} ${hex(16)} ${hex(32)} 43200 86400 2 0`);
      }
    } finally {
      ctrl.close();
    }
    bigMem = await memSample(big.proc.pid!, file);
  } finally {
    await stop(big.proc);
  }
  console.log(describeMem(`wpa-offloadd, ${bsses} BSSes, 1000 PMKSA_ADDs (-D ext)`, bigMem));
  console.log(describeRssBreakdown(bigMem));
  console.log(
    `over bare node: idle +${mib(idleMem.rss - bare.rss)} MiB RSS (heap +${mib(idleMem.heapTotal - bare.heapTotal)}, code +${mib(idleMem.code - bare.code)}, ` +
      `rest +${mib(idleMem.rss - bare.rss - (idleMem.heapTotal - bare.heapTotal))}: code pages of Node.js, the addon, malloc); ` +
      `with 1000 BSSes +${mib(bigMem.rss - bare.rss)} MiB (the PMKSA cache keeps 32 entries, as wpa_supplicant's dot11RSNAConfigPMKSACacheSize)`,
  );
  const yard = (v: number) => ({ name: 'bare node', value: v / MiB });
  addSummaryRow({ what: 'memory: idle RSS', value: idleMem.rss / MiB, unit: 'MiB', yardstick: yard(bare.rss), goal: '<= bare + 5 MiB', met: idleMem.rss <= bare.rss + 5 * MiB });
  addSummaryRow({ what: 'memory: idle peak RSS', value: idleMem.hwm / MiB, unit: 'MiB', yardstick: yard(bare.hwm), goal: '' });
  addSummaryRow({
    what: `memory: RSS, ${bsses} BSSes + 1000 PMKSA_ADD`,
    value: bigMem.rss / MiB,
    unit: 'MiB',
    yardstick: yard(bare.rss),
    goal: '<= bare + 15 MiB',
    met: bigMem.rss <= bare.rss + 15 * MiB,
  });
}

export async function benchStartup(): Promise<void> {
  console.log('\n== start-up and memory (wpa-offloadd vs bare Node.js vs wpa_supplicant 2.10) ==');
  let haveRef = true;
  try {
    haveRef = requireTools(WPA_SUPPLICANT, IP) && requireRoot();
  } catch (e) {
    console.log(`wpa_supplicant not measured: ${(e as Error).message}`);
    haveRef = false;
  }
  // Node.js reads the whole NODE_EXTRA_CA_CERTS bundle before any JavaScript
  // (50 ms of CPU for Debian's, twice the rest of `node -e 0`; RSS too): with
  // it, the yardstick would be that file's parsing, not Node's start-up. The
  // daemon's launcher drops it (scripts/bundle.mjs); bare node must as well.
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS;
  if (extraCerts !== undefined) {
    console.log(`NODE_EXTRA_CA_CERTS (${extraCerts}) removed from every measured process's environment`);
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
  const env = new TestEnv();
  try {
    const ifname = haveRef ? env.veth().name : 'lo';
    await startupTimes(env, ifname, haveRef);
    await memory(env);
  } finally {
    await env.cleanup();
    if (extraCerts !== undefined) process.env.NODE_EXTRA_CA_CERTS = extraCerts;
  }
}
