/**
 * setInterfaceUp (link-updown.ts) on the kernel, over its own route-netlink
 * requests (net/route-netlink.ts): a veth made here is read and set down and
 * up, each step checked in /sys/class/net/<name>/flags, which the kernel
 * writes; an index no netdev has is refused with the kernel's ENODEV.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { setInterfaceUp } from '../../../src/driver/nl80211/link-updown.js';
import { RouteNetlinkError } from '../../../src/net/route-netlink.js';
import { Cleanup } from '../../harness/cleanup.js';
import { IP, requireRoot, requireTool } from '../../harness/tools.js';
import { createVeth } from '../../harness/veth.js';

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

const IFF_UP = 0x1;
const isUp = (name: string): boolean => (Number(fs.readFileSync(`/sys/class/net/${name}/flags`, 'utf8')) & IFF_UP) !== 0;

describe('setInterfaceUp on the kernel', () => {
  it.skipIf(!(requireTool(IP) && requireRoot()))('reads IFF_UP, sets it down and up again, and leaves a netdev that already is as it is', async () => {
    const { name } = createVeth(cleanup); // made up
    const ifindex = Number(fs.readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'));
    expect(isUp(name)).toBe(true);
    expect(await setInterfaceUp(ifindex, false)).toBe(true);
    expect(isUp(name)).toBe(false);
    expect(await setInterfaceUp(ifindex, false)).toBe(false);
    expect(isUp(name)).toBe(false);
    expect(await setInterfaceUp(ifindex, true)).toBe(false);
    expect(isUp(name)).toBe(true);
    expect(await setInterfaceUp(ifindex, true)).toBe(true);
    expect(isUp(name)).toBe(true);
  });

  it('is refused with ENODEV for an index no netdev has', async () => {
    const err = await setInterfaceUp(0x7ffffff0, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouteNetlinkError);
    expect((err as RouteNetlinkError).code).toBe('ENODEV');
  });
});
