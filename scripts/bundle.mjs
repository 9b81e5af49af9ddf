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
 * node_modules. The `netlink` package's JavaScript is bundled, and its addon
 * opened directly (netlinkBundled below). winston, needed only for -s
 * (syslog), is left out the same way (daemon/syslog.ts loads it through
 * createRequire): a third of the bundle's source before. The CommonJS
 * packages in start.mjs (ini) get a real `require` from the banner
 * (esbuild's ESM output has none).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { buildWithFirstUseChunks } from './first-use-chunks.mjs';
import { USAGE, VERSION_TEXT } from '../dist/src/daemon/args.js';

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
 * The built-ins that start-up does not use are required, in the snapshot, at
 * their first use: node:crypto (the handshakes, PBKDF2, SAE) and
 * node:fs/promises (atomic-file.ts: SAVE_CONFIG, the PMKSA file). A module
 * that imports one gets an object whose getters require it at the first
 * property read. Loaded while the snapshot was built, they and the ~25
 * internal modules they load were in the blob and deserialized at every start
 * (CPU to the first PONG -5 to -10 %, `npm run bench -- startup`); the code
 * cache of those modules stays in the blob (trimBuiltinCodeCache() below), so
 * that the first use costs ~2 ms, not the ~13 ms of compiling them from source.
 */
const BUILTINS_AT_FIRST_USE = ['node:crypto', 'node:fs/promises'];
const builtinsAtFirstUse = {
  name: 'builtins-at-first-use',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (!BUILTINS_AT_FIRST_USE.includes(args.path)) return undefined;
      // The getters' own require() is the built-in itself.
      if (args.namespace === 'builtin-at-first-use') return { path: args.path, external: true };
      return { path: args.path, namespace: 'builtin-at-first-use' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-at-first-use' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default');
      const getters = names.map((n) => `  get ${n}() { return load().${n}; },`).join('\n');
      return { contents: `let m;\nconst load = () => (m ??= require('${args.path}'));\nmodule.exports = {\n${getters}\n};\n`, loader: 'js' };
    });
  },
};

/*
 * The `netlink` package's JavaScript (the generic-netlink socket of the
 * nl80211 backend, driver/nl80211/socket.ts; the raw route socket,
 * net/route-netlink.ts) is bundled: those modules createRequire() it at
 * first use, which in tsc's output (the tests) stays as it is, and which
 * here becomes a require() esbuild bundles, still run at first use. Loaded
 * through Node's CommonJS loader, it was parsed and compiled at every start
 * with -D nl80211, ~6 ms of CPU before the first PONG (V8's function-events
 * log, 2026-12-07: netlink.js, raw.js, genl, a second copy of structs.js,
 * node-gyp-build and the loader itself): 1.57x -> 1.40x bare node's CPU to
 * the first PONG (interleaved rounds), the start without a driver unchanged
 * (1.317x and 1.318x, 61 rounds). node-gyp-build,
 * which raw.js calls to find the package's addon among its prebuilds, is
 * replaced by process.dlopen() of the file it finds here, at build time, as
 * a path relative to the bundle (net/dgram.ts opens unix-dgram's the same
 * way).
 */
const NETLINK_LOADS = {
  'src/driver/nl80211/socket.ts': 'netlink/dist/genl/genl.js',
  'src/net/route-netlink.ts': 'netlink/dist/raw.js',
};
const netlinkAddon = createRequire(import.meta.url)('node-gyp-build').resolve(path.resolve('node_modules/netlink'));
const netlinkBundled = {
  name: 'netlink-bundled',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/](driver[\\/]nl80211[\\/]socket|net[\\/]route-netlink)\.ts$/ }, (args) => {
      const spec = NETLINK_LOADS[path.relative(process.cwd(), args.path).split(path.sep).join('/')];
      const load = `createRequire(import.meta.url)('${spec}')`;
      const text = readFileSync(args.path, 'utf8');
      if (!spec || !text.includes(load)) throw new Error(`${args.path}: expected ${load} (netlinkBundled in scripts/bundle.mjs)`);
      return { contents: text.replace(load, `require('${spec}')`), loader: 'ts' };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]netlink[\\/]dist[\\/]raw\.js$/ }, (args) => {
      // The addon's directory, which the stub below does not need, from a __dirname a bundle has not.
      const call = "require('node-gyp-build')(__dirname + '/..')";
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(call)) throw new Error(`${args.path}: expected ${call} (netlinkBundled in scripts/bundle.mjs)`);
      return { contents: text.replace(call, "require('node-gyp-build')()"), loader: 'js' };
    });
    b.onResolve({ filter: /^node-gyp-build$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]netlink[\\/]/.test(args.importer)) return undefined;
      return { path: 'node-gyp-build', namespace: 'netlink-addon' };
    });
    b.onLoad({ filter: /.*/, namespace: 'netlink-addon' }, () => {
      const rel = path.relative(path.resolve(outdir), netlinkAddon).split(path.sep).join('/');
      return {
        contents: `const file = require('node:url').fileURLToPath(new URL(${JSON.stringify(rel)}, __bundleUrl));\nmodule.exports = () => {\n  const m = { exports: {} };\n  process.dlopen(m, file);\n  return m.exports;\n};\n`,
        loader: 'js',
      };
    });
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

