/**
 * One managed interface (wpa_supplicant's struct wpa_supplicant): its
 * configuration, its station, its control socket and its command table.
 */
import { SupplicantConfig } from '../config/config.js';
import { ConfigParseError, readConfigFile } from '../config/parse.js';
import { saveConfigFile } from '../config/write.js';
import { removeStaleTemporaries } from '../atomic-file.js';
import { CommandTable, UNKNOWN_COMMAND, type CommandReply } from '../ctrl/command-table.js';
import { parseCtrlInterface, prepareCtrlDir, removeCtrlDirIfEmpty, socketPathFor } from '../ctrl/ctrl-dir.js';
import { commandDebugLevel, commandDebugText, interfaceCommands, type DaemonControl, type InterfaceControl } from '../ctrl/interface-commands.js';
import { powerCommands, type RoutedInterface } from '../ctrl/global-commands.js';
import { CtrlSocket, CtrlSocketInUseError } from '../ctrl/transport.js';
import { debug, error as logError, info, log, logWanted, MsgLevel } from '../log.js';
import type { OffloadPolicy } from '../offload/policy.js';
import type { StationControl } from '../station/api.js';
import { ev } from '../station/events.js';
import { Station, WowlanTriggersError } from '../station/station.js';
import type { DriverBackend } from '../driver/backend.js';
import { createDriver, parseDriverParams, pickDriverName } from '../driver/index.js';
import { defaultDriverFor } from '../driver/netdev.js';
import type { Nl80211Options } from '../driver/nl80211/options.js';
import { PmksaCache } from '../rsn/pmksa.js';
import { PmksaSync } from '../offload/pmksa-sync.js';
import { stationCommands } from '../ctrl/station-commands.js';
import { offloadCommands, pmksaCommands } from '../ctrl/offload-commands.js';

export interface InterfaceParams {
  ifname: string;
  /** -c: the wpa_supplicant.conf file; none = an empty configuration that cannot be saved. */
  confname?: string;
  /** -D */
  driver?: string;
  /** -p */
  driverParam?: string;
  /** -C: overrides the file's ctrl_interface. */
  ctrlInterface?: string;
}

/** What an interface needs from the daemon besides DaemonControl. */
export interface InterfaceHost extends DaemonControl {
  /** The settings' `[driver]` keys for nl80211 (eapol, assume_4way_offload). */
  readonly nl80211: Nl80211Options | undefined;
  /** Forwards an interface event to the global socket's monitors (IFNAME=<if> <level>...). */
  globalEvent(ifname: string, level: number, text: string): void;
  globalWants(level: number): boolean;
  readonly offloadPolicy: OffloadPolicy;
}

/**
 * An interface could not be added. `stage` follows wpa_supplicant_init_iface():
 * the configuration is read before the interface has its name, the driver
 * after, which decides how the failure shows on the global monitors.
 */
export class InterfaceInitError extends Error {
  constructor(
    message: string,
    readonly stage: 'config' | 'driver',
  ) {
    super(message);
    this.name = 'InterfaceInitError';
  }

  /** The wpa_msg() wpa_supplicant 2.10 sends the monitors for this failure, if any. */
  get monitorText(): string | undefined {
    return this.stage === 'driver' ? 'Failed to initialize driver interface' : undefined;
  }
}

export class UnsupportedDriverError extends InterfaceInitError {
  constructor(readonly driver: string) {
    super(`Unsupported driver '${driver}'`, 'driver');
    this.name = 'UnsupportedDriverError';
  }

  override get monitorText(): string {
    return this.message;
  }
}

/**
 * The control socket could not be opened when the interface was added. The
 * reason and wpa_supplicant's hint are on the log already, once, as
 * wpa_supplicant_init_iface() prints them: nobody needs to print them again.
 */
export class CtrlInitError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'CtrlInitError';
  }
}

/**
 * The interface failed at the end of its start, after its control socket was
 * opened (wowlan_triggers refused: 2.10's wpa_supplicant_init_iface() fails
 * at its end); it has been deinitialized, its events sent, as 2.10 does.
 */
export class InterfaceStartError extends Error {
  constructor(ifname: string, cause: Error) {
    super(`${ifname}: ${cause.message}`, { cause });
    this.name = 'InterfaceStartError';
  }
}

