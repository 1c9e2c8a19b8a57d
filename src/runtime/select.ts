/**
 * Which spawn adapter this runtime gets, by feature detection. Each adapter is imported only when
 * chosen, so a browser never loads node:worker_threads.
 */
import { SmpcallError, codes } from '../errors.js';
import { NODE_ENTRY, WEB_ENTRY, detectRuntime, type Globals, type Runtime } from './runtime.js';

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
  // Every agent parks its event loop with it (agent/pump.ts). Without it each idle pump would throw,
  // be reported and run again from the next task: a busy loop of error reports, never a refusal.
  if (typeof (Atomics as { waitAsync?: unknown }).waitAsync !== 'function') {
    throw new SmpcallError(codes.START_FAILED, 'Atomics.waitAsync is not available in this runtime: smpcall agents wait for calls with it (Firefox has it since 145, Safari since 16.4)');
  }
  switch (name) {
    case 'node':
    case 'deno':
    case 'bun':
      return (await import('./server.js')).serverRuntime();
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
