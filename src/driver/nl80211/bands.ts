/**
 * GET_WIPHY's bands (NL80211_ATTR_WIPHY_BANDS) into hostap's hardware modes,
 * for GET_CAPABILITY channels / freq as wpa_supplicant 2.10 -Dnl80211 prints
 * them: one mode per band in the kernel's order (2.4 GHz: G, 5 GHz: A,
 * 60 GHz: AD, 6 GHz: A again), then a B mode with the 2.4 GHz channels, which
 * hostap adds after reading the bands (wpa_driver_nl80211_postprocess_modes).
 * Other bands (S1G, ...) have no mode there and are left out.
 *
 * A split dump may send one band in several messages, and its channels in
 * pieces: mergeWiphyParts concatenates the parts' band streams and a band
 * seen again continues its channel list, as hostap's phy_info_band() does.
 */
import { freqToChannel } from '../channel.js';
import type { HwChannel, HwMode } from '../backend.js';
import { attrEntries, getU32, nestedList, parseAttrs } from './attrs.js';
import { Band, BandAttr, FreqAttr } from './numbers.js';

const MODE_OF_BAND: Record<number, HwMode['mode']> = { [Band.GHZ_2]: 'G', [Band.GHZ_5]: 'A', [Band.GHZ_60]: 'AD', [Band.GHZ_6]: 'A' };

function channel(buf: Buffer): HwChannel {
  const f = parseAttrs(buf);
  const freq = getU32(f.get(FreqAttr.FREQ), 'FREQUENCY_ATTR_FREQ');
  return { chan: freqToChannel(freq), freq, disabled: f.has(FreqAttr.DISABLED), noIr: f.has(FreqAttr.NO_IR), radar: f.has(FreqAttr.RADAR) };
}

/** The modes of a WIPHY_BANDS attribute (possibly several parts' streams joined). Throws Nl80211DecodeError on malformed input. */
export function parseHwModes(bands: Buffer): HwMode[] {
  const byBand = new Map<number, HwMode>();
  const order: HwMode[] = [];
  for (const [band, data] of attrEntries(bands)) {
    const mode = MODE_OF_BAND[band];
    if (!mode) continue;
    let m = byBand.get(band);
    if (!m) {
      m = { mode, channels: [] };
      byBand.set(band, m);
      order.push(m);
    }
    const freqs = parseAttrs(data).get(BandAttr.FREQS);
    if (freqs) for (const c of nestedList(freqs)) m.channels.push(channel(c));
  }
  const g = order.find((m) => m.mode === 'G');
  if (g) order.push({ mode: 'B', channels: g.channels.map((c) => ({ ...c })) });
  return order;
}
