/**
 * THE table of network-block fields. One entry per field says how a value is
 * parsed and validated (config file line and SET_NETWORK share it), how it is
 * printed (GET_NETWORK and SAVE_CONFIG share it), whether it is a secret
 * (GET_NETWORK answers `*`), when the writer leaves it out (defaults), and,
 * by its position, the order SAVE_CONFIG writes it in.
 *
 * Parsers are pure: they return a patch of the network state or undefined
 * for a bad value, so a failed SET changes nothing.
 */
import {
  bin, cString, hasCtrlChar, hexToBytes, isCSpace, macToString, parseCInt, parseConfigString,
  parseHwaddr, parseIntArray, writeConfigString,
} from './cstr.js';
import {
  ALLOWED_GROUP, ALLOWED_GROUP_MGMT, ALLOWED_PAIRWISE, AUTH_ALG, CIPHER, DEFAULT_GROUP, DEFAULT_KEY_MGMT,
  DEFAULT_PAIRWISE, DEFAULT_PROTO, KEY_MGMT, PROTO, WEP_CIPHERS, parseTokens, tokenNames, writeCiphers,
} from './tokens.js';

/** An entry of bssid_ignore / bssid_accept: address and mask (all ff = no mask). */
export interface AddrMask {
  addr: Buffer;
  mask: Buffer;
}

/** ieee80211w value meaning "use the global pmf setting" (MGMT_FRAME_PROTECTION_DEFAULT). */
export const IEEE80211W_DEFAULT = 3;

export interface NetworkState {
  ssid: Buffer | undefined;
  scanSsid: number;
  bssid: Buffer | undefined;
  bssidIgnore: AddrMask[];
  bssidAccept: AddrMask[];
  passphrase: Buffer | undefined;
  psk: Buffer | undefined; // raw 32-byte PSK given as 64 hex digits
  memOnlyPsk: number;
  saePassword: Buffer | undefined;
  proto: number;
  keyMgmt: number;
  pairwise: number;
  group: number;
  groupMgmt: number;
  authAlg: number;
  scanFreq: number[] | undefined;
  freqList: number[] | undefined;
  priority: number;
  mode: number;
  meshFwding: number;
  frequency: number;
  disabled: number;
  ieee80211w: number;
  idStr: Buffer | undefined;
}

/** wpa_config_set_network_defaults() for the fields we model. */
export function defaultNetworkState(): NetworkState {
  return {
    ssid: undefined,
    scanSsid: 0,
    bssid: undefined,
    bssidIgnore: [],
    bssidAccept: [],
    passphrase: undefined,
    psk: undefined,
    memOnlyPsk: 0,
    saePassword: undefined,
    proto: DEFAULT_PROTO,
    keyMgmt: DEFAULT_KEY_MGMT,
    pairwise: DEFAULT_PAIRWISE,
    group: DEFAULT_GROUP,
    groupMgmt: 0,
    authAlg: 0,
    scanFreq: undefined,
    freqList: undefined,
    priority: 0,
    mode: 0,
    meshFwding: 1,
    frequency: 0,
    disabled: 0,
    ieee80211w: IEEE80211W_DEFAULT,
    idStr: undefined,
  };
}

export type Patch = Partial<NetworkState>;

export function copyState(st: NetworkState): NetworkState {
  const buf = (b: Buffer | undefined) => (b === undefined ? undefined : Buffer.from(b));
  const list = (l: AddrMask[]) => l.map((e) => ({ addr: Buffer.from(e.addr), mask: Buffer.from(e.mask) }));
  return {
    ...st,
    ssid: buf(st.ssid), bssid: buf(st.bssid), passphrase: buf(st.passphrase), psk: buf(st.psk),
    saePassword: buf(st.saePassword), idStr: buf(st.idStr),
    bssidIgnore: list(st.bssidIgnore), bssidAccept: list(st.bssidAccept),
    scanFreq: st.scanFreq?.slice(), freqList: st.freqList?.slice(),
  };
}

export interface NetworkField {
  readonly name: string;
  /** Key material: GET_NETWORK answers `*`, logs must redact it. */
  readonly secret: boolean;
  /** SAVE_CONFIG writes it (2.10's writer has no line for freq_list). */
  readonly saved: boolean;
  /** Parse a SET_NETWORK / config-file value; undefined = invalid. */
  parse(value: string): Patch | undefined;
  /** The writer's text (secrets included); undefined = nothing to show (GET fails). */
  format(st: NetworkState): string | undefined;
  /** SAVE_CONFIG leaves the field out in this state even if format() has text. */
  omitOnSave(st: NetworkState): boolean;
}

type IntKey = { [K in keyof NetworkState]: NetworkState[K] extends number ? K : never }[keyof NetworkState];
type BufKey = 'ssid' | 'saePassword' | 'idStr';

