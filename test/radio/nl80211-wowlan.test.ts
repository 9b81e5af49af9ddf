/**
 * wowlan_triggers on the kernel radio, ours against wpa_supplicant 2.10
 * -Dnl80211 on the same mac80211_hwsim radio, through the real wpa_cli.
 * hwsim on Debian's 6.1 kernel has no WoWLAN: every word is unsupported
 * there (nothing is sent, no failure), but an empty value ("wowlan_triggers="
 * is a value: no word to refuse) sends SET_WOWLAN with no trigger, which the
 * kernel refuses (EOPNOTSUPP). That refusal is what this radio can show:
 * - at interface start (-i, and INTERFACE_ADD) 2.10 fails the interface
 *   (wpa_supplicant_init_iface());
 * - SET wowlan_triggers to a changed value, and every RECONFIGURE with the
 *   option in the file, send it again, a refusal logged as an error; SET of
 *   the same value sends nothing (wpa_supplicant_update_config());
 * - at exit both ask GET_WOWLAN, which hwsim refuses too: WoWLAN is not
 *   enabled, so the association would be left (the kept association of an
 *   enabled WoWLAN cannot be shown here: kernel messages in
 *   test/driver/nl80211/external-auth.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../harness/cleanup.js';
import { PRELUDE, section } from './shell.js';
import { requireRadioVm, runInVm, type VmRun } from './vm.js';

const OURS = 'node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs';
const REF = 'wpa_supplicant -t -Dnl80211';

/**
 * The script lines for `who` (ours or ref, started with `cmd`): the start
 * with an empty wowlan_triggers (exit status, the log's lines), the same
 * through INTERFACE_ADD on the global socket, then a running interface's SET
 * and RECONFIGURE, and its exit.
 */
const steps = (who: string, cmd: string): string => String.raw`
printf 'ctrl_interface=/tmp/radio/${who}\nwowlan_triggers=\n' > /tmp/radio/${who}-empty.conf
printf 'ctrl_interface=/tmp/radio/${who}\n' > /tmp/radio/${who}.conf
section ${who}-start-exit
rc=0; timeout 300 ${cmd} -d -i wlan1 -c /tmp/radio/${who}-empty.conf -f /tmp/radio/${who}-start.log 2>/tmp/radio/${who}-start.err || rc=$?; echo "$rc"
section ${who}-start-stderr; cat /tmp/radio/${who}-start.err
section ${who}-start-log
grep -o -e 'nl80211: Setting wowlan failed' -e 'Failed to add interface wlan1$' /tmp/radio/${who}-start.log || true
section ${who}-start-socket; ls /tmp/radio/${who} 2>/dev/null || true

${cmd} -B -d -g /tmp/radio/${who}-global -P /tmp/radio/${who}-global.pid -f /tmp/radio/${who}-global.log
for i in $(seq 600); do [ -S /tmp/radio/${who}-global ] && break; sleep 0.1; done
section ${who}-interface-add; wpa_cli -g /tmp/radio/${who}-global interface_add wlan1 /tmp/radio/${who}-empty.conf nl80211; echo
section ${who}-interfaces; wpa_cli -g /tmp/radio/${who}-global interface; echo
stop_pidfile /tmp/radio/${who}-global.pid

${cmd} -B -d -i wlan1 -c /tmp/radio/${who}.conf -P /tmp/radio/${who}.pid -f /tmp/radio/${who}.log
for i in $(seq 600); do [ -S /tmp/radio/${who}/wlan1 ] && break; sleep 0.1; done
w() { wpa_cli -p /tmp/radio/${who} -i wlan1 "$@"; }
section ${who}-ping; w ping
section ${who}-set; w set wowlan_triggers disconnect; w set wowlan_triggers ''; w set wowlan_triggers ''
section ${who}-get; w get wowlan_triggers; echo
cp /tmp/radio/${who}-empty.conf /tmp/radio/${who}.conf
section ${who}-reconfigure; w reconfigure
wait_count /tmp/radio/${who}.log "Failed to update wowlan_triggers to ''" 2 120
section ${who}-update-errors; grep -c "Failed to update wowlan_triggers to ''" /tmp/radio/${who}.log || true
stop_pidfile /tmp/radio/${who}.pid
section ${who}-exit-log
grep -o -e 'nl80211: Getting wowlan status failed' -e 'nl80211: wowlan is [a-z]*' -e 'Do not deauthenticate.*' /tmp/radio/${who}.log || true
section ${who}-p2p-dev; grep -c 'p2p-dev-wlan1' /tmp/radio/${who}.log || true
`;

