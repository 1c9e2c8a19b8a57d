/**
 * The shared-memory side of an event-loop agent's pump (agent/pump.ts runs it from microtasks and
 * tasks): collect results, serve calls, and when idle spin a while (polling, if the core gate lets
 * it), then announce PARKED and hand back the bell value to wait on with `waitAsync`.
 */
import type { Ctx } from './context.js';
import { isClosing } from './close.js';
import { reap } from './pending.js';
import { GATE_ROUNDS_MASK, beginPolling, coreFree, endPolling } from './poll.js';
import { serveOne } from './serve.js';
import { publishStats } from './stats.js';
import { releaseKeptLane } from './kept-lane.js';
import { releaseKeptSlot } from './pool.js';
import { parkEnd, tryPark } from './wait.js';

/** Results of `pumpWork`. */
export const PUMP_IDLE = 0;
export const PUMP_SETTLED = 1;
export const PUMP_SERVED = 2;

/** Collect finished calls, else serve one call. */
export function pumpWork(a: Ctx): number {
  if (reap(a)) {
    if (a.polling) endPolling(a);
    a.idle = 0;
    return PUMP_SETTLED;
  }
  if (serveOne(a)) {
    if (a.polling) endPolling(a);
    a.idle = 0;
    return PUMP_SERVED;
  }
  return PUMP_IDLE;
}

/** Results of `pumpIdle` below zero; zero and above is the bell value to wait on (the agent is PARKED). */
export const PUMP_SPIN = -1;
export const PUMP_AGAIN = -2;
export const PUMP_CLOSED = -3;

/**
 * One idle round (nothing to collect or serve). `mayEnd`: the agent may end once the domain closes
 * and it has nothing pending (workers).
 */
export function pumpIdle(a: Ctx, mayEnd: boolean): number {
  if (a.idle === 0) {
    publishStats(a);
    // Idle: hold no slot for a next call that may be far off (pool.ts).
    releaseKeptSlot(a);
    if (a.coreGate) {
      // Spin (idle, or waiting for results) only where a core is free; else park at once.
      if (!coreFree(a)) a.idle = a.spinRounds;
      else if (a.pendingCount === 0) beginPolling(a);
    }
  } else if (a.coreGate && (a.idle & GATE_ROUNDS_MASK) === 0 && !coreFree(a)) a.idle = a.spinRounds;
  if (a.idle < a.spinRounds) {
    a.idle++;
    return PUMP_SPIN;
  }
  a.idle = 0;
  if (a.polling) endPolling(a);
  if (mayEnd && a.pendingCount === 0 && isClosing(a)) {
    releaseKeptLane(a);
    releaseKeptSlot(a);
    return PUMP_CLOSED;
  }
  const seen = tryPark(a);
  if (seen < 0) return PUMP_AGAIN;
  // Look at closing again, now that PARKED is announced and the bell read: close() stores its flag
  // and then rings, so a close that the look above missed either shows here or rings after the bell
  // was read, and the wait returns at once. Without this look, a close between the two was missed for
  // good: the worker slept, and close() waited its grace period out (a hostile run; the checker's
  // close-queued scenario now asks that every worker ends).
  if (mayEnd && a.pendingCount === 0 && isClosing(a)) {
    parkEnd(a);
    return PUMP_AGAIN;
  }
  return seen;
}
