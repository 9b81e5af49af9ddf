/**
 * Cleanup that always runs: every resource a test creates registers its undo
 * here, and `run()` undoes them in reverse order even when some fail.
 *
 * The synchronous part (`onExitSync`) also runs if the worker dies before
 * vitest's afterAll hooks, so no veth pair or daemon outlives the test run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Undo = () => void | Promise<void>;

const exitHooks = new Set<() => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const h of exitHooks) {
      try {
        h();
      } catch {
        // best effort at process exit
      }
    }
  });
}

export class Cleanup {
  private readonly undos: { undo: Undo; sync?: () => void }[] = [];

  /** `sync` is the last-resort variant run at process exit if `run()` never happened. */
  add(undo: Undo, sync?: () => void): void {
    const entry = { undo, sync };
    this.undos.push(entry);
    if (sync) {
      installExitHook();
      exitHooks.add(sync);
    }
  }

  /** A fresh temporary directory, removed at cleanup. */
  tempDir(prefix = 'wpo-test-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const rm = (): void => rmSync(dir, { recursive: true, force: true });
    this.add(rm, rm);
    return dir;
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.undos.length > 0) {
      const { undo, sync } = this.undos.pop()!;
      if (sync) exitHooks.delete(sync);
      try {
        await undo();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, `cleanup: ${errors.length} step(s) failed`);
    }
  }
}
