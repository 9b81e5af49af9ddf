/**
 * The radio test bed itself: one boot of Debian's kernel in QEMU with three
 * mac80211_hwsim radios shows that everything the nl80211 backend's tests will
 * stand on works: the radios, the real hostapd 2.10 as a WPA2-PSK AP on one,
 * the real wpa_supplicant 2.10 (-Dnl80211) on another, in its own network
 * namespace so that a ping must cross the simulated air, and node running the
 * built daemon inside the guest.
 *
 * Times (boot, connect) are printed, never asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { hostapdConf, PRELUDE } from './shell.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const RADIOS = 3;

// The shared prelude (shell.ts): wait_for, mark, logs, warm, stop_all.
const WPA2 = String.raw`${PRELUDE}
staphy=
# Leaves the guest as the step found it (later steps see all radios). No set -e
# here: a daemon already gone must not cut the cleanup short.
finish() {
    rc=$?
    set +e
    [ $rc = 0 ] || logs
    stop_all
    [ -z "$staphy" ] || ip netns exec sta iw phy "$staphy" set netns 1
    ip netns del sta 2>/dev/null
    ip addr flush dev wlan0
    exit $rc
}
mkdir -p /run/wpa_supplicant
trap finish EXIT
set -e
${hostapdConf('/tmp/radio/hostapd.conf', { iface: 'wlan0', ssid: 'radio-testbed', country: 'DE', passphrase: 'radio-testbed-passphrase' })}
cat > /tmp/radio/wpa_supplicant.conf <<EOF
ctrl_interface=/run/wpa_supplicant
network={
	ssid="radio-testbed"
	key_mgmt=WPA-PSK
	psk="radio-testbed-passphrase"
	pairwise=CCMP
	group=CCMP
	scan_freq=2412
}
EOF
warm /usr/sbin/hostapd /usr/sbin/wpa_supplicant
hostapd -v 2>&1 | head -1
wpa_supplicant -v | head -1
mark hostapd-start
hostapd -B -t -d -P /tmp/radio/hostapd.pid -f /tmp/radio/hostapd.log /tmp/radio/hostapd.conf
wait_for /tmp/radio/hostapd.log AP-ENABLED
mark ap-enabled
staphy=$(cat /sys/class/net/wlan1/phy80211/name)
ip netns add sta
iw phy "$staphy" set netns name sta
mark wpa_supplicant-start
ip netns exec sta wpa_supplicant -B -t -d -Dnl80211 -i wlan1 -c /tmp/radio/wpa_supplicant.conf \
    -P /tmp/radio/wpa_supplicant.pid -f /tmp/radio/wpa_supplicant.log
wait_for /tmp/radio/wpa_supplicant.log CTRL-EVENT-CONNECTED
mark connected
grep -o 'CTRL-EVENT-CONNECTED.*' /tmp/radio/wpa_supplicant.log
echo "station in netns: $(ip netns identify $(cat /tmp/radio/wpa_supplicant.pid))"
ip netns exec sta wpa_cli -p /run/wpa_supplicant -i wlan1 status | grep -E '^(ssid|key_mgmt|pairwise_cipher|group_cipher|wpa_state)='
grep -o 'AP-STA-CONNECTED.*' /tmp/radio/hostapd.log
grep -c 'EAPOL-Key timeout' /tmp/radio/hostapd.log | sed 's/^/EAPOL-Key messages sent with a retransmission timer: /'
dmesg | grep -E 'wlan1: (send auth|associate with)' | sed 's/^\[[ 0-9.]*\] //'
ip addr add 192.168.77.1/24 dev wlan0
ip netns exec sta ip addr add 192.168.77.2/24 dev wlan1
ip netns exec sta busybox ping -c 3 -W 5 192.168.77.1
ip netns exec sta iw dev wlan1 station dump | grep -E '^Station|(rx|tx) packets'
`;

const RADIOS_STEP = String.raw`
iw phy | grep -c '^Wiphy' | sed 's/^/wiphys: /'
iw dev | grep -o 'Interface wlan[0-9]*' | sort
ls /sys/class/ieee80211
dmesg | grep -E 'regulatory|hwsim' | sed 's/^\[[ 0-9.]*\] //'
`;

// node runs the built daemon inside the guest (what the nl80211 backend's tests
// will do). One node start only: under TCG each costs seconds. A generic netlink
// socket is not tried: node has no AF_NETLINK socket of its own and the npm
// netlink addon is not a dependency.
const NODE_STEP = String.raw`
node dist/src/daemon/main.js -v
# the wpa2-psk step has given its phy back (steps share one guest)
echo "radios here: $(ls /sys/class/ieee80211 | wc -l), network namespaces: $(ip netns list | wc -l)"
`;

/** Boot and connect times, on the host's clock and on the guest's (see vm-run: icount). */
function report(run: VmRun): void {
  const s = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(1)} s`);
  const wpa2 = run.steps.find((x) => x.name === 'wpa2-psk');
  const mark = (name: string): { hostS: number; guestS: number } | undefined => {
    const line = wpa2?.lines.find((l) => l.text.startsWith(`MARK ${name} `));
    return line && { hostS: line.atMs / 1000, guestS: Number(line.text.split(' ')[2]) };
  };
  const gap = (a: string, b: string): string => {
    const ta = mark(a);
    const tb = mark(b);
    return ta && tb ? `${s(tb.hostS - ta.hostS)} (guest ${s(tb.guestS - ta.guestS)})` : '-';
  };
  const first = run.steps[0];
  console.log(
    [
      'radio test bed: host wall time (guest clock)',
      `  boot to the first step: ${s(run.bootMs === undefined ? undefined : run.bootMs / 1000)} (guest ${s(first?.guestBeganS)})`,
      `  hostapd to AP-ENABLED: ${gap('hostapd-start', 'ap-enabled')}`,
      `  wpa_supplicant to CTRL-EVENT-CONNECTED: ${gap('wpa_supplicant-start', 'connected')}`,
      ...run.steps.map(
        (x) =>
          `  step ${x.name}: ${s(x.endedMs === undefined ? undefined : (x.endedMs - x.beganMs) / 1000)}` +
          ` (guest ${s(x.guestEndedS === undefined ? undefined : x.guestEndedS - x.guestBeganS)})`,
      ),
      `  whole run: ${s(run.wallMs / 1000)}`,
    ].join('\n'),
  );
}

describe.skipIf(!requireRadioVm())('radio test bed (Debian kernel, mac80211_hwsim, QEMU)', () => {
  const cleanup = new Cleanup();
  let run: VmRun;

  beforeAll(async () => {
    run = await runInVm(
      [
        { name: 'radios', script: RADIOS_STEP },
        { name: 'wpa2-psk', script: WPA2 },
        { name: 'node', script: NODE_STEP },
      ],
      { radios: RADIOS, timeoutS: 900 },
      cleanup,
    );
    report(run);
  }, 960_000);
  afterAll(() => cleanup.run());

  it('the VM boots, runs every step and powers off', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.status).toBe(0);
    expect(run.steps.map((s) => s.name)).toEqual(['radios', 'wpa2-psk', 'node']);
  });

  it(`mac80211_hwsim gives ${RADIOS} radios, with the regulatory database loaded`, () => {
    const r = run.step('radios');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`wiphys: ${RADIOS}`);
    for (let i = 0; i < RADIOS; i++) expect(r.output).toContain(`Interface wlan${i}`);
    expect(r.output).toContain('loading firmware regulatory.db');
    expect(r.output).not.toMatch(/failed to load regulatory\.db/);
  });

  it('hostapd 2.10 (WPA2-PSK CCMP) and wpa_supplicant 2.10 -Dnl80211 in its own netns connect; ping crosses the air', () => {
    const r = run.step('wpa2-psk');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/^hostapd v2\.10$/m);
    expect(r.output).toMatch(/^wpa_supplicant v2\.10$/m);
    expect(r.output).toMatch(/^CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed/m);
    expect(r.output).toMatch(/^station in netns: sta$/m);
    expect(r.output).toMatch(/^key_mgmt=WPA2-PSK$/m);
    expect(r.output).toMatch(/^pairwise_cipher=CCMP$/m);
    expect(r.output).toMatch(/^wpa_state=COMPLETED$/m);
    expect(r.output).toMatch(/^AP-STA-CONNECTED 02:00:00:00:01:00$/m);
    expect(r.output).toMatch(/3 packets transmitted, 3 packets received/);
  });

  it('node runs the built daemon inside the guest, where the previous step left no trace', () => {
    const r = run.step('node');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`radios here: ${RADIOS}, network namespaces: 0`);
    expect(r.output).toMatch(/^wpa-offloadd v\S+ \(wpa_supplicant 2\.10 control interface\)$/m);
  });
});
