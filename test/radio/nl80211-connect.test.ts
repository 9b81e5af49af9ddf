/**
 * `-D nl80211` connects on the kernel radio: one boot of the radio VM, the
 * real hostapd 2.10 as AP on one mac80211_hwsim radio, our daemon on the
 * other in its own network namespace (so traffic must cross the simulated
 * air), driven by the real wpa_cli. Each step is one network:
 *  - WPA2-PSK CCMP: CTRL-EVENT-CONNECTED, STATUS, SIGNAL_POLL, a ping; then
 *    DISCONNECT (the AP sees the station leave) and RECONNECT, ping again;
 *  - WPA-PSK-SHA256 with PMF required: connected, ping, and the IGTK proven
 *    installed: a broadcast deauthentication from hostapd, which mac80211
 *    accepts only with a valid BIP MIC under that IGTK, ends the association;
 *  - the AP's group and PTK rekeys: both complete, traffic still flows;
 *  - an open network: connected, ping;
 *  - taking the handshake back (`[driver] assume_4way_offload = psk`: the
 *    radio is taken to run the PSK 4-way handshake and stays silent): the
 *    host drops hostapd's msg 1/4 as a silent firmware would, sends one
 *    EAPOL-Start after the offload wait, and completes hostapd's next msg 1/4
 *    retry itself. hostapd 2.10 ignores EAPOL-Start from a PSK station (its
 *    own log says so), so what the take-back relies on is hostapd's retry
 *    window, which its log shows too; FT-PSK (an initial mobility domain
 *    association) is taken back by reassociating, with no EAPOL-Start
 *    (takeback.ts).
 * The pings prove the keys (and the port), not only the state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { AP, PRELUDE, STA } from './nl80211-shell.js';
import { section } from './shell.js';
import { FT_CHECKS, PSK_CHECKS, TAKEBACK_FT, TAKEBACK_PSK } from './takeback.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const WPA2 = String.raw`
SSID=radio-nl80211-wpa2
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=radio-nl80211-passphrase'
start_ours '	key_mgmt=WPA-PSK
	psk="radio-nl80211-passphrase"'
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
section connected; grep -o 'CTRL-EVENT-CONNECTED.*' /tmp/radio/ours.log
section ap-sta; grep -o 'AP-STA-CONNECTED.*' /tmp/radio/hostapd.log
section status; ours status
section ping; ping_ap
section signal_poll; ours signal_poll
# mac80211 monitors the beacons' RSSI (about -30 dBm on hwsim) against the
# threshold: -20 is above it, so the first beacon after this reports "low".
section signal_monitor; ours signal_monitor THRESHOLD=-20 HYSTERESIS=2
wait_for /tmp/radio/ours.log CTRL-EVENT-SIGNAL-CHANGE 60
section signal_change; grep -o 'CTRL-EVENT-SIGNAL-CHANGE.*' /tmp/radio/ours.log
section disconnect; ours disconnect
wait_for /tmp/radio/hostapd.log AP-STA-DISCONNECTED 60
section ap-disconnected; grep -o 'AP-STA-DISCONNECTED.*' /tmp/radio/hostapd.log
section status-disconnected; ours status | grep '^wpa_state='
section reconnect; ours reconnect
wait_count /tmp/radio/ours.log CTRL-EVENT-CONNECTED 2 120
section status-reconnected; ours status | grep '^wpa_state='
section ping-reconnected; ping_ap
section end
`;

const PMF = String.raw`
SSID=radio-nl80211-pmf
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK-SHA256
rsn_pairwise=CCMP
ieee80211w=2
wpa_passphrase=radio-nl80211-passphrase'
start_ours '	key_mgmt=WPA-PSK-SHA256
	ieee80211w=2
	psk="radio-nl80211-passphrase"'
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
section connected; grep -o 'CTRL-EVENT-CONNECTED.*' /tmp/radio/ours.log
section status; ours status
section ping; ping_ap
# A broadcast Deauthentication: with PMF hostapd protects it with BIP under
# the IGTK; the station's mac80211 drops it unless that IGTK is installed.
section deauth-broadcast; hostapd_cli -p /run/hostapd -i wlan0 deauthenticate ff:ff:ff:ff:ff:ff
wait_for /tmp/radio/ours.log CTRL-EVENT-DISCONNECTED 30
section disconnected; grep -o 'CTRL-EVENT-DISCONNECTED.*' /tmp/radio/ours.log | head -1
section end
`;

// The AP renews the GTK after 6 s and the PTK after 12 s: the group key
// handshake installs a new GTK; the PTK rekey's 4/4 must leave under the
// current PTK before the new one is installed (as 2.10 orders it), or the AP
// cannot read it and the association ends.
const REKEY = String.raw`
SSID=radio-nl80211-rekey
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=radio-nl80211-passphrase
wpa_group_rekey=6
wpa_ptk_rekey=12'
start_ours '	key_mgmt=WPA-PSK
	psk="radio-nl80211-passphrase"'
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
wait_for /tmp/radio/ours.log 'WPA: Group rekeying completed' 60
wait_count /tmp/radio/ours.log 'WPA: Key negotiation completed' 2 60
section rekeys; grep -o 'WPA: \(Group rekeying\|Key negotiation\) completed.*' /tmp/radio/ours.log
section ping-after-rekeys; ping_ap
section ap-disconnects; grep -c 'AP-STA-DISCONNECTED' /tmp/radio/hostapd.log || true
section end
`;

const OPEN = String.raw`
SSID=radio-nl80211-open
start_ap ''
start_ours '	key_mgmt=NONE'
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
section connected; grep -o 'CTRL-EVENT-CONNECTED.*' /tmp/radio/ours.log
section status; ours status
section ping; ping_ap
section end
`;

describe.skipIf(!requireRadioVm())('-D nl80211 on the kernel radio: connect, keys, traffic (hostapd 2.10 as AP, the real wpa_cli)', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  const out = (step: string): string => run.step(step).output;

  beforeAll(async () => {
    run = await runInVm(
      [
        { name: 'wpa2-psk', script: PRELUDE + WPA2 },
        { name: 'psk-sha256-pmf', script: PRELUDE + PMF },
        { name: 'rekey', script: PRELUDE + REKEY },
        { name: 'open', script: PRELUDE + OPEN },
        { name: 'takeback-psk', script: PRELUDE + TAKEBACK_PSK },
        { name: 'takeback-ft-psk', script: PRELUDE + TAKEBACK_FT },
      ],
      { radios: 2, timeoutS: 1500 },
      cleanup,
    );
  }, 1_560_000);
  afterAll(() => cleanup.run());

  it('the VM runs every step', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.steps.map((s) => s.name)).toEqual(['wpa2-psk', 'psk-sha256-pmf', 'rekey', 'open', 'takeback-psk', 'takeback-ft-psk']);
  });

  describe('WPA2-PSK CCMP', () => {
    it('connects: CTRL-EVENT-CONNECTED, the AP sees the station, STATUS is COMPLETED with WPA2-PSK CCMP', () => {
      const o = out('wpa2-psk');
      expect(section(o, 'connected')[0], o).toMatch(new RegExp(`^CTRL-EVENT-CONNECTED - Connection to ${AP} completed \\[id=0 id_str=\\]$`));
      expect(section(o, 'ap-sta')[0], o).toBe(`AP-STA-CONNECTED ${STA}`);
      const st = section(o, 'status');
      expect(st, o).toEqual(expect.arrayContaining([`bssid=${AP}`, 'ssid=radio-nl80211-wpa2', 'key_mgmt=WPA2-PSK', 'pairwise_cipher=CCMP', 'group_cipher=CCMP', 'wpa_state=COMPLETED', 'freq=2412']));
    });

    it('a ping crosses the simulated air (the PTK and the port are in place)', () => {
      const o = out('wpa2-psk');
      expect(section(o, 'ping').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
    });

    it('SIGNAL_POLL answers from the radio (GET_STATION): RSSI, the link speed, the frequency', () => {
      const o = out('wpa2-psk');
      const sp = section(o, 'signal_poll');
      const field = (name: string): number => Number(sp.find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1));
      expect(field('RSSI'), o).toBeLessThan(0);
      // Only the radio knows the rate it sends at: the scan gives none.
      expect(field('LINKSPEED'), o).toBeGreaterThan(0);
      expect(sp).toContain('FREQUENCY=2412');
    });

    it('SIGNAL_MONITOR hands the threshold to the radio (CQM); its crossing is CTRL-EVENT-SIGNAL-CHANGE', () => {
      const o = out('wpa2-psk');
      expect(section(o, 'signal_monitor'), o).toEqual(['OK']);
      expect(section(o, 'signal_change')[0], o).toMatch(/^CTRL-EVENT-SIGNAL-CHANGE above=0 signal=-\d+ noise=-?\d+ txrate=\d+$/);
    });

    it('DISCONNECT leaves the BSS (the AP sees it), RECONNECT connects again and traffic flows', () => {
      const o = out('wpa2-psk');
      expect(section(o, 'disconnect'), o).toEqual(['OK']);
      expect(section(o, 'ap-disconnected')[0], o).toBe(`AP-STA-DISCONNECTED ${STA}`);
      expect(section(o, 'status-disconnected'), o).toEqual(['wpa_state=DISCONNECTED']);
      expect(section(o, 'reconnect'), o).toEqual(['OK']);
      expect(section(o, 'status-reconnected'), o).toEqual(['wpa_state=COMPLETED']);
      expect(section(o, 'ping-reconnected').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
      expect(run.step('wpa2-psk').status, o).toBe(0);
    });
  });

  describe('WPA-PSK-SHA256 with PMF required (ieee80211w=2)', () => {
    it('connects with key_mgmt WPA2-PSK-SHA256 and PMF, and a ping crosses the air', () => {
      const o = out('psk-sha256-pmf');
      expect(section(o, 'connected')[0], o).toMatch(new RegExp(`^CTRL-EVENT-CONNECTED - Connection to ${AP} completed`));
      expect(section(o, 'status'), o).toEqual(expect.arrayContaining(['key_mgmt=WPA2-PSK-SHA256', 'pmf=2', 'wpa_state=COMPLETED']));
      expect(section(o, 'ping').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
    });

    it('the IGTK is installed: the AP\'s BIP-protected broadcast deauthentication is accepted', () => {
      const o = out('psk-sha256-pmf');
      expect(section(o, 'deauth-broadcast'), o).toEqual(['OK']);
      // Sent by the AP (no locally_generated=1): mac80211 verified its MMIE with our IGTK.
      expect(section(o, 'disconnected')[0], o).toMatch(new RegExp(`^CTRL-EVENT-DISCONNECTED bssid=${AP} reason=\\d+$`));
      expect(run.step('psk-sha256-pmf').status, o).toBe(0);
    });
  });

  describe('rekeys by the AP (wpa_group_rekey, wpa_ptk_rekey)', () => {
    it('a group rekey and a PTK rekey complete, the AP keeps the station, and traffic still flows', () => {
      const o = out('rekey');
      const lines = section(o, 'rekeys');
      expect(lines, o).toEqual(expect.arrayContaining([`WPA: Group rekeying completed with ${AP} [GTK=CCMP]`]));
      expect(lines.filter((l) => l === `WPA: Key negotiation completed with ${AP} [PTK=CCMP GTK=CCMP]`).length, o).toBeGreaterThanOrEqual(2);
      expect(section(o, 'ping-after-rekeys').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
      expect(section(o, 'ap-disconnects'), o).toEqual(['0']);
      expect(run.step('rekey').status, o).toBe(0);
    });
  });

  describe('open network (key_mgmt=NONE)', () => {
    it('connects without keys and a ping crosses the air', () => {
      const o = out('open');
      expect(section(o, 'connected')[0], o).toMatch(new RegExp(`^CTRL-EVENT-CONNECTED - Connection to ${AP} completed`));
      expect(section(o, 'status'), o).toEqual(expect.arrayContaining(['key_mgmt=NONE', 'wpa_state=COMPLETED']));
      expect(section(o, 'ping').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
      expect(run.step('open').status, o).toBe(0);
    });
  });

  describe('taking the PSK 4-way handshake back from a radio assumed to run it ([driver] assume_4way_offload = psk)', () => {
    for (const [name, check] of Object.entries(PSK_CHECKS)) it(name, () => check(out('takeback-psk'), run.step('takeback-psk').status));
  });

  describe('taking the FT-PSK 4-way handshake back: a reassociation with the handshake on the host, never EAPOL-Start', () => {
    for (const [name, check] of Object.entries(FT_CHECKS)) it(name, () => check(out('takeback-ft-psk'), run.step('takeback-ft-psk').status));
  });
});
