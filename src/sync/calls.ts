/**
 * The calls module of every sync worker: one generic call, `run(...args)`, that runs the function the
 * user's worker file registered with `runAsWorker`. The user's file is named in this module's URL
 * (`calls.js?worker=<file URL>`); the main thread imports the module without it, for the table only.
 *
 * The user's file is imported as soon as the worker starts but not awaited at the top level (a top-level
 * await here would hold the worker's start, and an import cycle through 'smpcall/sync' would never
 * end): the first call waits for it, so an error thrown by the file reaches that call's caller.
 */
import { defineCalls } from '../table.js';
import { SmpcallError, codes } from '../errors.js';
import { expectWorkerFn, workerFn } from './registry.js';
import { wrapResult, wrapThrown, type Envelope } from './envelope.js';
import type { AnyFn } from './types.js';

// The worker's boot says which URL it imported this module by: Bun's import.meta.url drops the query.
const booted = (globalThis as { [k: symbol]: unknown })[Symbol.for('smpcall.agent.callsUrl')];
const file = new URL(typeof booted === 'string' && booted.includes('?worker=') ? booted : import.meta.url).searchParams.get('worker');
let fn: AnyFn | undefined;
let loading: Promise<void> | undefined;
if (file !== null) {
  expectWorkerFn(file);
  loading = import(file).then(() => {
    fn = workerFn();
    if (fn === undefined) {
      throw new SmpcallError(codes.USAGE, `the worker file ${file} did not call runAsWorker(fn) from 'smpcall/sync' when it loaded`);
    }
  });
  loading.catch(() => {}); // reported to the first caller
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/** Run the registered function; its outcome, whatever it is, comes back as an envelope (never throws). */
function runNow(f: AnyFn, args: unknown[]): Envelope | Promise<Envelope> {
  let r: unknown;
  try {
    r = f(...args);
  } catch (e) {
    return wrapThrown(e);
  }
  return isThenable(r) ? Promise.resolve(r).then(wrapResult, wrapThrown) : wrapResult(r);
}

export default defineCalls({
  run: (...args: unknown[]): Envelope | Promise<Envelope> => {
    if (fn !== undefined) return runNow(fn, args);
    if (loading === undefined) return wrapThrown(new SmpcallError(codes.USAGE, 'this thread is not a sync worker'));
    return loading.then(() => runNow(fn!, args), wrapThrown);
  },
});
