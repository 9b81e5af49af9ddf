/**
 * The shell side of the -D nl80211 radio tests (nl80211-connect.test.ts,
 * nl80211-sae.test.ts): the guest's helpers (waiting on logs, hostapd 2.10 on
 * wlan0, our daemon on wlan1 in its own network namespace, wpa_cli, a ping
 * over the air); a step's `=== name` sections are read with shell.ts's section().
 */
import { PRELUDE as COMMON_PRELUDE } from './shell.js';

// The common prelude (shell.ts: wait_for, logs, section, warm, stop_all), then
// what the -D nl80211 steps add: our daemon's phy in its own namespace, and a
// finish that gives the phy back and removes what the step made.
export const PRELUDE = COMMON_PRELUDE + String.raw`
staphy=
finish() {
    rc=$?
    set +e
    [ $rc = 0 ] || logs 80
    stop_all
    [ -z "$staphy" ] || ip netns exec sta iw phy "$staphy" set netns 1
    ip netns del sta 2>/dev/null
    ip addr flush dev wlan0
    rm -rf /tmp/radio
    exit $rc
}
mkdir -p /tmp/radio/ours
trap finish EXIT
set -e
warm /usr/sbin/hostapd /usr/sbin/hostapd_cli /usr/sbin/wpa_cli
# start_ap: hostapd on wlan0 with the common lines and "$1" (the security).
start_ap() {
    printf 'interface=wlan0\ndriver=nl80211\nctrl_interface=/run/hostapd\nssid=%s\ncountry_code=DE\nhw_mode=g\nchannel=1\n%s\n' "$SSID" "$1" > /tmp/radio/hostapd.conf
    hostapd -B -t -d -P /tmp/radio/hostapd.pid -f /tmp/radio/hostapd.log /tmp/radio/hostapd.conf
    wait_for /tmp/radio/hostapd.log AP-ENABLED 60
    ip addr add 192.168.77.1/24 dev wlan0
}
# start_ours NETWORK [GLOBALS [ARGS]]: the station's phy into its own
# namespace, our daemon there with the network block lines NETWORK, the global
# lines GLOBALS and the command-line arguments ARGS (default: -D nl80211).
start_ours() {
    staphy=$(cat /sys/class/net/wlan1/phy80211/name)
    ip netns add sta
    iw phy "$staphy" set netns name sta
    ip netns exec sta ip link set lo up
    local globals= args='-D nl80211'
    [ $# -lt 2 ] || globals=$2
    [ $# -lt 3 ] || args=$3
    printf 'ctrl_interface=/tmp/radio/ours\n%s\nnetwork={\n\tssid="%s"\n\tscan_freq=2412\n%s\n}\n' "$globals" "$SSID" "$1" > /tmp/radio/ours.conf
    # The plain bundle: the launcher would run it in the guest anyway (its CPU is not the build's).
    ip netns exec sta node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs -B -d -i wlan1 $args -c /tmp/radio/ours.conf -P /tmp/radio/ours.pid -f /tmp/radio/ours.log
    wait_for /tmp/radio/ours.log 'driver nl80211 up' 300
}
ours() { ip netns exec sta wpa_cli -p /tmp/radio/ours -i wlan1 "$@"; }
ping_ap() {
    ip netns exec sta ip addr replace 192.168.77.2/24 dev wlan1
    ip netns exec sta busybox ping -c 3 -W 5 192.168.77.1
}
`;

export const AP = '02:00:00:00:00:00';
export const STA = '02:00:00:00:01:00';

