/**
 * Node, Deno and Bun, through node:worker_threads. Node: the main thread is the workers' parent
 * (node-direct.ts). Deno and Bun: a guardian thread is (node.ts), and Deno adds a life lock per agent;
 * node-direct.ts says why they differ. Chosen synchronously, for callers that cannot await `loadRuntime()` (smpcall/sync builds
 * its domain inside a blocking call); `loadRuntime()` imports this module only on those runtimes (it
 * imports node:worker_threads, which a browser must never load).
 *
 * Deno, through its node:worker_threads compatibility layer, plus a life lock per agent.
 *
 * Why not Deno's own `new Worker(url, { type: 'module' })`: Deno's Web Workers have no exit event
 * at all (a worker that calls Deno.exit() or dies would leave its callers waiting) and no workerData;
 * the node:worker_threads layer is built on them and adds an 'exit' event with a code, ref()/unref(),
 * and workers that start workers, so the guardian (which hears an agent's exit while the main thread
 * is blocked in callSync) works as on Node.
 *
 * What differs from Node, found with the runtime matrix (npm run test:runtimes):
 * - After `terminate()`, Deno emits 'exit' at once, while the thread may still be running JavaScript
 *   until its current task ends (measured: a worker in a busy loop went on writing to shared memory
 *   for seconds after its 'exit'). Failing a live agent's calls then lets it write results into slots
 *   their owners already got back: calls hang (seen in the fault-injection test). So each agent takes
 *   a Web Lock (Deno has navigator.locks) before it touches the shared memory, and holds it until its
 *   thread is gone; the guardian reports the exit only once it gets that lock.
 * - The worker side's parentPort has no close(): worker/node-entry.ts and node-guardian.ts end the thread
 *   with the global close() instead.
 *
 * Bun, through its node:worker_threads, unchanged.
 *
 * Why not Bun's own Worker: Bun's node:worker_threads is built on it and adds what smpcall needs and
 * the Web Worker API lacks, an 'exit' event with a code, ref()/unref(), workerData and nested workers
 * (so the guardian, which hears an agent's exit while the main thread is blocked in callSync, works
 * as on Node). Measured with the runtime matrix (npm run test:runtimes): the Node adapter passes
 * the suite on Bun 1 (see the report for the exceptions).
 */
import { discardGuardian, nodeWorkers, prepareGuardian } from './node.js';
import { directWorkers, discardAgents, prepareAgents } from './node-direct.js';
import { NODE_ENTRY, detectRuntime, type Runtime } from './runtime.js';

/** `execArgv`: Node flags for the agent workers (smpcall/sync's option); default: the process's. */
export function serverRuntime(execArgv?: string[]): Runtime {
  const name = detectRuntime() ?? 'node';
  if (name === 'node') {
    return {
      name,
      spawn: (entry, inits) => directWorkers(entry, inits, execArgv),
      entry: NODE_ENTRY,
      prepare: (workers) => prepareAgents(NODE_ENTRY, workers, execArgv),
      discard: discardAgents,
    };
  }
  return {
    name,
    spawn: (entry, inits) => nodeWorkers(entry, inits, { lifeLocks: name === 'deno', execArgv }),
    entry: NODE_ENTRY,
    prepare: () => prepareGuardian(execArgv),
    discard: discardGuardian,
  };
}
