/**
 * Point 2 of the reliability issue: monitors that never read their events
 * must not make the daemon deaf. A real wpa-offloadd on -D sim, real sockets,
 * stuck monitors in a separate process (stuck-clients.ts); the daemon's
 * network events (ADD_NETWORK / REMOVE_NETWORK) fill their queues.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CtrlClient } from '../daemon/harness.js';
import { build, IFNAME, Rig, simSection } from '../station/rig.js';
import { StuckMonitors } from './stuck-clients.js';

let rig: Rig | undefined;
const stuck: StuckMonitors[] = [];
const clients: CtrlClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of stuck.splice(0)) await s.stop();
  await rig?.stop();
  rig = undefined;
});
beforeAll(() => build(), 120_000);

async function startRig(): Promise<Rig> {
  rig = await Rig.start({ scenario: simSection(7), networks: '', backend: 'sim' });
  return rig;
}

const ctrlPath = (r: Rig): string => path.join(r.ctrlDir, IFNAME);

function client(r: Rig, name: string): CtrlClient {
  const c = new CtrlClient(ctrlPath(r), path.join(r.dir, name));
  clients.push(c);
  return c;
}

/** `pairs` ADD_NETWORK + REMOVE_NETWORK round trips: two events each; every reply must come. */
async function causeEvents(c: CtrlClient, pairs: number): Promise<void> {
  for (let i = 0; i < pairs; i++) {
    const id = (await c.req('ADD_NETWORK')).trim();
    expect(id).toMatch(/^\d+$/);
    expect(await c.req(`REMOVE_NETWORK ${id}`)).toBe('OK\n');
  }
}

describe('a monitor that never reads', () => {
  it('one stuck monitor and 400 events: fresh clients still get every PING answered', async () => {
    const r = await startRig();
    stuck.push(await StuckMonitors.start(ctrlPath(r), r.dir, 1));
    await causeEvents(client(r, 'events'), 200);
    let pongs = 0;
    for (let i = 0; i < 20; i++) if ((await client(r, `fresh-${i}`).request('PING')) === 'PONG\n') pongs++;
    expect(pongs).toBe(20);
  }, 60_000);
});
