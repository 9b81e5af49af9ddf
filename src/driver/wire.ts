/**
 * The wire form of the driver protocol (docs/driver-protocol.md):
 * JSON lines, hex for binary values, `aa:bb:cc:dd:ee:ff` for MAC addresses,
 * snake_case field names. One codec shared by the daemon side (ext.ts) and the
 * driver side (sim/server.ts), so both ends agree by construction.
 *
 * Decoders are strict about the fields they need (a typed WireFormatError
 * names the field) and ignore every field they do not know, as the protocol
 * asks for forward compatibility.
 */
import type {
  AssocEvent,
  AuthParams,
  ConnectParams,
  DriverCapabilities,
  DriverEvents,
  FirmwareMaterial,
  FirmwareSyncState,
  HelloResult,
  KeyKind,
  MfpPolicy,
  PmksaParams,
  RekeyData,
  RoamFtParams,
  SaeOffloadParams,
  ScanBss,
  ScanParams,
  SetKeyParams,
  SuspendParams,
  WakeReason,
} from './backend.js';
import { DRIVER_PROTOCOL_VERSION, WAKE_REASONS } from './backend.js';

/** Longest line either side accepts, newline excluded. */
export const MAX_LINE_BYTES = 65536;

export type WireObject = Record<string, unknown>;

/** A line or field that does not follow the protocol. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

/* ------------------------------------------------------------ line framing */

/**
 * Deepest nesting of arrays and objects a line may have. The protocol's own
 * messages nest three levels (scan_results → bss → entry); the margin is for
 * fields of later versions. Deeper lines are dropped before they are parsed,
 * so nothing downstream ever walks a hostile structure.
 */
export const MAX_NESTING = 32;

/**
 * Splits a byte stream into lines of at most MAX_LINE_BYTES. An over-long line
 * is reported once and skipped up to its newline; the stream stays usable.
 * The buffer is reset before a line is handed on, so a consumer that throws
 * cannot corrupt the framing of the lines after it.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly onLine: (line: Buffer) => void,
    private readonly onOverlong: (bytesSeen: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      this.append(chunk.subarray(start, end));
      if (nl < 0) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  private append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    if (this.discarding) return;
    if (this.size > this.maxBytes) {
      this.discarding = true;
      this.parts = [];
      return;
    }
    this.parts.push(piece);
  }

  private finishLine(): void {
    const { parts, size, discarding } = this;
    this.parts = [];
    this.size = 0;
    this.discarding = false;
    if (discarding) this.onOverlong(size);
    else if (size > 0) this.onLine(Buffer.concat(parts, size));
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses one line into a JSON object, or throws WireFormatError: the line
 * must be UTF-8 (RFC 8259), nest at most MAX_NESTING levels, and be an object.
 */
