/**
 * The kernel radio (issue 9's benchmark): in one boot of the radio VM
 * (test/radio/), the real wpa_supplicant 2.10 -Dnl80211 and our daemon
 * -D nl80211 each on the station radio against the real hostapd 2.10 (WPA2-PSK):
 * - SELECT_NETWORK to CTRL-EVENT-CONNECTED (scan of the network's channels,
 *   authentication, association, 4-way handshake), after a DISCONNECT;
 * - ROAM to CTRL-EVENT-CONNECTED between two BSSes of one ESS (channels 1
 *   and 6), back and forth;
 * - SELECT_NETWORK to CTRL-EVENT-CONNECTED for WPA3-Personal (SAE in the
 *   station's own SME: AUTHENTICATE with commit and confirm, ASSOCIATE, the
 *   4-way handshake), the PMKSA flushed after each sample so that each runs SAE.
 *
 * Measured the same way for both daemons, on the guest clock (under icount it
 * counts guest work and real idle time, not the host's load:
 * test/radio/README.md), by one persistent control client in the guest
 * (radio-client.ts) that sends the command and receives the event: no
 * process starts inside the measured interval (a wpa_cli start per command
 * read its files over 9p and was most of the spread between runs), and the
 * interactive wpa_cli monitor is stopped so that nothing else wakes on the
 * daemon's events. Each measured sample's command goes out at its own phase
 * of the guest kernel's tick period, the same phases in the same order for
 * every daemon (radio-client.ts: mac80211 sends the Association Request at
 * the next tick, so the phase alone moved a sample by up to 4 ms). With the
 * 0.6 s pauses below, every eighth SELECT_NETWORK or so finds scan results
 * older than 5 s and scans first (2.10's scan_res_valid_for_connect, which
 * this daemon follows), in both daemons' runs alike: ~150 ms samples at the
 * top of the range, outside the medians. The daemons take turns: ROUNDS steps each, alternating
 * (ref, ours; then ours, ref; ...), each step a fresh daemon whose first
 * connection of each case is a warm-up, printed apart and left out of the
 * medians (the same for both). Printed as median and spread, with the ratio
 * ours / wpa_supplicant overall and per round, and each daemon's CPU time per
 * connection (all its threads, schedstat); never asserted.
 *
 * WPA_OFFLOADD_BENCH_SAMPLES=N (default 20) samples per case and daemon;
 * WPA_OFFLOADD_BENCH_ROUNDS=R (default 2) steps per daemon;
 * WPA_OFFLOADD_BENCH_CASES=select,roam,sae (default all);
 * WPA_OFFLOADD_BENCH_RAW=1 prints each sample (ms / daemon CPU ms, in order;
 * a turn per line), to see what makes a wide spread;
 * WPA_OFFLOADD_BENCH_BASE=DIR a copy of another build's dist/ inside the
 * checkout (the guest sees only the checkout and the root filesystem), measured
 * as a third daemon `base` in the same turns: before/after in the same minutes.
 */
import { Cleanup } from '../harness/cleanup.js';
import { stationScript, RADIOS, WPA_OFFLOADD, WPA_SUPPLICANT, type StationDaemon } from '../radio/scenarios.js';
import { guestTickNs, radioVmMissing, runInVm, type VmStep } from '../radio/vm.js';
import { addRatioRow } from './summary.js';

const SAMPLES = Math.max(1, Number(process.env.WPA_OFFLOADD_BENCH_SAMPLES) || 20);
const ROUNDS = Math.max(1, Number(process.env.WPA_OFFLOADD_BENCH_ROUNDS) || 2);
const CASES = (process.env.WPA_OFFLOADD_BENCH_CASES ?? 'select,roam,sae').split(',').filter((c) => c in { select: 1, roam: 1, sae: 1 });
const BASE = process.env.WPA_OFFLOADD_BENCH_BASE;
const RAW = process.env.WPA_OFFLOADD_BENCH_RAW === '1';

/** Warm-up connections per case and step, left out of the medians. */
const WARMUP = 1;

/**
 * A step's samples: `SAMPLE TAG T0 T1 CPU_MS` lines from the client (TAG
 * `w-CASE` for a warm-up), or `SAMPLE TAG FAILED` and the case stops.
 */
