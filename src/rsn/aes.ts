/**
 * The AES block cipher (FIPS 197) and the two modes IEEE 802.11 key
 * management runs on it: key wrap (RFC 3394; the Key Data of EAPOL-Key
 * msg 3/4 and group msg 1/2, the FT GTK subelement) and CMAC (RFC 4493; the
 * EAPOL-Key MIC of the SAE and PSK-SHA256 AKMs, the FT MIC).
 *
 * Why not node:crypto: Node.js 20 carries OpenSSL 3.0, whose key wrap cipher
 * runs its 6n block operations through the software AES_encrypt() /
 * AES_decrypt(), not AES-NI, behind a cipher context built per call: 10-12
 * µs to unwrap msg 3/4's 56 octets, a third of a warm host 4-way handshake.
 * A CMAC took two cipher contexts (ECB for the subkeys, CBC for the pass):
 * 10-17 µs per EAPOL-Key MIC. The block operations here are that same kind
 * of software AES, in the round-table ("T-table") form of the Rijndael
 * proposal that OpenSSL's own software AES uses, on 32-bit words in place
 * and with no context to build: 3.6-3.9 µs for that unwrap, 1.3 µs for the
 * MIC (hot; `npm run bench -- rsn`).
 *
 * Side channels: a table lookup's address depends on key and data, so a
 * process sharing the CPU's caches could time it, as it could OpenSSL's
 * software AES that this replaces; nothing here branches on a secret. The
 * key schedules live in two module buffers and are zeroed before each call
 * returns.
 *
 * Inputs are not checked here (crypto.ts does): keys of 16, 24 or 32
 * octets, key data a multiple of 8 octets, at least 16.
 */

/* ------------------------------------------------------------ the tables */

/** The S-box and its inverse (FIPS 197 5.1.1, 5.3.2). */
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
/**
 * The round tables: TE0[x] is the column MixColumns makes of S[x] in row 0
 * (2·s, s, s, 3·s); TD0[x] the column InvMixColumns makes of S⁻¹[x] (14·s,
 * 9·s, 13·s, 11·s); TE1-3 and TD1-3 are the same columns rotated by one,
 * two and three octets, for rows 1-3. A round is then four lookups and XORs
 * per output word.
 */
const TE0 = new Int32Array(256);
const TE1 = new Int32Array(256);
const TE2 = new Int32Array(256);
const TE3 = new Int32Array(256);
const TD0 = new Int32Array(256);
const TD1 = new Int32Array(256);
const TD2 = new Int32Array(256);
const TD3 = new Int32Array(256);

/** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS 197 4.2.1). */
function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
}

{
  // Powers and logarithms of the generator 3 give inverses and products.
  const exp = new Uint8Array(255);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= xtime(x);
  }
  const mul = (a: number, b: number): number => (a && b ? exp[(log[a]! + log[b]!) % 255]! : 0);
  for (let i = 0; i < 256; i++) {
    const inv = i ? exp[(255 - log[i]!) % 255]! : 0;
    // The affine transformation: b ^ (b <<< 1) ^ (b <<< 2) ^ (b <<< 3) ^ (b <<< 4) ^ 0x63.
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >> (8 - r))) & 0xff;
    s ^= 0x63;
    SBOX[i] = s;
    INV_SBOX[s] = i;
  }
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i]!;
    const e = (mul(s, 2) << 24) | (s << 16) | (s << 8) | mul(s, 3);
    TE0[i] = e;
    TE1[i] = (e >>> 8) | (e << 24);
    TE2[i] = (e >>> 16) | (e << 16);
    TE3[i] = (e >>> 24) | (e << 8);
    const v = INV_SBOX[i]!;
    const d = (mul(v, 14) << 24) | (mul(v, 9) << 16) | (mul(v, 13) << 8) | mul(v, 11);
    TD0[i] = d;
    TD1[i] = (d >>> 8) | (d << 24);
    TD2[i] = (d >>> 16) | (d << 16);
    TD3[i] = (d >>> 24) | (d << 8);
  }
}

/* ------------------------------------------------------- key schedules */

/** The encryption and decryption round keys of the call in progress: 4 (Nr + 1) words, 60 for AES-256. */
const encKeys = new Int32Array(60);
const decKeys = new Int32Array(60);
/** The block a cipher call produced, as four big-endian words. */
const block = new Int32Array(4);

