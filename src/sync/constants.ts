/**
 * The constants and version helpers synckit 0.11 exports, under the same names and with the same
 * values, so code (and synckit's own tests) that imports them from 'synckit' works unchanged from
 * 'smpcall/sync'. The values are facts about Node (which version strips types, which flag loads a
 * hook), not smpcall settings.
 *
 * Left out on purpose: synckit's `DEFAULT_TIMEOUT`, `DEFAULT_EXEC_ARGV`, `DEFAULT_TS_RUNNER`,
 * `DEFAULT_GLOBAL_SHIMS`, `NODE_OPTIONS` and `NO_STRIP_TYPES`, which freeze the environment at import
 * time: smpcall/sync reads `SYNCKIT_*` / `SMPCALL_*` and the flags when `createSyncFn` is called.
 */
import type { GlobalShim, TsRunnerName } from './types.js';

/**
 * The TypeScript runners `createSyncFn`'s `tsRunner` option names (synckit's `TsRunner`).
 *
 * @example
 * ```js
 * createSyncFn(new URL('./worker.ts', import.meta.url), { tsRunner: TsRunner.TSX });
 * ```
 */
export const TsRunner = {
  /** Node's own type stripping (Node 22.6 and later). */
  Node: 'node',
  /** Bun runs TypeScript by itself. */
  Bun: 'bun',
  /** `ts-node` (`-r ts-node/register`, `--loader ts-node/esm`). */
  TsNode: 'ts-node',
  /** `esbuild-register` (`-r esbuild-register`, `--loader esbuild-register/loader`). */
  EsbuildRegister: 'esbuild-register',
  /** `esbuild-runner` (`-r esbuild-runner/register`). */
  EsbuildRunner: 'esbuild-runner',
  /** `@oxc-node/core` (`--import @oxc-node/core/register`). */
  OXC: 'oxc',
  /** `@swc-node/register` (`-r @swc-node/register`, `--import @swc-node/register/esm-register`). */
  SWC: 'swc',
  /** `tsx` (`--import tsx`). */
  TSX: 'tsx',
} as const satisfies Record<string, TsRunnerName>;

/** One of the `TsRunner` names. */
export type TsRunner = TsRunnerName;

/** This Node's version (`process.versions.node`). */
export const NODE_VERSION: string = process.versions.node;

/** `'22.6.1'` → `[22, 6, 1]` (a suffix such as `-rc1` is dropped by parseFloat). */
export const parseVersion = (version: string): number[] => version.split('.').map(Number.parseFloat);

/** Compare two dotted versions part by part (missing parts are 0): 1, 0 or -1. */
export function compareVersion(version1: string, version2: string): number {
  const a = parseVersion(version1);
  const b = parseVersion(version2);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] || 0;
    const y = b[i] || 0;
    if (x !== y) return x > y ? 1 : -1;
  }
  return 0;
}

/** This Node's version compared to `version`: 1 if newer, 0 if equal, -1 if older. */
export const compareNodeVersion = (version: string): number => compareVersion(NODE_VERSION, version);

/** Whether `flag` is among the process's arguments or in `NODE_OPTIONS` (read now). */
export function hasFlag(flag: string): boolean {
  return (process.env.NODE_OPTIONS?.split(/\s+/).includes(flag) ?? false) || process.argv.includes(flag);
}

/** Node versions where a TypeScript worker loaded as ESM only partly works (tsx issue 354). */
export const TS_ESM_PARTIAL_SUPPORTED: boolean = compareNodeVersion('16') >= 0 && compareNodeVersion('18.19') < 0;
/** `.mts` workers need `module.register` (Node 20.8). */
export const MTS_SUPPORTED: boolean = compareNodeVersion('20.8') >= 0;
/** `module.register` exists (Node 18.19 / 20.6). */
export const MODULE_REGISTER_SUPPORTED: boolean = MTS_SUPPORTED || compareNodeVersion('18.19') >= 0;
/** First Node with `--experimental-strip-types`. */
export const STRIP_TYPES_NODE_VERSION = '22.6';
/** First Node with `--experimental-transform-types`. */
export const TRANSFORM_TYPES_NODE_VERSION = '22.7';
/** First Node with `process.features.typescript`. */
export const FEATURE_TYPESCRIPT_NODE_VERSION = '22.10';
/** First Node that strips types by default. */
export const DEFAULT_TYPES_NODE_VERSION = '23.6';

export const STRIP_TYPES_FLAG = '--experimental-strip-types';
export const TRANSFORM_TYPES_FLAG = '--experimental-transform-types';
export const NO_STRIP_TYPES_FLAG = '--no-experimental-strip-types';
export const IMPORT_FLAG = '--import';
export const REQUIRE_FLAG = '--require';
export const REQUIRE_ABBR_FLAG = '-r';
export const REQUIRE_FLAGS: Set<string> = new Set([REQUIRE_FLAG, REQUIRE_ABBR_FLAG]);
export const LOADER_FLAG = '--loader';
export const EXPERIMENTAL_LOADER_FLAG = '--experimental-loader';
export const LOADER_FLAGS: Set<string> = new Set([LOADER_FLAG, EXPERIMENTAL_LOADER_FLAG]);
/** `--import` exists (Node 20.6). */
export const IMPORT_FLAG_SUPPORTED: boolean = compareNodeVersion('20.6') >= 0;

/**
 * What `globalShims: true` (or `SYNCKIT_GLOBAL_SHIMS=1`) installs in the worker: `fetch` from
 * node-fetch when the worker has none and node-fetch is installed, and `performance`.
 */
export const DEFAULT_GLOBAL_SHIMS_PRESET: GlobalShim[] = [
  { moduleName: 'node-fetch', globalName: 'fetch' },
  { moduleName: 'node:perf_hooks', globalName: 'performance', named: 'performance' },
];
