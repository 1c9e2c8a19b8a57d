/**
 * The types synckit users write against, with the same names and shapes, so that switching is one
 * import: `AnyFn`, `Syncify`, and the options object (`SynckitOptions`, here also `SyncOptions`).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn<R = any, T extends any[] = any[]> = (...args: T) => R;

/** The synchronous twin of an (async) worker function: same parameters, the settled result. */
export type Syncify<T extends AnyFn> = (...args: Parameters<T>) => Awaited<ReturnType<T>>;

/** The type of an object's values (synckit exports it). */
export type ValueOf<T> = T[keyof T];

/** The TypeScript runners `tsRunner` names (the values of `TsRunner`). */
export type TsRunnerName = 'node' | 'bun' | 'ts-node' | 'esbuild-register' | 'esbuild-runner' | 'oxc' | 'swc' | 'tsx';

/**
 * A module the worker imports before the worker file, optionally bound to a global (synckit's
 * `GlobalShim`). A module that cannot be resolved is skipped, as synckit does.
 */
export interface GlobalShim {
  /** The module to import into the worker (resolved from the worker file's folder, then the working directory). */
  moduleName: string;
  /** The global to set; without it the module is imported for its side effects only. */
  globalName?: string;
  /**
   * Which export: undefined or empty for the default export, `null` for the module namespace,
   * otherwise the named export.
   */
  named?: string | null;
  /** Unless `false`, the global is set only when it is missing (falsy). */
  conditional?: boolean;
}

/**
 * Options of `createSyncFn`, synckit's names and meanings. Each also has an environment variable,
 * read when `createSyncFn` is called: `SYNCKIT_TIMEOUT`, `SYNCKIT_EXEC_ARGV` (comma-separated),
 * `SYNCKIT_TS_RUNNER`, `SYNCKIT_GLOBAL_SHIMS` (`1` or `true`), and their twins `SMPCALL_TIMEOUT`...
 * (which win when both are set). An option wins over its variable.
 */
export interface SyncOptions {
  /** Milliseconds a call may take; past it the call throws ERR_SMPCALL_TIMEOUT. Default: no limit. */
  timeout?: number;
  /**
   * Node flags for the worker, instead of the process's own (as synckit: the worker then gets these
   * flags and the TypeScript runner's, not the process's). Default: the worker inherits the process's
   * flags.
   */
  execArgv?: string[];
  /** Modules to import into the worker first (`true`: `DEFAULT_GLOBAL_SHIMS_PRESET`). */
  globalShims?: GlobalShim[] | boolean;
  /**
   * Objects transferred away when the worker is set up, as synckit does (it moves them into its
   * worker, where nothing can reach them): they are detached here and not seen by the worker.
   */
  transferList?: readonly unknown[];
  /**
   * How a TypeScript worker file is loaded (ignored for JavaScript files). Default: Bun's own, Node's
   * type stripping where it is on (22.6+), else ts-node when installed. The runner's package must be
   * installed where the process runs.
   */
  tsRunner?: TsRunnerName;
}

/** The same options under synckit's name. */
export type SynckitOptions = SyncOptions;
