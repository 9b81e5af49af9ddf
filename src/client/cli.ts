#!/usr/bin/env node
/**
 * wpa-offload-cli: a wpa_cli-like tool on the wpa_ctrl client library. Works
 * against wpa-offloadd and wpa_supplicant alike.
 *
 *   wpa-offload-cli [-p DIR] [-i IFNAME] [-g GLOBAL] [-a SCRIPT] [-G SECONDS] [command [args...]]
 *
 * One-shot when a command is given (the reply printed as received, exit 0;
 * 1 for an unknown command, 255 when the daemon cannot be reached, as wpa_cli).
 * Interactive otherwise: readline with history and tab completion (see
 * completion.ts), events from a second, attached connection printed as they
 * arrive, except while a command waits for its reply: those are printed after
 * the reply, as wpa_cli prints them (it reads its monitor socket only between
 * commands). A PING every -G seconds notices a daemon that re-bound its socket
 * or restarted, and both connections are made again.
 * With -a: action mode (see action.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ActionRunner, ActionState } from './action.js';
import { COMMANDS, hasSensitiveData, lookup, splitLine } from './commands.js';
import { CompletionState } from './completion.js';
import { WpaCtrl, WpaCtrlError, WpaCtrlTimeoutError, type CtrlEvent } from './wpa-ctrl.js';

const DEFAULT_CTRL_DIR = '/var/run/wpa_supplicant';
const EXIT_UNREACHABLE = 255;
const HISTORY_FILE = '.wpa-offload-cli_history';
const HISTORY_MAX = 100;

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface Options {
  ctrlDir: string;
  ifname?: string;
  global?: string;
  action?: string;
  pingInterval: number;
  command: string[];
}

const USAGE = `usage: wpa-offload-cli [-p<path to ctrl sockets>] [-i<ifname>] [-g<global ctrl>] [-a<action file>]
        [-G<ping interval>] [-hv] [command..]
  -h = help (show this usage text)
  -v = show version information
  -a = run in daemon mode executing the action file based on events
  default path: ${DEFAULT_CTRL_DIR}
  default interface: first interface found in socket path`;

/** getopt("a:g:G:hi:p:v") with wpa_cli's semantics: options end at the first command word. */
function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const opts: Options = { ctrlDir: DEFAULT_CTRL_DIR, pingInterval: 5, command: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a.length < 2) break;
    const flag = a[1]!;
    if (flag === 'h') return 'help';
    if (flag === 'v') return 'version';
    if (!'agGip'.includes(flag)) throw new UsageError(`unknown option -${flag}`);
    const value = a.length > 2 ? a.slice(2) : argv[++i];
    if (value === undefined) throw new UsageError(`option -${flag} needs a value`);
    if (flag === 'a') opts.action = value;
    if (flag === 'g') opts.global = value;
    if (flag === 'G') opts.pingInterval = Math.max(1, Number.parseInt(value, 10) || 5);
    if (flag === 'i') opts.ifname = value;
    if (flag === 'p') opts.ctrlDir = value;
  }
  opts.command = argv.slice(i);
  return opts;
}

/** wpa_cli's default interface: the first socket file in the directory. */
function defaultIfname(dir: string): string | undefined {
  try {
    for (const name of readdirSync(dir)) {
      if (statSync(join(dir, name)).isSocket()) return name;
    }
  } catch {
    // no directory: no default
  }
  return undefined;
}

interface Target {
  path: string;
  global: boolean;
  /** Set when talking to an interface through the global socket (-g with -i). */
  ifnamePrefix?: string;
  ifname?: string;
}

function resolveTarget(opts: Options): Target {
  if (opts.global) return { path: opts.global, global: true, ifnamePrefix: opts.ifname, ifname: opts.ifname };
  let ifname = opts.ifname;
  if (!ifname) {
    ifname = defaultIfname(opts.ctrlDir);
    if (ifname) process.stdout.write(`Selected interface '${ifname}'\n`);
  }
  if (!ifname) throw new WpaCtrlError(`no interface found in ${opts.ctrlDir}`);
  return { path: join(opts.ctrlDir, ifname), global: false, ifname };
}

