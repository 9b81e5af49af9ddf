/**
 * wpa-offloadd as a V8 start-up snapshot: scripts/bundle.mjs bundles this
 * module with the whole daemon (start.ts, winston, the control interface,
 * the station, the drivers) and runs it once under `node --build-snapshot`;
 * the heap it leaves is saved as dist/bundle/wpa-offloadd.blob. Started with
 * `node --snapshot-blob wpa-offloadd.blob -- ARGS` (bin/wpa-offloadd), Node.js
 * deserializes that heap instead of parsing and evaluating ~700 kB of
 * JavaScript, and runs the function below.
 *
 * The blob fits only the node binary, the V8 flags and the CPU it was built
 * with (V8_FLAGS in scripts/bundle.mjs, as main.ts's shebang): it is built by
 * `npm run build`, never shipped, and the launcher runs the plain bundle
 * wherever one of those differs (scripts/bundle.mjs).
 *
 * The blob also holds the bytecode of the daemon's start-up path, compiled
 * from the code cache of a run of this bundle to its first PONG at build time
 * (scripts/snapshot-entry.cjs).
 *
 * What a snapshot cannot hold is set up in the main function: the SIGUSR1
 * listener (a signal handler), and the unix-dgram addon, which net/dgram.ts
 * loads on first use.
 */
import { startupSnapshot } from 'node:v8';
import { keepSigusr1FromInspector } from './no-inspector.js';
import { runCommandLine } from './cli.js';
import * as daemon from './start.js';

function main(): void {
  keepSigusr1FromInspector();
  // process.argv: [node, ...ARGS]; the snapshot has no script name. `--`
  // keeps ARGS from Node's own option parser (-i, -c, -v and -h are Node's too).
  runCommandLine({ argv: process.argv.slice(1), self: ['--'], loadDaemon: async () => daemon });
}

// Outside a snapshot build the bundle is being run by the build's code-cache
// run (scripts/snapshot-entry.cjs): the daemon starts at once, as from the blob.
if (startupSnapshot.isBuildingSnapshot()) startupSnapshot.setDeserializeMainFunction(main);
else main();
