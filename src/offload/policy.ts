/**
 * When the host asks the firmware to run the 4-way handshake.
 *
 * Offload is requested only when the firmware advertises it for the AKM's
 * family (`four_way_psk` / `four_way_8021x` / `sae_offload`), the AKM and the daemon's policy
 * allow it, and wpa_supplicant's own global `key_mgmt_offload` (default 1) is
 * not 0 — so a wpa_supplicant.conf that turns offload off still does.
 * And, apart from that, when the firmware gets the PSK for its own roams
 * (key_mgmt_offload: wantsKeyMgmtOffloadPsk).
 */
import type { DriverCapabilities } from '../driver/backend.js';
import { akmFamily } from '../rsn/akm.js';

export interface OffloadPolicy {
  /** Let the firmware run the 4-way handshake for PSK AKMs. */
  psk: boolean;
  /** The same for 802.1X AKMs (the PMK comes from EAP or a cached PMKSA). */
  ieee8021x: boolean;
  /** Let a firmware with `sae_offload` run SAE and the 4-way handshake for SAE. */
  sae: boolean;
  /**
   * After an unauthorized `assoc`, how long to wait for `port_authorized` or a
   * forwarded msg 1/4 before the host sends EAPOL-Start itself (ms).
   */
  offloadWaitMs: number;
  /** wpa_supplicant's authentication timeout after association (ms): 10 s for WPA. */
  authTimeoutMs: number;
  /** Where to keep the PMKSA cache across restarts; undefined = not kept. */
  pmksaFile?: string;
  /** PMKSA_GET / PMKSA_ADD expose PMKs: allowed only for testing. */
  pmksaTesting: boolean;
}

export const DEFAULT_POLICY: OffloadPolicy = {
  psk: true,
  ieee8021x: true,
  sae: true,
  offloadWaitMs: 1000,
  authTimeoutMs: 10_000,
  pmksaTesting: false,
};


export function wantsOffload(
  policy: OffloadPolicy,
  config: { getGlobal(name: string): string | undefined },
  caps: DriverCapabilities | undefined,
  akm: string,
): boolean {
  if (!caps) return false;
  if (!keyMgmtOffloadOn(config)) return false;
  if (caps.akms.length > 0 && !caps.akms.includes(akm)) return false;
  switch (akmFamily(akm)) {
    case 'psk':
      return policy.psk && caps.four_way_psk;
    case '8021x':
      return policy.ieee8021x && caps.four_way_8021x;
    case 'sae':
      // SAE's PMK comes out of SAE: a firmware that runs the 4-way handshake for it runs SAE too (SAE_OFFLOAD_STA).
      return policy.sae && caps.sae_offload === true;
    default:
      return false;
  }
}

/** wpa_supplicant's global `key_mgmt_offload` (default 1): 0 keeps key management on the host. */
function keyMgmtOffloadOn(config: { getGlobal(name: string): string | undefined }): boolean {
  return config.getGlobal('key_mgmt_offload') !== '0';
}

/**
 * Whether the firmware gets the PSK for the roams it makes on its own
 * (connect's `psk`), as 2.10's wpas_start_assoc_cb() sets
 * req_key_mgmt_offload and params.psk: the global `key_mgmt_offload` not 0,
 * a firmware that roams on its own (`key_mgmt_offload`), a PSK AKM (WPA-PSK,
 * WPA-PSK-SHA256, FT-PSK). Apart from who runs this association's 4-way
 * handshake (wantsOffload): with the host running it, the firmware still
 * roams and keys its roams from this PSK (the founding design). The 802.1X
 * AKMs' PMK would reach it after a fresh EAP exchange (2.10's set_key with
 * KEY_FLAG_PMK), which the daemon never runs.
 */
export function wantsKeyMgmtOffloadPsk(
  config: { getGlobal(name: string): string | undefined },
  caps: DriverCapabilities | undefined,
  akm: string,
): boolean {
  return caps?.key_mgmt_offload === true && keyMgmtOffloadOn(config) && akmFamily(akm) === 'psk';
}

/** Whether one association's 4-way handshake goes to the firmware, and why not when it does not. */
export interface OffloadDecision {
  offload: boolean;
  why: string;
}

/**
 * The per-interface offload decision: the policy above, plus memory of the
 * networks for which the firmware failed an offloaded handshake. Those get
 * the host's handshakes until the firmware (re)starts: a failed offloaded
 * handshake says nothing about the passphrase, and only the host's own
 * attempt can tell.
 */
export class OffloadDecider {
  private readonly failedNetworks = new Set<number>();

  constructor(
    private readonly policy: OffloadPolicy,
    private readonly config: () => { getGlobal(name: string): string | undefined },
  ) {}

  decide(networkId: number, akm: string, caps: DriverCapabilities | undefined): OffloadDecision {
    if (!wantsOffload(this.policy, this.config(), caps, akm)) return { offload: false, why: 'firmware cannot offload this AKM or policy forbids it' };
    if (this.failedNetworks.has(networkId)) return { offload: false, why: 'firmware failed an offloaded 4-way handshake for this network' };
    return { offload: true, why: '' };
  }

  firmwareFailed(networkId: number): void {
    this.failedNetworks.add(networkId);
  }

  /** The network is gone (its id may be reused). */
  forget(networkId: number): void {
    this.failedNetworks.delete(networkId);
  }

  /** A new firmware (restart, new driver connection) or a new configuration: trust it again. */
  reset(): void {
    this.failedNetworks.clear();
  }
}
