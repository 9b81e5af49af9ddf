/** Channel numbers and bands by centre frequency (MHz), as hostap's ieee80211_freq_to_chan() counts them. */

export function is24GHz(freq: number): boolean {
  return freq >= 2400 && freq < 2500;
}

/** IEEE channel number for a centre frequency: 2.4, 4.9, 5, 6 and 60 GHz bands. */
export function freqToChannel(freq: number): number {
  if (freq === 2484) return 14;
  if (is24GHz(freq)) return (freq - 2407) / 5;
  if (freq >= 5955 && freq <= 7115) return (freq - 5950) / 5;
  if (freq >= 4900 && freq < 5000) return (freq - 4000) / 5;
  if (freq >= 56160) return (freq - 56160) / 2160 + 1;
  return (freq - 5000) / 5;
}
