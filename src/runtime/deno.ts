/**
 * Deno: the Node adapter (node.ts), through Deno's node:worker_threads compatibility layer, plus a
 * life lock per agent.
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
 */
import { nodeWorkers } from './node.js';
import type { Spawn } from './spawn.js';

export const spawnDenoWorkers: Spawn = (entry, inits) => nodeWorkers(entry, inits, { lifeLocks: true });
