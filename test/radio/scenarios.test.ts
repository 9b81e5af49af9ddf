/**
 * The scenarios of issue 9 on the kernel radio (scenarios.ts), one boot: the
 * real wpa_supplicant 2.10 -Dnl80211 against the real hostapd 2.10 proves
 * the harness (each scenario's events, a ping over the air after each
 * connection). With WPA_OFFLOADD_RADIO_REPEAT=1 a second run of it in the
 * same boot shows that the normalised transcripts do not depend on the run,
 * which the comparison with our daemon stands on (off by default: it costs
 * ~2.5 minutes of wall time).
 *
 * Times are printed, never asserted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { addresses, normalise, RADIOS, scenarioStep, SCENARIO_NAMES, transcripts, WPA_SUPPLICANT } from './scenarios.js';
import { requireRadioVm, runInVm, type StepResult, type VmRun } from './vm.js';

const REF_AGAIN = { ...WPA_SUPPLICANT, name: 'ref-again' };
const REPEAT = process.env.WPA_OFFLOADD_RADIO_REPEAT === '1';

/** Guest seconds each scenario took, from the MARK lines. */
function scenarioTimes(step: StepResult): string {
  let last = step.guestBeganS;
  const parts: string[] = [];
  for (const l of step.lines) {
    const m = /^MARK (\S+) ([\d.]+)$/.exec(l.text);
    if (!m) continue;
    const at = Number(m[2]);
    parts.push(`${m[1]!.replace(/^end-/, '')} ${(at - last).toFixed(1)}`);
    last = at;
  }
  return parts.join(', ');
}

function report(run: VmRun): void {
  const s = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
  console.log(
    [
      'radio scenarios: host wall time (guest seconds per part)',
      `  boot: ${s(run.bootMs)}`,
      ...run.steps.map(
        (x) => `  step ${x.name}: ${s(x.endedMs === undefined ? undefined : x.endedMs - x.beganMs)} (${scenarioTimes(x)})`,
      ),
      `  whole run: ${s(run.wallMs)}`,
    ].join('\n'),
  );
}

describe.skipIf(!requireRadioVm())('scenarios on the kernel radio: wpa_supplicant 2.10 -Dnl80211 and hostapd 2.10', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  let ref: Map<string, string[]>;
  let macs: Map<string, string>;
  const norm = (name: string): string[] => normalise(ref.get(name) ?? [], macs);

  beforeAll(async () => {
    const steps = [scenarioStep(WPA_SUPPLICANT), ...(REPEAT ? [scenarioStep(REF_AGAIN)] : [])];
    run = await runInVm(steps, { radios: RADIOS, timeoutS: 1200 }, cleanup);
    report(run);
    // For reading the transcripts by hand: WPA_OFFLOADD_RADIO_OUT=DIR keeps each step's output there.
    const keep = process.env.WPA_OFFLOADD_RADIO_OUT;
    if (keep) for (const st of run.steps) writeFileSync(join(keep, `${st.name}.txt`), st.output);
    ref = transcripts(run.step('ref').output);
    macs = addresses(run.step('ref').output);
  }, 1_260_000);
  afterAll(() => cleanup.run());

  it('every run goes through every scenario', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    for (const name of ['ref', ...(REPEAT ? ['ref-again'] : [])]) {
      const step = run.step(name);
      expect(step.status, step.output).toBe(0);
      expect([...transcripts(step.output).keys()]).toEqual(SCENARIO_NAMES);
    }
  });

  it('scan-3-aps: SCAN_RESULTS lists the three APs', () => {
    const t = norm('scan-3-aps');
    expect(t, t.join('\n')).toEqual(
      expect.arrayContaining([
        '<wlan0>\t2412\t<signal>\t[WPA2-PSK-CCMP][ESS]\tradio-scan-0',
        '<wlan1>\t2437\t<signal>\t[ESS]\tradio-scan-1',
        '<wlan2>\t2462\t<signal>\t[WPA2-PSK-CCMP][ESS]\tradio-scan-2',
      ]),
    );
  });

  it.each([
    ['wpa2-psk', 'WPA2-PSK'],
    ['psk-sha256-pmf', 'WPA2-PSK-SHA256'],
    ['open', 'NONE'],
  ])('%s: CONNECTED with key_mgmt %s, then a ping crosses the air', (name, keyMgmt) => {
    const t = norm(name);
    const text = t.join('\n');
    expect(text).toMatch(/^<3>CTRL-EVENT-CONNECTED - Connection to <wlan0> completed/m);
    expect(t, text).toContain(`key_mgmt=${keyMgmt}`);
    expect(t, text).toContain('wpa_state=COMPLETED');
    expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
  });

  it('group-rekey: the group key handshake completes and traffic still flows', () => {
    const text = norm('group-rekey').join('\n');
    expect(text).toMatch(/^<3>WPA: Group rekeying completed with <wlan0> \[GTK=CCMP\]\n# ping over the air to the AP on wlan0: 3 packets received$/m);
  });

  it('ptk-rekey: a second 4-way handshake completes and traffic still flows', () => {
    const text = norm('ptk-rekey').join('\n');
    expect(text.match(/WPA: Key negotiation completed with <wlan0>/g), text).toHaveLength(2);
    expect(text).toMatch(/Key negotiation completed[^\n]*\n# ping over the air to the AP on wlan0: 3 packets received$/m);
  });

  it('roam: ROAM to the second BSS of the ESS connects there, and a ping crosses to it', () => {
    const t = norm('roam');
    const text = t.join('\n');
    expect(text).toMatch(/^> roam <wlan1>\nOK\n(.*\n)*<3>CTRL-EVENT-CONNECTED - Connection to <wlan1> completed/m);
    expect(t, text).toContain('bssid=<wlan1>');
    expect(t, text).toContain('# ping over the air to the AP on wlan1: 3 packets received');
  });

  it('deauth: deauthenticated by the AP, the station reconnects', () => {
    const text = norm('deauth').join('\n');
    expect(text).toMatch(/^# hostapd deauthenticates the station\n(.*\n)*<3>CTRL-EVENT-DISCONNECTED bssid=<wlan0> reason=2\n(.*\n)*<3>CTRL-EVENT-CONNECTED/m);
    expect(text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
  });

  it('wrong-key: the network is disabled for a while with reason=WRONG_KEY', () => {
    const text = norm('wrong-key').join('\n');
    expect(text).toMatch(/^<3>CTRL-EVENT-SSID-TEMP-DISABLED id=3 ssid="radio-psk" auth_failures=1 duration=10 reason=WRONG_KEY$/m);
    expect(text).not.toMatch(/CTRL-EVENT-CONNECTED/);
  });

  it('ap-gone: hostapd killed, the station disconnects', () => {
    const text = norm('ap-gone').join('\n');
    expect(text).toMatch(/^# hostapd killed\n(.*\n)*<3>CTRL-EVENT-DISCONNECTED bssid=<wlan0> reason=\d+/m);
  });

  it.runIf(REPEAT)('the normalised transcripts are the same in a second run in the same boot (what the comparison stands on)', () => {
    const again = transcripts(run.step('ref-again').output);
    for (const name of SCENARIO_NAMES) {
      expect(normalise(again.get(name) ?? [], macs), name).toEqual(norm(name));
    }
  });
});
