#!/usr/bin/env -S node --max-semi-space-size=1
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
 * throughput.
 */
// First: no debugger can be opened by signal from here on (see no-inspector.ts).
import { closeEarlyInspector } from './no-inspector.js';
import { EXIT_FAILURE, parseArgs, USAGE, UsageError, VERSION, type Args } from './args.js';
import { detach, mustDetach } from './detach.js';

function commandLine(argv: string[]): Args {
  try {
    return parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      process.exit(EXIT_FAILURE);
    }
    throw e;
  }
}

const argv = process.argv.slice(2);
const args = commandLine(argv);
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.version) {
  process.stdout.write(`wpa-offloadd v${VERSION} (wpa_supplicant 2.10 control interface)\n`);
  process.exit(0);
}
if (args.interfaces.length === 0 && args.globalCtrl === undefined) {
  process.stderr.write(`Interface name (-i) or global control interface (-g) is required\n\n${USAGE}`);
  process.exit(EXIT_FAILURE);
}
if (mustDetach(args.background)) {
  void detach(argv);
} else {
  // Errors from here on are logged by start.ts's handlers, as a bug in one request is.
  void closeEarlyInspector()
    .then(() => import('./start.js'))
    .then(({ start }) => start(args));
}
