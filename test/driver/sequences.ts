/**
 * The driver sequences every backend must produce, written once and run
 * against the in-process SimDriver and against ExtDriver talking to a real
 * wpa-offload-sim process. The test plays the host: it connects, and where
 * the host owns the handshake it runs the rsn Supplicant itself over
 * eapol_rx/tx_eapol, which completes only if the AP's frames carry MICs made
 * with the right keys.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectParams, DriverBackend, FirmwareMaterial, ScanBss } from '../../src/driver/backend.js';
import { pbkdf2Psk } from '../../src/rsn/crypto.js';
import { classifyEapol } from '../../src/rsn/eapol.js';
import { buildRsne, parseRsne } from '../../src/rsn/rsne.js';
import { Supplicant, type SupplicantResult } from '../../src/rsn/supplicant.js';
import { once, recordEvents, until } from './helpers.js';

export const OWN = '02:00:00:00:00:42';
export const AP_A = '02:00:00:00:aa:01';
export const AP_B = '02:00:00:00:aa:02';
export const AP_PMF = '02:00:00:00:bb:01';
export const PASSPHRASE = 'test passphrase';

export function testScenario(o: { mode?: string; restartAt?: string; caps?: Record<string, string>; seed?: number } = {}): string {
  const caps = { four_way_psk: 'true', key_mgmt_offload: 'true', gtk_rekey_offload: 'true', pmksa_offload: 'true', max_pmksa: '4', ...(o.caps ?? {}) };
  return [
    '[sim]',
    `seed = ${o.seed ?? 11}`,
    `address = ${OWN}`,
    'air_delay_ms = 1',
    'scan_delay_ms = 1',
    'eapol_timeout_ms = 300',
    'eapol_retries = 2',
    '[firmware]',
    ...Object.entries(caps).map(([k, v]) => `${k} = ${v}`),
    'akms = WPA-PSK, WPA-PSK-SHA256',
    `mode = ${o.mode ?? 'complete'}`,
    ...(o.restartAt ? [`restart_at = ${o.restartAt}`] : []),
    '[ap a]',
    `bssid = ${AP_A}`,
    'ssid = test-net',
    'freq = 2437',
    'signal = -40',
    `passphrase = ${PASSPHRASE}`,
    '[ap b]',
    `bssid = ${AP_B}`,
    'ssid = test-net',
    'freq = 5180',
    'signal = -60',
    `passphrase = ${PASSPHRASE}`,
    '[ap pmf]',
    `bssid = ${AP_PMF}`,
    'ssid = pmf-net',
    'freq = 5500',
    'signal = -50',
    'akm = WPA-PSK-SHA256',
    'mfp = required',
    `passphrase = ${PASSPHRASE}`,
    '',
  ].join('\n');
}

export interface DriverFixture {
  driver: DriverBackend;
  close(): Promise<void>;
}

const fp = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 8);

function findIe(ies: Buffer, id: number): Buffer | undefined {
  for (let off = 0; off + 2 <= ies.length && off + 2 + ies[off + 1] <= ies.length; off += 2 + ies[off + 1]) {
    if (ies[off] === id) return ies.subarray(off, off + 2 + ies[off + 1]);
  }
  return undefined;
}

/** What the station would ask for, for the BSS as the scan reported it. */
function connectParams(bss: ScanBss, passphrase: string, offload: boolean): { params: ConnectParams; ownRsne: Buffer; apRsne: Buffer; pmk: Buffer; akm: string; mfp: boolean } {
  const apRsne = findIe(bss.ies, 48) as Buffer;
  const r = parseRsne(apRsne);
  const akm = r.akms[0];
  const mfp = r.mfpc;
  const ownRsne = buildRsne({ group: r.group, pairwise: [r.pairwise[0]], akms: [akm], mfpc: mfp, mfpr: r.mfpr, pmkids: [], groupMgmt: mfp ? r.groupMgmt : undefined });
  const pmk = pbkdf2Psk(passphrase, bss.ssid);
  return {
    params: {
      bssid: bss.bssid, ssid: bss.ssid, freq: bss.freq, ies: ownRsne, akm, pairwise: r.pairwise[0], group: r.group,
      mfp: r.mfpr ? 'required' : mfp ? 'optional' : 'none', pmk: offload ? pmk : undefined,
    },
    ownRsne, apRsne, pmk, akm, mfp,
  };
}

