/**
 * The station on a mac80211 wiphy, whose connections the daemon's own SME
 * runs as wpa_supplicant 2.10's sme.c does (WPA_DRIVER_FLAGS_SME):
 * sme_send_authentication() sets wpa_state AUTHENTICATING and prints "SME:
 * Trying to authenticate with ..."; only once the AP accepts the Open System
 * authentication does sme_associate() set ASSOCIATING and print "Trying to
 * associate with ..."; a refusal is CTRL-EVENT-AUTH-REJECT, with no
 * association attempt announced. The kernel is played (fake-kernel.ts): a
 * wiphy listing AUTHENTICATE, one WPA2-PSK BSS in its scan results, the
 * AP's Authentication frame given as mac80211 passes it up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { Nl80211Driver } from '../../../src/driver/nl80211/backend.js';
import type { EapolTransport } from '../../../src/driver/nl80211/eapol-transport.js';
import { DEFAULT_POLICY } from '../../../src/offload/policy.js';
import { PmksaSync } from '../../../src/offload/pmksa-sync.js';
import { PmksaCache } from '../../../src/rsn/pmksa.js';
import { Station } from '../../../src/station/station.js';
import { FakeNl80211Kernel, IFINDEX } from './fake-kernel.js';
import { cat, hex, nla, u16, u32 } from './nla.js';

// nl80211.h: enum nl80211_commands, enum nl80211_attrs, enum nl80211_bss.
const CMD = { TRIGGER_SCAN: 33, NEW_SCAN_RESULTS: 34, AUTHENTICATE: 37, ASSOCIATE: 38, DEAUTHENTICATE: 39, CONNECT: 46, DISCONNECT: 48 };
const A = { IFINDEX: 3, BSS: 47, FRAME: 51, SUPPORTED_COMMANDS: 50, EXT_FEATURES: 217 };
const BSS = { BSSID: 1, FREQUENCY: 2, CAPABILITY: 5, INFORMATION_ELEMENTS: 6, SIGNAL_MBM: 7 };
const OWN = '020000000100';
const AP = '02:00:00:00:5e:01';
const SSID = 'sme-net';
const RSNE = hex('3014 0100 000fac04 0100 000fac04 0100 000fac02 0000');
// EXT_FEATURES bit 26: control port over nl80211.
const EXT_CONTROL_PORT = Buffer.from([0, 0, 0, 0x04, 0, 0, 0, 0]);

/** mac80211_hwsim's kind of wiphy: AUTHENTICATE and ASSOCIATE among its commands. */
class Mac80211Kernel extends FakeNl80211Kernel {
  constructor() {
    super('wlan0', OWN, 'mac80211_hwsim');
  }

  protected override wiphy(): Buffer[] {
    const cmds = [CMD.AUTHENTICATE, CMD.ASSOCIATE, CMD.DEAUTHENTICATE, CMD.CONNECT, CMD.DISCONNECT];
    return [nla(A.EXT_FEATURES, EXT_CONTROL_PORT), nla(A.SUPPORTED_COMMANDS, cat(...cmds.map((c, i) => nla(i + 1, u32(c)))))];
  }

  protected override scanResults(): Buffer[] {
    const ies = cat(Buffer.from([0, SSID.length]), Buffer.from(SSID), RSNE);
    const bss = cat(nla(BSS.BSSID, hex(AP)), nla(BSS.FREQUENCY, u32(2437)), nla(BSS.CAPABILITY, u16(0x0011)), nla(BSS.INFORMATION_ELEMENTS, ies), nla(BSS.SIGNAL_MBM, u32(-4500)));
    return [cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.BSS, bss))];
  }

  openPacketEapol(): EapolTransport {
    return { send: async () => undefined, close: () => undefined } as unknown as EapolTransport;
  }

  /** The AP's Authentication frame (Open System, transaction 2) with `status`, as mac80211 passes it up: header, then algorithm, transaction, status. */
  authAnswer(status: number): void {
    const header = cat(hex('b000 0000'), hex(OWN), hex(AP), hex(AP), hex('1000'));
    this.event(CMD.AUTHENTICATE, nla(A.FRAME, cat(header, u16(0), u16(2), u16(status))));
  }
}

let station: Station | undefined;
afterEach(async () => {
  await station?.terminate();
  station = undefined;
});

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The station up to its Open System AUTHENTICATE for the one BSS. */
async function authenticating(k: Mac80211Kernel): Promise<{ s: Station; events: string[] }> {
  const cfg = parseConfig(`network={\n\tssid="${SSID}"\n\tpsk="sme passphrase"\n\tkey_mgmt=WPA-PSK\n}\n`);
  const driver = new Nl80211Driver('wlan0', k);
  const s = new Station({ ifname: 'wlan0', driver, config: () => cfg, policy: DEFAULT_POLICY, pmksa: new PmksaSync(new PmksaCache(), driver, 'wlan0') });
  station = s;
  const events: string[] = [];
  s.on('ctrlEvent', (_level: number, text: string) => events.push(text));
  await s.start();
  for (let i = 0; i < 20 && !k.sent.some((m) => m.cmd === CMD.TRIGGER_SCAN); i++) await settle();
  k.event(CMD.NEW_SCAN_RESULTS);
  for (let i = 0; i < 50 && !k.sent.some((m) => m.cmd === CMD.AUTHENTICATE); i++) await settle();
  return { s, events };
}

describe('the host SME on mac80211: wpa_state and events as 2.10\'s sme.c', () => {
  it('AUTHENTICATING with "SME: Trying to authenticate" first; ASSOCIATING with "Trying to associate" once the AP accepts, as the ASSOCIATE goes out', async () => {
    const k = new Mac80211Kernel();
    const { s, events } = await authenticating(k);
    expect(k.sent.map((m) => m.cmd)).toContain(CMD.AUTHENTICATE);
    expect(k.sent.map((m) => m.cmd)).not.toContain(CMD.CONNECT);
    expect(s.wpaState).toBe('AUTHENTICATING');
    expect(events.filter((e) => e.includes('Trying to'))).toEqual([`SME: Trying to authenticate with ${AP} (SSID='${SSID}' freq=2437 MHz)`]);
    k.authAnswer(0);
    await settle();
    expect(s.wpaState).toBe('ASSOCIATING');
    expect(events.filter((e) => e.includes('Trying to'))).toEqual([
      `SME: Trying to authenticate with ${AP} (SSID='${SSID}' freq=2437 MHz)`,
      `Trying to associate with ${AP} (SSID='${SSID}' freq=2437 MHz)`,
    ]);
    expect(k.sent.map((m) => m.cmd)).toContain(CMD.ASSOCIATE);
  });

  it('a refused authentication: CTRL-EVENT-AUTH-REJECT, no "Trying to associate", no ASSOCIATE', async () => {
    const k = new Mac80211Kernel();
    const { events } = await authenticating(k);
    k.authAnswer(1);
    for (let i = 0; i < 5; i++) await settle();
    expect(events).toContain(`CTRL-EVENT-AUTH-REJECT ${AP} auth_type=0 auth_transaction=2 status_code=1`);
    expect(events.some((e) => e.startsWith('Trying to associate'))).toBe(false);
    expect(k.sent.map((m) => m.cmd)).not.toContain(CMD.ASSOCIATE);
  });
});
