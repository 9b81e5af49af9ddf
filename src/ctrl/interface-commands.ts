/**
 * The per-interface commands that manage the daemon and its configuration
 * (wpa_supplicant_ctrl_iface_process() in ctrl_iface.c, 2.10): PING, IFNAME,
 * STATUS*, network management, SAVE_CONFIG, RECONFIGURE, GET/SET, logging,
 * TERMINATE. Station and offload commands live in their own modules and
 * register into the same table (see command-table.ts).
 *
 * Handlers change the configuration first, then tell the station through its
 * StationControl hooks, then return the reply; events go out from inside the
 * handler, so monitors see them before the reply.
 */
import { createHash } from 'node:crypto';
import type { NetworkConfig } from '../config/network.js';
import type { SupplicantConfig } from '../config/config.js';
import { atoi, ssidTxt } from '../config/cstr.js';
import { LEVEL_NAMES, MsgLevel, debug, info, keysShown, logLevel, logTimestamps, parseLevelName, setLogLevel } from '../log.js';
import type { EapolTimers, StationControl } from '../station/api.js';
import { stateAtLeast } from '../station/state.js';
import { statusText } from './status-text.js';
import { ipv4Address } from '../net/ipv4-address.js';
import { ev } from '../station/events.js';
import { getCapability } from './capability.js';
import { FAIL, IFACE_REPLY_SIZE, OK, PONG, ReplyBuffer, twoWordsAndRest, type CommandSpec } from './command-table.js';
import { formatMib, type MibConfig } from './mib.js';
import { freqRangeToChannels } from './channels.js';
import { parseMac } from './station-commands.js';
import { CTRL_IFACE_MAX_LEN } from './transport.js';

/** What the daemon offers every interface (the process-wide part of wpa_global). */
export interface DaemonControl {
  /** Interfaces, most recently added first (wpa_supplicant prepends). */
  interfaces(): readonly { ifname: string; ctrlInterface: string | undefined }[];
  /** wpa_supplicant_terminate_proc(): the reply goes out first, then every interface stops. */
  terminate(): void;
  /** RELOG: reopen the -f log file. */
  relog(): boolean;
  /** The WPS UUID of interfaces with no uuid= option (STATUS uuid=). */
  uuid(): string;
  /** SUSPEND / RESUME reach every interface (wpas_notify_suspend/resume walk the global list). */
  power(op: 'suspend' | 'resume'): Promise<void>;
}

/** The interface as its commands see it. */
export interface InterfaceControl {
  readonly ifname: string;
  /** The current configuration (replaced by RECONFIGURE, so always read it here). */
  readonly config: SupplicantConfig;
  readonly station: StationControl;
  readonly daemon: DaemonControl;
  /** wpa_msg(): an event to this interface's monitors and, tagged IFNAME=, the global ones. */
  event(level: number, text: string): void;
  /** RECONFIGURE: false = FAIL (no file, or it does not parse; nothing changed). */
  reconfigure(): Promise<boolean>;
  /** SAVE_CONFIG: false = FAIL (update_config=0, no file, or write error). */
  saveConfig(): Promise<boolean>;
}

const VERSION = '2.10';

// ---- STATUS ----

function status(c: InterfaceControl, args: string): string {
  // Only the exact suffixes mean something; STATUSX, "STATUS bogus" are STATUS.
  if (args === '-DRIVER') return FAIL; // no driver status op until a driver reports one
  const st = c.station;
  const cur = st.association();
  return statusText({
    wpaState: st.wpaState,
    association: cur && stateAtLeast(st.wpaState, 'ASSOCIATED') ? cur : undefined,
    ipAddress: ipv4Address(c.ifname),
    address: st.ownAddress,
    uuid: c.config.uuid ?? c.daemon.uuid(),
  });
}

// ---- LIST_NETWORKS ----

