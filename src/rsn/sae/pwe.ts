/**
 * The password element PWE, the secret generator both peers derive from the
 * password and the two MAC addresses (IEEE 802.11-2020 12.4.4.2):
 *
 * - hunting-and-pecking (sae_pwe 0): try pwd-seed values until one is the x
 *   coordinate of a point; always 40 rounds whatever the round that found it,
 *   so the time taken does not tell an observer which round it was, and each
 *   round's quadratic-residue test on a blinded value (quadratic-residue.ts);
 * - hash-to-element (sae_pwe 1): a password token PT = SSWU(u1) + SSWU(u2)
 *   that depends on SSID and password only (computable once per network),
 *   then PWE = val * PT with val from the MAC addresses.
 */
import { hmac, HmacPads, Kdf, lruPut, wipe } from '../crypto.js';
import { bigintFromBytes, curveRhs, mod, type SaeGroup, type SaePoint } from './group.js';
import { isQuadraticResidueBlind, randomQrQnr } from './quadratic-residue.js';
import { liftX, multiply } from './scalar-mult.js';

/** 12.4.4.2.2: at least 40 rounds; hostap's k. */
const HUNT_AND_PECK_ROUNDS = 40;
/** hostap gives up after 200 rounds; a password that finds no point by then is astronomically unlikely. */
const HUNT_AND_PECK_MAX_ROUNDS = 200;

export class SaePweError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaePweError';
  }
}

/** MAX(a, b) || MIN(a, b), the address ordering every SAE derivation uses. */
export function maxMin(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) > 0 ? Buffer.concat([a, b]) : Buffer.concat([b, a]);
}

/**
 * Hunting-and-pecking (12.4.4.2.2). The hash is SHA-256 for every group, as
 * AKM 8 defines it and hostap does; `identifier` (sae_password_id) is
 * appended to the password.
 */
export function huntAndPeck(g: SaeGroup, password: Buffer, addrA: Buffer, addrB: Buffer, identifier?: Buffer): SaePoint {
  const base = identifier ? Buffer.concat([password, identifier]) : password;
  const primeBytes = Buffer.from(g.p.toString(16).padStart(g.primeLen * 2, '0'), 'hex');
  // The blinding draws (one r per round, the residue and non-residue) come from crypto.ts's pooled CSPRNG octets.
  const blinding = randomQrQnr(g);
  let foundX: bigint | undefined;
  let foundSeed: Buffer | undefined;
  // pwd-seed = HMAC-SHA256(MAX || MIN, password || identifier || counter):
  // the key's pads written once, the counter octet rewritten each round.
  const seedMac = new HmacPads('sha256', base.length + 1);
  seedMac.setKey(maxMin(addrA, addrB));
  base.copy(seedMac.message);
  const valueKdf = new Kdf('sha256', 'SAE Hunting and Pecking', primeBytes, g.primeBits);
  for (let counter = 1; counter <= HUNT_AND_PECK_ROUNDS || foundX === undefined; counter++) {
    if (counter > HUNT_AND_PECK_MAX_ROUNDS) throw new SaePweError('no password element found in 200 rounds');
    seedMac.message[seedMac.message.length - 1] = counter;
    const seed = seedMac.mac();
    const value = valueKdf.derive(seed);
    // The KDF yields primeBits bits, leftmost first; as a number they are the top bits.
    let x = bigintFromBytes(value);
    if (g.primeBits % 8) x >>= BigInt(8 - (g.primeBits % 8));
    wipe(value);
    if (x >= g.p) continue;
    if (isQuadraticResidueBlind(blinding, curveRhs(g, x)) && foundX === undefined) {
      foundX = x;
      foundSeed = seed;
    }
  }
  seedMac.clear();
  valueKdf.clear();
  // y's parity is the last pwd-seed octet's; x passed the residue test, so it lifts.
  const pt = liftX(g, foundX!, (foundSeed![foundSeed!.length - 1] & 1) === 1);
  if (!pt) throw new SaePweError('the password element found has no y');
  pt.assertValidity();
  return pt;
}

function hkdfExtract(g: SaeGroup, salt: Buffer, ikm: Buffer): Buffer {
  return hmac(g.hash, salt, ikm);
}

