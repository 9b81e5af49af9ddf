/**
 * EAPOL (IEEE 802.1X-2020 clause 11) and the EAPOL-Key frame of IEEE
 * 802.11-2020 12.7.2, decoded and built strictly: every length is checked
 * against the frame and the header, and anything malformed is an
 * EapolParseError, never an exception of another kind.
 */

export class EapolParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EapolParseError';
  }
}

/** EAPOL Packet Types. */
export const EapolType = {
  EAP_PACKET: 0,
  START: 1,
  LOGOFF: 2,
  KEY: 3,
  ASF_ALERT: 4,
} as const;

/** Descriptor Type of an EAPOL-Key frame: 2 for RSN (IEEE 802.11), 254 for WPA1. */
export const KeyDescriptorType = { RSN: 2, WPA: 254 } as const;

/**
 * Key Information bits (802.11-2020 Figure 12-33). A const enum: the values
 * are written into the code that uses them (every EAPOL-Key frame is
 * classified, parsed and built with them) rather than read off an object.
 */
export const enum KeyInfo {
  VERSION_MASK = 0x0007,
  /** Key Type: 1 = pairwise, 0 = group. */
  KEY_TYPE = 0x0008,
  /** Bits 4-5: key index in WPA1 group frames; reserved (0) in RSN. */
  KEY_INDEX_MASK = 0x0030,
  KEY_INDEX_SHIFT = 4,
  INSTALL = 0x0040,
  ACK = 0x0080,
  MIC = 0x0100,
  SECURE = 0x0200,
  ERROR = 0x0400,
  REQUEST = 0x0800,
  ENCR_KEY_DATA = 0x1000,
  SMK_MESSAGE = 0x2000,
}

export interface KeyInfoFlags {
  version: number;
  pairwise: boolean;
  keyIndex: number;
  install: boolean;
  ack: boolean;
  mic: boolean;
  secure: boolean;
  error: boolean;
  request: boolean;
  encrypted: boolean;
  smk: boolean;
}

export function decodeKeyInfo(v: number): KeyInfoFlags {
  return {
    version: v & KeyInfo.VERSION_MASK,
    pairwise: (v & KeyInfo.KEY_TYPE) !== 0,
    keyIndex: (v & KeyInfo.KEY_INDEX_MASK) >> KeyInfo.KEY_INDEX_SHIFT,
    install: (v & KeyInfo.INSTALL) !== 0,
    ack: (v & KeyInfo.ACK) !== 0,
    mic: (v & KeyInfo.MIC) !== 0,
    secure: (v & KeyInfo.SECURE) !== 0,
    error: (v & KeyInfo.ERROR) !== 0,
    request: (v & KeyInfo.REQUEST) !== 0,
    encrypted: (v & KeyInfo.ENCR_KEY_DATA) !== 0,
    smk: (v & KeyInfo.SMK_MESSAGE) !== 0,
  };
}

export function encodeKeyInfo(f: Partial<KeyInfoFlags>): number {
  let v = (f.version ?? 0) & KeyInfo.VERSION_MASK;
  if (f.pairwise) v |= KeyInfo.KEY_TYPE;
  v |= ((f.keyIndex ?? 0) << KeyInfo.KEY_INDEX_SHIFT) & KeyInfo.KEY_INDEX_MASK;
  if (f.install) v |= KeyInfo.INSTALL;
  if (f.ack) v |= KeyInfo.ACK;
  if (f.mic) v |= KeyInfo.MIC;
  if (f.secure) v |= KeyInfo.SECURE;
  if (f.error) v |= KeyInfo.ERROR;
  if (f.request) v |= KeyInfo.REQUEST;
  if (f.encrypted) v |= KeyInfo.ENCR_KEY_DATA;
  if (f.smk) v |= KeyInfo.SMK_MESSAGE;
  return v;
}

export const EAPOL_HEADER_LEN = 4;
/** Offsets inside the EAPOL frame (from the version octet); a const enum, as KeyInfo. */
const enum OFF {
  descriptorType = 4,
  keyInfo = 5,
  keyLength = 7,
  replayCounter = 9,
  nonce = 17,
  iv = 49,
  rsc = 65,
  keyId = 73,
  mic = 81,
}
/** Where an EAPOL-Key frame's MIC field starts (its length is the AKM's). */
export const EAPOL_KEY_MIC_OFFSET: number = OFF.mic;
/** EAPOL-Key body without MIC, Key Data Length and Key Data. */
const KEY_FIXED = OFF.mic - EAPOL_HEADER_LEN;

/** The big-endian 16-bit field at `at`, read octet by octet: every EAPOL frame's lengths and Key Information pass here, and readUInt16BE() is a bounds-checking call. */
const be16 = (b: Buffer, at: number): number => (b[at] << 8) | b[at + 1];

export interface EapolFrame {
  version: number;
  type: number;
  /** The packet body, exactly as long as the header says. */
  body: Buffer;
  /** Octets after the body (Ethernet padding), ignored. */
  trailing: number;
}

