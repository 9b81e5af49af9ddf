/**
 * Runs shell steps inside one boot of the radio VM (test/radio/vm-run: Debian's
 * kernel with cfg80211, mac80211 and mac80211_hwsim, in QEMU), and hands back
 * each step's output and exit status.
 *
 * A boot costs ~10-25 s of wall time under TCG, so a test file boots once in
 * `beforeAll` and runs all its steps there; its `it`s then assert on the steps'
 * results:
 *
 *   const vm = await runInVm([{ name: 'phys', script: 'iw phy' }], { radios: 3 }, cleanup);
 *   expect(vm.step('phys').status).toBe(0);
 *
 * Steps run one after another in the same guest, each in its own bash with
 * stderr merged into stdout; a failing step does not stop the next one, but
 * whatever it leaves behind (daemons, namespaces) is still there, so steps
 * clean up after themselves.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Cleanup } from '../harness/cleanup.js';
import { requirePrepared } from '../harness/tools.js';

export const VM_RUN = resolve(process.cwd(), 'test/radio/vm-run');
export const QEMU = '/usr/bin/qemu-system-x86_64';
const CACHE = process.env.WPA_OFFLOADD_RADIO_CACHE ?? '/var/cache/wpa-offloadd-radio';

export interface VmStep {
  name: string;
  /** bash script text; runs as root in the guest, in the host's current directory */
  script: string;
}

export interface StepResult {
  name: string;
  /** the step's exit status; undefined if the VM stopped before the step ended */
  status: number | undefined;
  /** stdout and stderr, interleaved as written */
  output: string;
  /** host wall time (ms since vm-run started) at which the step began and ended */
  beganMs: number;
  endedMs: number | undefined;
  /**
   * guest clock (uptime, s) at the same moments: under icount it counts guest
   * work and real idle time, so it does not depend on the host's load
   */
  guestBeganS: number;
  guestEndedS: number | undefined;
  /** host wall time (ms since vm-run started) of each output line as it arrived */
  lines: { atMs: number; text: string }[];
}

export interface VmRun {
  /** vm-run's exit status: 0 after all steps ran, 124 timeout, 125 VM failure */
  status: number | null;
  steps: StepResult[];
  /** vm-run's stderr (its own messages, the guest console tail on failure) */
  stderr: string;
  /** host wall time from starting vm-run to the first step: the boot */
  bootMs: number | undefined;
  wallMs: number;
  /** the step of that name; throws with the run's diagnostics if it never began */
  step(name: string): StepResult;
}

export interface VmOptions {
  /** mac80211_hwsim radios (vm-run's default: 2) */
  radios?: number;
  /** wall-clock limit for the whole boot, in seconds (vm-run's default: 600) */
  timeoutS?: number;
}

