/**
 * One NL80211_CMD_GET_SCAN dump message (an NL80211_ATTR_BSS nest) into the
 * backend's scan result entry, with the values as wpa_supplicant's
 * driver_nl80211_scan.c reads them: signal in mBm truncated to dBm, the
 * Probe Response IEs when there are any, else the Beacon's.
 */
import { MAX_SCAN_BSS, MAX_SCAN_BYTES, type ScanBss } from '../backend.js';
import { type GenlMessage, getBytes, getMac, getU16, getU32, Nl80211DecodeError, parseAttrs } from './attrs.js';
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

/**
 * A whole GET_SCAN dump: its BSSes, with the entries that did not decode
 * dropped one by one (`dropped`: why), or `over` when the set is beyond the
 * bounds every backend keeps (backend.ts), as the ext backend drops it whole.
 * The dump has been received by then (the socket layer collects it), so the
 * bound protects the station's BSS table, not the socket's buffer.
 */
export function scanDumpResults(msgs: GenlMessage[]): { bss: ScanBss[]; dropped: string[] } | { over: string } {
  const bytes = msgs.reduce((n, m) => n + m.data.length, 0);
  if (msgs.length > MAX_SCAN_BSS || bytes > MAX_SCAN_BYTES) {
    return { over: `${msgs.length} BSSes in ${bytes} bytes; at most ${MAX_SCAN_BSS} BSSes and ${MAX_SCAN_BYTES} bytes` };
  }
  const bss: ScanBss[] = [];
  const dropped: string[] = [];
  for (const m of msgs) {
    try {
      bss.push(parseScanBss(m.data));
    } catch (e) {
      if (!(e instanceof Nl80211DecodeError)) throw e;
      dropped.push(e.message);
    }
  }
  return { bss, dropped };
}
