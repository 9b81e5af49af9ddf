/**
 * NL80211_CMD_GET_INTERFACE dump entries: how the backend finds its
 * interface's ifindex, wiphy and MAC address from the name it was given.
 */
import { getMac, getU32, parseAttrs } from './attrs.js';
import { Attr } from './numbers.js';

/** A wireless interface from a GET_INTERFACE dump. */
export interface WirelessInterface {
  ifname: string;
  ifindex: number;
  wiphy: number;
  address: string;
}

/** Null for an entry without a netdev (a P2P device, NAN): those have no name to match. */
export function parseInterface(data: Buffer): WirelessInterface | null {
  const a = parseAttrs(data);
  const name = a.get(Attr.IFNAME);
  if (!name || !a.has(Attr.IFINDEX)) return null;
  const nul = name.indexOf(0);
  return {
    ifname: name.subarray(0, nul < 0 ? name.length : nul).toString('utf8'),
    ifindex: getU32(a.get(Attr.IFINDEX), 'ATTR_IFINDEX'),
    wiphy: getU32(a.get(Attr.WIPHY), 'ATTR_WIPHY'),
    address: getMac(a.get(Attr.MAC), 'ATTR_MAC'),
  };
}
