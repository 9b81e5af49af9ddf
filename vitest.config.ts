import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Every test file gets a TMPDIR of its own inside the run's (tmp-global.ts),
  // and fails if it leaves anything there (tmp-check.ts).
  globalSetup: ['test/harness/tmp-global.ts'],
  setupFiles: ['test/harness/tmp-check.ts'],
};

// Two projects, which `npm test` (scripts/test.mjs) runs as two vitest
// processes at the same time; a plain `vitest run` runs radio, then host.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'radio',
          // Each file boots a VM of its own (test/radio/vm.ts) and shares
          // nothing with the others on the host but the read-only checkout,
          // so two run at once: one qemu (single-threaded TCG) per core.
          include: ['test/radio/**/*.test.ts'],
          maxWorkers: 2,
        },
      },
      {
        test: {
          ...shared,
          name: 'host',
          include: ['test/**/*.test.ts'],
          exclude: ['test/radio/**'],
          // Integration tests start real daemons, a reference wpa_supplicant and
          // veth pairs; they share names under /tmp and /run, so files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
