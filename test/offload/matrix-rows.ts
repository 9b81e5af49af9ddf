/**
 * The firmware-behaviour matrix: one row per firmware mode of the simulator,
 * with what the first connection must show. Shared by the process-level
 * matrix (matrix.test.ts, both backends) and the in-process one on virtual
 * time (matrix-inproc.test.ts), so both check the same rows.
 */
export interface Row {
  name: string;
  firmware: string;
  /** completion= of the connection once COMPLETED (OFFLOAD_STATUS). */
  completion: string;
  /** completion= of the first OFFLOAD-KEY-OWNER event when the host took the connection back before it completed. */
  before?: string;
  owner: 'firmware' | 'host';
  /** The firmware takes rekey data and answers group rekeys. */
  offloads: boolean;
  /** The firmware roams on its own (it holds the PMK: it was given one with connect, `pmk` or `psk`). */
  roams: boolean;
  /** EAPOL-Starts the AP receives during the first connection (the take-back rule: at most one, PSK only). */
  eapolStarts: number;
  /** WPA3-Personal: the APs run SAE (akm = SAE), the network is key_mgmt=SAE, the firmware says sae_offload. */
  sae?: boolean;
  /** SAE offload that reports no PMKSA (sae_report_pmksa = false), as brcmfmac with nl80211's SAE_OFFLOAD_STA: the host holds no PMK. */
  noPmksa?: boolean;
}

export const FULL = 'four_way_psk = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nroam_threshold = -75\nroam_delta = 5\n';
const SAE_FW = `${FULL}sae_offload = true\n`;
const SAE_NO_PMKSA_FW = `${SAE_FW}sae_report_pmksa = false\n`;
export const ROWS: Row[] = [
  { name: 'complete', firmware: `${FULL}mode = complete\n`, completion: 'firmware-at-assoc', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0 },
  { name: 'late', firmware: `${FULL}mode = late\n`, completion: 'firmware-late', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0 },
  { name: 'silent', firmware: `${FULL}mode = silent\n`, completion: 'host-after-firmware-silence', owner: 'host', offloads: true, roams: true, eapolStarts: 0 },
  // The firmware swallows the AP's handshake and says nothing until the host sends EAPOL itself: one EAPOL-Start takes it back.
  { name: 'mute', firmware: `${FULL}mode = mute\n`, completion: 'host-after-firmware-silence', owner: 'host', offloads: true, roams: true, eapolStarts: 1 },
  { name: 'no_material', firmware: `${FULL}mode = no_material\n`, completion: 'firmware-no-material', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0 },
  // The firmware fails the offloaded handshake: the host runs that network's
  // handshakes from then on and connect carries no PMK (the firmware still gets
  // the PSK for roams of its own, key_mgmt_offload, whose handshakes it would fail too: not run here).
  { name: 'fail', firmware: `${FULL}mode = fail\n`, completion: 'host-only', owner: 'host', offloads: true, roams: false, eapolStarts: 0 },
  // The founding design (QCA key management offload): the host runs the first
  // 4-way handshake, the firmware, given the PSK with connect (nl80211: the
  // KEY_MGMT_SET_KEY vendor command), roams on its own and keys its roams.
  {
    name: 'host handshake, firmware roams (key_mgmt_offload)',
    firmware: 'four_way_psk = false\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nroam_threshold = -75\nroam_delta = 5\nmode = complete\n',
    completion: 'host-only',
    owner: 'host',
    offloads: true,
    roams: true,
    eapolStarts: 0,
  },
  {
    name: 'host-only (no capability)',
    firmware: 'four_way_psk = false\nfour_way_8021x = false\nkey_mgmt_offload = false\ngtk_rekey_offload = false\npmksa_offload = false\n',
    completion: 'host-only',
    owner: 'host',
    offloads: false,
    roams: false,
    eapolStarts: 0,
  },
  // SAE offload: the firmware gets the password with connect, runs SAE and the 4-way handshake, and reports the PMKSA.
  { name: 'SAE complete', firmware: `${SAE_FW}mode = complete\n`, completion: 'firmware-at-assoc', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0, sae: true },
  // The firmware ran SAE (the PMKSA is cached), then says nothing: the host reconnects with offload off, offering that PMKID (never EAPOL-Start).
  {
    name: 'SAE silent',
    firmware: `${SAE_FW}mode = mute\n`,
    before: 'host-after-firmware-silence',
    completion: 'host-only',
    owner: 'host',
    offloads: true,
    roams: false,
    eapolStarts: 0,
    sae: true,
  },
  // The firmware ran SAE, then failed the 4-way handshake: the same take-back.
  { name: 'SAE fail', firmware: `${SAE_FW}mode = fail\n`, completion: 'host-only', owner: 'host', offloads: true, roams: false, eapolStarts: 0, sae: true },
  // As brcmfmac: SAE and the 4-way handshake in the firmware, completion with neither PMKSA nor PTK material; the keys stay the firmware's.
  {
    name: 'SAE no PMKSA',
    firmware: `${SAE_NO_PMKSA_FW}mode = no_material\n`,
    completion: 'firmware-no-material',
    owner: 'firmware',
    offloads: true,
    roams: true,
    eapolStarts: 0,
    sae: true,
    noPmksa: true,
  },
  // It ran SAE, reported no PMKSA, then says nothing: the host reconnects with offload off and, with no PMKSA to offer, runs SAE itself.
  {
    name: 'SAE no PMKSA silent',
    firmware: `${SAE_NO_PMKSA_FW}mode = mute\n`,
    before: 'host-after-firmware-silence',
    completion: 'host-only',
    owner: 'host',
    offloads: true,
    roams: false,
    eapolStarts: 0,
    sae: true,
    noPmksa: true,
  },
];

/** The matrix's scenario: two APs of one ESS (A the stronger), WPA2-PSK or, for an SAE row, WPA3-Personal. */
export function matrixScenario(head: string, firmware: string, row: Row, ap: { a: string; b: string; ssid: string; pass: string }): string {
  const akm = row.sae ? 'akm = SAE\n' : '';
  return `${head}[firmware]\n${firmware}\n` +
    `[ap a]\nbssid = ${ap.a}\nssid = ${ap.ssid}\nfreq = 2437\nsignal = -45\npassphrase = ${ap.pass}\n${akm}\n` +
    `[ap b]\nbssid = ${ap.b}\nssid = ${ap.ssid}\nfreq = 5180\nsignal = -60\npassphrase = ${ap.pass}\n${akm}`;
}

/** The network for the row: WPA-PSK, or SAE with PMF (2.10 requires it for an SAE-only network). */
export function matrixNetwork(row: Row, ssid: string, pass: string): string {
  const keyMgmt = row.sae ? 'SAE' : 'WPA-PSK';
  return `network={\n\tssid="${ssid}"\n\tpsk="${pass}"\n\tkey_mgmt=${keyMgmt}\n${row.sae ? '\tieee80211w=2\n' : ''}\tdisabled=1\n}\n`;
}
