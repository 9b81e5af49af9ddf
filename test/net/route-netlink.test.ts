/**
 * netlinkMessages (net/route-netlink.ts): the framing of a netlink datagram,
 * several nlmsghdr-framed messages each padded to 4 octets, against
 * datagrams built here as linux/netlink.h lays them out (host byte order).
 */
import { describe, expect, it } from 'vitest';
import { netlinkMessages } from '../../src/net/route-netlink.js';

function nlmsg(type: number, seq: number, payload: Buffer): Buffer {
  const len = 16 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt32LE(len, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(0x2, 6);
  b.writeUInt32LE(seq, 8);
  payload.copy(b, 16);
  return b;
}

describe('netlinkMessages', () => {
  it('splits a datagram into its messages, payloads without the padding', () => {
    const d = Buffer.concat([nlmsg(16, 7, Buffer.from('abcde')), nlmsg(17, 8, Buffer.alloc(0)), nlmsg(3, 9, Buffer.from('xyz'))]);
    const { messages, rest } = netlinkMessages(d);
    expect(rest).toBe(0);
    expect(messages.map((m) => [m.type, m.flags, m.seq, m.data.toString()])).toEqual([
      [16, 2, 7, 'abcde'],
      [17, 2, 8, ''],
      [3, 2, 9, 'xyz'],
    ]);
  });

  it('stops at a header that claims more than the datagram holds, or less than a header, and says how much is left', () => {
    const good = nlmsg(16, 1, Buffer.from('ok'));
    const long = nlmsg(16, 2, Buffer.from('cut'));
    long.writeUInt32LE(200, 0);
    expect(netlinkMessages(Buffer.concat([good, long]))).toMatchObject({ messages: [{ seq: 1 }], rest: long.length });
    const short = nlmsg(16, 3, Buffer.alloc(0));
    short.writeUInt32LE(8, 0);
    expect(netlinkMessages(short)).toMatchObject({ messages: [], rest: 16 });
    expect(netlinkMessages(Buffer.alloc(10))).toEqual({ messages: [], rest: 10 });
  });
});
