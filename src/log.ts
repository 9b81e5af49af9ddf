/**
 * The daemon's one logger: wpa_supplicant's debug levels on top of winston.
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
import winston from 'winston';

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

/** winston orders levels with 0 = most severe; wpa_supplicant the other way round. */
const WINSTON_LEVELS: Record<string, number> = {
  ERROR: 0,
  WARNING: 1,
  INFO: 2,
  DEBUG: 3,
  MSGDUMP: 4,
  EXCESSIVE: 5,
};

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

const state: {
  level: MsgLevel;
  timestamps: boolean;
  showKeys: boolean;
  logger: winston.Logger;
  listeners: Set<Listener>;
} = {
  level: MsgLevel.INFO,
  timestamps: false,
  showKeys: false,
  logger: makeLogger({ level: MsgLevel.INFO, timestamps: false, showKeys: false }),
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

function makeLogger(opts: LogOptions, replacing: winston.transport[] = []): winston.Logger {
  const line = winston.format.printf((info) => {
    const msg = String(info.message);
    // state, not opts: LOG_LEVEL <level> 1 turns timestamps on at run time.
    return state.timestamps ? `${wallClockSeconds()}: ${msg}` : msg;
  });
  // Where wpa_printf() goes: syslog (-s) instead of everything else, else the file (-f), else stdout.
  const transports: winston.transport[] = replacing.length
    ? replacing
    : opts.file
      ? [new winston.transports.File({ filename: opts.file, format: line })]
      : [new winston.transports.Console({ format: line, stderrLevels: [] })];
  return winston.createLogger({
    levels: WINSTON_LEVELS,
    level: LEVEL_NAMES[opts.level],
    transports,
  });
}

/** `replacing`: transports that take the place of stdout and -f (the syslog one of -s). */
export function configureLogging(opts: LogOptions, replacing: winston.transport[] = []): void {
  state.level = opts.level;
  state.timestamps = opts.timestamps;
  state.showKeys = opts.showKeys;
  state.logger = makeLogger(opts, replacing);
}

/** LOG_LEVEL <name> [timestamp]: changes what is printed from now on. */
export function setLogLevel(level: MsgLevel, timestamps?: boolean): void {
  state.level = level;
  if (timestamps !== undefined) state.timestamps = timestamps;
  state.logger.level = LEVEL_NAMES[level];
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
  if (wanted) state.logger.log(LEVEL_NAMES[level], msg);
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
