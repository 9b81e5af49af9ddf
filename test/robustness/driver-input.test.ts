/**
 * Hostile input on the driver link, against the real daemon process on
 * `-D ext` with a driver the test plays over a real Unix stream socket:
 *
 * - lines that used to overflow the stack or break the line framing (deep
 *   nesting in id, event or fields; over-long lines; invalid UTF-8; lines
 *   split across writes) are dropped whole, each with a log line, and every
 *   valid line after them is still processed;
 * - an endless set of `scan_results` parts (`more: true`) is dropped at the
 *   documented bounds, the daemon's memory stays bounded, and the next scan
 *   works;
 * - a firmware roam to a BSSID no scan reported adds the BSS from the roam's
 *   IEs, as 2.10 adds it from the driver's scan table;
 * - an unreachable driver is reported once per outage at the default log
 *   level, while the daemon keeps retrying quietly.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, tempDir, writeConf, type Daemon } from '../daemon/harness.js';
import { HELLO_REPLY } from '../driver/helpers.js';
import { build, kv, pskNetwork, Rig } from '../station/rig.js';

const SSID = 'robust-net';
const HEX_SSID = Buffer.from(SSID).toString('hex');
const RSNE = '30140100000fac040100000fac040100000fac020000';
/** SSID element and an RSNE (CCMP/CCMP/PSK), as a Beacon carries them. */
const IES = `00${SSID.length.toString(16).padStart(2, '0')}${HEX_SSID}${RSNE}`;
const KCK = '11'.repeat(16);
const KEK = '22'.repeat(16);

type Req = { id: number; op: string; [k: string]: unknown };

const bssEntry = (bssid: string, freq = 2412, ies = IES): object => ({
  bssid, ssid: HEX_SSID, freq, signal: -50, noise: -95, beacon_int: 100, caps: 0x11, ies, age_ms: 0,
});
const line = (o: object): string => `${JSON.stringify(o)}\n`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A driver that answers what the daemon needs and lets each test script the rest. */
class Firmware {
  readonly server: net.Server;
  conn: net.Socket | undefined;
  /** scan: what follows the ok (default: two ordinary BSSes). */
  onScan: (c: net.Socket) => void | Promise<void> = (c) => {
    c.write(line({ event: 'scan_started' }) + line({ event: 'scan_results', bss: [bssEntry('02:00:00:00:5c:01'), bssEntry('02:00:00:00:5c:02', 2437)] }));
  };
  /** driver_cmd: the test writes the reply itself (and whatever it wants around it). */
  onDriverCmd: (req: Req, c: net.Socket) => void | Promise<void> = (req, c) => {
    c.write(line({ id: req.id, ok: true, reply: 'OK' }));
  };

  constructor(readonly socket: string) {
    this.server = net.createServer((c) => this.serve(c));
  }

  listen(): Promise<void> {
    return new Promise((r) => this.server.listen(this.socket, () => r()));
  }

