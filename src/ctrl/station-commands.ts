/**
 * Control commands that act on the station: scanning, the BSS table,
 * connection control, and pass-through to the driver. Replies follow
 * wpa_supplicant 2.10's ctrl_iface.c for a Wi-Fi (nl80211) station.
 */
import { NoDriverCommandsError, ZERO_ADDR, type ScanParams } from '../driver/backend.js';
import type { StationControl } from '../station/api.js';
import type { SupplicantConfig } from '../config/config.js';
import { formatBss, formatScanResults } from './bss-format.js';
import { freqRangeToChannels } from './channels.js';
import { FAIL, OK, type CommandSpec, UNKNOWN_COMMAND } from './command-table.js';
import { atoi } from '../config/cstr.js';

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** hwaddr_aton(): six colon-separated hex pairs; what follows is not looked at. */
export function parseMac(s: string): string | undefined {
  const m = s.slice(0, 17);
  return MAC_RE.test(m) ? m.toLowerCase() : undefined;
}

export interface StationCommandContext {
  station: StationControl;
  config: () => SupplicantConfig;
}

/** ap_scan as set by AP_SCAN (the config global is read-only at run time in wpa_supplicant). */
function apScan(ctx: StationCommandContext, args: string): string {
  const v = atoi(args);
  if (v < 0 || v > 2) return FAIL;
  return ctx.config().setGlobal('ap_scan', String(v)) ? OK : FAIL;
}

/**
 * SIGNAL_POLL: from the radio when the driver can measure (RSSI, LINKSPEED in
 * Mbit/s, AVG_RSSI / AVG_BEACON_RSSI when it averages, as 2.10 prints them),
 * else the association's last known signal; a radio that fails to answer is FAIL.
 */
async function signalPoll(ctx: StationCommandContext): Promise<string> {
  const cur = ctx.station.association();
  if (!cur || ctx.station.wpaState !== 'COMPLETED') return FAIL;
  let link;
  try {
    link = await ctx.station.pollSignal();
  } catch {
    return FAIL;
  }
  const bss = ctx.station.bss.get(cur.bssid);
  const noise = bss?.noise ?? -95;
  let reply = `RSSI=${link?.rssi ?? cur.signal}\nLINKSPEED=${link ? Math.floor(link.txRateKbps / 1000) : 0}\nNOISE=${noise}\nFREQUENCY=${cur.freq}\nWIDTH=20 MHz\nCENTER_FRQ1=${cur.freq}\n`;
  if (link?.avgRssi) reply += `AVG_RSSI=${link.avgRssi}\n`;
  if (link?.avgBeaconRssi) reply += `AVG_BEACON_RSSI=${link.avgBeaconRssi}\n`;
  return reply;
}

/** SIGNAL_MONITOR [THRESHOLD=<dBm>] [HYSTERESIS=<dB>]: looked up anywhere in the argument, as 2.10's os_strstr(). */
function signalMonitor(ctx: StationCommandContext, args: string): string | Promise<string> {
  const field = (name: string): number => {
    const i = args.indexOf(`${name}=`);
    return i < 0 ? 0 : atoi(args.slice(i + name.length + 1));
  };
  if (!ctx.station.driverUp) return FAIL;
  return ctx.station.setSignalMonitor(field('THRESHOLD'), field('HYSTERESIS')).then((ok) => (ok ? OK : FAIL));
}

const disabled = (c: StationCommandContext): boolean => c.station.wpaState === 'INTERFACE_DISABLED';

/**
 * BSSID_IGNORE [clear | <bssid>] (and BLACKLIST), parsed as 2.10 does: one
 * character after the name is skipped, whatever it is, then "clear" is a
 * prefix match and an address is read from there on, with no trimming.
 */
function bssidIgnore(ctx: StationCommandContext, args: string): string {
  if (args === '') return ctx.station.ignoredBssids().map((b) => `${b}\n`).join('');
  const a = args.slice(1);
  if (a.startsWith('clear')) {
    ctx.station.clearIgnoredBssids();
    return OK;
  }
  const mac = parseMac(a);
  if (!mac) return FAIL;
  ctx.station.ignoreBssid(mac);
  return OK;
}

