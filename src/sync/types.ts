/**
 * The types synckit users write against, with the same names and shapes, so that switching is one
 * import: `AnyFn`, `Syncify`, and the options object (`SynckitOptions`, here also `SyncOptions`).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn<R = any, T extends any[] = any[]> = (...args: T) => R;

/** The synchronous twin of an (async) worker function: same parameters, the settled result. */
export type Syncify<T extends AnyFn> = (...args: Parameters<T>) => Awaited<ReturnType<T>>;

/** synckit's `GlobalShim` (accepted in the type only: a non-empty `globalShims` is refused). */
export interface GlobalShim {
  /** The module to import into the worker. */
  moduleName: string;
  /** The global name it would be bound to. */
  globalName?: string;
  /** The named export to bind (null: the module itself). */
  named?: string | null;
  /** Only when the global is missing. */
  conditional?: boolean;
}

/**
 * Options of `createSyncFn`, synckit's names. Supported: `timeout`. The others are accepted only
 * when they ask for nothing (an empty list, `false`, `tsRunner: 'node'`); anything else is refused with
 * ERR_SMPCALL_USAGE rather than silently ignored, because ignoring it would run the worker differently
 * from what was asked.
 */
export interface SyncOptions {
  /** Milliseconds a call may take; past it the call throws ERR_SMPCALL_TIMEOUT. Default: no limit. */
  timeout?: number;
  /** Must be empty: the worker inherits the process's `execArgv` (e.g. `node --import tsx main.js`). */
  execArgv?: string[];
  /** Must be `false` or empty. */
  globalShims?: GlobalShim[] | boolean;
  /** Must be empty: arguments travel through shared memory, nothing is transferred. */
  transferList?: readonly unknown[];
  /** Only `'node'` (Node's own type stripping); for others start node with the runner's loader. */
  tsRunner?: string;
}

/** The same options under synckit's name. */
export type SynckitOptions = SyncOptions;
