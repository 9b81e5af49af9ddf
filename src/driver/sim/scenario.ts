/**
 * Scenario files: the INI description of a simulated radio environment (the
 * access points, a timeline) and of the firmware (capabilities, behaviour).
 * conf/scenarios/*.ini are the examples; README "Simulator" documents keys.
 */
import fs from 'node:fs';
import ini from 'ini';
import type { DriverCapabilities, MfpPolicy } from '../backend.js';
import { isMac } from '../wire.js';
import { akmFamily, cipherInfo, UnknownSuiteError } from '../../rsn/akm.js';

/** How the firmware behaves on a connection it was asked to run the 4-way handshake for. */
export const FIRMWARE_MODES = ['complete', 'late', 'silent', 'no_material', 'fail', 'late_no_material', 'replay_only', 'connect', 'mute', 'deaf'] as const;
export type FirmwareMode = (typeof FIRMWARE_MODES)[number];

/** Where a `restart_at` firmware restart happens (once). */
export const RESTART_POINTS = ['connect', 'assoc', '4way'] as const;
export type RestartPoint = (typeof RESTART_POINTS)[number];

const SIM_AKMS = ['NONE', 'WPA-PSK', 'WPA-PSK-SHA256', 'WPA-EAP', 'WPA-EAP-SHA256', 'SAE', 'FT-PSK', 'FT-EAP', 'FT-SAE'] as const;
export type SimAkm = (typeof SIM_AKMS)[number];

export interface ApConfig {
  name: string;
  bssid: string;
  ssid: Buffer;
  freq: number;
  signal: number;
  /**
   * The AKMs the AP offers, in its RSNE's order (hostapd's wpa_key_mgmt):
   * one, or several for a transition-mode AP (`WPA-PSK SAE`: WPA3-Personal
   * transition, PMF optional); `NONE` alone for an open AP.
   */
  akms: SimAkm[];
  pairwise: string;
  group: string;
  /** Group management cipher when MFP is on (BIP = BIP-CMAC-128). */
  groupMgmt: string;
  mfp: MfpPolicy;
  /** The passphrase; with SAE the password (hostapd's wpa_passphrase standing in for sae_password). */
  passphrase?: string;
  /** SAE: the groups the AP accepts (hostapd's sae_groups; default 19). */
  saeGroups: number[];
  /** SAE: hostapd's sae_pwe (0 hunting-and-pecking, 1 hash-to-element only, 2 both); H2E is advertised in the RSNXE with 1 and 2. */
  saePwe: 0 | 1 | 2;
  /**
   * SAE: hostapd's sae_anti_clogging_threshold: once this many SAE exchanges
   * are in progress, a commit without a token gets status 76 and a token
   * (0: every commit; default 5, hostapd's).
   */
  saeAntiCloggingThreshold: number;
  /** PSK (PSK AKMs, instead of a passphrase) or the PMK an EAP exchange would have produced (EAP AKMs). */
  pmk?: Buffer;
  /** Seconds between group / pairwise rekeys the AP starts itself; 0 = never. */
  gtkRekeyS: number;
  ptkRekeyS: number;
  beaconInt: number;
  hidden: boolean;
  up: boolean;
  /** The AP MLD this AP is affiliated with (a multi-link association reports it as `ap_mld_addr`). */
  apMldAddr?: string;
  /** EAPOL-Start from a PSK station: restart the 4-way handshake (vendor APs) or ignore it (hostapd). */
  pskEapolStart: 'restart' | 'ignore';
  /** FT AKMs: the mobility domain (MDID, 2 octets) and this AP's R0KH-ID (its NAS identifier). */
  mdid: Buffer;
  r0khId: Buffer;
}

export interface FirmwareConfig {
  caps: DriverCapabilities;
  mode: FirmwareMode;
  restartAt?: RestartPoint;
  /** key_mgmt_offload roaming: leave the current BSS below this signal ... */
  roamThreshold: number;
  /** ... for a candidate at least this much stronger. */
  roamDelta: number;
  /**
   * sae_offload: report the PMKSA SAE made (`pmksa_added`); false keeps it in
   * the firmware's table only, as brcmfmac (nl80211 SAE_OFFLOAD_STA) does.
   */
  saeReportsPmksa: boolean;
}

export interface TimelineEntry {
  atMs: number;
  commands: string[];
}

