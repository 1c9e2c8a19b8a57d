/**
 * The event-loop pump: every agent serves from its event loop, so timers and promises keep working
 * in workers and on the main thread. The pump runs the protocol's `pumpWork`/`pumpIdle` from a
 * microtask (or a task, now and then), spins a while when idle, then parks with `Atomics.waitAsync`
 * on its bell; a ring resolves that wait and the pump runs again. It also holds the thread's event
 * loop open exactly while a call of ours is awaited (or always, for workers).
 */
import { COLD_BELL, cold } from '../layout.js';
import type { Ctx } from '../protocol/context.js';
import { PUMP_AGAIN, PUMP_CLOSED, PUMP_IDLE, PUMP_SERVED, PUMP_SETTLED, PUMP_SPIN, pumpIdle, pumpWork } from '../protocol/pump.js';
import { parkEnd } from '../protocol/wait.js';
import { ring } from '../protocol/doorbell.js';
import { platform, type KeepAlive } from '../runtime/platform.js';
import type { SpinBudget } from './spin.js';

/** Keep this many microtask pumps in a row at most, then let the event loop run other tasks. */
const MAX_MICRO_PUMPS = 256;
/** Microtask hops an idle pump makes after settling promises, before it spins (see the pump). */
const YIELD_HOPS = 8;
/**
 * Microtask hops the pump makes, after serving an async function, waiting for its result to be
 * written, before it leaves for a task (an async function already settled writes it within a few).
 */
const ASYNC_HOPS = 8;
/** A pump that has been serving this long lets its thread's event loop run before it goes on (ms). */
const MAX_PUMP_MS = 2;