function listNetworks(c: InterfaceControl, args: string | undefined): string {
  const out = new ReplyBuffer(IFACE_REPLY_SIZE);
  out.add('network id / ssid / bssid / flags\n');
  let nets = c.config.networks;
  if (args !== undefined && args.startsWith('LAST_ID=')) {
    const last = atoi(args.slice(8));
    if (last !== -1) {
      // wpa_supplicant skips while id <= last_id, in list order, and stops at the first larger id.
      const i = nets.findIndex((n) => n.id > last);
      nets = i < 0 ? [] : nets.slice(i);
    }
  }
  const cur = c.station.currentNetworkId;
  for (const n of nets) {
    const flags =
      (n.id === cur ? '[CURRENT]' : '') +
      (n.disabled ? '[DISABLED]' : '') +
      (c.station.isTempDisabled(n.id) ? '[TEMP-DISABLED]' : '') +
      (n.disabled === 2 ? '[P2P-PERSISTENT]' : '');
    const row = `${n.id}\t${n.ssid ? ssidTxt(n.ssid) : ''}\t${n.bssid ?? 'any'}\t${flags}\n`;
    if (!out.add(row)) break;
  }
  return out.toString();
}

// ---- network management ----

function addNetwork(c: InterfaceControl): string {
  // Created disabled with the network defaults, as wpa_supplicant_add_network() does.
  const net = c.config.addNetwork();
  c.event(MsgLevel.INFO, ev.networkAdded(net.id));
  c.station.networkAdded(net);
  return `${net.id}\n`;
}

function removeOne(c: InterfaceControl, net: NetworkConfig): void {
  c.station.networkRemoved(net);
  c.event(MsgLevel.INFO, ev.networkRemoved(net.id));
  c.config.removeNetwork(net.id);
}

function removeNetwork(c: InterfaceControl, args: string): string {
  if (args === 'all') {
    for (const net of [...c.config.networks]) removeOne(c, net);
    return OK;
  }
  const net = c.config.getNetwork(atoi(args));
  if (!net) return FAIL;
  removeOne(c, net);
  return OK;
}

/**
 * FLUSH (wpa_supplicant_ctrl_iface_flush()) for the state this daemon keeps:
 * the station's reset around REMOVE_NETWORK all, then okc off. The other
 * global options stay as they are, as in 2.10. (2.10 also puts the RSNA PMK
 * lifetime, reauth threshold and SA timeout of its state machine back to
 * their defaults while GET keeps showing the configured values; here the
 * configured values stay in force, so GET tells the truth.)
 */
function flush(c: InterfaceControl): string {
  c.station.flush(() => removeNetwork(c, 'all'));
  c.config.setGlobal('okc', '0');
  return OK;
}

/** "<id> <name> <value>": split at the first two spaces; the value is kept verbatim. */
function setNetwork(c: InterfaceControl, args: string): string {
  const words = twoWordsAndRest(args);
  if (!words) return FAIL;
  const [id, name, value] = words;
  const net = c.config.getNetwork(atoi(id));
  if (!net) return FAIL;
  const result = net.update(name, value);
  if (result === 'FAIL') return FAIL;
  if (result === 'CHANGED') c.station.networkChanged(net, name);
  return OK;
}

function getNetwork(c: InterfaceControl, args: string): string {
  const a = args.indexOf(' ');
  if (a < 0) return FAIL;
  const net = c.config.getNetwork(atoi(args.slice(0, a)));
  return net?.get(args.slice(a + 1)) ?? FAIL;
}

/** Network id, or undefined for `all`; null when the id is unknown or a P2P persistent group. */
function networkArg(c: InterfaceControl, args: string, all: (a: string) => boolean): NetworkConfig | undefined | null {
  if (all(args)) return undefined;
  const net = c.config.getNetwork(atoi(args));
  return !net || net.disabled === 2 ? null : net;
}

function enableNetwork(c: InterfaceControl, args: string): string {
  const net = networkArg(c, args, (a) => a === 'all');
  if (net === null) return FAIL;
  if (net && args.includes(' no-connect')) {
    net.setDisabled(0);
    return OK;
  }
  for (const n of net ? [net] : c.config.networks) if (n.disabled !== 2) n.setDisabled(0);
  c.station.enableNetwork(net);
  return OK;
}

