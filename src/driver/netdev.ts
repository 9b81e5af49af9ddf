/**
 * Which driver an interface gets when none is named (no `-D`, no `[driver]`
 * setting, an empty INTERFACE_ADD driver field), as wpa_supplicant 2.10
 * defaults to its first driver, nl80211: a wireless netdev (cfg80211 gives it
 * /sys/class/net/IF/phy80211 and, with wireless extensions, .../wireless) gets
 * `nl80211`; any other name keeps `none` (a radio with nothing in range), so
 * the control plane still runs without Wi-Fi hardware.
 */
import fs from 'node:fs';

const SYSFS_NET = '/sys/class/net';

/** The netdev exists (whatever its kind). */
export function netdevExists(ifname: string): boolean {
  return ifname !== '' && !ifname.includes('/') && fs.existsSync(`${SYSFS_NET}/${ifname}`);
}

/** The netdev belongs to a cfg80211 wiphy. */
export function isWirelessNetdev(ifname: string): boolean {
  if (!netdevExists(ifname)) return false;
  return fs.existsSync(`${SYSFS_NET}/${ifname}/phy80211`) || fs.existsSync(`${SYSFS_NET}/${ifname}/wireless`);
}

/** The driver of an interface that names none. */
export function defaultDriverFor(ifname: string): 'nl80211' | 'none' {
  return isWirelessNetdev(ifname) ? 'nl80211' : 'none';
}
