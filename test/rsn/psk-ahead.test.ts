/**
 * pbkdf2PskAhead(): the PSK derived in libuv's thread pool while a scan
 * runs, so that the connection's pbkdf2Psk() does not run PBKDF2 on the
 * event loop. node:crypto's pbkdf2Sync is watched to see which path derived;
 * the values are the IEEE 802.11 Annex J.4 vectors.
 */
import * as nodeCrypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearPskCache, pbkdf2Psk, pbkdf2PskAhead } from '../../src/rsn/crypto.js';
import { readVector } from '../fixtures/vectors.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof nodeCrypto>();
  return { ...real, pbkdf2Sync: vi.fn(real.pbkdf2Sync) };
});

const vectors = readVector('published.json').pbkdf2_psk as { passphrase: string; ssid: string; psk: string }[];
const syncDerivations = vi.mocked(nodeCrypto.pbkdf2Sync);

describe('pbkdf2PskAhead', () => {
  beforeEach(() => {
    clearPskCache();
    syncDerivations.mockClear();
  });

  it('leaves the published PSK cached: pbkdf2Psk() then derives nothing on the event loop', async () => {
    for (const v of vectors) await pbkdf2PskAhead(v.passphrase, v.ssid);
    for (const v of vectors) expect(pbkdf2Psk(v.passphrase, v.ssid).toString('hex')).toBe(v.psk);
    expect(syncDerivations).not.toHaveBeenCalled();
  });

  it('starts one derivation per pair however often it is asked', async () => {
    const v = vectors[0]!;
    const first = pbkdf2PskAhead(v.passphrase, v.ssid);
    expect(pbkdf2PskAhead(Buffer.from(v.passphrase), Buffer.from(v.ssid))).toBe(first);
    await first;
    expect(pbkdf2Psk(v.passphrase, v.ssid).toString('hex')).toBe(v.psk);
    expect(syncDerivations).not.toHaveBeenCalled();
  });

  it('caches by octets: a non-ASCII passphrase as text or as its UTF-8 octets is one entry', async () => {
    const text = 'pässwörd-ünïcode';
    const first = pbkdf2PskAhead(text, 'ssid');
    expect(pbkdf2PskAhead(Buffer.from(text, 'utf8'), Buffer.from('ssid'))).toBe(first);
    await first;
    // The value is PBKDF2 over the UTF-8 octets (Annex J.4), not over the chars.
    expect(pbkdf2Psk(text, 'ssid')).toEqual(nodeCrypto.pbkdf2Sync(Buffer.from(text, 'utf8'), 'ssid', 4096, 32, 'sha1'));
    expect(syncDerivations).toHaveBeenCalledTimes(1);
  });

  it('never gives two pairs with the same octets end to end one entry', () => {
    const a = pbkdf2Psk('12345678', 'ab');
    const b = pbkdf2Psk('12345678a', 'b');
    expect(a.equals(b)).toBe(false);
    expect(b).toEqual(nodeCrypto.pbkdf2Sync('12345678a', 'b', 4096, 32, 'sha1'));
  });

  it('leaves input Annex J.4 refuses to pbkdf2Psk, which throws', async () => {
    await pbkdf2PskAhead('short', 'ssid');
    expect(() => pbkdf2Psk('short', 'ssid')).toThrow(/8\.\.63/);
  });

  it('without it, pbkdf2Psk() derives on the event loop (what the watch above would see)', () => {
    const v = vectors[0]!;
    expect(pbkdf2Psk(v.passphrase, v.ssid).toString('hex')).toBe(v.psk);
    expect(syncDerivations).toHaveBeenCalledTimes(1);
  });
});
