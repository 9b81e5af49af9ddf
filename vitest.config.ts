import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real daemons, a reference wpa_supplicant and veth
    // pairs; they share names under /tmp and /run, so files run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every test file removes what it creates under TMPDIR (a directory of the run's own).
    globalSetup: ['test/harness/tmp-global.ts'],
    setupFiles: ['test/harness/tmp-check.ts'],
  },
});
