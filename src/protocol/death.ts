/**
 * An agent that exits (CPU offline): mark it DEAD and complete every call it held with STATUS_GONE,
 * so no caller waits forever.
 *
 * Run by whoever observes the death: the thread that watches worker exits, and any sender that finds
 * the target DEAD right after publishing a call to it (it may have died after the sender checked).
 * Cleanups hold one lock word, so they run one at a time; the dead agent writes nothing any more.
 * What is failed: the whole inbox (taken with an exchange, so no completed slot stays linked there),
 * calls it had taken but not finished (FILLED, addressed to it, and marked S_TAKEN by its own
 * reverseBatch: a slot that is FILLED but not yet pushed is left to its sender), and its express lane
 * when FILLED (a CLAIMED lane is left to its claimer, which checks for DEAD after publishing).
 */
import {
  DEAD,
  EMPTY,
  F_SYNC,
  H_CLEAN_LOCK,
  HOT_INBOX,
  HOT_STATE,
  RUNNING,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_CANCELLED,
  S_RUNNING,
  S_META,
  S_NEXT,
  S_STATE,
  S_STATUS,
  S_TAKEN,
  S_TARGET,
  STATUS_GONE,
  X_DONE,
  X_FILLED,
  X_FREE,
  X_META,
  X_OWNER,
  X_STATE,
  X_TAGS,
  hot,
  metaFlags,
  slotOwner,
  slotWord,
} from '../layout.js';
import type { Ctx } from './context.js';
import { ring } from './doorbell.js';
import { corrupt } from '../errors.js';

/** Complete one sync slot with STATUS_GONE, or free a post's slot. */
function failSlot(a: Ctx, slot: number): void {
  const { mem, L } = a;
  const cancelled = mem.load(slotWord(L, slot, S_STATE)) === S_CANCELLED;
  if (cancelled || (metaFlags(mem.read(slotWord(L, slot, S_META))) & F_SYNC) === 0) {
    mem.store(slotWord(L, slot, S_STATE), S_FREE);
  } else {
    mem.write(slotWord(L, slot, S_STATUS), STATUS_GONE);
    mem.store(slotWord(L, slot, S_STATE), S_DONE);
  }
  ring(a, slotOwner(L, slot));
}

/** A cleanup never waits on anything but another cleanup, which takes microseconds. */
const MAX_LOCK_SPINS = 1 << 24;

function lock(a: Ctx): void {
  for (let spins = 0; a.mem.cas(H_CLEAN_LOCK, 0, 1) !== 0; spins++) {
    if (spins >= MAX_LOCK_SPINS) throw corrupt('the dead-agent cleanup lock was never released');
  }
}

function unlock(a: Ctx): void {
  a.mem.store(H_CLEAN_LOCK, 0);
}

/** The agent's thread has exited: mark it DEAD and fail everything it held. Returns how many calls were failed. */
export function failAgent(a: Ctx, dead: number): number {
  const { mem, L } = a;
  lock(a);
  try {
    mem.store(hot(L, dead, HOT_STATE), DEAD);
    return failHeld(a, dead);
  } finally {
    unlock(a);
  }
}

/**
 * A sender found `dead` DEAD right after publishing a call to it: fail what it holds (that call
 * included), unless it was revived meanwhile (then the call will be served).
 */
export function reapDead(a: Ctx, dead: number): number {
  lock(a);
  try {
    return a.mem.load(hot(a.L, dead, HOT_STATE)) === DEAD ? failHeld(a, dead) : 0;
  } finally {
    unlock(a);
  }
}

/** A fresh thread takes over a dead agent's id (restart policy). */
export function revive(a: Ctx, id: number): void {
  lock(a);
  try {
    a.mem.store(hot(a.L, id, HOT_STATE), RUNNING);
  } finally {
    unlock(a);
  }
}

function failHeld(a: Ctx, dead: number): number {
  const { mem, L } = a;
  let failed = 0;
  // Queued calls: senders check DEAD before pushing, but one may have pushed just before we marked it,
  // so take the inbox after the mark.
  let s = mem.exchange(hot(L, dead, HOT_INBOX), EMPTY);
  for (let n = 0; s !== EMPTY && n <= L.totalSlots; n++) {
    const next = mem.read(slotWord(L, s, S_NEXT));
    failSlot(a, s);
    failed++;
    s = next;
  }
  // Calls it had taken but not finished: still FILLED, addressed to it.
  for (let slot = 0; slot < L.totalSlots; slot++) {
    const state = mem.load(slotWord(L, slot, S_STATE));
    if (
      (state === S_RUNNING || state === S_FILLED || state === S_CANCELLED) &&
      mem.read(slotWord(L, slot, S_TARGET)) === dead &&
      mem.read(slotWord(L, slot, S_TAKEN)) === 1
    ) {
      failSlot(a, slot);
      failed++;
    }
  }
  // Its express lane.
  const lane = hot(L, dead, X_STATE);
  if (mem.load(lane) === X_FILLED) {
    const owner = mem.read(hot(L, dead, X_OWNER));
    if ((metaFlags(mem.read(hot(L, dead, X_META))) & F_SYNC) === 0) mem.store(lane, X_FREE);
    else {
      mem.write(hot(L, dead, X_TAGS), STATUS_GONE << 8);
      mem.store(lane, X_DONE);
    }
    ring(a, owner);
    failed++;
  }
  // Lanes of other agents that hold a finished sync call of the dead agent: nobody would release them.
  for (let t = 0; t < L.agents; t++) releaseDeadOwnersLane(a, t, dead);
  return failed;
}

/** Under the clean lock: free `target`'s lane if it holds a DONE call of the dead agent `owner`. */
function releaseDeadOwnersLane(a: Ctx, target: number, owner: number): void {
  const { mem, L } = a;
  const lane = hot(L, target, X_STATE);
  if (mem.load(lane) === X_DONE && mem.read(hot(L, target, X_OWNER)) === owner) mem.cas(lane, X_DONE, X_FREE);
}

/**
 * The target side of the same case: a sync call in our lane finished, but its caller is DEAD, so it
 * will never read the result and free the lane. Free it ourselves (under the lock, re-checked, since
 * the cleaner may do the same, or the caller's id may have been revived meanwhile).
 */
export function releaseLaneOfDead(a: Ctx, owner: number): void {
  lock(a);
  try {
    if (a.mem.load(hot(a.L, owner, HOT_STATE)) === DEAD) releaseDeadOwnersLane(a, a.id, owner);
  } finally {
    unlock(a);
  }
}
