/**
 * The ext backend against a scripted peer over a real Unix socket: framing,
 * replies, timeouts, garbage and link loss, as driver-protocol.md states them.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriverError } from '../../src/driver/backend.js';
import { ExtDriver } from '../../src/driver/ext.js';
import { HELLO_REPLY, ScriptedPeer, captureLog, once, recordEvents, tmpDir, until } from './helpers.js';

let dir: string;
let sock: string;
let peer: ScriptedPeer | undefined;
let drv: ExtDriver | undefined;

/** A peer that answers hello and, unless `silent` names the op, every request with ok. */
function answering(silent: string[] = [], extra: Record<string, Record<string, unknown>> = {}): ScriptedPeer {
  return new ScriptedPeer(sock, (req, s) => {
    const op = String(req.op);
    if (silent.includes(op)) return;
    const body = op === 'hello' ? HELLO_REPLY : (extra[op] ?? {});
    s.write(JSON.stringify({ id: req.id, ok: true, ...body }) + '\n');
  });
}

beforeEach(() => {
  dir = tmpDir();
  sock = path.join(dir, 'drv.sock');
});

afterEach(async () => {
  await drv?.close();
  await peer?.close();
  drv = undefined;
  peer = undefined;
});

describe('ext backend', () => {
  it('says hello first, then emits link_up with the decoded capabilities', async () => {
    peer = answering();
    await peer.listen();
    drv = new ExtDriver({ socket: sock, ifname: 'wlan7' });
    const up = once<[typeof HELLO_REPLY]>(drv, 'link_up');
    drv.start();
    const [h] = await up;
    expect(peer.received[0]).toMatchObject({ id: 1, op: 'hello', version: 2, ifname: 'wlan7' });
    expect(h).toEqual(HELLO_REPLY);
    expect(drv.hello).toEqual(HELLO_REPLY);
  });

  it('encodes requests as the protocol lays them out and resolves on ok:true', async () => {
    peer = answering([], { sync_state: { replay_ctr: '0000000000000003', kck_fp: 'deadbeef', kek_fp: null, pmkids: [{ bssid: '02:00:00:00:01:01', pmkid: '11'.repeat(16) }] }, driver_cmd: { reply: 'OK' } });
    await peer.listen();
    drv = new ExtDriver({ socket: sock });
    const up = once(drv, 'link_up');
    drv.start();
    await up;
    await drv.connect({
      bssid: '02:00:00:00:01:01', ssid: Buffer.from('net'), freq: 2437, ies: Buffer.from([48, 2, 1, 0]),
      akm: 'WPA-PSK', pairwise: 'CCMP', group: 'CCMP', mfp: 'none', pmk: Buffer.alloc(32, 7),
    });
    await drv.setPmksa({ bssid: '02:00:00:00:01:01', pmkid: Buffer.alloc(16, 1), akm: 'WPA-PSK', lifetime: 43200 });
    const st = await drv.syncState();
    expect(await drv.driverCmd('SIM_STATUS')).toBe('OK');
    const connect = peer.received.find((r) => r.op === 'connect');
    expect(connect).toMatchObject({ bssid: '02:00:00:00:01:01', ssid: '6e6574', freq: 2437, ies: '30020100', mfp: 'none', pmk: '07'.repeat(32) });
    expect(connect).not.toHaveProperty('pmkid');
    // An absent PMK goes on the wire as "" (a firmware without pmksa_offload keeps PMKIDs only).
    expect(peer.received.find((r) => r.op === 'set_pmksa')).toMatchObject({ pmk: '', pmkid: '01'.repeat(16), lifetime: 43200 });
    expect(st.replayCtr?.toString('hex')).toBe('0000000000000003');
    expect(st.kckFp).toBe('deadbeef');
    expect(st.kekFp).toBeNull();
    expect(st.pmkids[0].pmkid.equals(Buffer.alloc(16, 0x11))).toBe(true);
    const ids = peer.received.map((r) => r.id as number);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects ok:false replies with the driver error text, and unknown ops too', async () => {
    peer = new ScriptedPeer(sock, (req, s) => {
      if (req.op === 'hello') s.write(JSON.stringify({ id: req.id, ok: true, ...HELLO_REPLY }) + '\n');
      else s.write(JSON.stringify({ id: req.id, ok: false, error: 'not associated' }) + '\n');
    });
    await peer.listen();
    drv = new ExtDriver({ socket: sock });
    const up = once(drv, 'link_up');
    drv.start();
    await up;
    const e = await drv.roam('02:00:00:00:01:02').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DriverError);
    expect((e as DriverError).message).toBe('driver roam: not associated');
    expect((e as DriverError).timedOut).toBe(false);
  });

  it('decodes events, ignores unknown events and unknown fields', async () => {
    peer = answering();
    await peer.listen();
    drv = new ExtDriver({ socket: sock });
    const up = once(drv, 'link_up');
    drv.start();
    await up;
    const seen = recordEvents(drv, ['signal', 'gtk_rekey', 'assoc']);
    peer.send(JSON.stringify({ event: 'future_event', x: 1 }) + '\n');
    peer.send(JSON.stringify({ event: 'signal', bssid: '02:00:00:00:01:01', signal: -61, future_field: [1, 2] }) + '\n');
    peer.send(JSON.stringify({ event: 'assoc', bssid: '02:00:00:00:01:01', freq: 2437, req_ies: '', resp_ies: '', beacon_ies: '0000', roam: false, authorized: true }) + '\n');
    peer.send(JSON.stringify({ event: 'gtk_rekey', bssid: '02:00:00:00:01:01', replay_ctr: '0000000000000009' }) + '\n');
    await until(() => seen.length === 3, 'three events');
    expect(seen.map((e) => e.name)).toEqual(['signal', 'assoc', 'gtk_rekey']);
    expect(seen[0].args[0]).toEqual({ bssid: '02:00:00:00:01:01', signal: -61 });
    expect(seen[1].args[0]).toMatchObject({ authorized: true, roam: false });
    expect(seen[1].args[0]).not.toHaveProperty('material');
    expect((seen[2].args[0] as { replayCtr: Buffer }).replayCtr.toString('hex')).toBe('0000000000000009');
  });

  it('drops malformed and over-long lines without closing the link', async () => {
    peer = answering();
    await peer.listen();
    drv = new ExtDriver({ socket: sock });
    const up = once(drv, 'link_up');
    drv.start();
    await up;
    const log = captureLog();
    let down = 0;
    drv.on('link_down', () => down++);
    const seen = recordEvents(drv, ['signal', 'disconnected']);
    try {
      peer.send('{"event": "signal", "bssid": \n'); // not JSON
      peer.send('[1,2,3]\n'); // JSON, not an object
      peer.send(JSON.stringify({ event: 'signal', bssid: 'not-a-mac', signal: -50 }) + '\n'); // bad field
      peer.send(JSON.stringify({ event: 'signal', pad: 'x'.repeat(70000), bssid: '02:00:00:00:01:01', signal: -1 }) + '\n');
      peer.send(JSON.stringify({ event: 'disconnected', bssid: '02:00:00:00:01:01', reason: 3, locally_generated: false }) + '\n');
      await until(() => seen.length >= 1, 'the event after the garbage');
      // The link still carries requests.
      await drv.setPort(true);
    } finally {
      log.stop();
    }
    expect(seen.map((e) => e.name)).toEqual(['disconnected']);
    expect(down).toBe(0);
    expect(log.lines.some((l) => l.includes('not JSON'))).toBe(true);
    expect(log.lines.some((l) => l.includes('not a JSON object'))).toBe(true);
    expect(log.lines.some((l) => l.includes('"bssid" is not a MAC address'))).toBe(true);
    expect(log.lines.some((l) => l.includes('over-long line'))).toBe(true);
  });

  it('times out a request whose reply never comes (5 s) and drops the late reply', async () => {
    peer = answering(['scan']);
    await peer.listen();
    drv = new ExtDriver({ socket: sock });
    const up = once(drv, 'link_up');
    drv.start();
    await up;
    const e = await drv.scan({}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DriverError);
    expect((e as DriverError).timedOut).toBe(true);
    expect((e as DriverError).op).toBe('scan');
    // The late reply is ignored and the link keeps working.
    const scan = await peer.request('scan');
    peer.send(JSON.stringify({ id: scan.id, ok: true }) + '\n');
    await drv.setPort(false);
    expect(drv.hello).not.toBeNull();
  }, 15_000);

  it('fails pending requests on link loss, emits link_down, reconnects and says hello again', async () => {
    peer = answering(['disconnect']);
    await peer.listen();
    drv = new ExtDriver({ socket: sock });
    let ups = 0;
    let downs = 0;
    drv.on('link_up', () => ups++);
    drv.on('link_down', () => downs++);
    drv.start();
    await until(() => ups === 1, 'first link_up');
    const pending = drv.disconnect(3).catch((x: unknown) => x);
    await peer.request('disconnect');
    await peer.close();
    const e = await pending;
    expect(e).toBeInstanceOf(DriverError);
    expect((e as DriverError).timedOut).toBe(false);
    expect((e as DriverError).message).toContain('link lost');
    await until(() => downs === 1, 'link_down');
    expect(drv.hello).toBeNull();
    const down = await drv.scan({}).catch((x: unknown) => x);
    expect(down).toBeInstanceOf(DriverError);
    // The driver comes back on the same path: the backend finds it by itself.
    peer = answering();
    await peer.listen();
    await until(() => ups === 2, 'second link_up');
    expect(peer.received[0].op).toBe('hello');
    expect(peer.received[0].id).toBeGreaterThan(0);
  });
});
