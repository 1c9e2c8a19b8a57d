/**
 * `createSyncFn(workerPath, options?)`: synckit's entry point on smpcall. Each worker file gets its own
 * domain with one worker, started when the function is made, as synckit starts its worker (a call
 * that comes before the worker serves waits in its inbox while it boots), and kept for the life of
 * the process without holding it open. Calls
 * are `callSync` through shared memory, not messages.
 *
 * A worker that dies fails the call in flight with ERR_SMPCALL_AGENT_GONE, although this thread is
 * blocked (runtime/node-direct.ts says who completes it); the next call starts a fresh worker.
 */
import { isBuiltin, createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../domain/start.js';
import type { Domain } from '../domain/domain.js';
import { serverRuntime } from '../runtime/server.js';
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import calls from './calls.js';
import { withWorkerSetup, type WorkerShim } from './worker-setup.js';
import { openEnvelope } from './envelope.js';
import { checkSyncOptions } from './options.js';
import { resolveWorker } from './resolve.js';
import type { AnyFn, GlobalShim, Syncify, SyncOptions } from './types.js';

// Named from one folder below dist/, as every module that names a file by URL does (scripts/bundle.mjs).
const CALLS = new URL('../sync/calls.js', import.meta.url);
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
/**
 * A worker's start does not count against a call's timeout (synckit's worker starts in a few ms,
 * smpcall's in tens to hundreds, more on a busy machine): the first call waits for it, this long at
 * most (the domain's own start limit).
 */
const START_MS = 60_000;

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

/** The path `createSyncFn` was given, a file URL turned into a path (as synckit does, before its cache). */
function toPath(workerPath: string | URL): string {
  if (typeof workerPath === 'string' && !workerPath.startsWith('file:')) return workerPath;
  try {
    return fileURLToPath(workerPath);
  } catch (e) {
    throw new SmpcallTypeError(codes.USAGE, `createSyncFn(): workerPath must be an absolute path or a file URL, got ${String(workerPath)} (${(e as Error).message})`);
  }
}

/**
 * The shims the worker imports, resolved here (from the worker file's folder, then the working
 * directory); one that does not resolve is skipped, as synckit skips a module that is not installed.
 */
function resolveShims(shims: GlobalShim[], file: string): WorkerShim[] {
  const out: WorkerShim[] = [];
  for (const { moduleName, globalName, named, conditional } of shims) {
    let specifier: string | undefined;
    if (isBuiltin(moduleName)) specifier = moduleName;
    for (const dir of specifier === undefined ? [dirname(file), process.cwd()] : []) {
      try {
        const found = createRequire(join(dir, 'noop.js')).resolve(moduleName);
        // Bun answers a package it cannot find with the bare name, instead of throwing.
        if (!isAbsolute(found)) continue;
        specifier = pathToFileURL(found).href;
        break;
      } catch {
        // not from here
      }
    }
    if (specifier !== undefined) out.push({ specifier, globalName, named, conditional });
  }
  return out;
}

/** synckit moves `transferList` into its worker at start, where nothing can reach it: detach it alike. */
function transferAway(list: readonly unknown[]): void {
  if (list.length === 0) return;
  try {
    structuredClone(undefined, { transfer: list as never[] });
  } catch (e) {
    throw new SmpcallError(codes.USAGE, `createSyncFn(): transferList holds something that cannot be transferred: ${(e as Error).message}`, { cause: e });
  }
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
  const path = toPath(workerPath);
  const cached = cache.get(path);
  if (cached !== undefined) return cached as Syncify<T>;
  if (typeof path !== 'string' || !isAbsolute(path)) {
    // synckit's words first: code may match them.
    throw new SmpcallTypeError(codes.USAGE, `\`workerPath\` must be absolute, got ${String(workerPath)}`);
  }
  const options = checkSyncOptions(timeoutOrOptions);
  const { timeoutMs } = options;
  const worker = resolveWorker(path, options.execArgv, options.tsRunner);
  const runtime = serverRuntime(worker.execArgv);
  // The worker's thread boots while this thread lays out the memory.
  runtime.prepare?.(1);
  const shims = resolveShims(options.globalShims, worker.file);
  transferAway(options.transferList);
  const callsUrl = withWorkerSetup(new URL(CALLS), { worker: pathToFileURL(worker.file).href, require: worker.require, shims });

  let domain: Domain | undefined;
  /** A domain whose worker has not answered yet. */
  let starting: Domain | undefined;
  let startError: unknown;
  const current = (): Domain => {
    if (domain !== undefined) return domain;
    const { domain: d, ready } = launch({ ...DOMAIN, calls: callsUrl }, calls, runtime);
    starting = d;
    // A worker that ends between calls (process.exit after answering, an uncaught error in a timer):
    // the next call starts a fresh one rather than failing with AGENT_GONE, never sent. (Heard when
    // this thread's event loop runs; a call made before that still fails, and the one after succeeds.)
    d.on('exit', (e) => {
      if (!e.restarting && domain === d) retire(d);
    });
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
  const timedOut = (d: Domain, cause: Error): Error => {
    // synckit's words first (its tests and users' code match them), then what happened.
    const e = new SmpcallError(codes.TIMEOUT, `Internal error: Atomics.wait() failed: timed-out: no result from the worker ${worker.file} within ${timeoutMs} ms`, { cause });
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
    return new SmpcallError(codes.TIMEOUT, `${e.message}; the worker made no progress for ${stuckFor} ms and is replaced: the next call starts a fresh one`, { cause: e });
  };

  const syncFn = (...args: unknown[]): unknown => {
    if (startError !== undefined) {
      const e = startError;
      startError = undefined;
      throw new SmpcallError(codes.START_FAILED, `the sync worker for ${worker.file} could not start`, { cause: e });
    }
    const d = current();
    let r: unknown;
    try {
      if (timeoutMs !== undefined && starting === d) {
        d.callSyncWith({ timeoutMs: Math.max(START_MS, timeoutMs) }, WORKER, 'ready');
        starting = undefined;
      }
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
  // The worker starts now, as synckit's does: by the first call it may be serving already.
  try {
    current();
  } catch (e) {
    runtime.discard?.();
    throw e;
  }
  return syncFn as Syncify<T>;
}
