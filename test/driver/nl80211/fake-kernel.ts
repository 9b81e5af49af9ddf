/**
 * What every kernel these tests play shares (the Nl80211System the backend
 * is given instead of the real one): one interface on wiphy 0, every request
 * recorded as the bytes the backend encoded, events pushed as the kernel
 * would send them, route-netlink link changes on demand. A test's kernel says
 * what its wiphy is, what it answers, which scan results it has and what its
 * packet socket does. Replies are built by hand from nl80211.h's numbers
 * (nla.ts), never with the encoder under test.
 */
import { encodeAttrs, type GenlMessage } from '../../../src/driver/nl80211/attrs.js';
import type { Nl80211System } from '../../../src/driver/nl80211/backend.js';
import type { EapolTransport } from '../../../src/driver/nl80211/eapol-transport.js';
import type { Request } from '../../../src/driver/nl80211/encode.js';
import type { LinkChange } from '../../../src/driver/nl80211/link-watch.js';
import type { Nl80211Link } from '../../../src/driver/nl80211/socket.js';
import { cat, hex, nla, u32 } from './nla.js';

// nl80211.h: the commands and attributes of the interface and wiphy dumps and of scan results.
const CMD = { GET_WIPHY: 1, NEW_WIPHY: 3, GET_INTERFACE: 5, NEW_INTERFACE: 7, GET_SCAN: 32, NEW_SCAN_RESULTS: 34 };
const A = { WIPHY: 1, IFINDEX: 3, IFNAME: 4, MAC: 6 };

/** The ifindex of the one interface every fake kernel has. */
export const IFINDEX = 7;

/** A request the backend sent: its command and its attributes as encoded. */
export interface Sent {
  cmd: number;
  data: Buffer;
}

export abstract class FakeNl80211Kernel implements Nl80211System {
  sent: Sent[] = [];
  deliver: (m: GenlMessage) => void = () => undefined;
  /** Route-netlink link notifications to the backend. */
  link: (c: LinkChange) => void = () => undefined;
  /** setInterfaceUp's calls, in order. */
  upCalls: boolean[] = [];

  /** `ifname` and `own` (MAC address) of the interface; `driver`: the netdev's kernel driver (netdevDriver()). */
  constructor(
    private readonly ifname: string,
    private readonly own: string,
    public driver: string | undefined,
  ) {}

  /** NEW_WIPHY's attributes after NL80211_ATTR_WIPHY. */
  protected abstract wiphy(): Buffer[];

  /** The answer to a request already recorded; throwing refuses it. */
  protected reply(_cmd: number, _data: Buffer): GenlMessage[] {
    return [];
  }

  /** GET_SCAN's NEW_SCAN_RESULTS messages' attributes. */
  protected scanResults(): Buffer[] {
    return [];
  }

  abstract openPacketEapol(ifname: string, own: string, onFrame: (src: string, frame: Buffer) => void): EapolTransport;

  async open(onEvent: (m: GenlMessage) => void): Promise<Nl80211Link> {
    this.deliver = onEvent;
    return {
      request: async (r: Request): Promise<GenlMessage[]> => {
        const data = encodeAttrs(r.attrs);
        this.sent.push({ cmd: r.cmd, data });
        return this.reply(r.cmd, data);
      },
      dump: async (r: Request): Promise<GenlMessage[]> => {
        if (r.cmd === CMD.GET_INTERFACE) {
          return [{ cmd: CMD.NEW_INTERFACE, data: cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.IFNAME, Buffer.from(`${this.ifname}\0`)), nla(A.WIPHY, u32(0)), nla(A.MAC, hex(this.own))) }];
        }
        if (r.cmd === CMD.GET_WIPHY) return [{ cmd: CMD.NEW_WIPHY, data: cat(nla(A.WIPHY, u32(0)), ...this.wiphy()) }];
        if (r.cmd === CMD.GET_SCAN) return this.scanResults().map((data) => ({ cmd: CMD.NEW_SCAN_RESULTS, data }));
        return [];
      },
      close: () => undefined,
    };
  }

  async setInterfaceUp(_ifindex: number, up: boolean): Promise<boolean> {
    this.upCalls.push(up);
    return true;
  }

  netdevDriver(): string | undefined {
    return this.driver;
  }

  watchLinks(onChange: (c: LinkChange) => void): { close(): void } {
    this.link = onChange;
    return { close: () => (this.link = () => undefined) };
  }

  /** An event of the interface, as the kernel sends it. */
  event(cmd: number, ...attrs: Buffer[]): void {
    this.deliver({ cmd, data: cat(nla(A.IFINDEX, u32(IFINDEX)), ...attrs) });
  }

  /** The requests since the last call. */
  take(): Sent[] {
    const s = this.sent;
    this.sent = [];
    return s;
  }
}
