/**
 * The key-owner matrix in process: the real Station and KeyPath on the real
 * simulator, on virtual time (test/offload/inproc.ts). Same rows and
 * columns as the process-level matrix (matrix.test.ts), which stays for what
 * only a process shows; this one runs the whole matrix in about a second,
 * deterministically, and is where new firmware behaviours are added first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pskNetwork, simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';
import { ROWS, type Row } from './matrix-rows.js';

const A = '02:00:00:00:6b:01';
const B = '02:00:00:00:6b:02';
const SSID = 'fast-net';
const PASS = 'fast passphrase';
const NET = pskNetwork(SSID, PASS, '\tdisabled=1\n');


export function scenario(seed: number, firmware: string): string {
  return `${simSection(seed)}[firmware]\n${firmware}\n` +
    `[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n\n` +
    `[ap b]\nbssid = ${B}\nssid = ${SSID}\nfreq = 5180\nsignal = -60\npassphrase = ${PASS}\n`;
}

const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let rig: Inproc | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function connect(r: Inproc, bssid = A): Promise<number> {
  const from = r.mark();
  // What SELECT_NETWORK 0 does: enable it, then tell the station.
  const net = r.config.getNetwork(0)!;
  net.set('disabled', '0');
  r.station.selectNetwork(net);
  await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(bssid)} completed`), from);
  await r.until(/CTRL-EVENT-SUBNET-STATUS-UPDATE/, from);
  return from;
}

/** COMPLETED, in sync, and a group rekey to the host that verifies (after taking the keys back when the host holds no KCK). */
async function endsInSync(r: Inproc, bssid: string, offloads: boolean): Promise<void> {
  expect(r.station.wpaState).toBe('COMPLETED');
  expect(r.station.association()?.bssid).toBe(bssid);
  expect((await r.offload()).in_sync).toBe('1');
  let from = r.mark();
  expect(r.simCmd('SIM_GTK_REKEY host')).toBe('OK');
  const first = await r.until(new RegExp(`WPA: Group rekeying completed with ${re(bssid)}|OFFLOAD-KEY-OWNER .*completion=host-reclaimed`), from);
  if (first.startsWith('OFFLOAD-KEY-OWNER')) {
    await r.until(new RegExp(`WPA: Key negotiation completed with ${re(bssid)}`), from);
    from = r.mark();
    expect(r.simCmd('SIM_GTK_REKEY host')).toBe('OK');
    await r.until(new RegExp(`WPA: Group rekeying completed with ${re(bssid)} \\[GTK=CCMP\\]`), from);
  }
  await r.run(10);
  const sim = r.simStatus();
  expect(sim.bssid).toBe(bssid);
  expect(sim.host_tk_ok).not.toBe('0');
  expect(sim.host_gtk_ok).toBe('1');
  // The AP's "more than three restarts" rule never fired, whatever the firmware did.
  expect(sim.ap_restart_limit).toBe('0');
  const off = await r.offload();
  expect(r.station.wpaState).toBe('COMPLETED');
  expect(off.host_kck_fp).toMatch(/^[0-9a-f]{8}$/);
  if (offloads) {
    expect(off.fw_replay_ctr).toBe(off.host_replay_ctr);
    expect(off.fw_kck_fp).toBe(off.host_kck_fp);
  }
  expect(off.in_sync).toBe('1');
}

interface Column {
  name: string;
  applies?: (row: Row) => boolean;
  firmwareExtra?: string;
  run: (r: Inproc, row: Row) => Promise<string>;
}

const COLUMNS: Column[] = [
  {
    name: 'first connection',
    run: async (r, row) => {
      const owner = r.events.find((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
      expect(owner).toMatch(new RegExp(`^OFFLOAD-KEY-OWNER bssid=${re(A)} owner=${row.owner} completion=${row.completion} reason=\\S`));
      const order = ['Trying to associate with', 'Associated with', 'WPA: Key negotiation completed with', 'CTRL-EVENT-CONNECTED'].map((p) =>
        r.events.findIndex((e) => e.startsWith(p)),
      );
      expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]))).toBe(true);
      const off = await r.offload();
      expect([off.key_owner, off.completion]).toEqual([row.owner, row.completion]);
      expect(r.simStatus().ap_eapol_starts).toBe(String(row.eapolStarts));
      return A;
    },
  },
  {
    name: 'firmware roam',
    applies: (row) => row.roams,
    run: async (r) => {
      const from = r.mark();
      expect(r.simCmd(`SIM_SIGNAL ${A} -85`)).toBe('OK');
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      return B;
    },
  },
  {
    name: 'host-requested roam',
    run: async (r) => {
      const from = r.mark();
      expect(r.station.roam(B)).toBe(true);
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      return B;
    },
  },
  {
    name: 'AP GTK rekey reaching the host',
    run: async (r, row) => {
      await endsInSync(r, A, row.offloads);
      return A;
    },
  },
  {
    name: 'firmware GTK rekey',
    applies: (row) => row.offloads,
    run: async (r) => {
      const before = await r.offload();
      expect(r.simCmd('SIM_GTK_REKEY fw')).toBe('OK');
      await r.run(50);
      const after = await r.offload();
      expect(BigInt(`0x${after.host_replay_ctr || '0'}`)).toBeGreaterThan(BigInt(`0x${before.host_replay_ctr || '0'}`));
      expect(after.host_replay_ctr).toBe(after.fw_replay_ctr);
      return A;
    },
  },
  {
    name: 'PTK rekey',
    run: async (r) => {
      const from = r.mark();
      expect(r.simCmd('SIM_PTK_REKEY')).toBe('OK');
      await r.until(new RegExp(`WPA: Key negotiation completed with ${re(A)}`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      return A;
    },
  },
  {
    name: 'firmware restart in the 4-way handshake',
    firmwareExtra: 'restart_at = 4way\n',
    run: async (r) => {
      // The first attempt was cut by the restart; a firmware restart is not a wrong passphrase.
      expect(r.events.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED')).length).toBeGreaterThanOrEqual(1);
      expect(r.events.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
      return A;
    },
  },
];

let seed = 300;
describe('offload matrix, in process on virtual time', () => {
  for (const row of ROWS) {
    for (const col of COLUMNS) {
      if (col.applies && !col.applies(row)) continue;
      const s = seed++;
      it(`${row.name} x ${col.name}`, async () => {
        rig = await Inproc.start({ scenario: scenario(s, row.firmware + (col.firmwareExtra ?? '')), conf: NET });
        await connect(rig);
        const bssid = await col.run(rig, row);
        await endsInSync(rig, bssid, row.offloads);
      });
    }
  }
});
