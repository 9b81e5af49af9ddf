/**
 * nl80211 on the kernel radio: the netdev set down and up by someone else,
 * removed and re-added, and its radio removed and created again
 * (mac80211_hwsim's DEL_RADIO / NEW_RADIO: hwsim.ts), as route-netlink and
 * nl80211 report them. One boot: hostapd 2.10 (WPA2-PSK) on wlan0, then our
 * daemon (no -D: wlan1 is a wireless netdev), connected to hostapd, goes
 * through the steps, then wpa_supplicant 2.10 -Dnl80211, connected the same
 * way, goes through the same steps as the reference. At each step both must
 * show the same wpa_state (INTERFACE_DISABLED while the netdev is down or
 * gone, COMPLETED again once it returns) and the same connection events
 * (CTRL-EVENT-DISCONNECTED reason=3 locally_generated=1, then CONNECTED);
 * ours must take the new radio's address, and a SCAN finds hostapd.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { hostapdConf, PRELUDE, section } from './shell.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const SSID = 'radio-nl80211-links';
const AP = '02:00:00:00:00:00';

// Waits as the other radio tests do: tail -F | grep for log lines; wpa_state
// by asking every half second (a few dozen wpa_cli runs in all).
const LINKS = String.raw`${PRELUDE}
finish() {
    rc=$?
    set +e
    [ $rc = 0 ] || logs 80
    stop_all
    exit $rc
}
mkdir -p /tmp/radio/ours /tmp/radio/ref
trap finish EXIT
set -e
${hostapdConf('/tmp/radio/hostapd.conf', { iface: 'wlan0', ssid: SSID, country: 'DE', passphrase: 'radio-nl80211-passphrase' })}
warm /usr/sbin/hostapd /usr/sbin/wpa_supplicant /usr/sbin/wpa_cli /usr/sbin/iw
hostapd -B -t -d -P /tmp/radio/hostapd.pid -f /tmp/radio/hostapd.log /tmp/radio/hostapd.conf
wait_for /tmp/radio/hostapd.log AP-ENABLED 60

ours() { wpa_cli -p /tmp/radio/ours -i wlan1 "$@"; }
ref() { wpa_cli -p /tmp/radio/ref -i wlan1 "$@"; }
state() { "$1" status 2>/dev/null | sed -n 's/^wpa_state=//p'; }
# wait_state WHO REGEX SECONDS
wait_state() {
    local i=0
    until state "$1" | grep -qxE "$2"; do
        i=$((i + 1))
        if [ $i -gt $(($3 * 2)) ]; then echo "TIMEOUT waiting for wpa_state $2 of $1 (now $(state "$1"))"; return 1; fi
        sleep 0.5
    done
}
checkpoint() { section "$1-$2"; state "$1"; }
# Ours, connected again: a SCAN finds hostapd.
scan_cycle() {
    local n
    n=$(wc -l < /tmp/radio/ours.log)
    section "ours-$1-scan"; ours scan
    wait_for /tmp/radio/ours.log CTRL-EVENT-SCAN-RESULTS 120 $((n + 1))
    section "ours-$1-results"; ours scan_results | cut -f1,5 | grep "^${AP}" || true
}
phy() { cat /sys/class/net/wlan1/phy80211/name; }
# steps WHO STATE-WHEN-BACK
steps() {
    local who=$1 back=$2 p
    ip link set wlan1 down
    wait_state "$who" INTERFACE_DISABLED 60; checkpoint "$who" down
    section "$who-down-scan"; "$who" scan
    ip link set wlan1 up
    wait_state "$who" "$back" 180; checkpoint "$who" up
    p=$(phy)
    iw dev wlan1 del
    wait_state "$who" INTERFACE_DISABLED 60; checkpoint "$who" del
    iw phy "$p" interface add wlan1 type managed
    wait_state "$who" "$back" 180; checkpoint "$who" readd
    node dist/test/radio/hwsim.js del "$(phy)"
    wait_state "$who" INTERFACE_DISABLED 60; checkpoint "$who" phydel
    node dist/test/radio/hwsim.js new
    wait_state "$who" "$back" 180; checkpoint "$who" phynew
    section "$who-phynew-address"; "$who" status | sed -n 's/^address=//p'
    [ "$who" = ref ] || scan_cycle phynew
}

network() { printf 'ctrl_interface=/tmp/radio/%s\nnetwork={\n ssid="%s"\n psk="radio-nl80211-passphrase"\n}\n' "$1" "${SSID}" > "/tmp/radio/$1.conf"; }
events() { grep -oE 'CTRL-EVENT-(DISCONNECTED|CONNECTED) [^[]*' "/tmp/radio/$1.log" | sed 's/ - Connection to .*//'; }
network ours
node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs -B -d -i wlan1 -c /tmp/radio/ours.conf -P /tmp/radio/ours.pid -f /tmp/radio/ours.log
wait_for /tmp/radio/ours.log 'driver nl80211 up' 300
section ours-start-address; ours status | sed -n 's/^address=//p'
wait_state ours COMPLETED 180
steps ours COMPLETED
section ours-events; events ours
pid=$(cat /tmp/radio/ours.pid); kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
section ours-log
grep -oE 'nl80211: wlan1 (is down|is up|was removed)|phy#[0-9]+ of wlan1 went away|driver nl80211 up, own address .*' /tmp/radio/ours.log

