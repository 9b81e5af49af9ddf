/**
 * NL80211_CMD_GET_STATION's answer for the AP (NEW_STATION with
 * ATTR_STA_INFO) into what SIGNAL_POLL prints, as 2.10's get_link_signal()
 * reads it: the signal (s8 dBm), the averages when present, the transmit bit
 * rate (BITRATE32, else the 16-bit BITRATE, units of 100 kbit/s).
 */
import type { LinkSignal } from '../backend.js';
import { getU16, getU32, getU8, Nl80211DecodeError, parseAttrs } from './attrs.js';
import { Attr, RateInfo, StaInfo } from './numbers.js';

const s8 = (b: Buffer | undefined, what: string): number => (getU8(b, what) << 24) >> 24;

export function parseLinkSignal(data: Buffer): LinkSignal {
  const info = parseAttrs(data).get(Attr.STA_INFO);
  if (!info) throw new Nl80211DecodeError('ATTR_STA_INFO missing');
  const sta = parseAttrs(info);
  const out: LinkSignal = { rssi: s8(sta.get(StaInfo.SIGNAL), 'STA_INFO_SIGNAL'), txRateKbps: 0 };
  if (sta.has(StaInfo.SIGNAL_AVG)) out.avgRssi = s8(sta.get(StaInfo.SIGNAL_AVG), 'STA_INFO_SIGNAL_AVG');
  if (sta.has(StaInfo.BEACON_SIGNAL_AVG)) out.avgBeaconRssi = s8(sta.get(StaInfo.BEACON_SIGNAL_AVG), 'STA_INFO_BEACON_SIGNAL_AVG');
  const tx = sta.get(StaInfo.TX_BITRATE);
  if (tx) {
    const rate = parseAttrs(tx);
    const units = rate.has(RateInfo.BITRATE32) ? getU32(rate.get(RateInfo.BITRATE32), 'RATE_INFO_BITRATE32') : rate.has(RateInfo.BITRATE) ? getU16(rate.get(RateInfo.BITRATE), 'RATE_INFO_BITRATE') : 0;
    out.txRateKbps = units * 100;
  }
  return out;
}
