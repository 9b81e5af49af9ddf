/**
 * The process-wide state (wpa_supplicant's struct wpa_global): the
 * interfaces, the optional global control socket, and the orderly stop.
 */
import { resolveGroup } from '../ctrl/ctrl-dir.js';
import { globalRequestHandler, type GlobalControl, type InterfaceAddRequest } from '../ctrl/global-commands.js';
import { uuidFromMac } from '../ctrl/interface-commands.js';
import { CtrlSocket } from '../ctrl/transport.js';
import { ZERO_ADDR } from '../driver/backend.js';
import { pickDriverName } from '../driver/index.js';
import { isWirelessNetdev, netdevExists } from '../driver/netdev.js';
import type { Nl80211Options } from '../driver/nl80211/options.js';
import { error as logError, info, MsgLevel, warning } from '../log.js';
import type { OffloadPolicy } from '../offload/policy.js';
import { ev } from '../station/events.js';
import { InterfaceInitError, InterfaceStartError, WpaInterface, type InterfaceHost, type InterfaceParams } from './interface.js';

export interface DaemonOptions {
  /** -g: path of the global control socket. */
  globalCtrl?: string;
  /** -G: its group. */
  globalGroup?: string;
  offloadPolicy: OffloadPolicy;
  /** The settings' [driver]: used by interfaces (-i, INTERFACE_ADD) that name no driver. */
  defaultDriver?: { backend?: string; params?: string };
  /** The settings' `[driver]` keys for nl80211 interfaces (eapol, assume_4way_offload). */
  nl80211?: Nl80211Options;
  relog(): boolean;
  /** Called once everything is stopped (TERMINATE, SIGTERM). */
  onTerminated(): void;
}

export class Daemon implements GlobalControl, InterfaceHost {
  /** Most recently added first, as wpa_supplicant lists them. */
  private ifaces: WpaInterface[] = [];
  private global: CtrlSocket | undefined;
  private stopping: Promise<void> | undefined;
  /** The last uuid() result: STATUS asks on every request, and the SHA-1 behind it was a tenth of STATUS's own cost. */
  private uuidOf: { mac: string; uuid: string } | undefined;
  wifiDisplay = true;

  constructor(private readonly opts: DaemonOptions) {}

  get offloadPolicy(): OffloadPolicy {
    return this.opts.offloadPolicy;
  }

  get nl80211(): Nl80211Options | undefined {
    return this.opts.nl80211;
  }

  /** Opens the global socket: 0700, or 0770 with its group (-G). */
  openGlobal(): void {
    const path = this.opts.globalCtrl;
    if (path === undefined) return;
    const group = this.opts.globalGroup;
    const perms = group === undefined ? { mode: 0o700, gid: undefined } : { mode: 0o770, gid: resolveGroup(group) };
    this.global = CtrlSocket.open(path, 'global ctrl_iface', globalRequestHandler(this), perms);
  }

  async add(params: InterfaceParams): Promise<WpaInterface> {
    if (this.find(params.ifname)) throw new Error(`interface ${params.ifname} already added`);
    const iface = await WpaInterface.create(this.withDefaultDriver(params), this);
    this.ifaces.unshift(iface);
    return iface;
  }

  /** An interface that names no driver gets the settings' [driver] backend and its parameters. */
  private withDefaultDriver(params: InterfaceParams): InterfaceParams {
    if (params.driver !== undefined) return params;
    return { ...params, driver: this.opts.defaultDriver?.backend, driverParam: params.driverParam ?? this.opts.defaultDriver?.params };
  }

  // ---- DaemonControl / GlobalControl ----

  interfaces(): readonly { ifname: string; ctrlInterface: string | undefined }[] {
    return this.ifaces;
  }

  async power(op: 'suspend' | 'resume'): Promise<void> {
    for (const i of this.ifaces) {
      try {
        await (op === 'suspend' ? i.station.suspend() : i.station.resume());
      } catch (e) {
        warning(`${i.ifname}: ${op}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  find(ifname: string): WpaInterface | undefined {
    return this.ifaces.find((i) => i.ifname === ifname);
  }

  async addInterface(req: InterfaceAddRequest): Promise<boolean> {
    // wpa_supplicant 2.10 refuses a second add of a name without a word to the monitors.
    if (this.find(req.ifname)) return false;
    try {
      // Without a driver backend the interface gets nl80211 (a wireless
      // netdev) or the `none` driver (a radio with nothing in range) and,
      // like wpa_supplicant's wired driver, needs a netdev to exist. nl80211
      // needs a wireless one: 2.10's nl80211 driver fails to initialize on
      // any other name. -i at start does not check, so the control plane
      // runs in CI and containers with no network device at all.
      const params = this.withDefaultDriver({
        ifname: req.ifname,
        confname: req.confname,
        driver: req.driver,
        driverParam: req.driverParam,
        ctrlInterface: req.ctrlInterface,
      });
      const driver = params.driver === undefined ? undefined : pickDriverName(params.driver);
      if (params.driver === undefined && !netdevExists(req.ifname)) {
        throw new InterfaceInitError(`no network device ${req.ifname}`, 'driver');
      }
      if (driver === 'nl80211' && !isWirelessNetdev(req.ifname)) {
        throw new InterfaceInitError(`${req.ifname} is not a wireless network device`, 'driver');
      }
      await this.add(params);
      return true;
    } catch (e) {
      logError(`Failed to add interface ${req.ifname}: ${(e as Error).message}`);
      // Deinitialized already: its own events went out.
      if (e instanceof InterfaceStartError) return false;
      // What 2.10 shows the global monitors: the driver's failure under the
      // interface's name; its deinit's DSCP event, under no name when the
      // configuration failed before the interface was named.
      const named = !(e instanceof InterfaceInitError) || e.stage === 'driver';
      const ifname = named ? req.ifname : '';
      if (e instanceof InterfaceInitError && e.monitorText !== undefined) this.globalEvent(ifname, MsgLevel.ERROR, e.monitorText);
      this.globalEvent(ifname, MsgLevel.INFO, ev.dscpClearAll());
      return false;
    }
  }

  async removeInterface(ifname: string): Promise<boolean> {
    const iface = this.find(ifname);
    if (!iface) return false;
    this.ifaces = this.ifaces.filter((i) => i !== iface);
    await iface.stop(false);
    info(`${ifname}: interface removed`);
    return true;
  }

  terminate(): void {
    // Let the reply to TERMINATE go out first, as wpa_supplicant's eloop does.
    setImmediate(() => void this.stop().then(() => this.opts.onTerminated()));
  }

  relog(): boolean {
    return this.opts.relog();
  }

  /** wpas_wps_set_uuid() without a configured uuid: every interface uses the first one's, made from its MAC. */
  uuid(): string {
    const first = this.ifaces[this.ifaces.length - 1];
    const mac = first?.station.ownAddress ?? ZERO_ADDR;
    if (this.uuidOf?.mac !== mac) this.uuidOf = { mac, uuid: uuidFromMac(mac) };
    return this.uuidOf.uuid;
  }

  globalEvent(ifname: string, level: number, text: string): void {
    this.global?.event(level, text, `IFNAME=${ifname} `);
  }

  globalWants(level: number): boolean {
    return this.global?.monitors.wants(level) ?? false;
  }

  /** Stops every interface (CTRL-EVENT-TERMINATING to monitors) and removes all sockets. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const iface of this.ifaces) await iface.stop(true);
      this.ifaces = [];
      this.global?.close();
      this.global = undefined;
    })();
    return this.stopping;
  }
}
