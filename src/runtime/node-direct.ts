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
 *   delivers a worker's 'exit' only through its parent's event loop, but a worker's native handle
 *   answers synchronously whether its thread has stopped: its event-loop idle time, read under the
 *   worker's own lock, is -1 once the thread has stopped (and before it has started: so the worker
 *   first says it started, on a port of its own that this thread reads without its event loop,
 *   `receiveMessageOnPort`). `performance.eventLoopUtilization()` reads the same, but only after this
 *   thread's event loop has seen the worker come online: a worker restarted, then terminated, while
 *   this thread blocked, would go unseen (found by the fault-injection test: a hang, 1 run in 4). So
 *   the handle is read directly; where it cannot be found, the public call is used once it answers.
 *   The tests (death-while-blocked, fault-injection) hold this to Node 20 and 24.
 * Left to the event loop: a worker blocked on another worker that was terminated or killed while the
 * main thread runs other code and never blocks; it is told when the main thread's event loop turns.
 *
 * Deno and Bun have no such answer (Bun: not implemented; Deno: no `performance` on a worker): they
 * keep the guardian (server.ts).
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { countedHold } from './hold.js';
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

/** A direct worker's workerData: its init (none for a spare), and the port it says it started on. */
export interface DirectStart {
  direct: true;
  init?: WorkerInit;
  started: MessagePort;
}

/**
 * Workers started ahead of their domain (`prepareAgents`), so that their threads boot while the main
 * thread imports the calls module and lays out the memory; each gets its init as its first message.
 */
let spares: { thread: Thread; execArgv: string[] | undefined }[] = [];

/** A worker thread and the port it says it started on. */
interface Thread {
  worker: Worker;
  started: MessagePort;
}

function startThread(entry: URL, execArgv: string[] | undefined, init?: WorkerInit): Thread {
  const { port1, port2 } = new MessageChannel();
  const workerData: DirectStart = { direct: true, started: port2, ...(init ? { init } : {}) };
  const worker = new Worker(entry, { workerData, transferList: [port2], execArgv });
  // Read only with receiveMessageOnPort: it must not hold the process open.
  port1.unref();
  return { worker, started: port1 };
}

/** Start `count` agent threads for the next domain now. They hold nothing open: the process may exit meanwhile. */
export function prepareAgents(entry: URL, count: number, execArgv?: string[]): void {
  for (let k = spares.length; k < count; k++) {
    const thread = startThread(entry, execArgv);
    thread.worker.unref();
    spares.push({ thread, execArgv });
  }
}

/** The prepared threads are not needed after all (the domain failed before its workers): stop them. */
export function discardAgents(): void {
  for (const s of spares) {
    void s.thread.worker.terminate();
    s.thread.started.close();
  }
  spares = [];
}

function spawnOne(entry: URL, init: WorkerInit, execArgv: string[] | undefined): Thread {
  const k = spares.findIndex((s) => String(s.execArgv) === String(execArgv));
  if (k < 0) return startThread(entry, execArgv, init);
  const { thread } = spares.splice(k, 1)[0]!;
  thread.worker.postMessage({ type: 'init', init } satisfies AgentStart);
  return thread;
}

/** The worker's native handle (Node's own, behind a symbol), if this Node has it where expected. */
function nativeHandle(w: Worker): { loopIdleTime(): number } | undefined {
  const key = Object.getOwnPropertySymbols(w).find((k) => k.description === 'kHandle');
  const h = key === undefined ? undefined : (w as unknown as Record<symbol, unknown>)[key];
  return typeof (h as { loopIdleTime?: unknown } | undefined)?.loopIdleTime === 'function' ? (h as { loopIdleTime(): number }) : undefined;
}

export function directWorkers(entry: URL, inits: WorkerInit[], execArgv: string[] | undefined): ReturnType<Spawn> {
  // The workers never hold the process open by themselves (each is unref'd): this handle does, while
  // something is on its way.
  const keepAlive = platform.keepAliveHandle();
  keepAlive.unref();
  const hold = countedHold(keepAlive);
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
  private readonly w: Worker;
  private readonly started: MessagePort;
  private readonly handle: { loopIdleTime(): number } | undefined;
  /** The worker has said it started: its thread's idle time is now -1 only once it has stopped. */
  private running = false;
  /** The public event-loop clock has been read once, while the thread surely ran (it caches its start). */
  private primed = false;
  /** `endedUnheard` has named it. */
  private named = false;

  constructor(
    readonly id: number,
    thread: Thread,
    private readonly hold: <T>(p: Promise<T>) => Promise<T>,
  ) {
    this.events = new WorkerEvents(id);
    const w = (this.w = thread.worker);
    this.started = thread.started;
    this.handle = nativeHandle(w);
    w.on('message', (m) => {
      this.events.message(m);
      // Without the native handle: read the public clock now, while the thread surely runs (a
      // stopped thread's start cannot be read).
      if (!this.primed && this.handle === undefined) {
        const e = w.performance.eventLoopUtilization();
        this.primed = e.idle > 0 || e.active > 0;
      }
    });
    w.on('error', (e) => this.events.error(e));
    w.on('exit', (code) => {
      this.started.close();
      this.events.exit(code);
    });
    // After the listeners: adding a 'message' listener refs the worker again.
    w.unref();
  }

  /** Has the thread stopped, its exit not yet heard? Once per thread. Synchronous: for a blocked main thread. */
  endedUnheard(): boolean {
    if (this.named || this.events.code !== undefined) return false;
    if (!this.running) this.running = receiveMessageOnPort(this.started) !== undefined;
    if (!this.running) return false;
    if (this.handle !== undefined) {
      if (this.handle.loopIdleTime() !== -1) return false;
    } else if (!this.primed || this.w.performance.eventLoopUtilization().idle >= 0) return false;
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
