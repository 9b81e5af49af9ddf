/**
 * GET_CAPABILITY <field> [strict], as wpa_supplicant 2.10 answers it (Debian
 * build: CONFIG_DPP, CONFIG_ACS, CONFIG_OCV, CONFIG_TDLS; no ERP, FILS, MESH).
 *
 * The cipher / AKM / mode lists come from the driver's capabilities. Until a
 * driver reports them (wpa_drv_get_capa() failing), wpa_supplicant answers its
 * built-in defaults, or nothing with `strict`; that is what this does.
 */
import { FAIL } from './command-table.js';

/** eap_get_names() of the Debian build, in its registration order. */
const EAP_METHODS =
  "MD5 TLS WFA-UNAUTH-TLS MSCHAPV2 PEAP TTLS GTC OTP SIM LEAP PSK AKA AKA' FAST PAX SAKE GPSK WSC IKEV2 TNC PWD EKE";

/** The answers when the driver reports no capabilities (res < 0 in ctrl_iface.c). */
const NO_DRIVER_DEFAULTS: Record<string, string> = {
  pairwise: 'CCMP TKIP NONE',
  group: 'CCMP TKIP WEP104 WEP40',
  key_mgmt: 'WPA-PSK WPA-EAP IEEE8021X WPA-NONE NONE',
  proto: 'RSN WPA',
  auth_alg: 'OPEN SHARED LEAP',
  modes: 'IBSS AP',
};

/** Fields answered without looking at the driver. */
const FIXED: Record<string, string> = {
  eap: EAP_METHODS,
  acs: 'ACS',
  dpp: 'DPP=2',
  // No SME in the host (the firmware associates), no OCV flag from the driver.
  ocv: 'not supported',
  tdls: 'UNSUPPORTED\n',
};

/** wpa_supplicant copies the argument into char field[30]; longer → FAIL. */
const FIELD_BUF = 30;

export function getCapability(arg: string): string {
  if (Buffer.byteLength(arg, 'latin1') >= FIELD_BUF) return FAIL;
  const sp = arg.indexOf(' ');
  const field = sp < 0 ? arg : arg.slice(0, sp);
  if (sp >= 0 && arg.slice(sp + 1) !== 'strict') return FAIL;
  const strict = sp >= 0;
  if (field in FIXED) return FIXED[field];
  if (field in NO_DRIVER_DEFAULTS) return strict ? '' : NO_DRIVER_DEFAULTS[field];
  // group_mgmt lists only driver-reported ciphers; channels/freq list the
  // driver's hardware modes: with no driver there are none.
  if (field === 'group_mgmt' || field === 'channels' || field === 'freq') return '';
  return FAIL;
}
