/**
 * One NL80211_CMD_GET_SCAN dump message (an NL80211_ATTR_BSS nest) into the
 * backend's scan result entry, with the values as wpa_supplicant's
 * driver_nl80211_scan.c reads them: signal in mBm truncated to dBm, the
 * Probe Response IEs when there are any, else the Beacon's.
 */
import type { ScanBss } from '../backend.js';
import { getBytes, getMac, getU16, getU32, Nl80211DecodeError, parseAttrs } from './attrs.js';
import { Attr, BssAttr } from './numbers.js';

const WLAN_EID_SSID = 0;

/** The SSID element's payload (the IE walk of station/ies.ts, which this layer may not import). */
function ssidOf(ies: Buffer): Buffer {
  for (let i = 0; i + 2 <= ies.length; ) {
    const len = ies[i + 1];
    if (i + 2 + len > ies.length) break;
    if (ies[i] === WLAN_EID_SSID) return Buffer.from(ies.subarray(i + 2, i + 2 + len));
    i += 2 + len;
  }
  return Buffer.alloc(0);
}

/** Throws Nl80211DecodeError for a message without a usable BSS (the caller drops that one entry). */
export function parseScanBss(data: Buffer): ScanBss {
  const outer = parseAttrs(data);
  const nest = outer.get(Attr.BSS);
  if (!nest) throw new Nl80211DecodeError('ATTR_BSS missing');
  const b = parseAttrs(nest);
  const ies = b.get(BssAttr.INFORMATION_ELEMENTS)?.length ? b.get(BssAttr.INFORMATION_ELEMENTS) : b.get(BssAttr.BEACON_IES);
  const signal = b.get(BssAttr.SIGNAL_MBM);
  if (signal && signal.length !== 4) throw new Nl80211DecodeError(`BSS_SIGNAL_MBM: ${signal.length} bytes, expected 4`);
  const iesCopy = ies ? getBytes(ies, 'BSS_INFORMATION_ELEMENTS') : Buffer.alloc(0);
  return {
    bssid: getMac(b.get(BssAttr.BSSID), 'BSS_BSSID'),
    ssid: ssidOf(iesCopy),
    freq: getU32(b.get(BssAttr.FREQUENCY), 'BSS_FREQUENCY'),
    // C's integer division (level /= 100), which truncates toward zero.
    signal: signal ? Math.trunc(signal.readInt32LE(0) / 100) : 0,
    noise: 0,
    beaconInt: b.has(BssAttr.BEACON_INTERVAL) ? getU16(b.get(BssAttr.BEACON_INTERVAL), 'BSS_BEACON_INTERVAL') : 0,
    caps: b.has(BssAttr.CAPABILITY) ? getU16(b.get(BssAttr.CAPABILITY), 'BSS_CAPABILITY') : 0,
    ies: iesCopy,
    ageMs: b.has(BssAttr.SEEN_MS_AGO) ? getU32(b.get(BssAttr.SEEN_MS_AGO), 'BSS_SEEN_MS_AGO') : 0,
  };
}
