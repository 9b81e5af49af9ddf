/**
 * The integration-test harness: one `TestEnv` per test file owns every
 * resource the file creates (veth pairs, temporary directories, daemons,
 * clients) and releases them all in `cleanup()`, which always runs.
 *
 *   const env = new TestEnv();
 *   afterAll(() => env.cleanup());
 *   const veth = env.veth();
 *   const conf = env.writeConf('ref.conf', ctrlConf(dir));
 *   const ref = await env.startReference({ ifname: veth.name, conf, ctrlDir: dir });
 *   const c = await env.client(ref.ctrlPath);
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { Cleanup } from './cleanup.js';
import { startDaemon, startReference, type DaemonOptions, type RunningDaemon } from './processes.js';
import { createVeth, type Veth } from './veth.js';

export { Cleanup } from './cleanup.js';
export { requireTool, requireTools, requireRoot, isCi, MissingToolError, WPA_CLI, WPA_SUPPLICANT, IP } from './tools.js';
export { createVeth, uniqueIfname, type Veth } from './veth.js';
export {
  ManagedProcess,
  waitForCtrl,
  monitorAttached,
  exitedWithin,
  startDaemon,
  startReference,
  daemonEntry,
  DaemonStartError,
  type DaemonOptions,
  type RunningDaemon,
} from './processes.js';

export class TestEnv {
  readonly cleanupSteps = new Cleanup();
  private dirCache: string | undefined;

  /** This file's temporary directory (created on first use). */
  get dir(): string {
    this.dirCache ??= this.cleanupSteps.tempDir();
    return this.dirCache;
  }

  /** A fresh subdirectory path under `dir` (not created: daemons create their ctrl dirs). */
  path(name: string): string {
    return join(this.dir, name);
  }

  veth(): Veth {
    return createVeth(this.cleanupSteps);
  }

  writeConf(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  }

  startReference(opts: DaemonOptions): Promise<RunningDaemon> {
    return startReference(opts, this.cleanupSteps);
  }

  startDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
    return startDaemon(opts, this.cleanupSteps);
  }

  /** A wpa_ctrl client, closed (socket file unlinked) at cleanup. */
  async client(ctrlPath: string): Promise<WpaCtrl> {
    const c = await WpaCtrl.open(ctrlPath);
    this.cleanupSteps.add(() => c.close());
    return c;
  }

  cleanup(): Promise<void> {
    return this.cleanupSteps.run();
  }
}

/** The minimal wpa_supplicant.conf the tests start from. */
export function ctrlConf(ctrlDir: string, extra = ''): string {
  return `ctrl_interface=${ctrlDir}\n${extra}`;
}
