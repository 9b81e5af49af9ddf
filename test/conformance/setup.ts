/**
 * Per-file boilerplate of the conformance suite: check the tools (missing ones
 * fail under CI=true), start the pair once per file, reset between cases,
 * clean up always.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { IP, TestEnv, WPA_SUPPLICANT, requireRoot, requireTools } from '../harness/index.js';
import { Pair, type PairOptions } from './pair.js';

/** Evaluated at collection time so a missing tool is visible (and fatal under CI). */
export const referenceAvailable = (): boolean => requireTools(WPA_SUPPLICANT, IP) && requireRoot();

/**
 * Starts a pair before the file's tests and tears everything down after.
 * `resetEach` removes all networks on both sides before each case, so cases
 * are independent and the lead sees one result per command.
 */
export function usePair(opts: PairOptions & { resetEach?: boolean } = {}): { pair: () => Pair; env: TestEnv } {
  const env = new TestEnv();
  let pair: Pair | undefined;
  beforeAll(async () => {
    pair = await Pair.start(env, opts);
  });
  if (opts.resetEach !== false) {
    beforeEach(async () => {
      await pair?.reset();
    });
  }
  afterAll(() => env.cleanup());
  return {
    env,
    pair: () => {
      if (!pair) throw new Error('the differential pair did not start (see beforeAll)');
      return pair;
    },
  };
}
