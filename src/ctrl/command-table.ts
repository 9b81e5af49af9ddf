/**
 * The control interface's command table: wpa_supplicant's request matching,
 * without its 300-branch if/else chain.
 *
 * Registration API (used by this directory's command modules and by the
 * station and offload modules, e.g. src/ctrl/station-commands.ts and
 * src/ctrl/offload-commands.ts):
 *
 *   export const fooCommands: CommandSpec<FooContext>[] = [
 *     { name: 'PMKSA', form: 'exact', handler: (ctx) => ... },
 *     { name: 'PMKSA_GET', form: 'space', handler: (ctx, args) => ... },
 *   ];
 *   table.register(fooCommands, fooContext);   // in src/daemon/interface.ts
 *
 * - `form: 'exact'`  matches os_strcmp(buf, "NAME") == 0; args is ''.
 * - `form: 'space'`  matches os_strncmp(buf, "NAME ", len+1) == 0 (the
 *   trailing space is part of the name, so a bare NAME is UNKNOWN COMMAND);
 *   args is everything after "NAME " verbatim (may be '').
 * - `form: 'prefix'` matches os_strncmp(buf, "NAME", len) == 0 (STATUS,
 *   LOG_LEVEL, INTERFACES, RELOG, BSSID_IGNORE, ...); args is everything after
 *   NAME ('-VERBOSE', ' DEBUG', 'X', ...).
 * - The handler returns the reply text exactly as it goes on the wire
 *   ('OK\n', 'FAIL\n', a value with no newline, '' for an empty datagram), or a
 *   Promise of it when it must wait for the driver. It must keep the reply
 *   within the socket's reply size (IFACE_REPLY_SIZE / GLOBAL_REPLY_SIZE,
 *   minus one byte for C's NUL) without cutting a line: see ReplyBuffer.
 * - Events a command causes are sent by the handler (through the interface's
 *   event function) before it returns, so they reach monitors before the reply,
 *   as in wpa_supplicant.
 * - Registering a name twice in the same form throws: one owner per command.
 *
 * Lookup is exact names first (a Map hit, the PING/STATUS fast path), then
 * "NAME " by the word before the first space, then prefixes in registration
 * order. wpa_supplicant's own order only matters where two of its patterns
 * can match the same request, and none of the registered ones can.
 */

export type CommandForm = 'exact' | 'space' | 'prefix';
export type CommandReply = string | Promise<string>;
export type CommandHandler<C> = (ctx: C, args: string) => CommandReply;

export interface CommandSpec<C> {
  name: string;
  form: CommandForm;
  handler: CommandHandler<C>;
}

/** wpa_supplicant's reply buffers (ctrl_iface.c reply_size). */
export const IFACE_REPLY_SIZE = 4096;
export const GLOBAL_REPLY_SIZE = 2048;

export const OK = 'OK\n';
export const FAIL = 'FAIL\n';
export const UNKNOWN_COMMAND = 'UNKNOWN COMMAND\n';
export const PONG = 'PONG\n';

/**
 * "<word> <word> <rest>" as 2.10's handlers split it (os_strchr(' ') twice):
 * the first two words and the rest verbatim; undefined with fewer than two
 * spaces (FAIL).
 */
export function twoWordsAndRest(args: string): [string, string, string] | undefined {
  const a = args.indexOf(' ');
  if (a < 0) return undefined;
  const b = args.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  return [args.slice(0, a), args.slice(a + 1, b), args.slice(b + 1)];
}

type Bound = (args: string) => CommandReply;

export class DuplicateCommandError extends Error {
  constructor(name: string, form: CommandForm) {
    super(`control command ${name} (${form}) registered twice`);
    this.name = 'DuplicateCommandError';
  }
}

export class CommandTable {
  private readonly exact = new Map<string, Bound>();
  private readonly space = new Map<string, Bound>();
  private readonly prefixes: { name: string; run: Bound }[] = [];
  /**
   * The last request dispatched, its handler and its arguments. A poller
   * sends the same command over and over, and the transport hands over the
   * very string it handed over before (CtrlSocket.commandText()), so one
   * identity check replaces the Map lookups and, for a prefix command such
   * as STATUS, the walk of the prefix list. Cleared by register().
   */
  private lastCmd: string | undefined;
  private lastRun: Bound | undefined;
  private lastArgs = '';

  register<C>(specs: readonly CommandSpec<C>[], ctx: C): this {
    this.lastCmd = undefined;
    for (const { name, form, handler } of specs) {
      const run: Bound = (args) => handler(ctx, args);
      if (form === 'prefix') {
        if (this.prefixes.some((p) => p.name === name)) throw new DuplicateCommandError(name, form);
        this.prefixes.push({ name, run });
        continue;
      }
      const map = form === 'exact' ? this.exact : this.space;
      if (map.has(name)) throw new DuplicateCommandError(name, form);
      map.set(name, run);
    }
    return this;
  }

  /** The reply, or undefined when nothing matches (the caller answers UNKNOWN COMMAND). */
  dispatch(cmd: string): CommandReply | undefined {
    if (cmd !== this.lastCmd && !this.resolve(cmd)) return undefined;
    return this.lastRun!(this.lastArgs);
  }

  /** Finds cmd's handler and arguments and keeps them as the last dispatch; false when nothing matches. */
  private resolve(cmd: string): boolean {
    let run: Bound | undefined = this.exact.get(cmd);
    let args = '';
    if (!run) {
      const sp = cmd.indexOf(' ');
      if (sp > 0) {
        run = this.space.get(cmd.slice(0, sp));
        if (run) args = cmd.slice(sp + 1);
      }
    }
    if (!run) {
      const p = this.prefixes.find((q) => cmd.startsWith(q.name));
      if (!p) return false;
      run = p.run;
      args = cmd.slice(p.name.length);
    }
    this.lastCmd = cmd;
    this.lastRun = run;
    this.lastArgs = args;
    return true;
  }
}

/**
 * A reply assembled line by line into a fixed-size C buffer: like
 * os_snprintf() + os_snprintf_error(), a piece is taken only if it fits with
 * room for the terminating NUL, so lists end at the last whole entry.
 */
export class ReplyBuffer {
  private parts: string[] = [];
  private used = 0;
  constructor(private readonly size: number) {}

  /** Appends text if it fits; false (and nothing appended) otherwise. */
  add(text: string): boolean {
    const n = Buffer.byteLength(text);
    if (this.used + n >= this.size) return false;
    this.parts.push(text);
    this.used += n;
    return true;
  }

  toString(): string {
    return this.parts.join('');
  }
}
