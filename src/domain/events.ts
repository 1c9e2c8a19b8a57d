/**
 * The domain's events (`domain.on(event, listener)`): a listener that throws is reported and never
 * breaks the domain or the other listeners.
 */
import { SmpcallError, codes } from '../errors.js';
import type { StallReport } from '../stall-report.js';
import type { ErrorReport } from '../error-report.js';

/**
 * The events of `domain.on(event, listener)`.
 *
 * @example
 * ```ts
 * domain.on('stall', (r) => log.warn(r.message));
 * domain.on('restart', (e) => log.info(`agent ${e.agent} restarted (${e.restarts})`));
 * ```
 */
export interface DomainEvents {
  /** A stall watchdog report, from any agent. */
  stall: StallReport;
  /** An agent's thread exited. */
  exit: {
    /** The agent whose thread exited. */
    agent: number;
    /** Its exit code. */
    code: number;
    /** True during close(): not a crash. */
    expected: boolean;
    /** True when the restart policy replaces it. */
    restarting: boolean;
  };
  /** A failure no caller can receive: a post that threw, corrupt shared memory. */
  error: ErrorReport;
  /** A replacement thread for `agent` is serving (restart policy). */
  restart: {
    /** The agent id the fresh thread took over. */
    agent: number;
    /** How many times this agent was restarted so far. */
    restarts: number;
  };
}

export type EventName = keyof DomainEvents;
type Listener<E extends EventName> = (e: DomainEvents[E]) => void;

export class Events {
  private readonly listeners: { [E in EventName]: Set<Listener<E>> } = { stall: new Set(), exit: new Set(), restart: new Set(), error: new Set() };

  on<E extends EventName>(event: E, fn: Listener<E>): void {
    if (typeof event !== 'string' || !Object.hasOwn(this.listeners, event)) {
      throw new SmpcallError(codes.USAGE, `unknown domain event "${String(event)}" (known: stall, exit, restart, error)`);
    }
    if (typeof fn !== 'function') throw new SmpcallError(codes.USAGE, `domain.on('${event}', listener): the listener must be a function`);
    this.listeners[event].add(fn);
  }

  off<E extends EventName>(event: E, fn: Listener<E>): void {
    if (typeof event === 'string' && Object.hasOwn(this.listeners, event)) this.listeners[event].delete(fn);
  }

  has(event: EventName): boolean {
    return this.listeners[event].size > 0;
  }

  emit<E extends EventName>(event: E, e: DomainEvents[E]): void {
    for (const fn of this.listeners[event]) {
      try {
        fn(e);
      } catch (err) {
        console.error(`smpcall: a '${event}' listener threw:`, err);
      }
    }
  }

  /** A failure nobody could be told of: to the listeners, or printed when nobody listens. */
  error(r: ErrorReport): void {
    if (this.has('error')) this.emit('error', r);
    else console.error(r.message, r.error ?? '');
  }

  /** A stall report: to the listeners, or as a warning when nobody listens. */
  stall(r: StallReport): void {
    if (this.has('stall')) this.emit('stall', r);
    else console.warn(r.message);
  }
}
