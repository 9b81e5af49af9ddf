/**
 * The configuration of one interface: global options and the network list,
 * with the control interface's SET/GET/ADD_NETWORK semantics of wpa_supplicant 2.10.
 */
import { atoi } from './cstr.js';
import { readsBack } from './file-line.js';
import { GLOBAL_FIELDS, GlobalValue, globalField } from './globals.js';
import { NetworkConfig } from './network.js';

/** wpa_sm defaults used when the dot11RSNAConfig* options are left at 0. */
const DEFAULT_PMK_LIFETIME = 43200;
const DEFAULT_PMK_REAUTH_THRESHOLD = 70;
const DEFAULT_SA_TIMEOUT = 60;

/**
 * SET of these three goes to the RSN state machine first (atoi, then a range
 * check on the unsigned value); the config copy is then updated best-effort
 * and its failure ignored, so `SET dot11RSNAConfigPMKLifetime 5x` answers OK
 * and leaves the option alone. The name is matched case-insensitively.
 */
const RSNA_PARAMS: Record<string, (v: number) => boolean> = {
  dot11rsnaconfigpmklifetime: (v) => v > 0,
  dot11rsnaconfigpmkreauththreshold: (v) => v > 0 && v <= 100,
  dot11rsnaconfigsatimeout: (v) => v > 0,
};

export class SupplicantConfig {
  /** List order = LIST_NETWORKS order = SAVE_CONFIG order. */
  networks: NetworkConfig[] = [];
  #globals = new Map<string, GlobalValue>();

  /**
   * ADD_NETWORK: id = highest id + 1 (0 for an empty list), appended at the
   * end, with the network defaults and disabled=1 as the control interface
   * creates it. The config-file reader uses appendNetwork() instead.
   */
  addNetwork(): NetworkConfig {
    const net = new NetworkConfig(this.nextId());
    net.setDisabled(1);
    this.networks.push(net);
    return net;
  }

  /** Appends a network as the config-file reader creates it (defaults, enabled), or a prepared one (DUP). */
  appendNetwork(net: NetworkConfig = new NetworkConfig(this.nextId())): NetworkConfig {
    this.networks.push(net);
    return net;
  }

  nextId(): number {
    return this.networks.reduce((m, n) => Math.max(m, n.id), -1) + 1;
  }

  getNetwork(id: number): NetworkConfig | undefined {
    return this.networks.find((n) => n.id === id);
  }

  removeNetwork(id: number): boolean {
    const i = this.networks.findIndex((n) => n.id === id);
    if (i < 0) return false;
    this.networks.splice(i, 1);
    return true;
  }

  /**
   * A config-file line or the generic part of SET: `name=value` through the
   * option's parser. false = FAIL (unknown option or bad value), nothing changed.
   */
  processGlobal(name: string, value: string, mustReadBack = false): boolean {
    const field = globalField(name);
    if (!field) return false;
    const r = field.parse(value);
    if (r === 'FAIL') return false;
    if (mustReadBack) {
      const text = field.write(r.value);
      if (text !== undefined && !readsBack(name, text, false)) return false;
    }
    if (r.value === undefined) this.#globals.delete(name);
    else this.#globals.set(name, r.value);
    return true;
  }

  /**
   * SET <name> <value> for config globals (control-interface semantics).
   * Deliberate difference: a value whose saved line would not read back as
   * itself (`device_name=a#b` reads back as `a`; a line over the reader's
   * 512 bytes is cut) answers FAIL; 2.10 takes it.
   */
  setGlobal(name: string, value: string): boolean {
    const key = name.toLowerCase();
    if (Object.hasOwn(RSNA_PARAMS, key)) {
      if (!RSNA_PARAMS[key](atoi(value) >>> 0)) return false;
      this.processGlobal(name, value, true);
      return true;
    }
    return this.processGlobal(name, value, true);
  }

