/**
 * `npm run build`'s second step: the daemon as two bundles in dist/bundle/,
 * which `npm start`, the package's bin (and so the systemd unit's ExecStart)
 * and the test harness run:
 * - wpa-offloadd.cjs, the entry (src/daemon/main.ts): the command line, -v,
 *   -h, -B's parent. CommonJS, because Node.js 20 starts a CommonJS file
 *   faster than an ES module (no module graph to instantiate), and this one
 *   file is all that -v and -h read;
 * - start.mjs (src/daemon/start.ts and everything it imports, winston
 *   included), which the entry imports only to run the daemon.
 *
 * Why bundles: tsc's output is ~70 ES modules plus winston's ~80 CommonJS
 * files, and Node.js resolves, reads and links each one at start-up. One
 * file per step removes that work: exec to the first PONG drops by about a
 * quarter (`npm run bench -- startup`).
 *
 * unix-dgram stays outside: a native addon, found at run time through
 * node_modules. The CommonJS packages in start.mjs (winston, ini) get a real
 * `require` from the banner (esbuild's ESM output has none).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/bundle';
const common = { bundle: true, platform: 'node', target: 'node20', external: ['unix-dgram'], sourcemap: true, logLevel: 'warning' };

/** main.ts's `import('./start.js')` is the other bundle, loaded at run time. */
const startIsExternal = {
  name: 'start-is-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/start\.js$/ }, () => ({ path: './start.mjs', external: true }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/daemon/main.ts'], outfile: `${outdir}/wpa-offloadd.cjs`, format: 'cjs', plugins: [startIsExternal] });
await build({
  ...common,
  entryPoints: ['src/daemon/start.ts'],
  outfile: `${outdir}/start.mjs`,
  format: 'esm',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

/*
 * The start-up snapshot (src/daemon/snapshot.ts): one CommonJS script with
 * the whole daemon, run once by `node --build-snapshot`; the heap it leaves
 * is wpa-offloadd.blob, which bin/wpa-offloadd starts. A snapshot script
 * gets a `require` for built-ins only, so unix-dgram is found through a
 * createRequire of this file's path (net/dgram.ts, at first use, after
 * deserialization): import.meta.url is that path's URL, fixed at build time.
 * The blob fits only this node binary and these V8 flags (the shebang's
 * --max-semi-space-size=1): built here, never committed or shipped.
 */
await build({
  ...common,
  entryPoints: ['src/daemon/snapshot.ts'],
  outfile: `${outdir}/snapshot.cjs`,
  format: 'cjs',
  define: { 'import.meta.url': '__snapshotScriptUrl' },
  // A deserialized snapshot has no dynamic import(): the built-ins that
  // modules load lazily (node:inspector, node:child_process) come by require.
  supported: { 'dynamic-import': false },
  banner: { js: "const __snapshotScriptUrl = require('node:url').pathToFileURL(__filename).href;" },
});
execFileSync(process.execPath, ['--max-semi-space-size=1', '--snapshot-blob', `${outdir}/wpa-offloadd.blob`, '--build-snapshot', `${outdir}/snapshot.cjs`], {
  stdio: 'inherit',
});
