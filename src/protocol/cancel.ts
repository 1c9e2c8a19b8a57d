/**
 * Cancelling a call sent through a slot (a timeout, an AbortSignal): one CAS decides the race with
 * the target starting it. FILLED → CANCELLED: it never runs, and the target (or the death flush) gives
 * the slot back when it passes it. Already RUNNING: too late to stop; the caller is released now and
 * the slot stays in the pending table, abandoned, until the late result arrives and is dropped. DONE:
 * the result wins.
 */
import { S_CANCELLED, S_DONE, S_FILLED, S_STATE, slotWord } from '../layout.js';
import type { Ctx } from './context.js';
import { abandonPending, removePending } from './pending.js';

/** It had finished: the result is there to collect. */
export const CANCEL_LATE = 0;
/** It had not started and never will. */
export const CANCEL_NEVER_RAN = 1;
/** It is running: its result will be dropped. */
export const CANCEL_ABANDONED = 2;

export function cancelCall(a: Ctx, slot: number): number {
  const old = a.mem.cas(slotWord(a.L, slot, S_STATE), S_FILLED, S_CANCELLED);
  if (old === S_DONE) return CANCEL_LATE;
  if (old === S_FILLED) {
    removePending(a, slot);
    return CANCEL_NEVER_RAN;
  }
  abandonPending(a, slot);
  return CANCEL_ABANDONED;
}
