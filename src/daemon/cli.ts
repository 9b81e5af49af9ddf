/**
 * The command line of wpa-offloadd, shared by its two entries (main.ts, the
 * plain script, and snapshot.ts, the V8 start-up snapshot): wpa_supplicant's
 * flags, -v, -h and usage errors answered here; only a command line that asks
 * for a running daemon gets the daemon (start.ts), from `loadDaemon`.
 */
import { writeSync } from 'node:fs';
import { EXIT_FAILURE, parseArgs, USAGE, UsageError, VERSION_TEXT, type Args } from './args.js';
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

/**
 * `text` to fd 1 or 2, written directly rather than through process.stdout or
 * process.stderr: Node.js builds those streams on first use (a pipe, tty or
 * file stream and the modules behind it), about 4 ms of CPU, a fifth of
 * Node's own start-up, for the one line of -v (`npm run bench -- startup`).
 * What a full non-blocking pipe refuses (EAGAIN) goes through the stream.
 */
function print(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch {
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(done));
  }
}

function commandLine(argv: string[]): Args {
  try {
    return parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      print(2, `${e.message}\n\n${USAGE}`);
      process.exit(EXIT_FAILURE);
    }
    throw e;
  }
}

export function runCommandLine({ argv, self, loadDaemon }: Entry): void {
  const args = commandLine(argv);
  if (args.help) {
    print(1, USAGE);
    process.exit(0);
  }
  if (args.version) {
    print(1, VERSION_TEXT);
    process.exit(0);
  }
  if (args.interfaces.length === 0 && args.globalCtrl === undefined) {
    print(2, `Interface name (-i) or global control interface (-g) is required\n\n${USAGE}`);
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
