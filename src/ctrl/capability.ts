/**
 * GET_CAPABILITY <field> [strict] [iftype=<type>], in wpa_supplicant 2.10's
 * formats (wpa_supplicant_ctrl_iface_get_capability() and its helpers).
 *
 * Every list is what this daemon implements intersected with what the driver
 * reports: the suites come from src/rsn/akm.ts's tables, narrowed to those the
 * station can connect with (select.ts: no Suite B, no TKIP, no WEP, no WPA1;
 * FT-PSK, FT-EAP and FT-SAE only with a driver that carries FT
 * Authentication, `ft_auth`, since without it a roam is a new initial
 * association), then to
 * the driver's `hello` capabilities. With the driver link down
 * (2.10: wpa_drv_get_capa() fails) a list is what is implemented, or nothing
 * with `strict`.
 *
 * Fields of features this daemon does not have answer as a 2.10 built
 * without them: `eap` lists no method (no EAP method runs here), `dpp`, `acs`,
 * `erp`, `fips`, `fils`, `multibss` are unknown fields (FAIL); `sae` as 2.10
 * with a driver that lacks SAE (FAIL) unless the driver takes SAE frames.
 */
import type { DriverCapabilities, HwChannel } from '../driver/backend.js';
import { akmInfo, cipherInfo, ciphersFor, UnknownSuiteError } from '../rsn/akm.js';
import { AKM_PREFERENCE, PAIRWISE_PREFERENCE } from '../station/select.js';
import { FAIL } from './command-table.js';

/** 2.10 copies the argument into char field[50]; a longer one is FAIL. */
const FIELD_BUF = 50;

/** iftype_str_to_index(): the names 2.10 knows; another one is FAIL (key_mgmt only). */
const IFTYPES = ['STATION', 'AP_VLAN', 'AP', 'P2P_GO', 'P2P_CLIENT', 'P2P_DEVICE', 'MESH', 'IBSS', 'NAN'];

/**
 * The order ctrl_iface_get_capability_key_mgmt() prints AKMs in (after
 * "NONE"), and ctrl_iface_get_capability_pairwise()'s cipher order: output
 * formats, not lists of what is supported.
 */
const KEY_MGMT_PRINT_ORDER = [
  'WPA-EAP', 'WPA-PSK', 'WPA-EAP-SUITE-B', 'WPA-EAP-SUITE-B-192', 'FT-PSK', 'FT-EAP', 'FT-SAE', 'FT-EAP-SHA384', 'SAE',
];
// 2.10 has no line for WPA-EAP-SHA256 / WPA-PSK-SHA256 (both are connected
// with as the others, never printed): measured with -Dnl80211 on a
// mac80211_hwsim radio, which accepts every AKM (test/radio/nl80211-scan.test.ts).
const CIPHER_PRINT_ORDER = ['CCMP-256', 'GCMP-256', 'CCMP', 'GCMP'];

function byPrintOrder(names: Iterable<string>, order: readonly string[]): string[] {
  const set = new Set(names);
  return order.filter((n) => set.has(n));
}

/** A driver's list of suite names, as our tables spell them; names we do not know are left out. */
function canonical(names: readonly string[], lookup: (n: string) => string): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    try {
      out.add(lookup(n));
    } catch (e) {
      if (!(e instanceof UnknownSuiteError)) throw e;
    }
  }
  return out;
}

/** AKMs the station can connect with (akm.ts names), narrowed to the driver's when it reports. */
function akms(caps: DriverCapabilities | undefined): string[] {
  const implemented = AKM_PREFERENCE.map((a) => akmInfo(a).name);
  if (!caps) return implemented;
  const drv = canonical(caps.akms, (n) => akmInfo(n).name);
  // FT is claimed only where its transitions run (FT over the air through `ft_auth`): a client
  // seeing FT-PSK or FT-SAE expects fast transitions, not a new initial association on every roam.
  return implemented.filter((a) => drv.has(a) && (!akmInfo(a).ft || caps.ft_auth === true));
}

/** Ciphers of a role the station can use, narrowed to the driver's when it reports. */
function ciphers(implemented: readonly string[], caps: DriverCapabilities | undefined): string[] {
  if (!caps) return [...implemented];
  const drv = canonical(caps.ciphers, (n) => cipherInfo(n).name);
  return implemented.filter((c) => drv.has(c));
}

