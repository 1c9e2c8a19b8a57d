/**
 * Looking at other agents without changing anything: their state, what they run, their queues and
 * counters, where a caller's slots are. Used for decisions that only pick among correct options
 * (`callAny`), early refusals (a call to a DEAD agent fails before it is sent; the send path still
 * handles a death that comes later) and diagnostics (the stall watchdog, `stats()`).
 */
import {
  EMPTY,
  H_CLEAN_LOCK,
  COLD_BUSY_CALL,
  COLD_BUSY_FROM,
  COLD_STATS,
  DEAD,
  HOT_STATE,
  S_FREE,
  S_META,
  S_STATE,
  S_TARGET,
  X_META,
  cold,
  firstSlot,
  hot,
  lockHolder,
  metaCallId,
  slotWord,
} from '../layout.js';
import type { Ctx } from './context.js';
import { inboxHolds } from './inbox.js';

/** How many times (a millisecond apart) an exit's handling asks cleanupLockedByOther before it takes the lock anyway. */
export const LOCKED_EXIT_TRIES = 200;

/**
 * Is the cleanup lock (lock.ts) held by an agent other than `dead`, right now? A thread about to
 * complete `dead`'s calls from its event loop asks first: the holder may be another agent that died
 * in a cleanup of its own, whose exit this thread has not heard yet. Taking the lock would then spin
 * until the lock's limit (10 s, the thread frozen), since only that agent's own cleanup takes its hold
 * over; waiting a moment in the event loop lets its exit come first.
 */
export function cleanupLockedByOther(a: Ctx, dead: number): boolean {
  const v = a.mem.load(H_CLEAN_LOCK);
  return v !== 0 && lockHolder(v) !== dead;
}

/** RUNNING / POLLING / PARKED / DEAD of agent `t`. */
export function agentState(a: Ctx, t: number): number {
  return a.mem.load(hot(a.L, t, HOT_STATE));
}

export function isDead(a: Ctx, t: number): boolean {
  return a.mem.load(hot(a.L, t, HOT_STATE)) === DEAD;
}

/** The call id + 1 agent `t` runs right now (0: none). */
export function busyCall(a: Ctx, t: number): number {
  return a.mem.load(cold(a.L, t, COLD_BUSY_CALL));
}

/** The caller of the call agent `t` runs right now. */
export function busyFrom(a: Ctx, t: number): number {
  return a.mem.load(cold(a.L, t, COLD_BUSY_FROM));
}

/** Has agent `t` calls queued on its inbox? */
export function inboxQueued(a: Ctx, t: number): boolean {
  return inboxHolds(a, t);
}

/** Statistic `k` (STAT_*) agent `t` last published. */
export function statOf(a: Ctx, t: number, k: number): number {
  return a.mem.load(cold(a.L, t, COLD_STATS + k));
}

/** S_* state of a slot. */
export function slotState(a: Ctx, slot: number): number {
  return a.mem.load(slotWord(a.L, slot, S_STATE));
}

/** The agent a slot was last sent to. */
export function slotTarget(a: Ctx, slot: number): number {
  return a.mem.load(slotWord(a.L, slot, S_TARGET));
}

/** The call id a slot last carried. */
export function slotCallId(a: Ctx, slot: number): number {
  return metaCallId(a.mem.load(slotWord(a.L, slot, S_META)));
}

/** The call id agent `t`'s lane last carried. */
export function laneCallId(a: Ctx, t: number): number {
  return metaCallId(a.mem.load(hot(a.L, t, X_META)));
}

/**
 * How many slots of agent `t`'s pool are FREE now. Asked of this agent itself, the slot it keeps for
 * its next call (pool.ts) counts as free: it is, for that agent. Another agent's kept slot counts as
 * held until it gives it back (when it parks, goes idle or finishes serving a call).
 */
export function freeSlots(a: Ctx, t: number): number {
  let n = t === a.id && a.keptSlot !== EMPTY ? 1 : 0;
  const base = firstSlot(a.L, t);
  for (let s = base; s < base + a.L.slotsPerAgent; s++) if (a.mem.load(slotWord(a.L, s, S_STATE)) === S_FREE) n++;
  return n;
}
