/**
 * Token lists of the network block (key_mgmt, proto, ciphers, auth_alg) as
 * bit sets. Each table is in wpa_supplicant 2.10's writer order, which is the
 * canonical order GET_NETWORK and SAVE_CONFIG print, whatever the input order.
 * Only tokens the Debian 2.10 build accepts are listed (no WPA-EAP-SHA384,
 * no SAE-EXT-KEY).
 */

export interface TokenTable {
  readonly tokens: readonly string[]; // bit i <-> tokens[i], in writer order
}

export const KEY_MGMT: TokenTable = {
  tokens: [
    'WPA-PSK', 'WPA-EAP', 'IEEE8021X', 'NONE', 'WPA-NONE', 'FT-PSK', 'FT-EAP', 'FT-EAP-SHA384',
    'WPA-PSK-SHA256', 'WPA-EAP-SHA256', 'WPS', 'SAE', 'FT-SAE', 'OSEN', 'WPA-EAP-SUITE-B',
    'WPA-EAP-SUITE-B-192', 'FILS-SHA256', 'FILS-SHA384', 'FT-FILS-SHA256', 'FT-FILS-SHA384', 'DPP', 'OWE',
  ],
};

export const PROTO: TokenTable = { tokens: ['WPA', 'RSN', 'OSEN'] };

/** One cipher table for pairwise, group and group_mgmt, as wpa_parse_cipher/wpa_write_ciphers use. */
export const CIPHER: TokenTable = {
  tokens: [
    'CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP', 'AES-128-CMAC', 'BIP-GMAC-128', 'BIP-GMAC-256',
    'BIP-CMAC-256', 'NONE', 'WEP104', 'WEP40', 'GTK_NOT_USED',
  ],
};

export const AUTH_ALG: TokenTable = { tokens: ['OPEN', 'SHARED', 'LEAP'] };

export function bits(table: TokenTable, ...names: string[]): number {
  let v = 0;
  for (const n of names) {
    const i = table.tokens.indexOf(n);
    if (i < 0) throw new Error(`no token ${n}`);
    v |= 1 << i;
  }
  return v;
}

/** Tokens of `value` set in canonical order. */
export function tokenNames(table: TokenTable, value: number): string[] {
  return table.tokens.filter((_, i) => (value & (1 << i)) !== 0);
}

/**
 * The token-list parser shared by key_mgmt, proto, auth_alg and the ciphers:
 * tokens separated by spaces or tabs, each one exact-case; an unknown token
 * is an error. Returns the bit set, or undefined on an unknown token.
 * `aliases` maps extra spellings (proto WPA2 = RSN).
 */
export function parseTokens(table: TokenTable, value: string, aliases: Record<string, string> = {}): number | undefined {
  let v = 0;
  for (const word of value.split(/[ \t]+/)) {
    if (word === '') continue;
    const i = table.tokens.indexOf(Object.hasOwn(aliases, word) ? aliases[word] : word);
    if (i < 0) return undefined;
    v |= 1 << i;
  }
  return v;
}

export const KM_PSK_NO_SAE = bits(KEY_MGMT, 'WPA-PSK', 'FT-PSK', 'WPA-PSK-SHA256');
export const KM_SAE = bits(KEY_MGMT, 'SAE', 'FT-SAE');
export const KM_WPS = bits(KEY_MGMT, 'WPS');

export const DEFAULT_KEY_MGMT = bits(KEY_MGMT, 'WPA-PSK', 'WPA-EAP');
export const DEFAULT_PROTO = bits(PROTO, 'WPA', 'RSN');
export const DEFAULT_PAIRWISE = bits(CIPHER, 'CCMP', 'TKIP');
export const DEFAULT_GROUP = bits(CIPHER, 'CCMP', 'TKIP');

export const ALLOWED_PAIRWISE = bits(CIPHER, 'CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP', 'NONE');
export const ALLOWED_GROUP = bits(CIPHER, 'CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP', 'GTK_NOT_USED');
export const ALLOWED_GROUP_MGMT = bits(CIPHER, 'AES-128-CMAC', 'BIP-GMAC-128', 'BIP-GMAC-256', 'BIP-CMAC-256');
export const WEP_CIPHERS = bits(CIPHER, 'WEP104', 'WEP40');
/** Pairwise ciphers that let a CCMP group cipher stand (config-file validation). */
export const PAIRWISE_ALLOWING_CCMP_GROUP = bits(CIPHER, 'CCMP', 'CCMP-256', 'GCMP', 'GCMP-256', 'NONE');
export const CIPHER_CCMP = bits(CIPHER, 'CCMP');

/** wpa_write_ciphers(): the NONE/WEP/GTK_NOT_USED bits print nothing except NONE; a 50-byte buffer. */
export function writeCiphers(value: number): string | undefined {
  const printable = ['CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP', 'AES-128-CMAC', 'BIP-GMAC-128', 'BIP-GMAC-256', 'BIP-CMAC-256', 'NONE'];
  const s = tokenNames(CIPHER, value).filter((t) => printable.includes(t)).join(' ');
  // Every token that does not fit in the 50-byte buffer makes the writer fail.
  return s.length >= 50 ? undefined : s;
}
