#!/usr/bin/env -S node --max-semi-space-size=1
/**
 * wpa-offloadd: the process. Parses wpa_supplicant's flags and the settings
 * INI, sets up logging, opens the global socket and the interfaces, then
 * reports readiness (systemd READY=1, -B parent, pid file) and waits.
 *
 * Signals: SIGHUP re-reads every interface's configuration like RECONFIGURE
 * (a broken file is logged with its line and the running configuration stays:
 * a deliberate difference, wpa_supplicant 2.10 exits in that case); SIGTERM
 * and SIGINT stop cleanly (CTRL-EVENT-TERMINATING, sockets removed, exit 0);
 * SIGUSR1 is ignored, so that it cannot open Node's inspector (no-inspector.ts).
 *
 * -B: the process re-spawns itself detached (stdio to /dev/null, like
 * daemon(3)) and the parent exits only once the child's sockets are up, with
 * the child's exit status if it fails first. Under systemd use Type=notify
 * and no -B.
 *
 * -P: the pid file is written whenever -P is given (wpa_supplicant writes it
 * only with -B); it is removed at exit.
 *
 * --max-semi-space-size=1 (the shebang, `npm start`, the test harness): a
 * 1 MiB young generation instead of V8's 16 MiB default keeps the RSS of a
 * daemon that has answered a burst of requests near its idle RSS (about
 * 57 MB instead of 63 MB after the ctrl benchmark); its requests allocate
 * little, so the extra scavenges cost no measurable throughput.
 */
// First: no debugger can be opened by signal from here on (see no-inspector.ts).
import './no-inspector.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CtrlSocketInUseError } from '../ctrl/transport.js';
import { configureLogging, error as logError, info, MsgLevel, type LogOptions } from '../log.js';
import { parseArgs, USAGE, UsageError, type Args } from './args.js';
import { Daemon } from './daemon.js';
import { CtrlInitError, InterfaceInitError } from './interface.js';
import { SystemdNotifier } from './sd-notify.js';
import { defaultSettings, readSettings, SettingsError, type Settings } from './settings.js';
import { syslogLine, syslogTransport } from './syslog.js';

const VERSION = '0.1.0';
/** wpa_supplicant's exit status for a failed start (return -1 from main). */
const EXIT_FAILURE = 255;
/** Set in the detached child of -B, so it reports readiness to its parent. */
const DETACHED_ENV = 'WPA_OFFLOADD_DETACHED';

interface ChildReport {
  ready?: true;
  error?: string;
}

/**
 * A failed start: exit status 255, the reason to the -B parent and on stderr,
 * unless it is on the log already (`logged`) in wpa_supplicant's words.
 */
function fail(message: string, logged = false): never {
  if (process.send) process.send({ error: message } satisfies ChildReport);
  if (!logged) process.stderr.write(`${message}\n`);
  process.exit(EXIT_FAILURE);
}

function logOptions(args: Args, settings: Settings): LogOptions {
  const base = settings.log.level ?? MsgLevel.INFO;
  const level = Math.min(MsgLevel.ERROR, Math.max(MsgLevel.EXCESSIVE, base - args.verbosity)) as MsgLevel;
  return {
    level,
    timestamps: args.timestamps || (settings.log.timestamps ?? false),
    showKeys: args.showKeys,
    file: args.logFile ?? settings.log.file,
    syslog: args.syslog || (settings.log.syslog ?? false),
  };
}

function applyLogging(opts: LogOptions): void {
  configureLogging(opts, opts.syslog ? [syslogTransport()] : [], (line) => syslogLine(line));
}

/** -B in the parent: start the detached child and mirror its start-up result. */
function detach(argv: string[]): void {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv.filter((a) => a !== '-B')], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  child.on('message', (m: ChildReport) => {
    if (m.error) process.stderr.write(`${m.error}\n`);
    if (m.ready) {
      child.disconnect();
      child.unref();
      process.exit(0);
    }
  });
  // Before it reported ready, any end of the child is a failed start, whatever its status.
  child.on('exit', (code) => process.exit(code || EXIT_FAILURE));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      process.exit(EXIT_FAILURE);
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (args.version) {
    process.stdout.write(`wpa-offloadd v${VERSION} (wpa_supplicant 2.10 control interface)\n`);
    process.exit(0);
  }
  if (args.interfaces.length === 0 && args.globalCtrl === undefined) {
    process.stderr.write(`Interface name (-i) or global control interface (-g) is required\n\n${USAGE}`);
    process.exit(EXIT_FAILURE);
  }
  if (args.background && !process.env[DETACHED_ENV]) {
    detach(argv);
    return;
  }

  let settings = defaultSettings();
  if (args.settings !== undefined) {
    try {
      settings = readSettings(args.settings);
    } catch (e) {
      if (e instanceof SettingsError) fail(`Invalid settings: ${e.message}`);
      throw e;
    }
  }
  const logOpts = logOptions(args, settings);
  applyLogging(logOpts);

  const notifier = new SystemdNotifier();
  const removePidFile = (): void => {
    if (args.pidFile !== undefined) fs.rmSync(args.pidFile, { force: true });
  };
  const daemon = new Daemon({
    globalCtrl: args.globalCtrl,
    globalGroup: args.globalGroup,
    offloadPolicy: settings.offload,
    defaultDriver: settings.driver,
    relog: () => {
      applyLogging(logOpts);
      return true;
    },
    onTerminated: () => {
      notifier.close();
      removePidFile();
      process.exit(0);
    },
  });

  try {
    daemon.openGlobal();
    for (const p of args.interfaces) await daemon.add(p);
  } catch (e) {
    await daemon.stop();
    // The interface's socket: the reason and the hint are logged (interface.ts).
    if (e instanceof CtrlInitError) fail(e.message, true);
    // The global socket in use: CtrlSocket.open logged that; wpa_supplicant ends with this line.
    if (e instanceof CtrlSocketInUseError) {
      logError('Failed to initialize wpa-offloadd');
      fail(e.message, true);
    }
    // A configuration that does not load is reported in wpa_supplicant's words, as it is.
    if (e instanceof InterfaceInitError && e.stage === 'config') fail(e.message);
    fail(`Failed to initialize wpa-offloadd: ${(e as Error).message}`);
  }

  if (args.pidFile !== undefined) fs.writeFileSync(args.pidFile, `${process.pid}\n`);

  const stop = (sig: string): void => {
    info(`${sig} received - terminating`);
    notifier.stopping();
    daemon.terminate();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    info('Signal 1 received - reconfiguring');
    for (const i of daemon.interfaces()) {
      const iface = daemon.find(i.ifname);
      void iface?.reconfigure();
    }
  });

  // Like wpa_supplicant's eloop, the process runs until it is told to stop
  // (onTerminated exits), also when no socket holds Node's event loop any
  // more: an interface whose new configuration has no ctrl_interface gets
  // one back with SIGHUP. Before, it just ended, with status 0.
  setInterval(() => undefined, 2 ** 31 - 1);

  info('Successfully initialized wpa-offloadd');
  notifier.ready();
  if (process.send) {
    process.send({ ready: true } satisfies ChildReport);
    process.disconnect();
  }
}

// A bug in one request must not take the daemon down: log it and keep serving.
process.on('uncaughtException', (e) => logError(`internal error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => logError(`internal error: ${(e as Error)?.stack ?? e}`));

void main();
