/**
 * The kept lane: after a call through `target`'s express lane (a blocking one, or an awaited one that
 * `reap` collected), the caller does not release the lane (DONE → FREE) but keeps it, still DONE in its
 * name, and its next call there fills it without a claim, as the kernel reuses a CPU's own csd. The
 * release and the claim were two more trips of the target's hot line per call (the caller's store,
 * the target's poll pulling the line back), beside the one trip each way the floor's word makes.
 *
 * Nobody else may take a DONE lane (its owner may not have read the result), so a kept lane is given
 * back whenever its keeper may stay away: before it parks (wait.ts), before it uses another lane,
 * when one of its own fences needs this lane (fence.ts). Meanwhile other callers send to that target
 * through slots. If the keeper dies, the death cleanup frees a DONE lane in its name, as it frees one
 * whose result it had not read yet (death.ts); a restarted keeper frees it in adopt.ts.
 */
import { EMPTY, X_FREE, X_STATE, hot } from '../layout.js';
import type { Ctx } from './context.js';

/** Keep `target`'s lane, DONE in this agent's name (its result read), for the next call there; one lane at a time. */
export function keepLane(a: Ctx, target: number): void {
  if (a.keptLane !== EMPTY && a.keptLane !== target) releaseKeptLane(a);
  a.keptLane = target;
}

/** Give back the lane this agent keeps, if any. */
export function releaseKeptLane(a: Ctx): void {
  const target = a.keptLane;
  if (target === EMPTY) return;
  a.keptLane = EMPTY;
  // DONE in our name: while we live nobody else writes it. The SeqCst store orders our reads of
  // the result before whatever the next claimer writes.
  a.mem.store(hot(a.L, target, X_STATE), X_FREE);
}
