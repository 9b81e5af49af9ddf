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

/**
 * Where an AKM's PMK comes from, which decides who can run its handshakes
 * and how a host takes a handshake back from a firmware: a passphrase (psk),
 * SAE, EAP (8021x), OWE's Diffie-Hellman, DPP, FILS, or OSEN.
 */
export type AkmFamily = 'psk' | 'sae' | '8021x' | 'owe' | 'dpp' | 'fils' | 'osen';

/** The Wi-Fi Alliance OUI (DPP and OSEN AKMs). */
export const WFA_OUI = 0x506f9a;

export interface AkmInfo {
  /** Suite type under `oui` (00-0F-AC:n for all but DPP and OSEN). */
  selector: number;
  oui: number;
  /** key_mgmt name as wpa_supplicant spells it. */
  name: string;
  family: AkmFamily;
  ft: boolean;
  /** STATUS key_mgmt= text (wpa_key_mgmt_txt() for RSN). */
  statusTxt: string;
  /** Name in the SCAN_RESULTS/BSS flags ([WPA2-<name>-CCMP]); undefined: 2.10 prints none. */
  flagTxt?: string;
  /** WPA_KEY_MGMT_* bit (PMKSA_GET/PMKSA_ADD's akmp). */
  bit: number;
  /** PMK lengths the AKM defines (the first is the usual one). */
  pmkLens: readonly number[];
  /** KCK and KEK lengths follow the PMK length (SAE-EXT-KEY, OWE, DPP). */
  keysFollowPmk: boolean;
  /** The rsn Supplicant runs this AKM's EAPOL-Key handshakes. */
  handshake: boolean;
  /** PRF/KDF hash for the PTK (and PMKID), with the first PMK length. */
  hash: KdfHash;
  /** KCK/KEK/MIC lengths with the first PMK length; ptkKeyLengths() for others. */
  kckLen: number;
  kekLen: number;
  micLen: number;
  /** EAPOL-Key Key Descriptor Version (0 = AKM-defined); undefined: depends on the pairwise cipher. */
  descriptorVersion?: number;
  mic: MicAlgorithm;
}

interface AkmOpts {
  oui?: number;
  ft?: boolean;
  flag?: string;
  status?: string;
  kck?: number;
  kek?: number;
  micLen?: number;
  pmkLens?: number[];
  followsPmk?: boolean;
  handshake?: boolean;
}

const A = (
  selector: number,
  name: string,
  family: AkmFamily,
  bit: number,
  hash: KdfHash,
  mic: MicAlgorithm,
  descriptorVersion: number | undefined,
  o: AkmOpts = {},
): AkmInfo => ({
  selector,
  oui: o.oui ?? IEEE80211_OUI,
  name,
  family,
  ft: o.ft ?? false,
  statusTxt: o.status ?? name,
  flagTxt: o.flag,
  bit,
  pmkLens: o.pmkLens ?? [32],
  keysFollowPmk: o.followsPmk ?? false,
  handshake: o.handshake ?? true,
  hash,
  mic,
  descriptorVersion,
  kckLen: o.kck ?? 16,
  kekLen: o.kek ?? 16,
  micLen: o.micLen ?? 16,
});

const ANY_PMK = [32, 48, 64];

/**
 * Every AKM of IEEE 802.11-2020 Table 9-151 (and the WFA's) that the daemon
 * names, with the facts the rest of the code needs: family, names for STATUS
 * and the scan flags (wpa_key_mgmt_txt(), wpa_supplicant_ie_txt()), the
 * WPA_KEY_MGMT_* bit, PMK and PTK key lengths (wpa_common.c wpa_kck_len(),
 * wpa_kek_len()). The rsn Supplicant runs the handshakes of those marked
 * `handshake`: AKMs 1 and 2 take the descriptor version from the pairwise
 * cipher (1 for TKIP, 2 for CCMP); the others fix it. SAE's AKM-defined MIC
 * is AES-128-CMAC and Suite B's is HMAC-SHA256/384, as wpa_eapol_key_mic().
 * The order is wpa_supplicant_ie_txt()'s, which the scan flags follow.
 */