/** The host side of the EAPOL-Key exchanges, as the daemon runs them. */
export class TestHost {
  readonly results: SupplicantResult[] = [];
  readonly events: string[] = [];
  /** Driver operations that failed (kept, not thrown: the link may close under a test's teardown). */
  readonly errors: unknown[] = [];
  readonly sm: Supplicant;

  constructor(
    private readonly d: DriverBackend,
    readonly bssid: string,
    c: ReturnType<typeof connectParams>,
    pmk: Buffer = c.pmk,
  ) {
    this.sm = new Supplicant({
      akm: c.akm, pairwise: c.params.pairwise, group: c.params.group, groupMgmt: c.mfp ? 'AES-128-CMAC' : undefined,
      mfp: c.mfp, pmk, aa: bssid, spa: OWN, ownRsne: c.ownRsne, apRsne: c.apRsne,
    });
    d.on('eapol_rx', this.onRx);
  }

  private onRx = (e: { src: string; data: Buffer }): void => {
    if (e.src !== this.bssid) return;
    const r = this.sm.receive(e.data);
    this.results.push(r);
    if (r.event) this.events.push(r.event);
    const keep = (e: unknown): void => {
      this.errors.push(e);
    };
    for (const k of r.install) this.d.setKey({ kind: k.kind, idx: k.idx, cipher: k.cipher, key: k.key, rsc: k.rsc, addr: k.kind === 'pairwise' ? this.bssid : 'ff:ff:ff:ff:ff:ff' }).catch(keep);
    for (const f of r.tx) this.d.txEapol(this.bssid, f).catch(keep);
  };

  detach(): void {
    this.d.off('eapol_rx', this.onRx);
  }
}

const EVENT_NAMES = ['scan_results', 'assoc', 'port_authorized', 'assoc_reject', 'eapol_rx', 'gtk_rekey', 'pmksa_added', 'disconnected', 'signal', 'firmware_restarted'];