export interface Scenario {
  seed: number;
  /** The station's own MAC address (hello's `address`). */
  address: string;
  noise: number;
  /** One-way air delay for every frame and association step. */
  airDelayMs: number;
  scanDelayMs: number;
  /** AP EAPOL-Key retransmission timeout and count (hostapd: 1 s, 4 tries in all). */
  eapolTimeoutMs: number;
  eapolRetries: number;
  firmware: FirmwareConfig;
  aps: ApConfig[];
  timeline: TimelineEntry[];
}

export class ScenarioError extends Error {
  constructor(where: string, message: string) {
    super(`scenario ${where}: ${message}`);
    this.name = 'ScenarioError';
  }
}

type Section = Record<string, unknown>;

class Reader {
  constructor(
    private readonly sec: Section,
    private readonly where: string,
  ) {}

  private raw(key: string): unknown {
    return this.sec[key];
  }

  err(key: string, msg: string): ScenarioError {
    return new ScenarioError(`[${this.where}] ${key}`, msg);
  }

  str(key: string, def?: string): string {
    const v = this.raw(key);
    if (v === undefined) {
      if (def === undefined) throw this.err(key, 'missing');
      return def;
    }
    if (typeof v !== 'string') throw this.err(key, 'expected a value');
    return v.trim();
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  optStr(key: string): string | undefined {
    return this.raw(key) === undefined ? undefined : this.str(key);
  }

  int(key: string, def?: number): number {
    const v = this.raw(key);
    if (v === undefined) {
      if (def === undefined) throw this.err(key, 'missing');
      return def;
    }
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw this.err(key, `not an integer: ${String(v)}`);
    return n;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (v === true || v === '1' || v === 'yes') return true;
    if (v === false || v === '0' || v === 'no') return false;
    throw this.err(key, `not a boolean: ${String(v)}`);
  }

  list(key: string, def: string[]): string[] {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v !== 'string') throw this.err(key, 'expected a comma-separated list');
    return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], def?: T): T {
    const v = this.str(key, def);
    if (!(allowed as readonly string[]).includes(v)) throw this.err(key, `must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  mac(key: string, def?: string): string {
    const v = this.str(key, def).toLowerCase();
    if (!isMac(v)) throw this.err(key, `not a MAC address: ${v}`);
    return v;
  }

  hex(key: string, len: number): Buffer | undefined {
    const v = this.optStr(key);
    if (v === undefined) return undefined;
    if (!/^[0-9a-fA-F]*$/.test(v) || v.length !== len * 2) throw this.err(key, `expected ${len} bytes of hex`);
    return Buffer.from(v, 'hex');
  }
}

function macAdd(mac: string, n: number): string {
  const v = BigInt('0x' + mac.replace(/:/g, '')) + BigInt(n);
  const h = (v & 0xffffffffffffn).toString(16).padStart(12, '0');
  return h.match(/../g)!.join(':');
}

function parseFirmware(sec: Section): FirmwareConfig {
  const r = new Reader(sec, 'firmware');
  const restart = r.optStr('restart_at');
  if (restart !== undefined && !(RESTART_POINTS as readonly string[]).includes(restart)) {
    throw r.err('restart_at', `must be one of ${RESTART_POINTS.join(', ')}`);
  }
  return {
    caps: {
      four_way_psk: r.bool('four_way_psk', true),
      four_way_8021x: r.bool('four_way_8021x', false),
      key_mgmt_offload: r.bool('key_mgmt_offload', true),
      gtk_rekey_offload: r.bool('gtk_rekey_offload', true),
      pmksa_offload: r.bool('pmksa_offload', true),
      max_pmksa: r.int('max_pmksa', 32),
      akms: r.list('akms', ['WPA-PSK', 'WPA-PSK-SHA256', 'WPA-EAP', 'WPA-EAP-SHA256', 'SAE']),
      ciphers: r.list('ciphers', ['CCMP', 'GCMP', 'CCMP-256', 'GCMP-256', 'BIP']),
      // Version-2 capabilities: said only when the scenario says them, as a version-1 driver would not.
      ...(r.has('completion') ? { completion: r.oneOf('completion', ['port_authorized', 'connect'] as const, 'port_authorized') } : {}),
      ...(r.has('sync_state') ? { sync_state: r.bool('sync_state', true) } : {}),
      ...(r.has('sae_offload') ? { sae_offload: r.bool('sae_offload', false) } : {}),
      ...(r.has('owe_offload') ? { owe_offload: r.bool('owe_offload', false) } : {}),
      // Host SAE (auth/auth_rx): the simulated radio takes Authentication frames unless the scenario says otherwise.
      sae_auth: r.bool('sae_auth', true),
      // FT over the air through the host (auth with algorithm ft, roam with ft_ies): likewise.
      ft_auth: r.bool('ft_auth', true),
    },
    mode: r.oneOf('mode', FIRMWARE_MODES, 'complete'),
    restartAt: restart as RestartPoint | undefined,
    roamThreshold: r.int('roam_threshold', -75),
    roamDelta: r.int('roam_delta', 5),
    saeReportsPmksa: r.bool('sae_report_pmksa', true),
  };
}

function nonNegative(r: Reader, key: string, def: number): number {
  const n = r.int(key, def);
  if (n < 0) throw r.err(key, 'must be 0 or more');
  return n;
}

function parseAps(name: string, sec: Section): ApConfig[] {
  const r = new Reader(sec, `ap ${name}`);
  // One AKM or several, separated by spaces or commas as hostapd's wpa_key_mgmt (`WPA-PSK SAE`: transition mode).
  const akms = r.list('akm', ['WPA-PSK']).flatMap((a) => a.split(/\s+/)).filter(Boolean);
  for (const a of akms) if (!(SIM_AKMS as readonly string[]).includes(a)) throw r.err('akm', `must be one or more of ${SIM_AKMS.join(', ')}`);
  if (akms.length === 0) throw r.err('akm', 'empty');
  if (new Set(akms).size !== akms.length) throw r.err('akm', 'an AKM named twice');
  if (akms.includes('NONE') && akms.length > 1) throw r.err('akm', 'NONE (an open AP) goes alone');
  const sae = akms.some((a) => akmFamily(a) === 'sae');
  const saeOnly = akms.every((a) => akmFamily(a) === 'sae');
  // SAE requires PMF (802.11-2020 12.6.2: MFPC with AKM 8): required for WPA3-Personal only, optional in transition mode (hostapd's ieee80211w=1).
  const mfpDefault = saeOnly ? 'required' : sae || akms.some((a) => a.endsWith('SHA256')) ? 'optional' : 'none';
  const mfp = r.oneOf<MfpPolicy>('mfp', ['none', 'optional', 'required'], mfpDefault);
  if (sae && mfp === 'none') throw r.err('mfp', 'SAE requires management frame protection (optional or required)');
  const saeGroups = r.list('sae_groups', ['19']).flatMap((g) => g.split(/\s+/)).filter(Boolean).map((g) => {
    const n = Number(g);
    if (![19, 20, 21].includes(n)) throw r.err('sae_groups', `not an SAE group this simulator runs (19, 20, 21): ${g}`);
    return n;
  });
  const passphrase = r.optStr('passphrase');
  const pmk = r.hex('psk', 32) ?? r.hex('pmk', 32);
  if (sae && passphrase === undefined) throw r.err('passphrase', 'an SAE AP needs the passphrase (its SAE password)');
  if (!akms.includes('NONE') && passphrase === undefined && pmk === undefined) throw r.err('passphrase', 'an RSN AP needs passphrase, psk or pmk');
  if (passphrase !== undefined && (passphrase.length < 8 || passphrase.length > 63)) throw r.err('passphrase', 'must be 8..63 characters');
  if (akms.some((a) => a.startsWith('WPA-EAP') || a === 'FT-EAP') && pmk === undefined) throw r.err('pmk', 'an 802.1X AP in the simulator needs the PMK its EAP server would produce');
  const mdid = r.hex('mdid', 2) ?? Buffer.from('a1b2', 'hex');
  const r0khId = Buffer.from(r.str('r0kh_id', `r0kh.${name}`), 'utf8');
  if (r0khId.length < 1 || r0khId.length > 48) throw r.err('r0kh_id', 'must be 1..48 octets');
  for (const [key, use] of [['pairwise', 'pairwise'], ['group', 'group'], ['group_mgmt', 'group-mgmt']] as const) {
    const name = r.optStr(key);
    if (name === undefined) continue;
    try {
      if (!cipherInfo(name).uses.includes(use)) throw r.err(key, `${name} is not a ${use} cipher`);
    } catch (e) {
      if (e instanceof UnknownSuiteError) throw r.err(key, e.message);
      throw e;
    }
  }
  const count = r.int('count', 1);
  if (count < 1 || count > 100000) throw r.err('count', 'must be 1..100000');
  const ssidText = r.str('ssid');
  const freqs = r.list('freq', []).map((f) => {
    const n = Number(f);
    if (!Number.isInteger(n) || n < 2400 || n > 7200) throw r.err('freq', `not a frequency in MHz: ${f}`);
    return n;
  });
  if (freqs.length === 0) throw r.err('freq', 'missing');
  const base = r.mac('bssid');
  const out: ApConfig[] = [];
  for (let i = 0; i < count; i++) {
    const ssid = Buffer.from(count > 1 ? ssidText.replace('%d', String(i)) : ssidText, 'utf8');
    if (ssid.length > 32) throw r.err('ssid', 'longer than 32 bytes');
    out.push({
      name: count > 1 ? `${name}#${i}` : name,
      bssid: macAdd(base, i),
      ssid,
      freq: freqs[i % freqs.length],
      signal: r.int('signal', -50),
      ...(r.has('ap_mld_addr') ? { apMldAddr: r.mac('ap_mld_addr') } : {}),
      akms: akms as SimAkm[],
      pairwise: r.str('pairwise', 'CCMP'),
      group: r.str('group', 'CCMP'),
      groupMgmt: r.str('group_mgmt', 'BIP'),
      mfp,
      passphrase,
      saeGroups,
      saePwe: Number(r.oneOf('sae_pwe', ['0', '1', '2'] as const, '0')) as 0 | 1 | 2,
      saeAntiCloggingThreshold: nonNegative(r, 'sae_anti_clogging_threshold', 5),
      pmk,
      gtkRekeyS: r.int('gtk_rekey', 0),
      ptkRekeyS: r.int('ptk_rekey', 0),
      beaconInt: r.int('beacon_int', 100),
      hidden: r.bool('hidden', false),
      up: r.bool('up', true),
      mdid,
      r0khId,
      pskEapolStart: r.oneOf('psk_eapol_start', ['restart', 'ignore'] as const, 'restart'),
    });
  }
  return out;
}