/*
 * esbuild's CommonJS output reaches a built-in or a CommonJS package through
 * `__toESM(require(...))` at each importing module: a new object with one
 * getter (a closure and an AccessorPair) per property of the module. The
 * snapshot held six copies of node:fs's 104 properties, four of the lazy
 * node:crypto's 67 and more: ~1400 closures and accessor pairs, ~0.15 MB of
 * heap that every start deserializes. The helper is replaced by one that
 * returns an object whose prototype is the module itself, with the same
 * `default`: named imports (`import_fs.readFileSync`) read the module's
 * property at each use, as the getters did. Only enumerating such a
 * namespace differs (its own keys are `default` alone), which the daemon
 * never does. The replacement is padded to the helper's length so that the
 * source map's columns hold, and the build fails if esbuild's helper is not
 * the one this expects (another esbuild version).
 */
function prototypeToEsm(file) {
  const text = readFileSync(file, 'utf8');
  const helper = /var __toESM=\((\w+),(\w+),(\w+)\)=>\(\3=\1!=null\?__create\(__getProtoOf\(\1\)\):\{\},__copyProps\(\2\|\|!\1\|\|!\1\.__esModule\?__defProp\(\3,"default",\{value:\1,enumerable:!0\}\):\3,\1\)\)/;
  const found = helper.exec(text);
  if (!found) throw new Error(`${file}: esbuild's __toESM helper is not the expected one; see prototypeToEsm() in scripts/bundle.mjs`);
  const mine = 'var __toESM=(m,n,t)=>(t=m!=null?__create(m):{},n||!m||!m.__esModule?__defProp(t,"default",{value:m,enumerable:!0}):t)';
  writeFileSync(file, text.replace(helper, mine.padEnd(found[0].length, ' ')));
}

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/daemon/main.ts'], outfile: `${outdir}/wpa-offloadd.cjs`, format: 'cjs', plugins: [startIsExternal] });
await build({
  ...common,
  entryPoints: ['src/daemon/start.ts'],
  outfile: `${outdir}/start.mjs`,
  format: 'esm',
  plugins: [netlinkBundled],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url); const __bundleUrl = import.meta.url;" },
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
const snapshotScript = {
  ...common,
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  // A deserialized snapshot has no dynamic import(): the built-ins that
  // modules load lazily (node:inspector, node:child_process) come by require.
  supported: { 'dynamic-import': false },
};
/*
 * The modules behind a load.ts are first-use chunks (first-use-chunks.mjs),
 * except the nl80211 backend, which a service starts with at every boot: it
 * stays in the bundle, evaluated at its first use. Start to the first PONG
 * with -D nl80211, CPU against bare node's, in interleaved rounds on
 * 2026-12-07: as a chunk (read with its code cache) 1.73-1.83x against
 * 1.65-1.66x for the build before. Its start path's bytecode is not in the
 * blob: a code-cache run with -D nl80211 took it from 1.40x to 1.33x (with
 * the netlink package bundled, below), but the start without a driver, the
 * performance goal's figure, took 0.45-1.7 ms longer in four runs (medians).
 */
const { chunks } = await buildWithFirstUseChunks({
  loadTs: ['src/driver/load.ts', 'src/rsn/sae/load.ts'],
  inBundle: ['src/driver/nl80211/backend.ts'],
  bundle: {
    ...snapshotScript,
    entryPoints: ['src/daemon/snapshot.ts'],
    outfile: `${outdir}/snapshot.cjs`,
    plugins: [builtinsAtFirstUse, netlinkBundled],
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  chunk: { ...snapshotScript, plugins: [builtinsAtFirstUse] },
  outdir,
});
for (const c of chunks) asciiOnly(c);
asciiOnly(`${outdir}/snapshot.cjs`);
prototypeToEsm(`${outdir}/snapshot.cjs`);
/*
 * The blob keeps the bytecode of every function compiled while it was built
 * (Node's bootstrap and internals, the daemon's module bodies): V8's
 * FunctionCodeHandling::kKeep, which is what `node --build-snapshot` asks for
 * unless the snapshot is built `withoutCodeCache`. That option clears the
 * bytecode of every function in the heap (kClear), Node's own internals
 * included, and each one the daemon then calls (fs, events, net, timers) was
 * compiled again from source at every start. The daemon's own start-up path
 * is compiled into the blob too: snapshot-entry.cjs compiles the bundle with
 * the code cache of a run to the first PONG (startupCodeCache() below).
 * What the option is for stays out all the same: Node appends the code cache
 * of all its ~320 built-in modules (~2.9 MB), which node copies into
 * malloc'ed memory at start and keeps for the process's life, though the
 * daemon loads only a few of them after deserialization: those of
 * BUILTINS_AT_FIRST_USE (node:inspector no longer, see
 * daemon/no-inspector.ts). trimBuiltinCodeCache() keeps theirs alone.
 */
const snapshotBundle = path.resolve(`${outdir}/snapshot.cjs`);
const startupCache = startupCodeCache(snapshotBundle);
/*
 * --no-warnings: Node.js warns that node:vm and node:module are "not yet
 * fully verified" in a snapshot builder, and printing a warning builds
 * process.stderr, which for a pipe loads node:net and its streams: the blob
 * then held them all (~0.2 MB), deserialized at every start.
 */
execFileSync(
  process.execPath,
  [...V8_FLAGS, '--no-warnings', '--snapshot-blob', `${outdir}/wpa-offloadd.blob`, '--build-snapshot', 'scripts/snapshot-entry.cjs', snapshotBundle, startupCache],
  { stdio: 'inherit' },
);
rmSync(startupCache);
trimBuiltinCodeCache(`${outdir}/wpa-offloadd.blob`, builtinsLoadedBy(BUILTINS_AT_FIRST_USE));

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
 * `wpa-offloadd -v` and `wpa-offloadd -h`, the whole command line, are
 * answered by the launcher itself with args.ts's texts (VERSION_TEXT, USAGE),
 * written here: a node started only to print a constant costs Node's whole
 * start-up plus the blob's deserialization, about 1.3x a bare `node -e 0`'s
 * CPU, against ~0.4 ms for the shell. Any other command line, -v or -h among
 * other options included, goes to node, whose parser decides (as
 * wpa_supplicant's getopt, option by option).
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
if [ $# = 1 ]; then
  case $1 in
  -v) printf '%s' ${q(VERSION_TEXT)}; exit ;;
  -h) printf '%s' ${q(USAGE)}; exit ;;
  esac
fi
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

/**
 * The code cache of the daemon's start-up path, for the snapshot
 * (scripts/snapshot-entry.cjs says why): the bundle runs the daemon in a
 * throwaway directory up to its first PONG, twice, the second run starting
 * from the first's cache so that the cache holds both: an interface that
 * names no driver and has no settings file (driver none), then what `npm
 * start` and a service run: a settings file (log level, a PMKSA file) and
 * the embedded simulator. nl80211 needs a wireless netdev, which a build
 * machine may not have: its functions compile at run time, as before.
 */
function startupCodeCache(bundle) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wpa-offloadd-build-'));
  try {
    const conf = (name) => {
      const file = path.join(dir, `${name}.conf`);
      writeFileSync(file, `ctrl_interface=${dir}/ctrl\n`, { mode: 0o600 });
      return file;
    };
    const settings = path.join(dir, 'settings.ini');
    writeFileSync(
      settings,
      `[driver]\nbackend = sim\nparams = scenario=${path.resolve('conf/sim.ini')}\n[offload]\npmksa_file = pmksa-%i\n[log]\nlevel = INFO\n`,
    );
    const cache = path.join(dir, 'start-up.codecache');
    // A build run by a service manager must not tell it that this daemon is ready.
    const env = { ...process.env };
    for (const k of ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID']) delete env[k];
    const run = (args, from) => {
      const r = spawnSync(process.execPath, [...V8_FLAGS, 'scripts/snapshot-entry.cjs', bundle, cache, ...(from ? [from] : []), '--', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env,
      });
      if (r.status !== 0) throw new Error(`the start-up code-cache run (${args.join(' ')}) failed:\n${r.stdout}${r.stderr}`);
    };
    run(['-i', 'wpo-build0', '-c', conf('none')]);
    const first = `${cache}.none`;
    renameSync(cache, first);
    run(['--settings', settings, '-i', 'wpo-build1', '-c', conf('sim')], first);
    const out = `${outdir}/start-up.codecache`;
    renameSync(cache, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This machine's CPU as the kernel names it ('' where sysfs has no such file: then no CPU check). */
function cpuModalias() {
  try {
    return readFileSync('/sys/devices/system/cpu/modalias', 'utf8').split('\n')[0];
  } catch {
    return '';
  }
}

/**
 * The ids of the built-in modules that requiring `builtins` loads, in a node
 * that has loaded nothing else (internal/crypto/cipher, ...): those whose
 * code cache the blob keeps. The script comes on stdin: `node -e` itself
 * loads node:crypto before it runs one.
 */
function builtinsLoadedBy(builtins) {
  const script = `const before = new Set(process.moduleLoadList); for (const b of ${JSON.stringify(builtins)}) require(b);
    console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13))));`;
  const ids = new Set(JSON.parse(execFileSync(process.execPath, ['-'], { input: script, encoding: 'utf8' })));
  for (const b of builtins) if (!ids.has(b.slice('node:'.length))) throw new Error(`${b}: not among the modules that requiring it loads (${[...ids].join(' ')})`);
  return ids;
}

/**
 * Trims the blob's code cache, the last part of Node's snapshot blob
 * (SnapshotData::ToBlob: a count, then per built-in its id and its cache, each
 * length-prefixed with a 64-bit little-endian size), to the entries of `keep`.
 * Its start is found from the end: the last offset from which such entries,
 * each with a built-in's id, end exactly at the end of the file; a blob of
 * another layout is kept whole rather than cut at a guess.
 */
function trimBuiltinCodeCache(file, keep) {
  const blob = readFileSync(file);
  const u64 = (at) => (at + 8 <= blob.length ? Number(blob.readBigUInt64LE(at)) : -1);
  /** The entries from `at` ({id, bytes}), or null if the code cache does not start there. */
  const entriesAt = (at) => {
    const count = u64(at);
    if (count < 1 || count > 5000) return null;
    const entries = [];
    let p = at + 8;
    for (let i = 0; i < count; i++) {
      const idLength = u64(p);
      if (idLength < 1 || idLength > 256 || p + 8 + idLength > blob.length) return null;
      const id = blob.toString('latin1', p + 8, p + 8 + idLength);
      if (!/^[\w/.-]+$/.test(id)) return null; // a built-in's id, as internal/worker/io
      const size = u64(p + 8 + idLength);
      const end = p + 16 + idLength + size;
      if (size < 0 || end > blob.length) return null;
      entries.push({ id, bytes: blob.subarray(p, end) });
      p = end;
    }
    return p === blob.length ? entries : null;
  };
  for (let at = blob.length - 8; at >= 0; at--) {
    // Counts and id lengths are small: their upper four bytes are zero.
    if (blob.readUInt32LE(at + 4) !== 0) continue;
    const entries = entriesAt(at);
    if (!entries) continue;
    const kept = entries.filter((e) => keep.has(e.id));
    writeFileSync(file, Buffer.concat([blob.subarray(0, at), u64le(kept.length), ...kept.map((e) => e.bytes)]));
    return;
  }
  // Another Node.js may lay the blob out otherwise: keep it whole (a start as fast, about 3 MB more memory), never fail the build for it.
  console.warn(`${file}: no code cache found at the end of the snapshot blob; kept whole (idle RSS about 3 MiB higher)`);
}

function u64le(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
