/**
 * The in-process simulator (`-D sim`): the shared driver sequences, and what
 * needs virtual time (the scenario timeline, firmware roaming, determinism).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssocEvent, DriverEvents } from '../../src/driver/backend.js';
import { createDriver, DriverParamError, parseDriverParams, UnknownDriverError } from '../../src/driver/index.js';
import { ManualClock } from '../../src/driver/sim/clock.js';
import { parseScenario, ScenarioError } from '../../src/driver/sim/scenario.js';
import { SimDriver } from '../../src/driver/sim/sim-driver.js';
import { pbkdf2Psk, pmkidForAkm } from '../../src/rsn/crypto.js';
import { buildEapolStart } from '../../src/rsn/eapol.js';
import { buildRsne } from '../../src/rsn/rsne.js';
import { ExtDriver } from '../../src/driver/ext.js';
import { Nl80211Driver } from '../../src/driver/nl80211/backend.js';
import { driverSequences, OWN, testScenario, AP_A } from './sequences.js';
import { once, tmpDir } from './helpers.js';

driverSequences('SimDriver (in process)', async (text) => {
  const d = new SimDriver(parseScenario(text));
  d.start();
  return { driver: d, close: () => d.close() };
});

/** Starts a SimDriver on virtual time and records its protocol events. */
async function manual(text: string, seed?: number) {
  const clock = new ManualClock();
  const d = new SimDriver(parseScenario(text), { clock, seed });
  const events: { name: string; args: unknown[] }[] = [];
  for (const n of ['assoc', 'disconnected', 'signal', 'scan_results', 'port_authorized', 'firmware_restarted'] as (keyof DriverEvents)[]) {
    (d.on as (n: string, f: (...a: unknown[]) => void) => void)(n, (...args: unknown[]) => events.push({ name: n, args }));
  }
  const up = once(d, 'link_up');
  d.start();
  await up;
  return { d, clock, events };
}

const ssidOf = (text: string, bssid: string) => parseScenario(text).aps.find((a) => a.bssid === bssid)!;

function pskConnect(text: string, bssid: string) {
  const ap = ssidOf(text, bssid);
  return {
    bssid, ssid: ap.ssid, freq: ap.freq, akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: 'none' as const,
    ies: buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-PSK'], mfpc: false, mfpr: false, pmkids: [] }),
    pmk: pbkdf2Psk(ap.passphrase as string, ap.ssid),
  };
}

describe('SimDriver on virtual time', () => {
  it('runs the roaming scenario timeline: the firmware roams on a signal drop and again when the AP vanishes', async () => {
    const text = fs.readFileSync(path.resolve(process.cwd(), 'conf/scenarios/roaming.ini'), 'utf8');
    const { d, clock, events } = await manual(text);
    await d.connect(pskConnect(text, '02:00:00:00:0a:01'));
    clock.advance(100);
    expect(events.map((e) => e.name)).toEqual(['assoc']);
    clock.advance(5000); // timeline: a fades to -85 dBm
    const roams = events.filter((e) => e.name === 'assoc').map((e) => e.args[0] as AssocEvent);
    expect(roams.map((a) => [a.bssid, a.roam, a.authorized])).toEqual([
      ['02:00:00:00:0a:01', false, true],
      ['02:00:00:00:0a:02', true, true],
    ]);
    expect(events.find((e) => e.name === 'signal')?.args[0]).toEqual({ bssid: '02:00:00:00:0a:01', signal: -85 });
    clock.advance(5000); // timeline: b goes off the air
    const last = events.filter((e) => e.name === 'assoc').map((e) => e.args[0] as AssocEvent).at(-1)!;
    expect([last.bssid, last.roam, last.authorized]).toEqual(['02:00:00:00:0a:03', true, true]);
    expect(events.some((e) => e.name === 'disconnected')).toBe(false);
    await d.close();
  });

  it('an AP rekeys on its own gtk_rekey interval; the firmware answers it once it holds rekey data', async () => {
    const text = testScenario().replace('passphrase = test passphrase\n[ap b]', 'passphrase = test passphrase\ngtk_rekey = 60\n[ap b]');
    const { d, clock } = await manual(text);
    const rekeys: Buffer[] = [];
    d.on('gtk_rekey', (g) => rekeys.push(g.replayCtr));
    await d.connect(pskConnect(text, AP_A));
    clock.advance(60_000 * 3 + 100);
    expect(rekeys.length).toBe(3);
    expect(Buffer.compare(rekeys[0], rekeys[1])).toBe(-1);
    expect(Buffer.compare(rekeys[1], rekeys[2])).toBe(-1);
    await d.close();
  });

  it('the same seed gives the same keys and fingerprints; another seed does not', async () => {
    const run = async (seed: number) => {
      const { d, clock, events } = await manual(testScenario(), seed);
      await d.connect(pskConnect(testScenario(), AP_A));
      clock.advance(100);
      const a = events.find((e) => e.name === 'assoc')!.args[0] as AssocEvent;
      const st = await d.syncState();
      await d.close();
      return `${a.material!.kck!.toString('hex')}/${st.kekFp}`;
    };
    const one = await run(5);
    expect(await run(5)).toBe(one);
    expect(await run(6)).not.toBe(one);
  });

  it('the AP gives up on a silent station after its retransmissions (virtual time, no real wait)', async () => {
    const { d, clock, events } = await manual(testScenario({ mode: 'silent' }));
    await d.connect(pskConnect(testScenario(), AP_A));
    clock.advance(2000);
    expect(events.map((e) => e.name)).toEqual(['assoc', 'disconnected']);
    expect(events[1].args[0]).toEqual({ bssid: AP_A, reason: 15, locallyGenerated: false });
    await d.close();
  });
});