  /** GET <name>: the option's text, undefined = FAIL. */
  getGlobal(name: string): string | undefined {
    const field = globalField(name);
    if (!field) return undefined;
    return field.get(this.globalValue(name));
  }

  /** The stored value of an option, or its default. */
  globalValue(name: string): GlobalValue {
    if (this.#globals.has(name)) return this.#globals.get(name);
    return globalField(name)?.def;
  }

  /** Global lines in writer order, only the non-default ones: [name, text]. */
  globalLines(): [string, string][] {
    const out: [string, string][] = [];
    for (const f of GLOBAL_FIELDS) {
      const text = f.write(this.globalValue(f.name));
      if (text !== undefined) out.push([f.name, text]);
    }
    return out;
  }

  // ---- typed getters for the daemon ----
  #int(name: string): number {
    return this.globalValue(name) as number;
  }
  #str(name: string): string | undefined {
    const v = this.globalValue(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** The raw ctrl_interface option (a directory, or "DIR=... GROUP=..."). */
  get ctrlInterfaceRaw(): string | undefined {
    return this.#str('ctrl_interface');
  }

  /** The control socket directory, from either ctrl_interface form. */
  get ctrlInterface(): string | undefined {
    const raw = this.ctrlInterfaceRaw;
    if (raw === undefined) return undefined;
    if (!raw.startsWith('DIR=')) return raw;
    const rest = raw.slice(4);
    const g = rest.indexOf(' GROUP=');
    return g < 0 ? rest : rest.slice(0, g);
  }

  /** The socket group (name or gid): GROUP= of ctrl_interface, else ctrl_interface_group. */
  get ctrlInterfaceGroup(): string | undefined {
    const raw = this.ctrlInterfaceRaw;
    if (raw?.startsWith('DIR=')) {
      const g = raw.indexOf(' GROUP=');
      if (g >= 0) return raw.slice(g + 7);
    }
    return this.#str('ctrl_interface_group');
  }

  get updateConfig(): boolean { return this.#int('update_config') !== 0; }
  /** The configured WPS UUID; undefined when unset (STATUS then derives one from the MAC address). */
  get uuid(): string | undefined { return this.#str('uuid'); }
  get apScan(): number { return this.#int('ap_scan'); }
  get keyMgmtOffload(): boolean { return this.#int('key_mgmt_offload') !== 0; }
  /** Global PMF policy: 0 disabled, 1 optional, 2 required. */
  get pmf(): number { return this.#int('pmf'); }
  /** Two-character country code, if set. */
  get country(): string | undefined { return this.#str('country'); }
  get bssMaxCount(): number { return this.#int('bss_max_count'); }
  /** Global mac_addr: 0 the radio's own address, 1/2 a random one (per network unless it sets its own). */
  get macAddr(): number { return this.#int('mac_addr'); }
  /** Global freq_list: the only channels (MHz) scans cover, unless a scan names its own. */
  get freqList(): number[] | undefined {
    const v = this.globalValue('freq_list');
    return Array.isArray(v) ? [...v] : undefined;
  }
  get bssExpirationAge(): number { return this.#int('bss_expiration_age'); }
  /** Effective PMK lifetime in seconds (0 in the config means the 43200 s default). */
  get dot11RSNAConfigPMKLifetime(): number {
    return (this.#int('dot11RSNAConfigPMKLifetime') >>> 0) || DEFAULT_PMK_LIFETIME;
  }
  /** Effective reauthentication threshold in percent of the lifetime (default 70). */
  get dot11RSNAConfigPMKReauthThreshold(): number {
    return (this.#int('dot11RSNAConfigPMKReauthThreshold') >>> 0) || DEFAULT_PMK_REAUTH_THRESHOLD;
  }
  /** Effective security-association timeout in seconds (default 60). */
  get dot11RSNAConfigSATimeout(): number {
    return (this.#int('dot11RSNAConfigSATimeout') >>> 0) || DEFAULT_SA_TIMEOUT;
  }
}