function word(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

function putWord(b: Uint8Array, at: number, w: number): void {
  b[at] = w >>> 24;
  b[at + 1] = w >>> 16;
  b[at + 2] = w >>> 8;
  b[at + 3] = w;
}

function subWord(w: number): number {
  return (SBOX[w >>> 24]! << 24) | (SBOX[(w >>> 16) & 0xff]! << 16) | (SBOX[(w >>> 8) & 0xff]! << 8) | SBOX[w & 0xff]!;
}

/** KeyExpansion() (FIPS 197 5.2) into encKeys; returns the number of rounds. */
function expandKey(key: Uint8Array): number {
  const nk = key.length >>> 2;
  const rounds = nk + 6;
  const total = 4 * (rounds + 1);
  for (let i = 0; i < nk; i++) encKeys[i] = word(key, 4 * i);
  let rcon = 1;
  for (let i = nk; i < total; i++) {
    let t = encKeys[i - 1]!;
    if (i % nk === 0) {
      t = subWord((t << 8) | (t >>> 24)) ^ (rcon << 24);
      rcon = xtime(rcon);
    } else if (nk === 8 && i % nk === 4) {
      t = subWord(t);
    }
    encKeys[i] = encKeys[i - nk]! ^ t;
  }
  return rounds;
}

/**
 * The equivalent inverse cipher's round keys (FIPS 197 5.3.5) into decKeys,
 * from encKeys: the rounds in reverse order, InvMixColumns applied to all but
 * the first and last (TD of S[x] is InvMixColumns of x's column).
 */
function invertKey(rounds: number): void {
  for (let r = 0; r <= rounds; r++) {
    for (let c = 0; c < 4; c++) {
      const k = encKeys[4 * (rounds - r) + c]!;
      decKeys[4 * r + c] =
        r === 0 || r === rounds
          ? k
          : TD0[SBOX[k >>> 24]!]! ^ TD1[SBOX[(k >>> 16) & 0xff]!]! ^ TD2[SBOX[(k >>> 8) & 0xff]!]! ^ TD3[SBOX[k & 0xff]!]!;
    }
  }
}

function wipeKeys(): void {
  encKeys.fill(0);
  decKeys.fill(0);
  block.fill(0);
}

/* ---------------------------------------------------------- one block */

/** Cipher() (FIPS 197 5.1) of the block (s0, s1, s2, s3) under encKeys, into `block`. */
function encryptWords(rounds: number, s0: number, s1: number, s2: number, s3: number): void {
  const rk = encKeys;
  s0 ^= rk[0]!;
  s1 ^= rk[1]!;
  s2 ^= rk[2]!;
  s3 ^= rk[3]!;
  let k = 4;
  for (let r = 1; r < rounds; r++, k += 4) {
    const t0 = TE0[s0 >>> 24]! ^ TE1[(s1 >>> 16) & 0xff]! ^ TE2[(s2 >>> 8) & 0xff]! ^ TE3[s3 & 0xff]! ^ rk[k]!;
    const t1 = TE0[s1 >>> 24]! ^ TE1[(s2 >>> 16) & 0xff]! ^ TE2[(s3 >>> 8) & 0xff]! ^ TE3[s0 & 0xff]! ^ rk[k + 1]!;
    const t2 = TE0[s2 >>> 24]! ^ TE1[(s3 >>> 16) & 0xff]! ^ TE2[(s0 >>> 8) & 0xff]! ^ TE3[s1 & 0xff]! ^ rk[k + 2]!;
    const t3 = TE0[s3 >>> 24]! ^ TE1[(s0 >>> 16) & 0xff]! ^ TE2[(s1 >>> 8) & 0xff]! ^ TE3[s2 & 0xff]! ^ rk[k + 3]!;
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  // The last round has no MixColumns: SubBytes and ShiftRows only.
  block[0] = ((SBOX[s0 >>> 24]! << 24) | (SBOX[(s1 >>> 16) & 0xff]! << 16) | (SBOX[(s2 >>> 8) & 0xff]! << 8) | SBOX[s3 & 0xff]!) ^ rk[k]!;
  block[1] = ((SBOX[s1 >>> 24]! << 24) | (SBOX[(s2 >>> 16) & 0xff]! << 16) | (SBOX[(s3 >>> 8) & 0xff]! << 8) | SBOX[s0 & 0xff]!) ^ rk[k + 1]!;
  block[2] = ((SBOX[s2 >>> 24]! << 24) | (SBOX[(s3 >>> 16) & 0xff]! << 16) | (SBOX[(s0 >>> 8) & 0xff]! << 8) | SBOX[s1 & 0xff]!) ^ rk[k + 2]!;
  block[3] = ((SBOX[s3 >>> 24]! << 24) | (SBOX[(s0 >>> 16) & 0xff]! << 16) | (SBOX[(s1 >>> 8) & 0xff]! << 8) | SBOX[s2 & 0xff]!) ^ rk[k + 3]!;
}

/** EqInvCipher() (FIPS 197 5.3.5) of the block (s0, s1, s2, s3) under decKeys, into `block`. */
function decryptWords(rounds: number, s0: number, s1: number, s2: number, s3: number): void {
  const rk = decKeys;
  s0 ^= rk[0]!;
  s1 ^= rk[1]!;
  s2 ^= rk[2]!;
  s3 ^= rk[3]!;
  let k = 4;
  for (let r = 1; r < rounds; r++, k += 4) {
    const t0 = TD0[s0 >>> 24]! ^ TD1[(s3 >>> 16) & 0xff]! ^ TD2[(s2 >>> 8) & 0xff]! ^ TD3[s1 & 0xff]! ^ rk[k]!;
    const t1 = TD0[s1 >>> 24]! ^ TD1[(s0 >>> 16) & 0xff]! ^ TD2[(s3 >>> 8) & 0xff]! ^ TD3[s2 & 0xff]! ^ rk[k + 1]!;
    const t2 = TD0[s2 >>> 24]! ^ TD1[(s1 >>> 16) & 0xff]! ^ TD2[(s0 >>> 8) & 0xff]! ^ TD3[s3 & 0xff]! ^ rk[k + 2]!;
    const t3 = TD0[s3 >>> 24]! ^ TD1[(s2 >>> 16) & 0xff]! ^ TD2[(s1 >>> 8) & 0xff]! ^ TD3[s0 & 0xff]! ^ rk[k + 3]!;
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  block[0] = ((INV_SBOX[s0 >>> 24]! << 24) | (INV_SBOX[(s3 >>> 16) & 0xff]! << 16) | (INV_SBOX[(s2 >>> 8) & 0xff]! << 8) | INV_SBOX[s1 & 0xff]!) ^ rk[k]!;
  block[1] = ((INV_SBOX[s1 >>> 24]! << 24) | (INV_SBOX[(s0 >>> 16) & 0xff]! << 16) | (INV_SBOX[(s3 >>> 8) & 0xff]! << 8) | INV_SBOX[s2 & 0xff]!) ^ rk[k + 1]!;
  block[2] = ((INV_SBOX[s2 >>> 24]! << 24) | (INV_SBOX[(s1 >>> 16) & 0xff]! << 16) | (INV_SBOX[(s0 >>> 8) & 0xff]! << 8) | INV_SBOX[s3 & 0xff]!) ^ rk[k + 2]!;
  block[3] = ((INV_SBOX[s3 >>> 24]! << 24) | (INV_SBOX[(s2 >>> 16) & 0xff]! << 16) | (INV_SBOX[(s1 >>> 8) & 0xff]! << 8) | INV_SBOX[s0 & 0xff]!) ^ rk[k + 3]!;
}

/** `block` as a new Buffer; the key schedules are zeroed. */
function blockOut(): Buffer {
  const out = Buffer.allocUnsafe(16);
  for (let i = 0; i < 4; i++) putWord(out, 4 * i, block[i]!);
  wipeKeys();
  return out;
}

/* ------------------------------------------------ key wrap (RFC 3394) */

/** The default initial value A6A6A6A6A6A6A6A6 (RFC 3394 2.2.3.1), as one repeated word. */
const KW_IV_WORD = 0xa6a6a6a6 | 0;

/**
 * The key data as 64-bit registers R[1..n], two words each, at words 2..2n+1
 * of a new array; words 0 and 1 are the integrity register A.
 */
function registers(data: Buffer, skip: number): Int32Array {
  const words = new Int32Array(2 + ((data.length - skip) >>> 2));
  for (let i = 2, at = skip; at < data.length; i++, at += 4) words[i] = word(data, at);
  return words;
}

function registersOut(words: Int32Array, out: Buffer, from: number): Buffer {
  for (let i = from, at = 0; at < out.length; i++, at += 4) putWord(out, at, words[i]!);
  words.fill(0);
  return out;
}

/** Wrap (RFC 3394 2.2.1, index-based): the IV and the n 64-bit registers, 8 (n + 1) octets. */
export function keyWrap(kek: Buffer, plaintext: Buffer): Buffer {
  const rounds = expandKey(kek);
  const r = registers(plaintext, 0);
  const n = plaintext.length >>> 3;
  let a0 = KW_IV_WORD;
  let a1 = KW_IV_WORD;
  for (let j = 0, t = 1; j < 6; j++) {
    for (let i = 1; i <= n; i++, t++) {
      encryptWords(rounds, a0, a1, r[2 * i]!, r[2 * i + 1]!);
      // t < 2^32 for any key data a frame can carry: it only touches A's low word.
      a0 = block[0]!;
      a1 = block[1]! ^ t;
      r[2 * i] = block[2]!;
      r[2 * i + 1] = block[3]!;
    }
  }
  r[0] = a0;
  r[1] = a1;
  wipeKeys();
  return registersOut(r, Buffer.allocUnsafe(plaintext.length + 8), 0);
}

/**
 * Unwrap (RFC 3394 2.2.2, index-based): the key data, or undefined when the
 * integrity register does not come out as the IV (nothing of the data is
 * returned then, and the registers are zeroed).
 */
export function keyUnwrap(kek: Buffer, ciphertext: Buffer): Buffer | undefined {
  const rounds = expandKey(kek);
  invertKey(rounds);
  const r = registers(ciphertext, 8);
  const n = (ciphertext.length >>> 3) - 1;
  let a0 = word(ciphertext, 0);
  let a1 = word(ciphertext, 4);
  for (let j = 5, t = 6 * n; j >= 0; j--) {
    for (let i = n; i >= 1; i--, t--) {
      decryptWords(rounds, a0, a1 ^ t, r[2 * i]!, r[2 * i + 1]!);
      a0 = block[0]!;
      a1 = block[1]!;
      r[2 * i] = block[2]!;
      r[2 * i + 1] = block[3]!;
    }
  }
  wipeKeys();
  if (a0 !== KW_IV_WORD || a1 !== KW_IV_WORD) {
    r.fill(0);
    return undefined;
  }
  return registersOut(r, Buffer.allocUnsafe(8 * n), 2);
}

/* ----------------------------------------------------- CMAC (RFC 4493) */

/** The last block, padded or not, while the MAC is computed. */
const lastBlock = Buffer.alloc(16);

/**
 * AES-CMAC (RFC 4493 2.4): CBC-MAC over the message, the last block XORed
 * with subkey K1 when it is complete and padded (10*) and XORed with K2
 * when it is not (an empty message is one padded block).
 */
export function cmac(key: Buffer, message: Buffer): Buffer {
  const rounds = expandKey(key);
  // The subkeys (2.3): L = AES(K, 0^128), K1 = L·x, K2 = L·x² in GF(2^128).
  encryptWords(rounds, 0, 0, 0, 0);
  let k0 = block[0]!;
  let k1 = block[1]!;
  let k2 = block[2]!;
  let k3 = block[3]!;
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  // Doubling once for K1, twice for K2: a left shift of the 128 bits, 0x87 in if a bit fell out
  // (masked, not branched on: L is secret).
  for (let d = complete ? 1 : 2; d > 0; d--) {
    const carry = k0 >>> 31;
    k0 = (k0 << 1) | (k1 >>> 31);
    k1 = (k1 << 1) | (k2 >>> 31);
    k2 = (k2 << 1) | (k3 >>> 31);
    k3 = (k3 << 1) ^ (0x87 & -carry);
  }
  let x0 = 0;
  let x1 = 0;
  let x2 = 0;
  let x3 = 0;
  for (let b = 0, at = 0; b < blocks - 1; b++, at += 16) {
    encryptWords(rounds, x0 ^ word(message, at), x1 ^ word(message, at + 4), x2 ^ word(message, at + 8), x3 ^ word(message, at + 12));
    x0 = block[0]!;
    x1 = block[1]!;
    x2 = block[2]!;
    x3 = block[3]!;
  }
  const lastAt = (blocks - 1) * 16;
  lastBlock.fill(0);
  message.copy(lastBlock, 0, lastAt);
  if (!complete) lastBlock[message.length - lastAt] = 0x80;
  encryptWords(
    rounds,
    x0 ^ k0 ^ word(lastBlock, 0),
    x1 ^ k1 ^ word(lastBlock, 4),
    x2 ^ k2 ^ word(lastBlock, 8),
    x3 ^ k3 ^ word(lastBlock, 12),
  );
  lastBlock.fill(0);
  return blockOut();
}