function body(samples: number, tickNs: number | undefined): string {
  const n = samples + WARMUP;
  // bash's own, written here so the template does not read them as its own
  const toClient = '${BC[1]}';
  const fromClient = '${BC[0]}';
  /** sets $tag: CASE, or w-CASE for a warm-up ([ is a builtin: no process) */
  const tag = (what: string): string => `tag=${what}; [ $i -gt ${WARMUP} ] || tag=w-${what}`;
  const parts = [
    String.raw`
# The interactive wpa_cli monitor would wake on every event: stopped.
exec {monin}>&-
stop_pidfile $D-monitor.pid
coproc BC { exec node dist/test/bench/radio-client.js "$CTRL/$IF" "$D.pid" ${tickNs ?? 0} ${samples}; }
echo $BC_PID > /tmp/radio/bench-client.pid
reply=
read -r -t 300 -u "${fromClient}" reply || true
[ "$reply" = READY ] || { echo "radio-client: $reply"; exit 1; }
# bc TAG EVENT COMMAND...: one line to the client, its answer in $reply (no subshell, no process started).
bc() { echo "$*" >&"${toClient}"; read -r -t 120 -u "${fromClient}" reply || reply="SAMPLE $1 FAILED (no answer)"
    [ "$1" != - ] || [ "$reply" = DONE ] || echo "$*: $reply"; }
bc - - BSS_FLUSH 0
`,
  ];
  /**
   * SELECT_NETWORK `net` to CTRL-EVENT-CONNECTED on AP `ap`'s configuration,
   * `n` times, with DISCONNECT (and `between`) after each. The pause between
   * samples is spent connected, and the next command follows the DISCONNECT
   * within milliseconds (radio-client's lead and tick phase). mac80211 counts
   * an interface's keys that need tail room and lowers the count for removed
   * keys half a second after the first removal (ieee80211_delayed_tailroom_dec()
   * in a delayed work); the first key installed while the count is zero
   * waits for an RCU grace period in NEW_KEY (synchronize_net(): ~7 ms of
   * idle time on the guest). That happened when the work ran between a
   * DISCONNECT and the next connection's pairwise key: with 0.1 s pauses,
   * every third or fourth sample of either daemon, as the cycle's length put
   * it. With 0.6 s connected, the work always runs while connected, so the
   * count never reaches zero and no sample waits.
   */
  const selectLoop = (what: string, ap: string, net: number, between = ''): string => String.raw`
ap 0 ${ap}
for i in $(seq 1 ${n}); do
    ${tag(what)}
    bc $tag CTRL-EVENT-CONNECTED SELECT_NETWORK ${net}
    echo "$reply"
    case $reply in *FAILED*) break ;; esac
    sleep 0.6
    bc - CTRL-EVENT-DISCONNECTED DISCONNECT
${between}done
ap_stop 0
`;
  if (CASES.includes('select')) parts.push(selectLoop('select', 'psk', 0));
  if (CASES.includes('roam')) {
    parts.push(String.raw`
ap 0 psk
ap 1 psk-ch6
bc - CTRL-EVENT-CONNECTED SELECT_NETWORK 0
bc - CTRL-EVENT-SCAN-RESULTS SCAN freq=2412,2437
cur=$(wpa_cli -p "$CTRL" -i "$IF" status | sed -n 's/^bssid=//p')
for i in $(seq 1 ${n}); do
    if [ "$cur" = "$(addr wlan0)" ]; then cur=$(addr wlan1); else cur=$(addr wlan0); fi
    sleep 0.1
    ${tag('roam')}
    bc $tag CTRL-EVENT-CONNECTED ROAM $cur
    echo "$reply"
    case $reply in *FAILED*) break ;; esac
done
bc - CTRL-EVENT-DISCONNECTED DISCONNECT
ap_stop 0; ap_stop 1
`);
  }
  // Each sample runs SAE: without the PMKSA the next connection cannot skip it.
  if (CASES.includes('sae')) parts.push(selectLoop('sae', 'sae', 4, '    bc - - PMKSA_FLUSH\n'));
  parts.push('stop_pidfile /tmp/radio/bench-client.pid\n');
  return parts.join('');
}

interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

function stats(xs: number[]): Stats | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, median: at(0.5), min: s[0]!, max: s.at(-1)!, q1: at(0.25), q3: at(0.75) };
}

interface Sample {
  ms: number;
  /** the daemon's CPU time during the sample, ms (all threads); NaN if unknown */
  cpuMs: number;
}

/** The samples of `tag` in a step's output, and whether the loop stopped on a failure. */
function samples(out: string, tag: string): { xs: Sample[]; failed: boolean } {
  const xs: Sample[] = [];
  let failed = false;
  for (const l of out.split('\n')) {
    const f = l.split(' ');
    if (f[0] !== 'SAMPLE' || f[1] !== tag) continue;
    if (f[2]?.startsWith('FAILED')) failed = true;
    else xs.push({ ms: (Number(f[3]) - Number(f[2])) * 1000, cpuMs: Number(f[4]) >= 0 ? Number(f[4]) : Number.NaN });
  }
  return { xs, failed };
}

const LABEL: Record<string, string> = { select: 'SELECT_NETWORK', roam: 'ROAM', sae: 'SELECT_NETWORK (SAE)' };

const fmt = (s: Stats | undefined): string =>
  s ? `median ${s.median.toFixed(1)} ms, IQR ${s.q1.toFixed(1)}-${s.q3.toFixed(1)}, range ${s.min.toFixed(1)}-${s.max.toFixed(1)} (n=${s.n})` : 'no samples';

/** The daemons measured: which one, and the name of each of its steps (one per round). */
interface Contender {
  daemon: StationDaemon;
  steps: string[];
}

