/**
 * -B: the process re-spawns itself detached (stdio to /dev/null, like
 * daemon(3)) and the parent exits only once the child's sockets are up, with
 * the child's exit status if it fails first. Under systemd use Type=notify
 * and no -B. The parent never loads the daemon itself (start.ts), and
 * node:child_process only when -B is given.
 */
import { EXIT_FAILURE } from './args.js';

/** Set in the detached child of -B, so it reports readiness to its parent. */
const DETACHED_ENV = 'WPA_OFFLOADD_DETACHED';

/** What the detached child sends its parent over the IPC channel. */
export interface ChildReport {
  ready?: true;
  error?: string;
}

/** True in the -B parent, which detaches; false in its child and without -B. */
export function mustDetach(background: boolean): boolean {
  return background && !process.env[DETACHED_ENV];
}

/**
 * -B in the parent: start the detached child (the same entry, `self`, with
 * argv without -B) and mirror its start-up result.
 */
export async function detach(self: string[], argv: string[]): Promise<void> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, ...self, ...argv.filter((a) => a !== '-B')], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  child.on('message', (m: ChildReport) => {
    if (m.error) process.stderr.write(`${m.error}\n`);
    if (m.ready) {
      child.disconnect();
      child.unref();
      process.exit(0);
    }
  });
  // Before it reported ready, any end of the child is a failed start, whatever its status.
  child.on('exit', (code) => process.exit(code || EXIT_FAILURE));
}
