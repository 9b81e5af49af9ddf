/**
 * The kernel radio (issue 9's benchmark): in one boot of the radio VM
 * (test/radio/), the real wpa_supplicant 2.10 -Dnl80211 and our daemon
 * -D nl80211 each on the station radio against the real hostapd 2.10 (WPA2-PSK),
 * driven by the real wpa_cli:
 * - SELECT_NETWORK to CTRL-EVENT-CONNECTED (scan of the network's one
 *   channel, authentication, association, 4-way handshake), after a DISCONNECT;
 * - ROAM to CTRL-EVENT-CONNECTED between two BSSes of one ESS (channels 1
 *   and 6), back and forth;
 * - SELECT_NETWORK to CTRL-EVENT-CONNECTED for WPA3-Personal (SAE in the
 *   station's own SME: AUTHENTICATE with commit and confirm, ASSOCIATE, the
 *   4-way handshake), the PMKSA flushed after each sample so that each runs SAE.
 * Measured on the guest clock, from just before wpa_cli starts to the
 * monitor's line with the event (both stamped by bash's EPOCHREALTIME in the
 * guest): under icount that clock counts guest work and real idle time, not
 * the host's load (test/radio/README.md). Both ends carry the same overhead
 * for both daemons (a wpa_cli start, the monitor's wake-up). Printed as
 * median and spread, with the ratio ours / wpa_supplicant; never asserted.
 */
import { Cleanup } from '../harness/cleanup.js';
import { stationScript, RADIOS, WPA_OFFLOADD, WPA_SUPPLICANT, type StationDaemon } from '../radio/scenarios.js';
import { radioVmMissing, runInVm, type VmStep } from '../radio/vm.js';
import { addSummaryRow } from './summary.js';

/** Samples per case and daemon; WPA_OFFLOADD_BENCH_SAMPLES=N for a quick look (the figures reported use 20). */
const SAMPLES = Math.max(1, Number(process.env.WPA_OFFLOADD_BENCH_SAMPLES) || 20);

/**
 * The cases to run: WPA_OFFLOADD_BENCH_RADIO=sae (or a comma list of select,
 * roam, sae) runs only those, for a look at one case in a shorter boot.
 */
const CASES = ['select', 'roam', 'sae'] as const;
type Case = (typeof CASES)[number];
const WANTED: Case[] = (() => {
  const v = process.env.WPA_OFFLOADD_BENCH_RADIO?.trim();
  if (!v) return [...CASES];
  const names = v.split(',').map((n) => n.trim());
  const bad = names.filter((n) => !(CASES as readonly string[]).includes(n));
  if (bad.length) throw new Error(`WPA_OFFLOADD_BENCH_RADIO: unknown case ${bad.join(', ')} (cases: ${CASES.join(', ')})`);
  return CASES.filter((c) => names.includes(c));
})();

/**
 * WPA_OFFLOADD_BENCH_BASE=PATH: a bundle of another build (a copy of its
 * dist/bundle/wpa-offloadd.cjs, readable in the guest: the host's root is its
 * root) run as a third daemon, "base", in the same boot: before and after in
 * the same minutes.
 */
const BASE = process.env.WPA_OFFLOADD_BENCH_BASE;

/**
 * cpu_ns PID: the guest CPU time (ns) the process's threads have run so far,
 * from the scheduler's per-thread counters (V8's worker threads included).
 * Under icount that is guest work, whatever the host's load. The SAE case
 * prints it per sample (`CPU sae DAEMON_NS HOSTAPD_NS`), read outside the
 * timed span: from just before SELECT_NETWORK to the wake-up after
 * CTRL-EVENT-CONNECTED.
 */
const CPU_NS = String.raw`
cpu_ns() { local t a rest s=0; for t in /proc/$1/task/*/schedstat; do read -r a rest < "$t" && s=$((s + a)); done; echo $s; }
`;

/** The samples' shell per case: `SAMPLE select|roam|sae T0 T1` lines, or `SAMPLE what FAILED` and the loop stops. */
const BODIES: Record<Case, string> = {
  select: String.raw`
begin bench
cmd bss_flush 0
ap 0 psk
for i in $(seq 1 ${SAMPLES}); do
    cmd select_network 0
    if ! wait_event CTRL-EVENT-CONNECTED 60; then echo "SAMPLE select FAILED"; break; fi
    echo "SAMPLE select $cmd_t0 $(event_time CTRL-EVENT-CONNECTED)"
    cmd disconnect
    wait_event CTRL-EVENT-DISCONNECTED
done
ap_stop 0
`,
  roam: String.raw`
begin bench
ap 0 psk
ap 1 psk-ch6
cmd select_network 0
wait_event CTRL-EVENT-CONNECTED
cmd scan freq=2412,2437
wait_event CTRL-EVENT-SCAN-RESULTS
cur=$(wpa_cli -p "$CTRL" -i "$IF" status | sed -n 's/^bssid=//p')
for i in $(seq 1 ${SAMPLES}); do
    if [ "$cur" = "$(addr wlan0)" ]; then cur=$(addr wlan1); else cur=$(addr wlan0); fi
    cmd roam $cur
    if ! wait_event CTRL-EVENT-CONNECTED 60; then echo "SAMPLE roam FAILED"; break; fi
    echo "SAMPLE roam $cmd_t0 $(event_time CTRL-EVENT-CONNECTED)"
done
cmd disconnect
wait_event CTRL-EVENT-DISCONNECTED
ap_stop 0; ap_stop 1
`,
  sae: String.raw`
begin bench
ap 0 sae
dpid=$(cat "$D.pid") appid=$(cat /tmp/radio/hostapd-wlan0.pid)
for i in $(seq 1 ${SAMPLES}); do
    c0=$(cpu_ns $dpid) a0=$(cpu_ns $appid)
    cmd select_network 4
    if ! wait_event CTRL-EVENT-CONNECTED 60; then echo "SAMPLE sae FAILED"; break; fi
    echo "SAMPLE sae $cmd_t0 $(event_time CTRL-EVENT-CONNECTED)"
    echo "CPU sae $(( $(cpu_ns $dpid) - c0 )) $(( $(cpu_ns $appid) - a0 ))"
    cmd disconnect
    wait_event CTRL-EVENT-DISCONNECTED
    # Each sample runs SAE: without the PMKSA the next connection cannot skip it.
    cmd pmksa_flush
done
ap_stop 0
`,
};

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

