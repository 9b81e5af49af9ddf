/**
 * The scenarios of issue 9 on the kernel radio (scenarios.ts), one boot: the
 * real wpa_supplicant 2.10 -Dnl80211, then our daemon -D nl80211, each against
 * the real hostapd 2.10, each scenario's events and a ping over the air after
 * each connection checked for both; then the two normalised transcripts are
 * compared line by line, and every line that differs must be one of the
 * differences listed below with its reason. With WPA_OFFLOADD_RADIO_REPEAT=1 a second run of it in the
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
import { addresses, diffLines, normalise, RADIOS, scenarioStep, SCENARIO_NAMES, transcripts, WPA_OFFLOADD, WPA_SUPPLICANT } from './scenarios.js';
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


/**
 * A line only in one daemon's normalised transcript (diffLines: `- ` only in
 * wpa_supplicant's, `+ ` only in ours), allowed in the scenarios named (all
 * when none), with the reason.
 */
interface Difference {
  line: RegExp;
  scenarios?: string[];
  why: string;
}

/** Deliberate: by design, to stay (the README's deliberate differences). */
const DELIBERATE: Difference[] = [
  {
    line: /^- <3>SME: Trying to authenticate with <wlan\d> \(SSID='[^']*' freq=\d+ MHz\)$/,
    // SAE runs in our own SME too, and prints it as 2.10 does.
    scenarios: SCENARIO_NAMES.filter((n) => n !== 'sae-roam' && n !== 'ft-sae-roam' && n !== 'sae-roam-fail'),
    why: 'we connect with NL80211_CMD_CONNECT (the kernel\'s SME, as 2.10 itself does on FullMAC drivers); 2.10 prints this line only when it runs the SME (AUTHENTICATE/ASSOCIATE), which it does on mac80211',
  },
  {
    line: /^\+ <3>OFFLOAD-KEY-OWNER bssid=<wlan\d> owner=host completion=host-(only|ft) reason=.*$/,
    why: 'our own event: which side owns the 4-way handshake of this association (the offload design; host-ft: the keys of an FT roam); mac80211_hwsim offloads nothing',
  },
  { line: /^- p2p_device_address=<mac>$/, why: 'no P2P: STATUS has no p2p_device_address' },
];

/**
 * Not deliberate: differences found on the radio, not yet fixed (each is a
 * finding for the code named). Listed so the comparison passes while they
 * last; one that no longer occurs is printed (not failed), so the list shrinks.
 */
const KNOWN: Difference[] = [];

const DAEMONS = [WPA_SUPPLICANT, WPA_OFFLOADD];