/** The version of the kernel test/radio/setup prepared, or undefined if none is. */
function preparedKernel(): string | undefined {
  try {
    return readFileSync(join(CACHE, 'kver'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Why the radio VM cannot run on this machine, or undefined when it can: qemu
 * and the kernel prepared by test/radio/setup (which .ci/run calls).
 */
export function radioVmMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'the radio VM needs root (it shares the host root with the guest)';
  if (!existsSync(QEMU)) return `${QEMU} is missing (run test/radio/setup, or apt-get install qemu-system-x86)`;
  const kver = preparedKernel();
  if (kver === undefined) return `no kernel prepared in ${CACHE} (run test/radio/setup)`;
  if (!existsSync(join(CACHE, kver, 'root', 'lib', 'modules', kver, 'modules.dep'))) {
    return `kernel ${kver} in ${CACHE} is incomplete (run test/radio/setup)`;
  }
  return undefined;
}

/**
 * The guest kernel's tick period in ns, from CONFIG_HZ in the prepared
 * kernel's config (the radio bench spreads its samples over it:
 * test/bench/radio-client.ts); undefined if the config does not say.
 */
export function guestTickNs(): number | undefined {
  const kver = preparedKernel();
  if (kver === undefined) return undefined;
  try {
    const hz = Number(/^CONFIG_HZ=(\d+)$/m.exec(readFileSync(join(CACHE, kver, 'root', 'boot', `config-${kver}`), 'utf8'))?.[1]);
    return hz > 0 ? Math.round(1e9 / hz) : undefined;
  } catch {
    return undefined;
  }
}

/** Skip (locally) or fail (CI=true) a test file that needs the radio VM. */
export function requireRadioVm(): boolean {
  return requirePrepared(radioVmMissing());
}

/** Boots the VM once, runs `steps` in order, powers it off. */
export async function runInVm(steps: VmStep[], opts: VmOptions, cleanup: Cleanup): Promise<VmRun> {
  const dir = cleanup.tempDir();
  // Frames each step's output in the stream; random so no output can forge one.
  const mark = `@@radio-${randomBytes(6).toString('hex')}`;
  const job: string[] = [];
  steps.forEach((s, i) => {
    if (!/^[\w.-]+$/.test(s.name)) throw new Error(`step name ${JSON.stringify(s.name)}: letters, digits, . _ - only`);
    const file = join(dir, `step-${i}.sh`);
    writeFileSync(file, s.script);
    // markers carry the guest clock (read without starting a process)
    job.push(
      `read -r up rest < /proc/uptime; printf '%s begin %s %s\\n' '${mark}' '${s.name}' $up`,
      `bash ${file} < /dev/null 2>&1`,
      `rc=$?; read -r up rest < /proc/uptime; printf '\\n%s end %s %d %s\\n' '${mark}' '${s.name}' $rc $up`,
    );
  });
  writeFileSync(join(dir, 'job.sh'), job.join('\n') + '\n');

  const args: string[] = [];
  if (opts.radios !== undefined) args.push('--radios', String(opts.radios));
  if (opts.timeoutS !== undefined) args.push('--timeout', String(opts.timeoutS));
  args.push('--', 'bash', join(dir, 'job.sh'));

  const t0 = performance.now();
  const child = spawn(VM_RUN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // vm-run takes its qemu down on SIGTERM
  cleanup.add(
    () => void child.kill('SIGTERM'),
    () => void child.kill('SIGTERM'),
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-20_000);
  });
  // e.g. vm-run missing: 'close' still follows (with a negative errno as status)
  child.on('error', (e) => {
    stderr += `\n${e.message}`;
  });
  const results: StepResult[] = [];
  let current: StepResult | undefined;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (text) => {
    const atMs = performance.now() - t0;
    const [m, what, name, ...rest] = text.split(' ');
    if (m === mark && what === 'begin') {
      current = {
        name,
        status: undefined,
        output: '',
        beganMs: atMs,
        endedMs: undefined,
        guestBeganS: Number(rest[0]),
        guestEndedS: undefined,
        lines: [],
      };
      results.push(current);
    } else if (m === mark && what === 'end' && current) {
      const status = Number(rest[0]);
      current.guestEndedS = Number(rest[1]);
      // the end marker is preceded by a newline of its own: drop the empty line it made
      if (current.lines.at(-1)?.text === '') current.lines.pop();
      current.output = current.lines.map((l) => l.text).join('\n');
      current.status = status;
      current.endedMs = atMs;
      current = undefined;
    } else if (current) {
      current.lines.push({ atMs, text });
    }
  });
  const [status] = await Promise.all([
    new Promise<number | null>((res) => child.on('close', (code) => res(code))),
    new Promise<void>((res) => lines.on('close', res)),
  ]);
  if (current) current.output = current.lines.map((l) => l.text).join('\n');
  const wallMs = performance.now() - t0;
  return {
    status,
    steps: results,
    stderr,
    bootMs: results[0]?.beganMs,
    wallMs,
    step(name: string): StepResult {
      const r = results.find((s) => s.name === name);
      if (!r) throw new Error(`step ${name} never began (vm-run status ${status}):\n${stderr}`);
      return r;
    },
  };
}
