/**
 * What both ends of a handshake do to an EAPOL-Key frame around the codec:
 * read it out of a received EAPOL frame, sign and verify its MIC, and wrap or
 * unwrap its Key Data with the KEK.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MicAlgorithm } from './akm.js';
import { aesKeyUnwrap, aesKeyWrap, CryptoInputError, eapolKeyMic } from './crypto.js';
import { clearMic, EapolParseError, parseEapolKey, setMic, zeroMic, type EapolKey } from './eapol.js';
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
 * returns it: no copy of every frame sent (its MIC field is zeroed first,
 * as the MIC's input has it).
 */
export function signEapolKey(frame: Buffer, alg: MicAlgorithm, kck: Buffer, micLen: number): Buffer {
  clearMic(frame, micLen);
  setMic(frame, eapolKeyMic(alg, kck, frame));
  return frame;
}

/** True when the frame's MIC is the one `kck` gives (compared in constant time). */
export function eapolKeyMicValid(key: EapolKey, alg: MicAlgorithm, kck: Buffer): boolean {
  let expected: Buffer;
  try {
    expected = eapolKeyMic(alg, kck, zeroMic(key.raw, key.mic.length));
  } catch (e) {
    if (e instanceof CryptoInputError) return false;
    throw e;
  }
  return expected.length === key.mic.length && timingSafeEqual(expected, key.mic);
}

/** Key Data as sent encrypted: padded, then AES-key-wrapped with the KEK. */
export function wrapKeyData(kek: Buffer, plain: Buffer): Buffer {
  return aesKeyWrap(kek, padKeyData(plain));
}

/** Encrypted Key Data back to plaintext; throws CryptoInputError (bad length) or KeyUnwrapError (integrity). */
export function unwrapKeyData(kek: Buffer, data: Buffer): Buffer {
  return aesKeyUnwrap(kek, data);
}
