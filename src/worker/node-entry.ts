/**
 * The module every `node:worker_threads` worker starts with (Node, and Deno and Bun through their
 * node:worker_threads layers). The work is in boot.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bootAgent } from './boot.js';
import { sayLastWordsOnExit } from './last-words.js';
import type { ParentMessage, WorkerInit } from '../runtime/spawn.js';
import type { AgentStart } from '../runtime/node-direct.js';

const port = parentPort!;
// A worker started ahead of its domain (runtime/node-direct.ts) gets its init as its first message.
const init = (workerData as WorkerInit | undefined) ?? (await new Promise<WorkerInit>((resolve) => port.once('message', (m: AgentStart) => resolve(m.init))));
sayLastWordsOnExit(init);
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
