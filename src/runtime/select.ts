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
  /** Start what the next spawn needs and takes long to start (Node's guardian thread), while the caller prepares. */
  prepare?(): void;
  /** What `prepare` started is not needed after all. */
  discard?(): void;
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
    case 'deno':
    case 'bun': {
      // Deno and Bun go through the Node adapter too (deno.ts, bun.ts say why).
      const node = await import('./node.js');
      const spawn = name === 'deno' ? (await import('./deno.js')).spawnDenoWorkers : name === 'bun' ? (await import('./bun.js')).spawnBunWorkers : node.spawnNodeWorkers;
      return { name, spawn, entry: NODE_ENTRY, prepare: () => node.prepareGuardian(), discard: () => node.discardGuardian() };
    }
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
