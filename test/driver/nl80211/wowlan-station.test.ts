/**
 * wowlan_triggers from the station to the nl80211 backend, as wpa_supplicant
 * 2.10 applies them: at interface start (wpa_supplicant_init_iface(), where a
 * refusal fails the interface), after SET of a changed value and after
 * RECONFIGURE (wpa_supplicant_update_config(), where a refusal is an error on
 * the log). mac80211_hwsim has no WoWLAN on Debian's 6.1 kernel, so the
 * kernel is played here: a wiphy that supports the triggers, every request
 * recorded and compared byte for byte with attributes built by hand from
 * nl80211.h's numbers (nla.ts), SET_WOWLAN refused on demand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import type { SupplicantConfig } from '../../../src/config/config.js';
import type { GenlMessage } from '../../../src/driver/nl80211/attrs.js';
import { Nl80211Driver } from '../../../src/driver/nl80211/backend.js';
import type { EapolTransport } from '../../../src/driver/nl80211/eapol-transport.js';
import { Nl80211RequestError } from '../../../src/driver/nl80211/socket.js';
import { logLevel, MsgLevel, onLog, setLogLevel } from '../../../src/log.js';
import { DEFAULT_POLICY } from '../../../src/offload/policy.js';
import { PmksaSync } from '../../../src/offload/pmksa-sync.js';
import { PmksaCache } from '../../../src/rsn/pmksa.js';
import { Station, WowlanTriggersError } from '../../../src/station/station.js';
import { FakeNl80211Kernel, IFINDEX } from './fake-kernel.js';
import { cat, flag, nla, u32 } from './nla.js';

// nl80211.h: enum nl80211_commands, enum nl80211_attrs, enum nl80211_wowlan_triggers.
const CMD = { TRIGGER_SCAN: 33, SET_WOWLAN: 74 };
const A = { IFINDEX: 3, WOWLAN_TRIGGERS: 117, WOWLAN_TRIGGERS_SUPPORTED: 118, EXT_FEATURES: 217 };
const TRIG = { ANY: 1, DISCONNECT: 2, MAGIC_PKT: 3, GTK_REKEY_FAILURE: 6 };

/** A wiphy with WoWLAN (any, disconnect, magic_pkt, gtk_rekey_failure); SET_WOWLAN refused while `refuseWowlan`. */
class WowlanKernel extends FakeNl80211Kernel {
  refuseWowlan = false;

  constructor() {
    super('wlan0', '020000000100', 'iwlwifi');
  }

  protected override reply(cmd: number): GenlMessage[] {
    if (cmd === CMD.SET_WOWLAN && this.refuseWowlan) throw new Nl80211RequestError(cmd, 'EINVAL', `nl80211 command ${cmd}: EINVAL`);
    return [];
  }

  protected override wiphy(): Buffer[] {
    const wowlan = nla(A.WOWLAN_TRIGGERS_SUPPORTED, cat(flag(TRIG.ANY), flag(TRIG.DISCONNECT), flag(TRIG.MAGIC_PKT), flag(TRIG.GTK_REKEY_FAILURE)));
    return [nla(A.EXT_FEATURES, Buffer.alloc(8)), wowlan];
  }

  openPacketEapol(): EapolTransport {
    return { send: async () => undefined, close: () => undefined } as unknown as EapolTransport;
  }

  /** The SET_WOWLAN requests since the last call. */
  takeWowlan(): Buffer[] {
    const w = this.sent.filter((s) => s.cmd === CMD.SET_WOWLAN).map((s) => s.data);
    this.sent = [];
    return w;
  }
}

const setWowlan = (...flags: number[]): Buffer => cat(nla(A.IFINDEX, u32(IFINDEX)), nla(A.WOWLAN_TRIGGERS, cat(...flags.map(flag))));

let station: Station | undefined;
afterEach(async () => {
  await station?.terminate();
  station = undefined;
});

function newStation(k: WowlanKernel, conf: string): { s: Station; config: () => SupplicantConfig; replace(text: string): void } {
  let cfg = parseConfig(conf);
  const driver = new Nl80211Driver('wlan0', k);
  const s = new Station({ ifname: 'wlan0', driver, config: () => cfg, policy: DEFAULT_POLICY, pmksa: new PmksaSync(new PmksaCache(), driver, 'wlan0') });
  station = s;
  return { s, config: () => cfg, replace: (text) => (cfg = parseConfig(text)) };
}

/** Log lines at error level while `fn` runs. */
async function errors(fn: () => Promise<void>): Promise<string[]> {
  const was = logLevel();
  setLogLevel(MsgLevel.ERROR);
  const lines: string[] = [];
  const stop = onLog((level, text) => level >= MsgLevel.ERROR && lines.push(text));
  try {
    await fn();
  } finally {
    stop();
    setLogLevel(was);
  }
  return lines;
}

