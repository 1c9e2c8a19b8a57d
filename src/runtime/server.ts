/**
 * The spawn adapter chosen synchronously, for callers that cannot await `loadRuntime()`
 * (smpcall/sync builds its domain inside a blocking call). Server runtimes only: it imports
 * node:worker_threads statically, which is why select.ts does not (a browser must never load it).
 */
import { nodeWorkers } from './node.js';
import { NODE_ENTRY, detectRuntime, type Runtime } from './select.js';

export function serverRuntime(): Runtime {
  const name = detectRuntime();
  // Deno needs the life locks (see deno.ts); Node and Bun use the Node adapter unchanged.
  const lifeLocks = name === 'deno';
  return { name: name ?? 'node', spawn: (entry, inits) => nodeWorkers(entry, inits, { lifeLocks }), entry: NODE_ENTRY };
}
