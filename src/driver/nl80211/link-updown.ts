/**
 * The netdev's administrative state over rtnetlink, as wpa_supplicant 2.10's
 * nl80211 driver handles it: the interface is set up at start (a scan on a
 * down interface fails with ENETDOWN), and set down again at the end only if
 * it was down when we came (drv->start_iface_up).
 */
import { IFF_UP, IFINFOMSG_LEN, RTM_GETLINK, RTM_NEWLINK, RTM_SETLINK, routeRequest, routeSocket } from '../../net/route-netlink.js';

/** struct ifinfomsg for `ifindex` (family AF_UNSPEC), with its flags and the mask of those to change. */
function ifinfomsg(ifindex: number, flags: number, change: number): Buffer {
  const b = Buffer.alloc(IFINFOMSG_LEN);
  b.writeInt32LE(ifindex, 4);
  b.writeUInt32LE(flags, 8);
  b.writeUInt32LE(change, 12);
  return b;
}

/** Sets the interface up or down (IFF_UP, RTM_SETLINK) where it differs; returns whether it was up before. */
export async function setInterfaceUp(ifindex: number, up: boolean): Promise<boolean> {
  const sock = routeSocket();
  try {
    const [link] = await routeRequest(sock, `RTM_GETLINK ifindex ${ifindex}`, RTM_GETLINK, ifinfomsg(ifindex, 0, 0));
    if (link === undefined || link.type !== RTM_NEWLINK || link.data.length < IFINFOMSG_LEN) throw new Error(`RTM_GETLINK ifindex ${ifindex}: no link in the answer`);
    const wasUp = (link.data.readUInt32LE(8) & IFF_UP) !== 0;
    if (wasUp !== up) await routeRequest(sock, `RTM_SETLINK ifindex ${ifindex} ${up ? 'up' : 'down'}`, RTM_SETLINK, ifinfomsg(ifindex, up ? IFF_UP : 0, IFF_UP));
    return wasUp;
  } finally {
    sock.close();
  }
}
