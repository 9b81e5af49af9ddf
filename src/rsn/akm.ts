/**
 * AKM and cipher suites: selectors (00-0F-AC:n) <-> wpa_supplicant names, and
 * the per-suite numbers the key hierarchy needs (KCK/KEK/MIC lengths, hash,
 * EAPOL-Key descriptor version, temporal key lengths).
 *
 * One table per concept so that the codecs, the handshakes and the station
 * code all agree on what "WPA-PSK-SHA256" or "GCMP-256" mean.
 */

/** The IEEE 802.11 OUI carried in RSNE suite selectors and KDEs. */
export const IEEE80211_OUI = 0x000fac;

export class UnknownSuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownSuiteError';
  }
}

export type KdfHash = 'sha1' | 'sha256' | 'sha384';
/**
 * How the EAPOL-Key MIC is computed: descriptor versions 2 (HMAC-SHA1-128)
 * and 3 (AES-128-CMAC), or an AKM-defined algorithm (descriptor version 0).
 */
export type MicAlgorithm = 'hmac-sha1-128' | 'aes-128-cmac' | 'hmac-sha256-128' | 'hmac-sha384-192';

export interface AkmInfo {
  /** Suite type in 00-0F-AC:n. */
  selector: number;
  /** key_mgmt name as wpa_supplicant spells it. */
  name: string;
  /** PRF/KDF hash for the PTK (and PMKID). */
  hash: KdfHash;
  kckLen: number;
  kekLen: number;
  micLen: number;
  /** EAPOL-Key Key Descriptor Version (0 = AKM-defined); undefined: depends on the pairwise cipher. */
  descriptorVersion?: number;
  mic: MicAlgorithm;
  ft: boolean;
  psk: boolean;
}

const A = (
  selector: number,
  name: string,
  hash: KdfHash,
  mic: MicAlgorithm,
  descriptorVersion: number | undefined,
  opts: { kck?: number; kek?: number; micLen?: number; ft?: boolean; psk?: boolean } = {},
): AkmInfo => ({
  selector,
  name,
  hash,
  mic,
  descriptorVersion,
  kckLen: opts.kck ?? 16,
  kekLen: opts.kek ?? 16,
  micLen: opts.micLen ?? 16,
  ft: opts.ft ?? false,
  psk: opts.psk ?? false,
});

/**
 * AKMs of IEEE 802.11-2020 Table 9-151 that this library runs. AKMs 1 and 2
 * take the descriptor version from the pairwise cipher (1 for TKIP, 2 for
 * CCMP); the others fix it. SAE's AKM-defined MIC is AES-128-CMAC and Suite B's
 * is HMAC-SHA256/384, as wpa_common.c's wpa_eapol_key_mic() does.
 */
const AKMS: readonly AkmInfo[] = [
  A(1, 'WPA-EAP', 'sha1', 'hmac-sha1-128', undefined),
  A(2, 'WPA-PSK', 'sha1', 'hmac-sha1-128', undefined, { psk: true }),
  A(3, 'FT-EAP', 'sha256', 'aes-128-cmac', 3, { ft: true }),
  A(4, 'FT-PSK', 'sha256', 'aes-128-cmac', 3, { ft: true, psk: true }),
  A(5, 'WPA-EAP-SHA256', 'sha256', 'aes-128-cmac', 3),
  A(6, 'WPA-PSK-SHA256', 'sha256', 'aes-128-cmac', 3, { psk: true }),
  A(8, 'SAE', 'sha256', 'aes-128-cmac', 0),
  A(9, 'FT-SAE', 'sha256', 'aes-128-cmac', 0, { ft: true }),
  A(11, 'WPA-EAP-SUITE-B', 'sha256', 'hmac-sha256-128', 0),
  A(12, 'WPA-EAP-SUITE-B-192', 'sha384', 'hmac-sha384-192', 0, { kck: 24, kek: 32, micLen: 24 }),
  A(13, 'FT-EAP-SHA384', 'sha384', 'hmac-sha384-192', 0, { kck: 24, kek: 32, micLen: 24, ft: true }),
];

export type CipherUse = 'pairwise' | 'group' | 'group-mgmt';

export interface CipherInfo {
  selector: number;
  /** wpa_supplicant's name (pairwise/group: "CCMP"; group_mgmt: "AES-128-CMAC"). */
  name: string;
  keyLen: number;
  /** Length of the receive sequence counter (Key RSC / IPN) used with this cipher. */
  rscLen: number;
  uses: readonly CipherUse[];
}

const C = (selector: number, name: string, keyLen: number, rscLen: number, uses: CipherUse[]): CipherInfo => ({ selector, name, keyLen, rscLen, uses });

