/**
 * wpa_supplicant's command line, where its flags apply to this daemon:
 *
 *   -i IFNAME -c CONFIG -C CTRL -D DRIVER -p DRIVER_PARAM   (per interface;
 *      -N starts the next interface)
 *   -g GLOBAL_CTRL -G GROUP -P PIDFILE -f LOGFILE
 *   -d (more -d = more verbose) -q (less) -K (keys in logs) -t (timestamps)
 *   -s (syslog) -B (background) -v -h
 *   --settings FILE  (the daemon's INI: driver backend, offload policy, logging)
 *
 * getopt rules: flags combine (-dd, -dK), values attach or follow (-iwlan0,
 * -i wlan0).
 */
import type { InterfaceParams } from './interface.js';

export const VERSION = '0.1.0';
/** What -v prints. */
export const VERSION_TEXT = `wpa-offloadd v${VERSION} (wpa_supplicant 2.10 control interface)\n`;
/** wpa_supplicant's exit status for a failed start (return -1 from main). */
export const EXIT_FAILURE = 255;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Args {
  interfaces: InterfaceParams[];
  globalCtrl?: string;
  globalGroup?: string;
  pidFile?: string;
  logFile?: string;
  /** Number of -d minus number of -q (wpa_supplicant: each -d lowers the level by one). */
  verbosity: number;
  showKeys: boolean;
  timestamps: boolean;
  syslog: boolean;
  background: boolean;
  settings?: string;
  version: boolean;
  help: boolean;
}

const WITH_VALUE = new Set(['i', 'c', 'C', 'D', 'p', 'g', 'G', 'P', 'f']);
const FLAGS = new Set(['N', 'd', 'q', 'K', 't', 's', 'B', 'v', 'h']);

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    interfaces: [],
    verbosity: 0,
    showKeys: false,
    timestamps: false,
    syslog: false,
    background: false,
    version: false,
    help: false,
  };
  let cur: Partial<InterfaceParams> = {};
  const finish = (): void => {
    if (Object.keys(cur).length === 0) return;
    if (cur.ifname === undefined) throw new UsageError('Interface name is required (-i) for every interface block');
    args.interfaces.push(cur as InterfaceParams);
    cur = {};
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--settings' || a.startsWith('--settings=')) {
      const v = a === '--settings' ? argv[++i] : a.slice('--settings='.length);
      if (v === undefined || v === '') throw new UsageError('--settings needs a file');
      args.settings = v;
      continue;
    }
    if (a === '--help') {
      args.help = true;
      continue;
    }
    if (!a.startsWith('-') || a === '-' || a.startsWith('--')) throw new UsageError(`unexpected argument '${a}'`);
    for (let k = 1; k < a.length; k++) {
      const f = a[k];
      if (WITH_VALUE.has(f)) {
        let v = a.slice(k + 1);
        if (v === '') {
          v = argv[++i];
          if (v === undefined) throw new UsageError(`option -${f} requires a value`);
        }
        setValue(args, cur, f, v);
        break;
      }
      if (!FLAGS.has(f)) throw new UsageError(`unknown option -${f}`);
      switch (f) {
        case 'N':
          finish();
          break;
        case 'd':
          args.verbosity++;
          break;
        case 'q':
          args.verbosity--;
          break;
        case 'K':
          args.showKeys = true;
          break;
        case 't':
          args.timestamps = true;
          break;
        case 's':
          args.syslog = true;
          break;
        case 'B':
          args.background = true;
          break;
        case 'v':
          args.version = true;
          break;
        case 'h':
          args.help = true;
          break;
      }
    }
  }
  finish();
  return args;
}

function setValue(args: Args, cur: Partial<InterfaceParams>, f: string, v: string): void {
  switch (f) {
    case 'i':
      cur.ifname = v;
      break;
    case 'c':
      cur.confname = v;
      break;
    case 'C':
      cur.ctrlInterface = v;
      break;
    case 'D':
      cur.driver = v;
      break;
    case 'p':
      cur.driverParam = v;
      break;
    case 'g':
      args.globalCtrl = v;
      break;
    case 'G':
      args.globalGroup = v;
      break;
    case 'P':
      args.pidFile = v;
      break;
    case 'f':
      args.logFile = v;
      break;
  }
}

export const USAGE = `wpa-offloadd: wpa_supplicant-compatible key-management daemon for offloading Wi-Fi firmware

usage:
  wpa-offloadd [-BdhKqstv] [--settings FILE] [-P<pid file>] [-g<global ctrl>] [-G<group>] \\
        -i<ifname> [-c<config file>] [-C<ctrl>] [-D<driver>] [-p<driver_param>] \\
        [-N -i<ifname> -c<conf> [-C<ctrl>] [-D<driver>] [-p<driver_param>] ...]

options:
  -B = run in the background (detach once the control sockets are up);
       not needed under systemd (Type=notify keeps it in the foreground)
  -c = configuration file (wpa_supplicant.conf format)
  -C = ctrl_interface parameter (only used if -c is not)
  -d = increase debugging verbosity (-dd even more)
  -D = driver backend (overrides the settings file)
  -f = log output to the given file instead of stdout
  -g = global ctrl_interface
  -G = global ctrl_interface group
  -h = show this help text
  -i = interface name
  -K = include keys (passwords, etc.) in debug output
  -N = start describing a new interface
  -p = driver parameters
  -P = PID file
  -q = decrease debugging verbosity (-qq even less)
  -s = log output to syslog instead of stdout
  -t = include timestamp in debug messages
  -v = show version
  --settings FILE = daemon settings (INI): [driver] [offload] [log]

drivers:
  sim = the embedded simulator (-p scenario=FILE[,seed=N])
  ext = a driver process speaking the driver protocol (-p socket=PATH)
  nl80211 = the kernel's cfg80211 (settings: [driver] eapol = auto|control_port|packet)
  none = a radio with nothing in range
without -D: nl80211 for a wireless netdev, none for any other name

example:
  wpa-offloadd -i wlan0 -c /etc/wpa_supplicant/wpa_supplicant.conf --settings /etc/wpa-offloadd.ini
`;
