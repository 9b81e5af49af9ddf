/**
 * Route netlink (NETLINK_ROUTE) on the `netlink` package's raw socket alone:
 * the daemon's three uses of it are a netdev's IFF_UP (read and set, the
 * nl80211 backend's bring-up), link notifications (the nl80211 backend) and
 * IPv4 address notifications (ipv4-address.ts). Each needs the netlink
 * header, which the package's base codec (netlink/dist/structs.js, bundled,
 * as for attrs.ts) frames, and a flag word of the rtnetlink messages, read
 * and written here as linux/rtnetlink.h lays them out.
 *
 * Why not the package's entry or its createRtNetlink(): loading them compiles
 * the package's codecs for every rtnetlink and generic-netlink message, 25 ms
 * of CPU at the nl80211 backend's start (bare `node -e 0` costs ~30), before
 * the control interface answers. The raw socket module is ~7 ms, most of it
 * the addon's dlopen. Its addon cannot be part of the start-up snapshot (see
 * net/dgram.ts): it is loaded at the first socket.
 */
import { createRequire } from 'node:module';
import type { RawNetlinkSocket } from 'netlink';
import { align, formatMessage, type NetlinkMessage, parseMessage } from 'netlink/dist/structs.js';
import { errnoName } from './dgram.js';

export const NETLINK_ROUTE = 0;
export const RTNLGRP_LINK = 1;
export const RTNLGRP_IPV4_IFADDR = 5;
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_SETLINK = 19;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
/** sizeof(struct ifinfomsg): family, pad, type, index, flags, change. */
export const IFINFOMSG_LEN = 16;
export const IFF_UP = 0x1;

/** struct ifinfomsg for `ifindex` (family AF_UNSPEC), with its flags and the mask of those to change. */
export function ifinfomsg(ifindex: number, flags: number, change: number): Buffer {
  const b = Buffer.alloc(IFINFOMSG_LEN);
  b.writeInt32LE(ifindex, 4);
  b.writeUInt32LE(flags, 8);
  b.writeUInt32LE(change, 12);
  return b;
}

/** The interface index and IFF_UP of an RTM_NEWLINK/RTM_DELLINK payload's ifinfomsg; undefined when it is shorter than one. */
export function readIfinfomsg(data: Buffer): { ifindex: number; up: boolean } | undefined {
  if (data.length < IFINFOMSG_LEN) return undefined;
  return { ifindex: data.readInt32LE(4), up: (data.readUInt32LE(8) & IFF_UP) !== 0 };
}
const REQUEST_TIMEOUT_MS = 10_000;

type RawSocketModule = { RawNetlinkSocket: typeof RawNetlinkSocket };
let raw: RawSocketModule | undefined;

/** A new NETLINK_ROUTE socket; throws where the addon or the kernel refuses one. */
export function routeSocket(): RawNetlinkSocket {
  raw ??= createRequire(import.meta.url)('netlink/dist/raw.js') as RawSocketModule;
  return new raw.RawNetlinkSocket(NETLINK_ROUTE);
}

/**
 * The messages of one netlink datagram (several nlmsghdr-framed messages, each
 * padded to 4 octets), read with the package's header codec (attrs.ts's too);
 * each message's `data` is a view into the datagram. Unlike the package's
 * parseMessages(), which throws, it stops at the first header that does not
 * fit and reports in `rest` what is left (0 for a datagram read whole), so
 * that the messages before it are not lost.
 */
export function netlinkMessages(buf: Buffer): { messages: NetlinkMessage[]; rest: number } {
  const messages: NetlinkMessage[] = [];
  let at = 0;
  while (at < buf.length) {
    let m: ReturnType<typeof parseMessage>;
    try {
      m = parseMessage(buf.subarray(at));
    } catch {
      break; // shorter than a header, or a length the datagram does not hold
    }
    messages.push(m.x);
    at += align(m.consumed);
  }
  return { messages, rest: Math.max(0, buf.length - at) };
}

/** The kernel refused a route-netlink request; `code` is the errno's name (ENODEV, EPERM...). */
export class RouteNetlinkError extends Error {
  constructor(
    readonly request: string,
    readonly code: string,
  ) {
    super(`${request}: ${code}`);
    this.name = 'RouteNetlinkError';
  }
}

let lastSeq = 0;

/**
 * One request with NLM_F_ACK on `sock`: resolves with the messages that
 * answer it (none for a bare acknowledgement), rejects with
 * RouteNetlinkError when the kernel refuses it or with an Error when it does
 * not answer within 10 s.
 */
export function routeRequest(sock: RawNetlinkSocket, what: string, type: number, payload: Buffer): Promise<NetlinkMessage[]> {
  const seq = (lastSeq = (lastSeq + 1) >>> 0);
  const msg = formatMessage({ type, flags: NLM_F_REQUEST | NLM_F_ACK, seq, port: 0, data: payload });
  return new Promise((resolve, reject) => {
    const answer: NetlinkMessage[] = [];
    const done = (err?: Error): void => {
      clearTimeout(timer);
      sock.off('message', onMessage);
      sock.off('error', done);
      if (err) reject(err);
      else resolve(answer);
    };
    const onMessage = (buf: Buffer): void => {
      for (const m of netlinkMessages(buf).messages) {
        if (m.seq !== seq) continue;
        if (m.type === NLMSG_DONE) return done();
        if (m.type !== NLMSG_ERROR) {
          answer.push(m);
          continue;
        }
        // struct nlmsgerr: a negative errno, 0 for the acknowledgement.
        const errno = m.data.length >= 4 ? -m.data.readInt32LE(0) : 0;
        if (errno === 0) return done();
        return done(new RouteNetlinkError(what, errnoName({ code: -errno })));
      }
    };
    const timer = setTimeout(() => done(new Error(`${what}: no answer from the kernel within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
    sock.on('message', onMessage);
    sock.on('error', done);
    sock.send(msg, {}, (e) => {
      if (e) done(e);
    });
  });
}
