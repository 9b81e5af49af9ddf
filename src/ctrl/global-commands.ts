/**
 * The global control interface (`-g`), as wpa_supplicant_global_ctrl_iface_process()
 * in 2.10: `IFNAME=<if> <command>` routing to an interface, and the
 * process-wide commands (INTERFACE_ADD/REMOVE, INTERFACES, STATUS, SET,
 * DUP_NETWORK, SAVE_CONFIG, TERMINATE). Replies are built in a 2048-byte
 * buffer; routed commands use the interface's 4096.
 */
import { atoi } from '../config/cstr.js';
import {
  CommandTable, FAIL, GLOBAL_REPLY_SIZE, OK, PONG, ReplyBuffer, twoWordsAndRest, UNKNOWN_COMMAND, type CommandReply, type CommandSpec,
} from './command-table.js';
import { dupNetwork, interfacesList, type DaemonControl, type InterfaceControl } from './interface-commands.js';

/** INTERFACE_ADD's fields: ifname TAB confname TAB driver TAB ctrl_interface TAB driver_param TAB bridge [TAB create [TAB sta|ap]]. */
export interface InterfaceAddRequest {
  ifname: string;
  confname?: string;
  driver?: string;
  ctrlInterface?: string;
  driverParam?: string;
  bridge?: string;
}

/** An interface as the global socket reaches it. */
export interface RoutedInterface {
  readonly control: InterfaceControl;
  /** The interface's own request handling (its command table and debug line). */
  handle(cmd: string): CommandReply;
}

export interface GlobalControl extends DaemonControl {
  find(ifname: string): RoutedInterface | undefined;
  addInterface(req: InterfaceAddRequest): Promise<boolean>;
  removeInterface(ifname: string): Promise<boolean>;
  /** `SET wifi_display`: the only global SET without P2P. */
  wifiDisplay: boolean;
}

/** Splits INTERFACE_ADD's argument; undefined = FAIL (empty ifname, bad extra field). */
function parseInterfaceAdd(args: string): InterfaceAddRequest | undefined {
  const f = args.split('\t');
  if (f[0] === '') return undefined;
  const opt = (i: number): string | undefined => (f[i] === undefined || f[i] === '' ? undefined : f[i]);
  const extra = f[6];
  if (extra !== undefined && extra !== '') {
    // "create" asks wpa_supplicant to create a virtual interface; a netdev
    // this daemon does not own cannot be created, so it is refused like a
    // bad driver would be.
    return undefined;
  }
  return {
    ifname: f[0],
    confname: opt(1),
    driver: opt(2),
    ctrlInterface: opt(3),
    driverParam: opt(4),
    bridge: opt(5),
  };
}

function status(g: GlobalControl): string {
  const out = new ReplyBuffer(GLOBAL_REPLY_SIZE);
  out.add(`wifi_display=${g.wifiDisplay ? 1 : 0}\n`);
  for (const i of g.interfaces()) {
    const r = g.find(i.ifname);
    if (!r || !out.add(`ifname=${i.ifname}\naddress=${r.control.station.ownAddress}\n`)) break;
  }
  return out.toString();
}

function set(g: GlobalControl, args: string): string {
  const sp = args.indexOf(' ');
  if (sp < 0) return FAIL;
  if (args.slice(0, sp).toLowerCase() !== 'wifi_display') return FAIL;
  g.wifiDisplay = atoi(args.slice(sp + 1)) !== 0;
  return OK;
}

/** "<src ifname> <dst ifname> <src id> <dst id> <name>". */
function globalDup(g: GlobalControl, args: string): string {
  const words = twoWordsAndRest(args);
  if (!words) return FAIL;
  const [srcIfname, dstIfname, rest] = words;
  const src = g.find(srcIfname);
  const dst = g.find(dstIfname);
  if (!src || !dst) return FAIL;
  return dupNetwork(src.control, dst.control, rest);
}

/** Global SAVE_CONFIG: every interface that allows it; FAIL if one fails or none could be saved. */
async function saveAll(g: GlobalControl): Promise<string> {
  let saved = 0;
  let failed = false;
  for (const i of g.interfaces()) {
    const r = g.find(i.ifname);
    if (!r || !r.control.config.updateConfig) continue;
    if (await r.control.saveConfig()) saved++;
    else failed = true;
  }
  return failed || saved === 0 ? FAIL : OK;
}

/**
 * SUSPEND and RESUME, served on the global socket and on every interface's as
 * in 2.10, reach every interface (wpas_notify_suspend/resume): each driver is
 * told (`suspend` with the configured wowlan_triggers, `resume`). The reply
 * is OK whatever a driver answers, as 2.10's.
 */
export const powerCommands: CommandSpec<DaemonControl>[] = [
  { name: 'SUSPEND', form: 'exact', handler: async (d) => (await d.power('suspend'), OK) },
  { name: 'RESUME', form: 'exact', handler: async (d) => (await d.power('resume'), OK) },
];

const globalCommands: CommandSpec<GlobalControl>[] = [
  { name: 'PING', form: 'exact', handler: () => PONG },
  {
    name: 'INTERFACE_ADD',
    form: 'space',
    handler: async (g, a) => {
      const req = parseInterfaceAdd(a);
      return req && (await g.addInterface(req)) ? OK : FAIL;
    },
  },
  { name: 'INTERFACE_REMOVE', form: 'space', handler: async (g, a) => ((await g.removeInterface(a)) ? OK : FAIL) },
  { name: 'INTERFACE_LIST', form: 'exact', handler: () => '' },
  { name: 'INTERFACES', form: 'prefix', handler: (g, a) => interfacesList(g, a, GLOBAL_REPLY_SIZE) },
  {
    name: 'TERMINATE',
    form: 'exact',
    handler: (g) => {
      g.terminate();
      return OK;
    },
  },
  { name: 'SET', form: 'space', handler: set },
  { name: 'DUP_NETWORK', form: 'space', handler: globalDup },
  { name: 'SAVE_CONFIG', form: 'exact', handler: saveAll },
  { name: 'STATUS', form: 'exact', handler: status },
  { name: 'RELOG', form: 'prefix', handler: (g) => (g.relog() ? OK : FAIL) },
];

/** The global socket's request handler: IFNAME= routing first, then the global table. */
export function globalRequestHandler(g: GlobalControl): (cmd: string) => CommandReply {
  const table = new CommandTable().register(globalCommands, g).register(powerCommands, g);
  return (cmd) => {
    if (cmd.startsWith('IFNAME=')) {
      const sp = cmd.indexOf(' ', 7);
      if (sp >= 0) {
        const target = g.find(cmd.slice(7, sp));
        return target ? target.handle(cmd.slice(sp + 1)) : 'FAIL-NO-IFNAME-MATCH\n';
      }
    }
    return table.dispatch(cmd) ?? UNKNOWN_COMMAND;
  };
}
