/**
 * The doorbell (the kernel's IPI): bump the target's bell word and notify it. Rung only when the
 * target is PARKED; a running or polling agent finds new work on its hot line by itself.
 *
 * Why no wake-up is lost: a sender publishes (inbox CAS / store FILLED / store DONE) and then loads
 * the target's state; a parking agent stores PARKED and then re-checks for work. With SeqCst atomics
 * one of the two loads sees the other's store: either the sender sees PARKED and rings, or the parker
 * sees the work and does not sleep. The parker reads the bell before it stores PARKED, so a ring that
 * lands anywhere after that (before or after its re-check) changes the bell and `wait` returns at once.
 *
 * The sender that rings first marks the target awake (PARKED → RUNNING by CAS) before it rings, as
 * the kernel's `send_call_function_single_ipi` skips the IPI for a CPU already told. Other senders
 * then see RUNNING and do not ring again, and the core gate (poll.ts) counts the target as awake the
 * moment it is woken, not only once its thread runs. Nothing is lost: every sender published before
 * it loaded the state, so the one ring wakes the target into a scan that finds every such call, and
 * any later park re-checks after storing PARKED. A ringer that dies between its CAS and its ring
 * leaves a sleeping agent marked RUNNING: the death flush rings every agent, not only parked ones.
 */
import { COLD_BELL, HOT_STATE, PARKED, RUNNING, STAT_RINGS, cold, hot } from '../layout.js';
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

/** Wake `target`, seen PARKED, unless another sender has woken it meanwhile (see above). */
export function wakeParked(a: Ctx, target: number): void {
  if (a.mem.cas(hot(a.L, target, HOT_STATE), PARKED, RUNNING) === PARKED) ring(a, target);
}

export function ringIfParked(a: Ctx, target: number): void {
  // The load first: the CAS would take the target's hot line exclusively even when it is awake.
  if (a.mem.load(hot(a.L, target, HOT_STATE)) === PARKED) wakeParked(a, target);
}
