/**
 * The daemon proper, loaded by main.ts once the command line asks for a
 * running daemon: reads the settings INI, sets up logging, opens the global
 * socket and the interfaces, then reports readiness (systemd READY=1, -B
 * parent, pid file) and waits.
 *
 * Signals: SIGHUP re-reads every interface's configuration like RECONFIGURE
 * (a broken file is logged with its line and the running configuration stays:
 * a deliberate difference, wpa_supplicant 2.10 exits in that case); SIGTERM
 * and SIGINT stop cleanly (CTRL-EVENT-TERMINATING, sockets removed, exit 0).
 *
 * -B: in the detached child (detach.ts), failure and readiness go to the
 * parent too.
 *
 * -P: the pid file is written whenever -P is given (wpa_supplicant writes it
 * only with -B); it is removed at exit.
 */
import fs from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { CtrlSocketInUseError } from '../ctrl/transport.js';
import { configureLogging, debug, error as logError, info, MsgLevel, type LogOptions } from '../log.js';
import { EXIT_FAILURE, type Args } from './args.js';
import { Daemon } from './daemon.js';
import type { ChildReport } from './detach.js';
import { CtrlInitError, InterfaceInitError } from './interface.js';
import { SystemdNotifier } from './sd-notify.js';
import { defaultSettings, readSettings, SettingsError, type Settings } from './settings.js';
import { syslogLine, syslogLogger } from './syslog.js';

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
  configureLogging(opts, opts.syslog ? syslogLogger(opts.level) : undefined, (line) => syslogLine(line));
}

/** Runs the daemon for a command line main.ts has checked (not -v or -h; an interface or -g is given). */
export async function start(args: Args): Promise<void> {
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
  // Kept from Node's inspector by no-inspector.ts since the first line of main.ts.
  process.on('SIGUSR1', () => debug('SIGUSR1 received - ignored (no debugger is started)'));

  const notifier = new SystemdNotifier();
  const removePidFile = (): void => {
    if (args.pidFile !== undefined) fs.rmSync(args.pidFile, { force: true });
  };
  const daemon = new Daemon({
    globalCtrl: args.globalCtrl,
    globalGroup: args.globalGroup,
    offloadPolicy: settings.offload,
    defaultDriver: settings.driver,
    nl80211: { eapol: settings.eapol, assume4WayOffload: settings.assume4WayOffload },
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
  /*
   * From here on every function V8 compiles gets Sparkplug's baseline code at
   * its first call. A connection runs most of its code once (scan results,
   * CONNECT, the EAPOL-Key handlers, the events): in the interpreter, each
   * pass also feeds V8's tier-up and its optimizing compiler's thread, which
   * on a one-CPU device competes with the connection itself. On the kernel
   * radio (one guest CPU, run/bench notes in the README's benchmark table)
   * the daemon's CPU per WPA2-PSK connection fell from 6.0 to 4.3-4.6 ms.
   * Set only now: at start-up the flag cost 5-8 ms of CPU before the first
   * PONG (everything start-up runs once would be compiled twice).
   */
  setFlagsFromString('--always-sparkplug');
}

// A bug in one request must not take the daemon down: log it and keep serving.
process.on('uncaughtException', (e) => logError(`internal error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => logError(`internal error: ${(e as Error)?.stack ?? e}`));

