/**
 * The key-management primitives of IEEE 802.11 on top of node:crypto and
 * aes.ts.
 *
 * OpenSSL does the hashes and PBKDF2; AES (key wrap, CMAC) is aes.ts's,
 * checked here; this module adds the 802.11 constructions around them (PRF,
 * KDF, PTK and FT key hierarchies, EAPOL-Key MIC, PMKID). HMAC (PRF-n, the
 * KDF, the EAPOL-Key MICs, PMKIDs, SAE) is RFC 2104 written out over
 * OpenSSL's one-shot digests (HmacPads: two one-shot digests cost less than
 * an Hmac object).
 */
import { createHash, hash, pbkdf2, pbkdf2Sync, randomBytes, randomFillSync } from 'node:crypto';
import * as aes from './aes.js';
import { akmInfo, cipherInfo, type KdfHash, type MicAlgorithm } from './akm.js';

export class CryptoInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoInputError';
  }
}

/** RFC 3394 unwrap produced a wrong integrity check value: wrong KEK or tampered data. */
export class KeyUnwrapError extends Error {
  constructor(message = 'AES key unwrap integrity check failed') {
    super(message);
    this.name = 'KeyUnwrapError';
  }
}

/* ------------------------------------------------------ random octets */

/**
 * Zeroes `b`. For the few dozen octets zeroed per round of a loop (the
 * random draws, hunting-and-pecking's values): Buffer#fill is a JavaScript
 * wrapper that, called that often, V8 compiles with TurboFan, ~15 ms of guest
 * CPU in the radio VM landing on some later SAE connection; a loop here is
 * compiled with its caller.
 */
export function wipe(b: Uint8Array, start = 0, end = b.length): void {
  for (let i = start; i < end; i++) b[i] = 0;
}

/**
 * Random octets for the small draws key management makes many of (SNonce,
 * ANonce; SAE's blinding values, 40-odd per hunting-and-pecking), from a pool
 * the CSPRNG fills 1 KiB at a time: randomBytes() per draw is a call into
 * OpenSSL's DRBG and a new Buffer each time (~2.5 us of CPU against ~0.3 us
 * from the pool). Octets handed out are zeroed in the pool: none is given
 * twice, and none stays behind once used.
 */
const randomPool = Buffer.alloc(1024);
let randomPoolUsed = randomPool.length;

export function pooledRandom(n: number): Buffer {
  if (n > randomPool.length) return randomBytes(n);
  if (randomPoolUsed + n > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolUsed = 0;
  }
  // allocUnsafe and set(): Buffer.from(a view) copies octet by octet.
  const out = Buffer.allocUnsafe(n);
  out.set(randomPool.subarray(randomPoolUsed, randomPoolUsed + n));
  wipe(randomPool, randomPoolUsed, randomPoolUsed + n);
  randomPoolUsed += n;
  return out;
}

/* ------------------------------------------------------------- PBKDF2 */

export function pbkdf2Sha1(password: Buffer | string, salt: Buffer | string, iterations: number, dkLen: number): Buffer {
  return pbkdf2Sync(password, salt, iterations, dkLen, 'sha1');
}

/**
 * 4096 rounds of PBKDF2-SHA1 take milliseconds; a configuration with many
 * networks, or a reconnect loop, must not pay that again for the same pair.
 * Bounded so that a client cycling passphrases cannot grow it without limit.
 */
const PSK_CACHE_MAX = 64;
const pskCache = new Map<string, Buffer>();

/**
 * The passphrase and SSID as octets, checked as Annex J.4 requires, and
 * their cache key: the octets one char per octet, the passphrase's length
 * first so that no two pairs share a key. The same octets give the same key
 * whether they came as a string or a Buffer. Built without a Buffer when
 * both are ASCII text (a string's UTF-8 octets are then its chars), the
 * case of every configured network: the cached lookup runs at each
 * connection (the rsn benchmark's handshake loop includes it), and encoding
 * both into Buffers and then hex made it cost 2.7-3.8 us hot where this
 * costs 1.6-2.3 (same runs, `npm run bench -- rsn`).
 */