const CIPHERS: readonly CipherInfo[] = [
  C(1, 'WEP40', 5, 0, ['group']),
  C(2, 'TKIP', 32, 6, ['pairwise', 'group']),
  C(4, 'CCMP', 16, 6, ['pairwise', 'group']),
  C(5, 'WEP104', 13, 0, ['group']),
  C(6, 'AES-128-CMAC', 16, 6, ['group-mgmt']),
  C(7, 'GTK_NOT_USED', 0, 0, ['group']),
  C(8, 'GCMP', 16, 6, ['pairwise', 'group']),
  C(9, 'GCMP-256', 32, 6, ['pairwise', 'group']),
  C(10, 'CCMP-256', 32, 6, ['pairwise', 'group']),
  C(11, 'BIP-GMAC-128', 16, 6, ['group-mgmt']),
  C(12, 'BIP-GMAC-256', 32, 6, ['group-mgmt']),
  C(13, 'BIP-CMAC-256', 32, 6, ['group-mgmt']),
];

/** Names people use for the default group management cipher besides wpa_supplicant's. */
const CIPHER_ALIASES: Record<string, string> = { BIP: 'AES-128-CMAC', 'BIP-CMAC-128': 'AES-128-CMAC' };

const AKM_BY_NAME = new Map(AKMS.map((a) => [a.name, a]));
const AKM_BY_SELECTOR = new Map(AKMS.map((a) => [a.selector, a]));
const CIPHER_BY_NAME = new Map(CIPHERS.map((c) => [c.name, c]));
const CIPHER_BY_SELECTOR = new Map(CIPHERS.map((c) => [c.selector, c]));

/** AKM by wpa_supplicant name or suite type; throws UnknownSuiteError. */
export function akmInfo(akm: string | number): AkmInfo {
  const info = typeof akm === 'number' ? AKM_BY_SELECTOR.get(akm) : AKM_BY_NAME.get(akm.toUpperCase());
  if (!info) throw new UnknownSuiteError(`unsupported AKM ${String(akm)}`);
  return info;
}

export function akmBySelector(selector: number): AkmInfo | undefined {
  return AKM_BY_SELECTOR.get(selector);
}

/** Cipher by wpa_supplicant name (or alias) or suite type; throws UnknownSuiteError. */
export function cipherInfo(cipher: string | number): CipherInfo {
  const info =
    typeof cipher === 'number'
      ? CIPHER_BY_SELECTOR.get(cipher)
      : CIPHER_BY_NAME.get(CIPHER_ALIASES[cipher.toUpperCase()] ?? cipher.toUpperCase());
  if (!info) throw new UnknownSuiteError(`unsupported cipher ${String(cipher)}`);
  return info;
}

/** A cipher that must be valid in this role (a BIP suite is no pairwise cipher); throws UnknownSuiteError. */
export function cipherFor(use: CipherUse, cipher: string | number): CipherInfo {
  const info = cipherInfo(cipher);
  if (!info.uses.includes(use)) throw new UnknownSuiteError(`${info.name} is not a ${use} cipher`);
  return info;
}

/** The ciphers valid in this role, in suite-selector order. */
export function ciphersFor(use: CipherUse): CipherInfo[] {
  return CIPHERS.filter((c) => c.uses.includes(use));
}

export function cipherBySelector(selector: number): CipherInfo | undefined {
  return CIPHER_BY_SELECTOR.get(selector);
}

export function kckLength(akm: string | number): number {
  return akmInfo(akm).kckLen;
}

export function kekLength(akm: string | number): number {
  return akmInfo(akm).kekLen;
}

export function micLength(akm: string | number): number {
  return akmInfo(akm).micLen;
}

/** Temporal key length of a pairwise cipher (TKIP's 32 include the two Michael keys). */
export function tkLength(cipher: string | number): number {
  return cipherInfo(cipher).keyLen;
}

/**
 * EAPOL-Key Key Descriptor Version for this AKM and pairwise cipher: 1 for
 * TKIP with the SHA-1 AKMs, 2 for CCMP/GCMP with them, 3 for the SHA-256 AKMs,
 * 0 (AKM-defined) for SAE and Suite B (802.11-2020 12.7.2).
 */
export function descriptorVersion(akm: string | number, pairwise: string | number): number {
  const a = akmInfo(akm);
  if (a.descriptorVersion !== undefined) return a.descriptorVersion;
  return cipherInfo(pairwise).name === 'TKIP' ? 1 : 2;
}

/** The MIC algorithm of descriptor version `ver` under this AKM, or undefined if the pair is not valid. */
export function micAlgorithm(akm: string | number, ver: number): MicAlgorithm | undefined {
  const a = akmInfo(akm);
  switch (ver) {
    case 2:
      return 'hmac-sha1-128';
    case 3:
      return 'aes-128-cmac';
    case 0:
      return a.descriptorVersion === 0 ? a.mic : undefined;
    default:
      // Version 1 (HMAC-MD5 + RC4, TKIP) is WPA1-era and not supported.
      return undefined;
  }
}

/** Printable name of a suite selector that is not in our tables: "00-0f-ac:99". */
export function selectorName(oui: number, type: number): string {
  const o = oui.toString(16).padStart(6, '0');
  return `${o.slice(0, 2)}-${o.slice(2, 4)}-${o.slice(4, 6)}:${type}`;
}
