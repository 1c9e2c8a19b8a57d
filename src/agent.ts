/**
 * The agent runtime: one per thread (the main thread, each worker). It is the protocol's `Host`
 * (encoding, running the user's functions, settling promises) and gives users the call methods.
 * Every agent is an event-loop agent: when idle it parks with `Atomics.waitAsync`, so timers and
 * promises keep working in workers; `callSync` blocks with `Atomics.wait` and serves meanwhile.
 */
import {
  COLD_BELL,
  COLD_BUSY_CALL,
  COLD_BUSY_FROM,
  COLD_STATS,
  COLD_STATS_COUNT,
  DEAD,
  EMPTY,
  F_SYNC,
  H_CLOSING,
  HOT_STATE,
  PARKED,
  POLLING,
  RUNNING,
  STATE_NAMES,
  S_CANCELLED,
  S_RESERVED,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_INLINE_BYTE,
  S_INLINE_BYTES,
  S_LEN,
  S_META,
  S_STATE,
  S_STATUS,
  S_TARGET,
  STATUS_ARENA,
  STATUS_GONE,
  STATUS_OK,
  STATUS_THREW,
  X_MAX_ARGS,
  X_DONE,
  X_FREE,
  X_META,
  X_NUMBERS_BYTE,
  X_OWNER,
  X_SPILL,
  X_STATE,
  X_TAGS,
  XT_FALSE,
  XT_NULL,
  XT_NUMBER,
  XT_SPILLED,
  XT_TRUE,
  XT_UNDEFINED,
  arenaByte,
  cold,
  coldByte,
  firstSlot,
  hot,
  hotByte,
  metaArgc,
  metaCallId,
  packMeta,
  slotByte,
  slotWord,
  type Layout,
} from './layout.js';
import { AtomicsMem } from './mem.js';
import { Views } from './codec/views.js';
import { InlineReader, encodeInline } from './codec/inline.js';
import { Payloads } from './codec/payloads.js';
import { SharedBuffers } from './codec/shared-buffers.js';
import { decodeRemoteError, encodableError } from './codec/remote-error.js';
import { SmpcallError, SmpcallTypeError, codes } from './errors.js';
import type { CallEntry, CallTable, CompiledTable } from './table.js';
import { STAT_SLOT_WAITS, expressAgent, isExpress, type Ctx, type Host } from './protocol/context.js';
import { UNTIL_EQUAL, acquireSlot, parkEnd, tryAcquireSlot, tryPark, waitFor } from './protocol/wait.js';
import { callSync as protocolCallSync, releaseCall, sendHeld, tryPostExpress } from './protocol/send.js';
import { finish, serveOne } from './protocol/serve.js';
import { platform } from './runtime/platform.js';
import { enterAgent, runAs, sharedThread } from './current.js';
import { nextStallTimeout, slotCensus, stallReport, type StallReport } from './watchdog.js';
import { ring } from './protocol/doorbell.js';

const defaultStallReporter = (r: StallReport): void => console.warn(r.message);

export interface AgentOptions {
  /** Microseconds an idle or waiting agent spins before it parks. */
  spinUs: number;
  /** A wait longer than this reports a stall (ms). */
  stallMs: number;
  /** A wait for a free slot of the agent's own longer than this fails the call with ERR_SMPCALL_NO_SLOT (ms). */
  slotWaitMs: number;
}

/** Call-name keys of a table whose functions take these arguments. */
/** The names of a call table's functions. */
export type CallName<T> = keyof T & string;
type Fn<T, K extends keyof T> = T[K] extends (...args: infer A) => infer R ? { args: A; result: Awaited<R> } : never;
/**
 * The parameters of call `K` of table `T`, as the caller passes them.
 *
 * @example
 * ```ts
 * type AddArgs = Args<typeof calls, 'add'>; // [a: number, b: number]
 * ```
 */
export type Args<T, K extends keyof T> = Fn<T, K>['args'];
/**
 * What call `K` of table `T` gives back to its caller: an async function's result is unwrapped.
 *
 * @example
 * ```ts
 * type Sum = Result<typeof calls, 'add'>; // number
 * ```
 */
export type Result<T, K extends keyof T> = Fn<T, K>['result'];

/** What every agent can do: the handle `start()` returns (agent 0) and `here()` gives inside a call. */
/**
 * What an agent can do: the domain (agent 0) and `here()` (the agent running a call) both give one.
 *
 * @example
 * ```ts
 * const sum = await domain.call(1, 'add', 1, 2);        // promise
 * const same = domain.callSync(1, 'add', 1, 2);         // blocking
 * domain.post(2, 'log', 'fire and forget');              // returns once queued
 * const all = await domain.onEach('whoami');             // [0, 1, 2]
 * ```
 */
export interface AgentHandle<T extends CallTable = CallTable> {
  /** This agent's id: 0 for the thread that called `start`, 1..n for its workers. */
  readonly id: number;
  /** Number of agents in the domain (main thread included). */
  readonly size: number;
  /** Run `name(...args)` on agent `target`; the promise settles with its result or its error. */
  call<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): Promise<Result<T, K>>;
  /** Run `name(...args)` on agent `target` and block until it returns; serves this agent's own calls meanwhile. */
  callSync<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): Result<T, K>;
  /** Fire and forget: returns once the call is queued; the target frees the slot once it has read the arguments. */
  post<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): void;

  /**
   * Run `name(...args)` on every agent in `targets` (one slot each, all in flight at once; this
   * agent's own share runs here meanwhile). Results come in target order. Rejects with the first
   * error once every target has finished; pass `{ targets, settle: true }` for per-target outcomes.
   */
  callMany<K extends CallName<T>>(targets: readonly number[], name: K, ...args: Args<T, K>): Promise<Result<T, K>[]>;
  /** `callMany` with `{ targets, settle: true }`: one `{ status, value | reason }` per target, never a rejection. */
  callMany<K extends CallName<T>>(targets: ManyOptions, name: K, ...args: Args<T, K>): Promise<Settled<Result<T, K>>[]>;
  /** `callMany`, blocking: throws the first error once every target has finished. */
  callManySync<K extends CallName<T>>(targets: readonly number[], name: K, ...args: Args<T, K>): Result<T, K>[];
  /** `callMany` with `{ targets, settle: true }`, blocking. */
  callManySync<K extends CallName<T>>(targets: ManyOptions, name: K, ...args: Args<T, K>): Settled<Result<T, K>>[];
  /** Fire and forget to every agent in `targets`. */
  postMany<K extends CallName<T>>(targets: readonly number[], name: K, ...args: Args<T, K>): void;
  /** `callMany` on every agent of the domain, this one included (the kernel's `on_each_cpu`). Results by agent id. */
  onEach<K extends CallName<T>>(name: K, ...args: Args<T, K>): Promise<Result<T, K>[]>;
  /** `onEach`, blocking. */
  onEachSync<K extends CallName<T>>(name: K, ...args: Args<T, K>): Result<T, K>[];
  /** `callMany` on the agents for which `pred(id)` is true (`on_each_cpu_cond_mask`). Results in id order. */
  callCond<K extends CallName<T>>(pred: (id: number) => boolean, name: K, ...args: Args<T, K>): Promise<Result<T, K>[]>;
  /** `callCond`, blocking. */
  callCondSync<K extends CallName<T>>(pred: (id: number) => boolean, name: K, ...args: Args<T, K>): Result<T, K>[];
  /**
   * Run on the cheapest agent (`smp_call_function_any`): on a worker, itself; from the main thread,
   * an idle polling worker, else a parked one, else the next worker in turn.
   */
  callAny<K extends CallName<T>>(name: K, ...args: Args<T, K>): Promise<Result<T, K>>;
  /** `callAny`, blocking. */
  callAnySync<K extends CallName<T>>(name: K, ...args: Args<T, K>): Result<T, K>;
  /** Which agent `callAny` would pick right now. */
  pickAny(): number;
  /** `call` with a timeout or an AbortSignal (see CallOptions). */
  callWith<K extends CallName<T>>(options: CallOptions, target: number, name: K, ...args: Args<T, K>): Promise<Result<T, K>>;
  /** A handle whose `call` applies `options`: `domain.with({ timeoutMs: 100 }).call(1, 'slow')`. */
  with(options: CallOptions): {
    /** `call`, with the options of `with` applied. */
    call: AgentHandle<T>['call'];
  };
}

