/**
 * The transcript tools of the radio scenarios (scenarios.ts), in-process: the
 * parser of a step's output, the normaliser (addresses, times, measurements
 * only) and the line diff the side-by-side comparison reports.
 */
import { describe, expect, it } from 'vitest';
import { addresses, diffLines, normalise, transcripts } from './scenarios.js';

const OUT = [
  'noise before',
  '=== addresses',
  'wlan0 02:00:00:00:00:00',
  'wlan3 02:00:00:00:03:00',
  '=== transcript scan',
  '> scan_results',
  'bssid / frequency / signal level / flags / ssid',
  '02:00:00:00:00:00\t2412\t-30\t[ESS]\tradio',
  'MARK end-scan 12.5',
  '=== transcript next',
  '<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed [id=0 id_str=]',
  '=== end',
].join('\n');

describe('radio transcripts', () => {
  it('reads each scenario\'s transcript and the radios\' addresses from a step\'s output', () => {
    const t = transcripts(OUT);
    expect([...t.keys()]).toEqual(['scan', 'next']);
    expect(t.get('scan')).toEqual(['> scan_results', 'bssid / frequency / signal level / flags / ssid', '02:00:00:00:00:00\t2412\t-30\t[ESS]\tradio']);
    expect(addresses(OUT)).toEqual(new Map([['02:00:00:00:00:00', 'wlan0'], ['02:00:00:00:03:00', 'wlan3']]));
  });

  it('normalises addresses, times and measurements, and nothing else', () => {
    const macs = addresses(OUT);
    expect(
      normalise(
        [
          '02:00:00:00:00:00\t2412\t-30\t[ESS]\tradio',
          '<3>CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:03:00 reason=3 locally_generated=1',
          'p2p_device_address=42:00:00:00:03:00',
          '<3>CTRL-EVENT-SIGNAL-CHANGE above=1 signal=-31 noise=-92 txrate=54000',
          'age=3',
          'ipv6_address=fe80::ff:fe00:300',
          'freq=2412',
          'duration=10 reason=WRONG_KEY',
        ],
        macs,
      ),
    ).toEqual([
      '<wlan0>\t2412\t<signal>\t[ESS]\tradio',
      '<3>CTRL-EVENT-DISCONNECTED bssid=<wlan3> reason=3 locally_generated=1',
      'p2p_device_address=<mac>',
      '<3>CTRL-EVENT-SIGNAL-CHANGE above=<n> signal=<n> noise=<n> txrate=54000',
      'age=<n>',
      'ipv6_address=<ipv6>',
      'freq=2412',
      'duration=10 reason=WRONG_KEY',
    ]);
  });

  it('diffs two transcripts line by line: lines only in the reference (-), only in ours (+), in order', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd', 'e'])).toEqual(['- b', '+ x', '+ e']);
    expect(diffLines(['a'], ['a'])).toEqual([]);
    expect(diffLines([], ['a'])).toEqual(['+ a']);
  });
});