/** Lets the station's asynchronous steps after a call run (kernel requests resolve in microtasks). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('wowlan_triggers at interface start (2.10: wpa_supplicant_init_iface() fails when the driver refuses them)', () => {
  it('the first link-up sets them before start() settles (byte-exact SET_WOWLAN)', async () => {
    const k = new WowlanKernel();
    const { s } = newStation(k, 'wowlan_triggers=disconnect gtk_rekey_failure\n');
    await s.start();
    expect(k.takeWowlan()).toEqual([setWowlan(TRIG.DISCONNECT, TRIG.GTK_REKEY_FAILURE)]);
  });

  it('a refusal rejects start() with WowlanTriggersError, and the station does not go on to scan; a word the wiphy does not take sets nothing and is no failure (wpa_get_wowlan_triggers() gives NULL)', async () => {
    const unsupported = new WowlanKernel();
    unsupported.refuseWowlan = true;
    await newStation(unsupported, 'wowlan_triggers=disconnect rfkill_release\n').s.start();
    expect(unsupported.takeWowlan()).toEqual([]);
    await station?.terminate();

    const k = new WowlanKernel();
    k.refuseWowlan = true;
    const { s } = newStation(k, 'wowlan_triggers=disconnect\n');
    const err = await s.start().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WowlanTriggersError);
    expect((err as Error).message).toMatch(/wowlan_triggers 'disconnect'.*EINVAL/);
    await settle();
    expect(k.sent.map((m) => m.cmd)).not.toContain(CMD.TRIGGER_SCAN);
  });
});

describe('a changed wowlan_triggers goes to the wiphy (2.10: wpa_supplicant_update_config() for CFG_CHANGED_WOWLAN_TRIGGERS)', () => {
  it('SET (the station told the value changed): SET_WOWLAN with the new flags; a refusal is 2.10\'s error line, nothing else', async () => {
    const k = new WowlanKernel();
    const c = newStation(k, 'wowlan_triggers=disconnect\n');
    await c.s.start();
    k.takeWowlan();
    c.config().setGlobal('wowlan_triggers', 'magic_pkt any');
    c.s.globalChanged('wowlan_triggers');
    await settle();
    expect(k.takeWowlan()).toEqual([setWowlan(TRIG.ANY, TRIG.MAGIC_PKT)]);
    k.refuseWowlan = true;
    const lines = await errors(async () => {
      c.config().setGlobal('wowlan_triggers', 'gtk_rekey_failure');
      c.s.globalChanged('wowlan_triggers');
      await settle();
    });
    expect(k.takeWowlan()).toEqual([setWowlan(TRIG.GTK_REKEY_FAILURE)]);
    expect(lines).toEqual(["Failed to update wowlan_triggers to 'gtk_rekey_failure'"]);
    // Another global changed: nothing is sent.
    c.config().setGlobal('okc', '1');
    c.s.globalChanged('okc');
    await settle();
    expect(k.takeWowlan()).toEqual([]);
  });

  it('RECONFIGURE sets the new file\'s wowlan_triggers, changed or not, as 2.10 marks every parameter changed; a file without them sends nothing', async () => {
    const k = new WowlanKernel();
    const c = newStation(k, 'wowlan_triggers=disconnect\n');
    await c.s.start();
    k.takeWowlan();
    c.replace('wowlan_triggers=disconnect\n');
    c.s.reconfigured();
    await settle();
    expect(k.takeWowlan()).toEqual([setWowlan(TRIG.DISCONNECT)]);
    c.replace('wowlan_triggers=any\n');
    c.s.reconfigured();
    await settle();
    expect(k.takeWowlan()).toEqual([setWowlan(TRIG.ANY)]);
    c.replace('okc=1\n');
    c.s.reconfigured();
    await settle();
    expect(k.takeWowlan()).toEqual([]);
  });
});

describe('the scan after BSS_FLUSH 0 on nl80211 (2.10: clear_driver_scan_cache, then only_new_results)', () => {
  it('TRIGGER_SCAN carries NL80211_ATTR_SCAN_FLAGS (158) = NL80211_SCAN_FLAG_FLUSH (1 << 1), byte for byte', async () => {
    const k = new WowlanKernel();
    const { s } = newStation(k, '');
    await s.start();
    await settle();
    k.sent = [];
    s.flushBss(0);
    expect(s.userScan().status).toBe('ok');
    await settle();
    // The wildcard SSID alone (SCAN_SSIDS = 45, entry 1 empty), then the flags.
    expect(k.sent.filter((m) => m.cmd === CMD.TRIGGER_SCAN).map((m) => m.data)).toEqual([
      cat(nla(A.IFINDEX, u32(IFINDEX)), nla(45, nla(1, Buffer.alloc(0))), nla(158, u32(2))),
    ]);
  });
});
