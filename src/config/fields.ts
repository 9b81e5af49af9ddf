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
  bin, cString, hasCtrlChar, hexToBytes, intRefusal, isCSpace, macToString, parseCInt, parseConfigString,
  parseHwaddr, parseIntArray, printfEncodeQuoteFree, writeConfigString,
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

/** 2.10's network defaults for the fields below whose default is not 0. */
const DEFAULT_BG_SCAN_PERIOD = -1;
const DEFAULT_EAP_WORKAROUND = -1;
const DEFAULT_FRAGMENT_SIZE = 1398;

/** ieee80211w value meaning "use the global pmf setting" (MGMT_FRAME_PROTECTION_DEFAULT). */
const IEEE80211W_DEFAULT = 3;

export interface NetworkState {
  ssid: Buffer | undefined;
  scanSsid: number;
  bssid: Buffer | undefined;
  /**
   * bssid_hint: the BSS a driver that selects BSSes itself should try first.
   * The station here selects from its own scans (2.10 ignores the hint then
   * too), so it is kept, shown and saved only.
   */
  bssidHint: Buffer | undefined;
  bssidIgnore: AddrMask[];
  bssidAccept: AddrMask[];
  passphrase: Buffer | undefined;
  psk: Buffer | undefined; // raw 32-byte PSK given as 64 hex digits
  memOnlyPsk: number;
  saePassword: Buffer | undefined;
  saePasswordId: Buffer | undefined;
  proto: number;
  keyMgmt: number;
  bgScanPeriod: number;
  pairwise: number;
  group: number;
  groupMgmt: number;
  authAlg: number;
  bgscan: Buffer | undefined;
  scanFreq: number[] | undefined;
  freqList: number[] | undefined;
  /**
   * The 802.1X fields (EAP method list, identities, credentials, TLS
   * settings): kept, shown and saved as 2.10 does so that an enterprise
   * network block loads and round-trips. This daemon runs no EAP method; such
   * a network connects with a cached PMKSA (README).
   */
  eap: string[] | undefined;
  identity: Buffer | undefined;
  anonymousIdentity: Buffer | undefined;
  password: Buffer | undefined;
  /** password=hash:<32 hex>: `password` holds the NtPasswordHash. */
  passwordHash: boolean;
  caCert: Buffer | undefined;
  clientCert: Buffer | undefined;
  privateKey: Buffer | undefined;
  privateKeyPasswd: Buffer | undefined;
  altsubjectMatch: Buffer | undefined;
  domainSuffixMatch: Buffer | undefined;
  phase1: Buffer | undefined;
  phase2: Buffer | undefined;
  /** WEP keys and the transmit key index: kept and saved so legacy blocks load; WEP is never used. */
  wepKey0: Buffer | undefined;
  wepKey1: Buffer | undefined;
  wepKey2: Buffer | undefined;
  wepKey3: Buffer | undefined;
  wepTxKeyidx: number;
  priority: number;
  eapWorkaround: number;
  fragmentSize: number;
  mode: number;
  meshFwding: number;
  frequency: number;
  proactiveKeyCaching: number;
  disabled: number;
  ieee80211w: number;
  idStr: Buffer | undefined;
  macAddr: number;
}

/** wpa_config_set_network_defaults() for the fields we model. */
export function defaultNetworkState(): NetworkState {
  return {
    ssid: undefined,
    scanSsid: 0,
    bssid: undefined,
    bssidHint: undefined,
    bssidIgnore: [],
    bssidAccept: [],
    passphrase: undefined,
    psk: undefined,
    memOnlyPsk: 0,
    saePassword: undefined,
    saePasswordId: undefined,
    proto: DEFAULT_PROTO,
    keyMgmt: DEFAULT_KEY_MGMT,
    bgScanPeriod: DEFAULT_BG_SCAN_PERIOD,
    pairwise: DEFAULT_PAIRWISE,
    group: DEFAULT_GROUP,
    groupMgmt: 0,
    authAlg: 0,
    bgscan: undefined,
    scanFreq: undefined,
    freqList: undefined,
    eap: undefined,
    identity: undefined,
    anonymousIdentity: undefined,
    password: undefined,
    passwordHash: false,
    caCert: undefined,
    clientCert: undefined,
    privateKey: undefined,
    privateKeyPasswd: undefined,
    altsubjectMatch: undefined,
    domainSuffixMatch: undefined,
    phase1: undefined,
    phase2: undefined,
    wepKey0: undefined,
    wepKey1: undefined,
    wepKey2: undefined,
    wepKey3: undefined,
    wepTxKeyidx: 0,
    priority: 0,
    eapWorkaround: DEFAULT_EAP_WORKAROUND,
    fragmentSize: DEFAULT_FRAGMENT_SIZE,
    mode: 0,
    meshFwding: 1,
    frequency: 0,
    proactiveKeyCaching: -1,
    disabled: 0,
    ieee80211w: IEEE80211W_DEFAULT,
    idStr: undefined,
    macAddr: -1,
  };
}

