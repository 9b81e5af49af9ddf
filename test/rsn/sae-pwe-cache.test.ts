/**
 * passwordElement(): the PWE cache both SAE machines derive through. Checked
 * against the Annex J.10 vectors (a cached answer must still be the
 * published PWE), and for what the cache must never do: answer for other
 * inputs, or grow without bound.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeElement, saeGroup } from '../../src/rsn/sae/group.js';
import { clearPweCache, huntAndPeck, passwordElement } from '../../src/rsn/sae/pwe.js';
import { readVector } from '../fixtures/vectors.js';

const sae = readVector('sae.json');
const hex = (s: string) => Buffer.from(s, 'hex');
const g19 = saeGroup(19)!;
const hnp = sae.hunting_and_pecking;
const h2e = sae.hash_to_element;
const hnpInputs = { password: Buffer.from(hnp.password), ssid: Buffer.from('any'), addrA: hex(hnp.addr1), addrB: hex(hnp.addr2) };
const h2eInputs = { password: Buffer.from(h2e.password), identifier: Buffer.from(h2e.password_id), ssid: Buffer.from(h2e.ssid), addrA: hex(h2e.addr1), addrB: hex(h2e.addr2) };

describe('passwordElement (PWE cache)', () => {
  beforeEach(() => clearPweCache());

  it('gives the published H2E PWE, derived and then from the cache, in either address order', () => {
    const first = passwordElement(g19, true, h2eInputs);
    expect(encodeElement(g19, first).toString('hex')).toBe(h2e.pwe.x + h2e.pwe.y);
    const again = passwordElement(g19, true, { ...h2eInputs, addrA: h2eInputs.addrB, addrB: h2eInputs.addrA });
    expect(again).toBe(first); // the same object: not derived again
  });

  it('gives the hunting-and-pecking PWE of the published commit, once derived', () => {
    const first = passwordElement(g19, false, hnpInputs);
    expect(first.equals(huntAndPeck(g19, hnpInputs.password, hnpInputs.addrA, hnpInputs.addrB))).toBe(true);
    expect(passwordElement(g19, false, hnpInputs)).toBe(first);
  });

  it('answers other inputs with their own PWE', () => {
    const base = passwordElement(g19, false, hnpInputs);
    const others = [
      passwordElement(g19, false, { ...hnpInputs, password: Buffer.from(`${hnp.password}!`) }),
      passwordElement(g19, false, { ...hnpInputs, identifier: Buffer.from('id') }),
      passwordElement(g19, false, { ...hnpInputs, addrB: hex('020000000099') }),
      passwordElement(g19, true, hnpInputs),
    ];
    for (const p of others) expect(p.equals(base)).toBe(false);
    const g20 = saeGroup(20)!;
    expect(encodeElement(g20, passwordElement(g20, false, hnpInputs)).subarray(0, 32).equals(encodeElement(g19, base).subarray(0, 32))).toBe(false);
    // H2E's PT depends on the SSID.
    const h = passwordElement(g19, true, h2eInputs);
    expect(passwordElement(g19, true, { ...h2eInputs, ssid: Buffer.from(`${h2e.ssid}x`) }).equals(h)).toBe(false);
  });

  it('keeps at most 32 entries, dropping the least recently used', () => {
    const first = passwordElement(g19, false, hnpInputs);
    const addr = (i: number) => Buffer.from(`0200000001${i.toString(16).padStart(2, '0')}`, 'hex');
    for (let i = 0; i < 30; i++) passwordElement(g19, false, { ...hnpInputs, addrB: addr(i) });
    expect(passwordElement(g19, false, hnpInputs)).toBe(first); // 31 entries, and first used again
    for (let i = 30; i < 32; i++) passwordElement(g19, false, { ...hnpInputs, addrB: addr(i) });
    // 33 inputs seen: the least recently used (addr(0)) went, first stayed.
    expect(passwordElement(g19, false, hnpInputs)).toBe(first);
    const before = passwordElement(g19, false, { ...hnpInputs, addrB: addr(1) });
    expect(passwordElement(g19, false, { ...hnpInputs, addrB: addr(1) })).toBe(before);
    const dropped = passwordElement(g19, false, { ...hnpInputs, addrB: addr(0) });
    expect(passwordElement(g19, false, { ...hnpInputs, addrB: addr(0) })).toBe(dropped);
  });
});
