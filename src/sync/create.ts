/**
 * `createSyncFn(workerPath, options?)`: synckit's entry point on smpcall. Each worker file gets its own
 * domain with one worker, started on the first call (synchronously: the call waits in the worker's
 * inbox while the worker boots) and kept for the life of the process without holding it open. Calls
 * are `callSync` through shared memory, not messages.
 *
 * A worker that dies fails the call in flight with ERR_SMPCALL_AGENT_GONE (the guardian thread hears
 * the exit even while this thread is blocked); the next call starts a fresh worker.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../domain/start.js';
import type { Domain } from '../domain/domain.js';
import { serverRuntime } from '../runtime/server.js';
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import calls from './calls.js';
import { openEnvelope } from './envelope.js';
import { checkSyncOptions } from './options.js';
import type { AnyFn, Syncify, SyncOptions } from './types.js';

const CALLS = new URL('./calls.js', import.meta.url);
/** The worker is agent 1 of its domain. */
const WORKER = 1;
/** One sync function per worker file, as synckit does (later options for the same file are ignored). */
const cache = new Map<string, AnyFn>();

/** The largest arguments or result one sync call carries (its domain's big arena). */
const MAX_PAYLOAD = 32 << 20;
/** Domain settings for a sync worker: room for large sources, and no stall warning for a slow job. */
const DOMAIN = { workers: 1, bigArena: MAX_PAYLOAD, stallMs: 60_000 } as const;
/**
 * A worker that has made no progress (served no new call) through timeouts for this long, or ten
 * timeouts' worth if longer, is stuck (a loop that never ends): it is replaced, so later calls get a
 * fresh worker instead of timing out behind it for good.
 */
const STUCK_MS = 5000;

/** smpcall/sync's own words for a payload too large: the option that would raise it is not the user's. */
function tooLarge(e: unknown): SmpcallError | undefined {
  const x = e as { code?: string; cause?: { code?: string } };
  if (x?.code !== codes.TOO_LARGE && x?.cause?.code !== codes.TOO_LARGE) return undefined;
  return new SmpcallError(
    codes.TOO_LARGE,
    `smpcall/sync carries at most ${MAX_PAYLOAD / (1 << 20)} MiB of arguments or result per call; pass larger data through a file, or a SharedArrayBuffer the worker reads`,
    { cause: e },
  );
}

function absolutePath(workerPath: string | URL): string {
  let path: string;
  try {
    path = typeof workerPath === 'string' && !workerPath.startsWith('file:') ? workerPath : fileURLToPath(workerPath);
  } catch (e) {
    throw new SmpcallTypeError(codes.USAGE, `createSyncFn(): workerPath must be an absolute path or a file URL, got ${String(workerPath)} (${(e as Error).message})`);
  }
  if (typeof path !== 'string' || !isAbsolute(path)) {
    throw new SmpcallTypeError(codes.USAGE, `createSyncFn(): workerPath must be absolute, got ${String(workerPath)}`);
  }
  return path;
}

/**
 * Make a synchronous function of the async function a worker file registers with `runAsWorker`.
 * `workerPath` is an absolute path or a file URL; the second argument is a timeout in ms or options.
 *
 * @example
 * ```js
 * // main.js
 * import { createSyncFn } from 'smpcall/sync';
 * const format = createSyncFn(new URL('./worker.js', import.meta.url));
 * console.log(format('a=1')); // the worker's async result, returned synchronously
 *
 * // worker.js
 * import { runAsWorker } from 'smpcall/sync';
 * runAsWorker(async (source) => (await import('prettier')).format(source, { parser: 'babel' }));
 * ```
 */
export function createSyncFn<T extends AnyFn>(workerPath: string | URL, timeoutOrOptions?: SyncOptions | number): Syncify<T> {
  const path = absolutePath(workerPath);
  const { timeoutMs } = checkSyncOptions(timeoutOrOptions);
  const cached = cache.get(path);
  if (cached !== undefined) return cached as Syncify<T>;
  const callsUrl = new URL(CALLS);
  callsUrl.searchParams.set('worker', pathToFileURL(path).href);

  let domain: Domain | undefined;
  let startError: unknown;
  const current = (): Domain => {
    if (domain !== undefined) return domain;
    const { domain: d, ready } = launch({ ...DOMAIN, calls: callsUrl }, calls, serverRuntime());
    ready.catch((e: unknown) => {
      // The worker did not start: its blocked caller, if any, got ERR_SMPCALL_AGENT_GONE; say why.
      startError = e;
      if (domain === d) domain = undefined;
    });
    return (domain = d);
  };
  const retire = (d: Domain): void => {
    if (domain === d) domain = undefined;
    d.close().catch(() => {});
  };
  // Timeouts with no progress: since when, and the worker's served count then.
  let stuckSince = -1;
  let servedThen = -1;
  const timedOut = (d: Domain, e: Error): Error => {
    const now = performance.now();
    const served = d.stats()[WORKER]?.served ?? -1;
    if (stuckSince < 0 || served !== servedThen) {
      stuckSince = now;
      servedThen = served;
      return e;
    }
    if (now - stuckSince < Math.max(STUCK_MS, 10 * (timeoutMs ?? 0))) return e;
    // Stuck: stop it now (close() would wait its grace period first); the next call starts afresh.
    const stuckFor = Math.round(now - stuckSince);
    stuckSince = -1;
    if (domain === d) domain = undefined;
    void d
      .terminate(WORKER)
      .catch(() => {})
      .finally(() => d.close().catch(() => {}));
    return new SmpcallError(codes.TIMEOUT, `${e.message}; the worker for ${path} made no progress for ${stuckFor} ms and is replaced: the next call starts a fresh one`, { cause: e });
  };

  const syncFn = (...args: unknown[]): unknown => {
    if (startError !== undefined) {
      const e = startError;
      startError = undefined;
      throw new SmpcallError(codes.START_FAILED, `the sync worker for ${path} could not start`, { cause: e });
    }
    const d = current();
    let r: unknown;
    try {
      r = timeoutMs === undefined ? d.callSync(WORKER, 'run', ...args) : d.callSyncWith({ timeoutMs }, WORKER, 'run', ...args);
    } catch (e) {
      const code = (e as { code?: unknown })?.code;
      // A dead worker stays dead: the next call starts a fresh one.
      if (code === codes.AGENT_GONE) retire(d);
      if (code === codes.TIMEOUT) throw timedOut(d, e as Error);
      throw tooLarge(e) ?? e;
    }
    stuckSince = -1;
    return openEnvelope(r);
  };
  cache.set(path, syncFn);
  return syncFn as Syncify<T>;
}
