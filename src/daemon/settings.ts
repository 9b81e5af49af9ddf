/**
 * The daemon's own settings, which wpa_supplicant.conf has no place for
 * (INI, `--settings FILE`, read with the `ini` package):
 *
 *   [driver]   backend = sim | ext | nl80211 | none  (-D overrides; absent = nl80211
 *              for a wireless netdev, none for other names)
 *              params  = key=value ...  (-p overrides)
 *              eapol   = auto | control_port | packet  (nl80211: EAPOL over the
 *                        control port where the radio has it, else a packet socket)
 *              assume_4way_offload = false | psk, sae  (nl80211, validation only:
 *                        a radio taken to run those handshakes silently)
 *   [offload]  psk = true, ieee8021x = true, sae = true, offload_wait_ms = 1000,
 *              auth_timeout_ms = 10000, pmksa_file = PATH, pmksa_testing = false
 *   [log]      level = EXCESSIVE|MSGDUMP|DEBUG|INFO|WARNING|ERROR,
 *              timestamps = false, file = PATH, syslog = false
 *
 * Unknown sections or keys and malformed values are errors that name the
 * offending entry: a typo must not silently fall back to a default.
 *
 * Relative paths in the file (the sim `scenario=` and ext `socket=` driver
 * parameters, pmksa_file, the log file) are relative to the settings file's
 * directory, as a service started from `/` and `npm start` from the checkout
 * must find the same files.
 */
import fs from 'node:fs';
import path from 'node:path';
import ini from 'ini';
import { DRIVER_NAMES, DriverParamError, parseDriverParams } from '../driver/index.js';
import { ASSUMABLE_OFFLOADS, type AssumedOffload, EAPOL_MODES, type EapolMode } from '../driver/nl80211/options.js';
import { parseLevelName, type MsgLevel } from '../log.js';
import { DEFAULT_POLICY, type OffloadPolicy } from '../offload/policy.js';

export class SettingsError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SettingsError';
  }
}

export interface Settings {
  driver?: { backend: string; params?: string };
  /** `[driver] eapol`: how an nl80211 interface carries EAPOL, whatever its backend was chosen by. */
  eapol?: EapolMode;
  /** `[driver] assume_4way_offload`: the nl80211 handshakes a radio is assumed to run (validation only). */
  assume4WayOffload?: AssumedOffload[];
  offload: OffloadPolicy;
  log: { level?: MsgLevel; timestamps?: boolean; file?: string; syslog?: boolean };
}

const KEYS: Record<string, readonly string[]> = {
  driver: ['backend', 'params', 'eapol', 'assume_4way_offload'],
  offload: ['psk', 'ieee8021x', 'sae', 'offload_wait_ms', 'auth_timeout_ms', 'pmksa_file', 'pmksa_testing'],
  log: ['level', 'timestamps', 'file', 'syslog'],
};

/** The driver parameters whose values are file paths. */
const PATH_PARAMS = ['scenario', 'socket'];

export function defaultSettings(): Settings {
  return { offload: { ...DEFAULT_POLICY }, log: {} };
}

export function readSettings(file: string): Settings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SettingsError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseSettings(text, file, path.dirname(path.resolve(file)));
}