/**
 * INT / INT_RANGE. 2.10 only checks a bound that is non-zero, so "0..1" lets
 * -1 through; the writer leaves the field out when it equals `def`.
 */
function intField(name: string, key: IntKey, def: number, range?: [number, number]): NetworkField {
  return {
    name, secret: false, saved: true,
    parse(value) {
      const v = parseCInt(value);
      if (v === undefined) return undefined;
      if (range && range[0] !== 0 && v < range[0]) return undefined;
      if (range && range[1] !== 0 && v > range[1]) return undefined;
      return { [key]: v };
    },
    format: (st) => String(st[key]),
    omitOnSave: (st) => st[key] === def,
  };
}

/**
 * STR / STR_RANGE / STR_KEY: the three string forms, "NULL" unsets. Fields
 * kept as C strings (no length) end at a NUL byte from P"\x00" or hex 00.
 */
function strField(name: string, key: BufKey, opts: { secret?: boolean; maxLen?: number; cstring: boolean }): NetworkField {
  return {
    name, secret: opts.secret ?? false, saved: true,
    parse(value) {
      if (value === 'NULL') return { [key]: undefined };
      const b = parseConfigString(value);
      if (!b) return undefined;
      if (opts.maxLen !== undefined && b.length > opts.maxLen) return undefined;
      return { [key]: opts.cstring ? cString(b) : b };
    },
    format: (st) => {
      const b = st[key];
      return b === undefined ? undefined : writeConfigString(b);
    },
    omitOnSave: () => false,
  };
}

/** Token lists with a writer default; key_mgmt and proto print nothing for 0. */
function tokenField(name: 'key_mgmt' | 'proto' | 'auth_alg', key: 'keyMgmt' | 'proto' | 'authAlg', def: number, maxLen: number): NetworkField {
  const table = name === 'key_mgmt' ? KEY_MGMT : name === 'proto' ? PROTO : AUTH_ALG;
  return {
    name, secret: false, saved: true,
    parse(value) {
      const v = parseTokens(table, value, name === 'proto' ? { WPA2: 'RSN' } : {});
      if (v === undefined || v === 0) return undefined;
      return { [key]: v };
    },
    format(st) {
      const v = st[key];
      if (v === 0) return undefined;
      // The writer's fixed buffer: key_mgmt keeps what fits in 100 bytes.
      return tokenNames(table, v).join(' ').slice(0, maxLen - 1);
    },
    omitOnSave: (st) => st[key] === def,
  };
}

function cipherField(name: 'pairwise' | 'group' | 'group_mgmt', key: 'pairwise' | 'group' | 'groupMgmt', def: number): NetworkField {
  return {
    name, secret: false, saved: true,
    parse(value) {
      let v = parseTokens(CIPHER, value);
      if (v === undefined || v === 0) return undefined;
      if (name === 'group') v &= ~WEP_CIPHERS; // accepted for backwards compatibility, then dropped
      const allowed = name === 'pairwise' ? ALLOWED_PAIRWISE : name === 'group' ? ALLOWED_GROUP : ALLOWED_GROUP_MGMT;
      if (v & ~allowed) return undefined;
      return { [key]: v };
    },
    format: (st) => writeCiphers(st[key]),
    // Empty text (group GTK_NOT_USED) is not written either.
    omitOnSave: (st) => st[key] === def || writeCiphers(st[key]) === '',
  };
}

/** wpa_config_parse_addr_list(): space-separated addresses with optional /mask. */
function parseAddrList(value: string): AddrMask[] | undefined {
  const list: AddrMask[] = [];
  let pos: number | undefined = 0;
  while (pos !== undefined && pos < value.length) {
    while (value[pos] === ' ') pos++;
    const a = parseHwaddr(value, pos);
    if (!a) return undefined;
    let mask: Buffer = Buffer.alloc(6, 0xff);
    const r = value[a.next];
    if (r === undefined || isCSpace(r)) {
      // no mask
    } else if (r === '/') {
      const m = parseHwaddr(value, a.next + 1);
      if (!m) return undefined;
      mask = m.addr;
    } else {
      return undefined;
    }
    list.push({ addr: a.addr, mask });
    const sp = value.indexOf(' ', pos);
    pos = sp < 0 ? undefined : sp;
  }
  return list;
}

export function formatAddrMask(e: AddrMask): string {
  const masked = e.mask.some((b) => b !== 0xff);
  return masked ? `${macToString(e.addr)}/${macToString(e.mask)}` : macToString(e.addr);
}

function addrListField(name: string, key: 'bssidIgnore' | 'bssidAccept'): NetworkField {
  return {
    name, secret: false, saved: true,
    parse(value) {
      const list = parseAddrList(value);
      return list ? { [key]: list } : undefined;
    },
    format: (st) => (st[key].length === 0 ? undefined : st[key].map(formatAddrMask).join(' ')),
    omitOnSave: () => false,
  };
}

