/**
 * `npm run build`'s second step: the daemon as two bundles in dist/bundle/,
 * which `npm start`, the package's bin (and so the systemd unit's ExecStart)
 * and the test harness run:
 * - wpa-offloadd.cjs, the entry (src/daemon/main.ts): the command line, -v,
 *   -h, -B's parent. CommonJS, because Node.js 20 starts a CommonJS file
 *   faster than an ES module (no module graph to instantiate), and this one
 *   file is all that -v and -h read;
 * - start.mjs (src/daemon/start.ts and everything it imports), which the
 *   entry imports only to run the daemon.
 *
 * Why bundles: tsc's output is ~70 ES modules plus the packages' CommonJS
 * files, and Node.js resolves, reads and links each one at start-up. One
 * file per step removes that work: exec to the first PONG drops by about a
 * quarter (`npm run bench -- startup`).
 *
 * unix-dgram stays outside: a native addon, found at run time through
 * node_modules. So does the `netlink` package's addon (the nl80211 driver),
 * without an `external` entry: driver/nl80211/socket.ts loads it through
 * createRequire, which esbuild leaves alone. Marking `netlink` external would
 * also make its pure-JavaScript codec (netlink/dist/structs.js, which the
 * nl80211 message layer imports) a run-time require, and the snapshot
 * script below can require built-ins only. winston, needed only for -s
 * (syslog), is left out the same way (daemon/syslog.ts loads it through
 * createRequire): a third of the bundle's source before. The CommonJS
 * packages in start.mjs (ini) get a real `require` from the banner
 * (esbuild's ESM output has none).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/bundle';
/*
 * The daemon's V8 flags (main.ts's shebang has the same): the blob below is
 * built with them and the launcher runs node with them.
 * - --max-semi-space-size=1: a young generation of 2 x 1 MiB, not 2 x 16.
 * - --compact-on-every-full-gc: a full GC also moves old-space objects out
 *   of sparse pages and frees those. After a burst (1000 scan results,
 *   1000 PMKSA_ADDs) V8's own heuristics left old space 1.5-4.8 MiB larger
 *   than its live objects; with it, 0.3-0.5 MiB (RSS -1 MiB, median of
 *   interleaved runs). Full GCs are rare in a daemon this small (young
 *   collections do the steady work): host handshake CPU unchanged within noise.
 */
const V8_FLAGS = ['--max-semi-space-size=1', '--compact-on-every-full-gc'];
/*
 * Whitespace and comments out, syntax shortened, names kept (stack traces,
 * class names in messages): V8 keeps each bundle's source in the heap, and
 * the snapshot's heap in the blob, which node holds in memory for the
 * process's life. Source 0.90 -> 0.59 MB, blob -0.3 MB, idle RSS -0.56 MiB
 * (5 alternating runs, probe of npm run bench).
 */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['unix-dgram'],
  sourcemap: true,
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
};

/** main.ts's `import('./start.js')` is the other bundle, loaded at run time. */
const startIsExternal = {
  name: 'start-is-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/start\.js$/ }, () => ({ path: './start.mjs', external: true }));
  },
};

/*
 * V8 keeps a script's source in the heap for the process's life (lazy
 * compilation, Function.prototype.toString), as one byte per character only
 * if every character is Latin-1; one other character anywhere and the whole
 * bundle is stored two bytes per character (in the snapshot too). esbuild
 * escapes non-ASCII in code (charset: ascii) but copies comments as they are
 * (a '–' in winston's, a '±' in ours), which doubled the ~0.7 MB source to
 * 1.4 MiB of heap. Each such character, only ever in a comment here,
 * becomes '?' (one UTF-16 unit each, so source-map columns hold).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, '?');
  if (ascii !== text) writeFileSync(file, ascii);
}

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/daemon/main.ts'], outfile: `${outdir}/wpa-offloadd.cjs`, format: 'cjs', plugins: [startIsExternal] });
await build({
  ...common,
  entryPoints: ['src/daemon/start.ts'],
  outfile: `${outdir}/start.mjs`,
  format: 'esm',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
asciiOnly(`${outdir}/wpa-offloadd.cjs`);
asciiOnly(`${outdir}/start.mjs`);

/*
 * The start-up snapshot (src/daemon/snapshot.ts): one CommonJS script with
 * the whole daemon, run once by `node --build-snapshot`; the heap it leaves
 * is wpa-offloadd.blob, which bin/wpa-offloadd starts. A snapshot script
 * gets a `require` for built-ins only, so unix-dgram is found through a
 * createRequire of this file's path (net/dgram.ts, at first use, after
 * deserialization): import.meta.url is that path's URL, fixed at build time.
 * The blob fits only this node binary and these V8 flags (V8_FLAGS, the
 * shebang's): built here, never committed or shipped.
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
asciiOnly(`${outdir}/snapshot.cjs`);
/*
 * Without Node's code cache: by default the blob also carries the compiled
 * code of every Node.js built-in module (~3 MB), which node copies into
 * malloc'ed memory at start and keeps for the process's life, though the
 * daemon's built-ins are already in the snapshot's heap and the few it loads
 * later (node:inspector, node:worker_threads) compile from source. Blob
 * 6.3 -> 3.2 MB, idle RSS -2.7 MiB, with 1000 BSSes about -4.7 MiB; exec to
 * first PONG, wall and CPU, unchanged within noise.
 */