/** Every open connection, so a signal can still unlink their socket files. */
const openConns = new Set<WpaCtrl>();

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(sig, () => {
    for (const c of openConns) c.close();
    process.exit(0); // wpa_cli_terminate(): clean up and exit 0
  });
}

async function connect(target: Target): Promise<WpaCtrl> {
  try {
    const c = await WpaCtrl.open(target.path);
    openConns.add(c);
    return c;
  } catch (e) {
    const what = target.global ? 'global interface' : 'interface';
    throw new WpaCtrlError(`Failed to connect to ${what} ${target.path}: ${(e as Error).message}`);
  }
}

/** Builds the request for one command line; a string to print instead when nothing is sent. */
type Planned = { send: string; monitor?: boolean } | { print: string; exitCode: number } | { quit: true };

function planCommand(words: string[], ifnamePrefix?: string): Planned {
  const [word, ...args] = words;
  if (word === undefined) return { print: '', exitCode: 0 };
  const l = lookup(word);
  if (l.kind === 'unknown') return { print: `Unknown command '${word}'\n`, exitCode: 1 };
  if (l.kind === 'ambiguous') {
    return { print: `Ambiguous command '${word}'; possible commands: ${l.candidates.join(' ')}\n`, exitCode: 1 };
  }
  const c = l.command;
  if (args.length < c.minArgs) {
    const s = c.minArgs > 1 ? 's are' : ' is';
    return { print: `Invalid ${c.name.toUpperCase()} command - at least ${c.minArgs} argument${s} required.\n`, exitCode: EXIT_UNREACHABLE };
  }
  if (c.name === 'quit') return { quit: true };
  if (c.name === 'help') return { print: helpText(args[0]), exitCode: 0 };
  if (c.name === 'level') return { send: `LEVEL ${args[0]}`, monitor: true };
  const request = c.build!(args);
  return { send: ifnamePrefix ? `IFNAME=${ifnamePrefix} ${request}` : request };
}

function helpText(only?: string): string {
  return COMMANDS.filter((c) => !only || c.name.startsWith(only.toLowerCase()))
    .map((c) => `  ${c.name} ${c.usage}\n`)
    .join('');
}

/** One request; the reply, or the wpa_cli-style failure line. */
async function requestPrinted(ctrl: WpaCtrl, request: string, interactive: boolean): Promise<number> {
  try {
    const reply = await ctrl.request(request);
    process.stdout.write(reply);
    if (interactive && reply.length > 0 && reply[reply.length - 1] !== 0x0a) process.stdout.write('\n');
    return 0;
  } catch (e) {
    if (e instanceof WpaCtrlTimeoutError) process.stdout.write(`'${request}' command timed out.\n`);
    else process.stdout.write(`'${request}' command failed.\n`);
    return EXIT_UNREACHABLE;
  }
}

async function oneShot(opts: Options): Promise<number> {
  const target = resolveTarget(opts);
  const plan = planCommand(opts.command, target.ifnamePrefix);
  if ('quit' in plan) return 0;
  if ('print' in plan) {
    process.stdout.write(plan.print);
    return plan.exitCode;
  }
  const ctrl = await connect(target);
  try {
    return await requestPrinted(ctrl, plan.send, false);
  } finally {
    ctrl.close();
  }
}

/** The two connections of an interactive session, made again when the daemon's socket went away. */
class Session {
  ctrl!: WpaCtrl;
  mon!: WpaCtrl;
  readonly completion = new CompletionState();
  /** Events that came while a command waited for its reply: printed after it. */
  private held: CtrlEvent[] | undefined;
  private connected = false;

  constructor(
    private readonly target: Target,
    private readonly print: (text: string) => void,
  ) {}