/** `baseDir`: where relative paths point (the file's directory); without it they stay as written. */
export function parseSettings(text: string, file = 'settings', baseDir?: string): Settings {
  const raw = ini.parse(text) as Record<string, unknown>;
  const s = defaultSettings();
  for (const [section, body] of Object.entries(raw)) {
    const allowed = KEYS[section];
    if (!allowed || typeof body !== 'object' || body === null) {
      throw new SettingsError(file, `unknown section or top-level key '${section}' (sections: ${Object.keys(KEYS).join(', ')})`);
    }
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) throw new SettingsError(file, `[${section}] unknown key '${key}' (keys: ${allowed.join(', ')})`);
    }
  }
  const sec = (name: string): Record<string, unknown> => (raw[name] as Record<string, unknown> | undefined) ?? {};
  const str = (section: string, key: string): string | undefined => {
    const v = sec(section)[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new SettingsError(file, `[${section}] ${key} needs a value`);
    return v;
  };
  const bool = (section: string, key: string): boolean | undefined => {
    const v = sec(section)[key];
    if (v === undefined) return undefined;
    // `ini` turns bare true/false into booleans; accept the strings too.
    if (v === true || v === 'true' || v === '1' || v === 'yes') return true;
    if (v === false || v === 'false' || v === '0' || v === 'no') return false;
    throw new SettingsError(file, `[${section}] ${key} = ${String(v)} is not true/false`);
  };
  const ms = (section: string, key: string): number | undefined => {
    const v = str(section, key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new SettingsError(file, `[${section}] ${key} = ${v} is not a number of milliseconds`);
    return Number(v);
  };
  const resolve = (p: string | undefined): string | undefined =>
    p === undefined || baseDir === undefined ? p : path.resolve(baseDir, p);
  const driverParams = (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    let params: Record<string, string>;
    try {
      params = parseDriverParams(text);
    } catch (e) {
      if (e instanceof DriverParamError) throw new SettingsError(file, `[driver] params: ${e.message}`);
      throw e;
    }
    return Object.entries(params)
      .map(([k, v]) => `${k}=${PATH_PARAMS.includes(k) ? resolve(v) : v}`)
      .join(' ');
  };

  const backend = str('driver', 'backend');
  const params = driverParams(str('driver', 'params'));
  if (params !== undefined && backend === undefined) throw new SettingsError(file, '[driver] params without backend');
  // Checked here, not when an interface is added, so that the error names the file and the key.
  if (backend !== undefined && !(DRIVER_NAMES as readonly string[]).includes(backend)) {
    throw new SettingsError(file, `[driver] backend = ${backend} is not one of ${DRIVER_NAMES.join(', ')}`);
  }
  if (backend !== undefined) s.driver = { backend, params };
  const eapol = str('driver', 'eapol');
  if (eapol !== undefined && !(EAPOL_MODES as readonly string[]).includes(eapol)) {
    throw new SettingsError(file, `[driver] eapol = ${eapol} is not one of ${EAPOL_MODES.join(', ')}`);
  }
  s.eapol = eapol as EapolMode | undefined;
  s.assume4WayOffload = assumedOffloads(sec('driver').assume_4way_offload, file);

  const o = s.offload;
  o.psk = bool('offload', 'psk') ?? o.psk;
  o.ieee8021x = bool('offload', 'ieee8021x') ?? o.ieee8021x;
  o.sae = bool('offload', 'sae') ?? o.sae;
  o.offloadWaitMs = ms('offload', 'offload_wait_ms') ?? o.offloadWaitMs;
  o.authTimeoutMs = ms('offload', 'auth_timeout_ms') ?? o.authTimeoutMs;
  o.pmksaFile = resolve(str('offload', 'pmksa_file')) ?? o.pmksaFile;
  o.pmksaTesting = bool('offload', 'pmksa_testing') ?? o.pmksaTesting;

  const level = str('log', 'level');
  if (level !== undefined) {
    const l = parseLevelName(level);
    if (l === undefined) throw new SettingsError(file, `[log] level = ${level} is not one of EXCESSIVE, MSGDUMP, DEBUG, INFO, WARNING, ERROR`);
    s.log.level = l;
  }
  s.log.timestamps = bool('log', 'timestamps');
  s.log.file = resolve(str('log', 'file'));
  s.log.syslog = bool('log', 'syslog');
  return s;
}

/** `assume_4way_offload`: false (or absent) for none, else AKM families separated by commas or spaces. */
function assumedOffloads(v: unknown, file: string): AssumedOffload[] | undefined {
  if (v === undefined || v === false || v === 'false') return undefined;
  const bad = (): SettingsError => new SettingsError(file, `[driver] assume_4way_offload = ${String(v)} is not false or a list of ${ASSUMABLE_OFFLOADS.join(', ')}`);
  if (typeof v !== 'string') throw bad();
  const families = v.split(/[\s,]+/).filter((t) => t !== '');
  if (!families.length || families.some((f) => !(ASSUMABLE_OFFLOADS as readonly string[]).includes(f))) throw bad();
  return [...new Set(families)] as AssumedOffload[];
}
