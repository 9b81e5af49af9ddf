/**
 * The SAE numbers that code outside the SAE state machines needs (the SME,
 * the simulated AP): Status Codes and Authentication Algorithm Numbers. A
 * module of their own, with no import, so that those modules do not load the
 * state machines and their group arithmetic (@noble/curves) with them:
 * load.ts says why.
 */

/** Status codes (Table 9-50) the SAE exchange uses, with hostap's names. */
export const SaeStatus = {
  SUCCESS: 0,
  UNSPECIFIED_FAILURE: 1,
  CHALLENGE_FAIL: 15,
  ANTI_CLOGGING_TOKEN_REQ: 76,
  FINITE_CYCLIC_GROUP_NOT_SUPPORTED: 77,
  UNKNOWN_PASSWORD_IDENTIFIER: 123,
  SAE_HASH_TO_ELEMENT: 126,
  SAE_PK: 127,
} as const;

/** Authentication Algorithm Numbers (IEEE 802.11-2020 9.4.1.1): Open System, SAE. */
export const WLAN_AUTH_OPEN = 0;
export const WLAN_AUTH_SAE = 3;
