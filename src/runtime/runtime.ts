/**
 * What a runtime is to smpcall (its name, how it spawns workers, which module they start with) and
 * which runtime this is, by feature detection. No imports of any runtime's modules: select.ts loads
 * the adapter, server.ts is the Node one.
 */
import type { Spawn } from './spawn.js';

export type RuntimeName = 'node' | 'deno' | 'bun' | 'browser' | 'unknown';

export interface Runtime {
  name: RuntimeName;
  spawn: Spawn;
  /** The module each worker starts with. */
  entry: URL;
  /** Start what the next spawn of `workers` workers needs and takes long to start (threads), while the caller prepares. */
  prepare?(workers: number): void;
  /** What `prepare` started is not needed after all. */
  discard?(): void;
}

// The worker entries sit above the agent (src/worker/); named by URL, never imported from here.
export const NODE_ENTRY = new URL('../worker/node-entry.js', import.meta.url);
export const WEB_ENTRY = new URL('../worker/web-entry.js', import.meta.url);

export type Globals = {
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
