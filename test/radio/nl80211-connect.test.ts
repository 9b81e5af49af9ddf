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
 *  - an open network: connected, ping.
 * The pings prove the keys (and the port), not only the state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

// Shared by the steps. Waiting as the test bed does (testbed.test.ts): tail -f
// | grep, never a polling loop, which would take the guest's one CPU from the
// daemons. Node starts slowly under TCG: the timeouts are generous.
const PRELUDE = String.raw`
set -u
staphy=
wait_for() {
    local fd tailpid rc=0
    exec {fd}< <(exec tail -n +1 -f "$1" 2>/dev/null)
    tailpid=$!
    timeout "$3" grep -q -m1 -- "$2" <&$fd || rc=$?
    kill $tailpid
    exec {fd}<&-
    [ $rc = 0 ] || echo "TIMEOUT waiting for $2 in $1"
    return $rc
}
# wait_count FILE PATTERN N SECONDS: until N lines match. Not grep > /dev/null:
# GNU grep then acts as -q and -m N no longer ends it.
wait_count() {
    local fd tailpid rc=0
    exec {fd}< <(exec tail -n +1 -f "$1" 2>/dev/null)
    tailpid=$!
    timeout "$4" grep -m"$3" -- "$2" <&$fd | cat > /dev/null; rc=$PIPESTATUS
    kill $tailpid
    exec {fd}<&-
    [ $rc = 0 ] || echo "TIMEOUT waiting for $3 x $2 in $1"
    return $rc
}
logs() { for f in /tmp/radio/*.log; do echo "--- $f"; tail -n 80 "$f"; done; }
finish() {
    rc=$?
    set +e
    [ $rc = 0 ] || logs
    for f in /tmp/radio/*.pid; do
        pid=$(cat "$f") && kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        rm -f "$f"
    done 2>/dev/null
    [ -z "$staphy" ] || ip netns exec sta iw phy "$staphy" set netns 1
    ip netns del sta 2>/dev/null
    ip addr flush dev wlan0
    rm -rf /tmp/radio
    exit $rc
}
section() { echo "=== $1"; }
mkdir -p /tmp/radio /run/hostapd /tmp/radio/ours
trap finish EXIT
set -e
daemons="/usr/sbin/hostapd /usr/sbin/hostapd_cli /usr/sbin/wpa_cli"
cat $daemons $(ldd $daemons | awk '$3 ~ /^\// { print $3 }' | sort -u) > /dev/null
# start_ap: hostapd on wlan0 with the common lines and "$1" (the security).
start_ap() {
    printf 'interface=wlan0\ndriver=nl80211\nctrl_interface=/run/hostapd\nssid=%s\ncountry_code=DE\nhw_mode=g\nchannel=1\n%s\n' "$SSID" "$1" > /tmp/radio/hostapd.conf
    hostapd -B -t -d -P /tmp/radio/hostapd.pid -f /tmp/radio/hostapd.log /tmp/radio/hostapd.conf
    wait_for /tmp/radio/hostapd.log AP-ENABLED 60
    ip addr add 192.168.77.1/24 dev wlan0
}
# start_ours: the station's phy into its own namespace, our daemon there with network "$1".
start_ours() {
    staphy=$(cat /sys/class/net/wlan1/phy80211/name)
    ip netns add sta
    iw phy "$staphy" set netns name sta
    ip netns exec sta ip link set lo up
    printf 'ctrl_interface=/tmp/radio/ours\nnetwork={\n\tssid="%s"\n\tscan_freq=2412\n%s\n}\n' "$SSID" "$1" > /tmp/radio/ours.conf
    # The plain bundle, not the launcher (see nl80211-scan.test.ts).
    ip netns exec sta node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs -B -d -i wlan1 -D nl80211 -c /tmp/radio/ours.conf -P /tmp/radio/ours.pid -f /tmp/radio/ours.log
    wait_for /tmp/radio/ours.log 'driver nl80211 up' 300
}
ours() { ip netns exec sta wpa_cli -p /tmp/radio/ours -i wlan1 "$@"; }
ping_ap() {
    ip netns exec sta ip addr replace 192.168.77.2/24 dev wlan1
    ip netns exec sta busybox ping -c 3 -W 5 192.168.77.1
}
`;

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

/** The lines of one `=== name` section of a step's output. */
function section(out: string, name: string): string[] {
  const lines = out.split('\n');
  const start = lines.indexOf(`=== ${name}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('=== '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

const AP = '02:00:00:00:00:00';
const STA = '02:00:00:00:01:00';

describe.skipIf(!requireRadioVm())('-D nl80211 on the kernel radio: connect, keys, traffic (hostapd 2.10 as AP, the real wpa_cli)', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  const out = (step: string): string => run.step(step).output;

  beforeAll(async () => {
    run = await runInVm(
      [
        { name: 'wpa2-psk', script: PRELUDE + WPA2 },
        { name: 'psk-sha256-pmf', script: PRELUDE + PMF },
        { name: 'open', script: PRELUDE + OPEN },
      ],
      { radios: 2, timeoutS: 1500 },
      cleanup,
    );
  }, 1_560_000);
  afterAll(() => cleanup.run());

  it('the VM runs every step', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.steps.map((s) => s.name)).toEqual(['wpa2-psk', 'psk-sha256-pmf', 'open']);
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

  describe('open network (key_mgmt=NONE)', () => {
    it('connects without keys and a ping crosses the air', () => {
      const o = out('open');
      expect(section(o, 'connected')[0], o).toMatch(new RegExp(`^CTRL-EVENT-CONNECTED - Connection to ${AP} completed`));
      expect(section(o, 'status'), o).toEqual(expect.arrayContaining(['key_mgmt=NONE', 'wpa_state=COMPLETED']));
      expect(section(o, 'ping').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
      expect(run.step('open').status, o).toBe(0);
    });
  });
});
