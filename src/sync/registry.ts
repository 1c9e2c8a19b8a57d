/**
 * `runAsWorker(fn)`: the user's worker file hands us its function. The holder lives on `globalThis`
 * under a registered symbol, so the function is found even if the worker file resolved another copy of
 * this module than our calls module did. Only our sync worker sets the holder up before it imports the
 * user's file: anywhere else (the file imported on the main thread, say) `runAsWorker` does nothing,
 * as synckit's does outside its worker.
 */
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import type { AnyFn } from './types.js';

const KEY = Symbol.for('smpcall.sync.worker');

interface Holder {
  /** The worker file being loaded (for messages). */
  file: string;
  fn?: AnyFn;
}

type WithHolder = typeof globalThis & { [KEY]?: Holder };

/** Called by the sync worker before it imports the user's file. */
export function expectWorkerFn(file: string): void {
  (globalThis as WithHolder)[KEY] = { file };
}

/** The function the worker file registered, if any. */
export function workerFn(): AnyFn | undefined {
  return (globalThis as WithHolder)[KEY]?.fn;
}

/**
 * In a worker file: the function to run for each call of the function `createSyncFn` returned. It may
 * be async; its settled value is returned (or its error thrown) synchronously to the caller.
 *
 * @example
 * ```js
 * // worker.js (the file passed to createSyncFn)
 * import { runAsWorker } from 'smpcall/sync';
 * runAsWorker(async (a, b) => a + b);
 * ```
 */
export function runAsWorker<T extends AnyFn<Promise<R> | R>, R = ReturnType<T>>(fn: T): void {
  if (typeof fn !== 'function') throw new SmpcallTypeError(codes.USAGE, `runAsWorker() takes a function, got ${typeof fn}`);
  const holder = (globalThis as WithHolder)[KEY];
  if (holder === undefined) return;
  if (holder.fn !== undefined) throw new SmpcallError(codes.USAGE, `runAsWorker() was called twice in ${holder.file}: one function per worker file`);
  holder.fn = fn;
}
