/**
 * The browser demo built by the two bundlers an app is likeliest to use, the recipe README.md gives:
 * the page makes its workers itself (`worker: () => new Worker(new URL('./agent.js', import.meta.url),
 * { type: 'module' })`), and agent.js calls `serveCalls(calls)`, so the bundler sees the worker and
 * bundles it with the library and the table. test/browser.test.ts runs each build like the page itself.
 *
 * The demo names the library by path ('../../dist/index.js', so it also runs unbundled); here those
 * imports become what an app writes, 'smpcall' and 'smpcall/web-worker', which the bundler resolves
 * through the package's exports map (its 'browser' condition), as it would from node_modules.
 *
 *   npm run build && node dist-test/examples/browser/bundle.js   (writes dist-examples/{esbuild,vite}/)
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist-test/examples/browser/ (compiled) or examples/browser/ (source). */
const root = fileURLToPath(new URL(import.meta.url.includes('/dist-test/') ? '../../../' : '../../', import.meta.url));
const demo = join(root, 'examples', 'browser');

/** The demo's path imports of the library, and the package name an app imports instead. */
const LIBRARY_PATH = /^\.\.\/\.\.\/dist\/(index|web-worker)\.js$/;
const asPackage = (path: string): string => (path.endsWith('web-worker.js') ? 'smpcall/web-worker' : 'smpcall');

export type Bundler = 'esbuild' | 'vite';
export const BUNDLERS: Bundler[] = ['esbuild', 'vite'];

/** Where a bundler's build of the demo goes; served at `/dist-examples/<bundler>/`. */
export const outDir = (b: Bundler): string => join(root, 'dist-examples', b);

/** A page to bundle: its folder (index.html, page.js), its threads' other entry modules, and the output folder. */
export interface PageBuild {
  src: string;
  /** Modules a thread starts with besides page.js (esbuild only: Vite finds them in `new Worker(new URL(...))`). */
  workers: (string | { in: string; out: string })[];
  out: string;
  /** Rewrite the demo's path imports of the library to the package, resolved from this folder. */
  libraryFrom?: string;
}

/**
 * esbuild does not follow `new URL(..., import.meta.url)`: each module a thread starts with is an entry
 * point, written next to the page so the page's URL finds it.
 */
async function withEsbuild({ src, workers, out, libraryFrom }: PageBuild): Promise<void> {
  const { build } = await import('esbuild');
  const throughPackage = (from: string): import('esbuild').Plugin => ({
    name: 'library-through-package',
    setup(b) {
      b.onResolve({ filter: LIBRARY_PATH }, (args) => b.resolve(asPackage(args.path), { kind: args.kind, resolveDir: from }));
    },
  });
  await build({
    absWorkingDir: src,
    entryPoints: ['page.js', ...workers],
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    plugins: libraryFrom === undefined ? [] : [throughPackage(libraryFrom)],
    // Error classes' names cross threads, and a class's name keys the codec's registry.
    keepNames: true,
    logLevel: 'warning',
  });
  copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
}

/** Vite bundles the workers it sees in `new Worker(new URL(...))`, as ES modules (`type: 'module'`). */
async function withVite({ src, out, libraryFrom }: PageBuild): Promise<void> {
  const { build } = await import('vite');
  // Workers are built by a Vite of their own, with their own plugins.
  const plugins = (): import('vite').Plugin[] =>
    libraryFrom === undefined
      ? []
      : [
          {
            name: 'library-through-package',
            enforce: 'pre',
            resolveId(source, _importer, options) {
              return LIBRARY_PATH.test(source) ? this.resolve(asPackage(source), join(libraryFrom, 'package.json'), { ...options, skipSelf: true }) : null;
            },
          },
        ];
  await build({
    root: src,
    configFile: false,
    base: './',
    logLevel: 'warn',
    plugins: plugins(),
    worker: { format: 'es', plugins },
    build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: false },
  });
}

/** Bundle a page with `bundler` into `page.out` (emptied first); resolves with that folder. */
export async function bundlePage(bundler: Bundler, page: PageBuild): Promise<string> {
  rmSync(page.out, { recursive: true, force: true });
  mkdirSync(page.out, { recursive: true });
  await (bundler === 'esbuild' ? withEsbuild(page) : withVite(page));
  return page.out;
}

/** Build the demo with `bundler` into `outDir(bundler)`; resolves with that folder. */
export const bundleDemo = (bundler: Bundler): Promise<string> =>
  bundlePage(bundler, {
    src: demo,
    // The live panel's floor (examples/browser-bench/floor.js) starts its workers from the page's URL.
    workers: ['agent.js', 'echo-worker.js', { in: '../browser-bench/floor-worker.js', out: 'floor-worker' }],
    out: outDir(bundler),
    libraryFrom: root,
  });

// Run as a script: build both.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const b of BUNDLERS) console.log(`${b}: ${await bundleDemo(b)}`);
}
