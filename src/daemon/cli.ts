/**
 * The command line of wpa-offloadd, shared by its two entries (main.ts, the
 * plain script, and snapshot.ts, the V8 start-up snapshot): wpa_supplicant's
 * flags, -v, -h and usage errors answered here; only a command line that asks
 * for a running daemon gets the daemon (start.ts), from `loadDaemon`.
 */
import { EXIT_FAILURE, parseArgs, USAGE, UsageError, VERSION, type Args } from './args.js';
import { detach, mustDetach } from './detach.js';
import { closeEarlyInspector } from './no-inspector.js';

export interface DaemonModule {
  start(args: Args): Promise<void>;
}

export interface Entry {
  /** The arguments after node's and the entry's own. */
  argv: string[];
  /** What, after process.execPath and process.execArgv, starts this entry again (-B's child). */
  self: string[];
  loadDaemon(): Promise<DaemonModule>;
}

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

export function runCommandLine({ argv, self, loadDaemon }: Entry): void {
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
    void detach(self, argv);
  } else {
    // Errors from here on are logged by start.ts's handlers, as a bug in one request is.
    void closeEarlyInspector()
      .then(loadDaemon)
      .then(({ start }) => start(args));
  }
}
