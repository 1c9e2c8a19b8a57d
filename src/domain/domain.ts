/**
 * The domain: agent 0's handle (the thread that called `start`), composed with the supervisor that
 * owns the workers' lifecycle.
 */
import { Handle } from '../agent/handle.js';
import type { Agent } from '../agent/index.js';
import type { AgentStats } from '../agent/types.js';
import type { CallTable } from '../table.js';
import type { DomainEvents, Events } from './events.js';
import type { Supervisor } from './supervisor.js';

/**
 * The domain: agent 0's handle (the thread that called `start`), plus lifecycle.
 *
 * @example
 * ```ts
 * await using domain = await start<typeof calls>({ workers: 2, calls: url });
 * domain.on('exit', (e) => console.log(`agent ${e.agent} exited with ${e.code}`));
 * console.log(domain.callSync(1, 'add', 1, 2));
 * ```
 */
export class Domain<T extends CallTable = CallTable> extends Handle<T> {
  /** Number of worker agents. */
  readonly workers: number;
  readonly #agent: Agent;
  readonly #supervisor: Supervisor;
  readonly #events: Events;

  /** @internal Made by `start()`. */
  constructor(agent: Agent, supervisor: Supervisor, events: Events) {
    super(agent);
    this.#agent = agent;
    this.#supervisor = supervisor;
    this.#events = events;
    this.workers = agent.L.agents - 1;
    // The buffer, for diagnostics and tests (not part of the API): under a registered symbol, not enumerable.
    Object.defineProperty(this, Symbol.for('smpcall.buffer'), { value: agent.buffer });
  }

  /** Per-agent counters: calls sent and served, doorbells rung, parks, waits for a free slot, express-lane sends. */
  stats(): AgentStats[] {
    return this.#agent.stats();
  }

  /**
   * Register a SharedArrayBuffer with every agent, once: afterwards a view of it (or the buffer
   * itself) travels by reference and arrives as a view of the same memory, whatever its size.
   */
  share(buffer: SharedArrayBuffer): Promise<void> {
    return this.#supervisor.share(buffer);
  }

  /**
   * Stop one worker's thread at once (a stuck agent, or a test of crash safety). Its calls in flight
   * fail with ERR_SMPCALL_AGENT_GONE; with a restart policy a fresh thread takes over its id.
   */
  terminate(agent: number): Promise<void> {
    return this.#supervisor.terminate(agent);
  }

  /** Stop accepting calls, let every queued call run or fail, then stop the workers. Safe to call twice. */
  close(): Promise<void> {
    return this.#supervisor.close();
  }

  /** `close()`, for `await using domain = await start(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Listen to domain events: `'stall'` (a stall watchdog report from any agent; while a listener is
   * registered the default `console.warn` is skipped), `'exit'` (an agent's worker exited),
   * `'restart'` (a replacement thread serves) and `'error'` (a failure no caller can receive: a post
   * that threw, corrupt shared memory; printed while nobody listens).
   */
  on<E extends keyof DomainEvents>(event: E, listener: (e: DomainEvents[E]) => void): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Stop listening (the same listener passed to `on`). */
  off<E extends keyof DomainEvents>(event: E, listener: (e: DomainEvents[E]) => void): this {
    this.#events.off(event, listener);
    return this;
  }
}