function keyMgmt(caps: DriverCapabilities | undefined): string {
  // 2.10 always prints NONE and IEEE8021X first; IEEE8021X (dynamic WEP) is not implemented.
  return ['NONE', ...byPrintOrder(akms(caps), KEY_MGMT_PRINT_ORDER)].join(' ');
}

/**
 * ctrl_iface_get_capability_channels() / _freq(): "Mode[X] Channels:" per
 * hardware mode, then its enabled channels; from the nl80211 radio's bands
 * (the driver protocol reports none: empty, as 2.10 with no modes).
 */
function hwModes(caps: DriverCapabilities | undefined, line: (c: HwChannel) => string, afterTitle: string): string {
  let out = '';
  for (const m of caps?.hw_modes ?? []) {
    out += `Mode[${m.mode}] Channels:${afterTitle}`;
    for (const c of m.channels) if (!c.disabled) out += line(c);
    out += '\n';
  }
  return out;
}

/** Answers of the fields that look at the driver; `caps` undefined = the driver link is down. */
function driverField(field: string, caps: DriverCapabilities | undefined, strict: boolean, iftype: string | undefined): string | undefined {
  // res < 0 in 2.10: the built-in answer, or nothing with strict (group_mgmt: always nothing).
  if (!caps && strict && ['pairwise', 'group', 'key_mgmt', 'proto', 'auth_alg', 'modes'].includes(field)) return '';
  const pairwise = PAIRWISE_PREFERENCE.map((c) => cipherInfo(c).name);
  switch (field) {
    case 'pairwise':
    // The RSN group ciphers here are the pairwise ones (no TKIP or WEP group key).
    case 'group':
      return byPrintOrder(ciphers(pairwise, caps), CIPHER_PRINT_ORDER).join(' ');
    case 'group_mgmt':
      return caps ? ciphers(ciphersFor('group-mgmt').map((c) => c.name), caps).join(' ') : '';
    case 'key_mgmt':
      // iftype= is looked at only when the driver reports; this daemon runs stations only.
      if (caps && iftype !== undefined) {
        if (!IFTYPES.includes(iftype)) return undefined;
        if (iftype !== 'STATION') return 'NONE';
      }
      return keyMgmt(caps);
    case 'proto':
      return akms(caps).length > 0 ? 'RSN' : '';
    case 'auth_alg':
      // Open System; SAE when the driver takes the host's Authentication frames
      // (2.10: WPA_DRIVER_FLAGS_SAE); SHARED/LEAP need WEP.
      return caps?.sae_auth ? 'OPEN SAE' : 'OPEN';
    case 'sae':
      // 2.10 answers only with a driver that takes SAE Authentication frames
      // (WPA_DRIVER_FLAGS_SAE); hash-to-element is implemented (no SAE-PK).
      return caps?.sae_auth ? 'H2E' : undefined;
    case 'modes':
      // No IBSS, AP or mesh mode.
      return '';
    case 'channels':
      return hwModes(caps, (c) => ` ${c.chan}`, '');
    case 'freq':
      return hwModes(caps, (c) => ` ${c.chan} = ${c.freq} MHz${c.noIr ? ' (NO_IR)' : ''}${c.radar ? ' (DFS)' : ''}\n`, '\n');
    default:
      return undefined;
  }
}

/** Fields whose answer is the same whatever the driver says (for this daemon's drivers). */
const FIXED: Record<string, string> = {
  eap: '',
  // No driver reports TDLS support.
  tdls: 'UNSUPPORTED\n',
  // No SME in the host (the firmware associates) and no OCV flag from the driver.
  ocv: 'not supported',
  // Beacon protection (BIGTK) is not implemented.
  beacon_prot: 'not supported',
};

/** The reply to GET_CAPABILITY with `arg` (everything after "GET_CAPABILITY "). */
export function getCapability(arg: string, caps: DriverCapabilities | undefined): string {
  if (Buffer.byteLength(arg, 'latin1') >= FIELD_BUF) return FAIL;
  // Space-separated parameters after the field; an empty one (two spaces, a trailing space) is FAIL.
  const [field, ...params] = arg.split(' ');
  let strict = false;
  let iftype: string | undefined;
  for (const p of params) {
    if (p === 'strict') strict = true;
    else if (p.startsWith('iftype=')) iftype = p.slice(7);
    else return FAIL;
  }
  if (Object.hasOwn(FIXED, field)) return FIXED[field];
  return driverField(field, caps, strict, iftype) ?? FAIL;
}
