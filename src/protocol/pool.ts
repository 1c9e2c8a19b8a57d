/**
 * An agent's own slot pool (the kernel's preallocated csd records): only the owner takes a slot out of
 * FREE, so a FREE slot it sees stays FREE until it takes it; nobody else ever allocates from it.
 */
import { EMPTY, S_FREE, S_RESERVED, S_STATE, firstSlot, slotWord } from '../layout.js';
import { PENDING_NONE, type Ctx } from './context.js';

/**
 * Find a FREE slot in this agent's own pool without taking it; EMPTY when none. A FREE slot still in
 * the pending table is not free yet: a dead predecessor's call its target passed (a post it served,
 * a call cancelled before the death) waits there for `reap`, which would take a new call's result in
 * it for that old call's and drop it (found by the checker's restart-mid-push scenario).
 */
export function findFreeSlot(a: Ctx): number {
  const { mem, L } = a;
  const n = L.slotsPerAgent;
  const base = firstSlot(L, a.id);
  for (let k = 0; k < n; k++) {
    let i = a.nextFree + k;
    if (i >= n) i -= n;
    if (mem.load(slotWord(L, base + i, S_STATE)) === S_FREE && a.pendingKind[i] === PENDING_NONE) {
      a.nextFree = i + 1 === n ? 0 : i + 1;
      return base + i;
    }
  }
  return EMPTY;
}

/** Take a FREE slot if one is free right now (or the one kept), without waiting; EMPTY when none. */
export function tryAcquireSlot(a: Ctx): number {
  const kept = a.keptSlot;
  if (kept !== EMPTY) {
    // Still RESERVED since the lane call that kept it: nobody else takes or writes it.
    a.keptSlot = EMPTY;
    return kept;
  }
  const slot = findFreeSlot(a);
  // Marked held at once: calls served while this agent waits later must not pick it.
  if (slot !== EMPTY) a.mem.store(slotWord(a.L, slot, S_STATE), S_RESERVED);
  return slot;
}

/**
 * A lane call is over (a blocking one, or an awaited one `reap` collected) and its spill slot, still
 * RESERVED, holds nothing of value any more: keep it for the next call rather than free it now and
 * search the pool for it then. That was two SeqCst stores and a scan per call (measured: `callSync`
 * 0.35–0.38 → 0.33–0.34 µs at the near placement, 0.79 → 0.76 µs at the far one). Only the owner
 * ever takes a slot of its pool, so keeping one hides it from no one; `tryAcquireSlot` hands it out
 * first, and a park, going idle or the end of a served call gives it back.
 */
export function keepOrReleaseSlot(a: Ctx, slot: number): void {
  if (a.keptSlot === EMPTY) a.keptSlot = slot;
  else releaseSlot(a, slot);
}

/** Give back the slot kept after a lane call, if any (an agent that parks or ends holds none). */
export function releaseKeptSlot(a: Ctx): void {
  const kept = a.keptSlot;
  if (kept === EMPTY) return;
  a.keptSlot = EMPTY;
  releaseSlot(a, kept);
}

/** Give a slot back to the pool (the owner, once it has read what it holds). */
export function releaseSlot(a: Ctx, slot: number): void {
  a.mem.store(slotWord(a.L, slot, S_STATE), S_FREE);
}
