/**
 * WPA3-Personal (SAE) with `-D nl80211` on the kernel radio: one boot of the
 * radio VM, the real hostapd 2.10 as AP on one mac80211_hwsim radio, our
 * daemon on the other in its own network namespace, driven by the real
 * wpa_cli. SAE runs in the daemon's own SME: AUTHENTICATE with the SAE frames,
 * the AP's frames back as AUTHENTICATE events, then ASSOCIATE. Steps:
 *  - H2E (sae_pwe=1 on both): connected, STATUS key_mgmt=SAE sae_group=19, a
 *    ping; then DISCONNECT and RECONNECT with the cached PMKSA: connected
 *    again with no new SAE commit at the AP (hostapd's debug log), the entry
 *    in PMKSA, a ping;
 *  - hunting-and-pecking (sae_pwe=0): connected, STATUS, a ping;
 *  - a wrong password: CTRL-EVENT-SSID-TEMP-DISABLED reason=WRONG_KEY;
 *  - group 20, anti-clogging tokens (sae_anti_clogging_threshold=0),
 *    transition mode (SAE chosen), a password identifier: connected, a ping;
 *  - taking the handshake back (ours only: 2.10 has no such setting;
 *    takeback.ts): SAE with a cached PMKSA, the radio taken to run SAE and
 *    the 4-way handshake silently; the host reassociates offering the PMKID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { AP, PRELUDE, STA } from './nl80211-shell.js';
import { section } from './shell.js';
import { SAE_CHECKS, TAKEBACK_SAE } from './takeback.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const PASS = 'radio-sae-password';
// hostapd logs each Authentication frame it receives as "authentication: STA=... auth_alg=N
// auth_transaction=M ... seq_ctrl=0x..." (3: SAE, 0: Open System), an SAE frame a second
// time with "(from queue)" when it processes it: the first form counts the frames.
const apAuthFrames = (alg: number): string => `grep -c 'authentication: STA=[0-9a-f:]* auth_alg=${alg} auth_transaction=1 .*seq_ctrl=0x[0-9a-f]*$' /tmp/radio/hostapd.log || true`;

// The station under test: our daemon (start_ours, ours) or, for the comparison, the real
// wpa_supplicant 2.10 -Dnl80211 on the same radio, same namespace, same configuration.
const OURS = String.raw`
STALOG=/tmp/radio/ours.log
start_sta() { start_ours "$@"; }
sta() { ours "$@"; }
`;
const REF = String.raw`
STALOG=/tmp/radio/ref.log
start_sta() {
    staphy=$(cat /sys/class/net/wlan1/phy80211/name)
    ip netns add sta
    iw phy "$staphy" set netns name sta
    ip netns exec sta ip link set lo up
    local globals=
    [ $# -lt 2 ] || globals=$2
    mkdir -p /tmp/radio/ref
    printf 'ctrl_interface=/tmp/radio/ref\n%s\nnetwork={\n\tssid="%s"\n\tscan_freq=2412\n%s\n}\n' "$globals" "$SSID" "$1" > /tmp/radio/ref.conf
    ip netns exec sta wpa_supplicant -B -t -d -Dnl80211 -i wlan1 -c /tmp/radio/ref.conf -P /tmp/radio/ref.pid -f /tmp/radio/ref.log
}
sta() { ip netns exec sta wpa_cli -p /tmp/radio/ref -i wlan1 "$@"; }
`;

const sae = (ssid: string, apLines: string, staLines: string, globals: string): string => String.raw`
SSID=${ssid}
start_ap 'wpa=2
wpa_key_mgmt=SAE
rsn_pairwise=CCMP
ieee80211w=2
${apLines}'
start_sta '	key_mgmt=SAE
	ieee80211w=2
${staLines}' '${globals}'
`;

const connected = String.raw`
wait_for $STALOG CTRL-EVENT-CONNECTED 120
section connected; grep -o 'CTRL-EVENT-CONNECTED.*' $STALOG
section ap-sta; grep -o 'AP-STA-CONNECTED.*' /tmp/radio/hostapd.log
section status; sta status
section ping; ping_ap
`;

const H2E =
  sae('radio-sae-h2e', `sae_password=${PASS}\nsae_pwe=1`, `	sae_password="${PASS}"`, 'sae_pwe=1') +
  connected +
  String.raw`
section ap-commits; ${apAuthFrames(3)}
section disconnect; sta disconnect
wait_for /tmp/radio/hostapd.log AP-STA-DISCONNECTED 60
section reconnect; sta reconnect
wait_count $STALOG CTRL-EVENT-CONNECTED 2 120
section status-reconnected; sta status
section ap-commits-reconnected; ${apAuthFrames(3)}
section ap-open-auth; ${apAuthFrames(0)}
section pmksa; sta pmksa
section ping-reconnected; ping_ap
section end
`;

const HNP = sae('radio-sae-hnp', `sae_password=${PASS}\nsae_pwe=0`, `	sae_password="${PASS}"`, 'sae_pwe=0') + connected + 'section end\n';

const WRONG =
  sae('radio-sae-wrong', `sae_password=${PASS}`, '	sae_password="not-the-password"', '') +
  String.raw`
wait_for $STALOG CTRL-EVENT-SSID-TEMP-DISABLED 120
section auth-reject; grep -o 'CTRL-EVENT-AUTH-REJECT.*' $STALOG | head -1
section temp-disabled; grep -o 'CTRL-EVENT-SSID-TEMP-DISABLED.*' $STALOG | head -1
section end
`;

const GROUP20 = sae('radio-sae-g20', `sae_password=${PASS}\nsae_groups=20`, `	sae_password="${PASS}"`, 'sae_groups=20') + connected + 'section end\n';

const CLOGGING =
  sae('radio-sae-clog', `sae_password=${PASS}\nsae_anti_clogging_threshold=0`, `	sae_password="${PASS}"`, '') +
  connected +
  String.raw`
section ap-token; grep -c 'anti-clogging token' /tmp/radio/hostapd.log || true
section end
`;

const TRANSITION = String.raw`
SSID=radio-sae-transition
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK SAE
rsn_pairwise=CCMP
ieee80211w=1
wpa_passphrase=${PASS}'
start_sta '	key_mgmt=WPA-PSK SAE
	ieee80211w=1
	psk="${PASS}"'
${connected}
section end
`;

const PASSWORD_ID =
  sae('radio-sae-pwid', `sae_password=${PASS}|id=radio-id\nsae_pwe=1`, `	sae_password="${PASS}"\n	sae_password_id="radio-id"`, 'sae_pwe=1') +
  connected +
  'section end\n';

const SCENARIOS: [string, string][] = [
  ['h2e', H2E],
  ['hunting-and-pecking', HNP],
  ['wrong-password', WRONG],
  ['group-20', GROUP20],
  ['anti-clogging', CLOGGING],
  ['transition', TRANSITION],
  ['password-id', PASSWORD_ID],
];
// Each scenario with our daemon, then with wpa_supplicant 2.10 ("<name>-2.10").
// Then the take-back, ours only.
const STEPS = [
  ...SCENARIOS.flatMap(([name, script]) => [
    { name, script: PRELUDE + OURS + script },
    { name: `${name}-2.10`, script: PRELUDE + REF + script },
  ]),
  { name: 'takeback-sae', script: PRELUDE + TAKEBACK_SAE },
];

describe.skipIf(!requireRadioVm())('-D nl80211 on the kernel radio: SAE in the host SME (hostapd 2.10 as AP, the real wpa_cli)', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  const out = (step: string): string => run.step(step).output;

  beforeAll(async () => {
    run = await runInVm(STEPS, { radios: 2, timeoutS: 3000 }, cleanup);
  }, 3_060_000);
  afterAll(() => cleanup.run());

  it('the VM runs every step', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.steps.map((s) => s.name)).toEqual(STEPS.map((s) => s.name));
  });

  /** Connected with SAE: the event, the AP's view, STATUS, a ping over the air. */
  const expectSaeConnected = (step: string, group: number): void => {
    const o = out(step);
    expect(section(o, 'connected')[0], o).toMatch(new RegExp(`^CTRL-EVENT-CONNECTED - Connection to ${AP} completed \\[id=0 id_str=\\]$`));
    expect(section(o, 'ap-sta')[0], o).toBe(`AP-STA-CONNECTED ${STA}`);
    expect(section(o, 'status'), o).toEqual(expect.arrayContaining([`bssid=${AP}`, 'key_mgmt=SAE', `sae_group=${group}`, 'pairwise_cipher=CCMP', 'wpa_state=COMPLETED']));
    expect(section(o, 'ping').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
  };

  describe('H2E (sae_pwe=1)', () => {
    it('connects with SAE group 19 and a ping crosses the air', () => {
      expectSaeConnected('h2e', 19);
      expect(section(out('h2e'), 'ap-commits'), out('h2e')).toEqual(['1']);
    });

    it('DISCONNECT, RECONNECT: the cached PMKSA connects again without SAE (Open System, no commit at the AP)', () => {
      const o = out('h2e');
      expect(section(o, 'disconnect'), o).toEqual(['OK']);
      expect(section(o, 'reconnect'), o).toEqual(['OK']);
      expect(section(o, 'status-reconnected'), o).toEqual(expect.arrayContaining(['key_mgmt=SAE', 'wpa_state=COMPLETED']));
      expect(section(o, 'ap-commits-reconnected'), o).toEqual(['1']);
      expect(section(o, 'ap-open-auth'), o).toEqual(['1']);
      // "Index / AA / PMKID / expiration (in seconds) / opportunistic" and the one entry.
      const pmksa = section(o, 'pmksa');
      expect(pmksa.length, o).toBe(2);
      expect(pmksa[1], o).toMatch(new RegExp(`^1 ${AP} [0-9a-f]{32} \\d+ 0$`));
      expect(section(o, 'ping-reconnected').join('\n'), o).toMatch(/3 packets transmitted, 3 packets received/);
      expect(run.step('h2e').status, o).toBe(0);
    });
  });

  it('hunting-and-pecking (sae_pwe=0): connects with SAE group 19, ping', () => {
    expectSaeConnected('hunting-and-pecking', 19);
    expect(run.step('hunting-and-pecking').status).toBe(0);
  });

  it('a wrong password: the AP refuses our confirm, the network is disabled for a while, as 2.10 reports it', () => {
    const o = out('wrong-password');
    const ref = out('wrong-password-2.10');
    expect(section(o, 'auth-reject')[0], o).toMatch(new RegExp(`^CTRL-EVENT-AUTH-REJECT ${AP} auth_type=3 auth_transaction=2 status_code=\\d+$`));
    expect(section(o, 'temp-disabled')[0], o).toMatch(/^CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="radio-sae-wrong" auth_failures=1 duration=\d+ reason=\w+$/);
    expect(section(o, 'auth-reject'), `${o}\n--- 2.10:\n${ref}`).toEqual(section(ref, 'auth-reject'));
    expect(section(o, 'temp-disabled'), `${o}\n--- 2.10:\n${ref}`).toEqual(section(ref, 'temp-disabled'));
    expect(run.step('wrong-password').status, o).toBe(0);
  });

  it('group 20 (sae_groups=20 on both sides): connects with sae_group=20, ping', () => {
    expectSaeConnected('group-20', 20);
    expect(run.step('group-20').status).toBe(0);
  });

  it('anti-clogging (sae_anti_clogging_threshold=0): the AP asks for a token, the station answers it and connects', () => {
    expectSaeConnected('anti-clogging', 19);
    expect(Number(section(out('anti-clogging'), 'ap-token')[0]), out('anti-clogging')).toBeGreaterThan(0);
    expect(run.step('anti-clogging').status).toBe(0);
  });

  it('transition mode (WPA-PSK SAE on both): SAE is chosen', () => {
    expectSaeConnected('transition', 19);
    expect(run.step('transition').status).toBe(0);
  });

  it('a password identifier (sae_password_id): connects, ping', () => {
    expectSaeConnected('password-id', 19);
    expect(run.step('password-id').status).toBe(0);
  });

  /** STATUS without what differs by design between two stations on one radio (addresses, the P2P and WPS parts 2.10 is built with). */
  const status = (o: string, name: string): string[] => section(o, name).filter((l) => !/^(uuid|ip_address|p2p_device_address|address)=/.test(l));

  describe('the same scenarios with wpa_supplicant 2.10 -Dnl80211 on the same radios: the same events and STATUS', () => {
    for (const [name] of SCENARIOS) {
      it(name, () => {
        const o = out(name);
        const ref = out(`${name}-2.10`);
        const both = `${o}\n--- 2.10:\n${ref}`;
        expect(run.step(`${name}-2.10`).status, ref).toBe(0);
        for (const sec of ['connected', 'ap-sta', 'auth-reject', 'temp-disabled', 'ap-commits', 'ap-commits-reconnected', 'ap-open-auth', 'disconnect', 'reconnect']) {
          expect(section(o, sec), `${sec}\n${both}`).toEqual(section(ref, sec));
        }
        expect(status(o, 'status'), both).toEqual(status(ref, 'status'));
        expect(status(o, 'status-reconnected'), both).toEqual(status(ref, 'status-reconnected'));
        // PMKSA: the same one entry, its PMKID and lifetime differing.
        expect(section(o, 'pmksa').map((l) => l.replace(/ [0-9a-f]{32} \d+ /, ' PMKID T ')), both).toEqual(section(ref, 'pmksa').map((l) => l.replace(/ [0-9a-f]{32} \d+ /, ' PMKID T ')));
      });
    }
  });

  describe('taking the handshake back from a radio assumed to run SAE ([driver] assume_4way_offload = sae, a cached PMKSA)', () => {
    for (const [name, check] of Object.entries(SAE_CHECKS)) it(name, () => check(out('takeback-sae'), run.step('takeback-sae').status));
  });
});