export async function benchRadio(): Promise<void> {
  console.log('\n== kernel radio: SELECT_NETWORK (WPA2-PSK, WPA3-SAE) and ROAM to CTRL-EVENT-CONNECTED (guest clock) ==');
  const missing = radioVmMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const daemons: StationDaemon[] = [WPA_SUPPLICANT, WPA_OFFLOADD];
  if (BASE !== undefined) {
    daemons.push({ ...WPA_OFFLOADD, name: 'base', start: WPA_OFFLOADD.start.replace('dist/bundle/', `${BASE.replace(/\/$/, '')}/bundle/`) });
  }
  const perRound = Math.ceil(SAMPLES / ROUNDS);
  const tickNs = guestTickNs();
  console.log(tickNs ? `each step's samples spread over the guest kernel's tick period (${tickNs / 1e6} ms) in ${perRound} phases, the same for every daemon` : 'the guest kernel\'s tick period is unknown (no CONFIG_HZ): samples at whatever phase of it they fall');
  const contenders: Contender[] = daemons.map((daemon) => ({ daemon, steps: [] }));
  const steps: VmStep[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    // each round in another order, so that no daemon always follows the same one
    const order = contenders.map((_, i) => contenders[(i + r - 1) % contenders.length]!);
    for (const c of order) {
      const name = `${c.daemon.name}-${r}`;
      c.steps.push(name);
      steps.push({ name, script: stationScript({ ...c.daemon, name }, body(perRound, tickNs)) });
    }
  }
  const cleanup = new Cleanup();
  try {
    const run = await runInVm(steps, { radios: RADIOS, timeoutS: 3600 }, cleanup);
    console.log(`one boot, ${perRound * ROUNDS} samples per case and daemon in ${ROUNDS} turns (${WARMUP} warm-up per case and turn, left out); wall ${(run.wallMs / 1000).toFixed(0)} s`);
    for (const step of run.steps) {
      if (step.status !== 0) console.log(`step ${step.name} status ${step.status}:\n${step.output.split('\n').slice(-15).join('\n')}`);
    }
    for (const what of CASES) {
      const medians = new Map<string, { all: Stats | undefined; rounds: (Stats | undefined)[] }>();
      for (const c of contenders) {
        const all: Sample[] = [];
        const warm: number[] = [];
        const rounds: (Stats | undefined)[] = [];
        let failed = false;
        for (const name of c.steps) {
          const out = run.steps.find((s) => s.name === name)?.output ?? '';
          const got = samples(out, what);
          all.push(...got.xs);
          rounds.push(stats(got.xs.map((x) => x.ms)));
          warm.push(...samples(out, `w-${what}`).xs.map((x) => x.ms));
          failed ||= got.failed;
        }
        const st = stats(all.map((x) => x.ms));
        const cpu = stats(all.map((x) => x.cpuMs).filter((x) => !Number.isNaN(x)));
        medians.set(c.daemon.name, { all: st, rounds });
        console.log(`  ${what.padEnd(6)} ${c.daemon.name.padEnd(5)} ${fmt(st)}${failed ? ' (a sample failed: no CTRL-EVENT-CONNECTED within 60 s)' : ''}`);
        console.log(`         ${''.padEnd(5)} per turn: ${rounds.map((x) => (x ? x.median.toFixed(1) : '-')).join(', ')} ms; warm-ups ${warm.map((x) => x.toFixed(1)).join(', ')} ms; CPU per connection ${cpu ? `${cpu.median.toFixed(1)} ms (IQR ${cpu.q1.toFixed(1)}-${cpu.q3.toFixed(1)})` : '-'}`);
        if (RAW) {
          for (const name of c.steps) {
            const xs = samples(run.steps.find((s) => s.name === name)?.output ?? '', what).xs;
            console.log(`         ${''.padEnd(5)} ${name}: ${xs.map((x) => `${x.ms.toFixed(1)}/${x.cpuMs.toFixed(1)}`).join(' ')}`);
          }
        }
      }
      const ref = medians.get(WPA_SUPPLICANT.name);
      for (const name of [WPA_OFFLOADD.name, 'base']) {
        const ours = medians.get(name);
        if (!ref?.all || !ours?.all) continue;
        const perTurn = ours.rounds.map((o, i) => (o && ref.rounds[i] ? (o.median / ref.rounds[i]!.median).toFixed(2) : '-'));
        console.log(`  ${what}: ${name} / wpa_supplicant = ${(ours.all.median / ref.all.median).toFixed(2)}x (medians; per turn ${perTurn.join(', ')})`);
      }
      const ours = medians.get(WPA_OFFLOADD.name)?.all;
      if (ref?.all && ours) {
        addRatioRow(
          { what: `kernel radio: ${LABEL[what]} to CONNECTED (guest clock)`, value: ours.median, unit: 'ms', yardstick: { name: 'wpa_supplicant', value: ref.all.median } },
          { atMost: 1.0 },
        );
      }
    }
  } finally {
    await cleanup.run();
  }
}
