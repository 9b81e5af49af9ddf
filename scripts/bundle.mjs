/**
 * `npm run build`'s second step: the daemon as one bundle,
 * dist/bundle/wpa-offloadd.js, which `npm start`, the package's bin (and so
 * the systemd unit's ExecStart) and the test harness run.
 *
 * Why a bundle: tsc's output is ~70 ES modules plus winston's ~80 CommonJS
 * files, and Node.js resolves, reads and links each one at start-up. One
 * file per load step removes that work: start to the first PONG drops by
 * about a quarter (see `npm run bench -- startup`). Code splitting keeps
 * main.ts's chunk tiny, so -v and -h never read the daemon's code.
 *
 * unix-dgram stays outside: it is a native addon found at run time through
 * node_modules. The CommonJS packages (winston, ini) get a real `require`
 * from the banner (esbuild's ESM output has none).
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/bundle';
// Chunk names carry a content hash: without this, the chunks of older builds would pile up.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { 'wpa-offloadd': 'src/daemon/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['unix-dgram'],
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
