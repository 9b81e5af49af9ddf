/**
 * veth pairs for the reference wpa_supplicant's wired driver: one end is the
 * interface it runs on, the other just keeps the link up.
 */
import { execFileSync } from 'node:child_process';
import { IP } from './tools.js';
import type { Cleanup } from './cleanup.js';

export interface Veth {
  /** The interface the daemon under test and the reference run on. */
  name: string;
  peer: string;
}

let counter = 0;

/**
 * A name unique to this process and call, within IFNAMSIZ (15 bytes): `wo`,
 * the pid in base 36, a counter, and `p` for the peer.
 */
export function uniqueIfname(): string {
  return `wo${process.pid.toString(36)}${(counter++).toString(36)}`;
}

function ip(...args: string[]): void {
  execFileSync(IP, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createVeth(cleanup: Cleanup): Veth {
  const name = uniqueIfname();
  const peer = `${name}p`;
  ip('link', 'add', name, 'type', 'veth', 'peer', 'name', peer);
  const del = (): void => {
    try {
      ip('link', 'del', name); // removes the peer too
    } catch {
      // already gone
    }
  };
  cleanup.add(del, del);
  ip('link', 'set', name, 'up');
  ip('link', 'set', peer, 'up');
  return { name, peer };
}
