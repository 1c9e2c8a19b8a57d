// The shipped entries as bundles, in dist/bundle/ (the package's exports point there), after tsc.
//
// Why: a thread that loads smpcall as tsc's tree of ~55 small modules spends ~40 ms of its start on
// resolving and compiling them, one by one; the same code as a few files loads in ~15 ms. Every
// `start()` pays that three times (the main thread's import, the guardian, each agent worker), and
// smpcall/sync's first call as well.
//
// One esbuild run over every entry a thread loads at run time, with code splitting: code two entries
// share goes to one chunk in dist/chunks/, so a thread that loads several entries (a worker's calls
// module imports 'smpcall'; the worker entry boots the agent) still has one copy of each module: one
// here(), one class registry, one SmpcallError.
//
// dist/ itself stays tsc's whole tree: the declarations, the smpcall command and its tools (demo,
// bench, check, torture), and the tests' #internal imports. Each of the two is complete by itself: a
// module that names another file by URL does it from one folder below the root ('../runtime/x.js'),
// and chunks sit one folder below dist/bundle/, so the URL finds the tree's file in the tree and the
// bundle's in the bundle. (smpcall torture --broken patches the tree's protocol, and runs the tree.)
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every module a thread loads at run time by its path: the package's entries, and the ones named by URL. */
export const ENTRIES = [
  'index', // 'smpcall'
  'sync/index', // 'smpcall/sync'
  'torture/index', // 'smpcall/torture'
  'web-worker', // 'smpcall/web-worker' (an app's own Web Worker module, for bundled pages)
  'worker/node-entry', // each node:worker_threads agent (Node, Deno, Bun)
  'worker/web-entry', // each Web Worker agent (browsers)
  'runtime/node-guardian', // the guardian thread
  'sync/calls', // a sync worker's calls module
  'torture/calls', // the torture's calls module
];

/** What both builds share: `entries` of src/ bundled into `outdir` with shared chunks one folder below. */
const bundleOf = (entries, outdir) => ({
  absWorkingDir: root,
  entryPoints: entries.map((e) => `src/${e}.ts`),
  outbase: 'src',
  outdir,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  // Names are part of behaviour: error classes' names cross threads, and a class's name keys the codec's registry.
  keepNames: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

rmSync(`${root}/dist/bundle`, { recursive: true, force: true });
await build({
  ...bundleOf(ENTRIES, 'dist/bundle'),
  platform: 'neutral',
  // Node's builtins stay imports (a browser never reaches the modules that import them: they load
  // through the dynamic imports of runtime/select.ts, which become chunks of their own).
  external: ['node:*'],
});

// The browser build, for the exports map's "browser" condition (what Vite, esbuild, webpack and
// Rollup pick for a page): what a page and its Web Workers load, without the Node adapter, so a
// page's bundle holds no `node:` import and its bundler has nothing to warn about. Same layout (one
// folder below, a module named by URL finds its file), so the library's own worker module is there too.
const BROWSER_ENTRIES = ['index', 'web-worker', 'worker/web-entry'];
const NO_NODE = 'smpcall-no-node-adapter';
const withoutNodeAdapter = {
  name: 'without-node-adapter',
  setup(b) {
    // runtime/select.ts loads the Node adapter (server.ts) only on Node, Deno and Bun.
    b.onResolve({ filter: /^\.\/server\.js$/ }, (args) => (/[\\/]runtime[\\/]select\.ts$/.test(args.importer) ? { path: 'server', namespace: NO_NODE } : undefined));
    b.onLoad({ filter: /.*/, namespace: NO_NODE }, () => ({
      contents: `export function serverRuntime() { throw new Error("smpcall: this is the package's browser build (the exports map's 'browser' condition); Node, Deno and Bun load its default build"); }`,
      loader: 'js',
    }));
  },
};
await build({
  ...bundleOf(BROWSER_ENTRIES, 'dist/bundle/browser'),
  platform: 'browser',
  plugins: [withoutNodeAdapter],
});
