/**
 * No debugger can be opened on the daemon from outside.
 *
 * Node 20 starts its inspector on 127.0.0.1:9229 when the process receives
 * SIGUSR1 (`kill -USR1`, `process._debugProcess(pid)`); any local user could
 * then run code through it with the daemon's rights (root). Node 20 has no
 * --disable-sigusr1, but a JavaScript SIGUSR1 listener makes libuv install
 * its own signal handler in place of Node's, so the signal no longer reaches
 * the inspector. This module is main.ts's first import: the listener exists
 * before anything else of the daemon is even loaded, and stays for the life
 * of the process. The signal is then ignored (wpa_supplicant 2.10 does not
 * handle SIGUSR1 at all: it dies of it).
 *
 * A SIGUSR1 that arrived during Node's own start-up, before this listener,
 * may already have opened the inspector: closeEarlyInspector() closes it,
 * unless the operator asked for one on the command line (`node --inspect
 * ...`). cli.ts calls it before it loads the daemon. It calls
 * process._debugEnd(), the very function node:inspector exports as close()
 * (Node 20's lib/inspector.js: `close: _debugEnd`), which stops the inspector
 * if it listens and does nothing otherwise. Loading node:inspector to reach
 * it also loads worker_threads and the worker internals (7 built-ins): that
 * was 1-2 ms of the daemon's start-up CPU, and the start-up snapshot had to
 * carry their code cache. node:inspector is loaded only by a Node.js without
 * process._debugEnd.
 */

import { startupSnapshot } from 'node:v8';

/** The daemon logs the signal (start.ts); this listener only keeps it from Node. */
export function keepSigusr1FromInspector(): void {
  process.on('SIGUSR1', () => undefined);
}

// Nothing but a built-in is imported before this: loading anything first (the
// logger, winston) would widen the window in which the signal still reaches
// Node's handler. While a start-up snapshot is built no listener is added: a
// signal handler does not survive into the snapshot, so the snapshot's main
// function (snapshot.ts) calls this first thing instead.
if (!startupSnapshot.isBuildingSnapshot()) keepSigusr1FromInspector();

export async function closeEarlyInspector(): Promise<void> {
  const inspectRequested = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--inspect'));
  if (inspectRequested) return;
  const debugEnd = (process as { _debugEnd?: () => void })._debugEnd;
  if (debugEnd !== undefined) return debugEnd();
  const inspector = await import('node:inspector');
  if (inspector.url() !== undefined) inspector.close();
}
