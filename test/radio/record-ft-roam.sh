#!/bin/bash
# Records wpa_supplicant 2.10's FT-PSK roam over the air between two hostapd 2.10
# APs of one mobility domain, inside the radio VM (3 hwsim radios), for
# test/fixtures/vectors/ft-psk-roam-2.10.json (the README there says which log
# line each value is):
#   test/radio/vm-run --radios 3 -- test/radio/record-ft-roam.sh [pmf] > out.txt
# wlan0 and wlan1: hostapd (FT-PSK, mobility_domain=a1b2, ft_psk_generate_local=1,
# ft_over_ds=0); wlan2: wpa_supplicant -Dnl80211 -dd, which connects to wlan0,
# scans, and roams to wlan1 with wpa_cli's roam. Prints the monitor's events,
# status, and the FT lines of both logs (keys are not logged: no -K).
set -u
PMF_LINE=""
[ "${1:-}" = pmf ] && PMF_LINE="ieee80211w=1"
mkdir -p /tmp/radio /run/hostapd
wait_for() {
    local fd tailpid rc=0 to=60 from=1
    [ $# -lt 3 ] || to=$3
    exec {fd}< <(exec tail -n "+$from" -f "$1" 2>/dev/null)
    tailpid=$!
    timeout "$to" grep -q -m1 -- "$2" <&$fd || rc=$?
    kill $tailpid
    exec {fd}<&-
    [ $rc = 0 ] || echo "TIMEOUT waiting for $2 in $1"
    return $rc
}
for i in 0 1; do
cat > /tmp/radio/ap$i.conf <<CONF
interface=wlan$i
driver=nl80211
ctrl_interface=/run/hostapd
ssid=ft-net
hw_mode=g
channel=$((1 + 5*i))
wpa=2
wpa_key_mgmt=FT-PSK
rsn_pairwise=CCMP
wpa_passphrase=ft passphrase
mobility_domain=a1b2
nas_identifier=ap$i.example.com
ft_psk_generate_local=1
ft_over_ds=0
reassociation_deadline=1000
$PMF_LINE
CONF
hostapd -B -P /tmp/radio/ap$i.pid -f /tmp/radio/ap$i.log -dd /tmp/radio/ap$i.conf
done
cat > /tmp/radio/wpas.conf <<CONF
ctrl_interface=/tmp/radio/wpas
network={
	ssid="ft-net"
	psk="ft passphrase"
	key_mgmt=FT-PSK
	$PMF_LINE
	bssid=02:00:00:00:00:00
}
CONF
sleep 2
wpa_supplicant -B -P /tmp/radio/wpas.pid -Dnl80211 -i wlan2 -c /tmp/radio/wpas.conf -f /tmp/radio/wpas.log -dd
sleep 1
(sleep 300 | wpa_cli -p /tmp/radio/wpas -i wlan2 > /tmp/radio/mon.log 2>&1) &
wait_for /tmp/radio/mon.log "CTRL-EVENT-CONNECTED" 60
wpa_cli -p /tmp/radio/wpas -i wlan2 bssid 0 any
wpa_cli -p /tmp/radio/wpas -i wlan2 scan
wait_for /tmp/radio/mon.log "CTRL-EVENT-SCAN-RESULTS" 30
sleep 1
echo "=== before-roam"
cat /tmp/radio/mon.log
wpa_cli -p /tmp/radio/wpas -i wlan2 get_capability key_mgmt
echo "=== roam"
wpa_cli -p /tmp/radio/wpas -i wlan2 roam 02:00:00:00:01:00
wait_for /tmp/radio/mon.log "CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00" 60
sleep 1
echo "=== mon"
cat /tmp/radio/mon.log
echo "=== status"
wpa_cli -p /tmp/radio/wpas -i wlan2 status
echo "=== wpas-log"
grep -E "FT|SME|Associated|EAPOL|WPA:|Timeout Interval|Reassoc|KeyLifetime" /tmp/radio/wpas.log | tail -80
echo "=== ap1-log"
grep -E "FT|TIE|Reassoc|reassoc" /tmp/radio/ap1.log | tail -30
for f in /tmp/radio/*.pid; do kill $(cat $f) 2>/dev/null; done