  async open(): Promise<void> {
    this.ctrl = await connect(this.target);
    try {
      this.mon = await connect(this.target);
      await this.mon.attach();
    } catch (e) {
      this.close();
      throw e;
    }
    this.mon.on('event', (ev) => this.onEvent(ev));
    // A request found the daemon's socket replaced and the library reconnected it: the monitor must follow.
    this.ctrl.on('reconnect', () => {
      this.print('Connection to wpa_supplicant lost - trying to reconnect\n');
      this.mon.reconnect().then(
        () => this.established(),
        () => this.close(),
      );
    });
    this.connected = true;
    await this.refreshLists();
  }

  /** wpa_cli_ping(): called every ping interval while no command is running. */
  async ping(): Promise<void> {
    if (!this.connected) {
      try {
        await this.open();
        this.established();
      } catch {
        // still gone: try again at the next interval
      }
      return;
    }
    try {
      await this.ctrl.request('PING');
    } catch {
      this.print('Connection to wpa_supplicant lost - trying to reconnect\n');
      this.close();
    }
  }

  /** One command line's request; events arriving meanwhile wait for the reply. */
  async run(request: string, onMonitor: boolean, name: string): Promise<void> {
    if (!this.connected) {
      this.print('Not connected to wpa_supplicant - command dropped.\n');
      return;
    }
    this.held = [];
    try {
      await requestPrinted(onMonitor ? this.mon : this.ctrl, request, true);
      if (name === 'add_network' || name === 'remove_network') await this.refreshNetworks();
      // The daemon sent the command's events before its reply, but they may still be in the
      // monitor socket; a round trip on it brings them all in, so each shows before the next
      // command, as wpa_cli reads everything pending on its monitor socket between commands.
      await this.mon.request('PING').catch(() => undefined);
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const ev of held) this.show(ev);
    }
  }

  close(): void {
    this.connected = false;
    for (const c of [this.ctrl, this.mon]) {
      if (!c) continue;
      c.close();
      openConns.delete(c);
    }
  }

  private established(): void {
    this.print('Connection to wpa_supplicant re-established\n');
  }

  private onEvent(ev: CtrlEvent): void {
    this.completion.onEvent(ev.text);
    if (this.held) this.held.push(ev);
    else this.show(ev);
  }

  /** wpa_cli_show_event(): BSS added/removed are frequent and of little use to a person. */
  private show(ev: CtrlEvent): void {
    if (ev.text.startsWith('CTRL-EVENT-BSS-ADDED ') || ev.text.startsWith('CTRL-EVENT-BSS-REMOVED ')) return;
    this.print(`\r${ev.raw.toString('utf8')}\n`);
  }

  private async refreshLists(): Promise<void> {
    await this.refreshNetworks();
    try {
      this.completion.setBsses((await this.ctrl.request('BSS RANGE=ALL MASK=0x2')).toString('latin1'));
    } catch {
      // completion only
    }
  }

  private async refreshNetworks(): Promise<void> {
    try {
      this.completion.setNetworks((await this.ctrl.request('LIST_NETWORKS')).toString('latin1'));
    } catch {
      // completion only
    }
  }
}

