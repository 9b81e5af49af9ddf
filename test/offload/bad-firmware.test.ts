/**
 * Bad input from the firmware (issue 5): a scripted driver-protocol server
 * plays a firmware that completes the 4-way handshake at association, then
 * sends reports that must be refused: material of the wrong length, replay
 * counters going backwards, reports for another BSSID, malformed JSON. After
 * each one the daemon has logged it, OFFLOAD_STATUS and STATUS are exactly
 * what they were, and PING still answers PONG. A valid report at the end
 * proves the checks are not vacuous.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../daemon/harness.js';
import { build, pskNetwork, Rig } from '../station/rig.js';

const OWN = '02:00:00:00:00:07';
const A = '02:00:00:00:7a:01';
const B = '02:00:00:00:7a:02';
const SSID = 'scripted-net';
const KCK = '11'.repeat(16);
const KEK = '22'.repeat(16);

const hexSsid = Buffer.from(SSID).toString('hex');
/** SSID element and an RSNE: CCMP group, CCMP pairwise, PSK AKM. */
const IES = `00${(SSID.length).toString(16).padStart(2, '0')}${hexSsid}` + '30140100000fac040100000fac040100000fac020000';
const fp = (hex: string): string => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 8);

/** A firmware that follows a script; it remembers the rekey data the host pushed, as sync_state reports it. */
class ScriptedFirmware {
  readonly server: net.Server;
  conn: net.Socket | undefined;
  fw = { replay: '0000000000000005', kck: KCK, kek: KEK };
  constructor(readonly socket: string) {
    this.server = net.createServer((c) => this.serve(c));
  }
  listen(): Promise<void> {
    return new Promise((r) => this.server.listen(this.socket, () => r()));
  }
  send(obj: unknown): void {
    this.conn?.write(`${JSON.stringify(obj)}\n`);
  }
  sendRaw(line: string): void {
    this.conn?.write(line);
  }
  private serve(c: net.Socket): void {
    this.conn = c;
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        this.request(JSON.parse(line) as { id: number; op: string; [k: string]: unknown });
      }
    });
    c.on('error', () => undefined);
  }
  private request(m: { id: number; op: string; [k: string]: unknown }): void {
    const ok = (extra: object = {}): void => this.send({ id: m.id, ok: true, ...extra });
    switch (m.op) {
      case 'hello':
        ok({
          version: 1,
          address: OWN,
          capabilities: { four_way_psk: true, four_way_8021x: false, key_mgmt_offload: true, gtk_rekey_offload: true, pmksa_offload: true, max_pmksa: 32, akms: ['WPA-PSK'], ciphers: ['CCMP'] },
        });
        return;
      case 'scan':
        ok();
        this.send({ event: 'scan_started' });
        this.send({
          event: 'scan_results',
          bss: [A, B].map((bssid, i) => ({ bssid, ssid: hexSsid, freq: 2412 + 25 * i, signal: -40 - 20 * i, noise: -95, beacon_int: 100, caps: 0x11, ies: IES, age_ms: 0 })),
        });
        return;
      case 'connect':
        ok();
        this.send({ event: 'assoc', bssid: m.bssid, freq: 2412, req_ies: '', resp_ies: IES, beacon_ies: IES, roam: false, authorized: true, key_replay_ctr: this.fw.replay, kck: KCK, kek: KEK });
        return;
      case 'set_rekey_data':
        this.fw = { replay: String(m.replay_ctr), kck: String(m.kck), kek: String(m.kek) };
        ok();
        return;
      case 'sync_state':
        ok({ replay_ctr: this.fw.replay, kck_fp: fp(this.fw.kck), kek_fp: fp(this.fw.kek), pmkids: [] });
        return;
      default:
        ok();
    }
  }
  close(): Promise<void> {
    this.conn?.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('bad input from the firmware leaves the state unchanged and the daemon running', () => {
  let dir: string;
  let fw: ScriptedFirmware;
  let rig: Rig;
  let baseline: { offload: Record<string, string>; status: Record<string, string> };

  beforeAll(async () => {
    build();
    dir = tempDir('fw');
    fw = new ScriptedFirmware(path.join(dir, 'fw.sock'));
    await fw.listen();
    rig = await Rig.start({ scenario: '', networks: pskNetwork(SSID, 'scripted passphrase', '\tdisabled=1\n'), backend: 'ext', socket: fw.socket });
    const from = rig.mark();
    await rig.req('SELECT_NETWORK 0');
    await rig.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
    await rig.wait(/OFFLOAD-KEY-OWNER .* owner=firmware completion=firmware-at-assoc/, from);
    baseline = { offload: await rig.offload(), status: await rig.status() };
    expect(baseline.offload.host_replay_ctr).toBe('0000000000000005');
    expect(baseline.offload.host_kck_fp).toBe(fp(KCK));
    expect(baseline.offload.in_sync).toBe('1');
    expect(baseline.status.wpa_state).toBe('COMPLETED');
  }, 120_000);

  afterAll(async () => {
    await rig?.stop();
    await fw?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The state right before the refused report is the state right after it. */
  async function refused(send: () => void, logged: RegExp): Promise<void> {
    const before = { offload: await rig.offload(), status: await rig.status() };
    const out = rig.daemon.output.length;
    send();
    await rig.waitOutput(logged, out);
    expect(await rig.req('PING')).toBe('PONG\n');
    expect(await rig.offload()).toEqual(before.offload);
    expect(await rig.status()).toEqual(before.status);
    expect(rig.daemon.proc.exitCode).toBeNull();
  }

  const material = (over: object = {}): object => ({ key_replay_ctr: '0000000000000009', kck: KCK, kek: KEK, ...over });
  const ignored = (ev: string): RegExp => new RegExp(`(ignored ${ev}|dropped event ${ev})`);

  it('port_authorized for another BSSID', () =>
    refused(() => fw.send({ event: 'port_authorized', bssid: B, ...material() }), ignored('port_authorized')));

  it('port_authorized with a KCK of the wrong length', () =>
    refused(() => fw.send({ event: 'port_authorized', bssid: A, ...material({ kck: '11'.repeat(5) }) }), ignored('port_authorized')));

  it('port_authorized with a KEK of the wrong length', () =>
    refused(() => fw.send({ event: 'port_authorized', bssid: A, ...material({ kek: '22'.repeat(24) }) }), ignored('port_authorized')));

  it('port_authorized with a replay counter that goes backwards', () =>
    refused(() => fw.send({ event: 'port_authorized', bssid: A, ...material({ key_replay_ctr: '0000000000000001' }) }), ignored('port_authorized')));

  it('gtk_rekey with a replay counter that goes backwards', () =>
    refused(() => fw.send({ event: 'gtk_rekey', bssid: A, replay_ctr: '0000000000000002' }), ignored('gtk_rekey')));

  it('gtk_rekey with a replay counter of the wrong length', () =>
    refused(() => fw.send({ event: 'gtk_rekey', bssid: A, replay_ctr: '00000009' }), ignored('gtk_rekey')));

  it('gtk_rekey for another BSSID', () =>
    refused(() => fw.send({ event: 'gtk_rekey', bssid: B, replay_ctr: '0000000000000009' }), ignored('gtk_rekey')));

  it('malformed JSON and an unterminated object', () =>
    refused(() => fw.sendRaw('{"event": "gtk_rekey", "bssid": \n'), /dropped a line from the driver/));

  it('a valid firmware GTK rekey still advances the host replay counter (positive control)', async () => {
    const out = rig.daemon.output.length;
    fw.send({ event: 'gtk_rekey', bssid: A, replay_ctr: '0000000000000006' });
    await rig.waitOutput(/OFFLOAD: firmware completed a group rekey/, out);
    const off = await rig.offload();
    expect(off.host_replay_ctr).toBe('0000000000000006');
    expect(off.host_kck_fp).toBe(baseline.offload.host_kck_fp);
    expect(await rig.req('PING')).toBe('PONG\n');
  });

  // Last: when it fails, the daemon has moved to B and the cases after it would fail for that reason.
  it('a roam assoc carrying a KCK of the wrong length', () =>
    refused(
      () => fw.send({ event: 'assoc', bssid: B, freq: 2437, req_ies: '', resp_ies: IES, beacon_ies: IES, roam: true, authorized: true, ...material({ kck: '11'.repeat(5) }) }),
      ignored('assoc'),
    ));
});