export function parseLine(line: Buffer | string): WireObject {
  let text: string;
  if (typeof line === 'string') {
    text = line;
  } else {
    try {
      text = utf8.decode(line);
    } catch {
      throw new WireFormatError('not UTF-8');
    }
  }
  if (nestingDepth(text) > MAX_NESTING) throw new WireFormatError(`nested deeper than ${MAX_NESTING} levels`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new WireFormatError(`not JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new WireFormatError('not a JSON object');
  return v as WireObject;
}

/** The deepest array/object nesting of JSON text, brackets inside strings not counted (invalid JSON gives some number; JSON.parse then refuses it). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

/**
 * A peer's value as a log message may quote it: short, and never by walking
 * it (String() of a nested list recurses; of {"toString":1} it throws).
 */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
    case 'number':
    case 'boolean':
      return String(v);
    case 'undefined':
      return 'nothing';
    default:
      return v === null ? 'null' : Array.isArray(v) ? 'a list' : 'an object';
  }
}

/** Serialises one message; refuses what the peer would have to drop. */
export function formatLine(obj: WireObject): string {
  const line = JSON.stringify(obj);
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) throw new WireFormatError(`message of ${Buffer.byteLength(line)} bytes exceeds ${MAX_LINE_BYTES}`);
  return line + '\n';
}

/* ------------------------------------------------------------ field codecs */

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const HEX_RE = /^(?:[0-9a-f]{2})*$/;

export function isMac(v: unknown): v is string {
  return typeof v === 'string' && MAC_RE.test(v);
}

function hex(b: Buffer): string {
  return b.toString('hex');
}

function field(o: WireObject, name: string): unknown {
  const v = o[name];
  if (v === undefined) throw new WireFormatError(`missing field "${name}"`);
  return v;
}

export function getMac(o: WireObject, name: string): string {
  const v = field(o, name);
  // Accept upper case from a peer, speak lower case ourselves.
  const s = typeof v === 'string' ? v.toLowerCase() : v;
  if (!isMac(s)) throw new WireFormatError(`field "${name}" is not a MAC address`);
  return s;
}

export function getHex(o: WireObject, name: string): Buffer {
  return decodeHex(field(o, name), name);
}

function optHex(o: WireObject, name: string): Buffer | undefined {
  const v = o[name];
  // "" means absent: set_pmksa carries pmk "" for a firmware without pmksa_offload.
  if (v === undefined || v === null || v === '') return undefined;
  return decodeHex(v, name);
}

function decodeHex(v: unknown, name: string): Buffer {
  if (typeof v !== 'string') throw new WireFormatError(`field "${name}" is not a hex string`);
  const s = v.toLowerCase();
  if (!HEX_RE.test(s)) throw new WireFormatError(`field "${name}" is not a hex string`);
  return Buffer.from(s, 'hex');
}

function getNum(o: WireObject, name: string): number {
  const v = field(o, name);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireFormatError(`field "${name}" is not a number`);
  return v;
}

export function getInt(o: WireObject, name: string): number {
  const v = getNum(o, name);
  if (!Number.isInteger(v)) throw new WireFormatError(`field "${name}" is not an integer`);
  return v;
}

export function getBool(o: WireObject, name: string): boolean {
  const v = field(o, name);
  if (typeof v !== 'boolean') throw new WireFormatError(`field "${name}" is not a boolean`);
  return v;
}

export function getStr(o: WireObject, name: string): string {
  const v = field(o, name);
  if (typeof v !== 'string') throw new WireFormatError(`field "${name}" is not a string`);
  return v;
}

function getObj(o: WireObject, name: string): WireObject {
  const v = field(o, name);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new WireFormatError(`field "${name}" is not an object`);
  return v as WireObject;
}

function getList(o: WireObject, name: string): unknown[] {
  const v = field(o, name);
  if (!Array.isArray(v)) throw new WireFormatError(`field "${name}" is not a list`);
  return v;
}

function optList(o: WireObject, name: string): unknown[] | undefined {
  return o[name] === undefined ? undefined : getList(o, name);
}

function asObj(v: unknown, what: string): WireObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new WireFormatError(`${what} is not an object`);
  return v as WireObject;
}

function getEnum<T extends string>(o: WireObject, name: string, allowed: readonly T[]): T {
  const v = getStr(o, name);
  if (!(allowed as readonly string[]).includes(v)) throw new WireFormatError(`field "${name}" is not one of ${allowed.join('/')}`);
  return v as T;
}

/* ---------------------------------------------------------------- replies */

function encodeCapabilities(c: DriverCapabilities): WireObject {
  return { ...c };
}

function decodeCapabilities(o: WireObject): DriverCapabilities {
  const names = (n: string): string[] => getList(o, n).map((x) => {
    if (typeof x !== 'string') throw new WireFormatError(`capabilities.${n} holds a non-string`);
    return x;
  });
  return {
    four_way_psk: getBool(o, 'four_way_psk'),
    four_way_8021x: getBool(o, 'four_way_8021x'),
    key_mgmt_offload: getBool(o, 'key_mgmt_offload'),
    gtk_rekey_offload: getBool(o, 'gtk_rekey_offload'),
    pmksa_offload: getBool(o, 'pmksa_offload'),
    max_pmksa: getInt(o, 'max_pmksa'),
    akms: names('akms'),
    ciphers: names('ciphers'),
    ...(o.completion !== undefined ? { completion: getEnum(o, 'completion', ['port_authorized', 'connect'] as const) } : {}),
    ...(o.sync_state !== undefined ? { sync_state: getBool(o, 'sync_state') } : {}),
    ...(o.sae_offload !== undefined ? { sae_offload: getBool(o, 'sae_offload') } : {}),
    ...(o.owe_offload !== undefined ? { owe_offload: getBool(o, 'owe_offload') } : {}),
    ...(o.sae_auth !== undefined ? { sae_auth: getBool(o, 'sae_auth') } : {}),
    ...(o.ft_auth !== undefined ? { ft_auth: getBool(o, 'ft_auth') } : {}),
  };
}

export function encodeHello(h: HelloResult): WireObject {
  return { version: h.version, address: h.address, capabilities: encodeCapabilities(h.capabilities) };
}

export function decodeHello(o: WireObject): HelloResult {
  return { version: getInt(o, 'version'), address: getMac(o, 'address'), capabilities: decodeCapabilities(getObj(o, 'capabilities')) };
}

export function encodeSyncState(s: FirmwareSyncState): WireObject {
  return {
    replay_ctr: s.replayCtr ? hex(s.replayCtr) : null,
    kck_fp: s.kckFp,
    kek_fp: s.kekFp,
    pmkids: s.pmkids.map((p) => ({ bssid: p.bssid, pmkid: hex(p.pmkid) })),
  };
}

export function decodeSyncState(o: WireObject): FirmwareSyncState {
  const fp = (n: string): string | null => {
    const v = o[n];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || !/^[0-9a-f]{8}$/.test(v)) throw new WireFormatError(`field "${n}" is not an 8-digit fingerprint`);
    return v;
  };
  return {
    replayCtr: optHex(o, 'replay_ctr') ?? null,
    kckFp: fp('kck_fp'),
    kekFp: fp('kek_fp'),
    pmkids: getList(o, 'pmkids').map((x) => {
      const e = asObj(x, 'pmkids entry');
      return { bssid: getMac(e, 'bssid'), pmkid: getHex(e, 'pmkid') };
    }),
  };
}

/* --------------------------------------------------------------- requests */

/** Request arguments, per op, in the wire form (without id/op). */
export const encodeArgs = {
  hello: (ifname: string): WireObject => ({ version: DRIVER_PROTOCOL_VERSION, ifname }),
  scan: (p: ScanParams): WireObject => ({
    ...(p.ssids ? { ssids: p.ssids.map(hex) } : {}),
    ...(p.freqs ? { freqs: p.freqs } : {}),
  }),
  connect: (p: ConnectParams): WireObject => ({
    bssid: p.bssid,
    ssid: hex(p.ssid),
    freq: p.freq,
    ies: hex(p.ies),
    akm: p.akm,
    pairwise: p.pairwise,
    group: p.group,
    mfp: p.mfp,
    ...(p.pmk ? { pmk: hex(p.pmk) } : {}),
    ...(p.pmkid ? { pmkid: hex(p.pmkid) } : {}),
    ...(p.fourWayOffload !== undefined ? { four_way_offload: p.fourWayOffload } : {}),
    // A secret like pmk and sae_password: neither side logs a connect's fields (only the op or event name).
    ...(p.psk ? { psk: hex(p.psk) } : {}),
    ...(p.sae
      ? { sae_password: hex(p.sae.password), ...(p.sae.passwordId ? { sae_password_id: hex(p.sae.passwordId) } : {}), sae_pwe: p.sae.pwe }
      : {}),
  }),
  disconnect: (reason: number): WireObject => ({ reason }),
  roam: (bssid: string, ft?: RoamFtParams): WireObject => ({ bssid, ...(ft ? { ft_ies: hex(ft.ies) } : {}) }),
  tx_eapol: (dst: string, data: Buffer): WireObject => ({ dst, data: hex(data) }),
  set_key: (p: SetKeyParams): WireObject => ({
    kind: p.kind,
    idx: p.idx,
    cipher: p.cipher,
    key: hex(p.key),
    ...(p.rsc ? { rsc: hex(p.rsc) } : {}),
    addr: p.addr,
  }),
  set_port: (authorized: boolean): WireObject => ({ authorized }),
  set_pmksa: (p: PmksaParams): WireObject => ({
    bssid: p.bssid,
    pmkid: hex(p.pmkid),
    pmk: p.pmk ? hex(p.pmk) : '',
    akm: p.akm,
    lifetime: p.lifetime,
    ...(p.reauthThreshold !== undefined ? { reauth_threshold: p.reauthThreshold } : {}),
    ...(p.ssid ? { ssid: hex(p.ssid) } : {}),
  }),
  del_pmksa: (bssid: string, pmkid: Buffer): WireObject => ({ bssid, pmkid: hex(pmkid) }),
  del_pmksa_ssid: (ssid: Buffer): WireObject => ({ ssid: hex(ssid) }),
  suspend: (p: SuspendParams): WireObject => ({ wowlan_triggers: p.wowlanTriggers }),
  flush_pmksa: (): WireObject => ({}),
  set_rekey_data: (d: RekeyData): WireObject => ({ kck: hex(d.kck), kek: hex(d.kek), replay_ctr: hex(d.replayCtr), akm: d.akm }),
  sync_state: (): WireObject => ({}),
  driver_cmd: (cmd: string): WireObject => ({ cmd }),
  auth: (p: AuthParams): WireObject => ({ bssid: p.bssid, freq: p.freq, ssid: hex(p.ssid), algorithm: p.algorithm, data: hex(p.data) }),
};

/** `connect`'s SAE offload fields: all of `sae_password` and `sae_pwe` or none; `sae_password_id` only with them. */
function saeOffloadArgs(o: WireObject): { sae?: SaeOffloadParams } {
  const password = optHex(o, 'sae_password');
  if (password !== undefined && o.four_way_offload === false) {
    // Offload off for SAE is no password: a firmware that runs SAE runs the 4-way handshake too (SAE_OFFLOAD_STA).
    throw new WireFormatError('field "sae_password" with "four_way_offload" false');
  }
  if (password === undefined) {
    if (o.sae_pwe !== undefined || o.sae_password_id !== undefined) throw new WireFormatError('field "sae_pwe" or "sae_password_id" without "sae_password"');
    return {};
  }
  const pwe = getInt(o, 'sae_pwe');
  if (pwe !== 0 && pwe !== 1 && pwe !== 2) throw new WireFormatError(`field "sae_pwe" is ${pwe}, not 0, 1 or 2`);
  const passwordId = optHex(o, 'sae_password_id');
  return { sae: { password, pwe, ...(passwordId ? { passwordId } : {}) } };
}

/** `connect`'s `psk` (capability key_mgmt_offload): the 32-octet PSK, as 2.10 gives KEY_MGMT_SET_KEY; the error never shows the value. */
function keyMgmtPskArg(o: WireObject): { psk?: Buffer } {
  const psk = optHex(o, 'psk');
  if (psk === undefined) return {};
  if (psk.length !== 32) throw new WireFormatError(`field "psk" is ${psk.length} octets, not 32`);
  return { psk };
}

export const decodeArgs = {
  /** `roam`: the target, and after FT Authentication the Reassociation Request's FT elements (`ft_ies`). */
  roam: (o: WireObject): { bssid: string; ft?: RoamFtParams } => {
    const ies = optHex(o, 'ft_ies');
    return { bssid: getMac(o, 'bssid'), ...(ies ? { ft: { ies } } : {}) };
  },
  auth: (o: WireObject): AuthParams => ({
    bssid: getMac(o, 'bssid'),
    freq: getInt(o, 'freq'),
    ssid: getHex(o, 'ssid'),
    algorithm: getEnum(o, 'algorithm', ['sae', 'ft'] as const),
    data: getHex(o, 'data'),
  }),
  scan: (o: WireObject): ScanParams => {
    const ssids = optList(o, 'ssids')?.map((s, i) => decodeHex(s, `ssids[${i}]`));
    const freqs = optList(o, 'freqs')?.map((f) => {
      if (typeof f !== 'number' || !Number.isInteger(f)) throw new WireFormatError('field "freqs" holds a non-integer');
      return f;
    });
    return { ...(ssids ? { ssids } : {}), ...(freqs ? { freqs } : {}) };
  },
  connect: (o: WireObject): ConnectParams => ({
    bssid: getMac(o, 'bssid'),
    ssid: getHex(o, 'ssid'),
    freq: getInt(o, 'freq'),
    ies: getHex(o, 'ies'),
    akm: getStr(o, 'akm'),
    pairwise: getStr(o, 'pairwise'),
    group: getStr(o, 'group'),
    mfp: getEnum<MfpPolicy>(o, 'mfp', ['none', 'optional', 'required']),
    pmk: optHex(o, 'pmk'),
    pmkid: optHex(o, 'pmkid'),
    ...(o.four_way_offload !== undefined ? { fourWayOffload: getBool(o, 'four_way_offload') } : {}),
    ...keyMgmtPskArg(o),
    ...saeOffloadArgs(o),
  }),
  set_key: (o: WireObject): SetKeyParams => ({
    kind: getEnum<KeyKind>(o, 'kind', ['pairwise', 'group', 'igtk']),
    idx: getInt(o, 'idx'),
    cipher: getStr(o, 'cipher'),
    key: getHex(o, 'key'),
    rsc: optHex(o, 'rsc'),
    addr: getMac(o, 'addr'),
  }),
  set_pmksa: (o: WireObject): PmksaParams => ({
    bssid: getMac(o, 'bssid'),
    pmkid: getHex(o, 'pmkid'),
    pmk: optHex(o, 'pmk'),
    akm: getStr(o, 'akm'),
    lifetime: getInt(o, 'lifetime'),
    ...(o.reauth_threshold !== undefined ? { reauthThreshold: getInt(o, 'reauth_threshold') } : {}),
    ssid: optHex(o, 'ssid'),
  }),
  suspend: (o: WireObject): SuspendParams => ({ wowlanTriggers: o.wowlan_triggers === undefined ? '' : getStr(o, 'wowlan_triggers') }),
  set_rekey_data: (o: WireObject): RekeyData => ({
    kck: getHex(o, 'kck'),
    kek: getHex(o, 'kek'),
    replayCtr: getHex(o, 'replay_ctr'),
    akm: getStr(o, 'akm'),
  }),
};

/* ----------------------------------------------------------------- events */

/** The protocol's own events (link_up, link_down and scan_results_lost belong to the backend, not the wire). */
export type ProtocolEventName = Exclude<keyof DriverEvents, 'link_up' | 'link_down' | 'scan_results_lost'>;

export const PROTOCOL_EVENTS: readonly ProtocolEventName[] = [
  'scan_started',
  'scan_results',
  'assoc',
  'port_authorized',
  'assoc_reject',
  'eapol_rx',
  'gtk_rekey',
  'pmksa_added',
  'disconnected',
  'signal',
  'firmware_restarted',
  'wake',
  'auth_rx',
  'beacon_loss',
];

function encodeMaterial(m: FirmwareMaterial | undefined): WireObject {
  const o: WireObject = {};
  if (m?.keyReplayCtr) o.key_replay_ctr = hex(m.keyReplayCtr);
  if (m?.kck) o.kck = hex(m.kck);
  if (m?.kek) o.kek = hex(m.kek);
  return o;
}

/** Whatever of KCK, KEK and replay counter is present; undefined when none is. */
function decodeMaterial(o: WireObject): FirmwareMaterial | undefined {
  const m: FirmwareMaterial = {};
  const ctr = optHex(o, 'key_replay_ctr');
  const kck = optHex(o, 'kck');
  const kek = optHex(o, 'kek');
  if (ctr) m.keyReplayCtr = ctr;
  if (kck) m.kck = kck;
  if (kek) m.kek = kek;
  return ctr || kck || kek ? m : undefined;
}

function encodeBss(b: ScanBss): WireObject {
  return {
    bssid: b.bssid,
    ssid: hex(b.ssid),
    freq: b.freq,
    signal: b.signal,
    noise: b.noise,
    beacon_int: b.beaconInt,
    caps: b.caps,
    ies: hex(b.ies),
    age_ms: b.ageMs,
  };
}

function decodeBss(v: unknown): ScanBss {
  const o = asObj(v, 'bss entry');
  return {
    bssid: getMac(o, 'bssid'),
    ssid: getHex(o, 'ssid'),
    freq: getInt(o, 'freq'),
    signal: getNum(o, 'signal'),
    noise: getNum(o, 'noise'),
    beaconInt: getInt(o, 'beacon_int'),
    caps: getInt(o, 'caps'),
    ies: getHex(o, 'ies'),
    ageMs: getNum(o, 'age_ms'),
  };
}

/**
 * scan_results as one or more lines. 1000 BSSes do not fit in one 64 KiB
 * line, so all but the last part carry `more: true` and the daemon joins them
 * (an extension of protocol version 1; a peer that ignores `more` would see
 * the parts as successive partial results rather than fail).
 */
export function encodeScanResults(bss: ScanBss[]): WireObject[] {
  const parts: WireObject[] = [];
  let cur: WireObject[] = [];
  let size = 64; // envelope: {"event":"scan_results","bss":[],"more":true}
  for (const b of bss) {
    const e = encodeBss(b);
    const n = JSON.stringify(e).length + 1;
    if (cur.length > 0 && size + n > MAX_LINE_BYTES) {
      parts.push({ event: 'scan_results', bss: cur, more: true });
      cur = [];
      size = 64;
    }
    cur.push(e);
    size += n;
  }
  parts.push({ event: 'scan_results', bss: cur });
  return parts;
}

/** Builds the wire object of one event. */
export function encodeEvent<K extends ProtocolEventName>(name: K, ...args: DriverEvents[K]): WireObject {
  const a = args as unknown[];
  switch (name) {
    case 'scan_started':
    case 'firmware_restarted':
    case 'beacon_loss':
      return { event: name };
    case 'scan_results':
      return { event: name, bss: (a[0] as ScanBss[]).map(encodeBss) };
    case 'assoc': {
      const e = a[0] as AssocEvent;
      return {
        event: name,
        bssid: e.bssid,
        freq: e.freq,
        req_ies: hex(e.reqIes),
        resp_ies: hex(e.respIes),
        beacon_ies: hex(e.beaconIes),
        roam: e.roam,
        authorized: e.authorized,
        ...(e.material ? encodeMaterial(e.material) : {}),
        ...(e.pmk ? { pmk: hex(e.pmk) } : {}),
        ...(e.pmkid ? { pmkid: hex(e.pmkid) } : {}),
        ...(e.apMldAddr ? { ap_mld_addr: e.apMldAddr } : {}),
      };
    }
    case 'port_authorized': {
      const e = a[0] as DriverEvents['port_authorized'][0];
      return { event: name, bssid: e.bssid, ...encodeMaterial(e.material), ...(e.tdBitmap ? { td_bitmap: hex(e.tdBitmap) } : {}), ...(e.apMldAddr ? { ap_mld_addr: e.apMldAddr } : {}) };
    }
    case 'assoc_reject': {
      const e = a[0] as DriverEvents['assoc_reject'][0];
      return { event: name, bssid: e.bssid, status: e.status, timeout: e.timeout };
    }
    case 'eapol_rx': {
      const e = a[0] as DriverEvents['eapol_rx'][0];
      return { event: name, src: e.src, data: hex(e.data) };
    }
    case 'gtk_rekey': {
      const e = a[0] as DriverEvents['gtk_rekey'][0];
      return { event: name, bssid: e.bssid, replay_ctr: hex(e.replayCtr) };
    }
    case 'pmksa_added': {
      const e = a[0] as DriverEvents['pmksa_added'][0];
      return { event: name, bssid: e.bssid, pmkid: hex(e.pmkid), pmk: hex(e.pmk), akm: e.akm, lifetime: e.lifetime };
    }
    case 'disconnected': {
      const e = a[0] as DriverEvents['disconnected'][0];
      return { event: name, bssid: e.bssid, reason: e.reason, locally_generated: e.locallyGenerated };
    }
    case 'signal': {
      const e = a[0] as DriverEvents['signal'][0];
      return { event: name, signal: e.signal, bssid: e.bssid };
    }
    case 'wake':
      return { event: name, reason: (a[0] as DriverEvents['wake'][0]).reason };
    case 'auth_rx': {
      const e = a[0] as DriverEvents['auth_rx'][0];
      return { event: name, bssid: e.bssid, data: hex(e.data), status: e.status };
    }
  }
  throw new WireFormatError(`no wire form for event ${String(name)}`);
}

export type DecodedEvent = { [K in ProtocolEventName]: { name: K; args: DriverEvents[K]; more?: boolean } }[ProtocolEventName];

/** Decodes one event; null for an event this version does not know (ignored by the caller). */
export function decodeEvent(o: WireObject): DecodedEvent | null {
  const name = getStr(o, 'event');
  switch (name) {
    case 'scan_started':
    case 'firmware_restarted':
    case 'beacon_loss':
      return { name, args: [] };
    case 'scan_results':
      return { name, args: [getList(o, 'bss').map(decodeBss)], more: o.more === true };
    case 'assoc': {
      const authorized = getBool(o, 'authorized');
      // Material is optional even when authorized: the nl80211-style firmware
      // completes without KCK/KEK, and the consumer must know it has none.
      const material = decodeMaterial(o);
      return {
        name,
        args: [{
          bssid: getMac(o, 'bssid'),
          freq: getInt(o, 'freq'),
          reqIes: optHex(o, 'req_ies') ?? Buffer.alloc(0),
          respIes: optHex(o, 'resp_ies') ?? Buffer.alloc(0),
          beaconIes: optHex(o, 'beacon_ies') ?? Buffer.alloc(0),
          roam: getBool(o, 'roam'),
          authorized,
          ...(material ? { material } : {}),
          ...(optHex(o, 'pmk') ? { pmk: optHex(o, 'pmk') } : {}),
          ...(optHex(o, 'pmkid') ? { pmkid: optHex(o, 'pmkid') } : {}),
          ...(o.ap_mld_addr !== undefined ? { apMldAddr: getMac(o, 'ap_mld_addr') } : {}),
        }],
      };
    }
    case 'port_authorized':
    {
      const material = decodeMaterial(o);
      const tdBitmap = optHex(o, 'td_bitmap');
      const apMldAddr = o.ap_mld_addr !== undefined ? getMac(o, 'ap_mld_addr') : undefined;
      return { name, args: [{ bssid: getMac(o, 'bssid'), ...(material ? { material } : {}), ...(tdBitmap ? { tdBitmap } : {}), ...(apMldAddr ? { apMldAddr } : {}) }] };
    }
    case 'assoc_reject':
      return { name, args: [{ bssid: getMac(o, 'bssid'), status: getInt(o, 'status'), timeout: getBool(o, 'timeout') }] };
    case 'eapol_rx':
      return { name, args: [{ src: getMac(o, 'src'), data: getHex(o, 'data') }] };
    case 'gtk_rekey':
      return { name, args: [{ bssid: getMac(o, 'bssid'), replayCtr: getHex(o, 'replay_ctr') }] };
    case 'pmksa_added':
      return {
        name,
        args: [{ bssid: getMac(o, 'bssid'), pmkid: getHex(o, 'pmkid'), pmk: getHex(o, 'pmk'), akm: getStr(o, 'akm'), lifetime: getInt(o, 'lifetime') }],
      };
    case 'disconnected':
      return { name, args: [{ bssid: getMac(o, 'bssid'), reason: getInt(o, 'reason'), locallyGenerated: getBool(o, 'locally_generated') }] };
    case 'signal':
      return { name, args: [{ bssid: getMac(o, 'bssid'), signal: getNum(o, 'signal') }] };
    case 'wake':
      // An unknown reason is still a wake (a later nl80211 trigger): `other`.
      return { name, args: [{ reason: (WAKE_REASONS as readonly string[]).includes(String(o.reason)) ? (o.reason as WakeReason) : 'other' }] };
    case 'auth_rx':
      return { name, args: [{ bssid: getMac(o, 'bssid'), data: getHex(o, 'data'), status: getInt(o, 'status') }] };
    default:
      return null;
  }
}
