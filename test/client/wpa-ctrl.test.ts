/**
 * The wpa_ctrl client library against both daemons: the real wpa_supplicant
 * 2.10 and wpa-offloadd. Each behaviour is checked on each.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WpaCtrl,
  WpaCtrlClosedError,
  WpaCtrlError,
  WpaCtrlTimeoutError,
  isEventDatagram,
  parseEvent,
} from '../../src/client/wpa-ctrl.js';
import { IP, TestEnv, WPA_SUPPLICANT, ctrlConf, requireRoot, requireTools, type RunningDaemon } from '../harness/index.js';

describe('event datagram recognition (wpa_ctrl_request rules)', () => {
  it('< prefix or IFNAME= with more than 6 bytes is an event; anything else a reply', () => {
    expect(isEventDatagram(Buffer.from('<3>CTRL-EVENT-NETWORK-ADDED 0'))).toBe(true);
    expect(isEventDatagram(Buffer.from('IFNAME=wlan0 <3>X'))).toBe(true);
    expect(isEventDatagram(Buffer.from('IFNAME='))).toBe(true);
    expect(isEventDatagram(Buffer.from('IFNAME'))).toBe(false);
    expect(isEventDatagram(Buffer.from('OK\n'))).toBe(false);
    expect(isEventDatagram(Buffer.alloc(0))).toBe(false);
  });

  it('parses level and global-socket ifname', () => {
    const g = parseEvent(Buffer.from('IFNAME=wlan0 <3>CTRL-EVENT-NETWORK-ADDED 0'));
    expect([g.ifname, g.level, g.text]).toEqual(['wlan0', 3, 'CTRL-EVENT-NETWORK-ADDED 0']);
    const l = parseEvent(Buffer.from('<2>Control interface command \'PING\''));
    expect([l.ifname, l.level, l.text]).toEqual([undefined, 2, "Control interface command 'PING'"]);
    const bare = parseEvent(Buffer.from('<junk'));
    expect([bare.level, bare.text]).toEqual([undefined, '<junk']);
  });
});

const available = (): boolean => requireTools(WPA_SUPPLICANT, IP) && requireRoot();

describe.skipIf(!available())('WpaCtrl against wpa_supplicant 2.10 and wpa-offloadd', () => {
  const env = new TestEnv();
  const daemons: Record<string, RunningDaemon> = {};

  beforeAll(async () => {
    const veth = env.veth();
    for (const tag of ['wpa_supplicant', 'wpa-offloadd'] as const) {
      const ctrlDir = env.path(`${tag}-ctl`);
      const conf = env.writeConf(`${tag}.conf`, ctrlConf(ctrlDir));
      const opts = { ifname: veth.name, conf, ctrlDir, global: env.path(`${tag}-g`) };
      daemons[tag] = tag === 'wpa_supplicant' ? await env.startReference(opts) : await env.startDaemon(opts);
    }
  });
  afterAll(() => env.cleanup());

  describe.each(['wpa_supplicant', 'wpa-offloadd'])('%s', (tag) => {
    const d = (): RunningDaemon => daemons[tag]!;

    it('binds /tmp/wpa_ctrl_<pid>-<n>, answers, and close() unlinks it', async () => {
      const c = await WpaCtrl.open(d().ctrlPath);
      expect(c.localPath).toMatch(new RegExp(`^/tmp/wpa_ctrl_${process.pid}-\\d+$`));
      expect(existsSync(c.localPath)).toBe(true);
      expect((await c.request('PING')).toString()).toBe('PONG\n');
      expect((await c.request(Buffer.from('IFNAME'))).toString()).toBe(d().opts.ifname);
      c.close();
      expect(existsSync(c.localPath)).toBe(false);
      await expect(c.request('PING')).rejects.toBeInstanceOf(WpaCtrlClosedError);
    });

    it('concurrent requests are serialised: each gets its own reply', async () => {
      const c = await env.client(d().ctrlPath);
      const [a, b, e] = await Promise.all([c.request('PING'), c.request('IFNAME'), c.request('BOGUS')]);
      expect([a.toString(), b.toString(), e.toString()]).toEqual(['PONG\n', d().opts.ifname, 'UNKNOWN COMMAND\n']);
    });

    it('attach(): events are emitted with level, and replies still resolve', async () => {
      const c = await env.client(d().ctrlPath);
      await c.attach();
      expect(c.attached).toBe(true);
      const ev = c.waitEvent('CTRL-EVENT-NETWORK-ADDED');
      const id = (await c.request('ADD_NETWORK')).toString().trim();
      const got = await ev;
      expect(got.level).toBe(3);
      expect(got.text).toBe(`CTRL-EVENT-NETWORK-ADDED ${id}`);
      await c.level(4);
      await c.detach();
      expect(c.attached).toBe(false);
      await c.request(`REMOVE_NETWORK ${id}`);
    });

    it('detach() when not attached is a typed error (daemon says FAIL)', async () => {
      const c = await env.client(d().ctrlPath);
      await expect(c.detach()).rejects.toBeInstanceOf(WpaCtrlError);
    });

    it('global socket: IFNAME= events are parsed with their interface', async () => {
      const g = await env.client(d().globalPath!);
      await g.attach();
      const ev = g.waitEvent('CTRL-EVENT-NETWORK-ADDED');
      const c = await env.client(d().ctrlPath);
      const id = (await c.request('ADD_NETWORK')).toString().trim();
      const got = await ev;
      expect([got.ifname, got.level]).toEqual([d().opts.ifname, 3]);
      await c.request(`REMOVE_NETWORK ${id}`);
      await g.detach();
    });

    it('a request that gets no reply rejects with WpaCtrlTimeoutError, and the client keeps working', async () => {
      const c = await env.client(d().ctrlPath);
      await expect(c.request(Buffer.alloc(8193, 0x41), 300)).rejects.toBeInstanceOf(WpaCtrlTimeoutError);
      expect((await c.request('PING')).toString()).toBe('PONG\n');
    });
  });

  it('opening a socket nobody serves is a typed error naming the errno', async () => {
    await expect(WpaCtrl.open(env.path('nothing-here'))).rejects.toMatchObject({ name: 'WpaCtrlError', errno: 'ENOENT' });
  });
});