function disableNetwork(c: InterfaceControl, args: string): string {
  const net = networkArg(c, args, (a) => a === 'all');
  if (net === null) return FAIL;
  // The station disconnects first if the network is the current one.
  c.station.disableNetwork(net);
  for (const n of net ? [net] : c.config.networks) if (n.disabled !== 2) n.setDisabled(1);
  return OK;
}

function selectNetwork(c: InterfaceControl, args: string): string {
  // " freq=<ranges>": the channels of the scan that follows; an invalid list leaves any pending one, as 2.10.
  const f = args.indexOf(' freq=');
  const scanFreqs = f >= 0 ? freqRangeToChannels(args.slice(f + 6)) : undefined;
  const net = networkArg(c, args, (a) => a.startsWith('any'));
  if (net === null) return FAIL;
  // All others disabled, the selected one enabled; `any` enables them all.
  for (const n of c.config.networks) {
    if (n.disabled === 2) continue;
    n.setDisabled(net && n.id !== net.id ? 1 : 0);
  }
  c.station.selectNetwork(net, scanFreqs);
  return OK;
}

/** "<src id> <dst id> <name>", possibly across interfaces (the global DUP_NETWORK). */
export function dupNetwork(src: InterfaceControl, dst: InterfaceControl, args: string): string {
  const words = twoWordsAndRest(args);
  if (!words) return FAIL;
  const [srcId, dstId, name] = words;
  const from = src.config.getNetwork(atoi(srcId));
  const to = dst.config.getNetwork(atoi(dstId));
  if (!from || !to) return FAIL;
  const value = from.getRaw(name);
  if (value === undefined) return FAIL;
  const result = to.update(name, value);
  if (result === 'FAIL') return FAIL;
  if (result === 'CHANGED') dst.station.networkChanged(to, name);
  return OK;
}

// ---- globals ----

function get(c: InterfaceControl, name: string): string {
  if (name === 'version') return VERSION;
  const lower = name.toLowerCase();
  if (lower === 'max_command_len') return String(CTRL_IFACE_MAX_LEN);
  // No P2P in this daemon, and wpa_supplicant answers 0 without P2P.
  if (lower === 'wifi_display') return '0';
  if (lower === 'country') {
    const cc = c.config.getGlobal('country');
    return cc !== undefined && cc.length >= 2 ? cc.slice(0, 2) : FAIL;
  }
  const v = c.config.getGlobal(name);
  return v === undefined || v.length >= IFACE_REPLY_SIZE ? FAIL : v;
}

/**
 * SET EAPOL::<timer>: the 802.1X PAE's timers (eapol_sm_configure(); names
 * matched case-insensitively, the value through atoi(), a negative one
 * ignored; always OK). Runtime state, not configuration: never saved.
 */
const EAPOL_TIMERS: Record<string, keyof EapolTimers> = {
  'eapol::heldperiod': 'heldPeriod',
  'eapol::authperiod': 'authPeriod',
  'eapol::startperiod': 'startPeriod',
  'eapol::maxstart': 'maxStart',
};

function set(c: InterfaceControl, args: string): string {
  const sp = args.indexOf(' ');
  if (sp < 0) return FAIL;
  const name = args.slice(0, sp);
  const value = args.slice(sp + 1);
  const key = name.toLowerCase();
  const timer = EAPOL_TIMERS[key];
  if (timer !== undefined && Object.hasOwn(EAPOL_TIMERS, key)) {
    c.station.configureEapol({ [timer]: atoi(value) });
    return OK;
  }
  // The WPS EAP fragment size: 2.10 stores atoi(value) and answers OK; with
  // no WPS here there is nothing it could apply to.
  if (key === 'wps_fragment_size') return OK;
  const before = c.config.globalValue(name);
  if (!c.config.setGlobal(name, value)) return FAIL;
  // 2.10 runs wpa_supplicant_update_config() for a value that changed (its parsers say "no change" for the same one).
  if (!sameValue(before, c.config.globalValue(name))) c.station.globalChanged(name);
  return OK;
}

function sameValue(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
}

