/**
 * A hand-driven authenticator for protocol tests (like hostap's
 * build_eapol_key_3_4 in its test suite): it builds any EAPOL-Key frame,
 * valid or not, from the codec and crypto primitives that the vector and
 * transcript tests pin down.
 */
import { micAlgorithm, descriptorVersion } from '../../src/rsn/akm.js';
import { derivePtk, type Ptk } from '../../src/rsn/crypto.js';
import { bigIntToCounter, buildEapolKey, encodeKeyInfo, parseEapolKey } from '../../src/rsn/eapol.js';
import { gtkKde, igtkKde } from '../../src/rsn/kde.js';
import { signEapolKey, wrapKeyData } from '../../src/rsn/keyframe.js';
import { buildRsne } from '../../src/rsn/rsne.js';
import { Supplicant, type SupplicantOptions } from '../../src/rsn/supplicant.js';

export const AA = '02:00:00:00:00:0a';
export const SPA = '02:00:00:00:00:01';
export const PMK = Buffer.alloc(32, 0x42);
export const GTK = Buffer.from('dc11188831bf4aa4a8678d2b41498618', 'hex');
export const h = (s: string): Buffer => Buffer.from(s, 'hex');

export function rsneFor(akm = 'WPA-PSK', mfp = false): Buffer {
  return buildRsne({ group: 'CCMP', pairwise: ['CCMP'], akms: [akm], mfpc: mfp });
}

/** A deterministic nonce source: 0x01.., 0x02.., ... */
export function counterRandom(): (n: number) => Buffer {
  let i = 0;
  return (n: number) => Buffer.alloc(n, ++i);
}

export function newSupplicant(over: Partial<SupplicantOptions> = {}): Supplicant {
  const akm = (over.akm as string) ?? 'WPA-PSK';
  const rsne = rsneFor(akm, over.mfp ?? false);
  return new Supplicant({ akm, pairwise: 'CCMP', group: 'CCMP', mfp: false, pmk: PMK, aa: AA, spa: SPA, ownRsne: rsne, apRsne: rsne, random: counterRandom(), ...over });
}

export class Rig {
  counter = 0n;
  anonce = Buffer.alloc(32, 0x22);
  ptk: Ptk | null = null;
  readonly ver: number;
  readonly alg;

  constructor(
    readonly akm = 'WPA-PSK',
    readonly pmk = PMK,
    readonly mfp = false,
  ) {
    this.ver = descriptorVersion(akm, 'CCMP');
    this.alg = micAlgorithm(akm, this.ver)!;
  }

  get apRsne(): Buffer {
    return rsneFor(this.akm, this.mfp);
  }

  msg1(o: { anonce?: Buffer; ctr?: bigint; keyData?: Buffer } = {}): Buffer {
    return buildEapolKey({
      keyInfo: encodeKeyInfo({ version: this.ver, pairwise: true, ack: true }),
      keyLength: 16,
      replayCounter: bigIntToCounter(o.ctr ?? ++this.counter),
      nonce: o.anonce ?? this.anonce,
      keyData: o.keyData,
    });
  }

  /** Learns the PTK from the supplicant's msg 2. */
  learn(msg2: Buffer, anonce = this.anonce): Ptk {
    const k = parseEapolKey(msg2);
    this.ptk = derivePtk({ akm: this.akm, pairwise: 'CCMP', pmk: this.pmk, aa: AA, spa: SPA, anonce, snonce: k.nonce });
    return this.ptk;
  }

  gtkKde(keyId = 1, key = GTK): Buffer {
    return gtkKde(keyId, key);
  }

  igtkKde(keyId = 4, key = Buffer.alloc(16, 0x77)): Buffer {
    return igtkKde(keyId, Buffer.alloc(6), key);
  }

  /** Msg 3/4; `plain` is the Key Data before padding and wrapping. */
  msg3(o: { plain?: Buffer; anonce?: Buffer; ctr?: bigint; keyInfo?: number; keyLength?: number; encrypt?: boolean; rawKeyData?: Buffer } = {}): Buffer {
    const ptk = this.ptk!;
    const plain = o.plain ?? Buffer.concat([this.apRsne, this.gtkKde()]);
    const encrypt = o.encrypt ?? true;
    const f = buildEapolKey({
      keyInfo: o.keyInfo ?? encodeKeyInfo({ version: this.ver, pairwise: true, install: true, ack: true, mic: true, secure: true, encrypted: encrypt }),
      keyLength: o.keyLength ?? 16,
      replayCounter: bigIntToCounter(o.ctr ?? ++this.counter),
      nonce: o.anonce ?? this.anonce,
      keyData: o.rawKeyData ?? (encrypt ? wrapKeyData(ptk.kek, plain) : plain),
    });
    return signEapolKey(f, this.alg, ptk.kck);
  }

  group1(o: { plain?: Buffer; ctr?: bigint; encrypt?: boolean; kck?: Buffer } = {}): Buffer {
    const ptk = this.ptk!;
    const plain = o.plain ?? this.gtkKde(2, Buffer.alloc(16, 0x55));
    const encrypt = o.encrypt ?? true;
    const f = buildEapolKey({
      keyInfo: encodeKeyInfo({ version: this.ver, ack: true, mic: true, secure: true, encrypted: encrypt }),
      replayCounter: bigIntToCounter(o.ctr ?? ++this.counter),
      keyData: encrypt ? wrapKeyData(ptk.kek, plain) : plain,
    });
    return signEapolKey(f, this.alg, o.kck ?? ptk.kck);
  }
}