/** Why a control socket could not be opened (CtrlSocket.open has logged an "in use" itself, in 2.10's words). */
function logCtrlFailure(e: Error): void {
  if (!(e instanceof CtrlSocketInUseError)) logError(e.message);
}

export interface StationSetup {
  ifname: string;
  config: () => SupplicantConfig;
  driver: string | undefined;
  driverParam: string | undefined;
  offloadPolicy: OffloadPolicy;
  nl80211: Nl80211Options | undefined;
}

/** What createStation() builds: the station and its command modules. */
interface StationParts {
  station: StationControl;
  register(table: CommandTable): void;
  /**
   * Brings the driver link up (after the control socket is open, so no event
   * is lost); rejects with WowlanTriggersError as Station.start() does.
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * THE place where an interface's station is built: the station over the `-D`
 * backend (no `-D`: `nl80211` for a wireless netdev, else `none`, a radio
 * with nothing in range; netdev.ts), with its
 * PMKSA cache kept in sync with the firmware and the station and offload
 * commands registered.
 */
function createStation(setup: StationSetup): StationParts {
  const pmksaContext = (cache: PmksaCache) => ({ cache, config: setup.config, pmksaTesting: setup.offloadPolicy.pmksaTesting });
  const name = setup.driver ? pickDriverName(setup.driver) : defaultDriverFor(setup.ifname);
  if (name === undefined) throw new UnsupportedDriverError(setup.driver ?? '');
  if (!setup.driver) info(`${setup.ifname}: no driver named: ${name === 'nl80211' ? 'a wireless netdev, driver nl80211' : 'not a wireless netdev, driver none'}`);
  let driver: DriverBackend;
  try {
    driver = createDriver(name, parseDriverParams(setup.driverParam ?? ''), { ifname: setup.ifname, nl80211: setup.nl80211 });
  } catch (e) {
    throw new InterfaceInitError((e as Error).message, 'driver');
  }
  const policy = setup.offloadPolicy;
  const pmksaFile = policy.pmksaFile?.replaceAll('%i', setup.ifname);
  const pmksa = new PmksaSync(new PmksaCache(), driver, setup.ifname, pmksaFile);
  const station = new Station({ ifname: setup.ifname, driver, config: setup.config, policy, pmksa });
  return {
    station,
    register: (table) => {
      table.register(stationCommands, { station, config: setup.config });
      table.register(pmksaCommands, pmksaContext(pmksa.cache));
      table.register(offloadCommands, { station });
    },
    // Entries kept from the last run are in the cache before the driver link
    // comes up, so the first resync pushes them to the firmware.
    start: async () => {
      await pmksa.load();
      await station.start();
    },
    close: () => pmksa.close(),
  };
}

/** A control socket opened for a configuration, and the directory it is in. */
interface OpenCtrl {
  sock: CtrlSocket;
  dir: string;
}

export class WpaInterface implements InterfaceControl, RoutedInterface {
  readonly control: InterfaceControl = this;
  readonly station: StationControl;
  private readonly parts: StationParts;
  private readonly table: CommandTable;
  private ctrl: CtrlSocket | undefined;
  private ctrlDir: string | undefined;

  private constructor(
    readonly params: InterfaceParams,
    private cfg: SupplicantConfig,
    private readonly host: InterfaceHost,
  ) {
    this.parts = createStation({
      ifname: params.ifname,
      config: () => this.cfg,
      driver: params.driver,
      driverParam: params.driverParam,
      offloadPolicy: host.offloadPolicy,
      nl80211: host.nl80211,
    });
    this.station = this.parts.station;
    // Station events are wpa_msg()s of this interface.
    this.station.on('ctrlEvent', (level, text) => this.event(level, text));
    // Station and offload command modules register here too (see command-table.ts).
    this.table = new CommandTable().register(interfaceCommands, this as InterfaceControl).register(powerCommands, host);
    this.parts.register(this.table);
  }

