/**
 * What the protocol needs from the agent it runs on: its shared memory (`Mem`), its layout, its id,
 * a few words of private state, and a `Host` for everything that is not shared-memory orchestration
 * (encoding arguments, running the user's function, settling promises).
 *
 * Everything in `src/protocol/` is plain synchronous code over `ctx.mem` and `ctx.host`, and calls to
 * other protocol functions. The model checker compiles a generator twin of these files in which every
 * `mem.*`, `host.*` and protocol call becomes a `yield*`, so the checked code is this code.
 * Rules that keep the twin honest: reach shared memory only as `mem.op(...)`, the host only as
 * `host.op(...)`, and never pass either into a callback.
 */
import type { Mem } from '../mem.js';
import type { Layout } from '../layout.js';

/**
 * A place holds one call: a slot (its global index, >= 0) or an agent's express lane (-2 - agent).
 */
export const expressPlace = (agent: number): number => -2 - agent;
export const isExpress = (place: number): boolean => place <= -2;
export const expressAgent = (place: number): number => -2 - place;

export interface Host {
  /** Copy the call held in `place` (id and arguments) into the agent's private registers. */
  take(place: number): void;
  /**
   * Run the call last taken. For a sync call write its result (or error) into `place` and return
   * true; return false when it completes later (an async function), and call `finish` then.
   */
  run(place: number, sync: boolean): boolean;
  /** Write the outgoing call's arguments (set by the runtime before the protocol call) into `place`. */
  writeArgs(place: number): void;
  /** Event-loop agents: settle the caller side of async calls whose slots are DONE; true if any. */
  reap(): boolean;
  /** Event-loop agents: is a pending async call DONE (a reason not to park)? */
  ready(): boolean;
  /**
   * Stall watchdog: a wait on word `index` has lasted `waitedMs` (parks timed out). Report it and
   * return the next park timeout in ms. Called once more with `ended` true when that wait ends.
   */
  stalled(index: number, waitedMs: number, ended: boolean): number;
}

/** Statistics words, counted by the agent itself (a view on its cold line in production). */
export const STAT_SENT = 0;
export const STAT_SERVED = 1;
export const STAT_RINGS = 2;
export const STAT_PARKS = 3;
export const STAT_SLOT_WAITS = 4;
export const STAT_EXPRESS = 5;

export interface Ctx {
  readonly mem: Mem;
  readonly host: Host;
  readonly L: Layout;
  readonly id: number;
  /** The rest of the inbox batch being served (already in call order), EMPTY when none. */
  cursor: number;
  /** True while this agent runs a sync call taken from its own express lane. */
  expressBusy: boolean;
  /** Idle rounds to spin before parking (tiny under the checker). */
  spinRounds: number;
  /** Park timeout: how long one Atomics.wait may sleep before the watchdog looks (ms). */
  parkTimeoutMs: number;
  /** Round-robin cursor into this agent's own slot pool. */
  nextFree: number;
  /** Per target: the last slot this agent sent there and its sequence number (for call order). */
  readonly lastSlot: Int32Array;
  readonly lastSeq: Int32Array;
  /** Statistics counters (plain, private writes). */
  readonly stats: Int32Array;
}