const snapshotConfig = `${outdir}/snapshot-config.json`;
// --build-snapshot-config came with Node.js 20.12 and 21.6: an older node builds the blob with the code cache.
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number);
const withConfig = nodeMajor > 21 || (nodeMajor === 21 && nodeMinor >= 6) || (nodeMajor === 20 && nodeMinor >= 12);
if (withConfig) writeFileSync(snapshotConfig, JSON.stringify({ builder: `${outdir}/snapshot.cjs`, withoutCodeCache: true }));
const snapshotFrom = withConfig ? ['--build-snapshot-config', snapshotConfig] : ['--build-snapshot', `${outdir}/snapshot.cjs`];
execFileSync(process.execPath, [...V8_FLAGS, '--snapshot-blob', `${outdir}/wpa-offloadd.blob`, ...snapshotFrom], { stdio: 'inherit' });
rmSync(snapshotConfig, { force: true });

/*
 * dist/bundle/wpa-offloadd, the executable (package.json bin, npm start, the
 * systemd unit, the tests): runs the blob with the node binary that built it,
 * under the same V8 flags, or else the plain bundle (slower to start, the
 * same daemon). Node.js refuses a blob (exit 14, "built with a different
 * version of V8 or with different V8 configurations") unless V8's cache tag
 * matches: the V8 version, the hash of every V8 flag set, and the CPU
 * features V8 found. A refused blob cannot be retried: the launcher execs
 * node (the daemon keeps the launcher's pid, which systemd's Type=notify
 * and NotifyAccess=main need). So the launcher runs the blob only when
 * everything that tag depends on is as at build time, checked without
 * starting a process (~0.2 ms, `npm run bench -- startup`):
 * - the node binary: the blob is given the binary's mtime (touch -r, to the
 *   nanosecond), and runs only while both are equal. An upgrade or a
 *   downgrade of Node.js (a package keeps its own mtime, older than the
 *   blob) changes the binary's; a blob copied in or rewritten (foreign,
 *   truncated: node crashes on those) has a new one;
 * - the CPU: the kernel's /sys/devices/system/cpu/modalias (vendor, family,
 *   model, feature bits), compared with the one recorded here. Another
 *   machine, or a VM's emulated CPU reading this build over a shared
 *   filesystem (test/radio), runs the plain bundle;
 * - V8 flags in NODE_OPTIONS (the ones Node.js allows there, '-' or '_'):
 *   any of them changes the flag hash. Node's own options (--require) do not.
 * glibc malloc, unless the environment says otherwise: one arena (node's
 * worker threads, V8's compiler and GC helpers, would each grow their own
 * and keep it), freed memory above 64 KiB returned at once, and blocks of
 * 64 KiB and more (socket reads, driver lines) mmap'ed so that their
 * freeing returns them. The daemon's RSS, median of 5 runs: idle -1.0 MiB,
 * with 1000 BSSes and 1000 PMKSA_ADDs -3.5 to -4.5 MiB (the table's own
 * data is ~1.4 MiB of heap; the rest was freed memory malloc kept).
 * NODE_EXTRA_CA_CERTS is dropped: with it, Node.js reads and parses that
 * whole certificate bundle before it runs any JavaScript (OpenSSL's PEM and
 * ASN.1 decoding: 50 ms of CPU for Debian's ca-certificates.crt on this
 * machine, twice what the rest of a bare `node -e 0` costs), and the daemon
 * opens no TLS connection.
 * A shell script rather than a JavaScript launcher, which would pay Node's
 * start-up twice. readlink runs only when the script is reached through a
 * symlink (/usr/bin/wpa-offloadd, node_modules/.bin) or without a
 * directory in $0.
 */
const launcher = `${outdir}/wpa-offloadd`;
const blob = `${outdir}/wpa-offloadd.blob`;
execFileSync('touch', ['-r', process.execPath, blob]);
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;
writeFileSync(
  launcher,
  `#!/bin/sh
# wpa-offloadd: generated by npm run build (scripts/bundle.mjs); see there.
node=${q(process.execPath)}
cpu=${q(cpuModalias())}
self=$0
if [ -L "$self" ] || [ "\${self#*/}" = "$self" ]; then self=$(readlink -f -- "$self") || exit 255; fi
dir=\${self%/*}
blob=$dir/wpa-offloadd.blob
unset NODE_EXTRA_CA_CERTS
export MALLOC_ARENA_MAX="\${MALLOC_ARENA_MAX:-1}" MALLOC_TRIM_THRESHOLD_="\${MALLOC_TRIM_THRESHOLD_:-65536}" MALLOC_MMAP_THRESHOLD_="\${MALLOC_MMAP_THRESHOLD_:-65536}"
here=
read -r here 2>/dev/null </sys/devices/system/cpu/modalias
if [ "$here" = "$cpu" ] && [ -f "$blob" ] && ! [ "$node" -nt "$blob" ] && ! [ "$node" -ot "$blob" ]; then
  case $NODE_OPTIONS in
  *--abort?on?uncaught?exception* | *--disallow?code?generation* | *--enable?etw* | *--expose?gc* | \\
  *--interpreted?frames* | *--jitless* | *--max?old?space* | *--max?semi?space* | *--perf?* | *--stack?trace?limit*) ;;
  *) exec "$node" ${V8_FLAGS.join(' ')} --snapshot-blob "$blob" -- "$@" ;;
  esac
fi
exec "$node" ${V8_FLAGS.join(' ')} "$dir/wpa-offloadd.cjs" "$@"
`,
);
chmodSync(launcher, 0o755);

/** This machine's CPU as the kernel names it ('' where sysfs has no such file: then no CPU check). */
function cpuModalias() {
  try {
    return readFileSync('/sys/devices/system/cpu/modalias', 'utf8').split('\n')[0];
  } catch {
    return '';
  }
}
