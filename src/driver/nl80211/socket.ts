/**
 * The generic-netlink socket to nl80211, on the `netlink` package: resolves
 * the family and its multicast groups through the genl controller, joins the
 * groups the backend decodes, and sends requests and dumps. Incoming
 * notifications go to one listener as {cmd, data}, the shape decode.ts takes.
 *
 * The package is loaded on first use, not on import: its native addon cannot
 * be part of the daemon's start-up snapshot (daemon/snapshot.ts), as for
 * unix-dgram in net/dgram.ts. Its pure-JavaScript codec (attrs.ts) is bundled.
 */
import { createRequire } from 'node:module';
import type { GenericNetlinkSocket } from 'netlink';
import type { GenlMessage } from './attrs.js';
import { encodeAttrs } from './attrs.js';
import type { Request } from './encode.js';
import { MCAST_GROUPS, NL80211_GENL_NAME } from './numbers.js';

/**
 * The package's generic-netlink module alone, not its entry: the entry loads
 * the codecs of every netlink family it knows (rtnetlink's above all), 25 ms
 * of CPU at start against ~8 for this one and the raw socket it stands on.
 */
type GenlModule = typeof import('netlink/dist/genl/genl.js');
let genlModule: GenlModule | undefined;

/** NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH). */
const NLM_F_DUMP = 0x300;
/** CTRL_CMD_GETFAMILY. */
const CTRL_CMD_GETFAMILY = 3;
/** Replies are the kernel's to give; one that never comes is a stuck kernel or a lost socket. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A request the kernel refused or never answered; `code` is the errno's name (EOPNOTSUPP, ENETDOWN, ...) when it refused. */
export class Nl80211RequestError extends Error {
  constructor(
    readonly cmd: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'Nl80211RequestError';
  }
}

/** The package rejects with a plain Error, "Request rejected: ENETDOWN": the name is all it keeps of the errno. */
function asRequestError(cmd: number, e: unknown): Nl80211RequestError {
  const text = e instanceof Error ? e.message : String(e);
  const code = /^Request rejected: (\w+)$/.exec(text)?.[1];
  return new Nl80211RequestError(cmd, code, `nl80211 command ${cmd}: ${code ?? text}`);
}

/** What the backend needs of the socket: requests and dumps (the fake in the backend's tests implements it too). */
export interface Nl80211Link {
  /** A command; resolves on the kernel's answer (a reply, or nothing on a bare ACK). */
  request(req: Request): Promise<GenlMessage[]>;
  /** A dump: every message of the multipart answer. */
  dump(req: Request): Promise<GenlMessage[]>;
  close(): void;
}

export class Nl80211Socket implements Nl80211Link {
  /**
   * The socket's own netlink port, given with each request: without it the
   * package asks the addon for the socket's address on every send.
   */
  private readonly localPort: number;

  private constructor(
    private readonly genl: GenericNetlinkSocket,
    readonly family: number,
  ) {
    this.localPort = genl.socket.address().port;
  }

  /** Opens the socket, finds the nl80211 family and joins its groups mlme, scan, config and vendor. */
  static async open(onEvent: (msg: GenlMessage) => void): Promise<Nl80211Socket> {
    genlModule ??= createRequire(import.meta.url)('netlink/dist/genl/genl.js') as GenlModule;
    // A burst of events (a scan's, a roam's) must not overflow the receive
    // buffer: 256 KiB, within the kernel's default rmem_max cap. 0: the kernel's default send buffer.
    const genl = genlModule.createGenericNetlink({ ref: true, recvBufferSize: 262144, sendBufferSize: 0 });
    try {
      // The controller answers ENOENT for a family the kernel does not have.
      const fam = await genl.ctrlRequest(CTRL_CMD_GETFAMILY, { familyName: NL80211_GENL_NAME }, { timeout: REQUEST_TIMEOUT_MS }).then(
        (r) => r[0],
        (e: unknown) => {
          if (asRequestError(CTRL_CMD_GETFAMILY, e).code !== 'ENOENT') throw e;
          return undefined;
        },
      );
      if (fam?.familyId === undefined) throw new Error('the kernel has no nl80211 generic-netlink family (cfg80211 not loaded)');
      const s = new Nl80211Socket(genl, fam.familyId);
      for (const name of MCAST_GROUPS) {
        const g = fam.mcastGroups?.find((m) => m.name === name);
        // "vendor" exists only on kernels built with vendor commands; the others always.
        if (g?.id !== undefined) genl.socket.addMembership(g.id);
      }
      // Multicast notifications and the unicast ones to this socket alike
      // (CONTROL_PORT_FRAME goes to the connection's owner only): the package
      // emits every message that answers no request of ours.
      genl.on('message', (msgs: { family?: number; cmd?: number; data: Buffer }[]) => {
        for (const m of msgs) if (m.family === s.family && m.cmd !== undefined) onEvent({ cmd: m.cmd, data: m.data });
      });
      return s;
    } catch (e) {
      genl.socket.close();
      throw e;
    }
  }

  /** A command; resolves on the kernel's ACK. */
  async request(req: Request): Promise<GenlMessage[]> {
    try {
      const [msgs] = await this.genl.request(this.family, req.cmd, 0, encodeAttrs(req.attrs), { timeout: REQUEST_TIMEOUT_MS, localPort: this.localPort });
      return msgs.map((m) => ({ cmd: m.cmd, data: m.data }));
    } catch (e) {
      throw asRequestError(req.cmd, e);
    }
  }

  /** A dump: every message of the multipart answer. */
  async dump(req: Request): Promise<GenlMessage[]> {
    try {
      const [msgs] = await this.genl.request(this.family, req.cmd, 0, encodeAttrs(req.attrs), { flags: NLM_F_DUMP, timeout: REQUEST_TIMEOUT_MS, localPort: this.localPort });
      return msgs.map((m) => ({ cmd: m.cmd, data: m.data }));
    } catch (e) {
      throw asRequestError(req.cmd, e);
    }
  }

  close(): void {
    this.genl.socket.close();
  }
}