const ssidField = strField('ssid', 'ssid', { maxLen: 32, cstring: false });

const pskField: NetworkField = {
  name: 'psk', secret: true, saved: true,
  parse(value) {
    if (value[0] === '"') {
      // The last quote ends the passphrase; a missing one means "to the end".
      const body = value.slice(1);
      const q = body.lastIndexOf('"');
      const pass = bin(q < 0 ? body : body.slice(0, q));
      if (pass.length < 8 || pass.length > 63 || hasCtrlChar(pass)) return undefined;
      return { passphrase: pass, psk: undefined };
    }
    const psk = hexToBytes(value, 32);
    if (!psk || value.length !== 64) return undefined;
    return { psk, passphrase: undefined };
  },
  format(st) {
    if (st.passphrase) return `"${st.passphrase.toString('latin1')}"`;
    if (st.psk) return st.psk.toString('hex');
    return undefined;
  },
  // mem_only_psk keeps the PSK out of the file.
  omitOnSave: (st) => st.memOnlyPsk !== 0,
};

const bssidField: NetworkField = {
  name: 'bssid', secret: false, saved: true,
  parse(value) {
    if (value === '' || value === '""' || value === 'any') return { bssid: undefined };
    // hwaddr_aton(): 17 characters are read, anything after them is ignored.
    const a = parseHwaddr(value, 0);
    return a ? { bssid: a.addr } : undefined;
  },
  format: (st) => (st.bssid ? macToString(st.bssid) : undefined),
  omitOnSave: () => false,
};

/**
 * INT_ARRAY (scan_freq, freq_list): wpa_config_parse_int_array() reads
 * numbers until the first 0 or non-number, an empty list unsets the field;
 * GET prints "%u" per entry into a buffer of 10 bytes per entry.
 */
function intArrayField(name: string, key: 'scanFreq' | 'freqList', saved: boolean): NetworkField {
  return {
    name, secret: false, saved,
    parse(value) {
      const list = parseIntArray(value);
      return { [key]: list.length ? list : undefined };
    },
    format(st) {
      const list = st[key];
      if (!list) return undefined;
      return list.map((f) => String(f >>> 0)).join(' ').slice(0, 10 * list.length);
    },
    omitOnSave: () => !saved,
  };
}

/**
 * Writer order of wpa_supplicant 2.10 (config_file.c), restricted to the
 * fields we model. freq_list is last because 2.10 never writes it.
 */
export const NETWORK_FIELDS: readonly NetworkField[] = [
  ssidField,
  intField('scan_ssid', 'scanSsid', 0, [0, 1]),
  bssidField,
  addrListField('bssid_ignore', 'bssidIgnore'),
  addrListField('bssid_accept', 'bssidAccept'),
  pskField,
  intField('mem_only_psk', 'memOnlyPsk', 0),
  strField('sae_password', 'saePassword', { secret: true, cstring: true }),
  tokenField('proto', 'proto', DEFAULT_PROTO, 20),
  tokenField('key_mgmt', 'keyMgmt', DEFAULT_KEY_MGMT, 100),
  cipherField('pairwise', 'pairwise', DEFAULT_PAIRWISE),
  cipherField('group', 'group', DEFAULT_GROUP),
  cipherField('group_mgmt', 'groupMgmt', 0),
  tokenField('auth_alg', 'authAlg', 0, 20),
  intArrayField('scan_freq', 'scanFreq', true),
  intField('priority', 'priority', 0),
  intField('mode', 'mode', 0, [0, 5]),
  // 2.10 quirk: the default is 1 but the writer compares with 0, so every
  // saved block carries mesh_fwding=1.
  intField('mesh_fwding', 'meshFwding', 0, [0, 1]),
  intField('frequency', 'frequency', 0, [0, 70200]),
  intField('disabled', 'disabled', 0, [0, 2]),
  intField('ieee80211w', 'ieee80211w', IEEE80211W_DEFAULT, [0, 2]),
  strField('id_str', 'idStr', { cstring: true }),
  // 2.10's writer has no line for freq_list (checked against the real daemon).
  intArrayField('freq_list', 'freqList', false),
];

/** Deprecated names 2.10 still accepts for the same fields. */
const ALIASES: Record<string, string> = { bssid_blacklist: 'bssid_ignore', bssid_whitelist: 'bssid_accept' };

const BY_NAME = new Map(NETWORK_FIELDS.map((f) => [f.name, f]));

export function networkField(name: string): NetworkField | undefined {
  return BY_NAME.get(Object.hasOwn(ALIASES, name) ? ALIASES[name] : name);
}
