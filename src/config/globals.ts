/**
 * Global options of wpa_supplicant.conf: one table, in the order
 * wpa_supplicant 2.10's writer prints them, each with its parser (shared by
 * the config file and SET), its GET text and its default (the writer skips
 * defaults). Only the options wpa-offloadd uses or that clients commonly set
 * are modelled; an unknown name is rejected like 2.10 rejects one.
 */
import { hasNewline, intRefusal, parseCInt, parseConfigString, parseIntArray } from './cstr.js';

export type GlobalValue = string | number | number[] | undefined;

export interface GlobalField {
  readonly name: string;
  readonly def: GlobalValue;
  /** Config-file / SET parser: the new value, or FAIL. */
  parse(value: string): { value: GlobalValue } | 'FAIL';
  /** Why parse() refused the value, in 2.10's words; undefined = no more than "failed to parse". */
  explain?(value: string): string | undefined;
  /** GET text; undefined = FAIL (unset, or 2.10 has no getter for it). */
  get(v: GlobalValue): string | undefined;
  /** The saved line's value text; undefined = not written. */
  write(v: GlobalValue): string | undefined;
}

/** STR / STR_RANGE: stored raw (quotes and all); a newline would break the file. */
function str(name: string, maxLen = 0): GlobalField {
  return {
    name, def: undefined,
    parse(value) {
      if (maxLen && value.length > maxLen) return 'FAIL';
      if (hasNewline(value)) return 'FAIL';
      return { value };
    },
    get: (v) => (typeof v === 'string' ? v : undefined),
    write: (v) => (typeof v === 'string' ? v : undefined),
  };
}

/**
 * INT / INT_RANGE. As in 2.10 a bound of 0 is not checked. `unsigned` fields
 * are printed with %u by the writer (but %d by GET).
 */
function int(name: string, def: number, range?: [number, number], unsigned = false): GlobalField {
  return {
    name, def,
    parse(value) {
      if (intRefusal(name, value, range) !== undefined) return 'FAIL';
      return { value: parseCInt(value)! };
    },
    explain: (value) => intRefusal(name, value, range),
    get: (v) => String(v),
    write: (v) => (v === def ? undefined : String(unsigned ? (v as number) >>> 0 : v)),
  };
}

/**
 * country: the first two bytes, whatever they are. Deliberate difference:
 * 2.10 also takes "\n\n" and then writes a broken file; a newline is refused.
 */
const country: GlobalField = {
  name: 'country', def: undefined,
  parse(value) {
    if (value.length < 2) return 'FAIL';
    const cc = value.slice(0, 2);
    if (hasNewline(cc)) return 'FAIL';
    return { value: cc };
  },
  get: (v) => (typeof v === 'string' ? v : undefined),
  write: (v) => (typeof v === 'string' ? v : undefined),
};

/** sae_groups: an int array that is kept even when empty, so "sae_groups=" gets written. */
const saeGroups: GlobalField = {
  name: 'sae_groups', def: undefined,
  parse: (value) => ({ value: parseIntArray(value) }),
  get: () => undefined,
  write: (v) => (Array.isArray(v) ? v.join(' ') : undefined),
};

/** Global freq_list: an empty list unsets it; 2.10 has no GET for it. */
const freqList: GlobalField = {
  name: 'freq_list', def: undefined,
  parse(value) {
    const l = parseIntArray(value);
    return { value: l.length ? l : undefined };
  },
  get: () => undefined,
  write: (v) => (Array.isArray(v) ? v.join(' ') : undefined),
};

/** bgscan: one of the three string forms; written back quoted; no GET in 2.10. */
const bgscan: GlobalField = {
  name: 'bgscan', def: undefined,
  parse(value) {
    const b = parseConfigString(value);
    if (!b) return 'FAIL';
    const s = b.toString('latin1');
    // The parsed text is a C string, then checked like any string option.
    const z = s.indexOf('\0');
    const text = z < 0 ? s : s.slice(0, z);
    return hasNewline(text) ? 'FAIL' : { value: text };
  },
  get: () => undefined,
  write: (v) => (typeof v === 'string' ? `"${v}"` : undefined),
};

/**
 * uuid: uuid_str2bin() reads the 8-4-4-4-12 hex groups and ignores what
 * follows; kept lowercase as uuid_bin2str() prints it. The nil UUID means
 * "derive it from the MAC address" and is not written. 2.10 has no GET for it.
 */
const uuid: GlobalField = {
  name: 'uuid', def: undefined,
  parse(value) {
    const m = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})/.exec(value);
    if (!m) return 'FAIL';
    const text = m[0].toLowerCase();
    return { value: /^[0-]+$/.test(text) ? undefined : text };
  },
  get: () => undefined,
  write: (v) => (typeof v === 'string' ? v : undefined),
};

export const GLOBAL_FIELDS: readonly GlobalField[] = [
  str('ctrl_interface'),
  str('ctrl_interface_group'),
  int('eapol_version', 1, [1, 3]),
  int('ap_scan', 1),
  int('disable_scan_offload', 0),
  int('fast_reauth', 1),
  str('driver_param'),
  int('dot11RSNAConfigPMKLifetime', 0, undefined, true),
  int('dot11RSNAConfigPMKReauthThreshold', 0, undefined, true),
  int('dot11RSNAConfigSATimeout', 0, undefined, true),
  int('update_config', 0),
  uuid,
  str('device_name', 32),
  str('manufacturer', 64),
  str('model_name', 32),
  str('model_number', 32),
  str('serial_number', 32),
  str('config_methods'),
  int('p2p_disabled', 0),
  country,
  int('bss_max_count', 200),
  int('bss_expiration_age', 180),
  int('bss_expiration_scan_count', 2),
  int('filter_ssids', 0, [0, 1]),
  int('filter_rssi', 0, [-100, 0]),
  int('max_num_sta', 128),
  int('ap_isolate', 0, [0, 1]),
  int('disassoc_low_ack', 0, [0, 1]),
  int('okc', 0),
  int('pmf', 0),
  int('dtim_period', 0),
  int('beacon_int', 0),
  saeGroups,
  int('sae_pwe', 0, [0, 3]),
  // Accepted and saved; selection here already uses only the last scan's
  // results (the driver protocol reports no cached BSSes), which is what
  // ignore_old_scan_res=1 asks of wpa_supplicant.
  int('ignore_old_scan_res', 0, [0, 1]),
  freqList,
  int('scan_cur_freq', 0),
  int('sched_scan_interval', 0),
  int('external_sim', 0),
  str('wowlan_triggers'),
  bgscan,
  str('autoscan'),
  // MAC address randomization policies: kept and saved; the driver protocol
  // has no address change, so the firmware's own address is used.
  int('mac_addr', 0),
  int('rand_addr_lifetime', 60),
  int('preassoc_mac_addr', 0),
  int('key_mgmt_offload', 1),
  int('passive_scan', 0),
  int('gas_rand_mac_addr', 0, [0, 2]),
  // Deinit (TERMINATE, interface removal) leaves the association in place
  // while the driver reports WoWLAN enabled, unless this is 1 (station.ts).
  int('wowlan_disconnect_on_deinit', 0, [0, 1]),
];

const BY_NAME = new Map(GLOBAL_FIELDS.map((f) => [f.name, f]));

export function globalField(name: string): GlobalField | undefined {
  return BY_NAME.get(name);
}
