/**
 * A V8 CPU profile of our daemon over WPA2-PSK or WPA3-SAE connections on
 * the kernel radio (the radio bench's SELECT_NETWORK and SAE cases,
 * test/bench/radio.ts; SAE with the PMKSA flushed after each): in one
 * boot of the radio VM, the daemon runs under `node --cpu-prof` (the profile
 * written to the guest's /tmp, 100 µs sampling), the bench's control client
 * makes N connections, the daemon is stopped, and the profile comes back on
 * the step's output (base64). Written to OUT, with the clients' SAMPLE lines
 * beside it (OUT.samples), then summarised by cpuprofile-top over the
 * measured intervals only, the first two connections left out (cold).
 *
 * usage: node dist/test/bench/radio-profile.js [N=30] [OUT=/tmp/wpa-offloadd-radio.cpuprofile] [CASE=select|sae]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Cleanup } from '../harness/cleanup.js';
import { RADIOS, stationScript, WPA_OFFLOADD } from '../radio/scenarios.js';
import { radioVmMissing, runInVm } from '../radio/vm.js';

const n = Number(process.argv[2]) || 30;
const out = process.argv[3] ?? '/tmp/wpa-offloadd-radio.cpuprofile';
const kase = process.argv[4] ?? 'select';
if (kase !== 'select' && kase !== 'sae') {
  console.error(`unknown case '${kase}' (have: select, sae)`);
  process.exit(2);
}
// The radio bench's network 0 is the WPA2-PSK one, 4 the SAE one; without the PMKSA each SAE sample runs SAE.
const connect = kase === 'sae' ? { ap: 'sae', network: 4, after: 'bc - - PMKSA_FLUSH' } : { ap: 'psk', network: 0, after: '' };
const missing = radioVmMissing();
if (missing) {
  console.error(`radio VM: ${missing}`);
  process.exit(2);
}
const daemon = { ...WPA_OFFLOADD, name: 'prof', start: WPA_OFFLOADD.start.replace('node ', 'node --cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval 100 ') };
const toClient = '${BC[1]}';
const fromClient = '${BC[0]}';
const body = String.raw`
exec {monin}>&-
stop_pidfile $D-monitor.pid
coproc BC { exec node dist/test/bench/radio-client.js "$CTRL/$IF" "$D.pid"; }
echo $BC_PID > /tmp/radio/bench-client.pid
read -r -t 300 -u "${fromClient}" reply
bc() { echo "$*" >&"${toClient}"; read -r -t 120 -u "${fromClient}" reply; }
bc - - BSS_FLUSH 0
ap 0 ${connect.ap}
for i in $(seq 1 ${n}); do
    bc ${kase} CTRL-EVENT-CONNECTED SELECT_NETWORK ${connect.network}
    echo "$reply"
    bc - CTRL-EVENT-DISCONNECTED DISCONNECT
    ${connect.after}
    sleep 0.1
done
ap_stop 0
stop_pidfile /tmp/radio/bench-client.pid
pid=$(cat $D.pid)
stop_pidfile $D.pid
# -B forks: the daemon's profile is the one named with its own PID
section profile
base64 -w0 /tmp/prof/CPU.*.$pid.*.cpuprofile
echo
`;
const cleanup = new Cleanup();
try {
  const run = await runInVm([{ name: 'prof', script: stationScript(daemon, body) }], { radios: RADIOS, timeoutS: 1800 }, cleanup);
  const step = run.step('prof');
  const lines = step.output.split('\n');
  const at = lines.indexOf('=== profile');
  if (step.status !== 0 || at < 0) throw new Error(`profile step status ${step.status}:\n${lines.slice(-20).join('\n')}`);
  writeFileSync(out, Buffer.from(lines[at + 1]!, 'base64'));
  const samples = lines.filter((l) => l.startsWith(`SAMPLE ${kase} `));
  writeFileSync(`${out}.samples`, samples.slice(2).join('\n') + '\n');
  console.log(`${out}: ${samples.length} connections (ms / daemon CPU ms): ${samples.map((l) => { const f = l.split(' '); return `${((Number(f[3]) - Number(f[2])) * 1000).toFixed(1)}/${f[4]}`; }).join(' ')}`);
  console.log(execFileSync(process.execPath, [new URL('./cpuprofile-top.js', import.meta.url).pathname, out, '30', '--windows', `${out}.samples`], { encoding: 'utf8' }));
} finally {
  await cleanup.run();
}
