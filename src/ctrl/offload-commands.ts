/**
 * PMKSA cache commands in wpa_supplicant 2.10's formats, and OFFLOAD_STATUS,
 * the one command wpa_supplicant does not have.
 *
 * PMKSA_GET and PMKSA_ADD (wpa_supplicant's CONFIG_PMKSA_CACHE_EXTERNAL)
 * carry PMKs in clear: they answer FAIL unless the daemon's settings enable
 * them for testing (`[offload] pmksa_testing = true`).
 */
import { akmFacts, allAkms } from '../rsn/akm.js';
import type { PmksaCache } from '../rsn/pmksa.js';
import type { StationControl } from '../station/api.js';
import type { SupplicantConfig } from '../config/config.js';
import { atoi } from '../config/cstr.js';
import { FAIL, OK, ReplyBuffer, IFACE_REPLY_SIZE, type CommandSpec } from './command-table.js';
import { formatOffloadStatus } from './offload-status.js';
import { parseMac } from './station-commands.js';

/** The PMKSA commands work on the host cache alone; PmksaSync mirrors its changes to a firmware. */
export interface PmksaCommandContext {
  cache: PmksaCache;
  config: () => SupplicantConfig;
  pmksaTesting: boolean;
}

export interface OffloadCommandContext {
  station: StationControl;
}

/** PMKSA_GET / PMKSA_ADD carry the AKM as its WPA_KEY_MGMT_* bit; the cache holds AKMs whose handshake runs here. */
const akmBit = (akm: string): number => akmFacts(akm)?.bit ?? 0;
const akmOfBit = (bit: number): string | undefined => allAkms().find((a) => a.handshake && a.bit === bit)?.name;

function pmksaList(c: PmksaCommandContext): string {
  const out = new ReplyBuffer(IFACE_REPLY_SIZE);
  out.add('Index / AA / PMKID / expiration (in seconds) / opportunistic\n');
  const now = c.cache.now();
  c.cache.list().forEach((e, i) => {
    out.add(`${i + 1} ${e.aa} ${e.pmkid.toString('hex')} ${e.expiration - now} ${e.opportunistic ? 1 : 0}\n`);
  });
  return out.toString();
}

/** PMKSA_GET <network id>: "aa pmkid pmk reauth_time expiration akmp opportunistic" per entry. */
function pmksaGet(c: PmksaCommandContext, args: string): string {
  if (!c.pmksaTesting) return FAIL;
  const net = c.config().getNetwork(atoi(args));
  if (!net) return FAIL;
  const now = c.cache.now();
  const out = new ReplyBuffer(IFACE_REPLY_SIZE);
  for (const e of c.cache.forNetwork(net.id)) {
    const line = `${e.aa} ${e.pmkid.toString('hex')} ${e.pmk.toString('hex')} ${e.reauthThreshold - now} ${e.expiration - now} ${akmBit(e.akm)} ${e.opportunistic ? 1 : 0}\n`;
    if (!out.add(line)) break;
  }
  return out.toString();
}

/** PMKSA_ADD <network id> <BSSID> <PMKID> <PMK> <reauth_time> <expiration> <akmp> <opportunistic> */
function pmksaAdd(c: PmksaCommandContext, args: string): string {
  if (!c.pmksaTesting) return FAIL;
  const f = args.split(' ');
  if (f.length !== 8) return FAIL;
  const net = c.config().getNetwork(atoi(f[0]));
  const aa = parseMac(f[1]);
  if (!net || !aa || f[1].length !== 17) return FAIL;
  if (!/^[0-9a-fA-F]{32}$/.test(f[2]) || !/^[0-9a-fA-F]{32,128}$/.test(f[3]) || f[3].length % 2) return FAIL;
  const reauth = atoi(f[4]);
  const expiration = atoi(f[5]);
  const akmBits = atoi(f[6]);
  const akm = akmOfBit(akmBits);
  if (!akm || expiration <= 0 || reauth < 0 || reauth > expiration) return FAIL;
  try {
    c.cache.add({
      aa,
      pmkid: Buffer.from(f[2], 'hex'),
      pmk: Buffer.from(f[3], 'hex'),
      akm,
      networkId: net.id,
      lifetime: expiration,
      reauthThresholdPct: Math.floor((reauth * 100) / expiration),
      opportunistic: atoi(f[7]) !== 0,
    });
  } catch {
    return FAIL;
  }
  return OK;
}

async function offloadStatus(c: OffloadCommandContext): Promise<string> {
  return formatOffloadStatus(await c.station.offloadAudit());
}

export const pmksaCommands: CommandSpec<PmksaCommandContext>[] = [
  { name: 'PMKSA', form: 'exact', handler: pmksaList },
  { name: 'PMKSA_FLUSH', form: 'exact', handler: (c) => (c.cache.flush(), OK) },
  { name: 'PMKSA_GET', form: 'space', handler: pmksaGet },
  { name: 'PMKSA_ADD', form: 'space', handler: pmksaAdd },
];

export const offloadCommands: CommandSpec<OffloadCommandContext>[] = [
  { name: 'OFFLOAD_STATUS', form: 'exact', handler: offloadStatus },
];
