/**
 * The shell the radio tests' guest steps share: one prelude of functions
 * (waiting for a log line, sections of output, stopping daemons by PID file,
 * warming the page cache) and the hostapd configuration writer, so each test
 * file writes only what its steps do.
 */

/**
 * Bash functions every step starts with. Why they are written this way:
 * - wait_for blocks on `tail -F | grep -m1` (inotify): a polling loop would
 *   start processes that take the guest's only CPU from the daemons being
 *   waited for. Its timeout counts guest time (guest work plus idle time, see
 *   vm-run's icount): a connect takes ~1 s of it, a node start seconds.
 *   -F, not -f: the file may not be there yet (the scenarios' monitor file is
 *   created by a process started just before), and `tail -f` on a missing
 *   file exits at once; grep then saw no match, and the kill of a tail
 *   already gone failed the step under set -e (a CI run lost its whole
 *   reference step so: "kill: (209) - No such process"). A tail that is gone
 *   is no longer an error either way.
 * - Daemons log to the guest's /tmp (tmpfs), never to the 9p share: verbose
 *   logs written there slow the daemons enough to break frame exchanges.
 * - warm reads binaries and their libraries into the page cache before a
 *   timed exchange: a 9p read on a loaded host can outlast a 100 ms frame
 *   timeout (one ldd for all: each costs ~1 s).
 */
export const PRELUDE = String.raw`
set -u
# wait_for FILE PATTERN [TIMEOUT_S [FROM_LINE]]: until PATTERN is in FILE (from line FROM_LINE on).
wait_for() {
    local fd tailpid rc=0 to=60 from=1
    [ $# -lt 3 ] || to=$3
    [ $# -lt 4 ] || from=$4
    exec {fd}< <(exec tail -n "+$from" -F "$1" 2>/dev/null)
    tailpid=$!
    timeout "$to" grep -q -m1 -- "$2" <&$fd || rc=$?
    kill $tailpid 2>/dev/null || true
    exec {fd}<&-
    [ $rc = 0 ] || echo "TIMEOUT waiting for $2 in $1"
    return $rc
}
# wait_count FILE PATTERN N SECONDS: until N lines match. Not grep > /dev/null:
# GNU grep then acts as -q and -m N no longer ends it.
wait_count() {
    local fd tailpid rc=0
    exec {fd}< <(exec tail -n +1 -F "$1" 2>/dev/null)
    tailpid=$!
    timeout "$4" grep -m"$3" -- "$2" <&$fd | cat > /dev/null; rc=$PIPESTATUS
    kill $tailpid 2>/dev/null || true
    exec {fd}<&-
    [ $rc = 0 ] || echo "TIMEOUT waiting for $3 x $2 in $1"
    return $rc
}
# mark NAME: a line with the guest clock, for times read on the host.
mark() { read -r up rest < /proc/uptime; echo "MARK $1 $up"; }
# section NAME: the output after it, up to the next section, is read by name (shell.ts: section()).
section() { echo "=== $1"; }
# logs: the tail of every daemon log, printed when a step fails.
logs() { local n=40; [ $# -lt 1 ] || n=$1; for f in /tmp/radio/*.log; do echo "--- $f"; tail -n "$n" "$f"; done; }
warm() { cat "$@" $(ldd "$@" | awk '$3 ~ /^\// { print $3 }' | sort -u) > /dev/null; }
# stop_pidfile FILE: the daemon whose PID FILE holds, until it has gone.
stop_pidfile() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -f "$1"
}
stop_all() { for f in /tmp/radio/*.pid; do [ -e "$f" ] && stop_pidfile "$f"; done; }
mkdir -p /tmp/radio /run/hostapd
`;

export interface HostapdOptions {
  iface: string;
  ssid: string;
  /**
   * country_code (none by default: the world regulatory domain). Setting one
   * changes the regulatory domain of every hwsim radio, the station's too,
   * which then sees CTRL-EVENT-REGDOM-CHANGE at a moment no test controls.
   */
  country?: string;
  channel?: number;
  /** WPA2 with this passphrase; none: an open network */
  passphrase?: string;
  /** wpa_key_mgmt (default WPA-PSK) */
  keyMgmt?: string;
  /** further `name=value` lines, e.g. ieee80211w=2, wpa_group_rekey=5 */
  extra?: string[];
}

/** A shell snippet writing hostapd 2.10's configuration for one BSS to `path`. */
export function hostapdConf(path: string, o: HostapdOptions): string {
  const lines = [
    `interface=${o.iface}`,
    'driver=nl80211',
    'ctrl_interface=/run/hostapd',
    `ssid=${o.ssid}`,
    'hw_mode=g',
    `channel=${o.channel ?? 1}`,
  ];
  if (o.country !== undefined) lines.push(`country_code=${o.country}`);
  if (o.passphrase !== undefined) {
    lines.push('wpa=2', `wpa_key_mgmt=${o.keyMgmt ?? 'WPA-PSK'}`, 'rsn_pairwise=CCMP', `wpa_passphrase=${o.passphrase}`);
  }
  lines.push(...(o.extra ?? []));
  return `cat > ${path} <<'EOF'\n${lines.join('\n')}\nEOF\n`;
}

/** The lines of one `=== name` section of a step's output (empty lines dropped). */
export function section(out: string, name: string): string[] {
  const lines = out.split('\n');
  const start = lines.indexOf(`=== ${name}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('=== '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}
