/**
 * A worker's last words: when its thread ends by itself (process.exit(), an uncaught exception, a
 * start that failed), it completes its own calls on the way out (protocol/death.ts), as whoever hears
 * its exit would. On Node that may be nobody for a while: the main thread is the workers' parent and
 * hears exits only when its event loop runs, not while it blocks in callSync waiting on this very
 * worker (runtime/node-direct.ts). Running it again later, on the exit event, is harmless.
 *
 * The cleanup runs under this agent's own id: if the thread is cut off in the middle (terminated at
 * that moment), the cleanup lock names this agent, and the next cleanup of it takes the lock over.
 */
import { readHeaderUnchecked } from '../layout.js';
import { failAgent } from '../protocol/death.js';
import { cleanerCtx } from '../runtime/cleaner.js';
import type { WorkerInit } from '../runtime/spawn.js';

type ExitEmitter = { once?(event: 'exit', fn: () => void): void };

export function sayLastWordsOnExit(init: WorkerInit): void {
  const proc = (globalThis as { process?: ExitEmitter }).process;
  proc?.once?.('exit', () => completeOwnCalls(init));
}

/**
 * Complete every call made to agent `init.id` and mark it dead, from its own thread: as it ends, or
 * when its start failed (worker/boot.ts). A caller blocked in callSync on it since before it started
 * cannot read the 'failed' report until it stops blocking, and on Deno and Bun nobody else completes
 * the calls of a thread that has not ended: without this it would wait for good.
 */
export function completeOwnCalls(init: WorkerInit): void {
  try {
    const ctx = cleanerCtx(init.buffer, readHeaderUnchecked(new Int32Array(init.buffer)), (what) => console.error(`smpcall: agent ${init.id}, ending, found shared memory corrupt: ${what}`), init.id);
    failAgent(ctx, init.id);
  } catch (e) {
    console.error(`smpcall: agent ${init.id} could not complete its calls as it ended:`, e);
  }
}