/**
 * The header's Packet Body Length, checked against the octets received, or
 * what is wrong with the header: the one check every EAPOL frame passes
 * (parseEapol, parseEapolKey, classifyEapol), read in place.
 */
function eapolBodyLength(frame: Buffer): number | string {
  if (frame.length < EAPOL_HEADER_LEN) return `EAPOL frame of ${frame.length} octets is shorter than its header`;
  const len = be16(frame, 2);
  if (len > frame.length - EAPOL_HEADER_LEN) return `EAPOL body length ${len} exceeds the ${frame.length - EAPOL_HEADER_LEN} octets received`;
  return len;
}

/** EAPOL header; the body length must fit in the frame (shorter than the frame is padding). */
export function parseEapol(frame: Buffer): EapolFrame {
  const len = eapolBodyLength(frame);
  if (typeof len === 'string') throw new EapolParseError(len);
  return { version: frame[0], type: frame[1], body: frame.subarray(EAPOL_HEADER_LEN, EAPOL_HEADER_LEN + len), trailing: frame.length - EAPOL_HEADER_LEN - len };
}

export interface EapolKey {
  /** EAPOL protocol version of the carrying frame. */
  eapolVersion: number;
  descriptorType: number;
  keyInfo: number;
  flags: KeyInfoFlags;
  keyLength: number;
  replayCounter: Buffer;
  nonce: Buffer;
  iv: Buffer;
  rsc: Buffer;
  keyId: Buffer;
  mic: Buffer;
  keyData: Buffer;
  /** The EAPOL frame without trailing padding: what the MIC covers. */
  raw: Buffer;
}

/**
 * An EAPOL-Key frame with a MIC field of `micLen` octets (16, or 24 for the
 * SHA-384 AKMs). Only the RSN descriptor type is accepted.
 */
export function parseEapolKey(frame: Buffer, micLen = 16): EapolKey {
  // parseEapol()'s checks, without its header object: every EAPOL-Key frame
  // of every handshake passes here.
  const bodyLen = eapolBodyLength(frame);
  if (typeof bodyLen === 'string') throw new EapolParseError(bodyLen);
  if (frame[1] !== EapolType.KEY) throw new EapolParseError(`EAPOL packet type ${frame[1]} is not EAPOL-Key`);
  const fixed = KEY_FIXED + micLen + 2;
  if (bodyLen < fixed) throw new EapolParseError(`EAPOL-Key body of ${bodyLen} octets, at least ${fixed} needed`);
  const descriptorType = frame[OFF.descriptorType];
  if (descriptorType !== KeyDescriptorType.RSN) throw new EapolParseError(`EAPOL-Key descriptor type ${descriptorType} is not RSN (2)`);
  const kdlOff = OFF.mic + micLen;
  const keyDataLen = be16(frame, kdlOff);
  if (keyDataLen > bodyLen - fixed) throw new EapolParseError(`Key Data Length ${keyDataLen} overflows the ${bodyLen - fixed} octets left`);
  const keyInfo = be16(frame, OFF.keyInfo);
  // One copy, so that nothing of the result shares memory with the caller's
  // frame; the fields are views into it (every handshake frame passes here).
  const raw = Buffer.allocUnsafe(EAPOL_HEADER_LEN + bodyLen);
  frame.copy(raw, 0, 0, raw.length);
  return new ParsedEapolKey(raw, descriptorType, keyInfo, micLen, keyDataLen);
}

/**
 * parseEapolKey()'s result. The fields every handshake message reads are
 * views made at once; the IV, Key RSC and Key ID views only when read (the
 * RSC once, by msg 3/4 and group msg 1/2; the IV and Key ID never): views
 * cost more than the rest of the parse.
 */
class ParsedEapolKey implements EapolKey {
  readonly eapolVersion: number;
  readonly flags: KeyInfoFlags;
  readonly keyLength: number;
  readonly replayCounter: Buffer;
  readonly nonce: Buffer;
  readonly mic: Buffer;
  readonly keyData: Buffer;

  constructor(
    readonly raw: Buffer,
    readonly descriptorType: number,
    readonly keyInfo: number,
    micLen: number,
    keyDataLen: number,
  ) {
    const kdlOff = OFF.mic + micLen;
    this.eapolVersion = raw[0];
    this.flags = decodeKeyInfo(keyInfo);
    this.keyLength = be16(raw, OFF.keyLength);
    this.replayCounter = raw.subarray(OFF.replayCounter, OFF.nonce);
    this.nonce = raw.subarray(OFF.nonce, OFF.iv);
    this.mic = raw.subarray(OFF.mic, kdlOff);
    this.keyData = raw.subarray(kdlOff + 2, kdlOff + 2 + keyDataLen);
  }

  get iv(): Buffer {
    return this.raw.subarray(OFF.iv, OFF.rsc);
  }

  get rsc(): Buffer {
    return this.raw.subarray(OFF.rsc, OFF.keyId);
  }

