/**
 * The text of every station event, in wpa_supplicant 2.10's exact wording
 * (wpa_ctrl.h WPA_EVENT_* and the wpa_msg() formats in events.c/wpa.c).
 * One place, so a format is fixed once and tests can import the builders.
 * Several wpa_supplicant events end in a space; that is deliberate.
 */
export const ev = {
  scanStarted: (): string => 'CTRL-EVENT-SCAN-STARTED ',
  /** With the id of a SCAN use_id=1 for that scan's results. */
  scanResults: (id?: number): string => (id === undefined ? 'CTRL-EVENT-SCAN-RESULTS ' : `CTRL-EVENT-SCAN-RESULTS id=${id}`),
  scanFailed: (ret: number): string => `CTRL-EVENT-SCAN-FAILED ret=${ret}`,
  bssAdded: (id: number, bssid: string): string => `CTRL-EVENT-BSS-ADDED ${id} ${bssid}`,
  bssRemoved: (id: number, bssid: string): string => `CTRL-EVENT-BSS-REMOVED ${id} ${bssid}`,
  networkNotFound: (): string => 'CTRL-EVENT-NETWORK-NOT-FOUND ',
  trying: (bssid: string, ssid: string, freq: number): string =>
    `Trying to associate with ${bssid} (SSID='${ssid}' freq=${freq} MHz)`,
  associated: (bssid: string): string => `Associated with ${bssid}`,
  /** sme_send_authentication(): the SME's first step (SAE). */
  smeTrying: (bssid: string, ssid: string, freq: number): string =>
    `SME: Trying to authenticate with ${bssid} (SSID='${ssid}' freq=${freq} MHz)`,
  /** A PMKSA of a configured network joined the cache (wpas_glue.c's wpa_supplicant_add_pmkid(): after SAE). */
  pmksaCacheAdded: (bssid: string, id: number): string => `PMKSA-CACHE-ADDED ${bssid} ${id}`,
  /**
   * A PMKSA of a configured network left the cache (wpas_glue.c's
   * wpa_supplicant_remove_pmkid(), for every entry pmksa_cache_free_entry()
   * frees: replaced, expired, flushed, dropped).
   */
  pmksaCacheRemoved: (bssid: string, id: number): string => `PMKSA-CACHE-REMOVED ${bssid} ${id}`,
  /** The AP's Authentication frame refused us (sme_sae_auth(), WPA_EVENT_AUTH_REJECT). */
  authReject: (bssid: string, authType: number, transaction: number, status: number): string =>
    `CTRL-EVENT-AUTH-REJECT ${bssid} auth_type=${authType} auth_transaction=${transaction} status_code=${status}`,
  saeUnknownPasswordId: (bssid: string): string => `CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER ${bssid}`,
  keyNegotiationCompleted: (bssid: string, ptk: string, gtk: string): string =>
    `WPA: Key negotiation completed with ${bssid} [PTK=${ptk} GTK=${gtk}]`,
  groupRekeyCompleted: (bssid: string, gtk: string): string =>
    `WPA: Group rekeying completed with ${bssid} [GTK=${gtk}]`,
  connected: (bssid: string, id: number, idStr: string): string =>
    `CTRL-EVENT-CONNECTED - Connection to ${bssid} completed [id=${id} id_str=${idStr}]`,
  disconnected: (bssid: string, reason: number, locallyGenerated: boolean): string =>
    `CTRL-EVENT-DISCONNECTED bssid=${bssid} reason=${reason}${locallyGenerated ? ' locally_generated=1' : ''}`,
  fourWayFailed: (): string => 'WPA: 4-Way Handshake failed - pre-shared key may be incorrect',
  assocReject: (bssid: string, status: number, timeout: boolean): string =>
    `CTRL-EVENT-ASSOC-REJECT bssid=${bssid} status_code=${status}${timeout ? ' timeout' : ''}`,
  tempDisabled: (id: number, ssid: string, failures: number, duration: number, reason: string): string =>
    `CTRL-EVENT-SSID-TEMP-DISABLED id=${id} ssid="${ssid}" auth_failures=${failures} duration=${duration} reason=${reason}`,
  reenabled: (id: number, ssid: string): string => `CTRL-EVENT-SSID-REENABLED id=${id} ssid="${ssid}"`,
  signalChange: (above: boolean, signal: number, noise: number, txrate: number): string =>
    `CTRL-EVENT-SIGNAL-CHANGE above=${above ? 1 : 0} signal=${signal} noise=${noise} txrate=${txrate}`,
  beaconLoss: (): string => 'CTRL-EVENT-BEACON-LOSS ',
  dscpClearAll: (): string => 'CTRL-EVENT-DSCP-POLICY clear_all',
  /** After every association event; the driver protocol carries no subnet status, so 0 (unknown). */
  subnetStatus: (status: number): string => `CTRL-EVENT-SUBNET-STATUS-UPDATE status=${status}`,
  networkAdded: (id: number): string => `CTRL-EVENT-NETWORK-ADDED ${id}`,
  networkRemoved: (id: number): string => `CTRL-EVENT-NETWORK-REMOVED ${id}`,
  /**
   * Ours, not wpa_supplicant's: who holds the keys of the association and why
   * (owner=firmware|host, completion as in OFFLOAD_STATUS). The reason text is
   * last so that it may contain spaces.
   */
  keyOwner: (bssid: string, owner: string, completion: string, reason: string): string =>
    `OFFLOAD-KEY-OWNER bssid=${bssid} owner=${owner} completion=${completion} reason=${reason}`,
};