export type Patch = Partial<NetworkState>;

export interface NetworkField {
  readonly name: string;
  /** Key material: GET_NETWORK answers `*`, logs must redact it. */
  readonly secret: boolean;
  /** SAVE_CONFIG writes it (2.10's writer has no line for freq_list). */
  readonly saved: boolean;
  /** Parse a SET_NETWORK / config-file value against the current state; undefined = invalid. */
  parse(value: string, st: NetworkState): Patch | undefined;
  /** Why parse() refused the value, in 2.10's words without the value itself; undefined = no more than "failed to parse". */
  explain?(value: string): string | undefined;
  /** The writer's text (secrets included); undefined = nothing to show (GET fails). */
  format(st: NetworkState): string | undefined;
  /**
   * Other texts the field reads back from, for SAVE_CONFIG when format()'s
   * would not survive the reader's line rules (file-line.ts).
   */
  fileForms?(st: NetworkState): string[];
  /** SAVE_CONFIG leaves the field out in this state even if format() has text. */
  omitOnSave(st: NetworkState): boolean;
  /**
   * 2.10's parser does not report "no change" for it (the address lists, the
   * frequency lists, and password unless unset twice), so setting its current
   * value again still counts as a change: the network's PMKSA entries go.
   */
  readonly alwaysChanges?: boolean;
  /** Changing it keeps the network's PMKSA entries (see invalidatesPmksa()). */
  readonly keepsPmksa?: boolean;
}

type IntKey = { [K in keyof NetworkState]: NetworkState[K] extends number ? K : never }[keyof NetworkState];
/** The string fields strField() serves. */
type BufKey = {
  [K in keyof NetworkState]: NetworkState[K] extends Buffer | undefined ? (K extends 'bssid' | 'bssidHint' | 'passphrase' | 'psk' | 'password' ? never : K) : never;
}[keyof NetworkState];

/**
 * INT / INT_RANGE. 2.10 only checks a bound that is non-zero, so "0..1" lets
 * -1 through; the writer leaves the field out when it equals `def`.
 */
function intField(name: string, key: IntKey, def: number, range?: [number, number]): NetworkField {
  return {
    name, secret: false, saved: true,
    parse(value) {
      if (intRefusal(name, value, range) !== undefined) return undefined;
      return { [key]: parseCInt(value)! };
    },
    explain: (value) => intRefusal(name, value, range),
    format: (st) => String(st[key]),
    omitOnSave: (st) => st[key] === def,
  };
}

/**
 * A string's other forms for the file: hex (2.10's form for SSIDs that need
 * it: `"a"#b"` would read back as `a`), then P"..." without inner quotes
 * (shorter than hex when only a few bytes need escaping).
 */
function stringFileForms(b: Buffer | undefined): string[] {
  return b === undefined ? [] : [b.toString('hex'), `P"${printfEncodeQuoteFree(b)}"`];
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
    fileForms: (st) => stringFileForms(st[key]),
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
    explain(value) {
      const bad = value.split(/[ \t]+/).find((w) => w !== '' && parseTokens(table, w, { WPA2: 'RSN' }) === undefined);
      return bad !== undefined ? `invalid ${name} '${bad}'` : `no ${name} values configured.`;
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
    alwaysChanges: true,
  };
}

const ssidField = strField('ssid', 'ssid', { maxLen: 32, cstring: false });

/**
 * The EAP peer methods of Debian's wpa_supplicant 2.10 build, by the names
 * eap_peer_get_type() knows (case-sensitive).
 */