export class Pump {
  private scheduled = false;
  /** Parked in waitAsync (the agent's state is PARKED until the pump runs again). */
  private parked = false;
  /** When it parked (performance.now()). */
  private parkedAt = 0;
  private microPumps = 0;
  private yieldHops = 0;
  private asyncHops = 0;
  private stopped = false;
  private stopWatch: () => void = () => {};
  private alwaysAlive = false;
  private readonly keepAlive: KeepAlive;
  private readonly drainWaiters: (() => void)[] = [];
  private readonly bell: number;
  /** Called when a worker agent sees the domain close and has nothing left to do. */
  onIdleClosed: (() => void) | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly i32: Int32Array,
    /** How long to spin before parking, adapted after each park. */
    private readonly budget: SpinBudget,
    /** The served side: its flag says a served async function started since the pump last looked. */
    private readonly server: { wentAsync: boolean; asyncOpen: number },
    /** The watchdog of awaited calls, given the time (once per pump run, and every `watchEveryMs`). */
    private readonly watch: (now: number) => void,
    private readonly watchEveryMs: number,
    /** Something went wrong while serving that no caller can be told of (the pump never throws). */
    private readonly failed: (e: unknown) => void,
  ) {
    this.keepAlive = platform.keepAliveHandle();
    this.bell = cold(ctx.L, ctx.id, COLD_BELL);
  }

  /** Keep the thread's event loop alive (workers: until the domain closes). */
  holdAlive(on: boolean): void {
    this.alwaysAlive = on;
    this.updateHold();
  }

  /** Hold the process open exactly while someone awaits a call of ours (or always, for workers). */
  updateHold(): void {
    if (this.alwaysAlive || this.ctx.pendingCount - this.ctx.abandonedCount > 0) this.keepAlive.ref();
    else this.keepAlive.unref();
  }

  /** Promises settled or dropped: update the hold, and wake drain waiters once nothing is pending. */
  afterSettle(): void {
    this.updateHold();
    if (this.ctx.pendingCount === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters.splice(0);
      for (const w of waiters) w();
    }
  }

  /** Resolves once no call of this agent is pending. */
  drained(): Promise<void> {
    if (this.ctx.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** An asynchronous call went out. */
  sent(): void {
    this.updateHold();
    this.schedule();
  }

  /**
   * A blocking wait may have parked and unparked this agent (leaving it RUNNING) while the pump was
   * parked in waitAsync: senders would then not ring it. Run the pump again soon; it re-parks properly.
   */
  blocked(): void {
    if (this.parked) this.schedule();
  }

  start(): void {
    // The watchdog of awaited calls runs at every pump run; while the pump is parked, this interval
    // runs it (no timer per park).
    this.stopWatch();
    this.stopWatch = platform.every(() => {
      if (this.ctx.pendingCount > 0) this.watch(performance.now());
    }, this.watchEveryMs);
    this.schedule();
  }

  /** The domain is closed: stop the pump and let the thread's event loop end. */
  stop(): void {
    this.stopWatch();
    this.stopped = true;
    this.alwaysAlive = false;
    this.keepAlive.unref();
    // A parked pump's waitAsync would stay pending for ever (nobody rings a closed domain), and the
    // runtime keeps a pending wait's memory alive: every closed domain of a thread that lives on
    // (the main thread) leaked its buffer, ~10 GiB of address space each for a WebAssembly memory.
    // Ring our own bell as any sender would: the wait resolves, and the pump sees it stopped. (Not
    // wakeIfParked: a retired agent is DEAD by now, not PARKED.)
    if (this.parked) ring(this.ctx, this.ctx.id);
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (++this.microPumps > MAX_MICRO_PUMPS) {
      this.microPumps = 0;
      platform.setImmediate(this.runFromTask);
    } else queueMicrotask(this.run);
  }

  private readonly runFromTask = (): void => {
    this.microPumps = 0;
    this.run();
  };

  private readonly wake = (): void => {
    this.microPumps = 0;
    if (!this.scheduled) {
      this.scheduled = true;
      this.run();
    }
  };

  private readonly run = (): void => {
    this.scheduled = false;
    if (this.stopped) return;
    try {
      this.serve();
    } catch (e) {
      // Serving never throws into the event loop: say what happened, and come back in a later task
      // (not at once, so a fault that repeats cannot spin this thread).
      this.failed(e);
      this.microPumps = MAX_MICRO_PUMPS;
      this.schedule();
    }
  };

  private serve(): void {
    const ctx = this.ctx;
    if (this.parked) {
      this.parked = false;
      parkEnd(ctx);
      this.budget.parkedFor(performance.now() - this.parkedAt);
    }
    ctx.idle = 0;
    let served = 0;
    // The clock costs ~60 ns a read on Node 20, and an awaited call or a served async function runs the
    // pump again within a microtask or two: read it only where needed. The watchdog of awaited calls
    // looks when the pump comes from a task or a wake (every MAX_MICRO_PUMPS runs at least), and its
    // interval covers a parked pump.
    let began = 0;
    if (this.microPumps === 0 && ctx.pendingCount > 0) this.watch(performance.now());
    for (;;) {
      const work = pumpWork(ctx);
      if (work === PUMP_SETTLED) {
        this.afterSettle();
        // Let the settled promises' continuations run (they may send the next call), then come back.
        this.yieldHops = YIELD_HOPS;
        this.schedule();
        return;
      }
      if (work === PUMP_SERVED) {
        // Serving a stream of calls: let the event loop run now and then (timers, I/O), by time,
        // not by count, so a steady caller is not slowed by a task switch every few calls.
        if ((++served & 63) === 0) {
          const now = performance.now();
          if (began === 0) began = now;
          else if (now - began > MAX_PUMP_MS) {
            this.microPumps = MAX_MICRO_PUMPS; // next pump goes through a task, not a microtask
            this.schedule();
            return;
          }
        }
        continue;
      }
      if (work !== PUMP_IDLE) continue;
      // Checked when the agent turns idle (serving resets the idle count), not at every spin round.
      if (ctx.idle === 0) {
        if (this.server.wentAsync) {
          // An async function we serve has started: its continuations (and the write of its result)
          // are microtasks, which cannot run while this loop spins. Hop to the back of the microtask
          // queue a few times: one that had settled already (most do: a parser, a formatter) writes
          // its result meanwhile, and the pump goes on at once. One still waiting after that is
          // waiting for a task (I/O, a timer): leave through a task, which runs every microtask
          // first; then the pump comes back to spin and park as usual, and its park lets the task in.
          this.server.wentAsync = false;
          this.asyncHops = ASYNC_HOPS;
        }
        if (this.asyncHops > 0 && this.server.asyncOpen > 0) {
          // Still open: hop again, or, out of hops, leave through a task.
          if (--this.asyncHops === 0) this.microPumps = MAX_MICRO_PUMPS;
          this.schedule();
          return;
        }
        this.asyncHops = 0;
        // Just settled promises: their continuations may be several microtasks deep (Promise.all, an
        // async function awaiting the call): hop to the back of the microtask queue a few times before
        // spinning, or this spin would hold them back for its whole budget (measured: callMany of one
        // worker took 22 µs awaited, a plain call 1.6 µs).
        if (this.yieldHops > 0) {
          this.yieldHops--;
          this.schedule();
          return;
        }
      }
      const r = pumpIdle(ctx, this.onIdleClosed !== undefined);
      if (r === PUMP_SPIN || r === PUMP_AGAIN) continue;
      if (r === PUMP_CLOSED) {
        this.onIdleClosed!();
        return;
      }
      this.parked = true;
      this.parkedAt = performance.now();
      // The runtime's one wait primitive on the domain's memory: an asynchronous futex wait on our bell.
      // No timeout: a timed waitAsync costs a delayed task and a timer at every park (measured:
      // onEach to 8 workers 25–30% slower); the watchdog has an interval of its own (start()).
      const p = platform.waitAsync(this.i32, this.bell, r);
      if (p === null) {
        this.parked = false;
        parkEnd(ctx);
        continue;
      }
      p.then(this.wake);
      return;
    }
  }
}