/**
 * Counters of one agent, as `stats()` reads them from shared memory.
 *
 * @example
 * ```ts
 * for (const s of domain.stats()) console.log(s.agent, s.state, s.served, s.freeSlots);
 * ```
 */
export interface AgentStats {
  /** The agent's id. */
  agent: number;
  /** running / polling / parked / dead */
  state: string;
  /** Calls this agent sent (slot path and express lane). */
  sent: number;
  /** Calls this agent ran for others. */
  served: number;
  /** Doorbells this agent rang (targets it had to wake). */
  rings: number;
  /** Times this agent parked. */
  parks: number;
  /** Times this agent had to wait for a free slot of its own. */
  slotWaits: number;
  /** Calls this agent sent through a target's express lane. */
  express: number;
  /** Slots of this agent's pool that are free right now (all of them when it is idle: none leaked). */
  freeSlots: number;
}

/**
 * Options form of `callMany`'s first argument.
 *
 * @example
 * ```ts
 * const outcomes = await domain.callMany({ targets: [1, 2], settle: true }, 'mayFail');
 * for (const o of outcomes) if (o.status === 'rejected') console.warn(o.reason);
 * ```
 */
export interface ManyOptions {
  /** The agents to call, results in this order. */
  targets: readonly number[];
  /** Return per-target outcomes instead of rejecting on the first error. */
  settle: true;
}

/**
 * Options of `callWith` / `with`.
 *
 * @example
 * ```ts
 * await domain.callWith({ timeoutMs: 100 }, 1, 'slow');
 * await domain.with({ signal: AbortSignal.timeout(50) }).call(1, 'slow');
 * ```
 */
export interface CallOptions {
  /** Cancel the call: before it started it never runs; after, the caller is released at once. */
  signal?: AbortSignal;
  /** Give up after this many milliseconds (ERR_SMPCALL_TIMEOUT), with the same rules as `signal`. */
  timeoutMs?: number;
}

function abortError(reason: unknown, name: string): SmpcallError {
  const e = new SmpcallError(codes.ABORTED, `"${name}" was aborted`, {
    cause: reason,
  });
  e.name = 'AbortError';
  return e;
}

/**
 * One target's outcome in a settled `callMany` (like `Promise.allSettled`).
 *
 * @example
 * ```ts
 * const [first] = domain.callManySync({ targets: [1], settle: true }, 'add', 1, 2);
 * if (first.status === 'fulfilled') console.log(first.value);
 * ```
 */
export type Settled<R> =
  | {
      /** The call returned. */
      status: 'fulfilled';
      /** What it returned. */
      value: R;
    }
  | {
      /** The call failed. */
      status: 'rejected';
      /** Why: the remote error (ERR_SMPCALL_REMOTE) or an smpcall error. */
      reason: unknown;
    };

const NO_ARGS: unknown[] = [];
/** Served calls nested deeper than this on one agent may not call out again (each level costs stack). */
const MAX_DEPTH = 256;
/** The argument count travels in 8 bits of the call's metadata. */
const MAX_SENT_ARGS = 255;
/** Keep this many microtask pumps in a row at most, then let the event loop run other tasks. */
const MAX_MICRO_PUMPS = 256;
/** Microtask hops an idle pump makes after settling promises, before it spins (see the pump). */
const YIELD_HOPS = 8;
/** A pump that has been serving this long lets its thread's event loop run before it goes on (ms). */
const MAX_PUMP_MS = 2;

function calibrateSpinRounds(spinUs: number): number {
  if (spinUs <= 0) return 0;
  // One spin round is a handful of Atomics loads; time a few thousand to learn rounds per µs. The
  // fastest of several tries counts: the first runs before the JIT has compiled the loop, and a round
  // timed there is many times slower than the real one (the spin would end far short of spinUs).
  const probe = new Int32Array(new SharedArrayBuffer(64));
  const n = 20000;
  let best = Infinity;
  let sink = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += Atomics.load(probe, i & 7) + Atomics.load(probe, 8) + Atomics.load(probe, 9);
    best = Math.min(best, performance.now() - t0);
  }
  const us = Math.max(best * 1000, 1);
  return Math.max(16, Math.round((spinUs * n) / us / 3) + (sink & 0));
}

export class Agent<T extends CallTable = CallTable> implements Host, AgentHandle<T> {
  readonly id: number;
  readonly size: number;
  readonly L: Layout;
  readonly table: CompiledTable;
  readonly ctx: Ctx;
  readonly views: Views;
  private readonly mem: AtomicsMem;
  private readonly i32: Int32Array;
  private readonly inline: InlineReader;
  readonly payloads: Payloads;
  /** SharedArrayBuffers registered with the domain (`share()`), by id. */
  readonly shared = new SharedBuffers();
  /** A reusable one-value array for results (no allocation per result). */
  private readonly box: unknown[] = [undefined];

  // Registers of the call being taken (incoming) and of the call being sent (outgoing).
  private inId = 0;
  private inFrom = 0;
  private inArgc = 0;
  private inArgs: unknown[] = new Array(8).fill(undefined);
  private outArgs: ArrayLike<unknown> = NO_ARGS;
  private outArgc = 0;
  private outName = '';
  private depth = 0;
  /** Slots held by blocking calls on this agent's stack (callSync, callManySync) right now. */
  private stackHeld = 0;
  /**
   * Blocking many-target calls lower on this agent's stack, each able to collect those of its results
   * that are already DONE and free their slots (see harvestBelow). True while a call waits for a slot.
   */
  private readonly harvesters: (() => boolean)[] = [];
  private slotWanted = false;
  /** Of `stackHeld`, the slots of blocking many-target calls: harvestable, so not a reason for TOO_DEEP. */
  private manyHeld = 0;

  // Async calls this agent awaits: local slot index → settle functions. Preallocated, one per slot.
  private readonly pendingResolve: (((v: unknown) => void) | undefined)[];
  private readonly pendingReject: (((e: unknown) => void) | undefined)[];
  private readonly pendingEntry: (CallEntry | undefined)[];
  private readonly pendingList: Int32Array;
  private pendingCount = 0;
  /** Pending slots whose caller gave up (1): their late result is dropped. */
  private readonly abandoned: Uint8Array;
  private abandonedCount = 0;
  private lastAsyncSlot = EMPTY;

  // Event-loop pump.
  private pumpScheduled = false;
  private parked = false;
  private microPumps = 0;
  /** A served async function started since the pump last went idle (its continuations must get to run). */
  private wentAsync = false;
  private closing = false;
  private stopped = false;
  private readonly drainWaiters: (() => void)[] = [];
  private readonly spinRounds: number;
  /** How long a call may wait for a free slot of this agent's own before it fails with ERR_SMPCALL_NO_SLOT. */
  private readonly slotWaitMs: number;
  /** More agents than cores: idle agents take turns to poll (see the pump). */
  private readonly pollGate: boolean;
  private readonly maxPollers: number;
  /** This agent announced POLLING (idle, spinning in the pump). */
  private polling = false;
  /** Microtask hops the pump still makes before it spins (see the pump). */
  private yieldHops = 0;
  /** Reused argument arrays for calls with 0..4 arguments (see argsOf), and whether each is in use. */
  private readonly scratchArgs: unknown[][] = [
    [],
    [undefined],
    [undefined, undefined],
    [undefined, undefined, undefined],
    [undefined, undefined, undefined, undefined],
  ];
  private readonly scratchBusy = new Uint8Array(5);
  private readonly keepAlive: { ref(): void; unref(): void };
  private alwaysAlive = false;
  /** Told when a call of ours failed because its target died (the domain may be restarting it). */
  onGone: ((agent: number) => void) | undefined;
  /** Where stall reports go (the domain's event on the main thread; forwarded there from workers). */
  onStall: ((r: StallReport) => void) | undefined;
  private readonly stallBegan = new Map<number, number>();
  /** Called when a worker agent sees the domain close and has nothing left to do. */
  onIdleClosed: (() => void) | undefined;