function hkdfExpand(g: SaeGroup, prk: Buffer, info: string, len: number): Buffer {
  const out: Buffer[] = [];
  let prev: Buffer = Buffer.alloc(0);
  for (let i = 1; out.length * g.hashLen < len; i++) {
    prev = hmac(g.hash, prk, Buffer.concat([prev, Buffer.from(info, 'ascii'), Buffer.of(i)]));
    out.push(prev);
  }
  return Buffer.concat(out).subarray(0, len);
}

/**
 * The password token PT of hash-to-element (12.4.4.2.3): per SSID, password
 * and identifier, so a station may compute it once per network and group.
 */
export function derivePt(g: SaeGroup, ssid: Buffer, password: Buffer, identifier?: Buffer): SaePoint {
  const len = g.primeLen + Math.floor(g.primeLen / 2);
  const seed = hkdfExtract(g, ssid, identifier ? Buffer.concat([password, identifier]) : password);
  const u1 = mod(bigintFromBytes(hkdfExpand(g, seed, 'SAE Hash to Element u1 P1', len)), g.p);
  const u2 = mod(bigintFromBytes(hkdfExpand(g, seed, 'SAE Hash to Element u2 P2', len)), g.p);
  seed.fill(0);
  return g.mapToCurve(u1).add(g.mapToCurve(u2));
}

/** PWE = val * PT with val = H(0^n, MAX || MIN) mod (r - 1) + 1 (12.4.4.2.3). */
export function pweFromPt(g: SaeGroup, pt: SaePoint, addrA: Buffer, addrB: Buffer): SaePoint {
  const val = mod(bigintFromBytes(hkdfExtract(g, Buffer.alloc(g.hashLen), maxMin(addrA, addrB))), g.r - 1n) + 1n;
  return multiply(g, pt, val);
}

/** What a password element derives from: the password and identifier, the SSID (PT), and the two addresses. */
export interface PweInputs {
  password: Buffer;
  identifier?: Buffer;
  ssid: Buffer;
  addrA: Buffer;
  addrB: Buffer;
}

/**
 * PWE and PT by their inputs, most recently used last. Hunting-and-pecking
 * costs its 40 rounds whatever round found the point, and H2E's PWE a
 * scalar multiplication (on the radio VM hunting-and-pecking was about a third
 * of an SAE connection's CPU: 23 ms per connection without the cache, 15
 * with it), yet both depend only on the inputs above: a station
 * that runs SAE again with the same AP (its PMKSA expired, or the AP
 * restarted and rejected the PMKID) need not derive them again. wpa_supplicant
 * 2.10 keeps PT per network and derives PWE at every commit. Whether a
 * derivation is cached shows only in its timing, and depends on the password
 * only as far as the same password was used before with the same addresses.
 * Bounded, as the PSK cache, so that a client cycling passwords or addresses
 * cannot grow it.
 */
const PWE_CACHE_MAX = 32;
const pweCache = new Map<string, SaePoint>();

function cached(key: string, derive: () => SaePoint): SaePoint {
  const p = pweCache.get(key) ?? derive();
  lruPut(pweCache, key, p, PWE_CACHE_MAX);
  return p;
}

/** The PWE for group `g`, by hunting-and-pecking or (h2e) from PT, from the cache when these inputs were seen before. */
export function passwordElement(g: SaeGroup, h2e: boolean, inp: PweInputs): SaePoint {
  const secret = `${g.id}/${inp.password.toString('hex')}/${inp.identifier ? inp.identifier.toString('hex') : '-'}`;
  const addrs = maxMin(inp.addrA, inp.addrB).toString('hex');
  if (!h2e) return cached(`hnp/${secret}/${addrs}`, () => huntAndPeck(g, inp.password, inp.addrA, inp.addrB, inp.identifier));
  const ssid = inp.ssid.toString('hex');
  return cached(`h2e/${secret}/${ssid}/${addrs}`, () => {
    const pt = cached(`pt/${secret}/${ssid}`, () => derivePt(g, inp.ssid, inp.password, inp.identifier));
    return pweFromPt(g, pt, inp.addrA, inp.addrB);
  });
}

/** Forgets every cached PWE and PT (a benchmark that wants the cold cost). */
export function clearPweCache(): void {
  pweCache.clear();
}
