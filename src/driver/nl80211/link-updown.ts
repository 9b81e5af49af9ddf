/**
 * The netdev's administrative state over rtnetlink, as wpa_supplicant 2.10's
 * nl80211 driver handles it: the interface is set up at start (a scan on a
 * down interface fails with ENETDOWN), and set down again at the end only if
 * it was down when we came (drv->start_iface_up).
 */
import { loadNetlink } from './socket.js';

const TIMEOUT_MS = 10_000;

/** Sets the interface up or down; returns whether it was up before. */
export async function setInterfaceUp(ifindex: number, up: boolean): Promise<boolean> {
  const rt = loadNetlink().createRtNetlink();
  try {
    const [link] = await rt.getLink({ index: ifindex }, {}, { timeout: TIMEOUT_MS });
    const wasUp = link?.data.flags?.up === true;
    if (wasUp !== up) await rt.setLink({ index: ifindex, flags: up ? { up: true } : {}, change: { up: true } }, {}, { timeout: TIMEOUT_MS });
    return wasUp;
  } finally {
    rt.socket.close();
  }
}