const EAP_METHODS = new Set([
  'MD5', 'TLS', 'WFA-UNAUTH-TLS', 'MSCHAPV2', 'PEAP', 'TTLS', 'GTC', 'OTP', 'SIM', 'LEAP', 'PSK', 'AKA', "AKA'", 'FAST',
  'PAX', 'SAKE', 'GPSK', 'WSC', 'IKEV2', 'TNC', 'PWD', 'EKE',
]);

/**
 * eap: method names separated by spaces or tabs, in the given order. An
 * unknown name fails; a list as long as the current one that holds every
 * current method changes nothing (wpa_config_parse_eap() reports "no
 * change" then, so a reordering is not taken).
 */
const eapField: NetworkField = {
  name: 'eap', secret: false, saved: true,
  parse(value, st) {
    const methods = value.split(/[ \t]+/).filter((m) => m !== '');
    if (methods.some((m) => !EAP_METHODS.has(m))) return undefined;
    const old = st.eap;
    if (old && old.length === methods.length && old.every((m) => methods.includes(m))) return {};
    return { eap: methods };
  },
  // The writer's 100-byte buffer: os_snprintf() leaves a cut name in it, so the text ends at 99 bytes.
  format: (st) => st.eap?.join(' ').slice(0, 99),
  omitOnSave: () => false,
};

/**
 * wep_key0..3: written like any secret string field, but parsed as
 * wpa_config_parse_wep_key(): at most 16 bytes, empty unsets, NULL is refused.
 */
function wepKeyField(i: 0 | 1 | 2 | 3): NetworkField {
  const key = `wepKey${i}` as const;
  return {
    ...strField(`wep_key${i}`, key, { secret: true, cstring: false }),
    parse(value) {
      const b = parseConfigString(value);
      if (!b || b.length > 16) return undefined;
      return { [key]: b.length ? b : undefined };
    },
  };
}

/**
 * password: a string (quoted, hex or P"...") or `hash:<32 hex digits>`, the
 * NtPasswordHash of an MSCHAPv2 password.
 */
const passwordField: NetworkField = {
  name: 'password', secret: true, saved: true,
  parse(value, st) {
    // Unsetting an unset password is "no change" (2.10 keeps PMKSA entries then).
    if (value === 'NULL') return st.password ? { password: undefined, passwordHash: false } : {};
    if (value.startsWith('hash:')) {
      const hash = hexToBytes(value.slice(5), 16);
      if (!hash || value.length !== 5 + 32) return undefined;
      return { password: hash, passwordHash: true };
    }
    const b = parseConfigString(value);
    return b ? { password: b, passwordHash: false } : undefined;
  },
  format(st) {
    if (!st.password) return undefined;
    return st.passwordHash ? `hash:${st.password.toString('hex')}` : writeConfigString(st.password);
  },
  fileForms: (st) => (st.passwordHash ? [] : stringFileForms(st.password)),
  omitOnSave: () => false,
  alwaysChanges: true,
};

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
  explain(value) {
    if (value[0] !== '"') return 'Invalid PSK.';
    const body = value.slice(1);
    const q = body.lastIndexOf('"');
    const len = bin(q < 0 ? body : body.slice(0, q)).length;
    return len < 8 || len > 63 ? `Invalid passphrase length ${len} (expected: 8..63).` : 'Invalid passphrase character.';
  },
  format(st) {
    if (st.passphrase) return `"${st.passphrase.toString('latin1')}"`;
    if (st.psk) return st.psk.toString('hex');
    return undefined;
  },
  // mem_only_psk keeps the PSK out of the file.
  omitOnSave: (st) => st.memOnlyPsk !== 0,
};

/** bssid and bssid_hint: one address; empty, "" or any unsets it. */
function addrField(name: string, key: 'bssid' | 'bssidHint'): NetworkField {
  return {
    name, secret: false, saved: true,
    parse(value) {
      if (value === '' || value === '""' || value === 'any') return { [key]: undefined };
      // hwaddr_aton(): 17 characters are read, anything after them is ignored.
      const a = parseHwaddr(value, 0);
      return a ? { [key]: a.addr } : undefined;
    },
    format: (st) => {
      const a = st[key];
      return a ? macToString(a) : undefined;
    },
    omitOnSave: () => false,
    keepsPmksa: true,
  };
}

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
    alwaysChanges: true,
  };
}