describe.skipIf(!requireRadioVm())('scenarios on the kernel radio: wpa_supplicant 2.10 -Dnl80211 and ours -D nl80211, hostapd 2.10', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  let macs: Map<string, string>;
  const byDaemon = new Map<string, Map<string, string[]>>();
  const norm = (daemon: string, name: string): string[] => normalise(byDaemon.get(daemon)?.get(name) ?? [], macs);

  beforeAll(async () => {
    const steps = [scenarioStep(WPA_SUPPLICANT), ...(REPEAT ? [scenarioStep(REF_AGAIN)] : []), scenarioStep(WPA_OFFLOADD)];
    run = await runInVm(steps, { radios: RADIOS, timeoutS: 1500 }, cleanup);
    report(run);
    // For reading the transcripts by hand: WPA_OFFLOADD_RADIO_OUT=DIR keeps each step's output there.
    const keep = process.env.WPA_OFFLOADD_RADIO_OUT;
    if (keep) for (const st of run.steps) writeFileSync(join(keep, `${st.name}.txt`), st.output);
    for (const st of run.steps) byDaemon.set(st.name, transcripts(st.output));
    macs = addresses(run.step(WPA_SUPPLICANT.name).output);
  }, 1_560_000);
  afterAll(() => cleanup.run());

  it('every run goes through every scenario', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    for (const st of run.steps) {
      expect(st.status, st.output).toBe(0);
      expect([...transcripts(st.output).keys()], st.name).toEqual(SCENARIO_NAMES);
    }
    expect(run.steps.map((st) => st.name)).toEqual([WPA_SUPPLICANT.name, ...(REPEAT ? [REF_AGAIN.name] : []), WPA_OFFLOADD.name]);
  });

  describe.each(DAEMONS.map((d) => [d.name]))('%s', (d) => {
    it('scan-3-aps: SCAN_RESULTS lists the three APs', () => {
      const t = norm(d, 'scan-3-aps');
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
      const t = norm(d, name);
      const text = t.join('\n');
      expect(text).toMatch(/^<3>CTRL-EVENT-CONNECTED - Connection to <wlan0> completed/m);
      expect(t, text).toContain(`key_mgmt=${keyMgmt}`);
      expect(t, text).toContain('wpa_state=COMPLETED');
      expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
    });

    it('group-rekey: the group key handshake completes and traffic still flows', () => {
      const text = norm(d, 'group-rekey').join('\n');
      expect(text).toMatch(/^<3>WPA: Group rekeying completed with <wlan0> \[GTK=CCMP\]\n# ping over the air to the AP on wlan0: 3 packets received$/m);
    });

    it('ptk-rekey: a second 4-way handshake completes and traffic still flows', () => {
      const text = norm(d, 'ptk-rekey').join('\n');
      expect(text.match(/WPA: Key negotiation completed with <wlan0>/g), text).toHaveLength(2);
      expect(text).toMatch(/Key negotiation completed[^\n]*\n# ping over the air to the AP on wlan0: 3 packets received$/m);
    });

    it('roam: ROAM to the second BSS of the ESS connects there, and a ping crosses to it', () => {
      const t = norm(d, 'roam');
      const text = t.join('\n');
      expect(text).toMatch(/^> roam <wlan1>\nOK\n(.*\n)*<3>CTRL-EVENT-CONNECTED - Connection to <wlan1> completed/m);
      expect(t, text).toContain('bssid=<wlan1>');
      expect(t, text).toContain('# ping over the air to the AP on wlan1: 3 packets received');
    });

    it('sae-roam: ROAM on an SAE association of the station\'s own SME: SAE with the new BSS, then back with the cached PMKSA (Open System), no disconnect, a ping after each', () => {
      const t = norm(d, 'sae-roam');
      const text = t.join('\n');
      const toWlan1 = text.slice(text.indexOf('> roam <wlan1>'), text.indexOf('> roam <wlan0>'));
      expect(toWlan1).toMatch(/^> roam <wlan1>\nOK\n<3>SME: Trying to authenticate with <wlan1> .*\n<3>SME: Trying to authenticate with <wlan1> .*\n<3>PMKSA-CACHE-ADDED <wlan1> 4\n<3>Trying to associate with <wlan1> (.*\n)*<3>CTRL-EVENT-CONNECTED - Connection to <wlan1> completed \[id=4 id_str=\]\n/);
      const toWlan0 = text.slice(text.indexOf('> roam <wlan0>'));
      expect(toWlan0).toMatch(/^> roam <wlan0>\nOK\n<3>SME: Trying to authenticate with <wlan0> .*\n<3>Trying to associate with <wlan0> (.*\n)*<3>CTRL-EVENT-CONNECTED - Connection to <wlan0> completed \[id=4 id_str=\]\n/);
      expect(text.slice(0, text.indexOf('> disconnect'))).not.toMatch(/CTRL-EVENT-DISCONNECTED/);
      expect(t, text).toEqual(expect.arrayContaining(['bssid=<wlan1>', 'bssid=<wlan0>', 'key_mgmt=SAE']));
      expect(t, text).toContain('# ping over the air to the AP on wlan1: 3 packets received');
      expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
      // Back at wlan0 with the PMKSA of the first connection: no second SAE commit there.
      expect(t, text).toContain('# SAE commits at wlan0: 1, Open System authentications: 1');
    });

    it('sae-roam-fail: ROAM through the station\'s own SME to a BSS whose SAE fails: AUTH-REJECT, no temporary disabling, the target in the BSSID ignore list, a scan, and connected to the first BSS again (its cached PMKSA), a ping', () => {
      const t = norm(d, 'sae-roam-fail');
      const text = t.join('\n');
      const roam = text.slice(text.indexOf('> roam <wlan1>'), text.indexOf('\n> status\n') + 1);
      expect(roam, text).toMatch(/^> roam <wlan1>\nOK\n<3>SME: Trying to authenticate with <wlan1> .*\n(.*\n)*<3>CTRL-EVENT-AUTH-REJECT <wlan1> auth_type=3 auth_transaction=2 status_code=1\n(.*\n)*<3>CTRL-EVENT-SCAN-RESULTS \n(.*\n)*<3>SME: Trying to authenticate with <wlan0> .*\n(.*\n)*<3>CTRL-EVENT-CONNECTED - Connection to <wlan0> completed \[id=4 id_str=\]\n/);
      expect(roam, text).not.toMatch(/CTRL-EVENT-SSID-TEMP-DISABLED/);
      expect(t, text).toEqual(expect.arrayContaining(['bssid=<wlan0>', 'key_mgmt=SAE', 'wpa_state=COMPLETED']));
      expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
      expect(t, text).toContain('# SAE commits at wlan1: 1');
      const ignored = text.slice(text.indexOf('\n> bssid_ignore\n') + 1, text.indexOf('\n> disconnect\n') + 1);
      expect(ignored, text).toMatch(/^> bssid_ignore\n<wlan1>\n/);
    });

    it('ft-psk-roam: ROAM within the mobility domain is FT over the air (SME authentication, reassociation, keys without a 4-way handshake at the target), no disconnect, a ping after', () => {
      const t = norm(d, 'ft-psk-roam');
      const text = t.join('\n');
      const roam = text.slice(text.indexOf('> roam <wlan1>'));
      expect(roam).toMatch(/^> roam <wlan1>\nOK\n<3>SME: Trying to authenticate with <wlan1> \(SSID='radio-ft' freq=2437 MHz\)\n<3>Trying to associate with <wlan1> \(SSID='radio-ft' freq=2437 MHz\)\n<3>Associated with <wlan1>\n(.*\n)*<3>WPA: Key negotiation completed with <wlan1> \[PTK=CCMP GTK=CCMP\]\n<3>CTRL-EVENT-CONNECTED - Connection to <wlan1> completed \[id=5 id_str=\]\n/);
      expect(text.slice(0, text.indexOf('> disconnect'))).not.toMatch(/CTRL-EVENT-DISCONNECTED/);
      expect(t, text).toEqual(expect.arrayContaining(['bssid=<wlan1>', 'key_mgmt=FT-PSK']));
      expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
      expect(t, text).toContain('# ping over the air to the AP on wlan1: 3 packets received');
      expect(t, text).toContain('# FT authentications at wlan1: 1, 4-way handshakes at wlan1: 0');
    });

    it('ft-sae-roam: SAE and the FT 4-way handshake at the first AP; ROAM by FT over the air with no SAE and no 4-way handshake at the target; a ping after each', () => {
      const t = norm(d, 'ft-sae-roam');
      const text = t.join('\n');
      const first = text.slice(0, text.indexOf('> status'));
      expect(first).toMatch(/^> select_network 6\nOK\n(.*\n)*<3>SME: Trying to authenticate with <wlan0> \(SSID='radio-ft-sae' freq=2412 MHz\)\n(.*\n)*<3>WPA: Key negotiation completed with <wlan0> \[PTK=CCMP GTK=CCMP\]\n<3>CTRL-EVENT-CONNECTED - Connection to <wlan0> completed \[id=6 id_str=\]\n/m);
      expect(t, text).toEqual(expect.arrayContaining([
        '<wlan0>\t2412\t<signal>\t[WPA2-FT/SAE-CCMP][ESS]\tradio-ft-sae',
        '<wlan1>\t2437\t<signal>\t[WPA2-FT/SAE-CCMP][ESS]\tradio-ft-sae',
      ]));
      const roam = text.slice(text.indexOf('> roam <wlan1>'));
      expect(roam).toMatch(/^> roam <wlan1>\nOK\n<3>SME: Trying to authenticate with <wlan1> \(SSID='radio-ft-sae' freq=2437 MHz\)\n<3>Trying to associate with <wlan1> \(SSID='radio-ft-sae' freq=2437 MHz\)\n<3>Associated with <wlan1>\n(.*\n)*<3>WPA: Key negotiation completed with <wlan1> \[PTK=CCMP GTK=CCMP\]\n<3>CTRL-EVENT-CONNECTED - Connection to <wlan1> completed \[id=6 id_str=\]\n/);
      expect(text.slice(0, text.indexOf('> disconnect'))).not.toMatch(/CTRL-EVENT-DISCONNECTED/);
      expect(t, text).toEqual(expect.arrayContaining(['bssid=<wlan0>', 'bssid=<wlan1>', 'key_mgmt=FT-SAE', 'pmf=2']));
      expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
      expect(t, text).toContain('# ping over the air to the AP on wlan1: 3 packets received');
      expect(text).toMatch(/^# SAE commits: 1, FT authentications accepted: [1-9]\d*, 4-way handshakes at wlan1: 0$/m);
    });

    it('deauth: deauthenticated by the AP, the station reconnects', () => {
      const text = norm(d, 'deauth').join('\n');
      expect(text).toMatch(/^# hostapd deauthenticates the station\n(.*\n)*<3>CTRL-EVENT-DISCONNECTED bssid=<wlan0> reason=2\n(.*\n)*<3>CTRL-EVENT-CONNECTED/m);
      expect(text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
    });

    it('deauth-recoverable: deauthenticated by the AP with reason 7, the station goes back to the same BSS at once, no scan first (though another BSS of the ESS was seen); the BSSID ignore list empty once connected; a ping', () => {
      const t = norm(d, 'deauth-recoverable');
      const text = t.join('\n');
      const loss = text.slice(text.indexOf('# hostapd deauthenticates the station, reason 7'), text.indexOf('\n> status\n') + 1);
      expect(loss, text).toMatch(/^# hostapd deauthenticates the station, reason 7\n<3>CTRL-EVENT-DISCONNECTED bssid=<wlan0> reason=7\n(.*\n)*<3>Trying to associate with <wlan0> \(SSID='radio-psk' freq=2412 MHz\)\n(.*\n)*<3>CTRL-EVENT-CONNECTED - Connection to <wlan0> completed \[id=0 id_str=\]\n$/);
      expect(loss, text).not.toMatch(/CTRL-EVENT-SCAN-|Trying to associate with <wlan1>/);
      expect(t, text).toEqual(expect.arrayContaining(['bssid=<wlan0>', 'wpa_state=COMPLETED']));
      // An empty reply: the transcript goes on with the next action.
      expect(t[t.indexOf('> bssid_ignore') + 1], text).toBe('# ping over the air to the AP on wlan0: 3 packets received');
      expect(t, text).toContain('# ping over the air to the AP on wlan0: 3 packets received');
    });

    it('wrong-key: the network is disabled for a while with reason=WRONG_KEY', () => {
      const text = norm(d, 'wrong-key').join('\n');
      expect(text).toMatch(/^<3>CTRL-EVENT-SSID-TEMP-DISABLED id=3 ssid="radio-psk" auth_failures=1 duration=10 reason=WRONG_KEY$/m);
      expect(text).not.toMatch(/CTRL-EVENT-CONNECTED/);
    });

    it('ap-gone: hostapd killed, the station disconnects', () => {
      const text = norm(d, 'ap-gone').join('\n');
      expect(text).toMatch(/^# hostapd killed\n(.*\n)*<3>CTRL-EVENT-DISCONNECTED bssid=<wlan0> reason=\d+/m);
    });
  });

  it('ours against wpa_supplicant, line by line: every difference is a listed one, and every deliberate one still occurs', () => {
    const unexplained: string[] = [];
    const used = new Set<Difference>();
    for (const name of SCENARIO_NAMES) {
      for (const line of diffLines(norm(WPA_SUPPLICANT.name, name), norm(WPA_OFFLOADD.name, name))) {
        const why = [...DELIBERATE, ...KNOWN].find((x) => (x.scenarios?.includes(name) ?? true) && x.line.test(line));
        if (why) used.add(why);
        else unexplained.push(`${name}: ${line}`);
      }
    }
    const gone = KNOWN.filter((x) => !used.has(x));
    if (gone.length) console.log(`known differences that did not occur in this run:\n  ${gone.map((x) => x.why).join('\n  ')}`);
    expect(unexplained, 'differences with no reason listed').toEqual([]);
    expect(
      DELIBERATE.filter((x) => !used.has(x)).map((x) => x.why),
      'deliberate differences that no longer occur',
    ).toEqual([]);
  });

  it.runIf(REPEAT)('the normalised transcripts are the same in a second run in the same boot (what the comparison stands on)', () => {
    for (const name of SCENARIO_NAMES) expect(norm(REF_AGAIN.name, name), name).toEqual(norm(WPA_SUPPLICANT.name, name));
  });
});
