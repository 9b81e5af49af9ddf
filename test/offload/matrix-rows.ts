/**
 * The firmware-behaviour matrix: one row per firmware mode of the simulator,
 * with what the first connection must show. Shared by the process-level
 * matrix (matrix.test.ts, both backends) and the in-process one on virtual
 * time (matrix-inproc.test.ts), so both check the same rows.
 */
export interface Row {
  name: string;
  firmware: string;
  /** completion= of the first connection. */
  completion: string;
  owner: 'firmware' | 'host';
  /** The firmware takes rekey data and answers group rekeys. */
  offloads: boolean;
  /** The firmware roams on its own (it holds the PMK: it was given one with connect). */
  roams: boolean;
  /** EAPOL-Starts the AP receives during the first connection (the take-back rule: at most one, PSK only). */
  eapolStarts: number;
}

export const FULL = 'four_way_psk = true\nkey_mgmt_offload = true\ngtk_rekey_offload = true\npmksa_offload = true\nroam_threshold = -75\nroam_delta = 5\n';
export const ROWS: Row[] = [
  { name: 'complete', firmware: `${FULL}mode = complete\n`, completion: 'firmware-at-assoc', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0 },
  { name: 'late', firmware: `${FULL}mode = late\n`, completion: 'firmware-late', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0 },
  { name: 'silent', firmware: `${FULL}mode = silent\n`, completion: 'host-after-firmware-silence', owner: 'host', offloads: true, roams: true, eapolStarts: 0 },
  // The firmware swallows the AP's handshake and says nothing until the host sends EAPOL itself: one EAPOL-Start takes it back.
  { name: 'mute', firmware: `${FULL}mode = mute\n`, completion: 'host-after-firmware-silence', owner: 'host', offloads: true, roams: true, eapolStarts: 1 },
  { name: 'no_material', firmware: `${FULL}mode = no_material\n`, completion: 'firmware-no-material', owner: 'firmware', offloads: true, roams: true, eapolStarts: 0 },
  // The firmware fails the offloaded handshake: the host runs that network's
  // handshakes from then on, connect carries no PMK, so the firmware cannot roam.
  { name: 'fail', firmware: `${FULL}mode = fail\n`, completion: 'host-only', owner: 'host', offloads: true, roams: false, eapolStarts: 0 },
  {
    name: 'host-only (no capability)',
    firmware: 'four_way_psk = false\nfour_way_8021x = false\nkey_mgmt_offload = false\ngtk_rekey_offload = false\npmksa_offload = false\n',
    completion: 'host-only',
    owner: 'host',
    offloads: false,
    roams: false,
    eapolStarts: 0,
  },
];

