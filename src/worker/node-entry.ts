/**
 * The module every `node:worker_threads` worker starts with (Node, and Deno and Bun through their
 * node:worker_threads layers). The work is in boot.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bootAgent } from './boot.js';
import { sayLastWordsOnExit } from './last-words.js';
import { HeldMessages } from './held-messages.js';
import type { ParentMessage, WorkerInit } from '../runtime/spawn.js';
import type { AgentStart, DirectStart } from '../runtime/node-direct.js';

const port = parentPort!;
// One listener for the thread's whole life, from its first line (held-messages.ts): a worker started
// ahead of its domain gets its init, and perhaps right behind it a buffer shared meanwhile.
let gotInit: ((init: WorkerInit) => void) | undefined;
const held = new HeldMessages<ParentMessage>();
const onMessage = (m: AgentStart | ParentMessage): void => {
  if (m.type === 'init') gotInit?.(m.init);
  else held.deliver(m);
};
port.on('message', onMessage);
// Started by the main thread itself (Node: runtime/node-direct.ts): say so at once, on the port the
// main thread reads while it blocks; a worker started ahead of its domain gets its init as its first
// message. Started by a guardian (Deno, Bun): the init is the workerData.
const data = workerData as DirectStart | WorkerInit;
const direct = 'direct' in data ? data : undefined;
direct?.started.postMessage(1);
const init = direct === undefined ? (data as WorkerInit) : (direct.init ?? (await new Promise<WorkerInit>((resolve) => (gotInit = resolve))));
// Only where the main thread is the parent (Node): under a guardian (Deno, Bun) the guardian completes
// an ended agent's calls once its thread is gone, and Deno's exit handling may run while the thread
// still does (see runtime/server.ts).
if (direct !== undefined) sayLastWordsOnExit(init);
const serving = await bootAgent(init, {
  say: (m) => port.postMessage(m),
  onMessage: (fn) => held.listen(fn),
  close() {
    // Node: closing the port drops the last handle, so the thread ends. Deno's node:worker_threads
    // port has no close(); its workers end with the global close().
    if (typeof (port as { close?: unknown }).close === 'function') port.close();
    else (globalThis as { close?: () => void }).close?.();
  },
});
// A start that failed leaves nothing to listen for: let the thread end, as it would without a listener.
if (!serving) port.off('message', onMessage);
