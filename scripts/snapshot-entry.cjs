/**
 * The start-up snapshot's entry (scripts/bundle.mjs runs both steps):
 *
 *   node V8_FLAGS snapshot-entry.cjs BUNDLE CACHE [CACHE_IN] -- DAEMON ARGS
 *     the code-cache run: compiles BUNDLE (dist/bundle/snapshot.cjs), with
 *     CACHE_IN's code if given, runs the daemon it holds with DAEMON ARGS
 *     until it answers PING on its last interface's control socket, and
 *     writes to CACHE the code cache of the bundle: the bytecode of every
 *     function that start-up compiled (and CACHE_IN's);
 *   node V8_FLAGS --snapshot-blob BLOB --build-snapshot snapshot-entry.cjs BUNDLE CACHE
 *     compiles BUNDLE with that cache and runs it: src/daemon/snapshot.ts
 *     sets the blob's main function, and the blob keeps the bytecode of
 *     every function compiled then, those of the start-up path included.
 *
 * Why: the blob held the bytecode of the functions that ran while it was
 * built (the modules' top levels), not of those the daemon runs to its first
 * PONG (the command line, the configuration parser, the station's and the
 * control socket's constructors...): V8 parsed and compiled those ~190
 * functions at every start, 2-3 ms of CPU, a tenth of all start-up.
 *
 * Both steps compile the bundle here, the same way, so that V8 takes the
 * cache of one in the other (its check covers the source, V8's version and
 * its flags: both run under V8_FLAGS). The bundle runs as a function of
 * `require` (the snapshot builder's takes built-ins only) and `__filename`
 * (its banner derives import.meta.url from it).
 */
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const { startupSnapshot } = require('node:v8');

