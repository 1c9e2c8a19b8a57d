/**
 * Which spawn adapter this runtime gets, by feature detection. Each adapter is imported only when
 * chosen, so a browser never loads node:worker_threads.
 */
import { SmpcallError, codes } from '../errors.js';
import type { Spawn } from './spawn.js';

export type RuntimeName = 'node' | 'deno' | 'bun' | 'browser' | 'unknown';

export interface Runtime {
  name: RuntimeName;
  spawn: Spawn;
  /** The module each worker starts with. */
  entry: URL;
}

// The worker entries sit above the agent (src/worker/); named by URL, never imported from here.
export const NODE_ENTRY = new URL('../worker/node-entry.js', import.meta.url);
const WEB_ENTRY = new URL('../worker/web-entry.js', import.meta.url);

type Globals = {
  Deno?: { version?: unknown };
  Bun?: unknown;
  process?: { versions?: { node?: string; bun?: string } };
  Worker?: unknown;
  crossOriginIsolated?: boolean;
};

export function detectRuntime(): RuntimeName | undefined {
  const g = globalThis as Globals;
  if (g.Deno?.version !== undefined) return 'deno';
  if (g.Bun !== undefined || g.process?.versions?.bun !== undefined) return 'bun';
  if (g.process?.versions?.node !== undefined) return 'node';
  if (typeof g.Worker === 'function') return 'browser';
  return undefined;
}

export async function loadRuntime(): Promise<Runtime> {
  const g = globalThis as Globals;
  const name = detectRuntime();
  if (typeof SharedArrayBuffer !== 'function') {
    const page = name === 'browser' || g.crossOriginIsolated !== undefined;
    throw new SmpcallError(
      codes.START_FAILED,
      page
        ? 'SharedArrayBuffer is not available on this page: serve it cross-origin isolated (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
        : 'SharedArrayBuffer is not available in this runtime',
    );
  }
  switch (name) {
    case 'node':
      return { name, spawn: (await import('./node.js')).spawnNodeWorkers, entry: NODE_ENTRY };
    case 'deno':
      return { name, spawn: (await import('./deno.js')).spawnDenoWorkers, entry: NODE_ENTRY };
    case 'bun':
      return { name, spawn: (await import('./bun.js')).spawnBunWorkers, entry: NODE_ENTRY };
    case 'browser':
      return { name, spawn: (await import('./browser.js')).spawnWebWorkers, entry: WEB_ENTRY };
    default:
      // A domain without workers still works here; one with workers cannot start.
      return {
        name: 'unknown',
        spawn: () => {
          throw new SmpcallError(codes.START_FAILED, 'no way to start workers here: smpcall runs on Node, Deno, Bun and in browsers (Web Workers)');
        },
        entry: NODE_ENTRY,
      };
  }
}
