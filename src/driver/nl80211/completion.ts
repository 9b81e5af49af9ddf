/**
 * How an offloaded 4-way handshake's end shows, per driver: nl80211 says
 * nothing about it, so the driver is recognised by name, from sysfs
 * (/sys/class/net/IFNAME/device/driver, the kernel module bound to the
 * device, as `ethtool -i` shows it).
 *  - brcmfmac with FWSUP (its 4-way offload extended features, or SAE
 *    offload: its firmware supplicant runs SAE and the 4-way handshake)
 *    holds the CONNECT event until its firmware finished the handshake and
 *    sends no PORT_AUTHORIZED (only for 802.1X FT roams): `connect`.
 *  - every other driver (upstream 4-way offload: QCA, Intel, ...) reports
 *    the end with PORT_AUTHORIZED: `port_authorized`.
 */
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { CompletionSignal, DriverCapabilities } from '../backend.js';

/** The kernel driver behind a netdev, or undefined when sysfs does not say (no device: virtual, or another network namespace's sysfs). */
export function netdevDriver(ifname: string): string | undefined {
  try {
    return basename(readlinkSync(`/sys/class/net/${ifname}/device/driver`));
  } catch {
    return undefined;
  }
}

export function completionSignal(driver: string | undefined, caps: DriverCapabilities): CompletionSignal {
  return driver === 'brcmfmac' && (caps.four_way_psk || caps.four_way_8021x || caps.sae_offload) ? 'connect' : 'port_authorized';
}
