/**
 * The daemon's one logger: wpa_supplicant's debug levels, printed to stdout
 * or the -f file, or handed to a logger that replaces those (syslog, -s:
 * daemon/syslog.ts, on winston).
 *
 * Every layer logs through here, so this module sits below all of them and
 * imports nothing of the daemon. Levels are wpa_supplicant's (MSG_EXCESSIVE=0 ..
 * MSG_ERROR=5) because LOG_LEVEL, `-d`/`-dd`/`-q` and the `<level>` prefix of
 * control-interface events all speak in those numbers.
 *
 * Secrets: anything that is a key or a passphrase is passed as `secret(buf)`.
 * It prints as `[REMOVED]` unless the operator started the daemon with `-K`
 * (wpa_supplicant's "include keys in debug output").
 */
import fs from 'node:fs';

export const MsgLevel = {
  EXCESSIVE: 0,
  MSGDUMP: 1,
  DEBUG: 2,
  INFO: 3,
  WARNING: 4,
  ERROR: 5,
} as const;
export type MsgLevel = (typeof MsgLevel)[keyof typeof MsgLevel];

export const LEVEL_NAMES = ['EXCESSIVE', 'MSGDUMP', 'DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;

export interface LogOptions {
  level: MsgLevel;
  timestamps: boolean; // -t
  showKeys: boolean; // -K
  file?: string; // -f
  syslog?: boolean; // -s (written to /dev/log by the daemon's syslog transport)
}

/** A value that must not reach a log unless -K was given. */
export class Secret {
  constructor(readonly value: Buffer | string) {}
  toString(): string {
    return state.showKeys ? hexOrText(this.value) : '[REMOVED]';
  }
}

export function secret(value: Buffer | string): Secret {
  return new Secret(value);
}

function hexOrText(v: Buffer | string): string {
  return typeof v === 'string' ? v : v.toString('hex');
}

type Listener = (level: MsgLevel, text: string) => void;

/**
 * A logger that takes the place of stdout and -f (syslog, -s): given each
 * printed line with its level's name (LEVEL_NAMES). A winston Logger is one.
 */
export interface ReplacingLogger {
  level: string;
  log(level: string, message: string): unknown;
  close(): unknown;
}

/** Where the one line about a failed sink goes when no sink is left (the daemon: syslog). */
export type LastResort = (line: string) => void;

const state: {
  level: MsgLevel;
  timestamps: boolean;
  showKeys: boolean;
  /** only with transports that replace the sinks (syslog, -s) */
  logger: ReplacingLogger | undefined;
  /** stdout or the -f file; undefined once it failed: nothing is printed until RELOG or a new configuration */
  sink: Sink | undefined;
  lastResort: LastResort | undefined;
  listeners: Set<Listener>;
} = {
  level: MsgLevel.INFO,
  timestamps: false,
  showKeys: false,
  logger: undefined,
  sink: undefined,
  lastResort: undefined,
  listeners: new Set(),
};

/**
 * os_get_time() as wpa_debug_print_timestamp() prints it: seconds.microseconds.
 * The wall clock (Date.now(), which follows clock steps) gives the seconds and
 * milliseconds; the monotonic clock only adds the microseconds below them.
 */
function wallClockSeconds(): string {
  const ms = Date.now();
  const us = Math.floor(((performance.timeOrigin + performance.now()) * 1000) % 1000);
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + us).padStart(6, '0')}`;
}

/**
 * Where printed lines go: stdout, or the -f file. Writing never throws into
 * the caller and never emits 'error': the first failure (stdout a closed
 * pipe or /dev/full, the file on a full disk) makes the sink stop writing and
 * the logger drop it, with one line about it to the last resort. Before, the
 * Console transport's EPIPE reached the uncaught-exception handler, which
 * logged to the same stdout: the daemon spun at 100 % CPU and ignored SIGTERM.
 *
 * log() writes each line here directly, not through a winston logger: its
 * streams (logger, transport, format, this sink) cost ~12-30 us of CPU per
 * line on the host against ~4 us for the line and the write alone, and at
 * -d a connection logs a dozen lines on its critical path (in the radio VM,
 * under TCG, tenths of a millisecond each). winston stays for transports
 * that replace these sinks (syslog, -s).
 */
class Sink {
  private failed = false;

  constructor(
    readonly label: string,
    private readonly out: (line: string) => void,
    private readonly release: () => void,
  ) {}

  write(line: string): void {
    if (this.failed) return;
    try {
      this.out(line);
    } catch (e) {
      this.fail(e as Error);
    }
  }

  fail(e: Error): void {
    if (this.failed) return;
    this.failed = true;
    // Not from inside the write of the line that failed.
    setImmediate(() => sinkFailed(this, e));
  }

  close(): void {
    this.release();
  }
}

/**
 * stdout fails for good (EPIPE, ENOSPC on /dev/full): once it has, it is not
 * written again, not even after RELOG. The stream's listener, once the
 * stream is in use, stays so that a late error of it is never an uncaught
 * exception.
 */
let stdoutFailed = false;
let stdoutWatched = false;

/**
 * stdout, written with fs.writeSync(1) as the -f file is, rather than
 * through process.stdout: Node.js builds that stream on first use (a
 * SyncWriteStream for a file, a net.Socket for the journal's socket or a
 * pipe, and the built-in modules behind them, compiled at that moment), about
 * 1 ms of CPU before the daemon's first PONG, a twentieth of its start-up
 * (`npm run bench -- startup`). Writes to a pipe or socket are synchronous in
 * Node.js on Linux all the same. Only a stdout that is non-blocking and full
 * (EAGAIN, which a write of the stream would queue) hands that line's rest
 * and every later line to process.stdout.
 */
function stdoutSink(): Sink {
  let stream = false;
  const onError = (e: Error): void => {
    stdoutFailed = true;
    sink.fail(e);
  };
  const useStream = (): void => {
    stream = true;
    if (!stdoutWatched) {
      stdoutWatched = true;
      process.stdout.on('error', () => {
        stdoutFailed = true;
      });
    }
    process.stdout.on('error', onError);
  };
  const write = (line: string): void => {
    if (stream) {
      process.stdout.write(line);
      return;
    }
    const bytes = Buffer.from(line);
    let done = 0;
    try {
      while (done < bytes.length) done += fs.writeSync(1, bytes, done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
        stdoutFailed = true;
        throw e;
      }
      useStream();
      process.stdout.write(bytes.subarray(done));
    }
  };
  const sink: Sink = new Sink('stdout', write, () => {
    if (stream) process.stdout.off('error', onError);
  });
  return sink;
}

/** -f: appended to with synchronous writes, as wpa_supplicant's fprintf(); the open() error if it cannot be opened. */
function fileSink(file: string): Sink | Error {
  let fd: number;
  try {
    fd = fs.openSync(file, 'a');
  } catch (e) {
    return e as Error;
  }
  return new Sink(
    file,
    (line) => fs.writeSync(fd, line),
    () => fs.closeSync(fd),
  );
}

function sinkFailed(sink: Sink, e: Error): void {
  if (state.sink !== sink) return; // replaced meanwhile (RELOG)
  sink.close();
  state.sink = undefined;
  state.lastResort?.(`Log output to ${sink.label} failed (${e.message}): no more log lines go there`);
}

/** A printed line: state, not the options, says whether it is timestamped (LOG_LEVEL <level> 1 turns them on at run time). */
function printedLine(msg: string): string {
  return state.timestamps ? `${wallClockSeconds()}: ${msg}\n` : `${msg}\n`;
}

/**
 * `replacing`: the logger that takes the place of stdout and -f (syslog,
 * -s). `lastResort`: where a failed sink says so (see Sink).
 * Called again by RELOG, which reopens the -f file.
 */
export function configureLogging(opts: LogOptions, replacing?: ReplacingLogger, lastResort?: LastResort): void {
  state.level = opts.level;
  state.timestamps = opts.timestamps;
  state.showKeys = opts.showKeys;
  state.lastResort = lastResort;
  state.logger?.close();
  state.sink?.close();
  state.sink = undefined;
  // Where wpa_printf() goes: syslog (-s) instead of everything else, else the file (-f), else stdout.
  let fileError: Error | undefined;
  if (!replacing && opts.file !== undefined) {
    const f = fileSink(opts.file);
    if (f instanceof Sink) state.sink = f;
    else fileError = f;
  }
  if (!replacing && state.sink === undefined && !stdoutFailed) state.sink = stdoutSink();
  state.logger = replacing;
  if (replacing) replacing.level = LEVEL_NAMES[opts.level];
  // wpa_debug_open_file() does the same: the lines go to stdout instead.
  if (fileError) log(MsgLevel.ERROR, `Failed to open log file '${opts.file}' (${fileError.message}) - using standard output`);
}

/** LOG_LEVEL <name> [timestamp]: changes what is printed from now on. */
export function setLogLevel(level: MsgLevel, timestamps?: boolean): void {
  state.level = level;
  if (timestamps !== undefined) state.timestamps = timestamps;
  if (state.logger) state.logger.level = LEVEL_NAMES[level];
}

export function logLevel(): MsgLevel {
  return state.level;
}

export function logTimestamps(): boolean {
  return state.timestamps;
}

export function keysShown(): boolean {
  return state.showKeys;
}

/** Monitors at LEVEL < 3 receive debug lines too; the ctrl layer subscribes here. */
export function onLog(listener: Listener): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** True if a line at this level would be printed or reach a listener: lets hot paths skip building it. */
export function logWanted(level: MsgLevel): boolean {
  return level >= state.level || state.listeners.size > 0;
}

/** wpa_printf: the message is formatted only if someone will see it. */
export function log(level: MsgLevel, text: string | (() => string)): void {
  if (!logWanted(level)) return;
  const wanted = level >= state.level;
  const msg = typeof text === 'function' ? text() : text;
  if (wanted) {
    state.sink?.write(printedLine(msg));
    state.logger?.log(LEVEL_NAMES[level], msg);
  }
  for (const l of state.listeners) l(level, msg);
}

export const debug = (t: string | (() => string)): void => log(MsgLevel.DEBUG, t);
export const info = (t: string | (() => string)): void => log(MsgLevel.INFO, t);
export const warning = (t: string | (() => string)): void => log(MsgLevel.WARNING, t);
export const error = (t: string | (() => string)): void => log(MsgLevel.ERROR, t);
export const msgdump = (t: string | (() => string)): void => log(MsgLevel.MSGDUMP, t);

/** Parses a LOG_LEVEL name the way wpa_supplicant does: case-insensitive, no numbers. */
export function parseLevelName(name: string): MsgLevel | undefined {
  const i = LEVEL_NAMES.findIndex((n) => n === name.toUpperCase());
  return i < 0 ? undefined : (i as MsgLevel);
}

// Until the process configures it (and in tests that never do): INFO to stdout.
configureLogging({ level: MsgLevel.INFO, timestamps: false, showKeys: false });
