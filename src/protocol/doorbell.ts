/**
 * The doorbell (the kernel's IPI): bump the target's bell word and notify it. Rung only when the
 * target is PARKED; a running or polling agent finds new work on its hot line by itself.
 *
 * Why no wake-up is lost: a sender publishes (inbox CAS / store FILLED / store DONE) and then loads
 * the target's state; a parking agent stores PARKED and then re-checks for work. With SeqCst atomics
 * one of the two loads sees the other's store: either the sender sees PARKED and rings, or the parker
 * sees the work and does not sleep. The parker reads the bell before its re-check, so a ring that lands
 * between the re-check and the wait changes the bell and `wait` returns at once.
 */
import { COLD_BELL, HOT_STATE, PARKED, STAT_RINGS, cold, hot } from '../layout.js';
import type { Ctx } from './context.js';

export function ring(a: Ctx, target: number): void {
  const { mem, L } = a;
  const bell = cold(L, target, COLD_BELL);
  mem.add(bell, 1);
  // Wake every waiter, not one: an event-loop agent can have a pending waitAsync on its bell and,
  // inside callSync, a blocking wait on the same bell at the same time (the checker's mutant
  // notify-one shows the blocked one sleeping forever).
  mem.notify(bell, Infinity);
  a.stats[STAT_RINGS]!++;
}

export function ringIfParked(a: Ctx, target: number): void {
  if (a.mem.load(hot(a.L, target, HOT_STATE)) === PARKED) ring(a, target);
}
