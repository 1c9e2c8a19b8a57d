/**
 * Bun: the Node adapter (node.ts), through Bun's node:worker_threads, unchanged.
 *
 * Why not Bun's own Worker: Bun's node:worker_threads is built on it and adds what smpcall needs and
 * the Web Worker API lacks, an 'exit' event with a code, ref()/unref(), workerData and nested workers
 * (so the guardian, which hears an agent's exit while the main thread is blocked in callSync, works
 * as on Node). Measured with the runtime matrix (npm run test:runtimes): the Node adapter passes
 * the suite on Bun 1 (see the report for the exceptions).
 */
export { spawnNodeWorkers as spawnBunWorkers } from './node.js';
