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
 */
import type { NetlinkMessage } from 'netlink';
import { loadNetlink } from './socket.js';

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
    const { MessageType, MulticastGroups, parseLinkMessage } = netlink.rt;
    const rt = netlink.createRtNetlink();
    rt.addMembership(MulticastGroups.LINK);
    rt.socket.on('message', (msgs: NetlinkMessage[]) => {
      for (const m of msgs) {
        if (m.type !== MessageType.NEWLINK && m.type !== MessageType.DELLINK) continue;
        let link: ReturnType<typeof parseLinkMessage>;
        try {
          link = parseLinkMessage(m.data);
        } catch (e) {
          onChange({ kind: 'dropped', reason: `bad link notification: ${(e as Error).message}` });
          continue;
        }
        const ifindex = link.data.index;
        if (ifindex === undefined) continue;
        const ifname = link.attrs.ifname;
        onChange(m.type === MessageType.DELLINK ? { kind: 'del', ifindex, ifname } : { kind: 'new', ifindex, ifname, up: link.data.flags?.up === true });
      }
    });
    return new LinkWatch(() => rt.socket.close());
  }

  close(): void {
    this.close_();
  }
}
