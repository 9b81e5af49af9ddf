/**
 * The key-owner matrix of issue 5, end to end: a real wpa-offloadd on the
 * simulated radio (-D sim) and over the wire protocol to a separate
 * wpa-offload-sim process (-D ext), driven through the control socket.
 *
 * Rows: how the firmware behaves (complete, late, silent, no_material, fail,
 * no offload capability). Columns: what happens to the association. Every
 * cell ends the same way (`endsInSync`): COMPLETED, OFFLOAD_STATUS in_sync=1,
 * then a group rekey the AP sends to the host, which the host must verify
 * with the KCK it holds (the firmware's, if the firmware ran the handshake)
 * and install with the KEK, checked by the simulated AP (SIM_STATUS).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, WPA_CLI } from '../harness/tools.js';
import { build, pskNetwork, Rig, simSection } from '../station/rig.js';
import { FULL, matrixNetwork, matrixScenario, ROWS, type Row } from './matrix-rows.js';

const haveCli = requireTool(WPA_CLI);

const A = '02:00:00:00:6a:01';
const B = '02:00:00:00:6a:02';
const SSID = 'matrix-net';
const PASS = 'matrix passphrase';
const NET = pskNetwork(SSID, PASS, '\tdisabled=1\n');
const PSK_ROW = ROWS[0];

function scenario(seed: number, firmware: string, row: Row = PSK_ROW): string {
  return matrixScenario(simSection(seed), firmware, row, { a: A, b: B, ssid: SSID, pass: PASS });
}

/** PMKSA's entries as [bssid, pmkid] pairs. */
async function pmksaList(r: Rig): Promise<string[][]> {
  const lines = (await r.req('PMKSA')).trim().split('\n').slice(1);
  return lines.filter(Boolean).map((l) => l.split(/\s+/)).map((f) => [f[1], f[2]]);
}

const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});
beforeAll(() => build(), 120_000);

