/**
 * The start-up snapshot's first-use chunks (scripts/bundle.mjs).
 *
 * The modules behind a `load.ts` (src/driver/load.ts: the ext client, the
 * simulator and its scenarios; src/rsn/sae/load.ts: SAE's state machines and
 * @noble/curves) are not in the snapshot's bundle at all: each is its own
 * CommonJS file, dist/bundle/first-use/<name>.cjs, compiled and run the
 * first time its load.ts function is called. Before, esbuild put them into
 * the snapshot bundle behind functions run at first use: their code did not
 * run at start, but the blob held their source (~145 kB, over a quarter of
 * the bundle's) and the function declarations esbuild hoists to its top
 * level, which every start read, copied twice (Node.js reads the blob into
 * memory, then copies V8's part out of it), checksummed and deserialized.
 * An entry listed in `inBundle` (the nl80211 backend) stays as before:
 * bundled, evaluated at its first use.
 *
 * One instance of every module: a chunk holds only the modules that no
 * other part needs. A module the snapshot bundle has (log.ts, the driver
 * interface, rsn/crypto...) is `require('wpo:<path>')` in a chunk, which the
 * loader answers with the bundle's own module (a registry of those the chunks
 * import, written into the bundle); a chunk's entry that another chunk
 * imports (the simulator's scenarios) is loaded as that chunk; a module that
 * two chunks would both hold (driver/wire.ts, driver/channel.ts) goes into
 * the snapshot bundle instead. The build fails if a module ends up in two
 * places.
 *
 * Elsewhere (tsc's output, the tests, the plain bundle the launcher falls
 * back to) a load.ts is what its source says: static imports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Repository-relative path of a resolved file, '/' separated. */
const rel = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');

/** Each load.ts and what it imports: { file, text, imports: [{ name, spec, entry, chunk }] }, `chunk` false for the entries of `inBundle`. */
function loadFiles(paths, inBundle) {
  return paths.map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [];
    for (const line of text.match(/^import .*;$/gm) ?? []) {
      const m = /^import \* as (\w+) from '([^']+)';$/.exec(line);
      if (!m) throw new Error(`${file}: a load.ts imports only whole modules (import * as M from '...'), not: ${line}`);
      const entry = rel(path.resolve(path.dirname(file), m[2].replace(/\.js$/, '.ts')));
      imports.push({ name: m[1], spec: m[2], entry, chunk: !inBundle.includes(entry) });
    }
    return { file: rel(file), text, imports };
  });
}

/** A chunk's file name for its entry: src/driver/sim/sim-driver.ts -> driver-sim-sim-driver.cjs. */
const chunkName = (entry) => `${entry.replace(/^src\//, '').replace(/\.ts$/, '').replaceAll('/', '-')}.cjs`;

/**
 * esbuild plugin for the snapshot bundle: each `return M;` of a load.ts
 * becomes `return (M ??= firstUse('<entry>'));` (for an `inBundle` entry,
 * `require('<spec>')`), and the loader below, for the chunks of `entries`
 * and with its registry of `registered` modules, is bundled with it.
 */
function firstUseInBundle(loads, entries, registered) {
  const byFile = new Map(loads.map((l) => [path.resolve(l.file), l]));
  return {
    name: 'first-use-in-bundle',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*[\\/]load\.ts$/ }, (args) => {
        const l = byFile.get(args.path);
        if (!l) throw new Error(`${args.path}: a load.ts the build did not plan for`);
        let text = l.text;
        for (const { name, spec, entry, chunk } of l.imports) {
          text = text.replace(`import * as ${name} from '${spec}';`, `let ${name};`);
          const returns = new RegExp(`return ${name};`, 'g');
          if (!returns.test(text)) throw new Error(`${l.file}: ${name} is imported but no function returns it`);
          // A module kept in the bundle is still evaluated at first use: esbuild wraps what a require() reaches.
          const load = chunk ? `__wpoFirstUse(${JSON.stringify(entry)})` : `require('${spec}')`;
          text = text.replace(returns, `return (${name} ??= ${load});`);
        }
        return { contents: `import { firstUse as __wpoFirstUse } from 'wpo-first-use';\n${text}`, loader: 'ts', resolveDir: path.dirname(args.path) };
      });
      b.onResolve({ filter: /^wpo-first-use$/ }, () => ({ path: 'wpo-first-use', namespace: 'wpo-first-use' }));
      b.onLoad({ filter: /.*/, namespace: 'wpo-first-use' }, () => ({ contents: loaderSource(entries, registered), loader: 'js', resolveDir: process.cwd() }));
    },
  };
}

/*
 * The loader, bundled into the snapshot: a chunk runs as a function of its
 * own `require` (the registry, other chunks, else the built-ins), `module`,
 * `exports` and the bundle's URL (which stands for import.meta.url,
 * as in the bundle). Compiled by node:vm, which the snapshot holds already,
 * with the chunk's code cache (<chunk>.codecache) where the build wrote one:
 * the build's code-cache runs (scripts/snapshot-entry.cjs) write it for the
 * chunks that start-up loads (the simulator's), so that -D sim does not
 * compile them from source at every start. V8 refuses a cache of another
 * node or other flags and compiles instead.
 */
