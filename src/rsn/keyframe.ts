/**
 * What both ends of a handshake do to an EAPOL-Key frame around the codec:
 * read it out of a received EAPOL frame, sign and verify its MIC, and wrap or
 * unwrap its Key Data with the KEK.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MicAlgorithm } from './akm.js';
import { aesKeyUnwrap, aesKeyWrap, CryptoInputError, eapolKeyMicInto, MIC_LENGTH } from './crypto.js';
import { EAPOL_KEY_MIC_OFFSET, EapolParseError, parseEapolKey, type EapolKey } from './eapol.js';
import { padKeyData } from './kde.js';

/**
 * A received EAPOL frame as an EAPOL-Key frame, or the reason to drop it (it
 * is malformed or another EAPOL packet type): the first check on both ends.
 */
export function readEapolKey(frame: Buffer, micLen: number): EapolKey | string {
  try {
    // parseEapolKey() refuses another packet type with the same words.
    return parseEapolKey(frame, micLen);
  } catch (e) {
    if (e instanceof EapolParseError) return e.message;
    throw e;
  }
}

/**
 * Fills in the MIC of a frame fresh from buildEapolKey(), in place, and
 * returns it: no copy of every frame sent (the MIC is computed with its
 * field read as zero, as the MIC's input has it).
 */
export function signEapolKey(frame: Buffer, alg: MicAlgorithm, kck: Buffer): Buffer {
  eapolKeyMicInto(alg, kck, frame, EAPOL_KEY_MIC_OFFSET, frame, EAPOL_KEY_MIC_OFFSET);
  return frame;
}

/** Where eapolKeyMicValid() computes the MIC it compares, with a view of each MIC length (timingSafeEqual compares whole views). */
const expectedMic = Buffer.alloc(24);
const expectedMicOf: Readonly<Record<number, Buffer>> = { 16: expectedMic.subarray(0, 16), 24: expectedMic.subarray(0, 24) };

/** True when the frame's MIC is the one `kck` gives (compared in constant time). */
export function eapolKeyMicValid(key: EapolKey, alg: MicAlgorithm, kck: Buffer): boolean {
  if (key.mic.length !== MIC_LENGTH[alg]) return false;
  try {
    eapolKeyMicInto(alg, kck, key.raw, EAPOL_KEY_MIC_OFFSET, expectedMic, 0);
  } catch (e) {
    if (e instanceof CryptoInputError) return false;
    throw e;
  }
  return timingSafeEqual(expectedMicOf[key.mic.length]!, key.mic);
}

/** Key Data as sent encrypted: padded, then AES-key-wrapped with the KEK. */
export function wrapKeyData(kek: Buffer, plain: Buffer): Buffer {
  return aesKeyWrap(kek, padKeyData(plain));
}

/** Encrypted Key Data back to plaintext; throws CryptoInputError (bad length) or KeyUnwrapError (integrity). */
export function unwrapKeyData(kek: Buffer, data: Buffer): Buffer {
  return aesKeyUnwrap(kek, data);
}