  private serve(c: net.Socket): void {
    this.conn = c;
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const req = JSON.parse(buf.slice(0, i)) as Req;
        buf = buf.slice(i + 1);
        void this.request(req, c);
      }
    });
    c.on('error', () => undefined);
  }

  private async request(m: Req, c: net.Socket): Promise<void> {
    const ok = (extra: object = {}): void => void c.write(line({ id: m.id, ok: true, ...extra }));
    switch (m.op) {
      case 'hello':
        return ok(HELLO_REPLY);
      case 'scan':
        ok();
        return this.onScan(c);
      case 'connect':
        ok();
        c.write(line({ event: 'assoc', bssid: m.bssid, freq: m.freq, req_ies: '', resp_ies: '', beacon_ies: IES, roam: false, authorized: true, key_replay_ctr: '0000000000000001', kck: KCK, kek: KEK }));
        return;
      case 'driver_cmd':
        return this.onDriverCmd(m, c);
      case 'sync_state':
        return ok({ replay_ctr: null, kck_fp: null, kek_fp: null, pmkids: [] });
      default:
        return ok();
    }
  }

  close(): Promise<void> {
    this.conn?.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Writes the pieces one by one, each in its own write, so the daemon reads them apart. */
async function writeApart(c: net.Socket, pieces: (string | Buffer)[]): Promise<void> {
  for (const p of pieces) {
    c.write(p);
    await sleep(5);
  }
}

function vmRssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

// Built once for the whole file (the daemon and the tests run dist/).
beforeAll(() => build(), 120_000);

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('hostile lines from the driver', () => {
  let dir: string;
  let fw: Firmware;
  let rig: Rig;

  beforeAll(async () => {
    dir = tempDir('drvin');
    fw = new Firmware(path.join(dir, 'fw.sock'));
    await fw.listen();
    // No enabled network: the station stays idle, every event seen comes from the lines below.
    rig = await Rig.start({ scenario: '', networks: pskNetwork(SSID, 'robust passphrase', '\tdisabled=1\n'), backend: 'ext', socket: fw.socket });
  }, 120_000);

  afterAll(async () => {
    await rig?.stop();
    await fw?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * DRIVER <tag>: the driver writes `hostile` (in the pieces given), then a
   * valid scan_results event adding BSS `bssid`, then the valid reply: both
   * valid lines must come through, and the daemon logs `logged`.
   */
  async function survives(tag: string, bssid: string, hostile: (string | Buffer)[], logged: RegExp, validApart = false): Promise<void> {
    const out = rig.daemon.output.length;
    const from = rig.mark();
    fw.onDriverCmd = async (req, c) => {
      await writeApart(c, hostile);
      const valid = line({ event: 'scan_results', bss: [bssEntry(bssid)] }) + line({ id: req.id, ok: true, reply: `ok ${tag}` });
      if (validApart) {
        // Split inside the JSON text, each line in several writes.
        const b = Buffer.from(valid);
        await writeApart(c, [b.subarray(0, 7), b.subarray(7, 60), b.subarray(60, b.length - 20), b.subarray(b.length - 20)]);
      } else {
        c.write(valid);
      }
    };
    expect(await rig.req(`DRIVER ${tag}`)).toBe(`ok ${tag}\n`);
    await rig.wait(new RegExp(`CTRL-EVENT-BSS-ADDED \\d+ ${bssid}`), from);
    await rig.waitOutput(logged, out);
    expect(await rig.req('PING')).toBe('PONG\n');
    expect(rig.daemon.proc.exitCode).toBeNull();
    expect(rig.daemon.output.slice(out)).not.toMatch(/internal error/);
  }

  it('32000 levels of nesting in a reply id', () =>
    survives('deep-id', '02:00:00:00:d0:01', [`{"id":${nested(32000)}}\n`], /dropped a line from the driver: nested deeper than 32 levels/));

  it('32000 levels of nesting as the event name, in a line of its own and before a valid line in the same write', () =>
    survives('deep-event', '02:00:00:00:d0:02', [`{"event":${nested(32000)}}\n{"event":${nested(30000)}}\n`], /dropped a line from the driver: nested deeper than 32 levels/));

  it('deep nesting inside the fields of known events', () =>
    survives(
      'deep-fields',
      '02:00:00:00:d0:03',
      [
        `{"event":"signal","bssid":"02:00:00:00:d0:03","signal":-50,"x":${nested(20000)}}\n`,
        `{"event":"scan_results","bss":${nested(20000)}}\n`,
        `{"event":"assoc","bssid":${nested(20000)},"freq":1,"roam":true,"authorized":false}\n`,
      ],
      /dropped a line from the driver: nested deeper than 32 levels/,
    ));

  it('an event name or id that cannot be turned into text', () =>
    survives('no-text', '02:00:00:00:d0:04', ['{"event":{"toString":1,"valueOf":1}}\n', '{"id":{"toString":1},"ok":true}\n'], /dropped event an object: field "event" is not a string/));

  it('an over-long line, in several writes', () =>
    survives(
      'long',
      '02:00:00:00:d0:05',
      [`{"event":"scan_results","bss":[${JSON.stringify(bssEntry('02:00:00:00:ee:05'))}],"pad":"${'x'.repeat(30000)}`, 'x'.repeat(30000), `${'x'.repeat(10000)}"}\n`],
      /over-long line/,
    ).then(async () => expect(await rig.req('BSS 02:00:00:00:ee:05')).toBe('')));

  it('invalid UTF-8 drops the line whole; a character split across writes does not', async () => {
    const bad = Buffer.concat([Buffer.from(`{"event":"scan_results","bss":[${JSON.stringify(bssEntry('02:00:00:00:ee:06'))}],"note":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')]);
    const euro = Buffer.from(`{"event":"scan_results","bss":[${JSON.stringify(bssEntry('02:00:00:00:d0:16'))}],"note":"\u20ac"}\n`);
    const cut = euro.indexOf(0xe2) + 1; // inside the three bytes of the euro sign
    await survives('utf8', '02:00:00:00:d0:06', [bad, euro.subarray(0, cut), euro.subarray(cut)], /dropped a line from the driver: not UTF-8/, true);
    expect(await rig.req('BSS 02:00:00:00:ee:06')).toBe('');
    expect(await rig.req('BSS 02:00:00:00:d0:16')).toMatch(/^id=\d+\nbssid=02:00:00:00:d0:16\n/);
  });

  it('a hostile line split across writes, then valid lines split too', () =>
    survives('split', '02:00:00:00:d0:07', [`{"id":${'['.repeat(32000)}`, `${']'.repeat(32000)}`, ',"ok":true}\n'], /dropped a line from the driver: nested deeper than 32 levels/, true));
});

describe('scan_results parts without end', () => {
  let dir: string;
  let fw: Firmware;
  let rig: Rig;

  beforeAll(async () => {
    dir = tempDir('drvscan');
    fw = new Firmware(path.join(dir, 'fw.sock'));
    await fw.listen();
    rig = await Rig.start({ scenario: '', networks: pskNetwork(SSID, 'robust passphrase', '\tdisabled=1\n'), backend: 'ext', socket: fw.socket });
  }, 120_000);

  afterAll(async () => {
    await rig?.stop();
    await fw?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Sends `parts` lines of `more: true`, then a last part; returns the largest VmRSS seen on the way (kB). */
  async function flood(c: net.Socket, parts: number, part: string): Promise<number> {
    let peak = 0;
    for (let i = 0; i < parts; i++) {
      if (!c.write(part)) await new Promise((r) => c.once('drain', r));
      if (i % 50 === 0) peak = Math.max(peak, vmRssKb(rig.daemon.proc.pid!));
    }
    c.write(line({ event: 'scan_results', bss: [bssEntry('02:00:00:00:5c:99')] }));
    return peak;
  }

  it('drops a set over the byte bound, keeps its memory bounded, and the next scan works', async () => {
    const pid = rig.daemon.proc.pid!;
    const before = vmRssKb(pid);
    // About 58 KiB a part: 11 BSSes with 2.6 KB of IEs each; 2000 parts are 116 MB of JSON. The byte bound comes first.
    const big = IES + `dd${'ff'}${'00'.repeat(255)}`.repeat(10);
    const part = line({ event: 'scan_results', more: true, bss: Array.from({ length: 11 }, (_, i) => bssEntry(`02:00:00:01:00:${i.toString(16).padStart(2, '0')}`, 2412, big)) });
    expect(Buffer.byteLength(part)).toBeLessThan(65536);
    let peak = 0;
    let done!: () => void;
    const flooded = new Promise<void>((r) => (done = r));
    fw.onScan = async (c) => {
      c.write(line({ event: 'scan_started' }));
      peak = await flood(c, 2000, part);
      done();
    };
    const out = rig.daemon.output.length;
    expect(await rig.req('SCAN')).toBe('OK\n');
    await rig.waitOutput(/scan results over the limit \(1\d{3} BSSes, \d{7} bytes so far; at most 2048 BSSes and 8388608 bytes\): dropped the partial results/, out, 60_000);
    // Everything written before this reply has been read once the reply is in.
    await flooded;
    fw.onDriverCmd = (req, c) => {
      c.write(line({ id: req.id, ok: true, reply: 'drained' }));
    };
    expect(await rig.req('DRIVER DRAIN')).toBe('drained\n');
    peak = Math.max(peak, vmRssKb(pid));
    // Bounded: far below the 120 MB sent (the unbounded daemon grew by several hundred MB).
    expect(peak - before).toBeLessThan(96 * 1024);
    // Neither the parts nor the last one reached the BSS table, and the daemon serves a normal scan.
    expect(await rig.req('BSS 02:00:00:01:00:00')).toBe('');
    expect(await rig.req('BSS 02:00:00:00:5c:99')).toBe('');
    fw.onScan = (c) => void c.write(line({ event: 'scan_started' }) + line({ event: 'scan_results', bss: [bssEntry('02:00:00:00:5c:01')] }));
    const from = rig.mark();
    expect(await rig.req('SCAN')).toBe('OK\n');
    await rig.wait(/CTRL-EVENT-SCAN-RESULTS/, from);
    expect(await rig.req('SCAN_RESULTS')).toContain('02:00:00:00:5c:01\t2412\t-50\t[WPA2-PSK-CCMP][ESS]\trobust-net');
  }, 180_000);

  it('drops a set over the BSS count bound', async () => {
    // Small entries, many per line: the count bound comes first.
    const part = line({ event: 'scan_results', more: true, bss: Array.from({ length: 300 }, (_, i) => bssEntry(`02:00:00:02:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, 2412, '')) });
    let done!: () => void;
    const flooded = new Promise<void>((r) => (done = r));
    fw.onScan = async (c) => {
      c.write(line({ event: 'scan_started' }));
      await flood(c, 20, part);
      done();
    };
    const out = rig.daemon.output.length;
    expect(await rig.req('SCAN')).toBe('OK\n');
    await rig.waitOutput(/scan results over the limit \(2100 BSSes, \d+ bytes so far; at most 2048 BSSes and 8388608 bytes\): dropped the partial results/, out, 60_000);
    await flooded;
    fw.onScan = (c) => void c.write(line({ event: 'scan_results', bss: [bssEntry('02:00:00:00:5c:03')] }));
    const from = rig.mark();
    expect(await rig.req('SCAN')).toBe('OK\n');
    await rig.wait(/CTRL-EVENT-BSS-ADDED \d+ 02:00:00:00:5c:03/, from);
    expect(await rig.req('BSS 02:00:00:02:00:00')).toBe('');
  }, 120_000);
});

describe('a firmware roam to a BSS no scan reported', () => {
  const A = '02:00:00:00:7a:01';
  const C = '02:00:00:00:7a:0c';
  let dir: string;
  let fw: Firmware;
  let rig: Rig;

  beforeAll(async () => {
    dir = tempDir('drvroam');
    fw = new Firmware(path.join(dir, 'fw.sock'));
    fw.onScan = (c) => void c.write(line({ event: 'scan_started' }) + line({ event: 'scan_results', bss: [bssEntry(A)] }));
    await fw.listen();
    rig = await Rig.start({ scenario: '', networks: pskNetwork(SSID, 'robust passphrase'), backend: 'ext', socket: fw.socket });
    await rig.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`));
  }, 120_000);

  afterAll(async () => {
    await rig?.stop();
    await fw?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds the BSS from the roam\'s IEs: STATUS, BSS and SCAN_RESULTS show it', async () => {
    expect(await rig.req(`BSS ${C}`)).toBe('');
    const from = rig.mark();
    // The Beacon IEs of C: its SSID, its RSNE, and a vendor element.
    const beacon = `${IES}dd050010180201`;
    fw.conn!.write(line({ event: 'assoc', bssid: C, freq: 5180, req_ies: RSNE, resp_ies: '', beacon_ies: beacon, roam: true, authorized: true, key_replay_ctr: '0000000000000002', kck: KCK, kek: KEK }));
    const added = await rig.wait(new RegExp(`CTRL-EVENT-BSS-ADDED (\\d+) ${C}`), from);
    await rig.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${C} completed`), from);
    const id = /ADDED (\d+)/.exec(added)![1];
    const st = await rig.status();
    expect(st).toMatchObject({ bssid: C, freq: '5180', ssid: SSID, wpa_state: 'COMPLETED', key_mgmt: 'WPA2-PSK', pairwise_cipher: 'CCMP' });
    const bss = kv(await rig.req(`BSS ${C}`));
    expect(bss).toMatchObject({ id, bssid: C, freq: '5180', ssid: SSID, ie: beacon, flags: '[WPA2-PSK-CCMP][ESS]', capabilities: '0x0011' });
    expect(await rig.req('SCAN_RESULTS')).toContain(`${C}\t5180\t0\t[WPA2-PSK-CCMP][ESS]\t${SSID}\n`);
    // The entry is the one in use: a later scan that misses it does not expire it.
    const from2 = rig.mark();
    expect(await rig.req('SCAN')).toBe('OK\n');
    await rig.wait(/CTRL-EVENT-SCAN-RESULTS/, from2);
    expect(await rig.req(`BSS ${C}`)).toContain(`bssid=${C}\n`);
  });
});

describe('a driver that cannot be reached', () => {
  let dir: string;
  let daemon: Daemon | undefined;

  beforeAll(() => {
    dir = tempDir('drvgone');
  });

  afterAll(async () => {
    await daemon?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function waitOutput(re: RegExp, from = 0): Promise<void> {
    const d = daemon!;
    for (let i = 0; i < 3000 && !re.test(d.output.slice(from)); i++) await sleep(5);
    if (!re.test(d.output.slice(from))) throw new Error(`daemon output never matched ${re}:\n${d.output}`);
  }
  const count = (re: RegExp): number => daemon!.output.split('\n').filter((l) => re.test(l)).length;

  /** A listener that takes connections and drops them before hello: the daemon's retries made visible. */
  async function dropping(sock: string, attempts: number): Promise<void> {
    let n = 0;
    let done!: () => void;
    const enough = new Promise<void>((r) => (done = r));
    const srv = net.createServer((c) => {
      c.destroy();
      if (++n === attempts) done();
    });
    await new Promise<void>((r) => srv.listen(sock, () => r()));
    await enough;
    await new Promise<void>((r) => srv.close(() => r()));
  }

  it('says once per outage, at the default level, that the driver cannot be reached and why', async () => {
    const sock = path.join(dir, 'fw.sock');
    const conf = path.join(dir, 'wpa.conf');
    writeConf(conf, `ctrl_interface=${path.join(dir, 'ctrl')}\n`);
    daemon = startDaemon(['-i', 'wlan0', '-c', conf, '-D', 'ext', '-p', `socket=${sock}`]);
    await daemon.ready();
    const said = new RegExp(`cannot reach the driver at ${sock}: `);
    await waitOutput(new RegExp(`cannot reach the driver at ${sock}: connect ENOENT ${sock}; retrying quietly`));
    // Four more attempts, seen by a listener that drops them: nothing more is said.
    await dropping(sock, 4);
    expect(count(said)).toBe(1);

    // The driver comes; the link is up; then it goes away: a new outage, said once again.
    const fw = new Firmware(sock);
    await fw.listen();
    await waitOutput(/driver link up/);
    const out = daemon.output.length;
    await fw.close();
    await waitOutput(/driver link down/, out);
    await waitOutput(said, out);
    await dropping(sock, 4);
    expect(count(said)).toBe(2);
    expect(daemon.proc.exitCode).toBeNull();
  }, 60_000);
});