function loaderSource(entries, registered) {
  const imports = [...registered].map((p, i) => `import * as m${i} from ${JSON.stringify(path.resolve(p))};`).join('\n');
  const registry = [...registered].map((p, i) => `  ${JSON.stringify(p)}: m${i},`).join('\n');
  const files = entries.map((e) => `  ${JSON.stringify(e)}: ${JSON.stringify(chunkName(e))},`).join('\n');
  return `${imports}
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
const registry = {
${registry}
};
const chunks = {
${files}
};
const loaded = new Map();
const dir = new URL('first-use/', __bundleUrl);
function chunkRequire(id) {
  if (!id.startsWith('wpo:')) return require(id);
  const p = id.slice(4);
  return registry[p] ?? firstUse(p);
}
export function firstUse(entry) {
  let exports = loaded.get(entry);
  if (exports !== undefined) return exports;
  const file = new URL(chunks[entry], dir);
  let cachedData;
  try {
    cachedData = readFileSync(new URL(chunks[entry] + '.codecache', dir));
  } catch {
    // None written for this chunk: compiled from source.
  }
  const source = '(function (require, module, exports, __bundleUrl) {' + readFileSync(file, 'utf8') + '\\n})';
  const module = { exports: {} };
  new Script(source, { filename: file.pathname, cachedData }).runInThisContext()(chunkRequire, module, module.exports, __bundleUrl);
  loaded.set(entry, module.exports);
  return module.exports;
}
`;
}

/**
 * esbuild plugin for a chunk: a module of `outside` (the snapshot bundle's
 * modules, the other chunks' entries) is `require('wpo:<path>')`; `seen`
 * collects which ones.
 */
function outsideAsWpo(outside, seen) {
  return {
    name: 'outside-as-wpo',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'outside-as-wpo' || args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'outside-as-wpo' });
        if (r.errors.length > 0 || r.external || !r.path) return undefined;
        const p = rel(r.path);
        if (!outside.has(p)) return undefined;
        seen.add(p);
        return { path: `wpo:${p}`, external: true };
      });
    },
  };
}

/**
 * Builds the snapshot bundle (`bundle`: esbuild options, their plugins
 * applied first) with the entries of the `loadTs` files, but those of
 * `inBundle`, as first-use chunks in `outdir`/first-use/, and the chunks
 * themselves (`chunk`: esbuild options). Returns the chunks' files.
 */
export async function buildWithFirstUseChunks({ loadTs, inBundle, bundle, chunk, outdir }) {
  const loads = loadFiles(loadTs, inBundle);
  for (const e of inBundle) if (!loads.some((l) => l.imports.some((i) => i.entry === e))) throw new Error(`first-use chunks: ${e} (inBundle) is imported by none of ${loadTs.join(', ')}`);
  const entries = loads.flatMap((l) => l.imports.filter((i) => i.chunk).map((i) => i.entry));
  const inputs = async (opts) => Object.keys((await build({ ...opts, write: false, metafile: true, logLevel: 'silent' })).metafile.inputs).filter((p) => !p.includes(':'));
  // The snapshot bundle without any chunk: the modules it has of its own.
  const own = new Set(await inputs({ ...bundle, plugins: [...bundle.plugins, firstUseInBundle(loads, entries, new Set())] }));
  // Each chunk's modules; those that two would hold go to the bundle.
  const holds = new Map();
  for (const e of entries) {
    const outside = new Set([...own, ...entries.filter((x) => x !== e)]);
    holds.set(e, await inputs({ ...chunk, entryPoints: [e], outfile: 'unused.cjs', plugins: [...chunk.plugins, outsideAsWpo(outside, new Set())] }));
  }
  const count = new Map();
  for (const ms of holds.values()) for (const m of ms) count.set(m, (count.get(m) ?? 0) + 1);
  const shared = [...count].filter(([m, n]) => n > 1 && !entries.includes(m)).map(([m]) => m);
  const bundled = new Set([...own, ...shared]);
  // The chunks, and which of the bundle's modules they import.
  const registered = new Set(shared);
  const chunkModules = new Map();
  for (const e of entries) {
    const seen = new Set();
    const outside = new Set([...bundled, ...entries.filter((x) => x !== e)]);
    const r = await build({ ...chunk, entryPoints: [e], outfile: `${outdir}/first-use/${chunkName(e)}`, metafile: true, plugins: [...chunk.plugins, outsideAsWpo(outside, seen)] });
    chunkModules.set(e, Object.keys(r.metafile.inputs).filter((p) => !p.includes(':')));
    for (const p of seen) if (bundled.has(p)) registered.add(p);
  }
  const r = await build({ ...bundle, metafile: true, plugins: [...bundle.plugins, firstUseInBundle(loads, entries, registered)] });
  // One instance of each module: none in two chunks, none in a chunk and the bundle.
  const where = new Map([...Object.keys(r.metafile.inputs)].filter((p) => !p.includes(':')).map((p) => [p, 'the snapshot bundle']));
  for (const [e, ms] of chunkModules) {
    for (const m of ms) {
      if (where.has(m)) throw new Error(`first-use chunks: ${m} is in ${where.get(m)} and in the chunk of ${e}`);
      where.set(m, `the chunk of ${e}`);
    }
  }
  return { chunks: entries.map((e) => `${outdir}/first-use/${chunkName(e)}`) };
}
