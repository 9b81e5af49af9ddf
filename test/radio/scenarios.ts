/**
 * The side-by-side scenarios on the kernel radio: a station daemon (the real
 * wpa_supplicant 2.10 -Dnl80211, or ours -D nl80211) on the last
 * mac80211_hwsim radio, in its own network namespace, the real hostapd 2.10
 * as AP(s) on the others, driven by the real wpa_cli. A second wpa_cli in
 * interactive mode is the monitor: it prints every event the daemon sends.
 *
 * Each scenario yields a transcript: `> command`, its reply, then the events
 * that arrived before the next action, and `# note` lines for what happened
 * outside the daemon (an AP killed, a ping over the air). Events are put into
 * the transcript only when the next action begins, after the scenario waited
 * for the event it expects (an anchor): so an event that races a command's
 * reply still lands after that reply, in both daemons' transcripts. No event
 * is dropped: one that arrives after a scenario's end opens the next one's.
 *
 * One daemon start covers every scenario (node starts in seconds under TCG);
 * the daemon is left disconnected (`disconnect`) between scenarios, which
 * begin with `bss_flush 0`.
 */
import type { VmStep } from './vm.js';
import { hostapdConf, PRELUDE, section } from './shell.js';

/** The station's interface: the last radio; the APs are on wlan0..wlan2. */
export const RADIOS = 4;
export const STA_IF = `wlan${RADIOS - 1}`;
const PASS = 'radio-scenario-passphrase';

export interface StationDaemon {
  /** names its files in the guest: /tmp/radio/NAME.log, .pid, -ctrl/ */
  name: string;
  /** shell command starting it in the background (-B); $IF, $CONF, $D (/tmp/radio/NAME) are set */
  start: string;
  /** shell command that returns once its control socket answers */
  ready: string;
}

export const WPA_SUPPLICANT: StationDaemon = {
  name: 'ref',
  // -B returns once the interface is added and the control socket is open
  start: 'wpa_supplicant -B -t -d -Dnl80211 -i "$IF" -c "$CONF" -P "$D.pid" -f "$D.log"',
  ready: 'true',
};

export const WPA_OFFLOADD: StationDaemon = {
  name: 'ours',
  // The plain bundle, not the launcher: V8 refuses the start-up snapshot in the
  // guest (test/radio/README.md).
  start: 'node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs -B -d -D nl80211 -i "$IF" -c "$CONF" -P "$D.pid" -f "$D.log"',
  ready: 'wait_for "$D.log" "driver nl80211 up" 300',
};

/** The station's networks, the same for both daemons; ids are the order here. */
const NETWORKS = String.raw`
network={
	ssid="radio-psk"
	key_mgmt=WPA-PSK
	psk="${PASS}"
	scan_freq=2412 2437
	disabled=1
}
network={
	ssid="radio-pmf"
	key_mgmt=WPA-PSK-SHA256
	ieee80211w=2
	psk="${PASS}"
	scan_freq=2412
	disabled=1
}
network={
	ssid="radio-open"
	key_mgmt=NONE
	scan_freq=2412
	disabled=1
}
network={
	ssid="radio-psk"
	key_mgmt=WPA-PSK
	psk="not the radio passphrase"
	scan_freq=2412
	disabled=1
}
network={
	ssid="radio-sae"
	key_mgmt=SAE
	ieee80211w=2
	sae_password="${PASS}"
	scan_freq=2412 2437
	disabled=1
}
network={
	ssid="radio-ft"
	key_mgmt=FT-PSK
	psk="${PASS}"
	scan_freq=2412 2437
	disabled=1
}
network={
	ssid="radio-ft-sae"
	key_mgmt=FT-SAE
	ieee80211w=2
	sae_password="${PASS}"
	scan_freq=2412 2437
	disabled=1
}
`;

/** FT-PSK in one mobility domain, over the air only; each AP derives PMK-R1 from the PSK itself (no R0KH/R1KH exchange). */
const FT_AP = (ap: number): string[] => ['mobility_domain=a1b2', `nas_identifier=ap${ap}.example.com`, 'ft_psk_generate_local=1', 'ft_over_ds=0'];
const SAE_AP = ['wpa=2', 'wpa_key_mgmt=SAE', 'rsn_pairwise=CCMP', 'ieee80211w=2', `sae_password=${PASS}`];
/**
 * FT-SAE in one mobility domain, over the air only. The target has no PSK to
 * derive PMK-R1 from: it pulls it from the R0KH of the initial association
 * (wildcard r0kh/r1kh, one key). Both BSSes run in one hostapd process
 * (ap_global, ap_add), which delivers these RRB messages between its own
 * interfaces: the two radios share no wired network.
 */