describe('firmware roaming with a cached PMKSA (802.1X AKM)', () => {
  const PMK = Buffer.alloc(32, 0x5a);
  const text = [
    '[sim]', `address = ${OWN}`, 'air_delay_ms = 1',
    '[firmware]', 'four_way_8021x = true', 'key_mgmt_offload = true', 'pmksa_offload = true', 'akms = WPA-EAP', 'roam_threshold = -70',
    '[ap e1]', 'bssid = 02:00:00:00:e0:01', 'ssid = corp', 'freq = 2412', 'signal = -50', 'akm = WPA-EAP', `pmk = ${PMK.toString('hex')}`,
    '[ap e2]', 'bssid = 02:00:00:00:e0:02', 'ssid = corp', 'freq = 5200', 'signal = -60', 'akm = WPA-EAP', `pmk = ${PMK.toString('hex')}`,
    '',
  ].join('\n');
  const conn = {
    bssid: '02:00:00:00:e0:01', ssid: Buffer.from('corp'), freq: 2412, akm: 'WPA-EAP', pairwise: 'CCMP', group: 'CCMP', mfp: 'none' as const,
    ies: buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: ['WPA-EAP'], mfpc: false, mfpr: false, pmkids: [] }), pmk: PMK,
  };

  it('reports the PMKSA it created, roams only where it holds a PMKSA with its PMK, and names it in the roam assoc', async () => {
    const { d, clock, events } = await manual(text);
    const added: { bssid: string; pmkid: Buffer }[] = [];
    d.on('pmksa_added', (p) => added.push(p));
    await d.connect(conn);
    clock.advance(50);
    expect(added.map((p) => p.bssid)).toEqual(['02:00:00:00:e0:01']);
    // No PMKSA for e2 yet: an 802.1X PMK is not ESS-wide, so no roam.
    expect(await d.driverCmd('SIM_SIGNAL 02:00:00:00:e0:01 -80')).toBe('OK');
    clock.advance(50);
    expect(events.filter((e) => e.name === 'assoc').length).toBe(1);
    const pmkid = Buffer.alloc(16, 0xe2);
    await d.setPmksa({ bssid: '02:00:00:00:e0:02', pmkid, pmk: PMK, akm: 'WPA-EAP', lifetime: 3600 });
    expect(await d.driverCmd('SIM_SIGNAL 02:00:00:00:e0:01 -81')).toBe('OK');
    clock.advance(50);
    const roam = events.filter((e) => e.name === 'assoc').map((e) => e.args[0] as AssocEvent)[1];
    expect(roam).toMatchObject({ bssid: '02:00:00:00:e0:02', roam: true, authorized: true });
    expect(roam.pmkid?.equals(pmkid)).toBe(true);
    await d.close();
  });

  it('in silent mode the firmware still roams, unauthorized, and the host gets the new AP msg 1/4', async () => {
    const { d, clock, events } = await manual(text.replace('roam_threshold = -70', 'roam_threshold = -70\nmode = silent'));
    const rx: string[] = [];
    d.on('eapol_rx', (e) => rx.push(e.src));
    await d.connect(conn);
    clock.advance(10);
    await d.setPmksa({ bssid: '02:00:00:00:e0:02', pmkid: Buffer.alloc(16, 1), pmk: PMK, akm: 'WPA-EAP', lifetime: 3600 });
    await d.driverCmd('SIM_SIGNAL 02:00:00:00:e0:01 -85');
    clock.advance(10);
    const assocs = events.filter((e) => e.name === 'assoc').map((e) => e.args[0] as AssocEvent);
    expect(assocs.map((a) => [a.bssid, a.roam, a.authorized])).toEqual([
      ['02:00:00:00:e0:01', false, false],
      ['02:00:00:00:e0:02', true, false],
    ]);
    expect(rx).toEqual(['02:00:00:00:e0:01', '02:00:00:00:e0:02']);
    await d.close();
  });
});

