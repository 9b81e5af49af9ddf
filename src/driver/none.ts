/**
 * The driver of an interface started without `-D`: a radio with nothing in
 * range. Its link is up at once with the netdev's MAC address and no offload
 * capabilities; every scan finds no BSS. The station runs on it unchanged, so
 * every command answers as on a Wi-Fi interface that sees no network (SCAN,
 * SCAN_RESULTS, BSS, BSSID_IGNORE, DISCONNECT, ...), and nothing connects.
 *
 * wpa_supplicant's default driver is nl80211, which this daemon does not have
 * (README); this is what stands in for it.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import {
  DRIVER_PROTOCOL_VERSION,
  type DriverBackend,
  type DriverEvents,
  type FirmwareSyncState,
  type HelloResult,
  ZERO_ADDR,
} from './backend.js';

/** A request only a radio with a BSS in range could serve. */
export class NoRadioError extends Error {
  constructor(op: string) {
    super(`${op}: no driver backend (-D) on this interface`);
    this.name = 'NoRadioError';
  }
}

export class NoneDriver extends EventEmitter<DriverEvents> implements DriverBackend {
  readonly name = 'none';
  private up = false;
  private readonly helloResult: HelloResult;

  constructor(ifname: string) {
    super();
    this.helloResult = {
      version: DRIVER_PROTOCOL_VERSION,
      address: readMacAddress(ifname),
      capabilities: {
        four_way_psk: false,
        four_way_8021x: false,
        key_mgmt_offload: false,
        gtk_rekey_offload: false,
        pmksa_offload: false,
        max_pmksa: 0,
        akms: [],
        ciphers: [],
      },
    };
  }

  get hello(): HelloResult | null {
    return this.up ? this.helloResult : null;
  }

  start(): void {
    // After the caller's synchronous setup, as a real link would come up.
    setImmediate(() => {
      this.up = true;
      this.emit('link_up', this.helloResult);
    });
  }

  async close(): Promise<void> {
    this.up = false;
  }

  async scan(): Promise<void> {
    setImmediate(() => {
      this.emit('scan_started');
      this.emit('scan_results', []);
    });
  }

  // Nothing is ever in range, so the station never gets this far.
  async connect(): Promise<void> {
    throw new NoRadioError('connect');
  }
  async roam(): Promise<void> {
    throw new NoRadioError('roam');
  }
  async txEapol(): Promise<void> {
    throw new NoRadioError('tx_eapol');
  }
  async setKey(): Promise<void> {
    throw new NoRadioError('set_key');
  }
  async driverCmd(): Promise<string> {
    throw new NoRadioError('driver_cmd');
  }

  // Leaving nothing and keeping no PMKSA copy both succeed trivially.
  async disconnect(): Promise<void> {}
  async setPort(): Promise<void> {}
  async setPmksa(): Promise<void> {}
  async delPmksa(): Promise<void> {}
  async delPmksaBySsid(): Promise<void> {}
  async suspend(): Promise<void> {}
  async resume(): Promise<void> {}
  async flushPmksa(): Promise<void> {}
  async setRekeyData(): Promise<void> {}
  async syncState(): Promise<FirmwareSyncState> {
    return { replayCtr: null, kckFp: null, kekFp: null, pmkids: [] };
  }
}

/** The interface's MAC from sysfs; all zeros when the interface does not exist here. */
function readMacAddress(ifname: string): string {
  try {
    return fs.readFileSync(`/sys/class/net/${ifname}/address`, 'utf8').trim();
  } catch {
    return ZERO_ADDR;
  }
}