  /** wpa_supplicant_add_iface(): reads the configuration and opens the control socket. */
  static async create(params: InterfaceParams, host: InterfaceHost): Promise<WpaInterface> {
    const cfg = loadConfig(params);
    const iface = new WpaInterface(params, cfg, host);
    try {
      iface.useCtrl(iface.openCtrl(cfg));
    } catch (e) {
      logCtrlFailure(e as Error);
      logError(
        `Failed to initialize control interface '${cfg.ctrlInterfaceRaw}'.\n` +
          'You may have another wpa_supplicant process already running or the file was\n' +
          'left by an unclean termination of wpa_supplicant in which case you will need\n' +
          'to manually remove this file before starting wpa_supplicant again.\n',
      );
      throw new CtrlInitError(e as Error);
    }
    try {
      await iface.parts.start();
    } catch (e) {
      if (!(e instanceof WowlanTriggersError)) throw e;
      // 2.10's wpa_supplicant_add_iface(): "Failed to add interface", then
      // wpa_supplicant_deinit_iface() of what init had set up, socket included.
      debug(`Failed to add interface ${params.ifname}`);
      await iface.stop(false);
      throw new InterfaceStartError(params.ifname, e);
    }
    info(`${params.ifname}: interface ready`);
    return iface;
  }

  get ifname(): string {
    return this.params.ifname;
  }

  get config(): SupplicantConfig {
    return this.cfg;
  }

  get daemon(): DaemonControl {
    return this.host;
  }

  /** ctrl_interface as INTERFACES ctrl shows it (the whole DIR=... GROUP=... string). */
  get ctrlInterface(): string | undefined {
    return this.cfg.ctrlInterfaceRaw;
  }

  event(level: number, text: string): void {
    log(level as MsgLevel, () => `${this.ifname}: ${text}`);
    this.ctrl?.event(level, text);
    this.host.globalEvent(this.ifname, level, text);
  }

  /** wpa_supplicant_ctrl_iface_process(): the debug line, then the table. */
  handle(cmd: string): CommandReply {
    // A command's line is at DEBUG or below: when nothing takes DEBUG lines
    // (the daemon's usual state), its level is not even worked out.
    if (this.monitorsWant(MsgLevel.DEBUG) || logWanted(MsgLevel.DEBUG)) this.traceCommand(cmd);
    return this.table.dispatch(cmd) ?? UNKNOWN_COMMAND;
  }

  /** The command's debug line: an event when a monitor of either socket takes it, else (wpa_dbg()) a log line with the ifname. */
  private traceCommand(cmd: string): void {
    const level = commandDebugLevel(cmd);
    if (this.monitorsWant(level)) this.event(level, commandDebugText(cmd));
    else if (logWanted(level)) log(level, `${this.ifname}: ${commandDebugText(cmd)}`);
  }

  private monitorsWant(level: number): boolean {
    return this.ctrl?.monitors.wants(level) || this.host.globalWants(level);
  }

  async reconfigure(): Promise<boolean> {
    if (this.params.confname === undefined) return false;
    let next: SupplicantConfig;
    try {
      next = loadConfig(this.params);
    } catch (e) {
      logError(`Failed to parse the configuration file '${this.params.confname}': ${(e as Error).message}`);
      this.event(MsgLevel.ERROR, `Failed to parse the configuration file '${this.params.confname}' - exiting`);
      return false;
    }
    if (next.ctrlInterfaceRaw !== this.cfg.ctrlInterfaceRaw) {
      // The new socket is opened while the old one still serves: if it
      // cannot be, nothing of the running configuration has been let go.
      let opened: OpenCtrl | undefined;
      try {
        opened = this.openCtrl(next);
      } catch (e) {
        logCtrlFailure(e as Error);
        logError(`${this.ifname}: Failed to initialize control interface '${next.ctrlInterfaceRaw}' - keeping the running configuration`);
        return false;
      }
      this.closeCtrl(opened);
      this.useCtrl(opened);
    }
    this.cfg = next;
    this.station.reconfigured();
    debug(`${this.ifname}: Reconfiguration completed`);
    return true;
  }

