/**
 * wpa_state values exactly as wpa_supplicant names them (wpa_supplicant_state_txt()).
 */
const WPA_STATES = [
  'DISCONNECTED',
  'INTERFACE_DISABLED',
  'INACTIVE',
  'SCANNING',
  'AUTHENTICATING',
  'ASSOCIATING',
  'ASSOCIATED',
  '4WAY_HANDSHAKE',
  'GROUP_HANDSHAKE',
  'COMPLETED',
] as const;
export type WpaState = (typeof WPA_STATES)[number];

/** wpa_supplicant compares states by order (e.g. "wpa_state >= WPA_ASSOCIATED"). */
export function stateAtLeast(s: WpaState, min: WpaState): boolean {
  return WPA_STATES.indexOf(s) >= WPA_STATES.indexOf(min);
}
