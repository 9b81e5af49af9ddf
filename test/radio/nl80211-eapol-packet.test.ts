/**
 * EAPOL over a packet socket on the kernel radio: mac80211_hwsim has the
 * control port over nl80211, so the packet path (the one FullMAC radios such
 * as brcmfmac need) is forced with the settings' `[driver] eapol = packet`.
 * One boot: hostapd 2.10 (WPA2-PSK CCMP) on wlan0, our daemon (no -D) on
 * wlan1 in its own network namespace, driven by the real wpa_cli. The 4-way
 * handshake's frames travel through libpcap on wlan1 (CONNECT asks for no
 * control port over nl80211, so mac80211 hands them to the netdev), the
 * connection completes, and a ping over the simulated air proves the keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { PRELUDE } from './nl80211-shell.js';
import { section } from './shell.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const SSID = 'radio-nl80211-packet';

const PACKET = String.raw`${PRELUDE}
SSID=${SSID}
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=radio-nl80211-passphrase'
printf '[driver]\neapol = packet\n' > /tmp/radio/ours.ini
# No -D: wlan1 is a wireless netdev, so it gets nl80211.
start_ours '	key_mgmt=WPA-PSK
	psk="radio-nl80211-passphrase"' '' '--settings /tmp/radio/ours.ini'
section transport; grep -o 'nl80211: EAPOL of wlan1 over .*' /tmp/radio/ours.log
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
section connected; grep -o 'CTRL-EVENT-CONNECTED - Connection to [0-9a-f:]* completed' /tmp/radio/ours.log
section ap-sta; grep -o 'AP-STA-CONNECTED.*' /tmp/radio/hostapd.log
section status; ours status | grep -E '^(wpa_state|key_mgmt|pairwise_cipher)='
section ping
ping_ap
section end
`;

describe.skipIf(!requireRadioVm())('nl80211 on the kernel radio: EAPOL over a packet socket ([driver] eapol = packet), WPA2-PSK with hostapd 2.10', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  let out = '';

  beforeAll(async () => {
    run = await runInVm([{ name: 'packet', script: PACKET }], { radios: 2, timeoutS: 1200 }, cleanup);
    out = run.step('packet').output;
  }, 1_260_000);
  afterAll(() => cleanup.run());

  it('the step runs to its end', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.step('packet').status, out).toBe(0);
    expect(out).toContain('=== end');
  });

  it('the packet socket carries EAPOL, as the setting asks', () => {
    expect(section(out, 'transport'), out).toEqual(['nl80211: EAPOL of wlan1 over a packet socket ([driver] eapol = packet)']);
  });

  it('the 4-way handshake completes: CONNECTED, and hostapd sees the station', () => {
    expect(section(out, 'connected'), out).toEqual(['CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed']);
    expect(section(out, 'ap-sta'), out).toEqual(['AP-STA-CONNECTED 02:00:00:00:01:00']);
    expect(section(out, 'status'), out).toEqual(['pairwise_cipher=CCMP', 'key_mgmt=WPA2-PSK', 'wpa_state=COMPLETED']);
  });

  it('a ping over the simulated air proves the keys', () => {
    expect(section(out, 'ping').join('\n'), out).toMatch(/3 packets transmitted, 3 packets received/);
  });
});
