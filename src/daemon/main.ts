#!/usr/bin/env -S node --max-semi-space-size=1 --compact-on-every-full-gc
/**
 * wpa-offloadd: the process entry. Parses wpa_supplicant's flags and answers
 * -v, -h and usage errors itself; only a command line that asks for a
 * running daemon loads the daemon (start.ts, with winston, the control
 * interface, the station and the driver backends). Loading that module graph
 * is most of the start-up time (about 60 % of it before this split), so -v
 * and -h return in little more than Node.js's own start-up.
 *
 * SIGUSR1 is ignored from the first line on, so that it cannot open Node's
 * inspector (no-inspector.ts).
 *
 * --max-semi-space-size=1 (the shebang, `npm start`, the systemd unit, the
 * test harness): a 1 MiB young generation instead of V8's 16 MiB default
 * keeps the RSS of a daemon that has answered a burst of requests near its
 * idle RSS (about 57 MB instead of 63 MB after the ctrl benchmark); its
 * requests allocate little, so the extra scavenges cost no measurable
 * throughput. --compact-on-every-full-gc: see scripts/bundle.mjs (V8_FLAGS),
 * whose launcher runs node with both.
 */
// First: no debugger can be opened by signal from here on (see no-inspector.ts).
import './no-inspector.js';
import { runCommandLine } from './cli.js';

runCommandLine({ argv: process.argv.slice(2), self: [process.argv[1]!], loadDaemon: () => import('./start.js') });
