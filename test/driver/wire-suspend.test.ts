/**
 * The optional version-2 additions of issue 11 points 7 and 8 on the `-D ext`
 * wire, against a scripted driver over a real Unix socket: set_pmksa's
 * reauth_threshold, del_pmksa by SSID, suspend/resume, the wake event and
 * ap_mld_addr; a version-1 driver is never sent the ops it does not know.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtDriver } from '../../src/driver/ext.js';
import { HELLO_REPLY, ScriptedPeer, once, recordEvents, tmpDir, until } from './helpers.js';

let sock: string;
let peer: ScriptedPeer | undefined;
let drv: ExtDriver | undefined;

function answering(version: number): ScriptedPeer {
  return new ScriptedPeer(sock, (req, s) => {
    const body = req.op === 'hello' ? { ...HELLO_REPLY, version } : {};
    s.write(JSON.stringify({ id: req.id, ok: true, ...body }) + '\n');
  });
}

async function up(version: number): Promise<void> {
  peer = answering(version);
  await peer.listen();
  drv = new ExtDriver({ socket: sock });
  const u = once(drv, 'link_up');
  drv.start();
  await u;
}

beforeEach(() => {
  sock = path.join(tmpDir(), 'drv.sock');
});
afterEach(async () => {
  await drv?.close();
  await peer?.close();
  drv = undefined;
  peer = undefined;
});

describe('driver protocol v2: PMKSA details, suspend and wake on the wire', () => {
  it('set_pmksa carries reauth_threshold; del_pmksa may name an SSID; suspend carries wowlan_triggers; resume', async () => {
    await up(2);
    const d = drv!;
    await d.setPmksa({ bssid: '02:00:00:00:01:01', pmkid: Buffer.alloc(16, 1), akm: 'SAE', lifetime: 3600, reauthThreshold: 50 });
    await d.delPmksaBySsid(Buffer.from('net'));
    await d.suspend({ wowlanTriggers: 'disconnect gtk_rekey_failure' });
    await d.resume();
    const reqs = peer!.received.slice(1);
    expect(reqs[0]).toMatchObject({ op: 'set_pmksa', lifetime: 3600, reauth_threshold: 50 });
    expect(reqs[1]).toEqual({ id: reqs[1].id, op: 'del_pmksa', ssid: Buffer.from('net').toString('hex') });
    expect(reqs[2]).toEqual({ id: reqs[2].id, op: 'suspend', wowlan_triggers: 'disconnect gtk_rekey_failure' });
    expect(reqs[3]).toEqual({ id: reqs[3].id, op: 'resume' });
  });

  it('a version-1 driver is not sent suspend or resume (it would answer "unknown op")', async () => {
    await up(1);
    await drv!.suspend({ wowlanTriggers: 'any' });
    await drv!.resume();
    expect(peer!.received.map((r) => r.op)).toEqual(['hello']);
  });

  it('wake, and ap_mld_addr in assoc and port_authorized, are decoded', async () => {
    await up(2);
    const seen = recordEvents(drv!, ['wake', 'assoc', 'port_authorized']);
    const mld = '02:00:00:00:0d:00';
    peer!.send(JSON.stringify({ event: 'wake', reason: 'gtk_rekey_failure' }) + "\n");
    peer!.send(JSON.stringify({ event: 'assoc', bssid: '02:00:00:00:01:01', freq: 2437, req_ies: '', resp_ies: '', beacon_ies: '', roam: false, authorized: false, ap_mld_addr: mld }) + "\n");
    peer!.send(JSON.stringify({ event: 'port_authorized', bssid: '02:00:00:00:01:01', ap_mld_addr: mld }) + "\n");
    peer!.send(JSON.stringify({ event: 'wake', reason: 'some_future_trigger' }) + "\n");
    await until(() => seen.length === 4, 'four events');
    expect(seen[0].args[0]).toEqual({ reason: 'gtk_rekey_failure' });
    expect((seen[1].args[0] as { apMldAddr: string }).apMldAddr).toBe(mld);
    expect((seen[2].args[0] as { apMldAddr: string }).apMldAddr).toBe(mld);
    expect(seen[3].args[0]).toEqual({ reason: 'other' });
  });
});
