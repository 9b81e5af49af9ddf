/**
 * A real wpa-offloadd process on a simulated radio, for the station and
 * offload integration tests: temp config, settings and scenario files, the
 * daemon on `-D sim` or `-D ext` attached to a separate wpa-offload-sim
 * process, one attached control client, and the real wpa_cli.
 *
 * Waiting is always for a named event or reply (never a sleep): `mark()`
 * remembers where the event stream is, `wait(re, from)` waits for a matching
 * event after that point.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CtrlClient, startDaemon, tempDir, writeConf, type Daemon } from '../daemon/harness.js';
import { WPA_CLI } from '../harness/tools.js';

export const SIM_MAIN = path.resolve(process.cwd(), 'dist/src/driver/sim/main.js');
export const IFNAME = 'wlan0';
/** Generous: a cell waits for protocol steps, never for wall-clock behaviour. */
export const EVENT_MS = 6_000;

/** Builds the tree once per test file (other helpers' files may not compile; tsc emits anyway). */
export function build(): void {
  spawnSync('npx', ['tsc', '-p', '.'], { cwd: process.cwd(), stdio: 'ignore' });
  if (!fs.existsSync(SIM_MAIN)) throw new Error(`${SIM_MAIN} was not built`);
}

export function kv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export interface RigOptions {
  /** Scenario INI text. */
  scenario: string;
  /** The network blocks (and any globals) of wpa_supplicant.conf, after ctrl_interface. */
  networks: string;
  backend: 'sim' | 'ext';
  /** [offload] settings lines. */
  offload?: string;
  debug?: boolean;
  /** More daemon flags (e.g. -dd, -K). */
  args?: string[];
  /** With backend ext: attach to this socket (a driver the test serves) instead of starting wpa-offload-sim. */
  socket?: string;
}

/** The wpa-offload-sim process behind `-D ext`. */
export class SimProcess {
  proc: ChildProcess | undefined;
  stderr = '';
  constructor(readonly socket: string, readonly scenarioFile: string) {}