/** BSSID <network id> <bssid>: pin a network to one BSS (00:00:00:00:00:00 clears). */
function setBssid(ctx: StationCommandContext, args: string): string {
  const sp = args.indexOf(' ');
  if (sp < 0) return FAIL;
  const net = ctx.config().getNetwork(atoi(args.slice(0, sp)));
  const mac = parseMac(args.slice(sp + 1));
  if (!net || !mac) return FAIL;
  if (!net.set('bssid', mac === ZERO_ADDR ? 'any' : mac)) return FAIL;
  ctx.station.networkChanged(net, 'bssid');
  return OK;
}

function positive(args: string, apply: (n: number) => void, min = 1): string {
  const n = atoi(args);
  if (n < min) return FAIL;
  apply(n);
  return OK;
}

/**
 * `ssid <hex>` anywhere among the space-separated words, as many as given;
 * undefined on a bad one. Only "ssid " with its space is the keyword, so a
 * bare trailing "ssid" is ignored as 2.10 ignores it.
 */
function scanSsids(params: string): Buffer[] | undefined {
  const out: Buffer[] = [];
  const words = params.split(' ');
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'ssid' || i + 1 === words.length) continue;
    // An empty value is a zero-length (wildcard) SSID, as in 2.10.
    const hex = words[i + 1];
    if (hex.length > 64 || hex.length % 2 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
    out.push(Buffer.from(hex, 'hex'));
  }
  return out;
}

/**
 * SCAN [TYPE=ONLY] [freq=<ranges>] [ssid <hex>]... [use_id=1] [passive=1]
 * [only_new=1] [bssid=<mac>], parsed as wpas_ctrl_scan() does (os_strstr).
 * TYPE=ONLY reports the results without selecting a network; passive,
 * only_new and bssid have nothing to map to in the driver protocol's scan
 * and are accepted without effect.
 */
function scan(c: StationCommandContext, params: string | undefined): string {
  const req: ScanParams = {};
  let useId = false;
  let only = false;
  if (params !== undefined) {
    only = params.slice(0, 9).toUpperCase() === 'TYPE=ONLY';
    const f = params.indexOf('freq=');
    if (f >= 0) {
      const freqs = freqRangeToChannels(params.slice(f + 5));
      if (!freqs) return FAIL;
      req.freqs = freqs;
    }
    const u = params.indexOf('use_id=');
    if (u >= 0) useId = atoi(params.slice(u + 7)) !== 0;
    const b = params.indexOf('bssid=');
    if (b >= 0 && !parseMac(params.slice(b + 6))) return FAIL;
    const ssids = scanSsids(params);
    if (!ssids) return FAIL;
    if (ssids.length) req.ssids = ssids;
  }
  const r = c.station.userScan(req, { useId, only });
  if (r.status === 'disabled') return FAIL;
  if (r.status === 'busy') return 'FAIL-BUSY\n';
  return r.id !== undefined ? `${r.id}\n` : OK;
}

/**
 * Handlers by command name. `space` commands are matched as "NAME " (with the
 * space, as wpa_supplicant's os_strncmp(buf, "NAME ", n) does); the others exactly.
 */
