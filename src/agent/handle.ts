/**
 * An agent's public handle: the call methods users see on the domain (agent 0) and through `here()`.
 * Each method checks nothing itself; it hands its arguments, without a rest array for up to four, to
 * the agent's caller part.
 */
import type { Layout } from '../layout.js';
import type { CallTable } from '../table.js';
import { SmpcallTypeError, codes } from '../errors.js';
import type { Caller } from './caller.js';
import type { ManyCalls } from './many.js';
import type { ScratchArgs } from './scratch-args.js';
import type { AgentHandle, AgentProxy, AgentSyncProxy, Args, CallName, CallOptions, CondPredicate, ManyOptions, Result, Settled } from './types.js';

type AnyArgs = unknown[];

/** The parts of an agent its handle calls into. */
export interface HandleTarget {
  readonly id: number;
  readonly L: Layout;
  readonly scratch: ScratchArgs;
  readonly caller: Caller;
  readonly many: ManyCalls;
  /** The call table's names (the proxies' methods). */
  readonly names: readonly string[];
}

type Send = (caller: Caller, target: number, name: string, args: unknown[]) => unknown;
const sendCall: Send = (caller, target, name, args) => caller.call(target, name, args);
const sendCallSync: Send = (caller, target, name, args) => caller.callSync(target, name, args);

/**
 * A proxy object for agent `target`: one plain method per name, made once (no Proxy trap, no function
 * made per call); each takes its arguments like `call` does, without a rest array for up to four.
 */
function makeProxy(agent: HandleTarget, target: number, send: Send): Record<string, (...args: unknown[]) => unknown> {
  const proxy: Record<string, (...args: unknown[]) => unknown> = Object.create(null);
  for (const name of agent.names) {
    // A `then` method would make the proxy a promise-like: `await domain.agent(1)`, or returning it
    // from an async function, would call the remote function and never settle. Reach it with `call`.
    if (name === 'then') continue;
    proxy[name] = function (a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): unknown {
      const args = agent.scratch.take(arguments.length, a0, a1, a2, a3, more);
      try {
        return send(agent.caller, target, name, args);
      } finally {
        agent.scratch.give(args);
      }
    };
  }
  return Object.freeze(proxy);
}

export class Handle<T extends CallTable = CallTable> implements AgentHandle<T> {
  /** The agent's runtime; not part of the public surface. */
  readonly #agent: HandleTarget;
  /** The proxies made so far, by agent id (async, then sync). */
  readonly #proxies: (AgentProxy<T> | undefined)[] = [];
  readonly #syncProxies: (AgentSyncProxy<T> | undefined)[] = [];

  constructor(agent: HandleTarget) {
    this.#agent = agent;
  }

  agent(target: number): AgentProxy<T> {
    this.#checkTarget(target);
    return (this.#proxies[target] ??= makeProxy(this.#agent, target, sendCall) as unknown as AgentProxy<T>);
  }

  agentSync(target: number): AgentSyncProxy<T> {
    this.#checkTarget(target);
    return (this.#syncProxies[target] ??= makeProxy(this.#agent, target, sendCallSync) as unknown as AgentSyncProxy<T>);
  }

  #checkTarget(target: number): void {
    if (!Number.isInteger(target) || target < 0 || target >= this.#agent.L.agents) {
      throw new SmpcallTypeError(codes.BAD_TARGET, `target ${String(target)} is not an agent of this domain (0..${this.#agent.L.agents - 1})`);
    }
  }

  /** This agent's id: 0 for the thread that called `start`, 1..n for its workers. */
  get id(): number {
    return this.#agent.id;
  }

  /** Number of agents in the domain (main thread included). */
  get size(): number {
    return this.#agent.L.agents;
  }

  call<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): Promise<Result<T, K>>;
  call(target: number, name: string, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): Promise<unknown> {
    const agent = this.#agent;
    const args = agent.scratch.take(arguments.length - 2, a0, a1, a2, a3, more);
    try {
      return agent.caller.call(target, name, args);
    } finally {
      agent.scratch.give(args);
    }
  }

