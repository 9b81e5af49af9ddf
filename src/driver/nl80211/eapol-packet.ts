/**
 * EAPOL over a packet socket on the netdev, for radios whose driver cannot
 * carry it in nl80211 (no NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211:
 * FullMAC drivers such as brcmfmac), as wpa_supplicant 2.10's l2_packet does:
 * frames to the AP go out as Ethernet frames with EtherType 0x888e from our
 * address, and the AP's arrive the same way. The kernel encrypts a frame
 * sent on the netdev with the pairwise key once it is installed, so the
 * control port's "no encrypt" choice does not apply here.
 *
 * On the `cap` package (libpcap: a PF_PACKET socket with a BPF filter), loaded
 * at first use like the `netlink` package, so the start-up snapshot holds no
 * native addon. The filter takes EAPOL frames to our address or to the PAE
 * group address; our own outgoing frames (which a packet socket also sees)
 * are not among them.
 */
import { createRequire } from 'node:module';
import { getMac, macBuf } from './attrs.js';
import type { EapolTransport } from './eapol-transport.js';
import { ETH_P_PAE } from './numbers.js';

/** The part of `cap`'s Cap object used here (the package ships no types). */
interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  send(buffer: Buffer, nBytes?: number): void;
  close(): void;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): void;
}

/** The IEEE 802.1X PAE group address (802.1X-2020 11.1.1), where some authenticators send EAPOL. */
const PAE_GROUP = '01:80:c2:00:00:03';
const ETH_HLEN = 14;
/** Frames waiting in libpcap's buffer: EAPOL comes a few at a time. */
const PCAP_BUFFER = 256 * 1024;

let cap: { Cap: new () => CapHandle } | undefined;

/** The packet socket could not be opened (no `cap`, no libpcap, no CAP_NET_RAW, no such netdev). */
export class PacketSocketError extends Error {
  constructor(ifname: string, cause: unknown) {
    super(`cannot open a packet socket on ${ifname}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PacketSocketError';
  }
}

export class PacketTransport implements EapolTransport {
  private constructor(
    private readonly c: CapHandle,
    private readonly own: Buffer,
  ) {}

  /** Opens the packet socket on `ifname`; EAPOL frames for `own` go to `onFrame` (source address, 802.1X frame). */
  static open(ifname: string, own: string, onFrame: (src: string, frame: Buffer) => void): PacketTransport {
    let c: CapHandle;
    const buf = Buffer.alloc(65535);
    try {
      cap ??= createRequire(import.meta.url)('cap') as { Cap: new () => CapHandle };
      c = new cap.Cap();
      const proto = `0x${ETH_P_PAE.toString(16)}`;
      c.open(ifname, `ether proto ${proto} and (ether dst ${own} or ether dst ${PAE_GROUP})`, PCAP_BUFFER, buf);
    } catch (e) {
      throw new PacketSocketError(ifname, e);
    }
    c.on('packet', (nbytes) => {
      if (nbytes <= ETH_HLEN || buf.readUInt16BE(12) !== ETH_P_PAE) return;
      onFrame(getMac(buf.subarray(6, 12), 'Ethernet source'), Buffer.from(buf.subarray(ETH_HLEN, nbytes)));
    });
    return new PacketTransport(c, macBuf(own));
  }

  async send(dst: string, frame: Buffer): Promise<void> {
    const type = Buffer.alloc(2);
    type.writeUInt16BE(ETH_P_PAE);
    const f = Buffer.concat([macBuf(dst), this.own, type, frame]);
    this.c.send(f, f.length);
  }

  close(): void {
    this.c.close();
  }
}
