/**
 * The netdev's administrative state over rtnetlink, as wpa_supplicant 2.10's
 * nl80211 driver handles it: the interface is set up at start (a scan on a
 * down interface fails with ENETDOWN), and set down again at the end only if
 * it was down when we came (drv->start_iface_up).
 */
import { IFF_UP, ifinfomsg, readIfinfomsg, RTM_GETLINK, RTM_NEWLINK, RTM_SETLINK, routeRequest, routeSocket } from '../../net/route-netlink.js';

/** Sets the interface up or down (IFF_UP, RTM_SETLINK) where it differs; returns whether it was up before. */
export async function setInterfaceUp(ifindex: number, up: boolean): Promise<boolean> {
  const sock = routeSocket();
  try {
    const [link] = await routeRequest(sock, `RTM_GETLINK ifindex ${ifindex}`, RTM_GETLINK, ifinfomsg(ifindex, 0, 0));
    const info = link?.type === RTM_NEWLINK ? readIfinfomsg(link.data) : undefined;
    if (info === undefined) throw new Error(`RTM_GETLINK ifindex ${ifindex}: no link in the answer`);
    const wasUp = info.up;
    if (wasUp !== up) await routeRequest(sock, `RTM_SETLINK ifindex ${ifindex} ${up ? 'up' : 'down'}`, RTM_SETLINK, ifinfomsg(ifindex, up ? IFF_UP : 0, IFF_UP));
    return wasUp;
  } finally {
    sock.close();
  }
}
