import type { SharedWasmMemory } from './wasm-mem.js';

/** What the domain needs from a runtime to run an agent on a new thread. */
export interface WorkerInit {
  buffer: SharedArrayBuffer;
  /** The WebAssembly memory that owns `buffer`, where one does: the worker's atomics go through it (wasm-mem.ts). */
  memory?: SharedWasmMemory;
  id: number;
  /** URL of the calls module, as a string; '' when the worker's own module has the table (`serveCalls`). */
  calls: string;
  /** The spin budget in rounds, measured on the main thread (a worker's own measure would cost it ~10 ms of its start). */
  spinRounds: number;
  /** The domain's spin in µs, which spinRounds stands for. */
  spinUs: number;
  stallMs: number;
  slotWaitMs: number;
  /** The main thread's call-table signature, to name the difference if this agent's differs. */
  table: string[];
  /** True when this thread takes over the id of an agent that died (restart policy). */
  revive?: boolean;
  /** SharedArrayBuffers registered with the domain so far, by id. */
  shared?: SharedArrayBuffer[];
  /**
   * Name of a Web Lock the worker takes before it becomes the agent and holds until its thread is
   * gone (runtimes whose exit event may come before the thread has stopped: Deno; see server.ts).
   */
  lifeLock?: string;
}

/** Messages from the main thread to a worker's entry. */
export type ParentMessage = { type: 'share'; id: number; buffer: SharedArrayBuffer };

export interface SpawnedWorker {
  /** Resolves when the agent in the worker is serving; rejects if it failed to start. */
  readonly ready: Promise<void>;
  /** Called once when the thread has exited, whatever the reason. */
  onExit(fn: (code: number) => void): void;
  /** Called for an uncaught error in the worker. */
  onError(fn: (err: unknown) => void): void;
  /** Called for each message the worker's entry sends after it is ready (stall reports). */
  onMessage(fn: (m: EntryMessage) => void): void;
  /** Send a message to the worker's entry. */
  send(m: ParentMessage): void;
  terminate(): Promise<void>;
}

/** A runtime's workers for one domain. */
export interface WorkerGroup {
  /** One handle per init passed to `Spawn`, in the same order. */
  readonly workers: SpawnedWorker[];
  /** Start a replacement thread for an agent whose thread exited. */
  respawn(init: WorkerInit): SpawnedWorker;
  /** No more threads will be started: let the supervising machinery end. */
  shutdown(): void;
  /** Keep the process alive until `p` settles (a restart on its way). */
  hold<T>(p: Promise<T>): Promise<T>;
  /**
   * Where this thread is the only one told of the workers' exits (their parent) but can tell
   * synchronously whether one has ended: a blocked wait asks every `everyMs` (protocol `Host.exited`).
   */
  watch?: { ended(): number; everyMs: number };
}

/**
 * Start one worker per init (agent ids in order), each with the module `entry`; or, where the app
 * makes its workers itself (start()'s `worker` option, browsers only), each with `make(id)`.
 */
export type Spawn = (entry: URL, inits: WorkerInit[], make?: (id: number) => unknown) => WorkerGroup;

/** Messages from a worker's entry to its parent (startup only; calls never use messages). */
export type EntryMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string; stack?: string; code?: string }
  | { type: 'stall'; report: import('../stall-report.js').StallReport }
  | { type: 'error'; report: import('../error-report.js').ErrorReport }
  | { type: 'shared'; id: number }
  // Web Workers only (worker/web-entry.ts): its module ran as far as serving (an uncaught error after
  // this is not a module that failed to load); the life lock is held; the thread is ending by itself.
  | { type: 'loaded' }
  | { type: 'alive' }
  | { type: 'closing' };

/** The first message a Web Worker agent gets (it has no workerData). */
export interface WebWorkerStart {
  type: 'init';
  init: WorkerInit;
  /** Name of the Web Lock the worker holds for its whole life, if the runtime has Web Locks. */
  lifeLock?: string;
}
