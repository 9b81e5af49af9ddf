/**
 * The key-owner matrix in process: the real Station and KeyPath on the real
 * simulator, on virtual time (test/offload/inproc.ts). Same rows and
 * columns as the process-level matrix (matrix.test.ts), which stays for what
 * only a process shows; this one runs the whole matrix in about a second,
 * deterministically, and is where new firmware behaviours are added first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { simSection } from '../station/rig.js';
import { Inproc } from './inproc.js';
import { matrixNetwork, matrixScenario, ROWS, type Row } from './matrix-rows.js';

const A = '02:00:00:00:6b:01';
const B = '02:00:00:00:6b:02';
const SSID = 'fast-net';
const PASS = 'fast passphrase';

export function scenario(seed: number, firmware: string, row: Row): string {
  return matrixScenario(simSection(seed), firmware, row, { a: A, b: B, ssid: SSID, pass: PASS });
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

/**
 * COMPLETED, in sync, and a group rekey to the host that verifies (after
 * taking the keys back when the host holds no KCK); with keys the firmware
 * keeps (SAE offload without a PMKSA), a group message to the host is
 * dropped and the firmware's rekeys carry on.
 */
async function endsInSync(r: Inproc, bssid: string, row: Row): Promise<void> {
  expect(r.station.wpaState).toBe('COMPLETED');
  expect(r.station.association()?.bssid).toBe(bssid);
  const at = await r.offload();
  expect(at.in_sync).toBe('1');
  if (row.noPmksa && at.completion === 'firmware-no-material') return keysStayInFirmware(r, bssid);
  const offloads = row.offloads;
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

/** SAE offload without a PMKSA: the host holds no PMK nor PTK material; the firmware's PMKSA is known to be there, unnamed. */
async function keysStayInFirmware(r: Inproc, bssid: string): Promise<void> {
  let off = await r.offload();
  expect([off.key_owner, off.completion, off.host_pmksa]).toEqual(['firmware', 'firmware-no-material', '']);
  expect(off.fw_pmksa_unreported.split(' ')).toContain(bssid);
  // The firmware's table holds exactly the entries the host knows are there without their PMKIDs.
  expect(off.fw_pmksa.split(' ').map((e) => e.split('/')[0])).toEqual(off.fw_pmksa_unreported.split(' '));
  // A group message reaching the host is dropped: SAE never takes EAPOL-Start, and there is no KCK to answer with.
  const from = r.mark();
  expect(r.simCmd('SIM_GTK_REKEY host')).toBe('OK');
  await r.run(10);
  expect(r.eventsFrom(from).some((e) => /Group rekeying completed|OFFLOAD-KEY-OWNER|CTRL-EVENT-DISCONNECTED/.test(e))).toBe(false);
  expect(r.simStatus().ap_eapol_starts).toBe('0');
  // The firmware's own group rekey moves the host's replay counter.
  const before = await r.offload();
  expect(r.simCmd('SIM_GTK_REKEY fw')).toBe('OK');
  await r.run(50);
  off = await r.offload();
  expect(BigInt(`0x${off.host_replay_ctr || '0'}`)).toBeGreaterThan(BigInt(`0x${before.host_replay_ctr || '0'}`));
  expect([r.station.wpaState, off.completion, off.in_sync]).toEqual(['COMPLETED', 'firmware-no-material', '1']);
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
      const owners = r.events.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
      if (row.before) {
        // Taken back before completion: the event says so first, then the host's own connection.
        expect(owners[0]).toMatch(new RegExp(`^OFFLOAD-KEY-OWNER bssid=${re(A)} owner=host completion=${row.before} reason=\\S`));
        expect(r.events.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toHaveLength(1);
      }
      expect(owners.at(-1)).toMatch(new RegExp(`^OFFLOAD-KEY-OWNER bssid=${re(A)} owner=${row.owner} completion=${row.completion} reason=\\S`));
      // A firmware's failure or silence is no wrong password.
      expect(r.events.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
      if (row.sae) {
        // The firmware ran SAE once and reported the PMKSA, which the host cached; a take-back offered its PMKID (no second SAE).
        // Without a report the host caches nothing, unless a take-back ran SAE on the host.
        expect(r.simStatus().fw_sae_runs).toBe('1');
        const cached = r.pmksa.cache.list();
        expect(cached.map((e) => [e.aa, e.akm])).toEqual(row.noPmksa && !row.before ? [] : [[A, 'SAE']]);
        if (row.before) expect(r.station.mib().rsna?.pmkid?.equals(cached[0].pmkid)).toBe(true);
      }
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
    applies: (row) => row.roams && !row.sae,
    run: async (r) => {
      const from = r.mark();
      expect(r.simCmd(`SIM_SIGNAL ${A} -85`)).toBe('OK');
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      return B;
    },
  },
  {
    // SAE: the firmware has a PMKSA for A (the first connection's); it runs SAE with B on the host's ROAM, then roams back to A on its own offering A's PMKID, without SAE.
    name: 'firmware roam with a cached PMKSA',
    applies: (row) => row.roams && row.sae === true,
    run: async (r, row) => {
      let from = r.mark();
      expect(r.station.roam(B)).toBe(true);
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      expect(r.simStatus().fw_sae_runs).toBe('2');
      // Unreported, both PMKSAs are the firmware's alone.
      if (row.noPmksa) expect([r.pmksa.cache.size, (await r.offload()).fw_pmksa_unreported]).toEqual([0, `${A} ${B}`]);
      else expect(r.pmksa.cache.list().map((e) => e.aa).sort()).toEqual([A, B]);
      from = r.mark();
      expect(r.simCmd(`SIM_SIGNAL ${B} -85`)).toBe('OK');
      await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      expect(r.simStatus().fw_sae_runs).toBe('2');
      if (row.noPmksa) return A;
      const a = r.pmksa.cache.list().find((e) => e.aa === A)!;
      expect(r.station.mib().rsna?.pmkid?.equals(a.pmkid)).toBe(true);
      return A;
    },
  },
  {
    name: 'host-requested roam',
    // Without a PMKSA for B and without the password in the firmware, a host ROAM needs SAE on the host (not done here).
    applies: (row) => !row.sae || row.roams,
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
      await endsInSync(r, A, row);
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
    run: async (r, row) => {
      const keysInFirmware = row.noPmksa && (await r.offload()).completion === 'firmware-no-material';
      const from = r.mark();
      expect(r.simCmd('SIM_PTK_REKEY')).toBe('OK');
      if (keysInFirmware) {
        // Msg 1/4 reaches a host with no PMK: it takes the association back by reassociating, running SAE itself.
        await r.until(new RegExp(`OFFLOAD-KEY-OWNER bssid=${re(A)} owner=host completion=host-reclaimed reason=\\S`), from);
        await r.until(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from);
        expect((await r.offload()).completion).toBe('host-only');
        expect(r.pmksa.cache.list().map((e) => e.aa)).toEqual([A]);
        expect(r.simStatus().ap_eapol_starts).toBe('0');
        return A;
      }
      await r.until(new RegExp(`WPA: Key negotiation completed with ${re(A)}`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      return A;
    },
  },
  {
    name: 'firmware restart in the 4-way handshake',
    firmwareExtra: 'restart_at = 4way\n',
    run: async (r, row) => {
      // The first attempt was cut by the restart; a firmware restart is not a wrong passphrase.
      expect(r.events.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED')).length).toBeGreaterThanOrEqual(1);
      expect(r.events.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
      if (row.noPmksa && !row.before) {
        // The restart wiped the firmware's table and the host had no entry to push back: the firmware ran SAE again.
        const sim = r.simStatus();
        expect(sim.fw_sae_runs).toBe('2');
        expect(sim.pmksa).toContain(A);
        expect(r.pmksa.cache.list()).toEqual([]);
      } else if (row.sae) {
        // The restart wiped the firmware's table; the host pushed its SAE PMKSA back and the reconnect used it: one SAE in all.
        const sim = r.simStatus();
        expect(sim.fw_sae_runs).toBe('1');
        expect(sim.pmksa).toContain(A);
        expect(r.pmksa.cache.list().map((e) => e.aa)).toEqual([A]);
      }
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
        rig = await Inproc.start({ scenario: scenario(s, row.firmware + (col.firmwareExtra ?? ''), row), conf: matrixNetwork(row, SSID, PASS) });
        await connect(rig);
        const bssid = await col.run(rig, row);
        await endsInSync(rig, bssid, row);
      });
    }
  }
});