async function interactive(opts: Options): Promise<number> {
  const target = resolveTarget(opts);
  let rl: ReturnType<typeof createInterface> | undefined;
  const print = (text: string): void => {
    process.stdout.write(text);
    rl?.prompt(true);
  };
  const session = new Session(target, print);
  await session.open();
  const historyPath = join(process.env.HOME ?? homedir(), HISTORY_FILE);
  const history = loadHistory(historyPath);
  rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: '> ',
    historySize: HISTORY_MAX,
    history: [...history].reverse(), // readline wants the newest first
    completer: (line: string) => session.completion.complete(line),
    terminal: process.stdin.isTTY === true,
  });
  // Ctrl-C on a terminal reaches readline, not the process: end the session.
  rl.on('SIGINT', () => rl!.close());
  process.stdout.write('\nInteractive mode\n\n');
  rl.prompt();
  let queue = Promise.resolve();
  let quitting = false;
  // The ping runs between commands, never alongside one (wpa_cli runs it from the same loop).
  const pinger = setInterval(() => {
    queue = queue.then(() => (quitting ? undefined : session.ping()));
  }, opts.pingInterval * 1000);
  await new Promise<void>((resolve) => {
    rl!.on('line', (line) => {
      if (line.trim() !== '' && history.at(-1) !== line) history.push(line);
      queue = queue.then(async () => {
        if (quitting) return; // lines typed (or piped) after quit
        const plan = planCommand(splitLine(line), target.ifnamePrefix);
        if ('quit' in plan) {
          quitting = true;
          rl!.close();
          return;
        }
        if ('print' in plan) process.stdout.write(plan.print);
        else await session.run(plan.send, plan.monitor === true, lookupName(line));
        rl!.prompt();
      });
    });
    rl!.on('close', () => void queue.then(resolve));
  });
  clearInterval(pinger);
  saveHistory(history, historyPath);
  session.close();
  return 0;
}

/** The full command name a line starts with ('' when none). */
function lookupName(line: string): string {
  const w = splitLine(line)[0];
  const l = w === undefined ? undefined : lookup(w);
  return l?.kind === 'found' ? l.command.name : '';
}

/** Oldest first, at most HISTORY_MAX lines. */
function loadHistory(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_MAX);
}

/** Saved without lines that carry secrets (set_network ... psk, password ...), as wpa_cli does. */
function saveHistory(history: string[], path: string): void {
  const keep = history.filter((l) => !hasSensitiveData(l)).slice(-HISTORY_MAX);
  try {
    writeFileSync(path, keep.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  } catch {
    // history is a convenience; an unwritable home must not fail the session
  }
}

async function actionMode(opts: Options): Promise<number> {
  const target = resolveTarget(opts);
  const ctrl = await connect(target);
  const ifname = target.ifname ?? (await ctrl.request('IFNAME')).toString();
  const state = new ActionState(ifname, opts.ctrlDir);
  const runner = new ActionRunner(opts.action!, (m) => process.stderr.write(`${m}\n`));
  await ctrl.attach();
  return new Promise<number>((resolve) => {
    const finish = (code: number): void => {
      clearInterval(pinger);
      ctrl.close();
      resolve(code);
    };
    ctrl.on('event', (ev: CtrlEvent) => {
      if (ev.text.startsWith('CTRL-EVENT-TERMINATING')) {
        process.stdout.write('wpa_supplicant is terminating - stop monitoring\n');
        void runner.idle().then(() => finish(0));
        return;
      }
      const run = state.onEvent(ev.text);
      if (run) void runner.run(run);
    });
    // wpa_cli checks the daemon is still there every ping interval.
    const pinger = setInterval(() => {
      ctrl.request('PING').then(
        (r) => {
          if (!r.toString().startsWith('PONG')) throw new WpaCtrlError('bad PING reply');
        },
        () => {
          process.stdout.write('wpa_supplicant did not reply to PING command - exiting\n');
          finish(EXIT_UNREACHABLE);
        },
      );
    }, opts.pingInterval * 1000);
  });
}

async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return EXIT_UNREACHABLE;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n\ncommands:\n${helpText()}`);
    return 0;
  }
  if (opts === 'version') {
    process.stdout.write('wpa-offload-cli (wpa_cli compatible)\n');
    return 0;
  }
  try {
    if (opts.action) return await actionMode(opts);
    if (opts.command.length > 0) return await oneShot(opts);
    return await interactive(opts);
  } catch (e) {
    if (e instanceof WpaCtrlError || e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT_UNREACHABLE;
    }
    throw e;
  }
}

// Explicit exit: stdout is synchronous for files and pipes on Linux, and no
// stray handle (stdin, a timer) may keep a one-shot command alive.
process.exit(await main(process.argv.slice(2)));