/** Compiles `file`, with `cachedData` if given; throws if V8 refuses that cache. */
function compileBundle(file, cachedData) {
  const source = `(function (require, __filename) {${fs.readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  if (cachedData !== undefined && script.cachedDataRejected) throw new Error(`${file}: V8 refused the code cache`);
  return script;
}

function buildSnapshot(bundle, cache) {
  compileBundle(bundle, fs.readFileSync(cache)).runInThisContext()(require, bundle);
  runBuiltinsOfStartUp();
}

/**
 * Calls, once and to no effect, the functions of Node's built-in modules that
 * the daemon's start-up calls and that nothing has called while the
 * snapshot is built (timers, the fs calls of the control socket's directory,
 * Buffer methods of the request path), so that the blob holds their bytecode
 * too: ~40 functions V8 compiled at every start otherwise (the code cache
 * above covers the bundle alone). The timers run in the builder's event
 * loop, which Node runs to its end before it takes the snapshot.
 */
function runBuiltinsOfStartUp() {
  const dir = fs.mkdtempSync(`${require('node:os').tmpdir()}/wpa-offloadd-snapshot-`);
  try {
    fs.mkdirSync(`${dir}/d`, { recursive: true, mode: 0o700 });
    fs.chmodSync(`${dir}/d`, 0o700);
    fs.existsSync(`${dir}/d`);
    fs.readdirSync(dir);
    const fd = fs.openSync(`${dir}/f`, 'w');
    fs.writeSync(fd, Buffer.from('PONG\n'));
    fs.closeSync(fd);
    // The configuration file is read as latin1 (normalizeEncoding's slow
    // cases); its directory's stale temporaries are matched by basename.
    fs.readFileSync(`${dir}/f`, 'latin1');
    require('node:path').basename(`${dir}/f`);
    fs.unlinkSync(`${dir}/f`);
    try {
      fs.unlinkSync(`${dir}/f`);
    } catch {
      // ENOENT, the path the daemon's stale-socket removal takes
    }
    fs.rmdirSync(`${dir}/d`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The control socket's bind takes unix-dgram's synchronous 'error' with a once() listener, removed after.
  const emitter = new (require('node:events'))();
  const noop = () => undefined;
  emitter.once('error', noop);
  emitter.removeListener('error', noop);
  // Start-up ends by setting V8's --always-sparkplug (src/daemon/start.ts); its default here, which changes nothing.
  require('node:v8').setFlagsFromString('--no-always-sparkplug');
  const request = Buffer.from('PING');
  request.toString('latin1');
  request.toString();
  request.subarray(0, 2).indexOf(0x20);
  request.slice(0, 2);
  Buffer.byteLength('PONG\n');
  setImmediate(() => undefined);
  setTimeout(() => undefined, 1);
  const interval = setInterval(() => clearInterval(interval), 1);
}

/**
 * node:vm for the bundle's first-use chunk loader (scripts/first-use-chunks.mjs),
 * recording the chunks it compiles; writeCaches() writes each one's code
 * cache, the bytecode of every function of it run so far, next to it
 * (<chunk>.codecache), where the loader looks for it.
 */
function firstUseChunks() {
  const vm = require('node:vm');
  const compiled = [];
  class Script extends vm.Script {
    constructor(source, options) {
      super(source, options);
      if (/[\\/]first-use[\\/][^\\/]+\.cjs$/.test(options.filename)) compiled.push({ script: this, file: options.filename });
    }
  }
  return {
    vm: { ...vm, Script },
    writeCaches: () => {
      for (const { script, file } of compiled) fs.writeFileSync(`${file}.codecache`, script.createCachedData());
    },
  };
}

/**
 * The daemon on the caller's command line, run in this process; resolves
 * with the bundle's code cache once the last `-i` interface's socket
 * (`ctrl_interface=DIR` in its `-c` file) answers PING.
 */
function codeCacheRun(bundle, cacheIn, daemonArgs) {
  const path = require('node:path');
  const { createRequire } = require('node:module');
  const script = compileBundle(bundle, cacheIn === undefined ? undefined : fs.readFileSync(cacheIn));
  const ifname = daemonArgs[daemonArgs.lastIndexOf('-i') + 1];
  const conf = daemonArgs[daemonArgs.lastIndexOf('-c') + 1];
  const ctrlDir = /^ctrl_interface=(?:DIR=)?(\S+)/m.exec(fs.readFileSync(conf, 'utf8'))[1];
  const ctrlPath = path.join(ctrlDir, ifname);
  const me = path.join(path.dirname(conf), `client-${process.pid}`);
  // The daemon's own argv: [node, ...ARGS], as in a process started from the blob.
  process.argv = [process.execPath, ...daemonArgs];
  const req = createRequire(bundle);
  const chunks = firstUseChunks();
  script.runInThisContext()((id) => (id === 'node:vm' ? chunks.vm : req(id)), bundle);
  const client = req('unix-dgram').createSocket('unix_dgram');
  client.on('error', () => undefined); // not bound yet: the next PING
  client.bind(me);
  return new Promise((resolve, reject) => {
    const ping = setInterval(() => {
      if (fs.existsSync(ctrlPath)) client.send(Buffer.from('PING'), 0, 4, ctrlPath);
    }, 2);
    const timeout = setTimeout(() => reject(new Error(`${ctrlPath}: no PONG within 20 s`)), 20_000);
    client.on('message', (msg) => {
      if (msg.toString() !== 'PONG\n') return;
      clearInterval(ping);
      clearTimeout(timeout);
      // V8 takes a code cache only under the flags it was made with, and the
      // daemon, once ready, turned on --always-sparkplug (src/daemon/start.ts),
      // which the next run and the blob start without: off again first.
      require('node:v8').setFlagsFromString('--no-always-sparkplug');
      chunks.writeCaches();
      resolve(script.createCachedData());
    });
  });
}

if (startupSnapshot.isBuildingSnapshot()) {
  buildSnapshot(process.argv[2], process.argv[3]);
} else {
  const [bundle, cacheOut, ...rest] = process.argv.slice(2);
  const dashes = rest.indexOf('--');
  const cacheIn = dashes === 1 ? rest[0] : undefined;
  codeCacheRun(bundle, cacheIn, rest.slice(dashes + 1)).then(
    (cache) => {
      fs.writeFileSync(cacheOut, cache);
      // The daemon is still running in this process: its work is done.
      process.exit(0);
    },
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
