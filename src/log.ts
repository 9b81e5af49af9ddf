/**
 * The daemon's one logger: wpa_supplicant's debug levels, each line written
 * straight to its output (stdout, the -f file, or syslog's LogOutput).
 * No logging library: the daemon needs a level filter and a line, and
 * winston with its dependencies was a third of the bundle's source, all of
 * which V8 keeps in the heap and in the start-up snapshot: without it the
 * daemon's idle RSS is 1.5 MiB less, with 1000 BSSes 1.5-3 MiB less.
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

/** Where the one line about a failed sink goes when no sink is left (the daemon: syslog). */
export type LastResort = (line: string) => void;

/** An output that takes the place of stdout and -f (syslog for -s): each printed message, without timestamp or newline. */
export type LogOutput = (level: MsgLevel, message: string) => void;

const state: {
  level: MsgLevel;
  timestamps: boolean;
  showKeys: boolean;
  /** Where printed lines go; empty once the only sink failed: nothing is printed until RELOG or a new configuration. */
  outputs: LogOutput[];
  sink: Sink | undefined;
  lastResort: LastResort | undefined;
  listeners: Set<Listener>;
} = {
  level: MsgLevel.INFO,
  timestamps: false,
  showKeys: false,
  outputs: [],
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
 */
class Sink {
  private failed = false;
  /** The sink as a LogOutput: the line as wpa_debug_print_timestamp() and wpa_printf() print it. */
  readonly output: LogOutput = (_level, message) => {
    if (this.failed) return;
    try {
      this.out(`${state.timestamps ? `${wallClockSeconds()}: ` : ''}${message}\n`);
    } catch (e) {
      this.fail(e as Error);
    }
  };

  constructor(
    readonly label: string,
    private readonly out: (line: string) => void,
    private readonly release: () => void,
  ) {}

  fail(e: Error): void {
    if (this.failed) return;
    this.failed = true;
    // Not from inside the log() call whose line failed: the last resort may log too.
    setImmediate(() => sinkFailed(this, e));
  }

  close(): void {
    this.release();
  }
}

/**
 * stdout fails for good (EPIPE, ENOSPC on /dev/full): once it has, it is not
 * written again, not even after RELOG. The listener stays so that a late
 * error of the stream is never an uncaught exception.
 */
let stdoutFailed = false;
let stdoutWatched = false;

function stdoutSink(): Sink {
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', () => {
      stdoutFailed = true;
    });
  }
  const onError = (e: Error): void => sink.fail(e);
  const sink: Sink = new Sink('stdout', (line) => process.stdout.write(line), () => process.stdout.off('error', onError));
  process.stdout.on('error', onError);
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
  state.outputs = [];
  state.sink = undefined;
  state.lastResort?.(`Log output to ${sink.label} failed (${e.message}): no more log lines go there`);
}

/**
 * `replacing`: outputs that take the place of stdout and -f (the syslog
 * one of -s). `lastResort`: where a failed sink says so (see Sink).
 * Called again by RELOG, which reopens the -f file.
 */
export function configureLogging(opts: LogOptions, replacing: LogOutput[] = [], lastResort?: LastResort): void {
  state.level = opts.level;
  state.timestamps = opts.timestamps;
  state.showKeys = opts.showKeys;
  state.lastResort = lastResort;
  state.sink?.close();
  state.sink = undefined;
  // Where wpa_printf() goes: syslog (-s) instead of everything else, else the file (-f), else stdout.
  let fileError: Error | undefined;
  if (replacing.length === 0 && opts.file !== undefined) {
    const f = fileSink(opts.file);
    if (f instanceof Sink) state.sink = f;
    else fileError = f;
  }
  if (replacing.length === 0 && state.sink === undefined && !stdoutFailed) state.sink = stdoutSink();
  state.outputs = replacing.length ? replacing : state.sink ? [state.sink.output] : [];
  // wpa_debug_open_file() does the same: the lines go to stdout instead.
  if (fileError) log(MsgLevel.ERROR, `Failed to open log file '${opts.file}' (${fileError.message}) - using standard output`);
}

/** LOG_LEVEL <name> [timestamp]: changes what is printed from now on. */
export function setLogLevel(level: MsgLevel, timestamps?: boolean): void {
  state.level = level;
  if (timestamps !== undefined) state.timestamps = timestamps;
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
  if (wanted) for (const out of state.outputs) out(level, msg);
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
