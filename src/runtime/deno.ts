/**
 * Deno: the Node adapter (node.ts), through Deno's node:worker_threads compatibility layer.
 *
 * Why not Deno's own `new Worker(url, { type: 'module' })`: Deno's Web Workers have no exit event
 * (a worker that calls Deno.exit() or dies would leave its callers waiting) and no workerData; the
 * node:worker_threads layer is built on them and adds an 'exit' event with a code and ref()/unref(),
 * and a worker may start workers, so the guardian (which hears an agent's exit while the main thread is
 * blocked in callSync) works as on Node. Differences handled in the shared files: the worker side's
 * parentPort has no close() in Deno (worker-entry.ts and node-guardian.ts end the thread with the global
 * close() instead). Measured with the runtime matrix (npm run test:runtimes).
 */
export { spawnNodeWorkers as spawnDenoWorkers } from './node.js';
