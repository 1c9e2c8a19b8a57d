/**
 * The guardian: a small worker that is the parent of every agent worker of a domain. Node delivers a
 * worker's 'exit' event only to its parent's event loop; if the main thread were the parent, a main
 * thread blocked in callSync on a worker that dies would never hear of it. The guardian never blocks,
 * so it always hears, marks the agent DEAD and completes its calls (waking whoever waits, the blocked
 * main thread included), then tells the main thread.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { readHeaderUnchecked } from '../layout.js';
import { failAgent } from '../protocol/death.js';
import { cleanerCtx } from './cleaner.js';
import type { ParentMessage, WorkerInit } from './spawn.js';

export interface GuardianInit {
  entry: string;
  inits: WorkerInit[];
}

export type GuardianEvent =
  | { id: number; kind: 'message'; message: unknown }
  | { id: number; kind: 'error'; error: unknown }
  | { id: number; kind: 'exit'; code: number };

export type GuardianCommand =
  | { kind: 'terminate'; id: number }
  | { kind: 'spawn'; init: WorkerInit }
  | { kind: 'send'; id: number; message: ParentMessage }
  | { kind: 'shutdown' };

const { entry, inits } = workerData as GuardianInit;
const port = parentPort!;
const buffer = inits[0]!.buffer;
/** The agent whose exit is being handled: a corruption found meanwhile is reported as its message. */
let handling = 0;
const ctx = cleanerCtx(buffer, readHeaderUnchecked(new Int32Array(buffer)), (what) =>
  say({ id: handling, kind: 'message', message: { type: 'error', report: { agent: -1, code: 'ERR_SMPCALL_CORRUPT', message: `smpcall: the worker guardian found shared memory corrupt: ${what}` } } }),
);
const say = (e: GuardianEvent): void => port.postMessage(e);
const workers = new Map<number, Worker>();

function spawn(init: WorkerInit): void {
  const w = new Worker(new URL(entry), { workerData: init });
  workers.set(init.id, w);
  w.on('message', (message) => say({ id: init.id, kind: 'message', message }));
  w.on('error', (error: unknown) => {
    // Send the parts, not the object: an error relayed twice through postMessage loses them.
    const e = error as Error;
    say({ id: init.id, kind: 'error', error: { name: e?.name, message: e?.message ?? String(error), stack: e?.stack } });
  });
  w.on('exit', (code) => {
    const gone = (): void => {
      // First complete everything the agent held (this wakes blocked callers), then report.
      handling = init.id;
      failAgent(ctx, init.id);
      if (workers.get(init.id) === w) workers.delete(init.id);
      say({ id: init.id, kind: 'exit', code });
    };
    // Where the exit event may come before the thread has stopped (Deno), wait until its life lock
    // is free: failing its calls while it still runs would let it write into slots given back.
    const locks = (globalThis as { navigator?: { locks?: { request(name: string, fn: () => void): Promise<unknown> } } }).navigator?.locks;
    if (init.lifeLock && locks) void locks.request(init.lifeLock, gone);
    else gone();
  });
}

for (const init of inits) spawn(init);

// The port's listener keeps the guardian alive (a restart may come) until the domain shuts it down;
// the main thread holds it unref'd, so it never keeps the process alive by itself.
port.on('message', (cmd: GuardianCommand) => {
  if (cmd.kind === 'terminate') void workers.get(cmd.id)?.terminate();
  else if (cmd.kind === 'spawn') spawn(cmd.init);
  else if (cmd.kind === 'send') workers.get(cmd.id)?.postMessage(cmd.message);
  // Deno's node:worker_threads port has no close(); a Deno worker ends with the global close().
  else if (typeof (port as { close?: unknown }).close === 'function') port.close();
  else (globalThis as { close?: () => void }).close?.();
});
