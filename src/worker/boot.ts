/**
 * What every worker does first, whatever the runtime: import the calls module, check the table against
 * the main thread's, become the agent `init.id`, and say 'ready' (or 'failed'). The runtime-specific
 * entries (worker-entry.ts for node:worker_threads, web-worker-entry.ts for Web Workers) only say how
 * messages go to and come from the parent.
 *
 * Not the library's index: a call table that imports 'smpcall' would otherwise form a top-level-await
 * import cycle with the entry, and the worker would never start.
 */
import { Agent } from '../agent/index.js';
import { memFor } from '../runtime/wasm-mem.js';
import { setThreadAgent } from '../agent/current.js';
import { readHeader, readHeaderUnchecked } from '../layout.js';
import { compileTable, describeTableDifference, type CallTable } from '../table.js';
import { SmpcallError, codes } from '../errors.js';
import { encodableError } from '../codec/remote-error.js';
import { completeOwnCalls } from './last-words.js';

/** Where a worker's boot leaves the URL of the calls module it imports (see smpcall/sync's calls.ts). */
export const CALLS_URL = Symbol.for('smpcall.agent.callsUrl');
import type { EntryMessage, ParentMessage, WorkerInit } from '../runtime/spawn.js';

/** The worker's side of the channel to its parent. */
export interface ParentChannel {
  say(m: EntryMessage): void;
  /** Listen to the parent's messages, first to those that came before (they are held until then). */
  onMessage(fn: (m: ParentMessage) => void): void;
  /** The domain is closed and this agent idle: let the thread end. */
  close(): void;
}

interface Locks {
  request(name: string, fn: () => Promise<unknown>): Promise<unknown>;
}

/** The runtime's Web Locks, if it has them (browsers, Deno). */
export const webLocks = (): Locks | undefined => (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;

/**
 * Take the lock `name` and hold it until this thread ends (the callback's promise never settles):
 * whoever queues for the same lock is granted it only once this thread is gone, however it ended.
 */
export function holdLifeLock(name: string): Promise<void> {
  return new Promise<void>((granted) => {
    void webLocks()!.request(name, () => {
      granted();
      return new Promise(() => {});
    });
  });
}

/**
 * Become agent `init.id` (true), or fail its start (false): with the calls module `init.calls`
 * imported here, or with `own`, the table the worker's own module passed to `serveCalls` (a bundled
 * page: start()'s `worker` option).
 */
export async function bootAgent(init: WorkerInit, parent: ParentChannel, own?: CallTable): Promise<boolean> {
  try {
    // Before anything that touches the shared memory as this agent.
    if (init.lifeLock && webLocks()) await holdLifeLock(init.lifeLock);
    // The calls module may read the URL it was imported by (smpcall/sync's carries the worker file in
    // its query); Bun's import.meta.url drops the query, so it is left here too.
    (globalThis as { [CALLS_URL]?: string })[CALLS_URL] = init.calls;
    const table = compileTable(own ?? (((await import(init.calls)) as { default?: unknown }).default as never));
    if (table.hash !== readHeaderUnchecked(new Int32Array(init.buffer)).tableHash) {
      throw new SmpcallError(
        codes.MISMATCH,
        `its call table differs from the main thread's: ${describeTableDifference(table.signature, init.table, `on agent ${init.id}`, 'on the main thread')} (does the calls module build its table differently per thread?)`,
      );
    }
    const L = readHeader(new Int32Array(init.buffer), table.hash);
    const a = new Agent(
      init.buffer,
      L,
      init.id,
      table,
      { spinRounds: init.spinRounds, spinUs: init.spinUs, stallMs: init.stallMs, slotWaitMs: init.slotWaitMs },
      memFor(init.buffer, init.memory),
    );
    setThreadAgent(a);
    init.shared?.forEach((b, id) => a.shared.add(id, b));
    // Buffers shared since this thread was spawned (a replacement's start has the list as it was
    // then): the channel held them until now (held-messages.ts).
    parent.onMessage((m) => {
      if (m.type === 'share') {
        a.shared.add(m.id, m.buffer);
        parent.say({ type: 'shared', id: m.id });
      }
    });
    // Take over a dead agent's id: reclaim what the predecessor left, then come back to life.
    if (init.revive) a.adoptPredecessor();
    a.pump.holdAlive(true);
    // Stall reports go to the main thread, which emits them on the domain (or warns).
    a.onStall = (report) => parent.say({ type: 'stall', report });
    // What was thrown travels as its parts: a thrown function or symbol could not be posted.
    a.onError = (report) => parent.say({ type: 'error', report: { ...report, error: report.error === undefined ? undefined : encodableError(report.error) } });
    a.pump.onIdleClosed = () => {
      a.pump.holdAlive(false);
      parent.close();
    };
    a.pump.start();
    parent.say({ type: 'ready' });
    return true;
  } catch (e) {
    const err = e as Error;
    const code = (e as { code?: unknown })?.code;
    parent.say({
      type: 'failed',
      message: `agent ${init.id} failed to start: ${err?.message ?? String(e)}`,
      stack: err?.stack,
      ...(typeof code === 'string' ? { code } : {}),
    });
    // Calls may already be queued for this agent, their callers blocked (smpcall/sync calls at once):
    // they fail now (AGENT_GONE), and the report says why.
    completeOwnCalls(init);
    return false;
  }
}