/** SELECT_NETWORK, then the first CTRL-EVENT-CONNECTED; returns the event index it started from. */
async function connect(r: Rig, bssid = A): Promise<number> {
  const from = r.mark();
  expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
  await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(bssid)} completed`), from);
  // wpa_supplicant ends every association event with it: after CONNECTED when the firmware completed at association.
  await r.wait(/CTRL-EVENT-SUBNET-STATUS-UPDATE status=0/, from);
  return from;
}

/**
 * The end of every cell: COMPLETED, in sync, and a group rekey sent to the
 * host that verifies. A host that holds no KCK (completion without material)
 * first takes the keys back with a 4-way handshake of its own, then the
 * rekey is repeated.
 */
async function endsInSync(r: Rig, bssid: string, row: Row): Promise<void> {
  const st = await r.status();
  expect(st.wpa_state).toBe('COMPLETED');
  expect(st.bssid).toBe(bssid);
  const at = await r.offload();
  expect(at.in_sync).toBe('1');
  if (row.noPmksa && at.completion === 'firmware-no-material') return keysStayInFirmware(r, bssid);
  const offloads = row.offloads;

  let from = r.mark();
  expect(await r.req('DRIVER SIM_GTK_REKEY host')).toBe('OK\n');
  const first = await r.wait(new RegExp(`WPA: Group rekeying completed with ${re(bssid)}|OFFLOAD-KEY-OWNER .*completion=host-reclaimed`), from);
  if (first.startsWith('OFFLOAD-KEY-OWNER')) {
    await r.wait(new RegExp(`WPA: Key negotiation completed with ${re(bssid)}`), from);
    from = r.mark();
    expect(await r.req('DRIVER SIM_GTK_REKEY host')).toBe('OK\n');
    await r.wait(new RegExp(`WPA: Group rekeying completed with ${re(bssid)} \\[GTK=CCMP\\]`), from);
  }
  // host_tk_ok is empty when the firmware installed the TK itself (the host never had to).
  const sim = await r.simUntil((s) => s.host_gtk_ok === '1' && s.host_tk_ok !== '0');
  expect(sim.bssid).toBe(bssid);
  expect(sim.host_tk_ok).not.toBe('0');
  expect(sim.host_gtk_ok).toBe('1');
  expect(sim.ap_restart_limit).toBe('0');
  const off = await r.offload();
  expect((await r.status()).wpa_state).toBe('COMPLETED');
  expect(off.bssid).toBe(bssid);
  expect(off.host_kck_fp).toMatch(/^[0-9a-f]{8}$/);
  if (offloads) {
    // The host pushed its material after the rekey it ran: both sides agree.
    expect(off.fw_replay_ctr).toBe(off.host_replay_ctr);
    expect(off.fw_kck_fp).toBe(off.host_kck_fp);
  }
  expect(off.in_sync).toBe('1');
}

/**
 * SAE offload without a PMKSA (brcmfmac): the host holds no PMK nor PTK
 * material, and knows the firmware's PMKSA is there without its PMKID; a
 * group message reaching the host is dropped (SAE never takes EAPOL-Start),
 * the firmware's own rekeys move the host's replay counter.
 */
async function keysStayInFirmware(r: Rig, bssid: string): Promise<void> {
  let off = await r.offload();
  expect([off.key_owner, off.completion, off.host_pmksa]).toEqual(['firmware', 'firmware-no-material', '']);
  expect(off.fw_pmksa_unreported.split(' ')).toContain(bssid);
  let out = r.daemon.output.length;
  const from = r.mark();
  expect(await r.req('DRIVER SIM_GTK_REKEY host')).toBe('OK\n');
  await r.waitOutput(/OFFLOAD: group key message without PTK material dropped/, out);
  const before = await r.offload();
  out = r.daemon.output.length;
  expect(await r.req('DRIVER SIM_GTK_REKEY fw')).toBe('OK\n');
  await r.waitOutput(/OFFLOAD: firmware completed a group rekey with/, out);
  off = await r.offload();
  expect(BigInt(`0x${off.host_replay_ctr || '0'}`)).toBeGreaterThan(BigInt(`0x${before.host_replay_ctr || '0'}`));
  expect(r.eventsFrom(from).some((e) => /OFFLOAD-KEY-OWNER|CTRL-EVENT-DISCONNECTED/.test(e))).toBe(false);
  expect((await r.simStatus()).ap_eapol_starts).toBe('0');
  expect([(await r.status()).wpa_state, off.completion, off.in_sync]).toEqual(['COMPLETED', 'firmware-no-material', '1']);
}

interface Column {
  name: string;
  /** Runs for the SAE rows too (the process-level matrix runs their SAE-specific cells only; matrix-inproc.test.ts runs all). */
  sae?: boolean;
  /** Applies to this row at all (a firmware without key_mgmt_offload does not roam on its own). */
  applies?: (row: Row) => boolean;
  backends?: ('sim' | 'ext')[];
  /** Extra scenario [firmware] lines. */
  firmwareExtra?: string;
  /** Runs after the first connection; returns the BSSID the cell ends on. */
  run: (r: Rig, row: Row) => Promise<string>;
}

const COLUMNS: Column[] = [
  {
    name: 'first connection',
    sae: true,
    run: async (r, row) => {
      const from = r.mark();
      const owners = r.eventsFrom(0).filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
      if (row.before) expect(owners[0]).toMatch(new RegExp(`^OFFLOAD-KEY-OWNER bssid=${re(A)} owner=host completion=${row.before} reason=\\S`));
      expect(owners.at(-1)).toMatch(new RegExp(`^OFFLOAD-KEY-OWNER bssid=${re(A)} owner=${row.owner} completion=${row.completion} reason=\\S`));
      expect(r.eventsFrom(0).some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
      if (row.sae) {
        // One SAE, run by the firmware; its PMKSA is in the host's cache (PMKSA) and was what a take-back offered.
        // Unreported, the host caches none, unless a take-back ran SAE on the host.
        expect((await r.simStatus()).fw_sae_runs).toBe('1');
        const list = await pmksaList(r);
        expect(list.map((e) => e[0])).toEqual(row.noPmksa && !row.before ? [] : [A]);
        if (row.before) expect((await r.req('MIB')).match(/^dot11RSNAPMKIDUsed=(\w+)$/m)?.[1]).toBe(list[0][1]);
      }
      const evs = r.eventsFrom(0);
      // Whoever ran it, the control interface shows a host handshake's events, in order.
      const order = ['Trying to associate with', 'Associated with', 'WPA: Key negotiation completed with', 'CTRL-EVENT-CONNECTED'].map((p) =>
        evs.findIndex((e) => e.startsWith(p)),
      );
      expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]))).toBe(true);
      const off = await r.offload();
      expect(off.key_owner).toBe(row.owner);
      expect(off.completion).toBe(row.completion);
      expect((await r.simStatus()).ap_eapol_starts).toBe(String(row.eapolStarts));
      expect(r.mark()).toBe(from);
      return A;
    },
  },
  {
    name: 'firmware roam',
    applies: (row) => row.roams,
    run: async (r) => {
      const from = r.mark();
      expect(await r.req(`DRIVER SIM_SIGNAL ${A} -85`)).toBe('OK\n');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      return B;
    },
  },
  {
    // SAE: the host's ROAM makes the firmware run SAE with B; B fades and the firmware roams back to A with A's cached PMKSA, without SAE.
    name: 'firmware roam with a cached PMKSA',
    sae: true,
    applies: (row) => row.roams && row.sae === true,
    run: async (r, row) => {
      let from = r.mark();
      expect(await r.req(`ROAM ${B}`)).toBe('OK\n');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      expect((await r.simStatus()).fw_sae_runs).toBe('2');
      from = r.mark();
      expect(await r.req(`DRIVER SIM_SIGNAL ${B} -85`)).toBe('OK\n');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      expect((await r.simStatus()).fw_sae_runs).toBe('2');
      if (row.noPmksa) {
        // Unreported, both PMKSAs are the firmware's alone.
        expect([await pmksaList(r), (await r.offload()).fw_pmksa_unreported]).toEqual([[], `${A} ${B}`]);
        return A;
      }
      const a = (await pmksaList(r)).find((e) => e[0] === A);
      expect((await r.req('MIB')).match(/^dot11RSNAPMKIDUsed=(\w+)$/m)?.[1]).toBe(a?.[1]);
      return A;
    },
  },
  {
    name: 'host-requested roam',
    run: async (r) => {
      const from = r.mark();
      expect(await r.req(`ROAM ${B}`)).toBe('OK\n');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(B)} completed`), from);
      return B;
    },
  },
  {
    name: 'AP GTK rekey reaching the host',
    run: async (r, row) => {
      // endsInSync runs one; this is the first of two in a row.
      await endsInSync(r, A, row);
      return A;
    },
  },
  {
    name: 'firmware GTK rekey',
    applies: (row) => row.offloads,
    run: async (r) => {
      const before = await r.offload();
      const out = r.daemon.output.length;
      expect(await r.req('DRIVER SIM_GTK_REKEY fw')).toBe('OK\n');
      await r.waitOutput(/OFFLOAD: firmware completed a group rekey with/, out);
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
      expect(await r.req('DRIVER SIM_PTK_REKEY')).toBe('OK\n');
      // wpa_supplicant reports every completed 4-way handshake, rekeys included.
      await r.wait(new RegExp(`WPA: Key negotiation completed with ${re(A)}`), from);
      expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toBe(false);
      return A;
    },
  },
  {
    name: 'firmware restart in the 4-way handshake',
    firmwareExtra: 'restart_at = 4way\n',
    sae: true,
    run: async (r, row) => {
      if (row.noPmksa && !row.before) {
        // The restart emptied the firmware's table and the host had no entry to push back: the firmware ran SAE again.
        const sim = await r.simStatus();
        expect(sim.fw_sae_runs).toBe('2');
        expect(sim.pmksa).toContain(A);
        expect(await pmksaList(r)).toEqual([]);
      } else if (row.sae) {
        // The restart emptied the firmware's table; the host pushed its SAE PMKSA back and the reconnect used it: no second SAE.
        const sim = await r.simStatus();
        expect(sim.fw_sae_runs).toBe('1');
        expect(sim.pmksa).toContain(A);
        expect((await pmksaList(r)).map((e) => e[0])).toEqual([A]);
      }
      return A;
    },
  },
  {
    name: 'driver socket dropped',
    backends: ['ext'],
    run: async (r) => {
      const from = r.mark();
      await r.sim!.kill();
      await r.wait(new RegExp(`CTRL-EVENT-DISCONNECTED bssid=${re(A)} reason=\\d+ locally_generated=1`), from);
      expect((await r.req('PING'))).toBe('PONG\n');
      await r.sim!.start();
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from);
      return A;
    },
  },
];

