/**
 * Spawn adapter for Web Workers (browsers). The page must be cross-origin isolated (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`), or it
 * has no SharedArrayBuffer at all.
 *
 * Exits: a Web Worker has no 'exit' event, so each worker holds a Web Lock for its whole life
 * (worker/web-entry.ts) and this side queues for the same lock: it is granted when the worker's thread
 * is gone, whatever ended it (terminate(), the worker's own close(), the browser killing it). Then
 * domain.ts runs failAgent, so callers of a dead worker get ERR_SMPCALL_AGENT_GONE here as on Node.
 * No guardian is needed: the page's main thread never blocks (callSync is refused there), so it always
 * hears. Without Web Locks (an insecure context) only terminate() and the domain's close are seen.
 *
 * An uncaught error does not end a Web Worker (unlike Node): it is reported through onError and the
 * agent keeps serving.
 */
import type { EntryMessage, Spawn, SpawnedWorker, WebWorkerStart, WorkerInit } from './spawn.js';
import { WorkerEvents } from './worker-events.js';
import { SmpcallError, codes } from '../errors.js';

// The few DOM types this file uses, declared here so the library builds without lib "DOM".
interface WebWorker {
  postMessage(m: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
  addEventListener(type: 'error', fn: (e: { message?: string; filename?: string; lineno?: number; error?: unknown; preventDefault(): void }) => void): void;
  addEventListener(type: 'messageerror', fn: (e: { data: unknown }) => void): void;
}
type WebWorkerCtor = new (url: URL, options: { type: 'module'; name?: string }) => WebWorker;
interface Locks {
  request(name: string, fn: () => unknown): Promise<unknown>;
}

const locks = (): Locks | undefined => (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
let domains = 0;

export const spawnWebWorkers: Spawn = (entry, inits, own) => {
  // Lock names are per page (origin, really): make them unique per domain and per thread.
  const prefix = `smpcall:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:${domains++}`;
  let generation = 0;
  const create = own === undefined ? (id: number) => new (globalThis as { Worker?: WebWorkerCtor }).Worker!(entry, { type: 'module', name: `smpcall agent ${id}` }) : (id: number) => ownWorker(own, id);
  const make = (init: WorkerInit): SpawnedWorker => {
    let w: WebWorker;
    try {
      w = create(init.id);
    } catch (e) {
      return unmade(init.id, e);
    }
    return webWorker(w, init, `${prefix}:${init.id}:${generation++}`);
  };
  return {
    workers: inits.map(make),
    respawn: make,
    shutdown() {},
    // A page stays alive by itself.
    hold: (p) => p,
  };
};

/** The app's own worker (start()'s `worker` option), checked to be one. */
function ownWorker(make: (id: number) => unknown, id: number): WebWorker {
  const w = make(id) as Partial<WebWorker> | null;
  if (w === null || typeof w !== 'object' || typeof w.postMessage !== 'function' || typeof w.addEventListener !== 'function' || typeof w.terminate !== 'function') {
    throw new SmpcallError(codes.USAGE, `start()'s worker(${id}) must return a Web Worker (new Worker(url, { type: 'module' })), got ${w === null ? 'null' : typeof w}`);
  }
  return w as WebWorker;
}

/**
 * A worker that failed to start: its start fails now, and its exit is reported in a later task, never
 * at once. A restart sees the failed start first and stops trying (supervisor.ts). Reported at once,
 * the exit ran the restart inside the very call that made this worker, before the failure was seen:
 * with `restart: true`, a start that failed the same way each time made worker after worker in one
 * call stack until it overflowed (a hostile run: 2,190 workers in Chromium, 6,580 in Firefox).
 */
function failThenExit(events: WorkerEvents, err: unknown): void {
  events.failed(err instanceof Error ? err : new Error(String(err)));
  setTimeout(() => events.exit(1), 0);
}

/** A worker that could not be made: it fails its start (start() then fails, saying why) and has exited. */
function unmade(id: number, err: unknown): SpawnedWorker {
  const events = new WorkerEvents(id);
  failThenExit(events, err);
  return {
    ready: events.ready,
    onExit: (fn) => events.onExit(fn),
    onError: (fn) => events.onError(fn),
    onMessage: (fn) => events.onMessage(fn),
    send() {},
    terminate: () => events.exited,
  };
}

function webWorker(w: WebWorker, init: WorkerInit, lockName: string): SpawnedWorker {
  const events = new WorkerEvents(init.id);
  let alive = false;
  // Its module ran as far as serving ('loaded'): an error after that is not a failed load (a hostile
  // run: with the worker option, a timer that threw just after serveCalls failed start()).
  let loaded = false;
  let closingByItself = false;
  const exit = (code: number): void => events.exit(code);

  w.addEventListener('message', (e) => {
    const m = e.data as EntryMessage;
    if (m.type === 'loaded') loaded = true;
    else if (m.type === 'alive') {
      alive = true;
      // Granted once the worker's thread is gone and its lock with it. Code 0 for a worker that
      // ended because the domain closed, 1 for anything else (browsers give no exit code).
      void locks()!.request(lockName, () => exit(closingByItself ? 0 : 1));
    } else if (m.type === 'closing') closingByItself = true;
    else events.message(m);
  });
  w.addEventListener('error', (e) => {
    e.preventDefault();
    const err = e.error instanceof Error ? e.error : new Error(`${e.message ?? 'error in worker'}${e.filename ? ` (${e.filename}:${e.lineno})` : ''}`);
    if (!loaded && !alive && events.code === undefined) {
      // The entry never ran (the module failed to load): the worker is useless, end it.
      w.terminate();
      failThenExit(events, err);
      return;
    }
    events.error(err);
  });
  w.addEventListener('messageerror', () => {
    events.error(new Error(`worker ${init.id}: a message could not be deserialized`));
  });
  try {
    w.postMessage({ type: 'init', init, ...(locks() ? { lifeLock: lockName } : {}) } satisfies WebWorkerStart);
  } catch (e) {
    // The start did not travel (a value the runtime cannot clone): the worker would wait for it for
    // ever, and keep the process alive. End it, and fail this agent's start.
    w.terminate();
    failThenExit(events, e);
  }

  return {
    ready: events.ready,
    onExit: (fn) => events.onExit(fn),
    onError: (fn) => events.onError(fn),
    onMessage: (fn) => events.onMessage(fn),
    send(message) {
      if (events.code === undefined) w.postMessage(message);
    },
    async terminate() {
      if (events.code !== undefined) return;
      w.terminate();
      // With the life lock, the exit is reported when the thread is really gone; without it (or
      // before the worker took it) there is nothing to wait for.
      if (!alive) setTimeout(() => exit(1), 0);
      await events.exited;
    },
  };
}