const AKMS: readonly AkmInfo[] = [
  A(1, 'WPA-EAP', '8021x', 1 << 0, 'sha1', 'hmac-sha1-128', undefined, { flag: 'EAP', status: 'WPA2/IEEE 802.1X/EAP' }),
  A(2, 'WPA-PSK', 'psk', 1 << 1, 'sha1', 'hmac-sha1-128', undefined, { flag: 'PSK', status: 'WPA2-PSK' }),
  A(8, 'SAE', 'sae', 1 << 10, 'sha256', 'aes-128-cmac', 0, { flag: 'SAE' }),
  A(3, 'FT-EAP', '8021x', 1 << 5, 'sha256', 'aes-128-cmac', 3, { ft: true, flag: 'FT/EAP' }),
  A(4, 'FT-PSK', 'psk', 1 << 6, 'sha256', 'aes-128-cmac', 3, { ft: true, flag: 'FT/PSK' }),
  A(9, 'FT-SAE', 'sae', 1 << 11, 'sha256', 'aes-128-cmac', 0, { ft: true, flag: 'FT/SAE' }),
  A(5, 'WPA-EAP-SHA256', '8021x', 1 << 7, 'sha256', 'aes-128-cmac', 3, { flag: 'EAP-SHA256', status: 'WPA2-EAP-SHA256' }),
  A(6, 'WPA-PSK-SHA256', 'psk', 1 << 8, 'sha256', 'aes-128-cmac', 3, { flag: 'PSK-SHA256', status: 'WPA2-PSK-SHA256' }),
  A(11, 'WPA-EAP-SUITE-B', '8021x', 1 << 16, 'sha256', 'hmac-sha256-128', 0, { flag: 'EAP-SUITE-B', status: 'WPA2-EAP-SUITE-B' }),
  A(12, 'WPA-EAP-SUITE-B-192', '8021x', 1 << 17, 'sha384', 'hmac-sha384-192', 0, {
    flag: 'EAP-SUITE-B-192', status: 'WPA2-EAP-SUITE-B-192', kck: 24, kek: 32, micLen: 24, pmkLens: [48],
  }),
  A(14, 'FILS-SHA256', 'fils', 1 << 18, 'sha256', 'hmac-sha256-128', 0, { flag: 'FILS-SHA256', kck: 0, kek: 32, micLen: 0, handshake: false }),
  A(15, 'FILS-SHA384', 'fils', 1 << 19, 'sha384', 'hmac-sha384-192', 0, { flag: 'FILS-SHA384', kck: 0, kek: 64, micLen: 0, pmkLens: [48], handshake: false }),
  A(16, 'FT-FILS-SHA256', 'fils', 1 << 20, 'sha256', 'hmac-sha256-128', 0, { ft: true, flag: 'FT-FILS-SHA256', kck: 0, kek: 32, micLen: 0, handshake: false }),
  A(17, 'FT-FILS-SHA384', 'fils', 1 << 21, 'sha384', 'hmac-sha384-192', 0, {
    ft: true, flag: 'FT-FILS-SHA384', kck: 0, kek: 64, micLen: 0, pmkLens: [48], handshake: false,
  }),
  A(18, 'OWE', 'owe', 1 << 22, 'sha256', 'hmac-sha256-128', 0, { flag: 'OWE', pmkLens: ANY_PMK, followsPmk: true, handshake: false }),
  A(2, 'DPP', 'dpp', 1 << 23, 'sha256', 'hmac-sha256-128', 0, { oui: WFA_OUI, flag: 'DPP', pmkLens: ANY_PMK, followsPmk: true, handshake: false }),
  A(1, 'OSEN', 'osen', 1 << 15, 'sha1', 'aes-128-cmac', 0, { oui: WFA_OUI, flag: 'OSEN', handshake: false }),
  A(13, 'FT-EAP-SHA384', '8021x', 1 << 24, 'sha384', 'hmac-sha384-192', 0, { ft: true, kck: 24, kek: 32, micLen: 24, pmkLens: [48] }),
  A(24, 'SAE-EXT-KEY', 'sae', 1 << 26, 'sha256', 'hmac-sha256-128', 0, { pmkLens: ANY_PMK, followsPmk: true, handshake: false }),
  A(25, 'FT-SAE-EXT-KEY', 'sae', 1 << 27, 'sha256', 'hmac-sha256-128', 0, { ft: true, pmkLens: ANY_PMK, followsPmk: true, handshake: false }),
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

/** A suite selector as one 32-bit number, OUI << 8 | type (how RSNE readers and nl80211 carry it). */
export const suite32 = (oui: number, type: number): number => ((oui << 8) | type) >>> 0;
const AKM_BY_NAME = new Map(AKMS.map((a) => [a.name, a]));
const AKM_BY_SUITE = new Map(AKMS.map((a) => [suite32(a.oui, a.selector), a]));
const CIPHER_BY_NAME = new Map(CIPHERS.map((c) => [c.name, c]));
const CIPHER_BY_SELECTOR = new Map(CIPHERS.map((c) => [c.selector, c]));

/**
 * An AKM whose handshakes the rsn Supplicant runs, by wpa_supplicant name or
 * 00-0F-AC suite type; throws UnknownSuiteError for any other.
 */
export function akmInfo(akm: string | number): AkmInfo {
  const info = typeof akm === 'number' ? AKM_BY_SUITE.get(suite32(IEEE80211_OUI, akm)) : AKM_BY_NAME.get(akm.toUpperCase());
  if (!info || !info.handshake) throw new UnknownSuiteError(`unsupported AKM ${String(akm)}`);
  return info;
}

/** Any AKM this table names (handshake run here or not), by name; undefined if unknown. */
export function akmFacts(akm: string): AkmInfo | undefined {
  return AKM_BY_NAME.get(akm.toUpperCase());
}

/** Any AKM this table names, by suite selector (OUI and type). */
export function akmBySuite(oui: number, type: number): AkmInfo | undefined {
  return AKM_BY_SUITE.get(suite32(oui, type));
}

/** Every AKM named here, in wpa_supplicant_ie_txt()'s order. */
export function allAkms(): readonly AkmInfo[] {
  return AKMS;
}

/** The AKM's family; undefined for a name not in the table. */
export function akmFamily(akm: string): AkmFamily | undefined {
  return akmFacts(akm)?.family;
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

/**
 * KCK and KEK lengths of the PTK for this AKM and PMK length (wpa_kck_len(),
 * wpa_kek_len()): fixed for most AKMs; for SAE-EXT-KEY, OWE and DPP the KCK
 * is half the PMK and the KEK 16 or 32 bytes; FILS has no KCK. Without a PMK
 * length, the AKM's usual one. Throws UnknownSuiteError for an unknown AKM.
 */
export function ptkKeyLengths(akm: string, pmkLen?: number): { kck: number; kek: number } {
  const a = akmFacts(akm);
  if (!a) throw new UnknownSuiteError(`unsupported AKM ${akm}`);
  const len = pmkLen ?? a.pmkLens[0];
  if (a.keysFollowPmk) return { kck: len / 2, kek: len <= 32 ? 16 : 32 };
  return { kck: a.kckLen, kek: a.kekLen };
}

export function kckLength(akm: string, pmkLen?: number): number {
  return ptkKeyLengths(akm, pmkLen).kck;
}

export function kekLength(akm: string, pmkLen?: number): number {
  return ptkKeyLengths(akm, pmkLen).kek;
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