function pskInputs(passphrase: string | Buffer, ssid: string | Buffer): { p: () => Buffer; s: () => Buffer; key: string } {
  const pText = octetText(passphrase);
  const sText = octetText(ssid);
  if (pText.length < 8 || pText.length > 63) throw new CryptoInputError(`passphrase must be 8..63 characters, got ${pText.length}`);
  if (sText.length > 32) throw new CryptoInputError(`SSID longer than 32 octets (${sText.length})`);
  return { p: () => Buffer.from(pText, 'latin1'), s: () => Buffer.from(sText, 'latin1'), key: `${pText.length}:${pText}${sText}` };
}

const ASCII = /^[\x00-\x7f]*$/;

/** `v`'s octets (a string's in UTF-8) as a string of one char per octet. */
function octetText(v: string | Buffer): string {
  if (typeof v !== 'string') return v.toString('latin1');
  return ASCII.test(v) ? v : Buffer.from(v, 'utf8').toString('latin1');
}

/**
 * `value` under `key` at the most recently used end of `cache`, the least
 * recently used entry dropped when that would exceed `max`: the bounded
 * caches of derived key material (the PSK here, SAE's PWE and PT in
 * sae/pwe.ts), whose key order is their use order.
 */
export function lruPut<V>(cache: Map<string, V>, key: string, value: V, max: number): void {
  cache.delete(key);
  if (cache.size >= max) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/** Passphrase-to-PSK (IEEE 802.11 Annex J.4): PBKDF2-SHA1(passphrase, SSID, 4096, 32), cached. */
export function pbkdf2Psk(passphrase: string | Buffer, ssid: string | Buffer): Buffer {
  const { p, s, key } = pskInputs(passphrase, ssid);
  const psk = pskCache.get(key) ?? pbkdf2Sha1(p(), s(), 4096, 32);
  lruPut(pskCache, key, psk, PSK_CACHE_MAX);
  return Buffer.from(psk);
}

/** The derivations pbkdf2PskAhead() has started and not finished, by cache key. */
const pskPending = new Map<string, Promise<void>>();

/**
 * pbkdf2Psk() started ahead of its use, off the event loop (libuv's thread
 * pool): the next pbkdf2Psk() for the pair finds it cached. For a connection
 * about to be made (its scan running), so that PBKDF2's rounds are not
 * between the scan results and the association. Input that pbkdf2Psk()
 * would refuse is left for it to refuse. Settles once the PSK is cached (or
 * its derivation failed); callers need not wait.
 */
export function pbkdf2PskAhead(passphrase: string | Buffer, ssid: string | Buffer): Promise<void> {
  let inputs: ReturnType<typeof pskInputs>;
  try {
    inputs = pskInputs(passphrase, ssid);
  } catch (e) {
    if (e instanceof CryptoInputError) return Promise.resolve();
    throw e;
  }
  const { p, s, key } = inputs;
  if (pskCache.has(key)) return Promise.resolve();
  let pending = pskPending.get(key);
  if (!pending) {
    pending = new Promise((resolve) => {
      pbkdf2(p(), s(), 4096, 32, 'sha1', (err, psk) => {
        pskPending.delete(key);
        if (!err && !pskCache.has(key)) lruPut(pskCache, key, psk, PSK_CACHE_MAX);
        resolve();
      });
    });
    pskPending.set(key, pending);
  }
  return pending;
}

/** Forgets every cached PSK (configuration reload, or a benchmark that wants the cold cost). */
export function clearPskCache(): void {
  for (const v of pskCache.values()) v.fill(0);
  pskCache.clear();
}

/* ----------------------------------------------------------------- HMAC */

export type HmacHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const HASH_LEN: Readonly<Record<HmacHash, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/**
 * The digest of `data` written into out[at..at + its length). node:crypto's
 * one-shot hash() (Node 20.12 and later: package.json's engines) builds no
 * Hash stream object and keeps OpenSSL's digest fetched, and its digest as a
 * 'binary' (latin1) string, one octet per character, written in place costs
 * less than half of a digest Buffer, a new native allocation per hash (0.40
 * against 1.0-1.1 us hot; 12 of them in a 4-way handshake).
 */
function digestInto(alg: HmacHash, data: Buffer, out: Buffer, at: number): void {
  out.write(hash(alg, data, 'binary'), at, HASH_LEN[alg], 'latin1');
}

/**
 * HMAC as RFC 2104 writes it, SHA((K ^ opad) || SHA((K ^ ipad) || m)), with
 * two one-shot digests over buffers this object keeps: `inner` holds
 * (K ^ ipad) || m, `outer` K ^ opad and room for the inner digest. Two
 * one-shot digests cost less than an Hmac object (createHmac() builds a
 * stream, and OpenSSL an HMAC context and a digest fetch, per MAC: in the
 * radio VM about 45 us each), and a run of MACs under one key (PRF-n's
 * blocks, hunting-and-pecking's 40 pwd-seeds) or over one message layout
 * (the KDF's) writes the pads or the message once.
 */
export class HmacPads {
  /** Where the caller writes the message: `messageLength` octets after the inner pad. */
  readonly message: Buffer;
  private readonly inner: Buffer;
  private readonly outer: Buffer;
  private readonly block: number;
  /** The pads and the first `viewLength` octets of the message: PRF-n hashes the same length once per block. */
  private view: Buffer;
  private viewLength = -1;

  constructor(
    private readonly alg: HmacHash,
    messageLength: number,
  ) {
    this.block = alg === 'sha384' || alg === 'sha512' ? 128 : 64;
    this.inner = Buffer.alloc(this.block + messageLength);
    this.outer = Buffer.alloc(this.block + HASH_LEN[alg]);
    this.message = this.inner.subarray(this.block);
    this.view = this.inner;
  }

  /** K ^ ipad and K ^ opad, K hashed first when longer than a block (RFC 2104). */
  setKey(key: Buffer): void {
    let k = key;
    if (key.length > this.block) {
      k = Buffer.allocUnsafe(HASH_LEN[this.alg]);
      digestInto(this.alg, key, k, 0);
    }
    for (let i = 0; i < this.block; i++) {
      const v = i < k.length ? k[i]! : 0;
      this.inner[i] = v ^ 0x36;
      this.outer[i] = v ^ 0x5c;
    }
    if (k !== key) wipe(k);
  }

  /**
   * HMAC(K, message) into out[at..at + the hash's length); the message is
   * the first `length` octets of `message` (all of them by default).
   */
  macInto(out: Buffer, at: number, length = this.message.length): void {
    let input = this.inner;
    if (length !== this.message.length) {
      if (length !== this.viewLength) {
        this.view = this.inner.subarray(0, this.block + length);
        this.viewLength = length;
      }
      input = this.view;
    }
    digestInto(this.alg, input, this.outer, this.block);
    digestInto(this.alg, this.outer, out, at);
  }

  /** HMAC(K, message's first `length` octets) in a new buffer. */
  mac(length = this.message.length): Buffer {
    const out = Buffer.allocUnsafe(HASH_LEN[this.alg]);
    this.macInto(out, 0, length);
    return out;
  }

  /** Zeroes the key pads, the message's first `length` octets (all by default) and the inner digest. */
  clear(length = this.message.length): void {
    this.inner.fill(0, 0, this.block + length);
    this.outer.fill(0);
  }
}

/**
 * The pads of hmac() and prfSha1(), one per hash, reused from call to call
 * and grown to the longest message yet: a one-off HMAC allocated two zeroed
 * buffers, which made up two thirds of an EAPOL-Key MIC's CPU (6.0 against
 * 2.0 us; three MICs and a PRF a 4-way handshake). Both run to their end
 * synchronously, so no two calls share the pads at once, and each zeroes
 * what it used before it returns.
 */
const scratch = new Map<HmacHash, HmacPads>();

function scratchPads(alg: HmacHash, messageLength: number): HmacPads {
  let h = scratch.get(alg);
  if (h === undefined || h.message.length < messageLength) {
    h = new HmacPads(alg, Math.max(messageLength, 256));
    scratch.set(alg, h);
  }
  return h;
}

/** HMAC(key, m); the key-derived octets are zeroed before returning. */
export function hmac(alg: HmacHash, key: Buffer, m: Buffer): Buffer {
  const h = scratchPads(alg, m.length);
  h.setKey(key);
  h.message.set(m);
  const mac = h.mac(m.length);
  h.clear(m.length);
  return mac;
}

/* ------------------------------------------------------- PRF and KDF */

const SHA1_LEN = 20;

/**
 * IEEE 802.11 PRF-n with HMAC-SHA1 (12.7.1.2): output of any length in octets.
 * HMAC(K, label || 0 || data || i) for i = 0, 1, ...: one message whose last
 * octet is the counter, the key's pads written once, one output buffer (this
 * runs inside every 4-way handshake).
 */
export function prfSha1(key: Buffer, label: string, data: Buffer, length: number): Buffer {
  const labLen = Buffer.byteLength(label, 'ascii');
  const msgLen = labLen + 1 + data.length + 1;
  const h = scratchPads('sha1', msgLen);
  h.setKey(key);
  h.message.write(label, 0, 'ascii');
  h.message[labLen] = 0;
  data.copy(h.message, labLen + 1);
  const blocks = Math.ceil(length / SHA1_LEN);
  const out = Buffer.allocUnsafe(blocks * SHA1_LEN);
  for (let i = 0; i < blocks; i++) {
    h.message[msgLen - 1] = i;
    h.macInto(out, i * SHA1_LEN, msgLen);
  }
  h.clear(msgLen);
  return out.subarray(0, length);
}

/**
 * IEEE 802.11 KDF-Hash-Length (12.7.1.6.2) for one label, context and
 * length, under as many keys as the caller has: HMAC(K, i || label ||
 * context || L) with i and L as little-endian 16-bit counters, L in bits.
 * The message is written once; each key writes its pads (hunting-and-pecking
 * derives a value under each of its 40 pwd-seeds). A length that is not a
 * whole number of octets (SAE's hunting-and-pecking over P-521 asks for 521
 * bits) gives ceil(L/8) octets whose unused low-order bits are zero.
 */
export class Kdf {
  private readonly h: HmacPads;
  private readonly blocks: number;
  private readonly hashLen: number;

  constructor(
    hash: 'sha256' | 'sha384' | 'sha512',
    label: string,
    context: Buffer,
    private readonly bits: number,
  ) {
    if (!Number.isInteger(bits) || bits <= 0 || bits > 0xffff) throw new CryptoInputError(`KDF length ${bits} bits`);
    const labLen = Buffer.byteLength(label, 'ascii');
    this.h = new HmacPads(hash, 2 + labLen + context.length + 2);
    const m = this.h.message;
    m.write(label, 2, 'ascii');
    context.copy(m, 2 + labLen);
    m.writeUInt16LE(bits, m.length - 2);
    this.hashLen = HASH_LEN[hash];
    this.blocks = Math.ceil(bits / 8 / this.hashLen);
  }

  /** KDF-Hash-Length(key, label, context) in a new buffer. */
  derive(key: Buffer): Buffer {
    this.h.setKey(key);
    const out = Buffer.alloc(this.blocks * this.hashLen);
    for (let i = 1; i <= this.blocks; i++) {
      // i as a little-endian 16-bit counter (octet stores: see wipe()).
      this.h.message[0] = i & 0xff;
      this.h.message[1] = i >>> 8;
      this.h.macInto(out, (i - 1) * this.hashLen);
    }
    const result = out.subarray(0, Math.ceil(this.bits / 8));
    if (this.bits % 8) result[result.length - 1] &= 0xff << (8 - (this.bits % 8));
    return result;
  }

  /** Zeroes the last key's pads and the message. */
  clear(): void {
    this.h.clear();
  }
}

/** KDF-Hash-Length(key, label, context) once (class Kdf). */
export function kdf(hash: 'sha256' | 'sha384' | 'sha512', key: Buffer, label: string, context: Buffer, bits: number): Buffer {
  const k = new Kdf(hash, label, context, bits);
  const out = k.derive(key);
  k.clear();
  return out;
}

export function kdfSha256(key: Buffer, label: string, context: Buffer, bits: number): Buffer {
  return kdf('sha256', key, label, context, bits);
}

export function kdfSha384(key: Buffer, label: string, context: Buffer, bits: number): Buffer {
  return kdf('sha384', key, label, context, bits);
}

function prfByHash(hash: KdfHash, key: Buffer, label: string, data: Buffer, bytes: number): Buffer {
  return hash === 'sha1' ? prfSha1(key, label, data, bytes) : kdf(hash, key, label, data, bytes * 8);
}

/* ---------------------------------------------------------------- PTK */

export interface Ptk {
  kck: Buffer;
  kek: Buffer;
  tk: Buffer;
}

/** A MAC address as "aa:bb:cc:dd:ee:ff" (or without separators) or 6 octets. */
export type MacAddress = string | Buffer;

export function macBytes(addr: MacAddress): Buffer {
  if (Buffer.isBuffer(addr)) {
    if (addr.length !== 6) throw new CryptoInputError(`MAC address of ${addr.length} octets`);
    return addr;
  }
  return colonMacBytes(addr) ?? otherMacBytes(addr);
}

/**
 * "aa:bb:cc:dd:ee:ff", the form the driver and the station give, digit by
 * digit: every Supplicant and PTK derivation parses two, and the regular
 * expressions and the hex string of the general form cost more than the
 * rest of the parse. Undefined when `addr` is not in that form.
 */
function colonMacBytes(addr: string): Buffer | undefined {
  if (addr.length !== 17) return undefined;
  const out = Buffer.allocUnsafe(6);
  for (let i = 0; i < 6; i++) {
    const p = i * 3;
    if (i < 5 && addr.charCodeAt(p + 2) !== 0x3a) return undefined;
    const hi = hexDigit(addr.charCodeAt(p));
    const lo = hexDigit(addr.charCodeAt(p + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function otherMacBytes(addr: string): Buffer {
  const hex = addr.replace(/[:-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) throw new CryptoInputError(`invalid MAC address "${addr}"`);
  return Buffer.from(hex, 'hex');
}

/** Min(a, b) || Max(a, b) written into `out` at `at` (no concatenation: this runs in every 4-way handshake). */
function putMinMax(out: Buffer, at: number, a: Buffer, b: Buffer): void {
  const aFirst = Buffer.compare(a, b) < 0;
  (aFirst ? a : b).copy(out, at);
  (aFirst ? b : a).copy(out, at + a.length);
}

export interface PtkParams {
  akm: string | number;
  pairwise: string | number;
  pmk: Buffer;
  aa: MacAddress;
  spa: MacAddress;
  anonce: Buffer;
  snonce: Buffer;
}

/**
 * PTK = PRF(PMK, "Pairwise key expansion", Min(AA,SPA) || Max(AA,SPA) ||
 * Min(ANonce,SNonce) || Max(ANonce,SNonce)) split as KCK | KEK | TK, with the
 * AKM's hash (PRF-SHA1 or KDF-SHA256/384) and key lengths (12.7.1.3). Not for
 * FT AKMs, whose PTK comes from PMK-R1 (deriveFtPtk).
 */
export function derivePtk(p: PtkParams): Ptk {
  const a = akmInfo(p.akm);
  if (a.ft) throw new CryptoInputError(`${a.name} derives its PTK from PMK-R1 (deriveFtPtk)`);
  if (p.anonce.length !== 32 || p.snonce.length !== 32) throw new CryptoInputError('nonces must be 32 octets');
  if (p.pmk.length < 16) throw new CryptoInputError(`PMK of ${p.pmk.length} octets`);
  const tkLen = cipherInfo(p.pairwise).keyLen;
  const data = Buffer.allocUnsafe(6 + 6 + 32 + 32);
  putMinMax(data, 0, macBytes(p.aa), macBytes(p.spa));
  putMinMax(data, 12, p.anonce, p.snonce);
  const ptk = prfByHash(a.hash, p.pmk, 'Pairwise key expansion', data, a.kckLen + a.kekLen + tkLen);
  return splitPtk(ptk, a.kckLen, a.kekLen);
}

/** KCK | KEK | TK as views into `ptk`, a buffer of the caller's own that nothing else holds (no copies: this runs in every 4-way handshake). */
function splitPtk(ptk: Buffer, kckLen: number, kekLen: number): Ptk {
  return {
    kck: ptk.subarray(0, kckLen),
    kek: ptk.subarray(kckLen, kckLen + kekLen),
    tk: ptk.subarray(kckLen + kekLen),
  };
}

/* ------------------------------------------------- FT key hierarchy */

function ftHash(akm: string | number): 'sha256' | 'sha384' {
  const a = akmInfo(akm);
  if (!a.ft) throw new CryptoInputError(`${a.name} is not an FT AKM`);
  return a.hash === 'sha384' ? 'sha384' : 'sha256';
}

function truncHash(hash: 'sha256' | 'sha384', parts: Buffer[]): Buffer {
  const h = createHash(hash);
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, 16);
}

export interface PmkR0 {
  pmkR0: Buffer;
  pmkR0Name: Buffer;
}

/**
 * PMK-R0 and PMKR0Name (12.7.1.7.3): R0-Key-Data = KDF(XXKey, "FT-R0",
 * SSIDlength || SSID || MDID || R0KHlength || R0KH-ID || S0KH-ID); PMK-R0 is
 * its first Q bits, the rest is the PMK-R0Name-Salt and
 * PMKR0Name = Truncate-128(H("FT-R0N" || PMK-R0Name-Salt)).
 * XXKey is the PSK for FT-PSK, the PMK of SAE for FT-SAE (256 bits, SHA-256:
 * PMK-R0 is 256 bits) and the second 256 bits of the MSK for FT-EAP.
 */
export function deriveFtPmkR0(p: { akm: string | number; xxkey: Buffer; ssid: Buffer; mdid: Buffer; r0khId: Buffer; s0khId: MacAddress }): PmkR0 {
  const hash = ftHash(p.akm);
  if (p.ssid.length > 32) throw new CryptoInputError('SSID longer than 32 octets');
  if (p.mdid.length !== 2) throw new CryptoInputError('MDID must be 2 octets');
  if (p.r0khId.length < 1 || p.r0khId.length > 48) throw new CryptoInputError('R0KH-ID must be 1..48 octets');
  const q = hash === 'sha384' ? 48 : 32;
  const ctx = Buffer.concat([Buffer.of(p.ssid.length), p.ssid, p.mdid, Buffer.of(p.r0khId.length), p.r0khId, macBytes(p.s0khId)]);
  const r0 = kdf(hash, p.xxkey, 'FT-R0', ctx, (q + 16) * 8);
  return { pmkR0: Buffer.from(r0.subarray(0, q)), pmkR0Name: truncHash(hash, [Buffer.from('FT-R0N'), r0.subarray(q)]) };
}

export interface PmkR1 {
  pmkR1: Buffer;
  pmkR1Name: Buffer;
}

/** PMK-R1 = KDF(PMK-R0, "FT-R1", R1KH-ID || S1KH-ID); PMKR1Name = Truncate-128(H("FT-R1N" || PMKR0Name || R1KH-ID || S1KH-ID)). */
export function deriveFtPmkR1(p: { akm: string | number; pmkR0: Buffer; pmkR0Name: Buffer; r1khId: MacAddress; s1khId: MacAddress }): PmkR1 {
  const hash = ftHash(p.akm);
  const ids = Buffer.concat([macBytes(p.r1khId), macBytes(p.s1khId)]);
  return {
    pmkR1: kdf(hash, p.pmkR0, 'FT-R1', ids, p.pmkR0.length * 8),
    pmkR1Name: truncHash(hash, [Buffer.from('FT-R1N'), p.pmkR0Name, ids]),
  };
}

/** FT PTK = KDF(PMK-R1, "FT-PTK", SNonce || ANonce || BSSID || STA-ADDR); PTKName = Truncate-128(H(PMKR1Name || "FT-PTKN" || SNonce || ANonce || BSSID || STA-ADDR)). */
export function deriveFtPtk(p: { akm: string | number; pairwise: string | number; pmkR1: Buffer; pmkR1Name: Buffer; snonce: Buffer; anonce: Buffer; bssid: MacAddress; sta: MacAddress }): Ptk & { ptkName: Buffer } {
  const hash = ftHash(p.akm);
  const a = akmInfo(p.akm);
  if (p.anonce.length !== 32 || p.snonce.length !== 32) throw new CryptoInputError('nonces must be 32 octets');
  const ctx = Buffer.concat([p.snonce, p.anonce, macBytes(p.bssid), macBytes(p.sta)]);
  const len = a.kckLen + a.kekLen + cipherInfo(p.pairwise).keyLen;
  const ptk = kdf(hash, p.pmkR1, 'FT-PTK', ctx, len * 8);
  return { ...splitPtk(ptk, a.kckLen, a.kekLen), ptkName: truncHash(hash, [p.pmkR1Name, Buffer.from('FT-PTKN'), ctx]) };
}

/* --------------------------------------------------------------- PMKID */

const PMK_NAME = Buffer.from('PMK Name', 'ascii');

/**
 * PMKID = Truncate-128(HMAC-Hash(PMK, "PMK Name" || AA || SPA)), 12.7.1.3:
 * SHA-1 for AKMs 1 and 2, SHA-256 for the SHA-256 AKMs.
 */
export function pmkid(pmk: Buffer, aa: MacAddress, spa: MacAddress, hash: 'sha1' | 'sha256' = 'sha1'): Buffer {
  return hmac(hash, pmk, Buffer.concat([PMK_NAME, macBytes(aa), macBytes(spa)])).subarray(0, 16);
}

/** PMKID with the hash the AKM specifies. */
export function pmkidForAkm(akm: string | number, pmk: Buffer, aa: MacAddress, spa: MacAddress): Buffer {
  return pmkid(pmk, aa, spa, akmInfo(akm).hash === 'sha1' ? 'sha1' : 'sha256');
}

/* ------------------------------------------------------------ AES-CMAC */

/** AES takes keys of 16, 24 or 32 octets (FIPS 197); aes.ts does not check. */
function checkAesKey(key: Buffer): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new CryptoInputError(`AES key of ${key.length} octets`);
}

/** AES-CMAC (RFC 4493). */
export function aesCmac(key: Buffer, message: Buffer): Buffer {
  checkAesKey(key);
  return aes.cmac(key, message);
}

/* ------------------------------------------------------ EAPOL-Key MIC */

/** The MIC's length in octets for each algorithm (the AKM's MIC field). */
export const MIC_LENGTH: Readonly<Record<MicAlgorithm, number>> = { 'hmac-sha1-128': 16, 'aes-128-cmac': 16, 'hmac-sha256-128': 16, 'hmac-sha384-192': 24 };

const MIC_HMAC: Readonly<Record<Exclude<MicAlgorithm, 'aes-128-cmac'>, HmacHash>> = { 'hmac-sha1-128': 'sha1', 'hmac-sha256-128': 'sha256', 'hmac-sha384-192': 'sha384' };

/** Where eapolKeyMicInto() puts a whole HMAC (SHA-384's 48 octets at most) before its first MIC_LENGTH octets are copied out. */
const wholeMac = Buffer.alloc(48);

/**
 * The EAPOL-Key MIC over `frame` with its MIC field (at `micAt`) read as
 * zero, written into out[at..at + MIC_LENGTH[alg]). `frame` itself is not
 * changed, and `out` may be it (signing in place): the HMACs copy the frame
 * into their pads' message and zero the field there, so neither a zeroed
 * copy of a received frame nor a MIC Buffer is made (three MICs a 4-way
 * handshake, each of them two Buffers before).
 */
export function eapolKeyMicInto(alg: MicAlgorithm, kck: Buffer, frame: Buffer, micAt: number, out: Buffer, at: number): void {
  const micLength = MIC_LENGTH[alg];
  if (alg === 'aes-128-cmac') {
    if (kck.length !== 16) throw new CryptoInputError(`AES-128-CMAC needs a 16-octet KCK, got ${kck.length}`);
    aesCmac(kck, Buffer.from(frame).fill(0, micAt, micAt + micLength)).copy(out, at);
    return;
  }
  const h = scratchPads(MIC_HMAC[alg], frame.length);
  h.setKey(kck);
  h.message.set(frame);
  h.message.fill(0, micAt, micAt + micLength);
  h.macInto(wholeMac, 0, frame.length);
  h.clear(frame.length);
  wholeMac.copy(out, at, 0, micLength);
}

/* ------------------------------------------------- AES key wrap (RFC 3394) */

/** RFC 3394 AES key wrap; the plaintext must be a multiple of 8 octets, at least 16. */
export function aesKeyWrap(kek: Buffer, plaintext: Buffer): Buffer {
  checkAesKey(kek);
  if (plaintext.length < 16 || plaintext.length % 8 !== 0) throw new CryptoInputError(`key wrap input of ${plaintext.length} octets (need a multiple of 8, >= 16)`);
  return aes.keyWrap(kek, plaintext);
}

/** RFC 3394 AES key unwrap; a failed integrity check throws KeyUnwrapError, never returns data. */
export function aesKeyUnwrap(kek: Buffer, ciphertext: Buffer): Buffer {
  checkAesKey(kek);
  if (ciphertext.length < 24 || ciphertext.length % 8 !== 0) throw new CryptoInputError(`key unwrap input of ${ciphertext.length} octets (need a multiple of 8, >= 24)`);
  const plaintext = aes.keyUnwrap(kek, ciphertext);
  if (!plaintext) throw new KeyUnwrapError();
  return plaintext;
}
