/**
 * The security negotiated for one association: what the station chose from
 * the BSS's RSNE and what the key path runs with. One declaration, shared by
 * selection, the key path and the status text.
 */
export interface SecurityChoice {
  akm: string;
  pairwise: string;
  group: string;
  groupMgmt?: string;
  /** Management frame protection in use (MFPC on both sides). */
  mfp: boolean;
  /** The AP requires it (MFPR). */
  mfpRequired: boolean;
  /** The BSS's RSNE as the Beacon/Probe Response carried it (empty for an open BSS). */
  apRsne: Buffer;
  /** FT AKMs: the BSS's Mobility Domain element, which the (Re)Association Request repeats. */
  mde?: Buffer;
}