/**
 * PREAUTH <addr>: 2.10 starts RSN pre-authentication (EAP over ethertype
 * 0x88c7 through the current AP) and answers OK for any valid address. It
 * needs an EAP method, and none runs here, so the request is only logged.
 */
function preauth(args: string): string {
  const addr = parseMac(args);
  if (addr === undefined) return FAIL;
  debug(`PREAUTH ${addr}: RSN pre-authentication needs an EAP method; none is built in, nothing started`);
  return OK;
}

/** The dot11RSNAConfig* values MIB prints (0 in the config = the RSN defaults). */
function mibConfig(c: InterfaceControl): MibConfig {
  return {
    pmkLifetime: c.config.dot11RSNAConfigPMKLifetime,
    pmkReauthThreshold: c.config.dot11RSNAConfigPMKReauthThreshold,
    saTimeout: c.config.dot11RSNAConfigSATimeout,
  };
}

// ---- logging ----

function logLevelCmd(args: string): string {
  if (args === '') return `Current level: ${LEVEL_NAMES[logLevel()]}\nTimestamp: ${logTimestamps() ? 1 : 0}\n`;
  const rest = args.replace(/^ +/, '');
  const sp = rest.indexOf(' ');
  const name = sp < 0 ? rest : rest.slice(0, sp);
  const stamp = sp < 0 ? '' : rest.slice(sp + 1).replace(/^ +/, '');
  let level = logLevel();
  if (name !== '') {
    const parsed = parseLevelName(name);
    if (parsed === undefined) return FAIL;
    level = parsed;
  }
  setLogLevel(level, stamp !== '' ? atoi(stamp) !== 0 : undefined);
  return OK;
}

/**
 * The log line wpa_supplicant writes for every command (wpa_dbg, so monitors
 * at LEVEL <= 2 see it too): its level, and its text, built separately so the
 * request path builds nothing when no one reads it. Key material in
 * SET_NETWORK stays out unless -K.
 */
export function commandDebugLevel(cmd: string): MsgLevel {
  // wpas_ctrl_cmd_debug_level(): the commands pollers send all the time are
  // traced only at the lowest level, so a LEVEL 1 monitor or -dd log is not
  // flooded by a connection manager's STATUS polling.
  return cmd === 'PING' || EXCESSIVE_PREFIXES.some((p) => cmd.startsWith(p)) ? MsgLevel.EXCESSIVE : MsgLevel.DEBUG;
}

const EXCESSIVE_PREFIXES = ['BSS ', 'GET_NETWORK ', 'STATUS', 'STA ', 'STA-'];

/**
 * Commands whose arguments may carry a secret, shown by name only unless -K:
 * 2.10's list (CTRL-RSP-, SET_NETWORK) plus PMKSA_ADD, which carries a PMK
 * (2.10 would print it; our rule is that no key reaches a log without -K).
 */
const SECRET_ARGUMENTS = ['CTRL-RSP-', 'SET_NETWORK ', 'PMKSA_ADD '];

export function commandDebugText(cmd: string): string {
  const secret = keysShown() ? undefined : SECRET_ARGUMENTS.find((p) => cmd.startsWith(p));
  if (secret !== undefined) return `Control interface command '${secret.trimEnd()} [REMOVED]'`;
  return `Control interface command '${cmd}'`;
}

