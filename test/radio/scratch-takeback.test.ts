import { afterAll, beforeAll, it } from 'vitest';
import fs from 'node:fs';
import { Cleanup } from '../harness/cleanup.js';
import { PRELUDE } from './nl80211-shell.js';
import { runInVm, type VmRun } from './vm.js';

const TAKEBACK = String.raw`
SSID=radio-nl80211-takeback
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=radio-nl80211-passphrase'
printf '[driver]\nassume_4way_offload = psk\n' > /tmp/radio/takeback.ini
start_ours '	key_mgmt=WPA-PSK
	psk="radio-nl80211-passphrase"' '' '-D nl80211 --settings /tmp/radio/takeback.ini'
wait_for /tmp/radio/ours.log CTRL-EVENT-CONNECTED 120
section ping; ping_ap
section status; ours status
section offload-status; ours raw OFFLOAD_STATUS
section ourlog; cat /tmp/radio/ours.log
section aplog; cat /tmp/radio/hostapd.log
section end
`;
let run: VmRun;
const cleanup = new Cleanup();
beforeAll(async () => {
  run = await runInVm([{ name: 'takeback-psk', script: PRELUDE + TAKEBACK }], { radios: 2, timeoutS: 900 }, cleanup);
}, 960_000);
afterAll(() => cleanup.run());
it('dumps', () => {
  fs.writeFileSync('/tmp/tb/out.txt', run.step('takeback-psk').output + '\n---stderr\n' + run.stderr);
});
