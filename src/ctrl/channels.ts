/**
 * Channel lists given on the control interface (SCAN freq=, SELECT_NETWORK
 * freq=), expanded as wpa_supplicant's freq_range_to_channel_list() does.
 */
import { atoi } from '../config/cstr.js';

/**
 * 20 MHz channel centre frequencies (2.4 and 5 GHz) a SCAN freq= range
 * expands to. The driver protocol reports no channel list, so this stands in
 * for the hw modes wpa_supplicant would read from nl80211.
 */
const CHANNEL_FREQS: readonly number[] = [
  ...Array.from({ length: 13 }, (_, i) => 2412 + 5 * i),
  2484,
  ...[36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 149, 153, 157, 161, 165, 169, 173, 177].map((c) => 5000 + 5 * c),
];

/**
 * freq_range_to_channel_list(): "2412,2437-2462" (atoi rules: the value ends
 * at the first non-digit of each item) to the channels inside; undefined when
 * none is (SCAN then answers FAIL; SELECT_NETWORK ignores it).
 */
export function freqRangeToChannels(value: string): number[] | undefined {
  const ranges = value.split(' ')[0].split(',').map((item) => {
    const dash = item.indexOf('-');
    const min = atoi(item);
    return { min, max: dash >= 0 ? atoi(item.slice(dash + 1)) : min };
  });
  const freqs = CHANNEL_FREQS.filter((f) => ranges.some((r) => f >= r.min && f <= r.max));
  return freqs.length ? freqs : undefined;
}