/**
 * Writer order of wpa_supplicant 2.10 (config_file.c), restricted to the
 * fields we model. freq_list is last because 2.10 never writes it.
 */
export const NETWORK_FIELDS: readonly NetworkField[] = [
  ssidField,
  intField('scan_ssid', 'scanSsid', 0, [0, 1]),
  addrField('bssid', 'bssid'),
  addrField('bssid_hint', 'bssidHint'),
  addrListField('bssid_ignore', 'bssidIgnore'),
  addrListField('bssid_accept', 'bssidAccept'),
  pskField,
  intField('mem_only_psk', 'memOnlyPsk', 0),
  strField('sae_password', 'saePassword', { secret: true, cstring: true }),
  strField('sae_password_id', 'saePasswordId', { cstring: true }),
  tokenField('proto', 'proto', DEFAULT_PROTO, 20),
  tokenField('key_mgmt', 'keyMgmt', DEFAULT_KEY_MGMT, 100),
  intField('bg_scan_period', 'bgScanPeriod', DEFAULT_BG_SCAN_PERIOD),
  cipherField('pairwise', 'pairwise', DEFAULT_PAIRWISE),
  cipherField('group', 'group', DEFAULT_GROUP),
  cipherField('group_mgmt', 'groupMgmt', 0),
  tokenField('auth_alg', 'authAlg', 0, 20),
  { ...strField('bgscan', 'bgscan', { cstring: true }), keepsPmksa: true },
  intArrayField('scan_freq', 'scanFreq', true),
  eapField,
  strField('identity', 'identity', { cstring: false }),
  strField('anonymous_identity', 'anonymousIdentity', { cstring: false }),
  passwordField,
  strField('ca_cert', 'caCert', { cstring: true }),
  strField('client_cert', 'clientCert', { cstring: true }),
  strField('private_key', 'privateKey', { cstring: true }),
  strField('private_key_passwd', 'privateKeyPasswd', { cstring: true, secret: true }),
  strField('altsubject_match', 'altsubjectMatch', { cstring: true }),
  strField('domain_suffix_match', 'domainSuffixMatch', { cstring: true }),
  strField('phase1', 'phase1', { cstring: true }),
  strField('phase2', 'phase2', { cstring: true }),
  wepKeyField(0),
  wepKeyField(1),
  wepKeyField(2),
  wepKeyField(3),
  intField('wep_tx_keyidx', 'wepTxKeyidx', 0),
  { ...intField('priority', 'priority', 0), keepsPmksa: true },
  intField('eap_workaround', 'eapWorkaround', DEFAULT_EAP_WORKAROUND),
  intField('fragment_size', 'fragmentSize', DEFAULT_FRAGMENT_SIZE),
  intField('mode', 'mode', 0, [0, 5]),
  // 2.10 quirk: the default is 1 but the writer compares with 0, so every
  // saved block carries mesh_fwding=1.
  intField('mesh_fwding', 'meshFwding', 0, [0, 1]),
  intField('frequency', 'frequency', 0, [0, 70200]),
  intField('proactive_key_caching', 'proactiveKeyCaching', -1, [0, 1]),
  intField('disabled', 'disabled', 0, [0, 2]),
  intField('ieee80211w', 'ieee80211w', IEEE80211W_DEFAULT, [0, 2]),
  strField('id_str', 'idStr', { cstring: true }),
  intField('mac_addr', 'macAddr', -1, [0, 2]),
  // 2.10's writer has no line for freq_list (checked against the real daemon).
  intArrayField('freq_list', 'freqList', false),
];

/** Deprecated names 2.10 still accepts for the same fields. */
const ALIASES: Record<string, string> = { bssid_blacklist: 'bssid_ignore', bssid_whitelist: 'bssid_accept' };

const BY_NAME = new Map(NETWORK_FIELDS.map((f) => [f.name, f]));

export function networkField(name: string): NetworkField | undefined {
  return BY_NAME.get(Object.hasOwn(ALIASES, name) ? ALIASES[name] : name);
}
