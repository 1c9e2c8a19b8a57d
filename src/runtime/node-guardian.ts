/**
 * The guardian (Deno and Bun; see node-direct.ts for Node): a small worker that is the parent of every
 * agent worker of a domain. A worker's 'exit' event is delivered only to its parent's event loop; if the main thread were the parent, a main
 * thread blocked in callSync on a worker that dies would never hear of it. The guardian never blocks,
 * so it always hears, marks the agent DEAD and completes its calls (waking whoever waits, the blocked
 * main thread included), then tells the main thread.
 *
 * It starts with no workers (node.ts may start it before the domain's memory exists, so that it boots
 * while the main thread prepares) and spawns each one on a 'spawn' command. Its only static import is
 * node:worker_threads: the first agent is spawned before the protocol code that handles exits is
 * loaded (an exit waits for that load; nothing is lost, the event is only handled a little later).
 */
import { Worker, parentPort } from 'node:worker_threads';
import type { Ctx } from '../protocol/context.js';
import type { ParentMessage, WorkerInit } from './spawn.js';

export type GuardianEvent =
  { id: number; kind: 'message'; message: unknown } | { id: number; kind: 'error'; error: unknown } | { id: number; kind: 'exit'; code: number };

export type GuardianCommand =
  | { kind: 'terminate'; id: number }
  | { kind: 'spawn'; entry: string; init: WorkerInit }
  | { kind: 'send'; id: number; message: ParentMessage }
  | { kind: 'shutdown' };

const port = parentPort!;
const say = (e: GuardianEvent): void => port.postMessage(e);
const workers = new Map<number, Worker>();
/** The agent whose exit is being handled: a corruption found meanwhile is reported as its message. */
let handling = 0;

/** What handles exits: loaded once, after the first spawn, for the domain's memory (one per guardian). */
let cleaner: Promise<{ ctx: Ctx; failAgent: (ctx: Ctx, id: number) => void; lockedByOther: (ctx: Ctx, id: number) => boolean; tries: number }> | undefined;
function loadCleaner(buffer: SharedArrayBuffer): NonNullable<typeof cleaner> {
  return (cleaner ??= Promise.all([import('../layout.js'), import('../protocol/death.js'), import('../protocol/observe.js'), import('./cleaner.js')]).then(
    ([layout, death, observe, c]) => ({
      failAgent: death.failAgent,
      lockedByOther: observe.cleanupLockedByOther,
      tries: observe.LOCKED_EXIT_TRIES,
      ctx: c.cleanerCtx(buffer, layout.readHeaderUnchecked(new Int32Array(buffer)), (what) =>
        say({
          id: handling,
          kind: 'message',
          message: {
            type: 'error',
            report: { agent: -1, code: 'ERR_SMPCALL_CORRUPT', message: `smpcall: the worker guardian found shared memory corrupt: ${what}` },
          },
        }),
      ),
    }),
  ));
}

function spawn(entry: string, init: WorkerInit): void {
  const w = new Worker(new URL(entry), { workerData: init });
  const exits = loadCleaner(init.buffer);
  workers.set(init.id, w);
  w.on('message', (message) => say({ id: init.id, kind: 'message', message }));
  w.on('error', (error: unknown) => {
    // Send the parts, not the object: an error relayed twice through postMessage loses them.
    const e = error as Error;
    say({ id: init.id, kind: 'error', error: { name: e?.name, message: e?.message ?? String(error), stack: e?.stack } });
  });
  w.on('exit', (code) => {
    const gone = (tries = 0): void => {
      void exits.then(({ ctx, failAgent, lockedByOther, tries: most }) => {
        // Another agent may have died holding the cleanup lock, its exit not yet heard here: let it
        // come first, as the supervisor does (protocol/observe.ts, cleanupLockedByOther).
        if (tries < most && lockedByOther(ctx, init.id)) {
          setTimeout(() => gone(tries + 1), 1);
          return;
        }
        // First complete everything the agent held (this wakes blocked callers), then report.
        handling = init.id;
        failAgent(ctx, init.id);
        if (workers.get(init.id) === w) workers.delete(init.id);
        say({ id: init.id, kind: 'exit', code });
      });
    };
    // Where the exit event may come before the thread has stopped (Deno), wait until its life lock
    // is free: failing its calls while it still runs would let it write into slots given back.
    const locks = (globalThis as { navigator?: { locks?: { request(name: string, fn: () => void): Promise<unknown> } } }).navigator?.locks;
    if (init.lifeLock && locks) void locks.request(init.lifeLock, () => gone());
    else gone();
  });
}

// The port's listener keeps the guardian alive (a restart may come) until the domain shuts it down;
// the main thread holds it unref'd, so it never keeps the process alive by itself.
port.on('message', (cmd: GuardianCommand) => {
  if (cmd.kind === 'terminate') void workers.get(cmd.id)?.terminate();
  else if (cmd.kind === 'spawn') spawn(cmd.entry, cmd.init);
  else if (cmd.kind === 'send') workers.get(cmd.id)?.postMessage(cmd.message);
  // Deno's node:worker_threads port has no close(); a Deno worker ends with the global close().
  else if (typeof (port as { close?: unknown }).close === 'function') port.close();
  else (globalThis as { close?: () => void }).close?.();
});
