/**
 * Spawn adapter for Node.js: the agent workers are children of the main thread itself, one thread
 * start each (the guardian adapter, node.ts, pays two in a row: ~70 ms against ~38 ms here).
 *
 * Who completes the calls of a worker that dies (protocol/death.ts), when:
 * - the main thread's event loop runs: its 'exit' event (domain/supervisor.ts);
 * - the worker ends by itself (process.exit(), an uncaught exception, a failed start): the worker,
 *   on its way out (worker/last-words.ts), whoever is blocked;
 * - the main thread is blocked (callSync, a slot wait) and the worker was terminated or killed by
 *   the runtime: the main thread's wait, every WATCH_MS (`ended` below, protocol/wait.ts). Node
 *   delivers a worker's 'exit' only through its parent's event loop, but a worker's handle answers
 *   synchronously whether its thread has stopped: `performance.eventLoopUtilization()` reads the
 *   thread's idle time under the worker's own lock, and a stopped thread has none (idle -1). The
 *   tests (crash-while-blocked) hold this to Node 20 and 24.
 * Left to the event loop: a worker blocked on another worker that was terminated or killed while the
 * main thread runs other code and never blocks; it is told when the main thread's event loop turns.
 *
 * Deno and Bun have no such answer (Bun: not implemented; Deno: no `performance` on a worker): they
 * keep the guardian (server.ts).
 */
import { Worker } from 'node:worker_threads';
import { platform } from './platform.js';
import type { Spawn, SpawnedWorker, WorkerInit } from './spawn.js';
import { WorkerEvents } from './worker-events.js';

/** How often a blocked main thread looks for workers that ended (ms). */
export const WATCH_MS = 20;

/** The first message of a worker started ahead of its init (a spare: `prepareAgents`). */
export interface AgentStart {
  type: 'init';
  init: WorkerInit;
}

/**
 * Workers started ahead of their domain (`prepareAgents`), so that their threads boot while the main
 * thread imports the calls module and lays out the memory; each gets its init as its first message.
 */
let spares: { worker: Worker; execArgv: string[] | undefined }[] = [];

const startWorker = (entry: URL, execArgv: string[] | undefined, init?: WorkerInit): Worker => new Worker(entry, { workerData: init, execArgv });

/** Start `count` agent threads for the next domain now. They hold nothing open: the process may exit meanwhile. */
export function prepareAgents(entry: URL, count: number, execArgv?: string[]): void {
  for (let k = spares.length; k < count; k++) {
    const worker = startWorker(entry, execArgv);
    worker.unref();
    spares.push({ worker, execArgv });
  }
}

/** The prepared threads are not needed after all (the domain failed before its workers): stop them. */
export function discardAgents(): void {
  for (const s of spares) void s.worker.terminate();
  spares = [];
}

function spawnOne(entry: URL, init: WorkerInit, execArgv: string[] | undefined): Worker {
  const k = spares.findIndex((s) => String(s.execArgv) === String(execArgv));
  if (k < 0) return startWorker(entry, execArgv, init);
  const { worker } = spares.splice(k, 1)[0]!;
  worker.postMessage({ type: 'init', init } satisfies AgentStart);
  return worker;
}

export function directWorkers(entry: URL, inits: WorkerInit[], execArgv: string[] | undefined): ReturnType<Spawn> {
  // The workers never hold the process open by themselves (the domain decides when it may exit),
  // except while something is on its way: workers starting, a terminate() awaiting an exit.
  const keepAlive = platform.keepAliveHandle();
  keepAlive.unref();
  let holds = 0;
  const hold = <T>(p: Promise<T>): Promise<T> => {
    if (holds++ === 0) keepAlive.ref();
    const release = (): void => {
      if (--holds === 0) keepAlive.unref();
    };
    p.then(release, release);
    return p;
  };
  const live: DirectWorker[] = [];
  const start = (init: WorkerInit): SpawnedWorker => {
    const w = new DirectWorker(init.id, spawnOne(entry, init, execArgv), hold);
    live.push(w);
    w.events.onExit(() => live.splice(live.indexOf(w), 1));
    void hold(w.events.ready.catch(() => {}));
    return w;
  };
  const workers = inits.map(start);
  return {
    workers,
    respawn: start,
    shutdown() {
      keepAlive.unref();
    },
    hold,
    watch: {
      ended() {
        for (const w of live) if (w.endedUnheard()) return w.id;
        return -1;
      },
      everyMs: WATCH_MS,
    },
  };
}

class DirectWorker implements SpawnedWorker {
  readonly events: WorkerEvents;
  /** The thread's event-loop clock has been read once (the handle caches its start; see `endedUnheard`). */
  private primed = false;
  /** `endedUnheard` has named it. */
  private named = false;

  constructor(
    readonly id: number,
    private readonly w: Worker,
    private readonly hold: <T>(p: Promise<T>) => Promise<T>,
  ) {
    this.events = new WorkerEvents(id);
    w.on('message', (m) => {
      this.events.message(m);
      // Running: read its clock now, while it surely is (a stopped thread's start cannot be read).
      if (!this.primed) {
        const e = w.performance.eventLoopUtilization();
        this.primed = e.idle > 0 || e.active > 0;
      }
    });
    w.on('error', (e) => this.events.error(e));
    w.on('exit', (code) => this.events.exit(code));
    // After the listeners: adding a 'message' listener refs the worker again.
    w.unref();
  }

  /** Has the thread stopped, its exit not yet heard? Once per thread. Synchronous: for a blocked main thread. */
  endedUnheard(): boolean {
    if (this.named || this.events.code !== undefined) return false;
    // Before the handle has read the thread's start, it reports zeros whatever the thread does; a
    // worker that ends before it serves says so itself (last-words.ts).
    if (!this.primed) return false;
    if (this.w.performance.eventLoopUtilization().idle >= 0) return false;
    this.named = true;
    return true;
  }

  get ready(): Promise<void> {
    return this.events.ready;
  }
  onExit(fn: (code: number) => void): void {
    this.events.onExit(fn);
  }
  onError(fn: (err: unknown) => void): void {
    this.events.onError(fn);
  }
  onMessage(fn: Parameters<SpawnedWorker['onMessage']>[0]): void {
    this.events.onMessage(fn);
  }
  send(message: Parameters<SpawnedWorker['send']>[0]): void {
    if (this.events.code === undefined) this.w.postMessage(message);
  }
  async terminate(): Promise<void> {
    if (this.events.code !== undefined) return;
    void this.w.terminate();
    await this.hold(this.events.exited);
  }
}
