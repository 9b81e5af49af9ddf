/**
 * Netlink attributes (TLVs) and generic-netlink messages, on the `netlink`
 * package's own codec (parseAttributes / formatMessage) but for the
 * attribute encoder (encodeAttrs, below): host
 * byte order, 4-byte alignment, as the kernel writes them. This file adds
 * only what the codec leaves to its user: typed length checks that raise one
 * error type, so a truncated or garbled message from the kernel is dropped
 * with a reason instead of crashing the daemon.
 */
import { formatGenlHeader, formatMessage, parseAttributes, parseGenlHeader, parseMessages } from 'netlink/dist/structs.js';

/** A message from the kernel that cannot be decoded; the backend logs and drops it. */
export class Nl80211DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Nl80211DecodeError';
  }
}

/** Attributes by type; a repeated type keeps the last, as the kernel's nla_parse does. */
export type Attrs = Map<number, Buffer>;

export function parseAttrs(buf: Buffer): Attrs {
  const out: Attrs = new Map();
  try {
    parseAttributes(buf, (a) => out.set(a.type, a.data));
  } catch (e) {
    throw new Nl80211DecodeError(`bad attribute stream: ${(e as Error).message}`);
  }
  return out;
}

/** Every attribute in order, repeated types included (a split dump's joined band streams repeat a band). */
export function attrEntries(buf: Buffer): [type: number, data: Buffer][] {
  const out: [number, Buffer][] = [];
  try {
    parseAttributes(buf, (a) => out.push([a.type, a.data]));
  } catch (e) {
    throw new Nl80211DecodeError(`bad attribute stream: ${(e as Error).message}`);
  }
  return out;
}

/** An attribute whose payload is itself a list of attributes with types 1..n (ATTR_CIPHER_SUITES is not: see u32Array). */
export function nestedList(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  try {
    parseAttributes(buf, (a) => out.push(a.data));
  } catch (e) {
    throw new Nl80211DecodeError(`bad nested list: ${(e as Error).message}`);
  }
  return out;
}

function need(b: Buffer | undefined, what: string, len?: number): Buffer {
  if (!b) throw new Nl80211DecodeError(`${what} missing`);
  if (len !== undefined && b.length !== len) throw new Nl80211DecodeError(`${what}: ${b.length} bytes, expected ${len}`);
  return b;
}

export const getU8 = (b: Buffer | undefined, what: string): number => need(b, what, 1).readUInt8(0);
export const getU16 = (b: Buffer | undefined, what: string): number => need(b, what, 2).readUInt16LE(0);
export const getU32 = (b: Buffer | undefined, what: string): number => need(b, what, 4).readUInt32LE(0);
export const getBytes = (b: Buffer | undefined, what: string): Buffer => Buffer.from(need(b, what));

