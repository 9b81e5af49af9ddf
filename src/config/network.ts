/**
 * One network block: SET_NETWORK / GET_NETWORK semantics over the field table,
 * plus typed views for the station.
 *
 * Deliberate difference from 2.10: a rejected value changes nothing. 2.10
 * leaves partial results behind on some failures (key_mgmt "SAE BOGUS" keeps
 * SAE, an out-of-range integer is clamped to the bound, a bad bssid
 * overwrites its first bytes); the issue asks for "FAIL and nothing changed".
 */
import { cString } from './cstr.js';
import { NetworkState, Patch, defaultNetworkState, formatAddrMask, networkField } from './fields.js';
import { savedText } from './file-line.js';
import { AUTH_ALG, CIPHER, KEY_MGMT, PROTO, tokenNames } from './tokens.js';

/** The ctrl interface's reply buffer: a GET_NETWORK value must leave room for the NUL. */
const GET_REPLY_LIMIT = 4096;

export type SetResult = 'FAIL' | 'UNCHANGED' | 'CHANGED';

/**
 * Changing this field drops the network's PMKSA entries, as 2.10's
 * SET_NETWORK handler flushes them for every field but bssid, bssid_hint,
 * priority and (CONFIG_BGSCAN) bgscan: the field table marks those.
 */
export function invalidatesPmksa(name: string): boolean {
  return networkField(name)?.keepsPmksa !== true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

export class NetworkConfig {
  /** Not saved by SAVE_CONFIG (networks created by WPS/P2P/interworking in wpa_supplicant). */
  temporary = false;
  #st: NetworkState;

  constructor(readonly id: number, state: NetworkState = defaultNetworkState()) {
    this.#st = state;
  }

  /** A config-file line: what 2.10's reader takes. false means the line is bad and nothing changed. */
  set(name: string, value: string): boolean {
    return this.#apply(name, value, false) !== 'FAIL';
  }

  /**
   * SET_NETWORK: like set(), and telling whether the value actually changed
   * (the ctrl layer flushes PMKSA only then). Deliberate difference: a value
   * that SAVE_CONFIG could not write so that it reads back (a passphrase
   * like `ab"#cdefgh`, a string too long for the reader's 2000-byte line)
   * answers FAIL; 2.10 takes it and writes a file that loses or rejects it.
   */
  update(name: string, value: string): SetResult {
    return this.#apply(name, value, true);
  }

  #apply(name: string, value: string, mustReadBack: boolean): SetResult {
    const field = networkField(name);
    const patch: Patch | undefined = field?.parse(value, this.#st);
    if (!patch) return 'FAIL';
    const keys = Object.keys(patch) as (keyof NetworkState)[];
    // An empty patch is the parser's own "no change"; otherwise compare, unless 2.10 never would.
    if (keys.length === 0 || (!field!.alwaysChanges && keys.every((k) => sameValue(this.#st[k], patch[k])))) return 'UNCHANGED';
    const next = { ...this.#st, ...patch };
    if (mustReadBack && field!.saved && savedText(field!, next) === null) return 'FAIL';
    this.#st = next;
    return 'CHANGED';
  }

  /** GET_NETWORK reply text (no newline); undefined means FAIL (unset, unknown, or too long for the 4096-byte reply). Secrets answer '*'. */
  get(name: string): string | undefined {
    const field = networkField(name);
    const text = field?.format(this.#st);
    if (text === undefined) return undefined;
    if (field!.secret) return '*';
    return text.length >= GET_REPLY_LIMIT ? undefined : text;
  }

  /**
   * The value as the config writer prints it, secrets included (what 2.10's
   * wpa_config_get returns; DUP_NETWORK copies fields through it). Never log it.
   */
  getRaw(name: string): string | undefined {
    return networkField(name)?.format(this.#st);
  }

  /** Snapshot of the internal state for the writer (read-only use). */
  get state(): Readonly<NetworkState> {
    return this.#st;
  }

  /** Used by the config-file reader for its per-block validation. */
  patchState(patch: Patch): void {
    this.#st = { ...this.#st, ...patch };
  }

  // ---- typed views for the station ----
  get ssid(): Buffer | undefined { return this.#st.ssid; }
  get bssid(): string | undefined { return this.get('bssid'); }
  get keyMgmt(): string[] { return tokenNames(KEY_MGMT, this.#st.keyMgmt); }
  get proto(): string[] { return tokenNames(PROTO, this.#st.proto); }
  get pairwise(): string[] { return tokenNames(CIPHER, this.#st.pairwise); }
  /** Includes GTK_NOT_USED when configured (GET_NETWORK prints nothing for it). */
  get group(): string[] { return tokenNames(CIPHER, this.#st.group); }
  get groupMgmt(): string[] | undefined { return this.#st.groupMgmt ? tokenNames(CIPHER, this.#st.groupMgmt) : undefined; }
  /** 0, 1, 2, or 3 = follow the global pmf option. */
  get ieee80211w(): number { return this.#st.ieee80211w; }
  /** The ASCII passphrase as a binary string (one char per byte). */
  get passphrase(): string | undefined { return this.#st.passphrase?.toString('latin1'); }
  /** The raw 32-byte PSK, only when configured as 64 hex digits (a passphrase is not hashed here). */
  get psk(): Buffer | undefined { return this.#st.psk; }
  get saePassword(): string | undefined { return this.#st.saePassword?.toString('latin1'); }
  get priority(): number { return this.#st.priority; }
  get disabled(): number { return this.#st.disabled; }
  get idStr(): string | undefined { return this.#st.idStr === undefined ? undefined : cString(this.#st.idStr).toString('latin1'); }
  get scanSsid(): number { return this.#st.scanSsid; }
  /** mac_addr: -1 follows the global option, 0 the radio's own address, 1/2 a random one. */
  get macAddr(): number { return this.#st.macAddr; }
  /** Channels (MHz) to scan when looking for this network. */
  get scanFreq(): number[] | undefined { return this.#st.scanFreq?.slice(); }
  /** The only channels (MHz) on which a BSS of this network may be used. */
  get freqList(): number[] | undefined { return this.#st.freqList?.slice(); }
  get authAlg(): string[] | undefined { return this.#st.authAlg ? tokenNames(AUTH_ALG, this.#st.authAlg) : undefined; }
  get bssidIgnore(): string[] { return this.#st.bssidIgnore.map(formatAddrMask); }
  get bssidAccept(): string[] { return this.#st.bssidAccept.map(formatAddrMask); }
  get memOnlyPsk(): boolean { return this.#st.memOnlyPsk !== 0; }

  /** ENABLE_NETWORK / DISABLE_NETWORK (0 enabled, 1 disabled, 2 P2P persistent group). */
  setDisabled(n: 0 | 1 | 2): void {
    this.#st = { ...this.#st, disabled: n };
  }

  /** A WEP key is configured: such a network only matches a BSS with privacy, which this daemon cannot use. */
  get hasWepKey(): boolean {
    return [this.#st.wepKey0, this.#st.wepKey1, this.#st.wepKey2, this.#st.wepKey3].some((k) => k !== undefined);
  }

  /** True when a passphrase or a raw PSK is configured (2.10's psk_set || passphrase). */
  get hasPsk(): boolean {
    return this.#st.passphrase !== undefined || this.#st.psk !== undefined;
  }
}
