/**
 * Route-netlink link notifications (RTNLGRP_LINK) for the nl80211 backend, as
 * wpa_supplicant 2.10's driver_nl80211 follows them: the netdev set down or up
 * by someone else (`ip link set wlan0 down`: IFF_UP cleared), removed
 * (RTM_DELLINK: `iw dev wlan0 del`, or its wiphy gone) and a netdev of the
 * name appearing (RTM_NEWLINK: re-added, or a radio that came back).
 *
 * On the `netlink` package's rtnetlink socket, read at the message level: its
 * parsed form drops the message type, which tells a new link from a removed
 * one. A message that does not parse is reported as dropped, never thrown.
 *
 * Only the ifinfomsg header and IFLA_IFNAME are read (parseLinkNotification):
 * a link notification carries ~1.5 kB of attributes (statistics, AF_SPEC...)
 * that the package's parseLinkMessage() decodes in full, several times per
 * connection (carrier, operstate), about 0.3 ms of the guest's CPU per
 * connection on the kernel radio (test/bench/radio-profile.ts). So the
 * socket is the package's netlink-level one (createNetlink), not
 * createRtNetlink()'s: that wrapper runs parseLinkMessage() on every
 * message from its own listener, whoever else listens, and on the radio
 * those messages arrive while a connection waits for its last acks.
 */
import type { NetlinkMessage } from 'netlink';
import { align4, NLA_HDRLEN, NLA_TYPE_MASK } from './attrs.js';
import { loadNetlink } from './socket.js';

/** sizeof(struct ifinfomsg): family, pad, type, index, flags, change. */
const IFINFOMSG_LEN = 16;
const IFLA_IFNAME = 3;
const IFF_UP = 0x1;

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
    const netlink = loadNetlink();
    const { MessageType, MulticastGroups } = netlink.rt;
    const sock = netlink.createNetlink(netlink.Protocol.ROUTE);
    sock.addMembership(MulticastGroups.LINK);
    sock.on('message', (msgs: NetlinkMessage[]) => {
      for (const m of msgs) {
        if (m.type === MessageType.NEWLINK || m.type === MessageType.DELLINK) onChange(parseLinkNotification(m.type === MessageType.DELLINK, m.data));
      }
    });
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
  if (data.length < IFINFOMSG_LEN) return { kind: 'dropped', reason: `bad link notification: ${data.length} bytes, shorter than ifinfomsg` };
  const ifindex = data.readInt32LE(4);
  const up = (data.readUInt32LE(8) & IFF_UP) !== 0;
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