  async saveConfig(): Promise<boolean> {
    if (!this.cfg.updateConfig) {
      debug('CTRL_IFACE: SAVE_CONFIG - Not allowed to update configuration (update_config=0)');
      return false;
    }
    if (this.params.confname === undefined) return false;
    try {
      await saveConfigFile(this.params.confname, this.cfg);
    } catch (e) {
      logError(`CTRL_IFACE: SAVE_CONFIG - Failed to update configuration: ${(e as Error).message}`);
      return false;
    }
    debug('CTRL_IFACE: SAVE_CONFIG - Configuration updated');
    return true;
  }

  /**
   * wpa_supplicant_deinit_iface(): station first (its disconnect events still
   * reach monitors), then CTRL-EVENT-TERMINATING when the process ends, then
   * the socket file and, if empty, its directory.
   */
  async stop(terminating: boolean): Promise<void> {
    try {
      await this.station.terminate();
      await this.parts.close();
    } catch (e) {
      logError(`${this.ifname}: station stop failed: ${(e as Error).message}`);
    }
    // wpa_supplicant_deinit_iface(): every network is removed, the cleanup clears DSCP policies once more.
    for (const net of this.cfg.networks) this.event(MsgLevel.INFO, ev.networkRemoved(net.id));
    this.event(MsgLevel.INFO, ev.dscpClearAll());
    if (terminating) this.event(MsgLevel.INFO, 'CTRL-EVENT-TERMINATING ');
    this.closeCtrl();
  }

  /**
   * Opens the socket `cfg` asks for, its directory and group checked and
   * applied, without touching the one in use. The same path as the socket in
   * use (only GROUP= changed) keeps that socket, with the new group.
   */
  private openCtrl(cfg: SupplicantConfig): OpenCtrl | undefined {
    const raw = cfg.ctrlInterfaceRaw;
    if (raw === undefined) return undefined;
    const loc = parseCtrlInterface(raw, cfg.ctrlInterfaceGroup);
    const path = socketPathFor(loc.dir, this.ifname);
    const perms = { mode: 0o770, gid: prepareCtrlDir(loc) };
    if (this.ctrl?.path === path) {
      this.ctrl.setPerms(perms);
      return { sock: this.ctrl, dir: loc.dir };
    }
    return { sock: CtrlSocket.open(path, `ctrl_iface ${this.ifname}`, (cmd) => this.handle(cmd), perms), dir: loc.dir };
  }

  private useCtrl(opened: OpenCtrl | undefined): void {
    this.ctrl = opened?.sock;
    this.ctrlDir = opened?.dir;
  }

  /** Closes the socket in use, unless `keep` is it (a reconfiguration that only changed its group). */
  private closeCtrl(keep?: OpenCtrl): void {
    if (!this.ctrl || this.ctrl === keep?.sock) return;
    this.ctrl.close();
    this.ctrl = undefined;
    if (this.ctrlDir !== undefined) removeCtrlDirIfEmpty(this.ctrlDir);
  }
}

/**
 * The interface's configuration: the file (with -C overriding ctrl_interface)
 * or an empty one. Synchronous (see readConfigFile()): at start-up it comes
 * before the control socket, and RECONFIGURE reads it as 2.10 does.
 */
function loadConfig(params: InterfaceParams): SupplicantConfig {
  let cfg: SupplicantConfig;
  if (params.confname !== undefined) {
    // What an interrupted SAVE_CONFIG left beside the file (the file itself is whole).
    removeStaleTemporaries(params.confname);
    try {
      cfg = readConfigFile(params.confname);
    } catch (e) {
      // wpa_supplicant's lines: every error, then the verdict.
      const why = e instanceof ConfigParseError ? e.message : `Failed to open config file '${params.confname}', error: ${strerror(e)}`;
      throw new InterfaceInitError(`${why}\nFailed to read or parse configuration '${params.confname}'.`, 'config');
    }
  } else {
    cfg = new SupplicantConfig();
  }
  if (params.ctrlInterface !== undefined && !cfg.processGlobal('ctrl_interface', params.ctrlInterface)) {
    throw new InterfaceInitError(`invalid ctrl_interface '${params.ctrlInterface}'`, 'config');
  }
  return cfg;
}

/** glibc's strerror() text for the errors opening a file gives (Node's own wording differs). */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
  EIO: 'Input/output error',
};

function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined && STRERROR[code]) || (e as Error).message;
}
