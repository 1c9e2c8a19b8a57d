/**
 * 'smpcall/web-worker': for pages that bundle their code (Vite, esbuild, webpack...). A bundler bundles
 * a worker only when the app's own code says `new Worker(new URL('./agent.js', import.meta.url), ...)`,
 * so the app writes that module and makes its workers itself (start()'s `worker` option):
 *
 * @example
 * ```ts
 * // agent.js: the module of every worker
 * import { serveCalls } from 'smpcall/web-worker';
 * import calls from './calls.js';
 * serveCalls(calls);
 *
 * // page.js
 * import { start } from 'smpcall';
 * import calls from './calls.js';
 * const domain = await start({
 *   workers: 2, calls,
 *   worker: () => new Worker(new URL('./agent.js', import.meta.url), { type: 'module' }),
 * });
 * ```
 */
import { SmpcallError, codes } from './errors.js';
import type { CallTable } from './table.js';
import { initMessage, sayLoaded, serveWebWorker } from './worker/web-serve.js';

// Listening starts when this module is evaluated, before the app's module runs.
const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function' && typeof (globalThis as { document?: unknown }).document === 'undefined';
const init = inWorker ? initMessage() : undefined;
let served = false;

/**
 * Make this Web Worker the agent the page's `start()` made it for, serving `calls`: the same table the
 * page passed to `start()` (the agents check that their tables agree). Call it once, at the top of the
 * worker's module.
 */
export function serveCalls(calls: CallTable): void {
  if (init === undefined) {
    throw new SmpcallError(codes.USAGE, "serveCalls() runs in a Web Worker made by start()'s worker option, not on this thread");
  }
  if (served) throw new SmpcallError(codes.USAGE, 'serveCalls() was called twice in this worker: an agent serves one table');
  served = true;
  sayLoaded();
  void init.then((start) => serveWebWorker(start, calls));
}