  async start(): Promise<void> {
    fs.rmSync(this.socket, { force: true });
    const p = spawn(process.execPath, [SIM_MAIN, '--socket', this.socket, '--scenario', this.scenarioFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    // Its own word that it listens: the socket file exists from bind(), a
    // moment before listen(), and a connect in between is refused.
    await new Promise<void>((resolve, reject) => {
      const take = (d: Buffer): void => {
        this.stderr += d.toString();
        if (this.stderr.includes('wpa-offload-sim: serving')) resolve();
      };
      p.stdout?.on('data', take);
      p.stderr?.on('data', take);
      p.once('exit', (code) => reject(new Error(`wpa-offload-sim exited (${code}): ${this.stderr}`)));
    });
  }

  /** SIGKILL: the driver process dies without a goodbye. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  }
}

export class Rig {
  readonly dir: string;
  readonly ctrlDir: string;
  readonly scenarioFile: string;
  daemon!: Daemon;
  sim: SimProcess | undefined;
  ctrl!: CtrlClient;
  private waiters: (() => void)[] = [];

  constructor(readonly opts: RigOptions) {
    this.dir = tempDir('st');
    this.ctrlDir = path.join(this.dir, 'ctrl');
    this.scenarioFile = path.join(this.dir, 'scenario.ini');
  }

  static async start(opts: RigOptions): Promise<Rig> {
    const r = new Rig(opts);
    try {
      await r.startAll();
    } catch (e) {
      // The caller never gets the rig to stop: a daemon (and simulator) left running would outlive the test run.
      await r.stop();
      throw e;
    }
    return r;
  }

  private async startAll(): Promise<void> {
    fs.writeFileSync(this.scenarioFile, this.opts.scenario);
    const conf = path.join(this.dir, 'wpa_supplicant.conf');
    writeConf(conf, `ctrl_interface=${this.ctrlDir}\n${this.opts.networks}`);
    const settings = path.join(this.dir, 'settings.ini');
    fs.writeFileSync(settings, `[offload]\n${this.opts.offload ?? 'offload_wait_ms = 300\nauth_timeout_ms = 10000\n'}`);
    let driverArgs: string[];
    if (this.opts.backend === 'ext' && this.opts.socket) {
      driverArgs = ['-D', 'ext', '-p', `socket=${this.opts.socket}`];
    } else if (this.opts.backend === 'ext') {
      this.sim = new SimProcess(path.join(this.dir, 'fw.sock'), this.scenarioFile);
      await this.sim.start();
      driverArgs = ['-D', 'ext', '-p', `socket=${this.sim.socket}`];
    } else {
      driverArgs = ['-D', 'sim', '-p', `scenario=${this.scenarioFile}`];
    }
    this.daemon = startDaemon(['-i', IFNAME, '-c', conf, '--settings', settings, ...driverArgs, ...(this.opts.debug ? ['-d'] : []), ...(this.opts.args ?? [])]);
    await this.daemon.ready();
    // Before the driver said hello the interface is INTERFACE_DISABLED: start from a live driver.
    await this.waitOutput(/: driver (sim|ext) up, own address/);
    this.ctrl = new CtrlClient(path.join(this.ctrlDir, IFNAME), path.join(this.dir, 'mon'));
    this.ctrl.sock.on('message', () => {
      for (const w of this.waiters.splice(0)) w();
    });
    // Events start flowing only after ATTACH; the daemon begins scanning at once,
    // so callers wait for events from index 0 (everything since ATTACH).
    const r = await this.ctrl.req('ATTACH');
    if (r !== 'OK\n') throw new Error(`ATTACH: ${r}`);
  }

  /** Waits for the daemon's own log output (stdout) to match `re` after character `from`. */
  async waitOutput(re: RegExp, from = 0, ms = EVENT_MS): Promise<void> {
    const d = this.daemon;
    if (re.test(d.output.slice(from))) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!re.test(d.output.slice(from))) return;
        done();
        resolve();
      };
      const t = setTimeout(() => {
        done();
        reject(new Error(`daemon output never matched ${re}:\n${d.output.slice(-3000)}`));
      }, ms);
      const done = (): void => {
        clearTimeout(t);
        d.proc.stdout?.off('data', check);
        d.proc.stderr?.off('data', check);
      };
      d.proc.stdout?.on('data', check);
      d.proc.stderr?.on('data', check);
    });
  }

  /**
   * Waits for the simulator's view (SIM_STATUS) to satisfy `ok`. The daemon
   * reports completion when it sends msg 4/4; the simulated AP installs its
   * keys when that frame arrives one air delay later, so its view is read
   * until it agrees (or the deadline fails the test with the last answer).
   */
  async simUntil(ok: (s: Record<string, string>) => boolean, ms = EVENT_MS): Promise<Record<string, string>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = await this.simStatus();
      if (ok(s)) return s;
      if (Date.now() > deadline) return s;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Where the event stream is now. */
  mark(): number {
    return this.ctrl.events.length;
  }

  /** The first event after `from` matching `re` (events come as "<3>TEXT"). */
  async wait(re: RegExp, from = 0, ms = EVENT_MS): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.ctrl.events.slice(from).find((e) => re.test(e));
      if (hit) return hit.replace(/^<\d+>/, '');
      if (Date.now() > deadline || this.daemon.proc.exitCode !== null) {
        throw new Error(`no event ${re} after #${from}; events: ${JSON.stringify(this.ctrl.events.slice(from).map((e) => e.replace(/^<\d+>/, '')))}\n--- daemon output:\n${this.daemon.output.slice(-4000)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Events after `from`, without the level prefix. */
  eventsFrom(from: number): string[] {
    return this.ctrl.events.slice(from).map((e) => e.replace(/^<\d+>/, ''));
  }

  req(cmd: string): Promise<string> {
    return this.ctrl.req(cmd);
  }

  async status(): Promise<Record<string, string>> {
    return kv(await this.req('STATUS'));
  }

  async offload(): Promise<Record<string, string>> {
    return kv(await this.req('OFFLOAD_STATUS'));
  }

  async simStatus(): Promise<Record<string, string>> {
    return kv(await this.req('DRIVER SIM_STATUS'));
  }

  /** The real wpa_cli against this daemon's control directory. */
  cli(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(WPA_CLI, ['-p', this.ctrlDir, '-i', IFNAME, ...args], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`wpa_cli ${args.join(' ')}: ${err.message} ${stderr}`));
        else resolve(stdout);
      });
    });
  }

  async stop(): Promise<void> {
    this.ctrl?.close();
    await this.daemon?.stop();
    await this.sim?.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A scenario's [sim] section with small air delays, so the suite stays fast. */
export function simSection(seed: number, extra = ''): string {
  return `[sim]\nseed = ${seed}\nair_delay_ms = 1\nscan_delay_ms = 5\neapol_timeout_ms = 400\neapol_retries = 3\n${extra}\n`;
}

export function pskNetwork(ssid: string, passphrase: string, extra = ''): string {
  return `network={\n\tssid="${ssid}"\n\tpsk="${passphrase}"\n\tkey_mgmt=WPA-PSK\n${extra}}\n`;
}
