/**
 * EAPOL over a packet socket on the kernel radio: mac80211_hwsim has the
 * control port over nl80211, so the packet path (the one FullMAC radios such
 * as brcmfmac need) is forced with the settings' `[driver] eapol = packet`.
 * One boot: hostapd 2.10 (WPA2-PSK CCMP) on wlan0, our daemon (no -D) on
 * wlan1 in its own network namespace, driven by the real wpa_cli. The 4-way
 * handshake's frames travel through libpcap on wlan1 (CONNECT asks for no
 * control port over nl80211, so mac80211 hands them to the netdev), the
 * connection completes, and a ping over the simulated air proves the keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const SSID = 'radio-nl80211-packet';

const PACKET = String.raw`
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
    exit $rc
}
section() { echo "=== $1"; }
mkdir -p /tmp/radio /run/hostapd /tmp/radio/ours
trap finish EXIT
set -e
printf '%s\n' interface=wlan0 driver=nl80211 ctrl_interface=/run/hostapd ssid=${SSID} country_code=DE hw_mode=g channel=1 \
    wpa=2 wpa_key_mgmt=WPA-PSK rsn_pairwise=CCMP wpa_passphrase=radio-nl80211-passphrase > /tmp/radio/hostapd.conf
daemons="/usr/sbin/hostapd /usr/sbin/wpa_cli"
cat $daemons $(ldd $daemons | awk '$3 ~ /^\// { print $3 }' | sort -u) > /dev/null
hostapd -B -t -d -P /tmp/radio/hostapd.pid -f /tmp/radio/hostapd.log /tmp/radio/hostapd.conf
wait_for /tmp/radio/hostapd.log AP-ENABLED 60
ip addr add 192.168.77.1/24 dev wlan0

staphy=$(cat /sys/class/net/wlan1/phy80211/name)
ip netns add sta
iw phy "$staphy" set netns name sta
ip netns exec sta ip link set lo up
printf 'ctrl_interface=/tmp/radio/ours\nnetwork={\n\tssid="%s"\n\tscan_freq=2412\n\tkey_mgmt=WPA-PSK\n\tpsk="radio-nl80211-passphrase"\n}\n' "${SSID}" > /tmp/radio/ours.conf
printf '[driver]\neapol = packet\n' > /tmp/radio/ours.ini
# The plain bundle, not the launcher (see nl80211-scan.test.ts).
ip netns exec sta node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs -B -d -i wlan1 -c /tmp/radio/ours.conf --settings /tmp/radio/ours.ini -P /tmp/radio/ours.pid -f /tmp/radio/ours.log
wait_for /tmp/radio/ours.log 'driver nl80211 up' 300
ours() { ip netns exec sta wpa_cli -p /tmp/radio/ours -i wlan1 "$@"; }
section transport; grep -o 'nl80211: EAPOL of wlan1 over .*' /tmp/radio/ours.log
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
section connected; grep -o 'CTRL-EVENT-CONNECTED - Connection to [0-9a-f:]* completed' /tmp/radio/ours.log
section ap-sta; grep -o 'AP-STA-CONNECTED.*' /tmp/radio/hostapd.log
section status; ours status | grep -E '^(wpa_state|key_mgmt|pairwise_cipher)='
section ping
ip netns exec sta ip addr replace 192.168.77.2/24 dev wlan1
ip netns exec sta busybox ping -c 3 -W 5 192.168.77.1
section end
`;

function section(out: string, name: string): string[] {
  const lines = out.split('\n');
  const start = lines.indexOf(`=== ${name}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('=== '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

describe.skipIf(!requireRadioVm())('nl80211 on the kernel radio: EAPOL over a packet socket ([driver] eapol = packet), WPA2-PSK with hostapd 2.10', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  let out = '';

  beforeAll(async () => {
    run = await runInVm([{ name: 'packet', script: PACKET }], { radios: 2, timeoutS: 1200 }, cleanup);
    out = run.step('packet').output;
  }, 1_260_000);
  afterAll(() => cleanup.run());

  it('the step runs to its end', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.step('packet').status, out).toBe(0);
    expect(out).toContain('=== end');
  });

  it('the packet socket carries EAPOL, as the setting asks', () => {
    expect(section(out, 'transport'), out).toEqual(['nl80211: EAPOL of wlan1 over a packet socket ([driver] eapol = packet)']);
  });

  it('the 4-way handshake completes: CONNECTED, and hostapd sees the station', () => {
    expect(section(out, 'connected'), out).toEqual(['CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed']);
    expect(section(out, 'ap-sta'), out).toEqual(['AP-STA-CONNECTED 02:00:00:00:01:00']);
    expect(section(out, 'status'), out).toEqual(['pairwise_cipher=CCMP', 'key_mgmt=WPA2-PSK', 'wpa_state=COMPLETED']);
  });

  it('a ping over the simulated air proves the keys', () => {
    expect(section(out, 'ping').join('\n'), out).toMatch(/3 packets transmitted, 3 packets received/);
  });
});
