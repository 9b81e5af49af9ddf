/**
 * Route netlink (NETLINK_ROUTE) on the `netlink` package's raw socket alone:
 * the daemon's three uses of it are a netdev's IFF_UP (read and set, the
 * nl80211 backend's bring-up), link notifications (the nl80211 backend) and
 * IPv4 address notifications (ipv4-address.ts). Each needs a header and a
 * flag word, written and read here as the kernel's ABI (linux/netlink.h,
 * linux/rtnetlink.h) lays them out.
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
/** sizeof(struct nlmsghdr): len, type, flags, seq, pid. */
const NLMSG_HDRLEN = 16;
/** sizeof(struct ifinfomsg): family, pad, type, index, flags, change. */
export const IFINFOMSG_LEN = 16;
export const IFF_UP = 0x1;
const REQUEST_TIMEOUT_MS = 10_000;

type RawSocketModule = { RawNetlinkSocket: typeof RawNetlinkSocket };
let raw: RawSocketModule | undefined;

/** A new NETLINK_ROUTE socket; throws where the addon or the kernel refuses one. */
export function routeSocket(): RawNetlinkSocket {
  raw ??= createRequire(import.meta.url)('netlink/dist/raw.js') as RawSocketModule;
  return new raw.RawNetlinkSocket(NETLINK_ROUTE);
}

/** One netlink message of a datagram; `data` is its payload, a view into the datagram. */
export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  data: Buffer;
}

/**
 * The messages of one netlink datagram (several nlmsghdr-framed messages, each
 * padded to 4 octets), in host byte order. Stops at the first header that
 * does not fit, which `rest` then reports (0 for a datagram read whole).
 */
export function netlinkMessages(buf: Buffer): { messages: NetlinkMessage[]; rest: number } {
  const messages: NetlinkMessage[] = [];
  let at = 0;
  while (at + NLMSG_HDRLEN <= buf.length) {
    const len = buf.readUInt32LE(at);
    if (len < NLMSG_HDRLEN || at + len > buf.length) break;
    messages.push({ type: buf.readUInt16LE(at + 4), flags: buf.readUInt16LE(at + 6), seq: buf.readUInt32LE(at + 8), data: buf.subarray(at + NLMSG_HDRLEN, at + len) });
    at += (len + 3) & ~3;
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
  const msg = Buffer.alloc(NLMSG_HDRLEN + payload.length);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE(type, 4);
  msg.writeUInt16LE(NLM_F_REQUEST | NLM_F_ACK, 6);
  msg.writeUInt32LE(seq, 8);
  payload.copy(msg, NLMSG_HDRLEN);
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