describe('scenario files', () => {
  it('every example scenario parses', () => {
    const files = ['conf/sim.ini', ...fs.readdirSync('conf/scenarios').filter((f) => f.endsWith('.ini')).map((f) => `conf/scenarios/${f}`)];
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(() => parseScenario(fs.readFileSync(f, 'utf8'), f)).not.toThrow();
    expect(parseScenario(fs.readFileSync('conf/scenarios/scale-1000.ini', 'utf8')).aps.length).toBe(1000);
  });

  it('a transition-mode AP lists its AKMs in wpa_key_mgmt order, PMF optional by default', () => {
    const sc = parseScenario('[ap t]\nbssid = 02:00:00:00:00:02\nssid = t\nfreq = 2412\npassphrase = 12345678\nakm = WPA-PSK SAE\n');
    expect(sc.aps[0].akms).toEqual(['WPA-PSK', 'SAE']);
    expect(sc.aps[0].mfp).toBe('optional');
    expect(sc.aps[0].saeAntiCloggingThreshold).toBe(5);
    const only = parseScenario('[ap t]\nbssid = 02:00:00:00:00:02\nssid = t\nfreq = 2412\npassphrase = 12345678\nakm = SAE\nsae_anti_clogging_threshold = 0\n');
    expect([only.aps[0].mfp, only.aps[0].saeAntiCloggingThreshold]).toEqual(['required', 0]);
  });

  it('bad scenarios are refused with the section and key named', () => {
    const bad: [string, RegExp][] = [
      ['[ap x]\nbssid = nope\nssid = a\nfreq = 2412\npassphrase = 12345678\n', /\[ap x\] bssid/],
      ['[ap x]\nbssid = 02:00:00:00:00:02\nssid = a\nfreq = 2412\n', /\[ap x\] passphrase/],
      ['[ap x]\nbssid = 02:00:00:00:00:02\nssid = a\nfreq = 2412\npassphrase = 12345678\npairwise = ROT13\n', /pairwise/],
      ['[firmware]\nmode = sloppy\n', /\[firmware\] mode/],
      ['[timeline]\nsoon = SIM_FW_RESTART\n', /\[timeline\] soon/],
      ['[radio]\nx = 1\n', /unknown section/],
      ['[ap x]\nbssid = 02:00:00:00:00:02\nssid = a\nfreq = 2412\npassphrase = 12345678\nakm = WPA-PSK ROT13\n', /\[ap x\] akm/],
      ['[ap x]\nbssid = 02:00:00:00:00:02\nssid = a\nfreq = 2412\npassphrase = 12345678\nakm = NONE SAE\n', /\[ap x\] akm: NONE/],
      ['[ap x]\nbssid = 02:00:00:00:00:02\nssid = a\nfreq = 2412\npassphrase = 12345678\nakm = WPA-PSK SAE\nmfp = none\n', /\[ap x\] mfp/],
      ['[ap x]\nbssid = 02:00:00:00:00:02\nssid = a\nfreq = 2412\npassphrase = 12345678\nakm = SAE\nsae_anti_clogging_threshold = -1\n', /sae_anti_clogging_threshold/],
    ];
    for (const [text, re] of bad) {
      let err: unknown;
      try {
        parseScenario(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ScenarioError);
      expect((err as Error).message).toMatch(re);
    }
  });
});

describe('createDriver', () => {
  it('builds sim from scenario=PATH and ext from socket=PATH; refuses the rest with typed errors', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 's.ini');
    fs.writeFileSync(file, testScenario());
    const params = parseDriverParams(`scenario=${file} seed=9`);
    expect(params).toEqual({ scenario: file, seed: '9' });
    const sim = createDriver('sim', params);
    expect(sim).toBeInstanceOf(SimDriver);
    sim.start();
    await once(sim, 'link_up');
    expect(sim.hello?.address).toBe(OWN);
    await sim.close();
    expect(createDriver('ext', { socket: path.join(dir, 'x.sock') })).toBeInstanceOf(ExtDriver);
    // Built only: start() would open a netlink socket (test/radio/nl80211-scan.test.ts runs it).
    expect(createDriver('nl80211', {}, { ifname: 'wlan0' })).toBeInstanceOf(Nl80211Driver);
    expect(() => createDriver('wext', {})).toThrow(UnknownDriverError);
    expect(() => createDriver('sim', {})).toThrow(DriverParamError);
    expect(() => createDriver('ext', {})).toThrow(DriverParamError);
    expect(() => createDriver('sim', { scenario: path.join(dir, 'missing.ini') })).toThrow(ScenarioError);
    expect(() => parseDriverParams('scenario')).toThrow(DriverParamError);
  });
});