const FT_SAE_KEY = '000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f';
const FT_SAE_AP = (ap: number): string[] => [
  'wpa=2', 'wpa_key_mgmt=FT-SAE', 'rsn_pairwise=CCMP', 'ieee80211w=2', `sae_password=${PASS}`,
  'mobility_domain=c3d4', `nas_identifier=ap${ap}.example.com`, 'ft_over_ds=0',
  `r0kh=ff:ff:ff:ff:ff:ff * ${FT_SAE_KEY}`, `r1kh=00:00:00:00:00:00 00:00:00:00:00:00 ${FT_SAE_KEY}`,
];

/** AP configurations by name: `ap N NAME` starts hostapd with one on wlanN. */
const AP_CONFS: Record<string, Parameters<typeof hostapdConf>[1]> = {
  psk: { iface: 'wlan0', ssid: 'radio-psk', passphrase: PASS },
  'psk-ch6': { iface: 'wlan1', ssid: 'radio-psk', channel: 6, passphrase: PASS },
  pmf: { iface: 'wlan0', ssid: 'radio-pmf', passphrase: PASS, keyMgmt: 'WPA-PSK-SHA256', extra: ['ieee80211w=2'] },
  open: { iface: 'wlan0', ssid: 'radio-open' },
  // Rekey periods long enough that the scenario (ping, disconnect) ends before the next one.
  'gtk-rekey': { iface: 'wlan0', ssid: 'radio-psk', passphrase: PASS, extra: ['wpa_group_rekey=5'] },
  'ptk-rekey': { iface: 'wlan0', ssid: 'radio-psk', passphrase: PASS, extra: ['wpa_ptk_rekey=5'] },
  // WPA3-Personal, two BSSes of one ESS: SAE runs in the station's own SME (AUTHENTICATE, ASSOCIATE).
  sae: { iface: 'wlan0', ssid: 'radio-sae', extra: SAE_AP },
  'sae-ch6': { iface: 'wlan1', ssid: 'radio-sae', channel: 6, extra: SAE_AP },
  // The same ESS with another password: it refuses the station's SAE confirm (status 1).
  'sae-ch6-other': { iface: 'wlan1', ssid: 'radio-sae', channel: 6, extra: [...SAE_AP.filter((l) => !l.startsWith('sae_password=')), 'sae_password=not-the-ess-password'] },
  // Two BSSes of one FT-PSK mobility domain: ROAM between them is FT over the air (the station's SME).
  ft: { iface: 'wlan0', ssid: 'radio-ft', passphrase: PASS, keyMgmt: 'FT-PSK', extra: FT_AP(0) },
  'ft-ch6': { iface: 'wlan1', ssid: 'radio-ft', channel: 6, passphrase: PASS, keyMgmt: 'FT-PSK', extra: FT_AP(1) },
  // Two BSSes of one FT-SAE mobility domain: SAE at the first, FT over the air to the second.
  'ft-sae': { iface: 'wlan0', ssid: 'radio-ft-sae', extra: FT_SAE_AP(0) },
  'ft-sae-ch6': { iface: 'wlan1', ssid: 'radio-ft-sae', channel: 6, extra: FT_SAE_AP(1) },
  scan0: { iface: 'wlan0', ssid: 'radio-scan-0', channel: 1, passphrase: PASS },
  scan1: { iface: 'wlan1', ssid: 'radio-scan-1', channel: 6 },
  scan2: { iface: 'wlan2', ssid: 'radio-scan-2', channel: 11, passphrase: PASS },
};

/**
 * The scenarios, as shell using stationScript's functions. Anchors on
 * the AP's side (hostapd's log) where the event is the AP's doing, so a daemon
 * that does not print an event does not stall the scenario.
 */
