/**
 * How EAPOL frames travel between the daemon and the radio. mac80211 drivers
 * carry them in nl80211 itself (CONTROL_PORT_FRAME, sent here; received ones
 * arrive as unicast CONTROL_PORT_FRAME notifications to the socket that owns
 * the connection and are decoded with the other events); FullMAC drivers
 * without that extended feature need a packet socket on the netdev, which
 * implements the same interface and reports received frames itself.
 */
import * as req from './encode.js';
import type { Nl80211Link } from './socket.js';

export interface EapolTransport {
  /** One EAPOL frame (the 802.1X header on) to `dst`; `noEncrypt` while no pairwise key is installed. */
  send(dst: string, frame: Buffer, noEncrypt: boolean): Promise<void>;
  /** Releases what the transport holds of its own (the packet socket). */
  close?(): void;
}

/** NL80211_CMD_CONTROL_PORT_FRAME on the socket that made the connection (SOCKET_OWNER). */
export class ControlPortTransport implements EapolTransport {
  constructor(
    private readonly sock: Nl80211Link,
    private readonly ifindex: number,
  ) {}

  async send(dst: string, frame: Buffer, noEncrypt: boolean): Promise<void> {
    await this.sock.request(req.controlPortFrame(this.ifindex, dst, frame, noEncrypt));
  }
}