export const stationCommands: CommandSpec<StationCommandContext>[] = [
  { name: 'SCAN', form: 'exact', handler: (c) => scan(c, undefined) },
  { name: 'SCAN', form: 'space', handler: (c, a) => scan(c, a) },
  { name: 'SCAN_RESULTS', form: 'exact', handler: (c) => formatScanResults(c.station.bss) },
  { name: 'ABORT_SCAN', form: 'exact', handler: (c) => (c.station.abortScan() ? OK : FAIL) },
  { name: 'BSS', form: 'space', handler: (c, a) => formatBss(c.station.bss, a, { currentBssid: c.station.association()?.bssid }) },
  // Only "BSS_FLUSH <age>": a bare BSS_FLUSH is UNKNOWN COMMAND in 2.10 (wpa_cli sends "BSS_FLUSH 0").
  {
    name: 'BSS_FLUSH',
    form: 'space',
    handler: (c, a) => (c.station.flushBss(atoi(a)), OK),
  },
  { name: 'BSS_EXPIRE_AGE', form: 'space', handler: (c, a) => positive(a, (n) => (c.station.bss.expirationAge = n), 10) },
  { name: 'BSS_EXPIRE_COUNT', form: 'space', handler: (c, a) => positive(a, (n) => (c.station.bss.expirationScanCount = n)) },
  { name: 'DISCONNECT', form: 'exact', handler: (c) => (c.station.disconnect(), OK) },
  // All three FAIL while the interface is disabled (no driver link), as in 2.10.
  { name: 'RECONNECT', form: 'exact', handler: (c) => (disabled(c) ? FAIL : (c.station.reconnect(false), OK)) },
  { name: 'REASSOCIATE', form: 'exact', handler: (c) => (disabled(c) ? FAIL : (c.station.reconnect(true), OK)) },
  {
    name: 'REATTACH',
    form: 'exact',
    handler: (c) => (disabled(c) || c.station.currentNetworkId === undefined ? FAIL : (c.station.reconnect(true), OK)),
  },
  {
    name: 'ROAM',
    form: 'space',
    handler: (c, a) => {
      const mac = parseMac(a);
      return mac && c.station.roam(mac) ? OK : FAIL;
    },
  },
  { name: 'BSSID', form: 'space', handler: setBssid },
  { name: 'BSSID_IGNORE', form: 'prefix', handler: bssidIgnore },
  { name: 'BLACKLIST', form: 'prefix', handler: bssidIgnore },
  { name: 'SIGNAL_POLL', form: 'prefix', handler: signalPoll },
  { name: 'SIGNAL_MONITOR', form: 'prefix', handler: signalMonitor },
  { name: 'STA_AUTOCONNECT', form: 'space', handler: (c, a) => (c.station.setAutoconnect(atoi(a) !== 0), OK) },
  { name: 'AP_SCAN', form: 'space', handler: apScan },
  { name: 'SCAN_INTERVAL', form: 'space', handler: (c, a) => positive(a, (n) => c.station.setScanInterval(n), 0) },
  {
    name: 'DRIVER',
    form: 'space',
    handler: async (c, a) => {
      try {
        const r = await c.station.driverCommand(a);
        return r.endsWith('\n') || r === '' ? r : `${r}\n`;
      } catch (e) {
        // A driver without DRIVER commands (nl80211) answers as 2.10 built without ANDROID, which has no DRIVER command.
        return e instanceof NoDriverCommandsError ? UNKNOWN_COMMAND : FAIL;
      }
    },
  },
  { name: 'DRIVER_FLAGS', form: 'exact', handler: (c) => driverFlags(c) },
  // WPA_DRIVER_FLAGS2_*: none describes what the driver protocol offers
  // (control port, beacon protection, AP SME, ...), so the word is 0.
  { name: 'DRIVER_FLAGS2', form: 'exact', handler: () => '0000000000000000:\n' },
  // The driver protocol has no packet counters: wpa_drv_pktcnt_poll() fails, as on wpa_supplicant's wired driver.
  { name: 'PKTCNT_POLL', form: 'prefix', handler: () => FAIL },
];

/**
 * DRIVER_FLAGS: "%016llx:\n" then one name per line in bit order, as
 * wpa_supplicant prints its WPA_DRIVER_FLAGS_* (src/drivers/driver.h). We set
 * the offload bits nl80211 would set for the firmware's capabilities; the
 * backend uses the connect API (no SME flag).
 */
function driverFlags(c: StationCommandContext): string {
  const caps = c.station.capabilities;
  const flags: [bigint, string, boolean][] = [
    [0x8n, '4WAY_HANDSHAKE_8021X', caps?.four_way_8021x ?? false],
    [0x0000000400000000n, 'KEY_MGMT_OFFLOAD', caps?.key_mgmt_offload ?? false],
    [0x0200000000000000n, '4WAY_HANDSHAKE_PSK', caps?.four_way_psk ?? false],
  ];
  let bits = 0n;
  const names: string[] = [];
  for (const [bit, name, on] of flags) {
    if (!on) continue;
    bits |= bit;
    names.push(name);
  }
  return `${bits.toString(16).padStart(16, '0')}:\n${names.map((n) => `${n}\n`).join('')}`;
}