  constructor(buffer: SharedArrayBuffer, L: Layout, id: number, table: CompiledTable, options: AgentOptions) {
    this.id = id;
    this.size = L.agents;
    this.L = L;
    this.table = table;
    this.mem = new AtomicsMem(buffer);
    this.i32 = this.mem.i32;
    this.views = new Views(buffer);
    this.inline = new InlineReader(this.views);
    this.payloads = new Payloads(this.views, L, id, this.shared, () => this.waitForPages());
    this.spinRounds = calibrateSpinRounds(options.spinUs);
    this.slotWaitMs = options.slotWaitMs;
    this.pollGate = L.agents > platform.cores;
    this.maxPollers = Math.max(1, platform.cores - 1);
    const n = L.slotsPerAgent;
    this.pendingResolve = new Array(n).fill(undefined);
    this.pendingReject = new Array(n).fill(undefined);
    this.pendingEntry = new Array(n).fill(undefined);
    this.pendingList = new Int32Array(n);
    this.abandoned = new Uint8Array(n);
    const lastSlot = new Int32Array(L.agents).fill(EMPTY);
    this.ctx = {
      mem: this.mem,
      host: this,
      L,
      id,
      cursor: EMPTY,
      expressBusy: false,
      spinRounds: this.spinRounds,
      parkTimeoutMs: options.stallMs,
      nextFree: 0,
      lastSlot,
      lastSeq: new Int32Array(L.agents),
      stats: new Int32Array(buffer, coldByte(L, id) + 4 * COLD_STATS, COLD_STATS_COUNT),
    };
    this.keepAlive = platform.keepAliveHandle();
  }

  // ---------------------------------------------------------------- public call methods

