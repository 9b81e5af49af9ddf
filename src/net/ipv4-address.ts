/**
 * A netdev's IPv4 address, for STATUS's ip_address=. 2.10 asks the kernel at
 * every STATUS (l2_packet_get_ip_addr(): SIOCGIFADDR); Node's only way,
 * os.networkInterfaces() (getifaddrs(), every address of every netdev), took
 * ~40 µs, ten times a whole STATUS round trip, on a machine with a few dozen
 * netdevs. So the answer is kept until the kernel says something changed:
 * route-netlink notifications of IPv4 addresses (RTNLGRP_IPV4_IFADDR: added,
 * removed, netdev gone) and of links (RTNLGRP_LINK: up, down, renamed;
 * os.networkInterfaces() lists only netdevs that are up and running) empty
 * the cache, and so does a notification lost to a full receive buffer
 * (ENOBUFS). The kernel queues the notification before `ip address add`
 * returns, so it is ready before any request sent after it, and the event
 * loop takes ready sockets in the order they became ready, one datagram
 * each: a STATUS sent after a change sees it. Without netlink (socket
 * refused), every STATUS asks.
 *
 * On a raw route-netlink socket (route-netlink.ts), opened at the first
 * STATUS; the messages are not parsed: any of them is a change.
 */
import os from 'node:os';
import type { RawNetlinkSocket } from 'netlink';
import { debug } from '../log.js';
import { RTNLGRP_IPV4_IFADDR, RTNLGRP_LINK, routeSocket } from './route-netlink.js';

/** ifname -> its first IPv4 address ('' for none: one lookup per STATUS), valid until the next notification. */
const cache = new Map<string, string>();
/** 'off': netlink refused, nothing is kept. */
let watch: RawNetlinkSocket | 'off' | undefined;

/** The first IPv4 address of `ifname` as os.networkInterfaces() lists it (up and running netdevs only). */
export function ipv4Address(ifname: string): string | undefined {
  const kept = cache.get(ifname);
  if (kept !== undefined) return kept || undefined;
  // Subscribed before the read: a change after it empties the cache again.
  const keep = watching();
  const ip = os.networkInterfaces()[ifname]?.find((a) => a.family === 'IPv4')?.address;
  if (keep) cache.set(ifname, ip ?? '');
  return ip;
}

function watching(): boolean {
  if (watch === undefined) {
    try {
      const sock = routeSocket();
      sock.addMembership(RTNLGRP_IPV4_IFADDR);
      sock.addMembership(RTNLGRP_LINK);
      sock.on('message', () => cache.clear());
      sock.on('error', () => cache.clear());
      sock.unref();
      watch = sock;
    } catch (e) {
      debug(`ip_address: no route-netlink notifications (${(e as Error).message}): STATUS reads the address every time`);
      watch = 'off';
    }
  }
  return watch !== 'off';
}