/** Milliseconds per sample of `what` in a step's output, and whether the loop stopped on a failure. */
function samples(out: string, what: string): { ms: number[]; failed: boolean } {
  const ms: number[] = [];
  let failed = false;
  for (const l of out.split('\n')) {
    const m = new RegExp(`^SAMPLE ${what} (\\S+)(?: (\\S+))?$`).exec(l);
    if (!m) continue;
    if (m[1] === 'FAILED') failed = true;
    else ms.push((Number(m[2]) - Number(m[1])) * 1000);
  }
  return { ms, failed };
}

const LABEL: Record<string, string> = { select: 'SELECT_NETWORK', roam: 'ROAM', sae: 'SELECT_NETWORK (SAE)' };

const fmt = (s: Stats | undefined): string =>
  s ? `median ${s.median.toFixed(0)} ms, IQR ${s.q1.toFixed(0)}-${s.q3.toFixed(0)}, range ${s.min.toFixed(0)}-${s.max.toFixed(0)} (n=${s.n})` : 'no samples';

const fmtCpu = (s: Stats | undefined): string => (s ? `median ${s.median.toFixed(1)} ms, IQR ${s.q1.toFixed(1)}-${s.q3.toFixed(1)}` : 'no samples');

export async function benchRadio(): Promise<void> {
  console.log('\n== kernel radio: SELECT_NETWORK (WPA2-PSK, WPA3-SAE) and ROAM to CTRL-EVENT-CONNECTED (guest clock) ==');
  const missing = radioVmMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const base: StationDaemon[] = BASE ? [{ ...WPA_OFFLOADD, name: 'base', start: WPA_OFFLOADD.start.replace('dist/bundle/wpa-offloadd.cjs', `'${BASE}'`) }] : [];
  const daemons: StationDaemon[] = [WPA_SUPPLICANT, WPA_OFFLOADD, ...base];
  const body = CPU_NS + WANTED.map((c) => BODIES[c]).join('');
  const steps: VmStep[] = daemons.map((d) => ({ name: d.name, script: stationScript(d, body) }));
  const cleanup = new Cleanup();
  try {
    const run = await runInVm(steps, { radios: RADIOS, timeoutS: 1800 }, cleanup);
    console.log(`one boot, ${SAMPLES} samples per case and daemon; wall ${(run.wallMs / 1000).toFixed(0)} s`);
    for (const what of WANTED) {
      const byDaemon = new Map<string, Stats | undefined>();
      for (const d of daemons) {
        const step = run.steps.find((s) => s.name === d.name);
        const { ms, failed } = samples(step?.output ?? '', what);
        const st = stats(ms);
        byDaemon.set(d.name, st);
        const why = step === undefined ? ' (step never ran)' : failed ? ' (stopped: no CTRL-EVENT-CONNECTED within 60 s)' : step.status !== 0 ? ` (step status ${step.status})` : '';
        console.log(`  ${what.padEnd(6)} ${d.name.padEnd(5)} ${fmt(st)}${why}`);
        const cpu = [...(step?.output ?? '').matchAll(new RegExp(`^CPU ${what} (\\d+) (\\d+)$`, 'gm'))];
        if (cpu.length) {
          const ms = (i: number): string => fmtCpu(stats(cpu.map((m) => Number(m[i]) / 1e6)));
          console.log(`         guest CPU, SELECT_NETWORK to CONNECTED: daemon ${ms(1)}; hostapd ${ms(2)}`);
        }
        if (step && step.status !== 0) console.log(step.output.split('\n').slice(-15).join('\n'));
      }
      const ref = byDaemon.get(WPA_SUPPLICANT.name);
      const ours = byDaemon.get(WPA_OFFLOADD.name);
      if (ref && ours) {
        console.log(`  ${what}: ours / wpa_supplicant = ${(ours.median / ref.median).toFixed(2)}x (medians)`);
        if (base.length) {
          const b = byDaemon.get('base');
          if (b) console.log(`  ${what}: ours / base = ${(ours.median / b.median).toFixed(2)}x, base / wpa_supplicant = ${(b.median / ref.median).toFixed(2)}x (medians)`);
        }
        addSummaryRow({
          what: `kernel radio: ${LABEL[what]} to CONNECTED (guest clock)`,
          value: ours.median,
          unit: 'ms',
          yardstick: { name: 'wpa_supplicant', value: ref.median },
          goal: '<= 1.0x',
          met: ours.median <= ref.median,
        });
      }
    }
  } finally {
    await cleanup.run();
  }
}