export const SCENARIOS: Record<string, string> = {
  'scan-3-aps': String.raw`
ap 0 scan0; ap 1 scan1; ap 2 scan2
cmd scan
wait_event CTRL-EVENT-SCAN-RESULTS 60
cmd scan_results
ap_stop 0; ap_stop 1; ap_stop 2
`,
  'wpa2-psk': String.raw`
ap 0 psk
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  'psk-sha256-pmf': String.raw`
ap 0 pmf
cmd select_network 1
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  open: String.raw`
ap 0 open
cmd select_network 2
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  'group-rekey': String.raw`
ap 0 gtk-rekey
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
ap_wait 0 'group key handshake completed' 30
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  'ptk-rekey': String.raw`
ap 0 ptk-rekey
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
ap_wait 0 'EAPOL-4WAY-HS-COMPLETED' 30
ap_wait 0 'EAPOL-4WAY-HS-COMPLETED' 30
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  roam: String.raw`
ap 0 psk
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
ping_ap 0
ap 1 psk-ch6
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS 60
cmd roam $(addr wlan1)
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 1
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0; ap_stop 1
`,
  // ROAM on an association of the station's own SME: SAE with the new BSS,
  // then back to the first, which the PMKSA from the first connection covers
  // (Open System authentication, the PMKID in the Reassociation Request).
  'sae-roam': String.raw`
ap 0 sae
cmd select_network 4
wait_event CTRL-EVENT-CONNECTED
ping_ap 0
ap 1 sae-ch6
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS 60
cmd roam $(addr wlan1)
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 1
cmd roam $(addr wlan0)
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 0
note "SAE commits at wlan0: $(ap_auth_frames 0 3), Open System authentications: $(ap_auth_frames 0 0)"
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0; ap_stop 1
`,
  // ROAM through the station's own SME to a BSS whose SAE fails (another
  // password): mac80211 has left the first BSS when the new authentication
  // started; as 2.10's wpas_connection_failed(), the target goes into the
  // BSSID ignore list and the station scans and connects to the first BSS
  // again (its cached PMKSA), without temporary disabling.
  'sae-roam-fail': String.raw`
ap 0 sae
cmd select_network 4
wait_event CTRL-EVENT-CONNECTED
ping_ap 0
ap 1 sae-ch6-other
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS 60
cmd roam $(addr wlan1)
wait_event CTRL-EVENT-CONNECTED 60
cmd status
ping_ap 0
note "SAE commits at wlan1: $(ap_auth_frames 1 3)"
cmd bssid_ignore
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
cmd bssid_ignore clear
ap_stop 0; ap_stop 1
`,
  // FT over the air (802.11r) on ROAM: FT Authentication and a Reassociation
  // with the FT elements, the keys from it; hostapd's log counts the FT
  // authentications and the 4-way handshakes at the target (none).
  'ft-psk-roam': String.raw`
ap 0 ft
cmd select_network 5
wait_event CTRL-EVENT-CONNECTED
ping_ap 0
ap 1 ft-ch6
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS 60
cmd roam $(addr wlan1)
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 1
note "FT authentications at wlan1: $(ap_auth_frames 1 2), 4-way handshakes at wlan1: $(grep -c 'EAPOL-4WAY-HS-COMPLETED' /tmp/radio/hostapd-wlan1.log || true)"
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0; ap_stop 1
`,
  // FT-SAE: SAE with the first AP, the FT 4-way handshake; then ROAM by FT
  // over the air with the PMK-R1 the target pulled from the first AP (no SAE
  // with the target). One hostapd runs both BSSes and logs both (wlan0's log).
  // FT Authentication is counted by hostapd's replies with status 0 (only
  // wlan1 does FT), not by requests: mac80211 sends the request again while
  // the target is still pulling PMK-R1 (measured: two requests, with either
  // daemon).
  'ft-sae-roam': String.raw`
ap_global 0 ft-sae
cmd select_network 6
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 0
ap_add 1 ft-sae-ch6
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS 60
cmd scan_results
cmd roam $(addr wlan1)
wait_event CTRL-EVENT-CONNECTED
cmd status
ping_ap 1
note "SAE commits: $(ap_auth_frames 0 3), FT authentications accepted: $(grep -c 'authentication reply: STA=[0-9a-f:]* auth_alg=2 auth_transaction=2 resp=0 ' /tmp/radio/hostapd-wlan0.log || true), 4-way handshakes at wlan1: $(grep -c 'wlan1: EAPOL-4WAY-HS-COMPLETED' /tmp/radio/hostapd-wlan0.log || true)"
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  deauth: String.raw`
ap 0 psk
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
note "hostapd deauthenticates the station"
hostapd_cli -p /run/hostapd -i wlan0 deauthenticate $(addr $IF) > /dev/null
wait_event CTRL-EVENT-DISCONNECTED
wait_event CTRL-EVENT-CONNECTED
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0
`,
  // Reason 7 (class 3 frame from a nonassociated station) is one an AP may
  // take back at once: 2.10 goes back to the same BSS without a scan, though
  // a second BSS of the ESS (started once connected to the first, so that
  // the first connection's choice is not a tie) has been seen. The loss,
  // counted as a failed connection, puts wlan0 into the BSSID ignore list
  // (twice: the other BSS was seen) until the reconnection completes.
  'deauth-recoverable': String.raw`
ap 0 psk
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
ap 1 psk-ch6
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS 60
note "hostapd deauthenticates the station, reason 7"
hostapd_cli -p /run/hostapd -i wlan0 deauthenticate $(addr $IF) reason=7 > /dev/null
wait_event CTRL-EVENT-DISCONNECTED
wait_event CTRL-EVENT-CONNECTED
cmd status
cmd bssid_ignore
ping_ap 0
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 1
ap_stop 0
`,
  // No reconnection attempts (sta_autoconnect 0) once the 4-way handshake
  // failed: they would race the scenario's end.
  'wrong-key': String.raw`
ap 0 psk
cmd sta_autoconnect 0
cmd select_network 3
wait_event CTRL-EVENT-SSID-TEMP-DISABLED 60
wait_event CTRL-EVENT-DISCONNECTED
cmd sta_autoconnect 1
cmd disable_network 3
ap_stop 0
`,
  'ap-gone': String.raw`
ap 0 psk
cmd sta_autoconnect 0
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
ping_ap 0
note "hostapd killed"
kill -9 $(cat /tmp/radio/hostapd-wlan0.pid); rm /tmp/radio/hostapd-wlan0.pid
wait_event CTRL-EVENT-DISCONNECTED 60
cmd sta_autoconnect 1
cmd disconnect
`,
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS);

