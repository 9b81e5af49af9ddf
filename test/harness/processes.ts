/**
 * The two daemons the integration tests run: the reference wpa_supplicant 2.10
 * (wired driver on a veth) and wpa-offloadd (`dist/bundle/wpa-offloadd`),
 * each started with the same wpa_supplicant-style flags and awaited until its
 * control socket answers PING.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WpaCtrl, WpaCtrlError } from '../../src/client/wpa-ctrl.js';
import type { Cleanup } from './cleanup.js';
import { WPA_SUPPLICANT } from './tools.js';

export class DaemonStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DaemonStartError';
  }
}

/** A child process whose output is kept for failure messages. */
export class ManagedProcess {
  readonly child: ChildProcess;
  private out = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly label: string, cmd: string, args: string[], cleanup: Cleanup, env?: NodeJS.ProcessEnv) {
    this.child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    const keep = (b: Buffer): void => {
      this.out = (this.out + b.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((res) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        res(this.exitInfo);
      });
      this.child.on('error', (e) => {
        keep(Buffer.from(String(e)));
        this.exitInfo = { code: -1, signal: null };
        res(this.exitInfo);
      });
    });
    cleanup.add(
      () => this.stop(),
      () => this.kill('SIGKILL'),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get output(): string {
    return this.out;
  }

  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo;
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exitInfo && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, signal);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exitInfo) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The exit status, or 'still running' if the process has not exited within `ms`. */
export async function exitedWithin(
  proc: ManagedProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((res) => {
    timer = setTimeout(() => res('still running'), ms);
  });
  try {
    return await Promise.race([proc.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `daemon`, run at -d (either daemon), has taken the ATTACH of the
 * wpa_ctrl client with process id `clientPid` on its first socket
 * (/tmp/wpa_ctrl_PID-1): both print `CTRL_IFACE monitor attached PATH` then.
 * The client's socket file alone says less: its ATTACH may not have been
 * taken yet, and an event sent before it is lost to the monitor.
 */
export function monitorAttached(daemon: RunningDaemon, clientPid: number | undefined): boolean {
  return daemon.proc.output.includes(`CTRL_IFACE monitor attached /tmp/wpa_ctrl_${clientPid}-1`);
}

/**
 * Waits until `ctrlPath` exists and answers PING with PONG. Fails early, with
 * the process output, if the process exits first.
 */
export async function waitForCtrl(proc: ManagedProcess, ctrlPath: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'socket not created';
  while (Date.now() < deadline) {
    if (proc.exitStatus) {
      throw new DaemonStartError(
        `${proc.label} exited (${JSON.stringify(proc.exitStatus)}) before ${ctrlPath} answered:\n${proc.output}`,
      );
    }
    if (existsSync(ctrlPath)) {
      try {
        const c = await WpaCtrl.open(ctrlPath);
        try {
          const r = await c.request('PING', 1000);
          if (r.toString() === 'PONG\n') return;
          lastError = `PING answered ${JSON.stringify(r.toString())}`;
        } finally {
          c.close();
        }
      } catch (e) {
        lastError = e instanceof WpaCtrlError ? e.message : String(e);
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new DaemonStartError(`${proc.label}: ${ctrlPath} did not answer within ${timeoutMs} ms (${lastError}):\n${proc.output}`);
}

export interface DaemonOptions {
  ifname: string;
  /** wpa_supplicant.conf path (-c). */
  conf: string;
  /** The ctrl_interface directory the conf names; the socket is ctrlDir/ifname. */
  ctrlDir: string;
  /** -g path of the global control socket, if wanted. */
  global?: string;
  extraArgs?: string[];
}

export interface RunningDaemon {
  proc: ManagedProcess;
  ctrlPath: string;
  globalPath: string | undefined;
  opts: DaemonOptions;
}

async function startAndWait(label: string, cmd: string, args: string[], opts: DaemonOptions, cleanup: Cleanup): Promise<RunningDaemon> {
  const proc = new ManagedProcess(label, cmd, args, cleanup);
  const ctrlPath = `${opts.ctrlDir}/${opts.ifname}`;
  await waitForCtrl(proc, ctrlPath);
  if (opts.global) await waitForCtrl(proc, opts.global);
  return { proc, ctrlPath, globalPath: opts.global, opts };
}

function commonArgs(opts: DaemonOptions): string[] {
  return ['-i', opts.ifname, '-c', opts.conf, ...(opts.global ? ['-g', opts.global] : []), ...(opts.extraArgs ?? [])];
}

/** The reference: `/usr/sbin/wpa_supplicant -Dwired -i <veth> -c <conf> [-g ...]`. */
export function startReference(opts: DaemonOptions, cleanup: Cleanup): Promise<RunningDaemon> {
  return startAndWait('wpa_supplicant', WPA_SUPPLICANT, ['-Dwired', ...commonArgs(opts)], opts, cleanup);
}

/**
 * Where `npm run build` puts the daemon's executable: the launcher of the
 * start-up snapshot that `npm start`, the package's bin and the systemd unit
 * run (scripts/bundle.mjs), so the tests run what users run. Tests run after
 * a build.
 */
export function daemonEntry(): string {
  return resolve(process.cwd(), 'dist/bundle/wpa-offloadd');
}

/** wpa-offloadd under test: `dist/bundle/wpa-offloadd -i ... -c ... [-g ...]`. */
export function startDaemon(opts: DaemonOptions, cleanup: Cleanup): Promise<RunningDaemon> {
  const entry = daemonEntry();
  if (!existsSync(entry)) {
    return Promise.reject(new DaemonStartError(`${entry} is missing: build first (npm run build)`));
  }
  return startAndWait('wpa-offloadd', entry, commonArgs(opts), opts, cleanup);
}
