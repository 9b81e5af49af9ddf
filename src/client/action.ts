/**
 * `-a ACTION_SCRIPT`: what wpa_cli's action mode does with events.
 *
 * CTRL-EVENT-CONNECTED runs `SCRIPT IFNAME CONNECTED` with WPA_ID, WPA_ID_STR
 * and WPA_CTRL_DIR in the environment, unless already connected to the same
 * network id; CTRL-EVENT-DISCONNECTED runs `SCRIPT IFNAME DISCONNECTED` unless
 * known to be disconnected already. The connection state starts unknown, so the
 * first DISCONNECTED after start runs the script too. The environment persists
 * (the DISCONNECTED run still sees the last WPA_ID), as in wpa_cli, where it is
 * the process environment. Scripts run one at a time, in event order.
 */
import { spawn } from 'node:child_process';

export type ActionRun = { args: [string, string]; env: Record<string, string> };

export class ActionState {
  /** -1 unknown, 0 disconnected, 1 connected (wpa_cli_connected). */
  private connected = -1;
  private lastId = 0;
  private readonly env: Record<string, string> = {};

  constructor(
    private readonly ifname: string,
    private readonly ctrlDir: string,
  ) {}

  /** The script run an event calls for, if any. `text` is the event without its `<n>` prefix. */
  onEvent(text: string): ActionRun | undefined {
    if (text.startsWith('CTRL-EVENT-CONNECTED')) {
      delete this.env.WPA_ID;
      delete this.env.WPA_ID_STR;
      let newId = -1;
      const at = text.indexOf('[id=');
      if (at >= 0) {
        const rest = text.slice(at + 4);
        const sp = rest.indexOf(' ');
        const id = sp < 0 ? rest : rest.slice(0, sp);
        newId = atoi(id);
        this.env.WPA_ID = id;
        // after the id: skip to '=' and take everything up to ']'
        const afterId = sp < 0 ? '' : rest.slice(sp + 1);
        const eq = afterId.indexOf('=');
        const val = eq < 0 ? '' : afterId.slice(eq + 1);
        const end = val.indexOf(']');
        this.env.WPA_ID_STR = end < 0 ? val : val.slice(0, end);
      }
      this.env.WPA_CTRL_DIR = this.ctrlDir;
      if (this.connected <= 0 || newId !== this.lastId) {
        this.connected = 1;
        this.lastId = newId;
        return { args: [this.ifname, 'CONNECTED'], env: { ...this.env } };
      }
      return undefined;
    }
    if (text.startsWith('CTRL-EVENT-DISCONNECTED')) {
      if (this.connected !== 0) {
        this.connected = 0;
        return { args: [this.ifname, 'DISCONNECTED'], env: { ...this.env } };
      }
    }
    return undefined;
  }
}

/** C atoi: leading whitespace, optional sign, digits; anything else stops it. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) | 0 : 0;
}

/** Runs action scripts one after another, waiting for each (wpa_cli waits too). */
export class ActionRunner {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly script: string,
    private readonly report: (msg: string) => void,
  ) {}

  run(r: ActionRun): Promise<void> {
    this.chain = this.chain.then(
      () =>
        new Promise<void>((resolve) => {
          // The script shares our stdout/stderr, as with wpa_cli's fork+exec.
          const child = spawn(this.script, r.args, { stdio: 'inherit', env: { ...process.env, ...r.env } });
          child.on('error', (err) => {
            this.report(`action script ${this.script} could not run: ${err.message}`);
            resolve();
          });
          child.on('exit', () => resolve());
        }),
    );
    return this.chain;
  }

  /** Resolves once every script started so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }
}