  callSync<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): Result<T, K>;
  callSync(target: number, name: string, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): unknown {
    const agent = this.#agent;
    const args = agent.scratch.take(arguments.length - 2, a0, a1, a2, a3, more);
    try {
      return agent.caller.callSync(target, name, args);
    } finally {
      agent.scratch.give(args);
    }
  }

  post<K extends CallName<T>>(target: number, name: K, ...args: Args<T, K>): void;
  post(target: number, name: string, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, ...more: unknown[]): void {
    const agent = this.#agent;
    const args = agent.scratch.take(arguments.length - 2, a0, a1, a2, a3, more);
    try {
      agent.caller.post(target, name, args);
    } finally {
      agent.scratch.give(args);
    }
  }

  callWith<K extends CallName<T>>(options: CallOptions, target: number, name: K, ...args: Args<T, K>): Promise<Result<T, K>> {
    return this.#agent.caller.callWith(options, target, name, args) as Promise<Result<T, K>>;
  }

  callSyncWith<K extends CallName<T>>(options: { timeoutMs?: number }, target: number, name: K, ...args: Args<T, K>): Result<T, K> {
    if (options === null || typeof options !== 'object') throw new SmpcallTypeError(codes.USAGE, `call options must be an object ({ timeoutMs }), got ${String(options)}`);
    if ((options as { signal?: unknown }).signal !== undefined) {
      // Refused rather than ignored: a thread blocked in callSync runs no abort listener.
      throw new SmpcallTypeError(codes.USAGE, 'callSyncWith takes { timeoutMs } only: a thread blocked in callSync cannot see an AbortSignal (use callWith for one)');
    }
    const timeoutMs = options.timeoutMs;
    return this.#agent.caller.callSync(target, name, args, timeoutMs === undefined ? Infinity : timeoutMs) as Result<T, K>;
  }

  with(options: CallOptions): { call: AgentHandle<T>['call'] } {
    return { call: (target, name, ...args) => this.callWith(options, target, name, ...args) };
  }

  callMany<K extends CallName<T>>(targets: readonly number[], name: K, ...args: Args<T, K>): Promise<Result<T, K>[]>;
  callMany<K extends CallName<T>>(targets: ManyOptions, name: K, ...args: Args<T, K>): Promise<Settled<Result<T, K>>[]>;
  callMany(targets: readonly number[] | ManyOptions, name: string, ...args: AnyArgs): Promise<never[]> {
    return this.#agent.many.callMany(targets, name, args) as Promise<never[]>;
  }

  callManySync<K extends CallName<T>>(targets: readonly number[], name: K, ...args: Args<T, K>): Result<T, K>[];
  callManySync<K extends CallName<T>>(targets: ManyOptions, name: K, ...args: Args<T, K>): Settled<Result<T, K>>[];
  callManySync(targets: readonly number[] | ManyOptions, name: string, ...args: AnyArgs): never[] {
    return this.#agent.many.callManySync(targets, name, args) as never[];
  }

  postMany<K extends CallName<T>>(targets: readonly number[], name: K, ...args: Args<T, K>): void {
    this.#agent.many.postMany(targets, name, args);
  }

  onEach<K extends CallName<T>>(name: K, ...args: Args<T, K>): Promise<(Result<T, K> | undefined)[]> {
    return this.#agent.many.callMany(undefined, name, args, true) as Promise<(Result<T, K> | undefined)[]>;
  }

  onEachSync<K extends CallName<T>>(name: K, ...args: Args<T, K>): (Result<T, K> | undefined)[] {
    return this.#agent.many.callManySync(undefined, name, args, true) as (Result<T, K> | undefined)[];
  }

  callCond<K extends CallName<T>>(pred: CondPredicate, name: K, ...args: Args<T, K>): Promise<Result<T, K>[]> {
    const many = this.#agent.many;
    try {
      return many.callMany(many.ids(many.checkPredicate(pred)), name, args) as Promise<Result<T, K>[]>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  callCondSync<K extends CallName<T>>(pred: CondPredicate, name: K, ...args: Args<T, K>): Result<T, K>[] {
    const many = this.#agent.many;
    return many.callManySync(many.ids(many.checkPredicate(pred)), name, args) as Result<T, K>[];
  }

  pickAny(): number {
    return this.#agent.many.pickAny();
  }

  callAny<K extends CallName<T>>(name: K, ...args: Args<T, K>): Promise<Result<T, K>> {
    return this.#agent.caller.call(this.pickAny(), name, args) as Promise<Result<T, K>>;
  }

  callAnySync<K extends CallName<T>>(name: K, ...args: Args<T, K>): Result<T, K> {
    return this.#agent.caller.callSync(this.pickAny(), name, args) as Result<T, K>;
  }
}
