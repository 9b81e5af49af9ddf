/**
 * Key management offload as the founding design has it (QCA): the host runs
 * the first 4-way handshake, the firmware holds the PSK (connect's `psk`,
 * 2.10's req_key_mgmt_offload + params.psk; nl80211: KEY_MGMT_SET_KEY) and
 * roams on its own, keying its roams, and reports KCK/KEK/replay counter as
 * the roam-auth event does; the host's next group rekey verifies with them.
 * On the real daemon with the simulator, in process (-D sim) and over the
 * driver protocol (-D ext, the PSK on the wire), at -dd without -K: the PSK
 * reaches no log.
 */
import { pbkdf2Sync } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build, pskNetwork, Rig, simSection } from '../station/rig.js';

const A = '02:00:00:00:8c:01';
const B = '02:00:00:00:8c:02';
const SSID = 'km-net';
const PASS = 'key management passphrase';
/** Roams on its own (key_mgmt_offload), runs no first 4-way handshake (four_way_psk false), takes rekey data. */
const FIRMWARE = 'four_way_psk = false\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nroam_threshold = -75\nroam_delta = 5\nmode = complete\n';
const scenario = (seed: number): string =>
  `${simSection(seed)}[firmware]\n${FIRMWARE}\n` +
  `[ap a]\nbssid = ${A}\nssid = ${SSID}\nfreq = 2437\nsignal = -45\npassphrase = ${PASS}\n\n` +
  `[ap b]\nbssid = ${B}\nssid = ${SSID}\nfreq = 5180\nsignal = -60\npassphrase = ${PASS}\n`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});
beforeAll(() => build(), 120_000);

let seed = 820;
describe('key management offload: host handshake first, then the firmware\'s own roam', () => {
  for (const backend of ['sim', 'ext'] as const) {
    it(`-D ${backend}: the host runs msg 1-4 with A; the firmware roams to B with no host handshake; a group rekey the host handles at B succeeds`, async () => {
      rig = await Rig.start({ scenario: scenario(seed++), networks: pskNetwork(SSID, PASS, '\tdisabled=1\n'), backend, args: ['-dd'] });
      const r = rig;
      let from = r.mark();
      expect(await r.req('SELECT_NETWORK 0')).toBe('OK\n');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${A} completed`), from);
      // The host ran this handshake (the firmware cannot): its TK and GTK are the AP's; the firmware ran none.
      expect(r.eventsFrom(from).filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toEqual([
        `OFFLOAD-KEY-OWNER bssid=${A} owner=host completion=host-only reason=firmware cannot offload this AKM or policy forbids it`,
      ]);
      let sim = await r.simUntil((s) => s.host_tk_ok === '1');
      expect([sim.bssid, sim.fw_handshake, sim.host_tk_ok, sim.host_gtk_ok]).toEqual([A, '0', '1', '1']);

      from = r.mark();
      expect(await r.req(`DRIVER SIM_SIGNAL ${A} -85`)).toBe('OK\n');
      await r.wait(new RegExp(`CTRL-EVENT-CONNECTED - Connection to ${B} completed`), from);
      const roam = r.eventsFrom(from);
      // A roam, not a new connection: no disconnect, no attempt of the host's.
      expect(roam.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED') || e.startsWith('Trying to associate'))).toBe(false);
      expect(roam.filter((e) => e.startsWith('OFFLOAD-KEY-OWNER'))).toEqual([
        `OFFLOAD-KEY-OWNER bssid=${B} owner=firmware completion=firmware-at-assoc reason=firmware completed the 4-way handshake`,
      ]);
      // The firmware ran B's handshake; the host installed no key at B (it ran none).
      sim = await r.simStatus();
      expect([sim.bssid, sim.fw_handshake, sim.host_tk_ok]).toEqual([B, '1', '']);
      expect((await r.status()).bssid).toBe(B);

      from = r.mark();
      expect(await r.req('DRIVER SIM_GTK_REKEY host')).toBe('OK\n');
      await r.wait(new RegExp(`WPA: Group rekeying completed with ${B} \\[GTK=CCMP\\]`), from);
      sim = await r.simUntil((s) => s.host_gtk_ok === '1');
      expect(sim.host_gtk_ok).toBe('1');
      const off = await r.offload();
      expect([off.bssid, off.key_owner, off.in_sync]).toEqual([B, 'firmware', '1']);
      expect([off.fw_replay_ctr, off.fw_kck_fp]).toEqual([off.host_replay_ctr, off.host_kck_fp]);
      expect((await r.status()).wpa_state).toBe('COMPLETED');

      // -dd without -K: the PSK that went to the firmware is in no log line.
      const psk = pbkdf2Sync(PASS, SSID, 4096, 32, 'sha1').toString('hex');
      expect(r.daemon.output.toLowerCase()).not.toContain(psk);
      expect((r.sim?.stderr ?? '').toLowerCase()).not.toContain(psk);
    });
  }
});
