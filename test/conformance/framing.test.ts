/**
 * Framing: datagram handling as wpa_supplicant 2.10 does it (request as a C
 * string, nothing trimmed or case-folded, 8192-byte request limit with silent
 * drop above it, junk answered UNKNOWN COMMAND, the daemon keeps working).
 */
import { describe, it } from 'vitest';
import { referenceAvailable, usePair } from './setup.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
/** A NOTE request of exactly `len` bytes. */
const note = (len: number): Buffer => b(`NOTE ${'n'.repeat(len - 5)}`);

describe.skipIf(!referenceAvailable())('framing vs wpa_supplicant 2.10', () => {
  const { pair } = usePair();

  it('whitespace and case are not forgiven', async () => {
    await pair().sameAll(['ping', 'PING ', ' PING', 'PING\n', 'PING\r\n', 'Status', 'STATUS\n']);
  });

  it('the request is a C string: bytes after NUL are ignored, a leading NUL is empty', async () => {
    await pair().sameAll([b('PING\0junk'), b('\0PING'), b('IFNAME\0x'), b('STATUS\0-VERBOSE')]);
  });

  it('empty datagram and binary junk', async () => {
    await pair().sameAll([
      Buffer.alloc(0),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.from([0x80, 0x81, 0x82]),
      b('\x01\x02\x03'),
      b('<3>PING'),
      Buffer.from('ÿÿÿÿ', 'utf8'),
    ]);
    await pair().same('PING');
  });

  it('lengths 4095 to 8192 are handled normally', async () => {
    for (const len of [4095, 4096, 4097, 8191, 8192]) await pair().same(note(len));
  });

  it('8193 bytes and more: no reply from either, and both keep working', async () => {
    await pair().noReply(note(8193));
    await pair().noReply(note(8194));
    await pair().noReply(note(20000));
    await pair().same('PING');
  });

  it('an over-long SET_NETWORK changes nothing', async () => {
    const p = pair();
    await p.same('ADD_NETWORK');
    await p.same('SET_NETWORK 0 id_str "keep"');
    const prefix = 'SET_NETWORK 0 id_str "';
    await p.noReply(b(`${prefix}${'x'.repeat(8193 - prefix.length - 1)}"`));
    await p.same('GET_NETWORK 0 id_str');
  });

  it('many junk datagrams in a row: both still answer', async () => {
    for (let i = 0; i < 64; i++) {
      await pair().same(Buffer.from([i, 0xff - i, 0x20, i * 3]));
    }
    await pair().sameAll(['PING', 'IFNAME']);
  });
});
