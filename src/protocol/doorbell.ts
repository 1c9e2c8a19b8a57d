/**
 * The doorbell (the kernel's IPI): bump the target's bell word and notify it. Rung only when the
 * target is PARKED; a running or polling agent finds new work on its hot line by itself.
 *
 * Why no wake-up is lost: a sender publishes (inbox CAS / store FILLED / store DONE) and then loads
 * the target's state; a parking agent stores PARKED and then re-checks for work. With SeqCst atomics
 * one of the two loads sees the other's store: either the sender sees PARKED and rings, or the parker
 * sees the work and does not sleep. The parker reads the bell before it announces PARKED (wait.ts
 * parkBegin), so every ring of this park lands after that read: one between the re-check and the wait
 * changes the bell, and `wait` returns at once.
 *
 * One ring per park: a sender that sees PARKED moves the target to RUNNING with a CAS, and only the
 * sender whose CAS succeeds rings. Several senders finishing at once (a broadcast's targets all
 * answering one caller) used to ring a parked caller once each, and each `Atomics.notify` takes the
 * runtime's process-wide futex lock (V8's), which a broadcast to 8 workers contended 16 times per
 * round. Nothing is lost: a sender whose CAS fails saw the state leave PARKED after it published,
 * either by another sender's CAS (whose ring, after it, wakes the target, which then re-checks
 * everything) or by the target's own parkEnd (it runs, and re-checks before it parks again). A sender
 * killed between its CAS and its notify leaves the target asleep in RUNNING: the death cleanup rings
 * every live agent for that (death.ts).
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

/**
 * Wake `target` if it is PARKED: the sender whose CAS takes it from PARKED to RUNNING rings it.
 * Returns the state seen (PARKED when this sender rang), so that a caller can act on DEAD.
 */
export function wakeIfParked(a: Ctx, target: number): number {
  const { mem, L } = a;
  const word = hot(L, target, HOT_STATE);
  // Test before the CAS: an awake target's line is not pulled in exclusive mode.
  const state = mem.load(word);
  if (state !== PARKED) return state;
  const was = mem.cas(word, PARKED, RUNNING);
  if (was === PARKED) ring(a, target);
  return was;
}

export function ringIfParked(a: Ctx, target: number): void {
  wakeIfParked(a, target);
}
