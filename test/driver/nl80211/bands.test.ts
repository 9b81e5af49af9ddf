/**
 * GET_WIPHY's bands into hardware modes (GET_CAPABILITY channels / freq): a
 * split dump as the kernel sends it (nl80211_send_wiphy with split: the band's
 * rates in one message, then one channel per message), merged and parsed.
 */
import { describe, expect, it } from 'vitest';
import { type AttrSpec, encodeAttrs, FLAG, parseAttrs, putU32 } from '../../../src/driver/nl80211/attrs.js';
import { Attr, BandAttr, FreqAttr } from '../../../src/driver/nl80211/numbers.js';
import { mergeWiphyParts, parseWiphy } from '../../../src/driver/nl80211/wiphy.js';

const WIPHY = 1;
const part = (bands: AttrSpec[]) => parseAttrs(encodeAttrs([[Attr.WIPHY, putU32(WIPHY)], [Attr.WIPHY_BANDS, bands]]));
/** One channel of one band, as the split dump sends it (the channel's nest is numbered by its index in the band). */
const chan = (band: number, idx: number, freq: number, flags: number[] = []) =>
  part([[band, [[BandAttr.FREQS, [[idx, [[FreqAttr.FREQ, putU32(freq)], ...flags.map((f): AttrSpec => [f, FLAG])]]]]]]]);
/** NL80211_BAND_ATTR_RATES = 2: rates come first, without channels. */
const rates = (band: number) => part([[band, [[2, [[0, [[1, putU32(10)]]]]]]]]);

describe('nl80211 bands: hardware modes from a split GET_WIPHY dump', () => {
  it('one mode per band in the kernel order (G, A, A for 6 GHz), a B copy of G last; flags kept; S1G left out', () => {
    const parts = [
      parseAttrs(encodeAttrs([[Attr.WIPHY, putU32(WIPHY)], [Attr.CIPHER_SUITES, putU32(0x000fac04)]])),
      rates(0),
      chan(0, 0, 2412),
      chan(0, 1, 2472, [FreqAttr.NO_IR]),
      chan(0, 2, 2484, [FreqAttr.DISABLED]),
      rates(1),
      chan(1, 0, 5180),
      chan(1, 1, 5260, [FreqAttr.NO_IR, FreqAttr.RADAR]),
      chan(3, 0, 5955),
      chan(4, 0, 917),
    ];
    const modes = parseWiphy(mergeWiphyParts(parts)).capabilities.hw_modes;
    const c = (chan: number, freq: number, f: { disabled?: boolean; noIr?: boolean; radar?: boolean } = {}) =>
      ({ chan, freq, disabled: false, noIr: false, radar: false, ...f });
    const g = [c(1, 2412), c(13, 2472, { noIr: true }), c(14, 2484, { disabled: true })];
    expect(modes).toEqual([
      { mode: 'G', channels: g },
      { mode: 'A', channels: [c(36, 5180), c(52, 5260, { noIr: true, radar: true })] },
      { mode: 'A', channels: [c(1, 5955)] },
      { mode: 'B', channels: g },
    ]);
  });

  it('a wiphy without bands has no modes', () => {
    expect(parseWiphy(mergeWiphyParts([parseAttrs(encodeAttrs([[Attr.WIPHY, putU32(WIPHY)]]))])).capabilities.hw_modes).toBeUndefined();
  });
});
