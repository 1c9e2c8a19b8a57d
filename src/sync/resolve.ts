/**
 * Which file the worker loads, how, and with which Node flags: synckit's rules, so a project that
 * worked with synckit loads the same file the same way.
 *
 * - The file: a path ending in `.js`, `.mjs`, `.cjs` or with no extension (outside node_modules) tries
 *   its TypeScript twin first, then itself: `x.js` → `x.ts`, `x.js`; `x.mjs` → `x.mts`, `x.mjs`; `x.cjs`
 *   → `x.cts`, `x.cjs`; `x` → `x.ts`, `x.js`, `x`. The first file that exists is loaded.
 * - Its module format: `.mjs`/`.mts` ESM, `.cjs`/`.cts` CommonJS, otherwise the nearest package.json's
 *   `type`. A CommonJS TypeScript file is loaded with `require` (where the runners hook in), anything
 *   else with `import()`.
 * - A TypeScript file gets a runner (`tsRunner`, else Bun's own, Node's type stripping where it is on,
 *   ts-node when installed) and the runner's flag (`--import tsx`, `-r ts-node/register`...) unless the
 *   given flags already hold one of its kind.
 * - Everything that cannot work is refused here, when `createSyncFn` is called, not at the first call:
 *   an unknown runner, type stripping where Node has none or it is off, a runner synckit refuses for
 *   `.mts`/`.cts` files, a runner whose package is not installed, a TypeScript file nothing can load.
 *   Where synckit's tests pin a message, the message starts with synckit's words.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SmpcallError, codes } from '../errors.js';
import {
  DEFAULT_TYPES_NODE_VERSION,
  FEATURE_TYPESCRIPT_NODE_VERSION,
  IMPORT_FLAG,
  IMPORT_FLAG_SUPPORTED,
  LOADER_FLAG,
  LOADER_FLAGS,
  MTS_SUPPORTED,
  NO_STRIP_TYPES_FLAG,
  REQUIRE_ABBR_FLAG,
  REQUIRE_FLAGS,
  STRIP_TYPES_FLAG,
  STRIP_TYPES_NODE_VERSION,
  TRANSFORM_TYPES_FLAG,
  TRANSFORM_TYPES_NODE_VERSION,
  TS_ESM_PARTIAL_SUPPORTED,
  TsRunner,
  compareNodeVersion,
  hasFlag,
} from './constants.js';

export interface ResolvedWorker {
  /** The file the worker loads. */
  file: string;
  /** Load it with `require` (a CommonJS TypeScript file) rather than `import()`. */
  require: boolean;
  /** The runner used, if the file is TypeScript. */
  tsRunner: TsRunner | undefined;
  /** The worker's flags; undefined: it inherits the process's. */
  execArgv: string[] | undefined;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
};

