/**
 * Lanes a dead predecessor of this agent left in flight (adopt.ts): another agent's lane still holding
 * the predecessor's call. Nobody will read that call's result, so this agent frees each lane once its
 * call is DONE, and meanwhile does not use such a lane itself (send.ts), so a DONE lane that names this
 * agent as its owner is the predecessor's call.
 */
import { X_DONE, X_FILLED, X_FREE, X_OWNER, X_STATE, hot, isLaneClaimed } from '../layout.js';
import type { Ctx } from './context.js';

/** Is the orphan lane of `target`, in state `x`, still the dead predecessor's call in flight? */
export function orphanInFlight(a: Ctx, target: number, x: number): boolean {
  // The owner word is published by the store of X_FILLED; a CLAIMED lane is still being written.
  return isLaneClaimed(x) || (x === X_FILLED && a.mem.read(hot(a.L, target, X_OWNER)) === a.id);
}

/** Does any orphan lane have its end (a reason not to park: its target rings only a PARKED agent)? */
export function anyOrphanEnded(a: Ctx): boolean {
  for (let k = 0; k < a.orphanLaneCount; k++) {
    const target = a.orphanLanes[k]!;
    if (!orphanInFlight(a, target, a.mem.load(hot(a.L, target, X_STATE)))) return true;
  }
  return false;
}

/** Free each orphan lane whose call is DONE. Returns true when any left the list. */
export function reclaimOrphanLanes(a: Ctx): boolean {
  const { mem, L } = a;
  let any = false;
  for (let k = 0; k < a.orphanLaneCount; ) {
    const target = a.orphanLanes[k]!;
    const lane = hot(L, target, X_STATE);
    const x = mem.load(lane);
    if (x === X_DONE && mem.read(hot(L, target, X_OWNER)) === a.id) mem.cas(lane, X_DONE, X_FREE);
    if (orphanInFlight(a, target, x)) k++;
    else {
      // Freed (here, or by a dead-agent cleanup that found its owner dead), or already someone else's.
      a.orphanLanes[k] = a.orphanLanes[--a.orphanLaneCount]!;
      any = true;
    }
  }
  return any;
}

/** Is `target`'s lane one a dead predecessor of this agent may still hold? */
export function orphanLane(a: Ctx, target: number): boolean {
  for (let k = 0; k < a.orphanLaneCount; k++) if (a.orphanLanes[k] === target) return true;
  return false;
}