  // call, callSync and post take their arguments as four named parameters plus a rest for more: a
  // rest parameter alone would allocate an array at every call (measured: ~64 B, a young GC every
  // ~30,000 calls). The named ones land in a reused scratch array (argsOf), so an inline call
  // allocates nothing on the caller's side either.
  call<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): Promise<Result<T, K>>;
  call(target: number, name: CallName<T>, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): Promise<unknown> {
    const args = this.argsOf(arguments.length - 2, a0, a1, a2, a3, more);
    try {
      return this.callArgs(target, name, args);
    } finally {
      this.releaseArgs(args);
    }
  }

  /**
   * The arguments of a call as an array: for up to four, this agent's scratch array for that count,
   * reused from call to call (a fresh array when it is in use: a nested call made while an outer one
   * still reads its arguments, from a codec or a function run locally). `releaseArgs` hands it back.
   */
  private argsOf(argc: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown, more: unknown[]): unknown[] {
    if (argc > 4) return [a0, a1, a2, a3, ...more];
    if (argc < 0) argc = 0; // called with no name: check() refuses it
    let args = this.scratchArgs[argc]!;
    if (this.scratchBusy[argc] === 1) args = new Array(argc);
    else this.scratchBusy[argc] = 1;
    if (argc > 0) args[0] = a0;
    if (argc > 1) args[1] = a1;
    if (argc > 2) args[2] = a2;
    if (argc > 3) args[3] = a3;
    return args;
  }

  /** Done with `args`: a scratch array is emptied (it must not keep the values alive) and freed. */
  private releaseArgs(args: unknown[]): void {
    const argc = args.length;
    if (argc > 4 || args !== this.scratchArgs[argc]) return;
    for (let k = 0; k < argc; k++) args[k] = undefined;
    this.scratchBusy[argc] = 0;
  }

  private callArgs(target: number, name: CallName<T>, args: unknown[]): Promise<unknown> {
    try {
      const entry = this.check(target, name, args);
      if (target === this.id) return this.runLocalAsync(entry, args);
      return this.sendAsync(target, entry, args);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The promise path for one checked call: a slot, settled by `reap` when the target marks it DONE. */
  private sendAsync(target: number, entry: CallEntry, args: ArrayLike<unknown>): Promise<unknown> {
    const ctx = this.ctx;
    const slot = this.takeSlot();
    this.setOut(entry, args);
    sendHeld(ctx, target, packMeta(entry.id, args.length, F_SYNC), slot);
    const promise = new Promise<unknown>((resolve, reject) => {
      const i = slot - firstSlot(this.L, this.id);
      this.pendingResolve[i] = resolve;
      this.pendingReject[i] = reject;
      this.pendingEntry[i] = entry;
      this.pendingList[this.pendingCount++] = i;
    });
    this.lastAsyncSlot = slot;
    this.updateHold();
    this.schedulePump();
    return promise;
  }

  /**
   * `call` with a deadline or an AbortSignal. Cancelled before the target started it, the call never
   * runs; after, the caller is released at once and the late result is dropped when it arrives (its
   * slot is not reused before that, so it can reach no later call).
   */
  callWith<K extends CallName<T>>(options: CallOptions, target: number, name: K, ...args: Args<T, K>): Promise<Result<T, K>> {
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
      return Promise.reject(new SmpcallTypeError(codes.USAGE, `timeoutMs must be a number >= 0, got ${String(timeoutMs)}`));
    }
    if (signal?.aborted) return Promise.reject(abortError(signal.reason, name));
    let entry: CallEntry;
    try {
      entry = this.check(target, name, args);
    } catch (e) {
      return Promise.reject(e);
    }
    if (target === this.id) return this.runLocalAsync(entry, args) as Promise<Result<T, K>>;
    let promise: Promise<unknown>;
    try {
      promise = this.sendAsync(target, entry, args);
    } catch (e) {
      return Promise.reject(e);
    }
    const slot = this.lastAsyncSlot;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => this.cancel(slot, abortError(signal!.reason, name));
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => this.cancel(slot, new SmpcallError(codes.TIMEOUT, `"${name}" on agent ${target} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    promise.then(done, done);
    return promise as Promise<Result<T, K>>;
  }

  /** A handle whose `call` applies these options (`domain.with({ timeoutMs: 100 }).call(...)`). */
  with(options: CallOptions): { call: AgentHandle<T>['call'] } {
    return {
      call: (target, name, ...args) => this.callWith(options, target, name, ...args),
    };
  }

  private cancel(slot: number, reason: Error): void {
    const i = slot - firstSlot(this.L, this.id);
    const reject = this.pendingReject[i];
    if (reject === undefined || this.abandoned[i]) return; // already settled
    const state = Atomics.compareExchange(this.i32, slotWord(this.L, slot, S_STATE), S_FILLED, S_CANCELLED);
    if (state === S_DONE) {
      this.reap(); // finished just in time: the result wins
      return;
    }
    if (state === S_FILLED) {
      // Never started and never will: the target frees the slot when it passes it.
      const k = this.pendingList.indexOf(i);
      this.pendingList[k] = this.pendingList[--this.pendingCount]!;
      this.pendingResolve[i] = this.pendingReject[i] = this.pendingEntry[i] = undefined;
      this.afterSettle();
    } else {
      // Running: release the caller now; reap frees the slot when the late result arrives.
      this.abandoned[i] = 1;
      this.abandonedCount++;
      this.updateHold();
    }
    reject(reason);
  }

  /** Hold the process open exactly while someone awaits a call of ours (or always, for workers). */
  private updateHold(): void {
    if (this.alwaysAlive || this.pendingCount - this.abandonedCount > 0) this.keepAlive.ref();
    else this.keepAlive.unref();
  }

  private afterSettle(): void {
    this.updateHold();
    if (this.pendingCount === 0) {
      const waiters = this.drainWaiters.splice(0);
      for (const w of waiters) w();
    }
  }

  callSync<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): Result<T, K>;
  callSync(target: number, name: CallName<T>, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): unknown {
    const args = this.argsOf(arguments.length - 2, a0, a1, a2, a3, more);
    try {
      return this.callSyncArgs(target, name, args);
    } finally {
      this.releaseArgs(args);
    }
  }

  private callSyncArgs(target: number, name: CallName<T>, args: unknown[]): unknown {
    const entry = this.check(target, name, args);
    if (target === this.id) return this.runLocalSync(entry, args);
    if (!platform.canBlock) {
      throw new SmpcallError(codes.SYNC_UNAVAILABLE, `callSync is impossible on this thread (Atomics.wait is not allowed here); use call()`);
    }
    const ctx = this.ctx;
    this.checkNotStarved(entry);
    const slot = this.takeSlot();
    this.stackHeld++;
    this.setOut(entry, args);
    let place = slot;
    try {
      place = protocolCallSync(ctx, target, packMeta(entry.id, args.length, F_SYNC), slot, this.expressable(args));
      return this.readResult(place, slot, entry, target);
    } finally {
      this.stackHeld--;
      releaseCall(ctx, place, slot);
      this.afterBlocking();
    }
  }

  /**
   * `callSync` with a deadline: past `timeoutMs` it throws ERR_SMPCALL_TIMEOUT. As with `callWith`, a
   * call that had not started never runs; one that is running is left to finish, its late result
   * dropped (its slot is not reused before that). Goes through a slot, never the express lane (a lane
   * must be released by its caller, which is gone by then). Used by smpcall/sync; not (yet) part of
   * `AgentHandle`.
   */
  callSyncWith<K extends CallName<T>>(options: { timeoutMs?: number }, target: number, name: K, ...args: Args<T, K>): Result<T, K> {
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs === undefined) return this.callSync(target, name, ...args);
    if (!(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
      throw new SmpcallTypeError(codes.USAGE, `timeoutMs must be a number >= 0, got ${String(timeoutMs)}`);
    }
    const deadline = performance.now() + timeoutMs;
    const entry = this.check(target, name, args);
    if (target === this.id) return this.runLocalSync(entry, args) as Result<T, K>;
    if (!platform.canBlock) {
      throw new SmpcallError(codes.SYNC_UNAVAILABLE, `callSync is impossible on this thread (Atomics.wait is not allowed here); use call()`);
    }
    const ctx = this.ctx;
    this.checkNotStarved(entry);
    const timeout = (): SmpcallError => new SmpcallError(codes.TIMEOUT, `"${name}" on agent ${target} did not finish within ${timeoutMs} ms`);
    // Every slot busy (with calls abandoned earlier, say): wait for one, but not past the deadline.
    const slot = acquireSlot(ctx, deadline);
    if (slot === EMPTY) throw timeout();
    this.setOut(entry, args);
    sendHeld(ctx, target, packMeta(entry.id, args.length, F_SYNC), slot); // on failure the slot is already free
    this.stackHeld++;
    let ours = true;
    try {
      if (!waitFor(ctx, UNTIL_EQUAL, slotWord(this.L, slot, S_STATE), S_DONE, deadline)) {
        const state = Atomics.compareExchange(this.i32, slotWord(this.L, slot, S_STATE), S_FILLED, S_CANCELLED);
        if (state !== S_DONE) {
          // Not started (CANCELLED now: the target frees the slot when it passes it), or running
          // (reap frees the slot when the late result arrives). Either way the slot is no longer ours.
          ours = false;
          if (state !== S_FILLED) this.abandonSlot(slot, entry);
          throw timeout();
        }
      }
      return this.readResult(slot, slot, entry, target) as Result<T, K>;
    } finally {
      this.stackHeld--;
      if (ours) releaseCall(ctx, slot, slot);
      this.afterBlocking();
    }
  }

  /** A running sync call whose caller gave up: reap drops its result and frees the slot when it is DONE. */
  private abandonSlot(slot: number, entry: CallEntry): void {
    const i = slot - firstSlot(this.L, this.id);
    const ignore = (): void => {};
    this.pendingResolve[i] = ignore;
    this.pendingReject[i] = ignore;
    this.pendingEntry[i] = entry;
    this.pendingList[this.pendingCount++] = i;
    this.abandoned[i] = 1;
    this.abandonedCount++;
    this.updateHold();
    this.schedulePump();
  }

  /**
   * A FREE slot of this agent's own pool, waiting (and serving) while none is. The wait is bounded by
   * `slotWaitMs`: a slot that never comes free is a cycle (say, every slot running async functions on
   * an agent whose event loop is blocked waiting on us), and failing this call unwinds it. Nothing is
   * sent then. Never allocates a fallback slot.
   */
  private takeSlot(): number {
    const ctx = this.ctx;
    let slot = tryAcquireSlot(ctx);
    if (slot !== EMPTY) return slot; // the common case: no clock read, nothing allocated
    // While this waits, reap() collects the finished results of blocking many-target calls below.
    const outer = this.slotWanted;
    this.slotWanted = true;
    try {
      slot = acquireSlot(ctx, performance.now() + this.slotWaitMs);
    } finally {
      this.slotWanted = outer;
    }
    if (slot === EMPTY) {
      throw new SmpcallError(
        codes.NO_SLOT,
        `agent ${this.id} waited ${this.slotWaitMs} ms for a free slot of its own and none came free, so the call was not sent; ${slotCensus(this.L, this.i32, this.table, this.id, this.stackHeld)}`,
      );
    }
    return slot;
  }

  /**
   * Every slot of this agent held by blocking calls further up its own stack: waiting for a free one
   * would wait forever (they finish only after this call does). Say so instead.
   */
  private checkNotStarved(entry: CallEntry): void {
    // Slots of many-target calls below come free once their results are in (harvestBelow).
    if (this.stackHeld - this.manyHeld >= this.L.slotsPerAgent) {
      throw new SmpcallError(
        codes.TOO_DEEP,
        `agent ${this.id} is ${this.stackHeld} blocking calls deep and each holds one of its ${this.L.slotsPerAgent} slots: "${entry.name}" was not sent (raise slotsPerAgent, or nest less)`,
      );
    }
  }

  /**
   * A blocking wait may have parked and unparked this agent (leaving it RUNNING) while its pump was
   * parked in waitAsync: senders would then not ring it. Run the pump again soon; it re-parks properly.
   */
  private afterBlocking(): void {
    if (this.parked) this.schedulePump();
  }

  post<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): void;
  post(target: number, name: CallName<T>, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): void {
    const args = this.argsOf(arguments.length - 2, a0, a1, a2, a3, more);
    try {
      this.postArgs(target, name, args);
    } finally {
      this.releaseArgs(args);
    }
  }

  private postArgs(target: number, name: CallName<T>, args: unknown[]): void {
    const entry = this.check(target, name, args);
    if (target === this.id) {
      this.runLocalPost(entry, args);
      return;
    }
    const ctx = this.ctx;
    const meta = packMeta(entry.id, args.length, 0);
    this.setOut(entry, args);
    if (this.expressable(args) && tryPostExpress(ctx, target, meta)) return;
    const slot = this.takeSlot();
    this.setOut(entry, args);
    sendHeld(ctx, target, meta, slot);
    this.afterBlocking();
  }

  /** Per-agent counters, read from shared memory (any agent's, from any agent). */
  stats(): AgentStats[] {
    const out: AgentStats[] = [];
    for (let a = 0; a < this.L.agents; a++) {
      const base = cold(this.L, a, COLD_STATS);
      const w = (k: number): number => Atomics.load(this.i32, base + k);
      let freeSlots = 0;
      for (let s = firstSlot(this.L, a); s < firstSlot(this.L, a) + this.L.slotsPerAgent; s++) {
        if (Atomics.load(this.i32, slotWord(this.L, s, S_STATE)) === S_FREE) freeSlots++;
      }
      const state = STATE_NAMES[Atomics.load(this.i32, hot(this.L, a, HOT_STATE))] ?? 'corrupt';
      out.push({
        agent: a,
        state,
        sent: w(0),
        served: w(1),
        rings: w(2),
        parks: w(3),
        slotWaits: w(4),
        express: w(5),
        freeSlots,
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- many targets

  /** Validate a target list (all of it, before anything is sent). */
  private checkTargets(targets: unknown): {
    list: readonly number[];
    settle: boolean;
  } {
    let list: unknown = targets;
    let settle = false;
    if (targets !== null && typeof targets === 'object' && !Array.isArray(targets)) {
      list = (targets as ManyOptions).targets;
      settle = (targets as ManyOptions).settle === true;
    }
    if (!Array.isArray(list)) throw new SmpcallTypeError(codes.BAD_TARGET, 'targets must be an array of agent ids (or { targets, settle: true })');
    for (const t of list) {
      if (!Number.isInteger(t) || t < 0 || t >= this.L.agents) {
        throw new SmpcallTypeError(codes.BAD_TARGET, `target ${String(t)} is not an agent of this domain (0..${this.L.agents - 1})`);
      }
    }
    return { list: list as number[], settle };
  }

  callMany(targets: readonly number[] | ManyOptions, name: CallName<T>, ...args: unknown[]): Promise<never[]> {
    try {
      const { list, settle } = this.checkTargets(targets);
      const entry = this.check(list.length ? list[0]! : this.id, name, args);
      for (const t of list) if (t !== this.id) this.checkAlive(t, entry);
      // The same path as single calls: one slot per target; the own share runs here while the others run.
      const promises = list.map((t) => (t === this.id ? null : this.sendAsync(t, entry, args)));
      list.forEach((t, k) => {
        if (t === this.id) promises[k] = this.runLocalAsync(entry, args);
      });
      return (settle ? Promise.allSettled(promises) : Promise.all(promises)) as Promise<never[]>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  callManySync(targets: readonly number[] | ManyOptions, name: CallName<T>, ...args: unknown[]): never[] {
    const { list, settle } = this.checkTargets(targets);
    const entry = this.check(list.length ? list[0]! : this.id, name, args);
    for (const t of list) if (t !== this.id) this.checkAlive(t, entry);
    if (list.some((t) => t !== this.id) && !platform.canBlock) {
      throw new SmpcallError(codes.SYNC_UNAVAILABLE, 'callManySync is impossible on this thread (Atomics.wait is not allowed here); use callMany()');
    }
    const ctx = this.ctx;
    const n = list.length;
    const out: unknown[] = new Array(n);
    const failed: boolean[] = new Array(n).fill(false);
    const held = new Int32Array(n).fill(EMPTY);
    const meta = packMeta(entry.id, args.length, F_SYNC);
    let sent = 0;
    let collected = 0;
    let selfDone = false;
    // Results that are in while a call served further up this stack waits for a slot: collect them
    // from there, so their slots come free (else those slots wait for this frame, which waits for that
    // call: a cycle the torture found with 8 agents and 8 slots).
    /** Read target k's finished result (or error) and give its slot back. */
    const collect = (k: number): void => {
      const slot = held[k]!;
      try {
        out[k] = this.readResult(slot, slot, entry, list[k]!);
      } catch (e) {
        failed[k] = true;
        out[k] = e;
      } finally {
        held[k] = EMPTY;
        this.stackHeld--;
        this.manyHeld--;
        releaseCall(ctx, slot, slot);
      }
    };
    const harvest = (): boolean => {
      let freed = false;
      for (let k = collected; k < sent; k++) {
        const slot = held[k]!;
        if (slot === EMPTY || Atomics.load(this.i32, slotWord(this.L, slot, S_STATE)) !== S_DONE) continue;
        collect(k);
        freed = true;
      }
      return freed;
    };
    this.harvesters.push(harvest);
    try {
      while (collected < n) {
        // Fill the window: as many targets as this agent has free slots (a small pool still works).
        while (sent < n) {
          if (list[sent] === this.id) {
            sent++;
            continue;
          }
          let slot = tryAcquireSlot(ctx);
          if (slot === EMPTY && collected < sent) break; // collect one of ours first; it frees a slot
          try {
            if (slot === EMPTY) {
              this.checkNotStarved(entry);
              slot = this.takeSlot();
            }
            this.stackHeld++;
            this.manyHeld++;
            this.setOut(entry, args);
            try {
              sendHeld(ctx, list[sent]!, meta, slot);
            } catch (e) {
              this.stackHeld--;
              this.manyHeld--;
              throw e;
            }
          } catch (e) {
            if (sent === 0) throw e; // nothing sent yet: refuse the whole call
            // Some targets have their call: this one is told why it has not.
            failed[sent] = true;
            out[sent] = e;
            sent++;
            continue;
          }
          held[sent++] = slot;
        }
        if (!selfDone) {
          selfDone = true;
          for (let k = 0; k < n; k++) {
            if (list[k] !== this.id) continue;
            try {
              out[k] = this.runLocalSync(entry, args);
            } catch (e) {
              failed[k] = true;
              out[k] = e;
            }
          }
        }
        // Collect the oldest call in flight.
        const k = collected++;
        const slot = held[k]!;
        if (slot === EMPTY) continue;
        waitFor(ctx, UNTIL_EQUAL, slotWord(this.L, slot, S_STATE), S_DONE);
        collect(k);
      }
    } finally {
      this.harvesters.pop();
      this.afterBlocking();
    }
    if (settle) return out.map((v, k) => (failed[k] ? { status: 'rejected', reason: v } : { status: 'fulfilled', value: v })) as never[];
    const first = failed.indexOf(true);
    if (first >= 0) throw out[first];
    return out as never[];
  }

  postMany(targets: readonly number[], name: CallName<T>, ...args: unknown[]): void {
    const { list } = this.checkTargets(targets);
    const entry = this.check(list.length ? list[0]! : this.id, name, args);
    for (const t of list) if (t !== this.id) this.checkAlive(t, entry);
    for (const t of list) (this.post as (t: number, n: string, ...a: unknown[]) => void)(t, entry.name, ...args);
  }

  private allIds(pred?: (id: number) => boolean): number[] {
    const ids: number[] = [];
    for (let a = 0; a < this.L.agents; a++) {
      if (Atomics.load(this.i32, hot(this.L, a, HOT_STATE)) === DEAD && a !== this.id) continue;
      if (pred === undefined || pred(a)) ids.push(a);
    }
    return ids;
  }

  onEach(name: CallName<T>, ...args: unknown[]): Promise<never[]> {
    return this.callMany(this.allIds(), name, ...args);
  }

  onEachSync(name: CallName<T>, ...args: unknown[]): never[] {
    return this.callManySync(this.allIds(), name, ...args);
  }

  callCond(pred: (id: number) => boolean, name: CallName<T>, ...args: unknown[]): Promise<never[]> {
    if (typeof pred !== 'function') return Promise.reject(new SmpcallTypeError(codes.BAD_TARGET, 'callCond needs a predicate (id) => boolean'));
    return this.callMany(this.allIds(pred), name, ...args);
  }

  callCondSync(pred: (id: number) => boolean, name: CallName<T>, ...args: unknown[]): never[] {
    if (typeof pred !== 'function') throw new SmpcallTypeError(codes.BAD_TARGET, 'callCond needs a predicate (id) => boolean');
    return this.callManySync(this.allIds(pred), name, ...args);
  }

  private anyTurn = 0;

  pickAny(): number {
    // A worker runs it itself, like the kernel's "this CPU if it is in the mask": no round trip at all.
    if (this.id !== 0 || this.L.agents === 1) return this.id;
    let parked = -1;
    for (let k = 0; k < this.L.agents - 1; k++) {
      const a = 1 + ((this.anyTurn + k) % (this.L.agents - 1));
      const state = Atomics.load(this.i32, hot(this.L, a, HOT_STATE));
      if (state === DEAD) continue;
      if (state !== PARKED && Atomics.load(this.i32, cold(this.L, a, COLD_BUSY_CALL)) === 0) {
        this.anyTurn = a;
        return a; // awake and not running anything: polling, the cheapest to reach
      }
      if (state === PARKED && parked < 0) parked = a;
    }
    if (parked >= 0) return parked;
    this.anyTurn = (this.anyTurn % (this.L.agents - 1)) + 1;
    return this.anyTurn;
  }

  callAny(name: CallName<T>, ...args: unknown[]): Promise<never> {
    return (this.call as (t: number, n: string, ...a: unknown[]) => Promise<never>)(this.pickAny(), name, ...args);
  }

  callAnySync(name: CallName<T>, ...args: unknown[]): never {
    return (this.callSync as (t: number, n: string, ...a: unknown[]) => never)(this.pickAny(), name, ...args);
  }

  private checkAlive(target: number, entry: CallEntry): void {
    if (Atomics.load(this.i32, hot(this.L, target, HOT_STATE)) === DEAD) {
      throw new SmpcallError(codes.AGENT_GONE, `agent ${target} has exited: "${entry.name}" was not sent`);
    }
  }

  // ---------------------------------------------------------------- checks at the caller

  private check(target: number, name: string, args: unknown[]): CallEntry {
    if (args.length > MAX_SENT_ARGS && target !== this.id) {
      throw new SmpcallTypeError(
        codes.ARITY,
        `"${String(name)}" got ${args.length} arguments; a call to another agent carries at most ${MAX_SENT_ARGS} (pass an array)`,
      );
    }
    if (this.depth >= MAX_DEPTH) {
      throw new SmpcallError(
        codes.TOO_DEEP,
        `calls nested ${this.depth} deep on agent ${this.id}: "${String(name)}" was not sent (runaway recursion between agents?)`,
      );
    }
    const entry = this.table.byName.get(name);
    if (entry === undefined) {
      throw new SmpcallTypeError(codes.UNKNOWN_CALL, `unknown call "${String(name)}": the call table has ${this.knownNames()}`);
    }
    if (!Number.isInteger(target) || target < 0 || target >= this.L.agents) {
      throw new SmpcallTypeError(codes.BAD_TARGET, `target ${String(target)} is not an agent of this domain (0..${this.L.agents - 1})`);
    }
    if (args.length < entry.minArgs || args.length > entry.maxArgs) {
      const want =
        entry.maxArgs === Infinity
          ? `at least ${entry.minArgs}`
          : entry.minArgs === entry.maxArgs
            ? `${entry.minArgs}`
            : `${entry.minArgs} to ${entry.maxArgs}`;
      throw new SmpcallTypeError(codes.ARITY, `"${name}" takes ${want} argument(s), got ${args.length}`);
    }
    if (this.closing || Atomics.load(this.i32, H_CLOSING) !== 0) {
      throw new SmpcallError(codes.CLOSED, `the domain is closed: "${name}" was not sent`);
    }
    if (target !== this.id && Atomics.load(this.i32, hot(this.L, target, HOT_STATE)) === DEAD) {
      throw new SmpcallError(codes.AGENT_GONE, `agent ${target} has exited: "${name}" was not sent`);
    }
    return entry;
  }

  private knownNames(): string {
    const names = [...this.table.byName.keys()];
    return names.length <= 12 ? names.map((n) => `"${n}"`).join(', ') : `${names.length} names`;
  }

  private setOut(entry: CallEntry, args: ArrayLike<unknown>): void {
    this.outArgs = args;
    this.outArgc = args.length;
    this.outName = entry.name;
  }

  /** Do the arguments fit the express lane (at most 4 numbers, booleans, null or undefined)? */
  private expressable(args: ArrayLike<unknown>): boolean {
    if (args.length > X_MAX_ARGS) return false;
    for (let i = 0; i < args.length; i++) {
      const x = args[i];
      if (typeof x !== 'number' && typeof x !== 'boolean' && x !== undefined && x !== null) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- Host: encoding

  writeArgs(place: number): void {
    const v = this.views;
    const args = this.outArgs;
    const argc = this.outArgc;
    if (isExpress(place)) {
      const target = expressAgent(place);
      const f = (hotByte(this.L, target) + X_NUMBERS_BYTE) >> 3;
      let tags = 0;
      for (let i = 0; i < argc; i++) {
        const x = args[i];
        let tag = XT_UNDEFINED;
        if (typeof x === 'number') {
          tag = XT_NUMBER;
          v.f64[f + i] = x;
        } else if (x === true) tag = XT_TRUE;
        else if (x === false) tag = XT_FALSE;
        else if (x === null) tag = XT_NULL;
        tags |= tag << (4 * i);
      }
      this.i32[hot(this.L, target, X_TAGS)] = tags;
      return;
    }
    this.payloads.write(place, args, argc, `arguments of "${this.outName}"`);
  }

  /** The big arena is full for now: serve and settle what we can, then sleep a moment and retry. */
  private waitForPages(): void {
    if (serveOne(this.ctx) || this.reap()) return;
    if (!platform.canBlock) throw new SmpcallError(codes.TOO_LARGE, `agent ${this.id}'s big arena is full and this thread cannot wait`);
    const bell = cold(this.L, this.id, COLD_BELL);
    // Not PARKED on purpose: nobody needs to ring; a short timed sleep polls for freed pages.
    Atomics.wait(this.i32, bell, Atomics.load(this.i32, bell), 1);
  }

  take(place: number): void {
    const v = this.views;
    if (isExpress(place)) {
      const meta = this.i32[hot(this.L, this.id, X_META)]!;
      const tags = this.i32[hot(this.L, this.id, X_TAGS)]!;
      const f = (hotByte(this.L, this.id) + X_NUMBERS_BYTE) >> 3;
      this.inId = metaCallId(meta);
      this.inFrom = this.i32[hot(this.L, this.id, X_OWNER)]!;
      const argc = (this.inArgc = metaArgc(meta));
      for (let i = 0; i < argc; i++) {
        const tag = (tags >>> (4 * i)) & 15;
        this.inArgs[i] = tag === XT_NUMBER ? v.f64[f + i] : tag === XT_TRUE ? true : tag === XT_FALSE ? false : tag === XT_NULL ? null : undefined;
      }
      return;
    }
    const meta = this.i32[slotWord(this.L, place, S_META)]!;
    this.inId = metaCallId(meta);
    this.inFrom = (place / this.L.slotsPerAgent) | 0;
    const argc = (this.inArgc = metaArgc(meta));
    if (argc > this.inArgs.length) this.inArgs = new Array(argc);
    this.payloads.read(place, argc, this.inArgs);
  }

  /** Write a sync call's outcome into its place: inline in the lane, in the slot, or in the spill slot. */
  private writeResult(place: number, value: unknown, threw: boolean): void {
    let status = threw ? STATUS_THREW : STATUS_OK;
    let payload = threw ? encodableError(value) : value;
    if (isExpress(place)) {
      const tagWord = hot(this.L, this.id, X_TAGS);
      if (!threw) {
        const f = (hotByte(this.L, this.id) + X_NUMBERS_BYTE) >> 3;
        let tag = -1;
        if (typeof value === 'number') {
          tag = XT_NUMBER;
          this.views.f64[f] = value;
        } else if (value === undefined) tag = XT_UNDEFINED;
        else if (value === null) tag = XT_NULL;
        else if (value === true) tag = XT_TRUE;
        else if (value === false) tag = XT_FALSE;
        if (tag >= 0) {
          this.i32[tagWord] = tag | (STATUS_OK << 8);
          return;
        }
      }
      // Too big for the line: the caller lent us a slot of its own for exactly this.
      const spill = this.i32[hot(this.L, this.id, X_SPILL)]!;
      status = this.writeResultSlot(spill, payload, status);
      this.i32[tagWord] = XT_SPILLED | (status << 8);
      return;
    }
    this.i32[slotWord(this.L, place, S_STATUS)] = this.writeResultSlot(place, payload, status);
  }

  /** Encode a result into a slot. Returns the status to publish. */
  private writeResultSlot(slot: number, payload: unknown, status: number): number {
    const box = this.box;
    box[0] = payload;
    try {
      this.payloads.write(slot, box, 1, `the result of "${this.table.entries[this.inId]!.name}"`);
      return status;
    } catch (e) {
      // The result cannot travel: the caller gets that error instead, never a silent wrong value.
      box[0] = encodableError(e);
      this.payloads.write(slot, box, 1, 'an error');
      return STATUS_THREW;
    } finally {
      box[0] = undefined;
    }
  }

  /** Caller side: decode the outcome of a finished sync call, throwing the remote error if any. */
  private readResult(place: number, slot: number, entry: CallEntry, target: number): unknown {
    let status: number;
    let from = slot;
    if (isExpress(place)) {
      const tags = this.i32[hot(this.L, target, X_TAGS)]!;
      const tag = tags & 15;
      status = tags >>> 8;
      if (status === STATUS_OK && tag !== XT_SPILLED) {
        if (tag === XT_NUMBER) return this.views.f64[(hotByte(this.L, target) + X_NUMBERS_BYTE) >> 3];
        return tag === XT_TRUE ? true : tag === XT_FALSE ? false : tag === XT_NULL ? null : undefined;
      }
    } else {
      from = place;
      status = this.i32[slotWord(this.L, place, S_STATUS)]!;
    }
    if (status & STATUS_GONE) {
      // Big arguments the target never took are still ours to free.
      this.payloads.discard(from);
      this.onGone?.(target);
      throw new SmpcallError(codes.AGENT_GONE, `agent ${target} exited before "${entry.name}" finished`);
    }
    const box = this.box;
    let value: unknown;
    try {
      this.payloads.read(from, 1, box);
      value = box[0];
    } finally {
      box[0] = undefined;
    }
    if (status & STATUS_THREW) throw decodeRemoteError(value, entry.name, target);
    return value;
  }

  // ---------------------------------------------------------------- Host: running calls

  run(place: number, sync: boolean): boolean {
    const entry = this.table.entries[this.inId];
    const from = this.inFrom;
    const busyCall = cold(this.L, this.id, COLD_BUSY_CALL);
    const prevCall = this.i32[busyCall]!;
    const prevFrom = this.i32[busyCall + 1]!;
    this.i32[busyCall] = this.inId + 1;
    this.i32[cold(this.L, this.id, COLD_BUSY_FROM)] = from;
    this.depth++;
    const outer = enterAgent(this as unknown as Agent);
    let result: unknown;
    let threw = false;
    try {
      if (entry === undefined) throw new SmpcallError(codes.MISMATCH, `agent ${this.id} has no call with id ${this.inId}`);
      const a = this.inArgs;
      if (sharedThread()) result = this.runWithContext(entry, a.slice(0, this.inArgc));
      else
        switch (this.inArgc) {
          case 0:
            result = entry.fn();
            break;
          case 1:
            result = entry.fn(a[0]);
            break;
          case 2:
            result = entry.fn(a[0], a[1]);
            break;
          case 3:
            result = entry.fn(a[0], a[1], a[2]);
            break;
          case 4:
            result = entry.fn(a[0], a[1], a[2], a[3]);
            break;
          default:
            result = entry.fn(...a.slice(0, this.inArgc));
        }
    } catch (e) {
      result = e;
      threw = true;
    } finally {
      enterAgent(outer);
      this.depth--;
      this.i32[busyCall] = prevCall;
      this.i32[busyCall + 1] = prevFrom;
    }
    const name = entry?.name ?? `#${this.inId}`;
    if (!sync) {
      if (threw) this.reportPostError(name, from, result);
      else if (isThenable(result)) this.reportWhenRejected(name, from, result);
      return true;
    }
    if (!threw && isThenable(result)) {
      // An async function: the caller keeps waiting; finish when it settles.
      this.wentAsync = true;
      this.finishWhenSettled(place, this.inId, result);
      return false;
    }
    this.writeResult(place, result, threw);
    return true;
  }

  // The closures of a served call live in these helpers, not in run(): a variable of run() captured by
  // a closure would make V8 allocate a context for run() at every call, async or not (measured: ~75 B
  // per served call, the served side's only allocation).

  /** Several agents on this thread: run with here() carried across the function's awaits. */
  private runWithContext(entry: CallEntry, args: unknown[]): unknown {
    return runAs(this as unknown as Agent, () => entry.fn(...args));
  }

  /** An async function was served: write its result and mark the call DONE when it settles. */
  private finishWhenSettled(place: number, id: number, result: PromiseLike<unknown>): void {
    result.then(
      (v) => this.finishLater(place, id, v, false),
      (e) => this.finishLater(place, id, e, true),
    );
  }

  /** A served post returned a promise: report its rejection (nobody waits for it). */
  private reportWhenRejected(name: string, from: number, result: PromiseLike<unknown>): void {
    result.then(undefined, (e: unknown) => this.reportPostError(name, from, e));
  }

  private finishLater(place: number, id: number, value: unknown, threw: boolean): void {
    const saved = this.inId;
    this.inId = id;
    this.writeResult(place, value, threw);
    this.inId = saved;
    finish(this.ctx, place);
  }

  private reportPostError(name: string, from: number, e: unknown): void {
    console.error(`smpcall: post "${name}" from agent ${from} threw on agent ${this.id}:`, e);
  }

  // ---------------------------------------------------------------- calls to self run at once

  // A call to this same agent runs at once, but otherwise exactly like a call to another agent:
  // arguments and result are copied by the codec (so what cannot travel is refused the same way),
  // errors arrive as ERR_SMPCALL_REMOTE, and here() names this agent.

  /** Copy values through the codec; primitives (the common case) need no copy. */
  private copy(values: unknown[], what: string): unknown[] {
    for (let i = 0; i < values.length; i++) {
      const t = typeof values[i];
      if ((t === 'object' && values[i] !== null) || t === 'function' || t === 'symbol') return this.payloads.clone(values, what);
    }
    return values;
  }

  /** Run `fn` as a served call of this agent (here() names it, also after an await). */
  private asServed<R>(fn: () => R): R {
    const outer = enterAgent(this as unknown as Agent);
    try {
      return runAs(this as unknown as Agent, fn);
    } finally {
      enterAgent(outer);
    }
  }

  private localResult(entry: CallEntry, value: unknown): unknown {
    try {
      return this.copy([value], `the result of "${entry.name}"`)[0];
    } catch (e) {
      throw decodeRemoteError(encodableError(e), entry.name, this.id);
    }
  }

  private runLocalSync(entry: CallEntry, args: unknown[]): unknown {
    const copied = this.copy(args, `arguments of "${entry.name}"`);
    let result: unknown;
    try {
      result = this.asServed(() => entry.fn(...copied));
    } catch (e) {
      throw decodeRemoteError(encodableError(e), entry.name, this.id);
    }
    if (isThenable(result)) {
      throw new SmpcallError(codes.USAGE, `callSync to this same agent cannot block on the async function "${entry.name}"; use call()`);
    }
    return this.localResult(entry, result);
  }

  private runLocalAsync(entry: CallEntry, args: unknown[]): Promise<unknown> {
    let copied: unknown[];
    try {
      copied = this.copy(args, `arguments of "${entry.name}"`);
    } catch (e) {
      return Promise.reject(e);
    }
    return (async () => {
      let result: unknown;
      try {
        result = await this.asServed(() => entry.fn(...copied));
      } catch (e) {
        throw decodeRemoteError(encodableError(e), entry.name, this.id);
      }
      return this.localResult(entry, result);
    })();
  }

  private runLocalPost(entry: CallEntry, args: unknown[]): void {
    const copied = this.copy(args, `arguments of "${entry.name}"`);
    try {
      const r = this.asServed(() => entry.fn(...copied));
      if (isThenable(r)) r.then(undefined, (e: unknown) => this.reportPostError(entry.name, this.id, e));
    } catch (e) {
      this.reportPostError(entry.name, this.id, e);
    }
  }

  // ---------------------------------------------------------------- Host: settling async calls

  ready(): boolean {
    const base = firstSlot(this.L, this.id);
    for (let k = 0; k < this.pendingCount; k++) {
      if (Atomics.load(this.i32, slotWord(this.L, base + this.pendingList[k]!, S_STATE)) === S_DONE) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- taking over a dead agent's id

  /** Slots and lanes a dead predecessor left in flight: reclaimed when their calls finish. */
  private orphanSlots: number[] = [];
  private orphanLanes: number[] = [];

  /**
   * Before a restarted thread serves under a dead agent's id: take back the slot pool and the lanes
   * its predecessor left behind. Finished ones are freed now; ones still in flight elsewhere are
   * freed by `reap` once they finish (they are never reused before).
   */
  adoptPredecessor(): void {
    this.i32[cold(this.L, this.id, COLD_BUSY_CALL)] = 0;
    for (let s = firstSlot(this.L, this.id); s < firstSlot(this.L, this.id) + this.L.slotsPerAgent; s++) {
      const state = Atomics.load(this.i32, slotWord(this.L, s, S_STATE));
      if (state === S_DONE) Atomics.store(this.i32, slotWord(this.L, s, S_STATE), S_FREE);
      else if (state !== S_FREE) this.orphanSlots.push(s);
    }
    for (let t = 0; t < this.L.agents; t++) {
      const lane = hot(this.L, t, X_STATE);
      if (this.i32[hot(this.L, t, X_OWNER)] !== this.id) continue;
      const x = Atomics.load(this.i32, lane);
      if (x === X_DONE) Atomics.compareExchange(this.i32, lane, X_DONE, X_FREE);
      else if (x !== X_FREE) this.orphanLanes.push(t);
    }
  }

  private reclaimOrphans(): void {
    this.orphanLanes = this.orphanLanes.filter((t) => {
      const lane = hot(this.L, t, X_STATE);
      if (Atomics.load(this.i32, lane) !== X_DONE) return true;
      Atomics.compareExchange(this.i32, lane, X_DONE, X_FREE);
      return false;
    });
    this.orphanSlots = this.orphanSlots.filter((s) => {
      const word = slotWord(this.L, s, S_STATE);
      const state = Atomics.load(this.i32, word);
      if (state === S_FREE) return false;
      if (state === S_DONE) {
        Atomics.store(this.i32, word, S_FREE);
        return false;
      }
      // A reserved spill slot is free once no lane of ours can still write into it.
      if (state === S_RESERVED && this.orphanLanes.length === 0) {
        Atomics.store(this.i32, word, S_FREE);
        return false;
      }
      return true;
    });
  }

  /** Collect the finished results of blocking many-target calls lower on the stack; true if a slot came free. */
  private harvestBelow(): boolean {
    let freed = false;
    for (let k = this.harvesters.length - 1; k >= 0; k--) if (this.harvesters[k]!()) freed = true;
    return freed;
  }

  reap(): boolean {
    // A call waiting for a slot: results held by blocking frames below may free one.
    if (this.slotWanted && this.harvesters.length > 0 && this.harvestBelow()) return true;
    if (this.orphanSlots.length + this.orphanLanes.length > 0) this.reclaimOrphans();
    if (this.pendingCount === 0) return false;
    const base = firstSlot(this.L, this.id);
    let settled = false;
    for (let k = 0; k < this.pendingCount;) {
      const i = this.pendingList[k]!;
      const slot = base + i;
      if (Atomics.load(this.i32, slotWord(this.L, slot, S_STATE)) !== S_DONE) {
        k++;
        continue;
      }
      const resolve = this.pendingResolve[i]!;
      const reject = this.pendingReject[i]!;
      const entry = this.pendingEntry[i]!;
      this.pendingResolve[i] = this.pendingReject[i] = this.pendingEntry[i] = undefined;
      this.pendingList[k] = this.pendingList[--this.pendingCount]!;
      settled = true;
      if (this.abandoned[i]) {
        // The caller gave up on this one (timeout or abort): drop the late result, free the slot.
        this.abandoned[i] = 0;
        this.abandonedCount--;
        this.payloads.discard(slot);
        releaseCall(this.ctx, slot, slot);
        continue;
      }
      const target = this.i32[slotWord(this.L, slot, S_TARGET)]!;
      try {
        const v = this.readResult(slot, slot, entry, target);
        releaseCall(this.ctx, slot, slot);
        resolve(v);
      } catch (e) {
        releaseCall(this.ctx, slot, slot);
        reject(e);
      }
    }
    if (settled) this.afterSettle();
    return settled;
  }

  stalled(index: number, waitedMs: number, ended: boolean): number {
    // The protocol counts only timed-out parks; measure the real span of a reported stall here.
    const now = performance.now();
    const began = this.stallBegan.get(index) ?? now - waitedMs;
    if (ended) this.stallBegan.delete(index);
    else this.stallBegan.set(index, began);
    const r = stallReport(this.L, this.i32, this.table, this.id, index, Math.round(now - began), ended, this.stackHeld);
    const { targetBusy, ...report } = r;
    try {
      (this.onStall ?? defaultStallReporter)(report);
    } catch (e) {
      console.error('smpcall: a stall listener threw:', e);
    }
    if (ended) return this.ctx.parkTimeoutMs;
    // Ring again, as the kernel re-sends the IPI, unless the target is visibly busy running a call.
    if (report.target >= 0 && !targetBusy) ring(this.ctx, report.target);
    return nextStallTimeout(waitedMs);
  }

  // ---------------------------------------------------------------- event loop

  /** Keep the thread's event loop alive (workers: until the domain closes). */
  holdAlive(on: boolean): void {
    this.alwaysAlive = on;
    this.updateHold();
  }

  /** Begin serving: spin briefly, then park with waitAsync until rung. */
  startServing(): void {
    this.schedulePump();
  }

  /** Stop accepting new calls from this agent. */
  markClosing(): void {
    this.closing = true;
  }

  get pending(): number {
    return this.pendingCount;
  }

  /** Resolves once no async call of this agent is in flight. */
  drained(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** The domain is closed: stop the pump and let the thread's event loop end. */
  stopServing(): void {
    this.stopped = true;
    this.closing = true;
    this.alwaysAlive = false;
    this.keepAlive.unref();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    if (++this.microPumps > MAX_MICRO_PUMPS) {
      this.microPumps = 0;
      platform.setImmediate(this.pumpFromTask);
    } else queueMicrotask(this.pump);
  }

  private readonly pumpFromTask = (): void => {
    this.microPumps = 0;
    this.pump();
  };

  private readonly wake = (): void => {
    this.microPumps = 0;
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      this.pump();
    }
  };

  /** Fewer than cores - 1 other agents poll right now (read from their states: a dead one is not counted). */
  private mayPoll(): boolean {
    let pollers = 0;
    for (let a = 0; a < this.L.agents; a++) {
      if (a !== this.id && Atomics.load(this.i32, hot(this.L, a, HOT_STATE)) === POLLING && ++pollers >= this.maxPollers) return false;
    }
    return true;
  }

  private stopPolling(): void {
    this.polling = false;
    // POLLING -> RUNNING only: a park (PARKED) or death (DEAD) stored meanwhile stays.
    Atomics.compareExchange(this.i32, hot(this.L, this.id, HOT_STATE), POLLING, RUNNING);
  }

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    const ctx = this.ctx;
    if (this.stopped) return;
    if (this.parked) {
      this.parked = false;
      parkEnd(ctx);
    }
    let idle = 0;
    let served = 0;
    const began = performance.now();
    for (;;) {
      if (this.reap()) {
        if (this.polling) this.stopPolling();
        // Let the settled promises' continuations run (they may send the next call), then come back.
        this.yieldHops = YIELD_HOPS;
        this.schedulePump();
        return;
      }
      if (serveOne(ctx)) {
        if (this.polling) this.stopPolling();
        idle = 0;
        // Serving a stream of calls: let the event loop run now and then (timers, I/O), by time,
        // not by count, so a steady caller is not slowed by a task switch every few calls.
        if ((++served & 63) === 0 && performance.now() - began > MAX_PUMP_MS) {
          this.microPumps = MAX_MICRO_PUMPS; // next pump goes through a task, not a microtask
          this.schedulePump();
          return;
        }
        continue;
      }
      if (this.wentAsync) {
        // An async function we serve has started: its continuations (and the write of its result)
        // are microtasks, which cannot run while this loop spins. Leave now; a task boundary runs
        // every microtask first, then the pump comes back to spin and park as usual.
        this.wentAsync = false;
        this.microPumps = MAX_MICRO_PUMPS;
        this.schedulePump();
        return;
      }
      // Just settled promises: their continuations may be several microtasks deep (Promise.all, an
      // async function awaiting the call): hop to the back of the microtask queue a few times before
      // spinning, or this spin would hold them back for its whole budget (measured: callMany of one
      // worker took 22 µs awaited, a plain call 1.6 µs).
      if (idle === 0 && this.yieldHops > 0) {
        this.yieldHops--;
        this.schedulePump();
        return;
      }
      // More agents than cores: an idle agent (nothing to serve, no result awaited) polls only while
      // fewer than cores - 1 others do, else it parks at once. Pollers beyond that would take the cores
      // that callers and busy agents need (measured: calls alternating between two workers on 2 cores
      // took ~30 µs each with both polling). An agent awaiting results spins as a waiter, uncounted.
      if (idle === 0 && this.pollGate && this.pendingCount === 0) {
        if (this.mayPoll()) {
          this.polling = true;
          Atomics.store(this.i32, hot(this.L, this.id, HOT_STATE), POLLING);
        } else idle = this.spinRounds;
      }
      // Idle: spin for the budget (cheap wake-ups for the next call), then park. The budget is counted
      // in rounds (calibrated at start, as in waitFor), not read from the clock: performance.now()
      // returns a fresh heap number, and reading it here made every idle worker allocate (measured:
      // a young GC every ~60,000 calls on the served side).
      if (idle++ < this.spinRounds) continue;
      idle = 0;
      if (this.polling) this.stopPolling();
      if (Atomics.load(this.i32, H_CLOSING) !== 0 && this.pendingCount === 0 && this.onIdleClosed) {
        this.onIdleClosed();
        return;
      }
      const seen = tryPark(ctx);
      if (seen < 0) {
        idle = 0;
        continue;
      }
      this.parked = true;
      const r = platform.waitAsync(this.i32, cold(this.L, this.id, COLD_BELL), seen, this.pendingCount > 0 ? this.ctx.parkTimeoutMs : Infinity);
      if (r === null) {
        this.parked = false;
        parkEnd(ctx);
        idle = 0;
        continue;
      }
      r.then(this.wake);
      return;
    }
  };
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}