export const interfaceCommands: CommandSpec<InterfaceControl>[] = [
  { name: 'PING', form: 'exact', handler: () => PONG },
  { name: 'IFNAME', form: 'exact', handler: (c) => c.ifname },
  { name: 'RELOG', form: 'prefix', handler: (c) => (c.daemon.relog() ? OK : FAIL) },
  {
    name: 'NOTE',
    form: 'space',
    handler: (_c, a) => {
      info(`NOTE: ${a}`);
      return OK;
    },
  },
  { name: 'MIB', form: 'exact', handler: (c) => formatMib(mibConfig(c), c.station.mib()) },
  { name: 'STATUS', form: 'prefix', handler: status },
  { name: 'SET', form: 'space', handler: set },
  { name: 'GET', form: 'space', handler: get },
  { name: 'LOG_LEVEL', form: 'prefix', handler: (_c, a) => logLevelCmd(a) },
  { name: 'LIST_NETWORKS', form: 'space', handler: listNetworks },
  { name: 'LIST_NETWORKS', form: 'exact', handler: (c) => listNetworks(c, undefined) },
  { name: 'SELECT_NETWORK', form: 'space', handler: selectNetwork },
  { name: 'ENABLE_NETWORK', form: 'space', handler: enableNetwork },
  { name: 'DISABLE_NETWORK', form: 'space', handler: disableNetwork },
  { name: 'ADD_NETWORK', form: 'exact', handler: addNetwork },
  { name: 'REMOVE_NETWORK', form: 'space', handler: removeNetwork },
  { name: 'FLUSH', form: 'exact', handler: flush },
  { name: 'SET_NETWORK', form: 'space', handler: setNetwork },
  { name: 'GET_NETWORK', form: 'space', handler: getNetwork },
  { name: 'DUP_NETWORK', form: 'space', handler: (c, a) => dupNetwork(c, c, a) },
  { name: 'SAVE_CONFIG', form: 'exact', handler: async (c) => ((await c.saveConfig()) ? OK : FAIL) },
  { name: 'GET_CAPABILITY', form: 'space', handler: (c, a) => getCapability(a, c.station.driverCapabilities) },
  // LOGON/LOGOFF set the EAPOL supplicant's userLogoff; there is no EAPOL
  // supplicant state machine here (no EAP methods), so they only answer OK.
  { name: 'LOGON', form: 'exact', handler: () => OK },
  { name: 'LOGOFF', form: 'exact', handler: () => OK },
  { name: 'PREAUTH', form: 'space', handler: (_c, a) => preauth(a) },
  // No Interworking credentials (cred blocks): the header only.
  { name: 'LIST_CREDS', form: 'exact', handler: () => 'cred id / realm / username / domain / imsi\n' },
  // AP-mode station list: 2.10 (built with AP support) answers FAIL on an interface that is not an AP.
  { name: 'STA-FIRST', form: 'exact', handler: () => FAIL },
  { name: 'STA', form: 'space', handler: () => FAIL },
  { name: 'STA-NEXT', form: 'space', handler: () => FAIL },
  {
    name: 'INTERFACES',
    form: 'prefix',
    handler: (c, a) => interfacesList(c.daemon, a, IFACE_REPLY_SIZE),
  },
  // wpa_supplicant_global_iface_list(): nothing without nl80211's interface enumeration.
  { name: 'INTERFACE_LIST', form: 'exact', handler: () => '' },
  {
    name: 'TERMINATE',
    form: 'exact',
    handler: (c) => {
      c.daemon.terminate();
      return OK;
    },
  },
  { name: 'RECONFIGURE', form: 'exact', handler: async (c) => ((await c.reconfigure()) ? OK : FAIL) },
];

/** INTERFACES [ctrl]: one name per line; with "ctrl" anywhere in the argument, the ctrl_interface too. */
export function interfacesList(d: DaemonControl, args: string, size: number): string {
  const showCtrl = args.includes('ctrl');
  const out = new ReplyBuffer(size);
  for (const i of d.interfaces()) {
    if (!out.add(showCtrl ? `${i.ifname} ctrl_iface=${i.ctrlInterface ?? 'N/A'}\n` : `${i.ifname}\n`)) break;
  }
  return out.toString();
}

/**
 * uuid_gen_mac_addr(): a name-based (SHA-1, version 5) UUID of the MAC address
 * in hostap's fixed namespace, which is what STATUS shows without a uuid= line.
 */
export function uuidFromMac(mac: string): string {
  const ns = Buffer.from('526480f8c99b4be5a65558ed5f5d6084', 'hex');
  const addr = Buffer.from(mac.replace(/:/g, ''), 'hex');
  const u = createHash('sha1').update(ns).update(addr).digest().subarray(0, 16);
  u[6] = 0x50 | (u[6] & 0x0f);
  u[8] = 0x80 | (u[8] & 0x3f);
  const h = u.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