/** The shell of the scenarios `names`, for stationScript. */
export function scenariosBody(names: string[] = SCENARIO_NAMES): string {
  return names
    .map((n) => {
      const body = SCENARIOS[n];
      if (body === undefined) throw new Error(`no scenario ${n}`);
      return `begin ${n}\ncmd bss_flush 0\n${body}\nend_scenario\n`;
    })
    .join('');
}

/**
 * One guest step's script: the APs' configurations written, `daemon` started
 * on the station radio in its netns with the monitor attached, then `body`
 * (shell using the functions defined here: ap, ap_stop, ap_wait, cmd, note,
 * wait_event, event_time, ping_ap, begin, end_scenario). Output: section
 * `addresses` (the radios' MAC addresses), then whatever `body` prints
 * (scenarios: a `transcript NAME` section and a MARK line each).
 */
export function stationScript(daemon: StationDaemon, body: string): string {
  const confs = Object.entries(AP_CONFS)
    .map(([name, o]) => hostapdConf(`/tmp/radio/ap-${name}.conf`, o))
    .join('');
  return String.raw`${PRELUDE}
IF=${STA_IF}
D=/tmp/radio/${daemon.name}
CONF=$D.conf
CTRL=$D-ctrl
MON=$D-monitor.txt
staphy=
finish() {
    rc=$?
    set +e
    [ $rc = 0 ] || logs 80
    stop_all
    [ -z "$staphy" ] || ip netns exec sta iw phy "$staphy" set netns 1
    ip netns del sta 2>/dev/null
    for i in 0 1 2; do ip addr flush dev wlan$i; done
    exit $rc
}
trap finish EXIT
set -e
addr() { cat /sys/class/net/$1/address 2>/dev/null || ip netns exec sta cat /sys/class/net/$1/address; }

# ap N CONF: hostapd on wlanN with /tmp/radio/ap-CONF.conf, until it beacons.
ap() {
    rm -f /tmp/radio/hostapd-wlan$1.log
    hostapd -B -t -d -P /tmp/radio/hostapd-wlan$1.pid -f /tmp/radio/hostapd-wlan$1.log /tmp/radio/ap-$2.conf
    wait_for /tmp/radio/hostapd-wlan$1.log AP-ENABLED 60
    aplines[$1]=$(wc -l < /tmp/radio/hostapd-wlan$1.log)
}
# ap_auth_frames N ALG: Authentication frames (transaction 1) of algorithm ALG
# (3: SAE, 2: FT, 0: Open System) that wlanN's hostapd received ("(from queue)": an
# SAE frame logged again when processed, not counted).
ap_auth_frames() { grep -c "authentication: STA=[0-9a-f:]* auth_alg=$2 auth_transaction=1 .*seq_ctrl=0x[0-9a-f]*$" /tmp/radio/hostapd-wlan$1.log || true; }
ap_stop() { stop_pidfile /tmp/radio/hostapd-wlan$1.pid; }
# ap_global N CONF: as ap, with hostapd's global control interface, so that
# ap_add can give the same process another BSS.
ap_global() {
    rm -f /tmp/radio/hostapd-wlan$1.log
    hostapd -B -t -d -g /run/hostapd/global -P /tmp/radio/hostapd-wlan$1.pid -f /tmp/radio/hostapd-wlan$1.log /tmp/radio/ap-$2.conf
    wait_for /tmp/radio/hostapd-wlan$1.log AP-ENABLED 60
    aplines[$1]=$(wc -l < /tmp/radio/hostapd-wlan$1.log)
}
# ap_add N CONF: wlanN with /tmp/radio/ap-CONF.conf added to ap_global 0's
# hostapd (ADD on its global control interface, then ENABLE: ADD only
# configures); it logs to wlan0's log.
ap_add() {
    hostapd_cli -p /run/hostapd -i global raw ADD wlan$1 config=/tmp/radio/ap-$2.conf > /dev/null
    hostapd_cli -p /run/hostapd -i wlan$1 enable > /dev/null
    wait_for /tmp/radio/hostapd-wlan0.log "wlan$1: AP-ENABLED" 60 $(( aplines[0] + 1 ))
}
# ap_wait N PATTERN TIMEOUT: PATTERN in wlanN's hostapd log after the lines the last
# ap_wait (or ap) saw; the first after connecting sees the connection's own lines.
ap_wait() {
    wait_for /tmp/radio/hostapd-wlan$1.log "$2" "$3" $(( aplines[$1] + 1 ))
    aplines[$1]=$(wc -l < /tmp/radio/hostapd-wlan$1.log)
}
declare -a aplines

# The transcript: T is the current scenario's file; seen counts the monitor's
# lines already in a transcript.
T=
seen=0
flush() {
    local n
    n=$(wc -l < "$MON")
    if [ "$n" -gt "$seen" ]; then
        sed -n "$((seen + 1)),$n p" "$MON" | grep -o '<[0-9]>.*' >> "$T" || true
        seen=$n
    fi
}
# cmd ARGS: wpa_cli ARGS; cmd_t0 is the guest clock as it starts.
cmd() {
    local r
    flush
    echo "> $*" >> "$T"
    cmd_t0=$EPOCHREALTIME
    r=$(wpa_cli -p "$CTRL" -i "$IF" "$@" 2>&1) || true
    printf '%s\n' "$r" >> "$T"
}
note() { flush; echo "# $*" >> "$T"; }
# wait_event PATTERN [TIMEOUT]: an event after the last action.
wait_event() { local to=60; [ $# -lt 2 ] || to=$2; wait_for "$MON" "$1" "$to" $((seen + 1)); }
# event_time PATTERN: the guest clock at which the monitor printed the first
# PATTERN after the last action.
event_time() { tail -n "+$((seen + 1))" "$MON" | grep -m1 -- "$1" | cut -d' ' -f1; }
ping_ap() {
    local got
    got=$(ip netns exec sta busybox ping -c 3 -A -W 5 192.168.7$1.1 2>&1 | grep -o '[0-9]* packets received') || true
    note "ping over the air to the AP on wlan$1: $got"
}
begin() { T=/tmp/radio/${daemon.name}-$1.txt; : > "$T"; scenario=$1; }
end_scenario() {
    flush
    section "transcript $scenario"
    cat "$T"
    mark "end-$scenario"
}

${confs}
cat > "$CONF" <<EOF
ctrl_interface=$CTRL
${NETWORKS}
EOF
warm /usr/sbin/hostapd /usr/sbin/hostapd_cli /usr/sbin/wpa_supplicant /usr/sbin/wpa_cli
section addresses
for i in $(seq 0 $((${RADIOS} - 1))); do echo "wlan$i $(addr wlan$i)"; done
for i in 0 1 2; do ip addr add 192.168.7$i.1/24 dev wlan$i; done
staphy=$(cat /sys/class/net/$IF/phy80211/name)
ip netns add sta
iw phy "$staphy" set netns name sta
for i in 0 1 2; do ip netns exec sta ip addr add 192.168.7$i.2/24 dev $IF; done
# The kernel keeps what an earlier step's APs advertised for 30 s (cfg80211's
# scan result expiry) and lists it in every scan dump: a flush scan (no AP up)
# starts each daemon with an empty table, whatever ran before. The interface
# is left down, as the daemons find it at boot.
ip netns exec sta ip link set $IF up
ip netns exec sta iw dev $IF scan flush freq 2412 > /dev/null
ip netns exec sta ip link set $IF down
mark start-${daemon.name}
ip netns exec sta ${daemon.start}
${daemon.ready}
mark ready-${daemon.name}
# The monitor: interactive wpa_cli (attached), its input held open by a FIFO;
# each line it prints gets the guest's clock in front (bash's EPOCHREALTIME:
# no process started per line), which event_time reads.
stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }
mkfifo $D-monitor.in
wpa_cli -p "$CTRL" -i "$IF" < $D-monitor.in > >(stamp > "$MON") 2>&1 &
echo $! > $D-monitor.pid
exec {monin}> $D-monitor.in
wait_for "$MON" 'Interactive mode' 30
seen=$(wc -l < "$MON")
${body}
section end
`;
}