/** 802.11 addresses are the one kind of value nl80211 sends in a fixed size: 6 octets. */
export function getMac(b: Buffer | undefined, what: string): string {
  return [...need(b, what, 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** A packed array of host-order u32 (ATTR_CIPHER_SUITES, ATTR_AKM_SUITES). */
export function u32Array(b: Buffer, what: string): number[] {
  if (b.length % 4) throw new Nl80211DecodeError(`${what}: ${b.length} bytes, not a u32 array`);
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 4) out.push(b.readUInt32LE(i));
  return out;
}

export const putU8 = (v: number): Buffer => Buffer.of(v);
export function putU16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
export function putU32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
export const FLAG = Buffer.alloc(0);

export function macBuf(mac: string): Buffer {
  const hex = mac.replace(/:/g, '');
  if (!/^[0-9a-f]{12}$/i.test(hex)) throw new RangeError(`invalid MAC address "${mac}"`);
  return Buffer.from(hex, 'hex');
}

/** An attribute to encode: a value, or a nested stream of attributes. */
export type AttrSpec = [type: number, value: Buffer | AttrSpec[]];

/** NLA_TYPE_MASK: the codec's 14 type bits (NLA_F_NESTED and NLA_F_NET_BYTEORDER are not ours to set). */
export const NLA_TYPE_MASK = (1 << 14) - 1;
export const NLA_HDRLEN = 4;
export const align4 = (n: number): number => (n + 3) & ~3;

/** The payload length of one attribute: its value, or its nested stream (each attribute of it padded). */
function payloadLength(value: Buffer | AttrSpec[]): number {
  return Buffer.isBuffer(value) ? value.length : streamLength(value);
}

function streamLength(specs: AttrSpec[]): number {
  let n = 0;
  for (const [, value] of specs) n += align4(NLA_HDRLEN + payloadLength(value));
  return n;
}

/**
 * Writes `specs` at `at`; returns the end, aligned. Byte stores and
 * TypedArray#set rather than writeUInt16LE and Buffer#copy, whose argument
 * checks were most of this function's time in the radio VM's profile.
 * nlattr's length and type are host byte order: little-endian here, as
 * everywhere this codec runs (x86, arm).
 */
function writeStream(out: Buffer, at: number, specs: AttrSpec[]): number {
  for (const [type, value] of specs) {
    const len = NLA_HDRLEN + payloadLength(value);
    if (len >= 0x10000) throw new RangeError(`netlink attribute ${type}: ${len} bytes, more than an attribute holds`);
    const t = type & NLA_TYPE_MASK;
    out[at] = len & 0xff;
    out[at + 1] = len >>> 8;
    out[at + 2] = t & 0xff;
    out[at + 3] = t >>> 8;
    if (Buffer.isBuffer(value)) out.set(value, at + NLA_HDRLEN);
    else writeStream(out, at + NLA_HDRLEN, value);
    // the padding: zero, the buffer being taken from the pool unzeroed
    const end = at + len;
    at = align4(len) + at;
    for (let i = end; i < at; i++) out[i] = 0;
  }
  return at;
}

/**
 * The attribute stream as libnl writes it: each attribute's length unpadded
 * (header and payload), then padding to 4 bytes, a nest's length including
 * its attributes' padding (nla_put reserves the padded size), the stream's
 * end padded too. One buffer, sized first: the `netlink` package's
 * AttrStream allocates a header per attribute and concatenates them, which
 * was a tenth of the daemon's CPU on a connection's critical path (CONNECT,
 * NEW_KEY, CONTROL_PORT_FRAME) in the radio VM.
 */
export function encodeAttrs(specs: AttrSpec[]): Buffer {
  // every byte is written (headers, payloads, padding): from the pool, unzeroed
  const out = Buffer.allocUnsafe(streamLength(specs));
  writeStream(out, 0, specs);
  return out;
}

/** A generic-netlink message as the socket layer hands it over: command and attribute stream. */
export interface GenlMessage {
  cmd: number;
  data: Buffer;
}

/** nl80211's genl family version (NL80211 registers version 0). */
const GENL_VERSION = 0;

/** Whole netlink messages (nlmsghdr + genlmsghdr + attributes): fixtures and requests. */
export function encodeGenlMessage(family: number, cmd: number, specs: AttrSpec[], flags = 0, seq = 0, port = 0): Buffer {
  const data = [formatGenlHeader({ cmd, version: GENL_VERSION }), encodeAttrs(specs)];
  return Buffer.concat(formatMessage({ type: family, flags, seq, port, data }));
}

export function decodeGenlMessages(buf: Buffer): (GenlMessage & { family: number })[] {
  try {
    return parseMessages(buf).map((m) => {
      const { x, consumed } = parseGenlHeader(m.data);
      return { family: m.type, cmd: x.cmd, data: m.data.subarray(consumed) };
    });
  } catch (e) {
    throw new Nl80211DecodeError(`bad netlink message: ${(e as Error).message}`);
  }
}
