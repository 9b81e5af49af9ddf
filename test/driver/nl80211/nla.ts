/**
 * Netlink attributes built by hand for the byte-exact nl80211 tests: the
 * expected bytes come from these few lines and the numbers of nl80211.h,
 * never from the encoder under test (src/driver/nl80211/attrs.ts).
 */

/** One attribute: length (header + payload, unpadded), type, payload, padding to 4 bytes. */
export function nla(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type, 2);
  payload.copy(b, 4);
  return b;
}
export const flag = (type: number): Buffer => nla(type, Buffer.alloc(0));
export const u8 = (v: number): Buffer => Buffer.of(v);
export const u16 = (v: number): Buffer => Buffer.from([v & 0xff, v >> 8]);
export const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
export const hex = (h: string): Buffer => Buffer.from(h.replace(/[: ]/g, ''), 'hex');
export const cat = (...b: Buffer[]): Buffer => Buffer.concat(b);