describe('the simulated AP treats EAPOL-Start as hostapd does', () => {
  const PMK = Buffer.alloc(32, 0x5b);
  const scenarioFor = (akm: string): string => [
    '[sim]', `address = ${OWN}`, 'air_delay_ms = 1',
    '[firmware]', 'four_way_psk = false', 'four_way_8021x = false',
    '[ap e]', 'bssid = 02:00:00:00:e1:01', 'ssid = corp', 'freq = 2412', 'signal = -50', `akm = ${akm}`, `pmk = ${PMK.toString('hex')}`,
    '',
  ].join('\n');
  const AP = '02:00:00:00:e1:01';
  const connectTo = (akm: string, pmkids: Buffer[]) => ({
    bssid: AP, ssid: Buffer.from('corp'), freq: 2412, akm, pairwise: 'CCMP', group: 'CCMP', mfp: 'none' as const,
    ies: buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: [akm], mfpc: false, mfpr: false, pmkids }), fourWayOffload: false,
  });
  const kinds = (frames: Buffer[]) => frames.map((f) => (f[1] === 0 ? 'eap' : f[1] === 3 ? 'key' : String(f[1])));
  const status = async (d: SimDriver) => Object.fromEntries((await d.driverCmd('SIM_STATUS')).split('\n').map((l) => l.split('=')));

  it('802.1X: the PMKSA the RSNE names gives msg 1/4; EAPOL-Start drops it and starts EAP; a reassociation naming it then gets EAP', async () => {
    const { d, clock } = await manual(scenarioFor('WPA-EAP'));
    const rx: Buffer[] = [];
    d.on('eapol_rx', (e) => rx.push(e.data));
    const pmkid = pmkidForAkm('WPA-EAP', PMK, AP, OWN);
    await d.connect(connectTo('WPA-EAP', [pmkid]));
    clock.advance(5);
    expect(kinds(rx)).toEqual(['key']);
    expect((await status(d)).ap_pmksa).toBe('1');
    await d.txEapol(AP, buildEapolStart());
    clock.advance(5);
    expect(kinds(rx)).toEqual(['key', 'eap']);
    expect(await status(d)).toMatchObject({ ap_pmksa: '0', ap_eapol_starts: '1', ap_eap_requests: '1' });
    await d.connect(connectTo('WPA-EAP', [pmkid]));
    clock.advance(5);
    expect(kinds(rx)).toEqual(['key', 'eap', 'eap']);
    await d.close();
  });

  it('PSK: each EAPOL-Start restarts the 4-way handshake until more than three starts without success; then the AP disconnects', async () => {
    const { d, clock, events } = await manual(scenarioFor('WPA-PSK'));
    const rx: Buffer[] = [];
    d.on('eapol_rx', (e) => rx.push(e.data));
    await d.connect(connectTo('WPA-PSK', []));
    clock.advance(5);
    for (let i = 0; i < 4; i++) {
      await d.txEapol(AP, buildEapolStart());
      clock.advance(5);
    }
    // The first start plus three restarts: msg 1/4 four times; the fourth EAPOL-Start finds four starts without success.
    expect(kinds(rx)).toEqual(['key', 'key', 'key', 'key']);
    expect(events.filter((e) => e.name === 'disconnected').map((e) => (e.args[0] as { reason: number }).reason)).toEqual([15]);
    expect(await status(d)).toMatchObject({ ap_eapol_starts: '4', ap_restart_limit: '1' });
    await d.close();
  });
});
