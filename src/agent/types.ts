/**
 * The public types of an agent: the handle users call through (`start()`'s domain and `here()`), its
 * options and the shapes of what it returns.
 */
import type { CallTable } from '../table.js';

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

/**
 * `callCond`'s predicate: picks agent `id` when its answer is truthy (as `filter` takes it). Its answer
 * cannot be a promise (an async predicate would pick every agent): the type leaves promises out, and
 * one that gets through anyway is refused at run time.
 */
export type CondPredicate = (id: number) => boolean | number | string | null | undefined;

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
  /**
   * `callMany` on every agent of the domain, this one included (the kernel's `on_each_cpu`). Results by
   * agent id; an agent that has exited (and was not restarted) is skipped and its entry is `undefined`.
   */
  onEach<K extends CallName<T>>(name: K, ...args: Args<T, K>): Promise<(Result<T, K> | undefined)[]>;
  /** `onEach`, blocking. */
  onEachSync<K extends CallName<T>>(name: K, ...args: Args<T, K>): (Result<T, K> | undefined)[];
  /**
   * `callMany` on the agents for which `pred(id)` is truthy (`on_each_cpu_cond_mask`). Results in id
   * order. A predicate that returns a promise is refused: it must decide at once.
   */
  callCond<K extends CallName<T>>(pred: CondPredicate, name: K, ...args: Args<T, K>): Promise<Result<T, K>[]>;
  /** `callCond`, blocking. */
  callCondSync<K extends CallName<T>>(pred: CondPredicate, name: K, ...args: Args<T, K>): Result<T, K>[];
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
  /**
   * `callSync` with a deadline: past `timeoutMs` it throws ERR_SMPCALL_TIMEOUT. A call that had not
   * started never runs; one that is running is left to finish and its late result is dropped.
   */
  callSyncWith<K extends CallName<T>>(options: { timeoutMs?: number }, target: number, name: K, ...args: Args<T, K>): Result<T, K>;
  /**
   * A typed proxy of agent `target`: one method per function of the call table, each a `call`:
   * `await domain.agent(1).add(1, 2)`. Made once per agent and kept; a method call costs what `call` costs.
   */
  agent(target: number): AgentProxy<T>;
  /** The blocking form of `agent`: each method is a `callSync` (`domain.agentSync(1).add(1, 2)`). */
  agentSync(target: number): AgentSyncProxy<T>;
  /** A handle whose `call` applies `options`: `domain.with({ timeoutMs: 100 }).call(1, 'slow')`. */
  with(options: CallOptions): {
    /** `call`, with the options of `with` applied. */
    call: AgentHandle<T>['call'];
  };
}

/**
 * An agent's functions as methods (comlink's view of a worker): `await domain.agent(1).add(1, 2)`.
 * A function named `then` is left out (it would make the proxy a promise-like): use `call` for it.
 *
 * @example
 * ```ts
 * const one = domain.agent(1);
 * const sum = await one.add(1, 2); // the same as domain.call(1, 'add', 1, 2)
 * ```
 */
export type AgentProxy<T> = { readonly [K in Exclude<CallName<T>, 'then'>]: (...args: Args<T, K>) => Promise<Result<T, K>> };

/**
 * An agent's functions as blocking methods: `domain.agentSync(1).add(1, 2)` is `domain.callSync(1, 'add', 1, 2)`.
 *
 * @example
 * ```ts
 * const sum = domain.agentSync(1).add(1, 2); // 3, blocking
 * ```
 */
export type AgentSyncProxy<T> = { readonly [K in Exclude<CallName<T>, 'then'>]: (...args: Args<T, K>) => Result<T, K> };

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