/** The `type` of the nearest package.json above `file`. */
function packageType(file: string): string | undefined {
  for (let dir = dirname(file); ; ) {
    const pkg = join(dir, 'package.json');
    if (isFile(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type;
      } catch {
        return undefined;
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The file synckit would load for `path`. */
export function workerFile(path: string): string {
  const ext = extname(path);
  if (/([/\\])node_modules\1/.test(path) || !(ext === '' || /^\.[cm]?js$/.test(ext))) return path;
  const base = ext ? path.slice(0, -ext.length) : path;
  const tries = ext === '.cjs' ? ['.cts', '.cjs'] : ext === '.mjs' ? ['.mts', '.mjs'] : ['.ts', '.js'];
  const found = [...tries, ''].map((e) => base + e).find(isFile);
  // A path without extension takes what was found; one with an extension keeps itself when only the
  // bare name exists.
  return found !== undefined && (!ext || found !== base) ? found : path;
}

const usage = (message: string): SmpcallError => new SmpcallError(codes.USAGE, message);

/** The package a runner's flag loads: it must be installed where the process runs. */
const RUNNER_PACKAGE: Partial<Record<TsRunner, string>> = {
  'ts-node': 'ts-node',
  'esbuild-register': 'esbuild-register',
  'esbuild-runner': 'esbuild-runner',
  oxc: '@oxc-node/core',
  swc: '@swc-node/register',
  tsx: 'tsx',
};

/** Whether `name` resolves from `dir` (an installed package whose exports refuse `require` counts). */
function resolvable(name: string, dir: string): boolean {
  try {
    createRequire(join(dir, 'noop.js')).resolve(name);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

const hasRequireFlag = (argv: string[]): boolean => argv.some((a) => REQUIRE_FLAGS.has(a));
const hasLoaderFlag = (argv: string[]): boolean => argv.some((a) => LOADER_FLAGS.has(a));
/** A flag that loads code before the worker file (a hook a TypeScript runner would install). */
const hasHookFlag = (argv: string[]): boolean => argv.includes(IMPORT_FLAG) || hasRequireFlag(argv) || hasLoaderFlag(argv) || argv.some((a) => /^--(?:import|require|loader|experimental-loader)=/.test(a));

/** Type stripping turned off: by the given flags (the last word wins), else by the process's. */
function stripTypesOff(argv: string[]): boolean {
  const on = Math.max(argv.lastIndexOf(STRIP_TYPES_FLAG), argv.lastIndexOf(TRANSFORM_TYPES_FLAG));
  const off = argv.lastIndexOf(NO_STRIP_TYPES_FLAG);
  if (off > on) return true;
  if (on >= 0) return false;
  if (!hasFlag(NO_STRIP_TYPES_FLAG) && !process.execArgv.includes(NO_STRIP_TYPES_FLAG)) return false;
  return compareNodeVersion(FEATURE_TYPESCRIPT_NODE_VERSION) >= 0
    ? (process.features as { typescript?: unknown }).typescript === false
    : !hasFlag(STRIP_TYPES_FLAG) && !hasFlag(TRANSFORM_TYPES_FLAG);
}

/** The flags `runner` needs for a file of this format, ahead of `given` (none if it has their kind). */
function runnerFlags(runner: string, esm: boolean, given: string[]): string[] {
  switch (runner) {
    case TsRunner.Bun:
      return [];
    case TsRunner.Node:
      if (compareNodeVersion(STRIP_TYPES_NODE_VERSION) < 0) {
        throw usage(
          `type stripping is not supported in this node version (Node ${process.versions.node}; tsRunner 'node' needs Node ${STRIP_TYPES_NODE_VERSION} or later): use another tsRunner, such as 'tsx'`,
        );
      }
      if (stripTypesOff(given)) throw usage(`type stripping is disabled explicitly (${NO_STRIP_TYPES_FLAG}): use another tsRunner, such as 'tsx'`);
      if (compareNodeVersion(DEFAULT_TYPES_NODE_VERSION) >= 0) return [];
      if (compareNodeVersion(TRANSFORM_TYPES_NODE_VERSION) >= 0 && !given.includes(TRANSFORM_TYPES_FLAG)) return [TRANSFORM_TYPES_FLAG];
      return given.includes(STRIP_TYPES_FLAG) ? [] : [STRIP_TYPES_FLAG];
    case TsRunner.TsNode:
      if (esm) return given.includes(LOADER_FLAG) ? [] : [LOADER_FLAG, 'ts-node/esm'];
      return hasRequireFlag(given) ? [] : [REQUIRE_ABBR_FLAG, 'ts-node/register'];
    case TsRunner.EsbuildRegister:
      if (esm) return hasLoaderFlag(given) ? [] : [LOADER_FLAG, 'esbuild-register/loader'];
      return hasRequireFlag(given) ? [] : [REQUIRE_ABBR_FLAG, 'esbuild-register'];
    case TsRunner.EsbuildRunner:
      return hasRequireFlag(given) ? [] : [REQUIRE_ABBR_FLAG, 'esbuild-runner/register'];
    case TsRunner.OXC:
      return given.includes(IMPORT_FLAG) ? [] : [IMPORT_FLAG, '@oxc-node/core/register'];
    case TsRunner.SWC:
      if (!esm) return hasRequireFlag(given) ? [] : [REQUIRE_ABBR_FLAG, '@swc-node/register'];
      if (IMPORT_FLAG_SUPPORTED) return given.includes(IMPORT_FLAG) ? [] : [IMPORT_FLAG, '@swc-node/register/esm-register'];
      return hasLoaderFlag(given) ? [] : [LOADER_FLAG, '@swc-node/register/esm'];
    case TsRunner.TSX:
      if (IMPORT_FLAG_SUPPORTED) return given.includes(IMPORT_FLAG) ? [] : [IMPORT_FLAG, 'tsx'];
      return given.includes(LOADER_FLAG) ? [] : [LOADER_FLAG, 'tsx'];
    default:
      // synckit's words exactly: its tests snapshot them.
      throw usage(`Unknown ts runner: ${String(runner)}`);
  }
}

/** Under Yarn PnP, flags given to a worker must bring PnP with them unless NODE_OPTIONS already does. */
function pnpFlags(given: string[]): string[] {
  if ((process.versions as { pnp?: string }).pnp === undefined) return [];
  let api: string;
  try {
    api = createRequire(join(process.cwd(), 'noop.js')).resolve('pnpapi');
  } catch {
    return [];
  }
  const nodeOptions = process.env.NODE_OPTIONS?.split(/\s+/) ?? [];
  const preloaded = nodeOptions.some((a, k) => REQUIRE_FLAGS.has(a) && nodeOptions[k + 1] !== undefined && resolve(nodeOptions[k + 1]!) === api) || nodeOptions.includes(api);
  if (preloaded || given.includes(api)) return [];
  const loader = join(dirname(api), '.pnp.loader.mjs');
  return [...(existsSync(loader) ? [LOADER_FLAG, pathToFileURL(loader).href] : []), REQUIRE_ABBR_FLAG, api];
}

/**
 * Resolve the worker for `path` (absolute) with the flags given (undefined: none) and the runner
 * asked for (undefined: the default).
 */
export function resolveWorker(path: string, given: string[] | undefined, asked: unknown): ResolvedWorker {
  const file = workerFile(path);
  const ext = extname(file);
  const isTs = /\.[cm]?ts$/.test(file);
  const type = ext === '.mjs' || ext === '.mts' ? 'module' : ext === '.cjs' || ext === '.cts' ? 'commonjs' : packageType(file);
  const esm = type === 'module';
  if (!isTs) return { file, require: false, tsRunner: undefined, execArgv: given && [...pnpFlags(given), ...given] };

  const argv = given ?? [];
  // What would load TypeScript already: the given flags, or (inherited) the process's own.
  const hooked = hasHookFlag(given ?? [...process.execArgv, ...(process.env.NODE_OPTIONS?.split(/\s+/) ?? [])]);
  let runner = asked as string | undefined;
  if (runner === undefined) {
    if ((process.versions as { bun?: string }).bun !== undefined) runner = TsRunner.Bun;
    else if (!stripTypesOff(argv) && compareNodeVersion(STRIP_TYPES_NODE_VERSION) >= 0) runner = TsRunner.Node;
    else if (!hooked && resolvable('ts-node', process.cwd())) runner = TsRunner.TsNode;
  }

  if (runner === undefined) {
    if (hooked) return { file, require: !esm, tsRunner: undefined, execArgv: given && [...pnpFlags(given), ...given] };
    throw usage(
      `No ts runner specified, ts worker path is not supported: ${file} is TypeScript and nothing here loads it on Node ${process.versions.node}. ` +
        `Install a runner and name it, e.g. npm i -D tsx and { tsRunner: 'tsx' } (or SYNCKIT_TS_RUNNER=tsx), or start node with one (node --import tsx main.js)`,
    );
  }

  const flags = runnerFlags(runner, esm, argv);
  if (/\.[cm]ts$/.test(file)) {
    // synckit refuses these runners for .mts/.cts files; refused alike, in its words.
    const tsxOk = !esm || TS_ESM_PARTIAL_SUPPORTED;
    const refused: string[] = [TsRunner.EsbuildRegister, TsRunner.EsbuildRunner, ...(TS_ESM_PARTIAL_SUPPORTED ? [TsRunner.OXC, TsRunner.SWC] : []), ...(tsxOk ? [] : [TsRunner.TSX])];
    if (refused.includes(runner)) {
      const instead = tsxOk
        ? ', you can try [tsx](https://github.com/esbuild-kit/tsx) instead'
        : MTS_SUPPORTED
          ? ', you can try [oxc](https://github.com/oxc-project/oxc-node) or [swc](https://github.com/swc-project/swc-node/tree/master/packages/register) instead'
          : '';
      throw usage(`${runner} is not supported for ${ext} files yet${instead}`);
    }
  }
  const pkg = RUNNER_PACKAGE[runner as TsRunner];
  if (flags.length > 0 && pkg !== undefined && !resolvable(pkg, process.cwd())) {
    throw usage(`tsRunner '${runner}' loads the package ${pkg}, which is not installed here (resolved from ${process.cwd()}): install it (npm i -D ${pkg})`);
  }
  const execArgv = flags.length > 0 || given !== undefined ? [...flags, ...argv] : undefined;
  return { file, require: !esm, tsRunner: runner as TsRunner, execArgv: execArgv && [...pnpFlags(execArgv), ...execArgv] };
}
