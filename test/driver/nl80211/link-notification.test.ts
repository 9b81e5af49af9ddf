/**
 * parseLinkNotification (link-watch.ts) against the kernel's own RTM_NEWLINK
 * messages: this machine's links, dumped over route-netlink, decoded by it
 * and by the `netlink` package's full parser, which must agree on the
 * interface index, IFF_UP and the name; malformed payloads dropped with a
 * reason, never thrown; and LinkWatch itself on the kernel's notifications
 * for a veth pair made and removed here.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { LinkWatch, parseLinkNotification, type LinkChange } from '../../../src/driver/nl80211/link-watch.js';
import { Cleanup } from '../../harness/cleanup.js';
import { IP, requireTool } from '../../harness/tools.js';
import { createVeth } from '../../harness/veth.js';

const netlink = createRequire(import.meta.url)('netlink') as typeof import('netlink');
/** NLM_F_DUMP */
const DUMP = 0x300;

async function kernelLinks(): Promise<Buffer[]> {
  const rt = netlink.createRtNetlink();
  try {
    const [msgs] = await rt.socket.request(netlink.rt.MessageType.GETLINK, Buffer.alloc(16), { flags: DUMP, timeout: 5000 });
    return msgs.map((m) => m.data);
  } finally {
    rt.socket.close();
  }
}

describe('link notifications, read at the header and IFLA_IFNAME only', () => {
  it("agree with the netlink package's full decoding on every link of this machine (the kernel's bytes)", async () => {
    const links = await kernelLinks();
    expect(links.length).toBeGreaterThan(0);
    for (const data of links) {
      const full = netlink.rt.parseLinkMessage(data);
      expect(parseLinkNotification(false, data)).toEqual({ kind: 'new', ifindex: full.data.index, ifname: full.attrs.ifname, up: full.data.flags?.up === true });
      expect(parseLinkNotification(true, data)).toEqual({ kind: 'del', ifindex: full.data.index, ifname: full.attrs.ifname });
    }
    // lo is up on every machine that runs these tests.
    expect(links.map((d) => parseLinkNotification(false, d)).find((c) => c.kind === 'new' && c.ifname === 'lo')).toMatchObject({ up: true });
  });

  it('drops a payload shorter than ifinfomsg, and one whose attribute overruns it', async () => {
    const [lo] = await kernelLinks();
    expect(parseLinkNotification(false, lo!.subarray(0, 12))).toMatchObject({ kind: 'dropped', reason: expect.stringContaining('shorter than ifinfomsg') });
    const cut = Buffer.from(lo!.subarray(0, 16 + 6));
    expect(parseLinkNotification(false, cut)).toMatchObject({ kind: 'dropped', reason: expect.stringContaining('attribute at 16') });
    const zeroLen = Buffer.concat([lo!.subarray(0, 16), Buffer.from([0, 0, 3, 0])]);
    expect(parseLinkNotification(false, zeroLen)).toMatchObject({ kind: 'dropped' });
  });
});

describe('LinkWatch on the kernel: a netdev that appears, goes down and is removed', () => {
  it.skipIf(!requireTool(IP))('reports each change of a veth pair made here, with its name and IFF_UP', async () => {
    const cleanup = new Cleanup();
    const seen: LinkChange[] = [];
    const watch = LinkWatch.open((c) => seen.push(c));
    try {
      const until = async (what: string, pred: (c: LinkChange) => boolean): Promise<void> => {
        for (let i = 0; i < 200 && !seen.some(pred); i++) await new Promise((r) => setTimeout(r, 10));
        expect(seen.some(pred), `${what}: ${JSON.stringify(seen)}`).toBe(true);
      };
      const { name } = createVeth(cleanup); // added, then set up
      await until('up', (c) => c.kind === 'new' && c.ifname === name && c.up);
      execFileSync(IP, ['link', 'set', name, 'down']);
      await until('down', (c) => c.kind === 'new' && c.ifname === name && !c.up);
      execFileSync(IP, ['link', 'del', name]);
      await until('removed', (c) => c.kind === 'del' && c.ifname === name);
      expect(seen.filter((c) => c.kind === 'dropped')).toEqual([]);
    } finally {
      watch.close();
      await cleanup.run();
    }
  });
});