/** The restart column connects differently: the first attempt is cut by the firmware restart. */
async function connectThroughRestart(r: Rig): Promise<void> {
  const from = r.mark();
  expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
  await r.wait(new RegExp(`CTRL-EVENT-DISCONNECTED bssid=${re(A)} reason=\\d+ locally_generated=1`), from);
  const cut = r.eventsFrom(from);
  const disc = cut.findIndex((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'));
  expect(cut.slice(0, disc).some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toBe(false);
  await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from + disc);
  // A firmware restart is not a wrong passphrase.
  expect(r.eventsFrom(from).some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED'))).toBe(false);
}

let seed = 100;
for (const backend of ['sim', 'ext'] as const) {
  describe(`offload matrix, -D ${backend}`, () => {
    for (const row of ROWS) {
      for (const col of COLUMNS) {
        if (col.applies && !col.applies(row)) continue;
        if (col.backends && !col.backends.includes(backend)) continue;
        if (row.sae && !col.sae) continue;
        const s = seed++;
        it(`${row.name} x ${col.name}`, async () => {
          rig = await Rig.start({ scenario: scenario(s, row.firmware + (col.firmwareExtra ?? ''), row), networks: matrixNetwork(row, SSID, PASS), backend });
          const r = rig;
          if (col.firmwareExtra?.includes('restart_at')) await connectThroughRestart(r);
          else await connect(r);
          const bssid = await col.run(r, row);
          await endsInSync(r, bssid, row);
        });
      }
    }
  });
}

describe('offload: a failed offloaded handshake is not taken for a wrong passphrase', () => {
  it('a firmware failure gives the next attempt to the host, at once and without temp-disabling the network', async () => {
    rig = await Rig.start({ scenario: scenario(seed++, `${FULL}mode = fail\n`), networks: NET, backend: 'sim' });
    const r = rig;
    const from = r.mark();
    expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
    await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from);
    const evs = r.eventsFrom(from);
    expect(evs.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'))).toHaveLength(1);
    expect(evs.some((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED') || e.startsWith('WPA: 4-Way Handshake failed'))).toBe(false);
    expect(evs.find((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toMatch(/owner=host completion=host-only reason=firmware failed an offloaded 4-way handshake for this network/);
  });

  it('with a wrong passphrase, the host-run retry fails too and only that is WRONG_KEY', async () => {
    const wrong = pskNetwork(SSID, 'not the passphrase', '\tdisabled=1\n');
    rig = await Rig.start({ scenario: scenario(seed++, `${FULL}mode = complete\n`), networks: wrong, backend: 'sim' });
    const r = rig;
    const from = r.mark();
    expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
    await r.wait(/CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="matrix-net" auth_failures=1 duration=10 reason=WRONG_KEY/, from);
    const evs = r.eventsFrom(from);
    const owners = evs.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'));
    // First attempt: nothing from the host (the firmware ran it and failed); second: the host's own.
    expect(evs.filter((e) => e.startsWith('Trying to associate with'))).toHaveLength(2);
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatch(/owner=host completion=host-only reason=firmware failed an offloaded 4-way handshake for this network/);
    expect(evs.filter((e) => e === 'WPA: 4-Way Handshake failed - pre-shared key may be incorrect')).toHaveLength(1);
    expect(evs.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))).toBe(false);
  });
});

describe.skipIf(!haveCli)('offload, first row with the real wpa_cli', () => {
  // SAE offload rows on both backends (the password goes over the driver protocol with -D ext).
  for (const [row, backend] of ROWS.flatMap((r) => (r.sae ? (['sim', 'ext'] as const).map((b) => [r, b] as const) : [[r, 'sim'] as const]))) {
    it(`${row.name}: first connection, then a host-handled group rekey (-D ${backend})`, async () => {
      rig = await Rig.start({ scenario: scenario(seed++, row.firmware, row), networks: matrixNetwork(row, SSID, PASS), backend });
      const r = rig;
      let from = r.mark();
      expect((await r.cli('select_network', '0')).trim()).toBe('OK');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${re(A)} completed`), from);
      const st = await r.cli('status');
      expect(st).toMatch(/^wpa_state=COMPLETED$/m);
      expect(st).toMatch(new RegExp(`^bssid=${re(A)}$`, 'm'));
      if (row.sae) {
        expect(st).toMatch(/^key_mgmt=SAE$/m);
        // SAE ran in the firmware, once (a take-back offered its PMKSA), never on the host; unless it
        // reported no PMKSA and was then taken back: the host ran SAE itself.
        const hostSae = row.noPmksa === true && row.before !== undefined;
        expect(r.eventsFrom(0).some((e) => e.includes('SME: Trying to authenticate'))).toBe(hostSae);
        expect(await r.cli('raw', 'DRIVER SIM_STATUS')).toMatch(/^fw_sae_runs=1$/m);
        // The PMKSA the firmware's SAE (or the host's) created, in the host's cache; none when the firmware kept it.
        const entry = new RegExp(`^1 ${re(A)} [0-9a-f]{32} \\d+ 0$`, 'm');
        if (row.noPmksa && !hostSae) expect(await r.cli('pmksa')).not.toMatch(entry);
        else expect(await r.cli('pmksa')).toMatch(entry);
      }
      const off = await r.cli('raw', 'OFFLOAD_STATUS');
      expect(off).toMatch(new RegExp(`^key_owner=${row.owner}$`, 'm'));
      expect(off).toMatch(new RegExp(`^completion=${row.completion}$`, 'm'));
      expect(off).toMatch(/^in_sync=1$/m);
      if (row.noPmksa && row.completion === 'firmware-no-material') {
        // The host holds no KCK: the group message is dropped, the association stays the firmware's.
        expect(off).toMatch(new RegExp(`^fw_pmksa_unreported=${re(A)}$`, 'm'));
        const out = r.daemon.output.length;
        expect((await r.cli('raw', 'DRIVER SIM_GTK_REKEY host')).trim()).toBe('OK');
        await r.waitOutput(/OFFLOAD: group key message without PTK material dropped/, out);
        expect(await r.cli('status')).toMatch(/^wpa_state=COMPLETED$/m);
        return;
      }
      from = r.mark();
      expect((await r.cli('raw', 'DRIVER SIM_GTK_REKEY host')).trim()).toBe('OK');
      const first = await r.wait(new RegExp(`WPA: Group rekeying completed with ${re(A)}|completion=host-reclaimed`), from);
      if (!first.startsWith('WPA:')) {
        await r.wait(new RegExp(`WPA: Key negotiation completed with ${re(A)}`), from);
        from = r.mark();
        expect((await r.cli('raw', 'DRIVER SIM_GTK_REKEY host')).trim()).toBe('OK');
        await r.wait(new RegExp(`WPA: Group rekeying completed with ${re(A)}`), from);
      }
      const sim = await r.simUntil((s) => s.host_gtk_ok === '1');
      expect(sim.host_gtk_ok).toBe('1');
      expect(await r.cli('raw', 'OFFLOAD_STATUS')).toMatch(/^in_sync=1$/m);
      expect(await r.cli('status')).toMatch(/^wpa_state=COMPLETED$/m);
    });
  }
});
