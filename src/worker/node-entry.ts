/**
 * The module every `node:worker_threads` worker starts with (Node, and Deno and Bun through their
 * node:worker_threads layers). The work is in boot.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bootAgent } from './boot.js';
import { sayLastWordsOnExit } from './last-words.js';
import type { ParentMessage, WorkerInit } from '../runtime/spawn.js';
import type { AgentStart, DirectStart } from '../runtime/node-direct.js';

const port = parentPort!;
// Started by the main thread itself (Node: runtime/node-direct.ts): say so at once, on the port the
// main thread reads while it blocks; a worker started ahead of its domain gets its init as its first
// message. Started by a guardian (Deno, Bun): the init is the workerData.
const data = workerData as DirectStart | WorkerInit;
const direct = 'direct' in data ? data : undefined;
direct?.started.postMessage(1);
const init = direct === undefined ? (data as WorkerInit) : (direct.init ?? (await new Promise<WorkerInit>((resolve) => port.once('message', (m: AgentStart) => resolve(m.init)))));
// Only where the main thread is the parent (Node): under a guardian (Deno, Bun) the guardian completes
// an ended agent's calls once its thread is gone, and Deno's exit handling may run while the thread
// still does (see runtime/server.ts).
if (direct !== undefined) sayLastWordsOnExit(init);
await bootAgent(init, {
  say: (m) => port.postMessage(m),
  onMessage: (fn) => port.on('message', (m: ParentMessage) => fn(m)),
  close() {
    // Node: closing the port drops the last handle, so the thread ends. Deno's node:worker_threads
    // port has no close(); its workers end with the global close().
    if (typeof (port as { close?: unknown }).close === 'function') port.close();
    else (globalThis as { close?: () => void }).close?.();
  },
});