export function scenarioStep(daemon: StationDaemon, names?: string[]): VmStep {
  return { name: daemon.name, script: stationScript(daemon, scenariosBody(names)) };
}

/** Each scenario's transcript from a step's output, raw. */
export function transcripts(out: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const t = /^=== transcript (\S+)$/.exec(line);
    if (t) m.set(t[1]!, section(out, `transcript ${t[1]}`).filter((l) => !l.startsWith('MARK ')));
  }
  return m;
}

/** The interfaces' addresses the step printed: MAC -> interface name. */
export function addresses(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of section(out, 'addresses')) {
    const [ifname, mac] = l.split(' ');
    if (ifname && mac) m.set(mac.toLowerCase(), ifname);
  }
  return m;
}

const MAC = /\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/gi;

/**
 * Normalises a transcript for comparison: only addresses (a radio's MAC
 * becomes its interface name, others `<mac>`, IPv6 link-local addresses
 * `<ipv6>`), times (`age=`) and measurements (signal levels, noise, the
 * SCAN_RESULTS signal column). Everything else must be equal.
 */
export function normalise(lines: string[], macs: Map<string, string>): string[] {
  return lines.map((raw) => {
    let l = raw.replace(MAC, (m) => `<${macs.get(m.toLowerCase()) ?? 'mac'}>`);
    // SCAN_RESULTS rows: bssid, frequency, signal, flags, ssid
    l = l.replace(/^(<[^>]+>\t\d+\t)-?\d+\t/, '$1<signal>\t');
    l = l.replace(/\b(age|level|signal|noise|snr|avg_rssi|avg_beacon_rssi|est_throughput|above|rssi)=-?\d+/g, '$1=<n>');
    l = l.replace(/\bfe80::[0-9a-f:]+/gi, '<ipv6>');
    return l;
  });
}

/**
 * The lines only in `ref` (`- line`) and only in `ours` (`+ line`), in
 * transcript order, from a longest common subsequence of the two.
 */
export function diffLines(ref: string[], ours: string[]): string[] {
  const n = ref.length;
  const m = ours.length;
  // lcs[i][j]: length of the LCS of ref[i..] and ours[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = ref[i] === ours[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ref[i] === ours[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`+ ${ours[j++]}`);
    } else {
      out.push(`- ${ref[i++]}`);
    }
  }
  return out;
}
