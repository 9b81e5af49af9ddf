/**
 * AES key wrap and CMAC through OpenSSL (node:crypto), as the rsn library
 * did them before src/rsn/aes.ts: the oracle test/rsn/aes.test.ts checks
 * aes.ts against (and crypto.test.ts its AES-CMAC EAPOL-Key MIC), and the
 * yardstick `npm run bench -- rsn` times it beside.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');

/** RFC 3394 wrap with OpenSSL's id-aes{128,192,256}-wrap cipher. */
export function opensslWrap(kek: Buffer, plaintext: Buffer): Buffer {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, KW_IV);
  return Buffer.concat([c.update(plaintext), c.final()]);
}

/** RFC 3394 unwrap with the same cipher: its one update unwraps and checks the whole input (it throws on a wrong integrity value). */
export function opensslUnwrap(kek: Buffer, ciphertext: Buffer): Buffer {
  return createDecipheriv(`id-aes${kek.length * 8}-wrap`, kek, KW_IV).update(ciphertext);
}

/** RFC 4493 2.4 over OpenSSL's block cipher: the subkeys from ECB, the pass in CBC. */
export function opensslCmac(key: Buffer, message: Buffer): Buffer {
  const alg = `aes-${key.length * 8}`;
  const ecb = createCipheriv(`${alg}-ecb`, key, null).setAutoPadding(false);
  const double = (b: Buffer): Buffer => {
    const out = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) out[i] = ((b[i]! << 1) | (i < 15 ? b[i + 1]! >> 7 : 0)) & 0xff;
    if (b[0]! & 0x80) out[15]! ^= 0x87;
    return out;
  };
  const k1 = double(ecb.update(Buffer.alloc(16)));
  const k2 = double(k1);
  const n = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const m = Buffer.alloc(16 * n);
  message.copy(m);
  if (!complete) m[message.length] = 0x80;
  for (let i = 0; i < 16; i++) m[16 * (n - 1) + i]! ^= (complete ? k1 : k2)[i]!;
  const cbc = createCipheriv(`${alg}-cbc`, key, Buffer.alloc(16)).setAutoPadding(false);
  return cbc.update(m).subarray(16 * (n - 1));
}