  get keyId(): Buffer {
    return this.raw.subarray(OFF.keyId, OFF.mic);
  }
}

export interface EapolKeyFields {
  eapolVersion?: number;
  keyInfo: number;
  keyLength?: number;
  replayCounter: Buffer;
  nonce?: Buffer;
  iv?: Buffer;
  rsc?: Buffer;
  keyId?: Buffer;
  keyData?: Buffer;
}

/** Copies a fixed-length field in; an absent one stays zero (the frame is zero-filled). */
function field(buf: Buffer, off: number, name: string, v: Buffer | undefined, len: number): void {
  if (!v) return;
  if (v.length !== len) throw new EapolParseError(`${name} must be ${len} octets, got ${v.length}`);
  v.copy(buf, off);
}

const NO_KEY_DATA = Buffer.alloc(0);

/** Builds an RSN EAPOL-Key frame with a zero MIC field of `micLen` octets (see setMic). */
export function buildEapolKey(f: EapolKeyFields, micLen = 16): Buffer {
  const keyData = f.keyData ?? NO_KEY_DATA;
  if (keyData.length > 0xffff) throw new EapolParseError('Key Data longer than 65535 octets');
  const bodyLen = KEY_FIXED + micLen + 2 + keyData.length;
  // Zeroed by hand: Buffer.alloc() gives every frame an ArrayBuffer of its own, allocUnsafe() a slice of Node's pool.
  const buf = Buffer.allocUnsafe(EAPOL_HEADER_LEN + bodyLen).fill(0);
  buf[0] = f.eapolVersion ?? 2;
  buf[1] = EapolType.KEY;
  buf.writeUInt16BE(bodyLen, 2);
  buf[OFF.descriptorType] = KeyDescriptorType.RSN;
  buf.writeUInt16BE(f.keyInfo & 0xffff, OFF.keyInfo);
  buf.writeUInt16BE(f.keyLength ?? 0, OFF.keyLength);
  field(buf, OFF.replayCounter, 'Replay Counter', f.replayCounter, 8);
  field(buf, OFF.nonce, 'Key Nonce', f.nonce, 32);
  field(buf, OFF.iv, 'EAPOL-Key IV', f.iv, 16);
  field(buf, OFF.rsc, 'Key RSC', f.rsc, 8);
  field(buf, OFF.keyId, 'Reserved', f.keyId, 8);
  buf.writeUInt16BE(keyData.length, OFF.mic + micLen);
  keyData.copy(buf, OFF.mic + micLen + 2);
  return buf;
}

/** EAPOL-Start (an empty body), which asks the authenticator to (re)start authentication. */
export function buildEapolStart(version = 1): Buffer {
  return Buffer.from([version, EapolType.START, 0, 0]);
}

export type EapolKind =
  | 'pairwise-1'
  | 'pairwise-2'
  | 'pairwise-3'
  | 'pairwise-4'
  | 'group-1'
  | 'group-2'
  | 'request'
  | 'eap'
  | 'start'
  | 'logoff'
  | 'other'
  | 'invalid';

/**
 * A first look at an EAPOL frame, from the header and the Key Information
 * bits only (no MIC length needed): which message of which handshake it
 * claims to be. Nothing here is verified; it is for routing and logs.
 */
export function classifyEapol(frame: Buffer): EapolKind {
  // Read in place, no header object or flags object: every EAPOL frame the
  // host receives is classified before the handshake parses it for real.
  const bodyLen = eapolBodyLength(frame);
  if (typeof bodyLen === 'string') return 'invalid';
  switch (frame[1]) {
    case EapolType.EAP_PACKET:
      return 'eap';
    case EapolType.START:
      return 'start';
    case EapolType.LOGOFF:
      return 'logoff';
    case EapolType.KEY:
      break;
    default:
      return 'other';
  }
  if (bodyLen < KEY_FIXED + 16 + 2 || frame[OFF.descriptorType] !== KeyDescriptorType.RSN) return 'invalid';
  const info = be16(frame, OFF.keyInfo);
  const mic = (info & KeyInfo.MIC) !== 0;
  if (info & KeyInfo.REQUEST) return 'request';
  if (info & KeyInfo.KEY_TYPE) {
    if (info & KeyInfo.ACK) return mic ? 'pairwise-3' : 'pairwise-1';
    if (!mic) return 'invalid';
    return nonceIsZero(frame) ? 'pairwise-4' : 'pairwise-2';
  }
  if (info & KeyInfo.ACK) return mic ? 'group-1' : 'invalid';
  return mic ? 'group-2' : 'invalid';
}

function nonceIsZero(frame: Buffer): boolean {
  for (let i = OFF.nonce; i < OFF.iv; i++) if (frame[i] !== 0) return false;
  return true;
}

/** Replay counters are 64-bit big-endian; helpers to move between Buffer and bigint. */
export function counterToBigInt(c: Buffer): bigint {
  return c.readBigUInt64BE(0);
}

export function bigIntToCounter(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, v));
  return b;
}
