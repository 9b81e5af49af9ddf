/**
 * Route-netlink link notifications (RTNLGRP_LINK) for the nl80211 backend, as
 * wpa_supplicant 2.10's driver_nl80211 follows them: the netdev set down or up
 * by someone else (`ip link set wlan0 down`: IFF_UP cleared), removed
 * (RTM_DELLINK: `iw dev wlan0 del`, or its wiphy gone) and a netdev of the
 * name appearing (RTM_NEWLINK: re-added, or a radio that came back).
 *
 * On a raw route-netlink socket (net/route-netlink.ts), read at the message
 * level: the message type tells a new link from a removed one. A message
 * that does not parse, or notifications the kernel could not queue (the
 * socket's error), are reported as dropped, never thrown.
 *
 * Only the ifinfomsg header and IFLA_IFNAME are read (parseLinkNotification):
 * a link notification carries ~1.5 kB of attributes (statistics, AF_SPEC...)
 * that the `netlink` package's parseLinkMessage() decoded in full, several
 * times per connection (carrier, operstate), about 0.3 ms of the guest's CPU
 * per connection on the kernel radio (test/bench/radio-profile.ts); and
 * loading the package's codecs cost 25 ms of CPU at start.
 */
import { IFINFOMSG_LEN, netlinkMessages, readIfinfomsg, RTM_DELLINK, RTM_NEWLINK, RTNLGRP_LINK, routeSocket } from '../../net/route-netlink.js';
import { align4, NLA_HDRLEN, NLA_TYPE_MASK } from './attrs.js';

const IFLA_IFNAME = 3;

export type LinkChange =
  /** RTM_NEWLINK: the netdev exists (new, or its flags changed); `up` is IFF_UP. */
  | { kind: 'new'; ifindex: number; ifname: string | undefined; up: boolean }
  /** RTM_DELLINK: the netdev is gone. */
  | { kind: 'del'; ifindex: number; ifname: string | undefined }
  | { kind: 'dropped'; reason: string };

export class LinkWatch {
  private constructor(private readonly close_: () => void) {}

  /** Joins RTNLGRP_LINK; every link notification of the network namespace goes to `onChange`. */
  static open(onChange: (c: LinkChange) => void): LinkWatch {
    const sock = routeSocket();
    sock.addMembership(RTNLGRP_LINK);
    sock.on('message', (datagram: Buffer) => {
      const { messages, rest } = netlinkMessages(datagram);
      for (const m of messages) {
        if (m.type === RTM_NEWLINK || m.type === RTM_DELLINK) onChange(parseLinkNotification(m.type === RTM_DELLINK, m.data));
      }
      if (rest) onChange({ kind: 'dropped', reason: `bad link notification datagram: its last ${rest} of ${datagram.length} bytes frame no message` });
    });
    // ENOBUFS: notifications lost to a full receive buffer.
    sock.on('error', (e: Error) => onChange({ kind: 'dropped', reason: `link notifications: ${e.message}` }));
    return new LinkWatch(() => sock.close());
  }

  close(): void {
    this.close_();
  }
}

/**
 * An RTM_NEWLINK or RTM_DELLINK payload (ifinfomsg, then attributes in host
 * byte order, little-endian where this runs): the interface index, IFF_UP
 * and IFLA_IFNAME, nothing else decoded.
 */
export function parseLinkNotification(del: boolean, data: Buffer): LinkChange {
  const info = readIfinfomsg(data);
  if (info === undefined) return { kind: 'dropped', reason: `bad link notification: ${data.length} bytes, shorter than ifinfomsg` };
  const { ifindex, up } = info;
  let ifname: string | undefined;
  for (let at = IFINFOMSG_LEN; at + NLA_HDRLEN <= data.length; ) {
    const len = data.readUInt16LE(at);
    if (len < NLA_HDRLEN || at + len > data.length) return { kind: 'dropped', reason: `bad link notification: attribute at ${at} of ${len} bytes in ${data.length}` };
    if ((data.readUInt16LE(at + 2) & NLA_TYPE_MASK) === IFLA_IFNAME) {
      const end = data.indexOf(0, at + NLA_HDRLEN);
      ifname = data.toString('utf8', at + NLA_HDRLEN, end < 0 || end > at + len ? at + len : end);
    }
    at += align4(len);
  }
  return del ? { kind: 'del', ifindex, ifname } : { kind: 'new', ifindex, ifname, up };
}
