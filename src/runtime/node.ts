/**
 * Spawn adapter through `node:worker_threads` with a guardian, for Deno and Bun (Node itself uses
 * node-direct.ts, which says why they differ). The agent workers are children of a guardian worker
 * (node-guardian.ts), which watches their exits even while this thread is blocked.
 */
import { Worker } from 'node:worker_threads';
import type { EntryMessage, Spawn, SpawnedWorker, WorkerInit } from './spawn.js';
import { WorkerEvents } from './worker-events.js';
import { countedHold } from './hold.js';
import type { GuardianCommand, GuardianEvent } from './node-guardian.js';

// Named from one folder below dist/, as every module that names a file by URL does (scripts/bundle.mjs).
const GUARDIAN = new URL('../runtime/node-guardian.js', import.meta.url);

export interface NodeSpawnOptions {
  /**
   * Each agent holds a Web Lock for its whole life and the guardian waits for it before it reports
   * the exit: for runtimes whose 'exit' event may come while the thread still runs (Deno).
   */
  lifeLocks?: boolean;
  /** Node flags for the guardian, which its agent workers inherit (smpcall/sync's `execArgv`); default: the process's. */
  execArgv?: string[];
}

let domains = 0;

/**
 * A guardian started ahead of its domain (`prepareGuardian`), so that its thread boots while the main
 * thread imports the calls module and lays out the memory: a guardian's start is a worker's start
 * (~35 ms), and the agents' own starts come only after it.
 */
let spare: { guardian: Worker; execArgv: string[] | undefined } | undefined;

const startGuardian = (execArgv: string[] | undefined): Worker => new Worker(GUARDIAN, { execArgv });

/** Start the next domain's guardian now (idempotent). It holds nothing open: the process may exit meanwhile. */
export function prepareGuardian(execArgv?: string[]): void {
  if (spare !== undefined) return;
  spare = { guardian: startGuardian(execArgv), execArgv };
  spare.guardian.unref();
}

/** The prepared guardian is not needed after all (the domain failed before its workers): stop it. */
export function discardGuardian(): void {
  void spare?.guardian.terminate();
  spare = undefined;
}

export function nodeWorkers(entry: URL, initsIn: WorkerInit[], options: NodeSpawnOptions): ReturnType<Spawn> {
  const prefix = `smpcall:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:${domains++}`;
  let generation = 0;
  const named = (init: WorkerInit): WorkerInit => (options.lifeLocks ? { ...init, lifeLock: `${prefix}:${init.id}:${generation++}` } : init);
  const inits = initsIn.map(named);
  const ready = spare !== undefined && String(spare.execArgv) === String(options.execArgv) ? spare.guardian : undefined;
  if (ready !== undefined) spare = undefined;
  const guardian = ready ?? startGuardian(options.execArgv);
  const spawn = (init: WorkerInit): void => guardian.postMessage({ kind: 'spawn', entry: entry.href, init } satisfies GuardianCommand);
  // The guardian holds the process open only while something is on its way.
  const hold = countedHold(guardian);
  const handles = new Map<number, ReturnType<typeof handleFor>>();
  for (const init of inits) handles.set(init.id, handleFor(init.id, guardian, hold));
  guardian.on('message', (e: GuardianEvent) => handles.get(e.id)?.deliver(e));
  const initial = [...handles.values()].map((h) => h.worker);
  guardian.on('error', (err) => {
    // The guardian runs no user code; if it fails anyway, say so loudly and fail every agent.
    console.error('smpcall: the worker guardian failed:', err);
    for (const h of handles.values()) h.deliver({ id: h.id, kind: 'exit', code: 1 });
  });
  for (const w of initial) void hold(w.ready.catch(() => {}));
  inits.forEach(spawn);
  return {
    workers: initial,
    respawn(init) {
      const h = handleFor(init.id, guardian, hold);
      handles.set(init.id, h);
      void hold(h.worker.ready.catch(() => {}));
      spawn(named(init));
      return h.worker;
    },
    shutdown() {
      guardian.postMessage({ kind: 'shutdown' } satisfies GuardianCommand);
    },
    hold,
  };
}

function handleFor(id: number, guardian: Worker, hold: <T>(p: Promise<T>) => Promise<T>) {
  const events = new WorkerEvents(id);
  const deliver = (e: GuardianEvent): void => {
    if (e.kind === 'message') events.message(e.message as EntryMessage);
    else if (e.kind === 'error') {
      const parts = e.error as { name?: string; message?: string; stack?: string };
      const err = new Error(parts.message ?? 'unknown error');
      if (parts.name) err.name = parts.name;
      if (parts.stack) err.stack = parts.stack;
      events.error(err);
    } else events.exit(e.code);
  };
  const worker: SpawnedWorker = {
    ready: events.ready,
    onExit: (fn) => events.onExit(fn),
    onError: (fn) => events.onError(fn),
    onMessage: (fn) => events.onMessage(fn),
    send(message) {
      if (events.code === undefined) guardian.postMessage({ kind: 'send', id, message } satisfies GuardianCommand);
    },
    async terminate() {
      if (events.code !== undefined) return;
      guardian.postMessage({ kind: 'terminate', id } satisfies GuardianCommand);
      await hold(events.exited);
    },
  };
  return { id, worker, deliver };
}