export function driverSequences(label: string, make: (scenarioText: string) => Promise<DriverFixture>): void {
  describe(`${label}: driver sequences`, () => {
    let fx: DriverFixture | undefined;
    let d: DriverBackend;

    async function up(text = testScenario()): Promise<void> {
      fx = await make(text);
      d = fx.driver;
      if (!d.hello) await once(d, 'link_up');
    }

    async function scan(): Promise<ScanBss[]> {
      const res = once<[ScanBss[]]>(d, 'scan_results');
      await d.scan({});
      return (await res)[0];
    }

    async function prepare(bssid: string, offload: boolean, passphrase = PASSPHRASE) {
      const bss = (await scan()).find((b) => b.bssid === bssid) as ScanBss;
      return connectParams(bss, passphrase, offload);
    }

    beforeEach(() => {
      fx = undefined;
    });
    afterEach(async () => {
      await fx?.close();
    });

    it('hello reports the scenario firmware; scan returns real Probe Response IEs', async () => {
      await up(testScenario({ caps: { gtk_rekey_offload: 'false', max_pmksa: '7' } }));
      expect(d.hello?.address).toBe(OWN);
      expect(d.hello?.capabilities).toMatchObject({ four_way_psk: true, gtk_rekey_offload: false, max_pmksa: 7, akms: ['WPA-PSK', 'WPA-PSK-SHA256'] });
      const bss = await scan();
      expect(bss.map((b) => b.bssid).sort()).toEqual([AP_A, AP_B, AP_PMF]);
      const a = bss.find((b) => b.bssid === AP_A) as ScanBss;
      expect(a).toMatchObject({ freq: 2437, signal: -40, beaconInt: 100 });
      expect(findIe(a.ies, 0)?.subarray(2).toString()).toBe('test-net');
      expect(findIe(a.ies, 3)?.[2]).toBe(6); // DS Parameter Set: channel 6 for 2437 MHz
      expect(findIe(a.ies, 1)?.length).toBeGreaterThan(2);
      expect(parseRsne(findIe(a.ies, 48) as Buffer)).toMatchObject({ akms: ['WPA-PSK'], pairwise: ['CCMP'], group: 'CCMP', mfpc: false });
      const p = bss.find((b) => b.bssid === AP_PMF) as ScanBss;
      expect(parseRsne(findIe(p.ies, 48) as Buffer)).toMatchObject({ akms: ['WPA-PSK-SHA256'], mfpc: true, mfpr: true });
      expect(a.caps & 0x0011).toBe(0x0011); // ESS + Privacy
      // Listen before asking: the results can arrive with the request's reply (ext, under load).
      const five = once<[ScanBss[]]>(d, 'scan_results');
      await d.scan({ freqs: [5180] });
      expect((await five)[0].map((b) => b.bssid)).toEqual([AP_B]);
    });

    it('mode complete: assoc authorized with KCK/KEK/replay counter; sync_state fingerprints match; a group rekey verifies with that KCK', async () => {
      await up();
      const c = await prepare(AP_A, true);
      const seen = recordEvents(d, EVENT_NAMES);
      const assoc = once<[{ authorized: boolean; material?: FirmwareMaterial; roam: boolean; beaconIes: Buffer; reqIes: Buffer }]>(d, 'assoc');
      await d.connect(c.params);
      const [a] = await assoc;
      expect(a.authorized).toBe(true);
      expect(a.roam).toBe(false);
      const m = a.material as Required<FirmwareMaterial>;
      expect(m.kck.length).toBe(16);
      expect(m.kek.length).toBe(16);
      expect(m.keyReplayCtr.length).toBe(8);
      expect(findIe(a.beaconIes, 5)).toBeDefined(); // a Beacon has a TIM
      expect(findIe(a.reqIes, 48)?.equals(c.ownRsne)).toBe(true);
      const st = await d.syncState();
      expect(st.kckFp).toBe(fp(m.kck));
      expect(st.kekFp).toBe(fp(m.kek));
      expect(st.replayCtr?.equals(m.keyReplayCtr)).toBe(true);
      // The firmware forwards this group rekey; the host answers it with the firmware's keys.
      const host = new TestHost(d, AP_A, c);
      host.sm.seedMaterial({ kck: m.kck, kek: m.kek, replayCounter: m.keyReplayCtr });
      expect(await d.driverCmd('SIM_GTK_REKEY host')).toBe('OK');
      await until(() => host.events.includes('group-complete'), 'host group rekey');
      const gtk = host.results.flatMap((r) => r.install).find((k) => k.kind === 'group');
      expect(gtk?.key.length).toBe(16);
      expect(seen.map((e) => e.name)).toEqual(['assoc', 'eapol_rx']);
      expect(classifyEapol((seen[1].args[0] as { data: Buffer }).data)).toBe('group-1');
      host.detach();
    });

    it('mode late: assoc unauthorized, then port_authorized with the material', async () => {
      await up(testScenario({ mode: 'late' }));
      const c = await prepare(AP_A, true);
      const seen = recordEvents(d, EVENT_NAMES);
      const pa = once<[{ bssid: string; material: Required<FirmwareMaterial> }]>(d, 'port_authorized');
      await d.connect(c.params);
      const [p] = await pa;
      expect(seen.map((e) => e.name)).toEqual(['assoc', 'port_authorized']);
      expect((seen[0].args[0] as { authorized: boolean }).authorized).toBe(false);
      expect(p.bssid).toBe(AP_A);
      expect((await d.syncState()).kckFp).toBe(fp(p.material.kck));
    });

    it('mode silent: the AP msg 1/4 reaches the host, whose own 4-way handshake completes', async () => {
      await up(testScenario({ mode: 'silent' }));
      const c = await prepare(AP_A, true);
      const seen = recordEvents(d, EVENT_NAMES);
      const host = new TestHost(d, AP_A, c);
      await d.connect(c.params);
      await until(() => host.events.includes('4way-complete'), 'host 4-way handshake');
      expect(seen[0].name).toBe('assoc');
      expect((seen[0].args[0] as { authorized: boolean }).authorized).toBe(false);
      expect(classifyEapol((seen[1].args[0] as { data: Buffer }).data)).toBe('pairwise-1');
      expect(host.results.flatMap((r) => r.install).map((k) => k.kind)).toContain('pairwise');
      // The firmware holds no material: nothing to report until set_rekey_data.
      expect((await d.syncState()).kckFp).toBeNull();
      host.detach();
    });

    it('mode no_material: assoc authorized without KCK/KEK', async () => {
      await up(testScenario({ mode: 'no_material' }));
      const c = await prepare(AP_A, true);
      const assoc = once<[{ authorized: boolean; material?: FirmwareMaterial }]>(d, 'assoc');
      await d.connect(c.params);
      const [a] = await assoc;
      expect(a.authorized).toBe(true);
      expect(a.material).toBeUndefined();
    });

    it('mode fail: assoc unauthorized, then a locally generated disconnect with reason 15', async () => {
      await up(testScenario({ mode: 'fail' }));
      const c = await prepare(AP_A, true);
      const seen = recordEvents(d, EVENT_NAMES);
      const disc = once<[{ bssid: string; reason: number; locallyGenerated: boolean }]>(d, 'disconnected');
      await d.connect(c.params);
      expect((await disc)[0]).toEqual({ bssid: AP_A, reason: 15, locallyGenerated: true });
      expect(seen.map((e) => e.name)).toEqual(['assoc', 'disconnected']);
    });

    it('SIM_FW_MODE switches the behaviour of the next connection', async () => {
      await up();
      expect(await d.driverCmd('SIM_FW_MODE late')).toBe('OK');
      const c = await prepare(AP_A, true);
      const pa = once(d, 'port_authorized');
      await d.connect(c.params);
      await pa;
      expect(await d.driverCmd('SIM_FW_MODE sideways')).toMatch(/^FAIL /);
    });

    it('host-only: the host runs the 4-way and group handshakes (PMF, SHA-256 AKM); set_rekey_data hands the next GTK rekey to the firmware', async () => {
      await up();
      const c = await prepare(AP_PMF, false);
      const seen = recordEvents(d, EVENT_NAMES);
      const host = new TestHost(d, AP_PMF, c);
      await d.connect(c.params);
      await until(() => host.events.includes('4way-complete'), 'host 4-way handshake');
      expect(host.results.flatMap((r) => r.install).map((k) => k.kind).sort()).toEqual(['group', 'igtk', 'pairwise']);
      await d.setPort(true);
      // The keys the host installed are the AP's (the simulator compares them).
      await until(async () => /host_tk_ok=1\nhost_gtk_ok=1/.test(await d.driverCmd('SIM_STATUS')), 'keys installed');
      expect(await d.driverCmd('SIM_GTK_REKEY')).toBe('OK'); // no rekey data yet: to the host
      await until(() => host.events.includes('group-complete'), 'host group rekey');
      await until(async () => /host_gtk_ok=1/.test(await d.driverCmd('SIM_STATUS')), 'new GTK installed');
      const mat = host.sm.material() as { kck: Buffer; kek: Buffer; replayCounter: Buffer };
      await d.setRekeyData({ kck: mat.kck, kek: mat.kek, replayCtr: mat.replayCounter, akm: c.akm });
      expect((await d.syncState()).kckFp).toBe(fp(mat.kck));
      const rekey = once<[{ bssid: string; replayCtr: Buffer }]>(d, 'gtk_rekey');
      expect(await d.driverCmd('SIM_GTK_REKEY fw')).toBe('OK');
      const [g] = await rekey;
      expect(g.bssid).toBe(AP_PMF);
      expect(Buffer.compare(g.replayCtr, mat.replayCounter)).toBe(1);
      expect((await d.syncState()).replayCtr?.equals(g.replayCtr)).toBe(true);
      expect(seen.filter((e) => e.name === 'eapol_rx').map((e) => classifyEapol((e.args[0] as { data: Buffer }).data))).toEqual(['pairwise-1', 'pairwise-3', 'group-1']);
      expect(seen.some((e) => e.name === 'disconnected')).toBe(false);
      expect(host.errors).toEqual([]);
      host.detach();
    });

    it('a wrong passphrase: the AP drops msg 2/4, retransmits, then deauthenticates with reason 15', async () => {
      await up();
      const c = await prepare(AP_A, false, 'not the passphrase');
      const host = new TestHost(d, AP_A, c);
      const disc = once<[{ bssid: string; reason: number; locallyGenerated: boolean }]>(d, 'disconnected');
      await d.connect(c.params);
      expect((await disc)[0]).toEqual({ bssid: AP_A, reason: 15, locallyGenerated: false });
      expect(host.events).not.toContain('4way-complete');
      // msg 1/4 came three times (first + two retransmissions), each answered.
      expect(host.results.filter((r) => r.tx.length > 0).length).toBe(3);
      host.detach();
    });

    it('SIM_PTK_REKEY after an offloaded handshake reaches the host, which completes it', async () => {
      await up();
      const c = await prepare(AP_A, true);
      const assoc = once(d, 'assoc');
      await d.connect(c.params);
      await assoc;
      const host = new TestHost(d, AP_A, c);
      expect(await d.driverCmd('SIM_PTK_REKEY')).toBe('OK');
      await until(() => host.events.includes('4way-complete'), 'host PTK rekey');
      host.detach();
    });

    it('host roam: reassociation to the other BSS, firmware-completed with the PSK', async () => {
      await up();
      const c = await prepare(AP_A, true);
      const first = once(d, 'assoc');
      await d.connect(c.params);
      await first;
      const assoc = once<[{ bssid: string; roam: boolean; authorized: boolean; material?: FirmwareMaterial }]>(d, 'assoc');
      await d.roam(AP_B);
      const [a] = await assoc;
      expect(a).toMatchObject({ bssid: AP_B, roam: true, authorized: true });
      expect((await d.syncState()).kckFp).toBe(fp((a.material as Required<FirmwareMaterial>).kck));
      await expect(d.roam(AP_PMF)).rejects.toThrow(/same ESS/);
    });

    it('restart_at=4way: the firmware restarts when msg 3/4 arrives and forgets its PMKSA table', async () => {
      await up(testScenario({ restartAt: '4way' }));
      await d.setPmksa({ bssid: AP_A, pmkid: Buffer.alloc(16, 1), pmk: Buffer.alloc(32, 2), akm: 'WPA-PSK', lifetime: 100 });
      const c = await prepare(AP_A, true);
      const seen = recordEvents(d, EVENT_NAMES);
      const restarted = once(d, 'firmware_restarted');
      await d.connect(c.params);
      await restarted;
      expect(seen.map((e) => e.name)).toEqual(['firmware_restarted']);
      expect((await d.syncState()).pmkids).toEqual([]);
      expect(await d.driverCmd('SIM_STATUS')).toContain('restart_at=\n');
      // Once only: the next connection completes.
      const assoc = once<[{ authorized: boolean }]>(d, 'assoc');
      await d.connect(c.params);
      expect((await assoc)[0].authorized).toBe(true);
    });

    it('PMKSA table: set/replace/del/flush as sync_state shows it; a full table is refused', async () => {
      await up();
      const e = (i: number) => ({ bssid: `02:00:00:00:cc:0${i}`, pmkid: Buffer.alloc(16, i), pmk: Buffer.alloc(32, i), akm: 'WPA-PSK', lifetime: 43200 });
      for (let i = 1; i <= 4; i++) await d.setPmksa(e(i));
      await d.setPmksa({ ...e(2), pmkid: Buffer.alloc(16, 9) }); // replaces the entry for that BSSID
      await expect(d.setPmksa(e(5))).rejects.toThrow(/table full/);
      await d.delPmksa(e(1).bssid, e(1).pmkid);
      await expect(d.delPmksa(e(1).bssid, e(1).pmkid)).rejects.toThrow(/no such PMKSA/);
      const st = await d.syncState();
      expect(st.pmkids.map((p) => `${p.bssid}/${p.pmkid.toString('hex').slice(0, 2)}`)).toEqual(['02:00:00:00:cc:02/09', '02:00:00:00:cc:03/03', '02:00:00:00:cc:04/04']);
      await d.flushPmksa();
      expect((await d.syncState()).pmkids).toEqual([]);
    });

    it('disconnect and SIM_DEAUTH report who ended the association', async () => {
      await up();
      const c = await prepare(AP_A, true);
      let assoc = once(d, 'assoc');
      await d.connect(c.params);
      await assoc;
      let disc = once<[unknown]>(d, 'disconnected');
      await d.disconnect(3);
      expect((await disc)[0]).toEqual({ bssid: AP_A, reason: 3, locallyGenerated: true });
      assoc = once(d, 'assoc');
      await d.connect(c.params);
      await assoc;
      disc = once<[unknown]>(d, 'disconnected');
      expect(await d.driverCmd('SIM_DEAUTH')).toBe('OK');
      expect((await disc)[0]).toEqual({ bssid: AP_A, reason: 2, locallyGenerated: false });
      expect(await d.driverCmd('SIM_DEAUTH')).toBe('FAIL not associated');
      await expect(d.txEapol(AP_A, Buffer.from('0103005f', 'hex'))).rejects.toThrow(/not associated/);
    });

    it('connect to an absent BSS or with a mismatching AKM is rejected by the AP', async () => {
      await up();
      const c = await prepare(AP_A, true);
      let rej = once<[unknown]>(d, 'assoc_reject');
      await d.connect({ ...c.params, bssid: '02:00:00:00:ee:ee' });
      expect((await rej)[0]).toEqual({ bssid: '02:00:00:00:ee:ee', status: 1, timeout: true });
      rej = once<[unknown]>(d, 'assoc_reject');
      await d.connect({ ...c.params, akm: 'WPA-PSK-SHA256' });
      expect((await rej)[0]).toEqual({ bssid: AP_A, status: 43, timeout: false });
    });

    it('SIM_SIGNAL reports the current BSS signal; SIM_AP_DOWN without roaming candidates loses the link', async () => {
      await up(testScenario({ caps: { key_mgmt_offload: 'false' } }));
      const c = await prepare(AP_A, true);
      const assoc = once(d, 'assoc');
      await d.connect(c.params);
      await assoc;
      const sig = once<[unknown]>(d, 'signal');
      expect(await d.driverCmd(`SIM_SIGNAL ${AP_A} -71`)).toBe('OK');
      expect((await sig)[0]).toEqual({ bssid: AP_A, signal: -71 });
      const disc = once<[unknown]>(d, 'disconnected');
      expect(await d.driverCmd(`SIM_AP_DOWN ${AP_A}`)).toBe('OK');
      expect((await disc)[0]).toEqual({ bssid: AP_A, reason: 4, locallyGenerated: true });
      const bss = await scan();
      expect(bss.map((b) => b.bssid)).not.toContain(AP_A);
      expect(await d.driverCmd(`SIM_AP_UP ${AP_A}`)).toBe('OK');
      expect((await scan()).map((b) => b.bssid)).toContain(AP_A);
      for (const bad of ['SIM_SIGNAL', `SIM_SIGNAL ${AP_A} loud`, 'SIM_AP_DOWN 02:00:00:00:ee:ee', 'SIM_NOPE', 'SIM_GTK_REKEY']) {
        expect(await d.driverCmd(bad)).toMatch(/^FAIL /);
      }
    });
  });
}