function parseTimeline(sec: Section | undefined): TimelineEntry[] {
  if (!sec) return [];
  const out: TimelineEntry[] = [];
  for (const [k, v] of Object.entries(sec)) {
    if (!/^\d+$/.test(k)) throw new ScenarioError(`[timeline] ${k}`, 'keys are times in milliseconds from start');
    if (typeof v !== 'string') throw new ScenarioError(`[timeline] ${k}`, 'expected DRIVER commands separated by commas');
    out.push({ atMs: Number(k), commands: v.split(',').map((c) => c.trim()).filter((c) => c !== '') });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

export function parseScenario(text: string, source = 'scenario'): Scenario {
  let doc: Record<string, unknown>;
  try {
    doc = ini.parse(text);
  } catch (e) {
    throw new ScenarioError(source, (e as Error).message);
  }
  const sim = new Reader((doc.sim as Section) ?? {}, 'sim');
  const aps: ApConfig[] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (!k.startsWith('ap ')) continue;
    aps.push(...parseAps(k.slice(3).trim(), v as Section));
  }
  const seen = new Set<string>();
  for (const ap of aps) {
    if (seen.has(ap.bssid)) throw new ScenarioError(`[ap ${ap.name}] bssid`, `${ap.bssid} used twice`);
    seen.add(ap.bssid);
  }
  for (const k of Object.keys(doc)) {
    if (!k.startsWith('ap ') && !['sim', 'firmware', 'timeline'].includes(k)) throw new ScenarioError(`[${k}]`, 'unknown section');
  }
  return {
    seed: sim.int('seed', 1),
    address: sim.mac('address', '02:00:00:00:00:01'),
    noise: sim.int('noise', -95),
    airDelayMs: sim.int('air_delay_ms', 2),
    scanDelayMs: sim.int('scan_delay_ms', 20),
    eapolTimeoutMs: sim.int('eapol_timeout_ms', 1000),
    eapolRetries: sim.int('eapol_retries', 3),
    firmware: parseFirmware((doc.firmware as Section) ?? {}),
    aps,
    timeline: parseTimeline(doc.timeline as Section | undefined),
  };
}

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(path, (e as Error).message);
  }
  return parseScenario(text, path);
}
