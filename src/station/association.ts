/**
 * One association as the station tracks it; its key side is the offload
 * layer's KeyPath.
 */
import type { NetworkConfig } from '../config/network.js';
import type { SecurityChoice } from '../rsn/security.js';

export interface Association {
  net: NetworkConfig;
  bssid: string;
  freq: number;
  ssid: Buffer;
  sec: SecurityChoice;
  signal: number;
  /** The SAE exchange this association ran (none with a cached PMKSA): STATUS sae_group / sae_h2e. */
  sae?: { group: number; h2e: boolean };
}