network ref
wpa_supplicant -B -t -d -Dnl80211 -i wlan1 -c /tmp/radio/ref.conf -P /tmp/radio/ref.pid -f /tmp/radio/ref.log
wait_state ref COMPLETED 180
steps ref COMPLETED
section ref-events; events ref
section end
`;

const STEPS = ['down', 'up', 'del', 'readd', 'phydel', 'phynew'];

describe.skipIf(!requireRadioVm())('nl80211 on the kernel radio: the netdev down/up, removed/re-added, the radio removed/back (wpa_supplicant 2.10 as the reference)', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  let out = '';

  beforeAll(async () => {
    run = await runInVm([{ name: 'links', script: LINKS }], { radios: 2, timeoutS: 1500 }, cleanup);
    out = run.step('links').output;
  }, 1_560_000);
  afterAll(() => cleanup.run());

  it('the step runs to its end', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.step('links').status, out).toBe(0);
    expect(out).toContain('=== end');
  });

  it('wpa_state at each step: INTERFACE_DISABLED while the netdev is down or gone, back when it returns; as 2.10', () => {
    const states = (who: string) => STEPS.map((s) => section(out, `${who}-${s}`)[0]);
    const kind = (s: string | undefined) => (s === 'INTERFACE_DISABLED' ? 'disabled' : s === undefined ? 'missing' : 'back');
    const expected = ['disabled', 'back', 'disabled', 'back', 'disabled', 'back'];
    expect(states('ref').map(kind), out).toEqual(expected);
    // 2.10 reconnects each time the interface returns; so does ours.
    expect(states('ref').filter((s) => s !== 'INTERFACE_DISABLED'), out).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(states('ours'), out).toEqual(states('ref'));
  });

  it('SCAN while the netdev is down answers as 2.10 does', () => {
    expect(section(out, 'ours-down-scan'), out).toEqual(section(out, 'ref-down-scan'));
    expect(section(out, 'ours-down-scan'), out).toEqual(['FAIL']);
  });

  it('on the new radio, SCAN finds hostapd', () => {
    for (const s of ['phynew']) {
      expect(section(out, `ours-${s}-scan`), `${s}: ${out}`).toEqual(['OK']);
      expect(section(out, `ours-${s}-results`), `${s}: ${out}`).toEqual([`${AP}\t${SSID}`]);
    }
  });

  it("the new radio's netdev is taken with its own address; the log says what happened", () => {
    expect(section(out, 'ours-start-address'), out).toEqual(['02:00:00:00:01:00']);
    expect(section(out, 'ours-phynew-address'), out).toEqual(['02:00:00:00:02:00']);
    // The kernel sets a netdev down before it removes it (2.10 logs "Interface down" first too).
    const log = section(out, 'ours-log');
    expect(log.slice(0, 7), out).toEqual([
      'driver nl80211 up, own address 02:00:00:00:01:00',
      'nl80211: wlan1 is down',
      'nl80211: wlan1 is up',
      'driver nl80211 up, own address 02:00:00:00:01:00',
      'nl80211: wlan1 is down',
      'nl80211: wlan1 was removed',
      'driver nl80211 up, own address 02:00:00:00:01:00',
    ]);
    // The radio's removal: nl80211's DEL_WIPHY and route-netlink's link-down race
    // (seen both ways on the radio); whichever comes first says what happened,
    // and a link-down after the radio is gone has nothing left to report.
    expect(log.slice(7, -1), out).toSatisfy((lines: string[]) =>
      JSON.stringify(lines) === JSON.stringify(['phy#1 of wlan1 went away']) ||
      (lines.length === 2 && lines[0] === 'nl80211: wlan1 is down' && /^(nl80211: wlan1 was removed|phy#1 of wlan1 went away)$/.test(lines[1])));
    expect(log.at(-1), out).toBe('driver nl80211 up, own address 02:00:00:00:02:00');
  });

  it('the lost connection each time (CTRL-EVENT-DISCONNECTED reason=3 locally_generated=1), then CONNECTED again: the same events as 2.10', () => {
    const ev = section(out, 'ref-events');
    expect(ev, out).toEqual([
      'CTRL-EVENT-CONNECTED',
      ...Array(3).fill([`CTRL-EVENT-DISCONNECTED bssid=${AP} reason=3 locally_generated=1`, 'CTRL-EVENT-CONNECTED']).flat(),
    ]);
    expect(section(out, 'ours-events'), out).toEqual(ev);
  });
});