const SCRIPT = String.raw`${PRELUDE}
finish() {
    rc=$?
    set +e
    [ $rc = 0 ] || logs 60
    stop_all
    exit $rc
}
trap finish EXIT
set -e
warm /usr/sbin/wpa_supplicant /usr/sbin/wpa_cli
section kernel; uname -r
section wowlan-show; iw phy "$(cat /sys/class/net/wlan1/phy80211/name)" wowlan show 2>&1 || true
${steps('ref', REF)}
${steps('ours', OURS)}
section end
`;

describe.skipIf(!requireRadioVm())('-D nl80211 on the kernel radio: wowlan_triggers the kernel refuses, as wpa_supplicant 2.10 (mac80211_hwsim: no WoWLAN)', () => {
  const cleanup = new Cleanup();
  let run: VmRun;
  let out = '';

  beforeAll(async () => {
    run = await runInVm([{ name: 'wowlan', script: SCRIPT }], { radios: 2, timeoutS: 1200 }, cleanup);
    out = run.step('wowlan').output;
  }, 1_260_000);
  afterAll(() => cleanup.run());

  it('the step runs to its end, on a radio without WoWLAN', () => {
    expect(run.stderr).not.toMatch(/vm-run:/);
    expect(run.step('wowlan').status, out).toBe(0);
    expect(out).toContain('=== end');
    expect(section(out, 'wowlan-show')[0], out).toMatch(/Operation not supported/);
  });

  it('-i with an empty wowlan_triggers: the kernel refuses SET_WOWLAN and the start fails (exit status 255, no socket left), as 2.10', () => {
    expect(section(out, 'ref-start-exit'), out).toEqual(['255']);
    expect(section(out, 'ours-start-exit'), out).toEqual(section(out, 'ref-start-exit'));
    expect(section(out, 'ref-start-log'), out).toEqual(['nl80211: Setting wowlan failed', 'Failed to add interface wlan1']);
    expect(section(out, 'ours-start-log'), out).toEqual(section(out, 'ref-start-log'));
    expect(section(out, 'ours-start-socket'), out).toEqual(section(out, 'ref-start-socket'));
    // Deliberate: ours says why on stderr, as for every failed start; 2.10 says it only in its debug log.
    expect(section(out, 'ref-start-stderr'), out).toEqual([]);
    expect(section(out, 'ours-start-stderr'), out).toEqual(["Failed to initialize wpa-offloadd: wlan1: the driver refused wowlan_triggers '': nl80211 command 74: ENOTSUP"]);
  });

  it('INTERFACE_ADD with that configuration answers FAIL and adds nothing, as 2.10', () => {
    expect(section(out, 'ref-interface-add'), out).toEqual(['FAIL']);
    expect(section(out, 'ours-interface-add'), out).toEqual(section(out, 'ref-interface-add'));
    expect(section(out, 'ours-interfaces'), out).toEqual(section(out, 'ref-interfaces'));
  });

  it('SET of a changed value and RECONFIGURE send it to the wiphy (the refusal logged once each), SET of the same value sends nothing, as 2.10', () => {
    expect(section(out, 'ours-ping'), out).toEqual(['PONG']);
    expect(section(out, 'ref-set'), out).toEqual(['OK', 'OK', 'OK']);
    expect(section(out, 'ours-set'), out).toEqual(section(out, 'ref-set'));
    expect(section(out, 'ours-get'), out).toEqual(section(out, 'ref-get'));
    expect(section(out, 'ours-reconfigure'), out).toEqual(section(out, 'ref-reconfigure'));
    expect(section(out, 'ref-update-errors'), out).toEqual(['2']);
    expect(section(out, 'ours-update-errors'), out).toEqual(section(out, 'ref-update-errors'));
  });

  it('at exit both ask the kernel for the WoWLAN state (GET_WOWLAN, refused here: not enabled, so no "Do not deauthenticate")', () => {
    // 2.10 deinitializes its P2P Device interface (p2p-dev-wlan1, which ours does not have) too, asking again: the lines are compared once each.
    const once = (name: string): string[] => [...new Set(section(out, name))];
    expect(once('ref-exit-log'), out).toEqual(['nl80211: Getting wowlan status failed']);
    expect(section(out, 'ours-exit-log'), out).toEqual(once('ref-exit-log'));
  });
});
