/**
 * An agent that exits (CPU offline): mark it DEAD and complete every call it held with STATUS_GONE,
 * so no caller waits forever.
 *
 * Run by whoever observes the death: the thread that watches worker exits, and any sender that finds
 * the target DEAD right after publishing a call to it (it may have died after the sender checked).
 * Cleanups hold one lock word, so they run one at a time; the dead agent writes nothing any more.
 * What is failed: every call pushed to it and not finished (on its inbox, which is emptied with an
 * exchange, or taken into its private batch, or running; S_PUSHED tells them from a call its sender
 * has filled but not yet pushed, which is left to that sender), its express lane
 * when FILLED (a CLAIMED lane is left to its claimer, which checks for DEAD after publishing), and
 * the lanes of others it held as a caller.
 */
import {
  DEAD,
  EMPTY,
  F_SYNC,
  HOT_INBOX,
  INBOX_DEAD,
  INBOX_EMPTY,
  S_NEXT,
  inboxEpoch,
  inboxField,
  inboxWord,
  pushedMark,
  HOT_STATE,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_CANCELLED,
  S_RUNNING,
  S_META,
  S_STATE,
  S_STATUS,
  S_PUSHED,
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
  isLaneClaimed,
  laneClaimer,
  metaFlags,
  slotOwner,
  slotWord,
} from '../layout.js';
import type { Ctx } from './context.js';
import { ring } from './doorbell.js';
import { lockCleanup, unlockCleanup } from './lock.js';

/**
 * Complete one call held for the dead agent, if it is still held: a sync call becomes DONE with
 * STATUS_GONE; a post's slot, or a call its owner cancelled, becomes FREE. The owner may cancel at the
 * same moment (FILLED → CANCELLED): CASes decide, so a slot is completed once, and never left DONE for
 * a caller that no longer collects it.
 */
function failSlot(a: Ctx, slot: number): boolean {
  const { mem, L } = a;
  const word = slotWord(L, slot, S_STATE);
  const state = mem.load(word);
  if (state === S_CANCELLED) return mem.cas(word, S_CANCELLED, S_FREE) === S_CANCELLED && ringOwner(a, slot);
  if ((metaFlags(mem.read(slotWord(L, slot, S_META))) & F_SYNC) === 0) return state === S_FILLED && mem.cas(word, S_FILLED, S_FREE) === S_FILLED && ringOwner(a, slot);
  if (state !== S_FILLED && state !== S_RUNNING) return false;
  mem.write(slotWord(L, slot, S_STATUS), STATUS_GONE);
  const old = mem.cas(word, state, S_DONE);
  // Cancelled just now (FILLED → CANCELLED by its owner): nobody collects it; give it back.
  if (old === S_CANCELLED) mem.cas(word, S_CANCELLED, S_FREE);
  return ringOwner(a, slot);
}

function ringOwner(a: Ctx, slot: number): boolean {
  ring(a, slotOwner(a.L, slot));
  return true;
}

/** The agent's thread has exited: mark it DEAD and fail everything it held. Returns how many calls were failed. */
export function failAgent(a: Ctx, dead: number): number {
  const { mem, L } = a;
  // The dead agent may have died holding the lock, in a cleanup of its own: take it over.
  lockCleanup(a, dead);
  try {
    mem.store(hot(L, dead, HOT_STATE), DEAD);
    // Close its inbox to pushes (a sender then completes its own call, AGENT_GONE) and take what is on it.
    const head = hot(L, dead, HOT_INBOX);
    const epoch = inboxEpoch(mem.load(head));
    const queued = inboxField(mem.exchange(head, inboxWord(epoch, INBOX_DEAD)));
    let failed = 0;
    // The calls that were queued: fail each (its link is read first: once failed, its owner may reuse it).
    if (queued !== INBOX_EMPTY && queued !== INBOX_DEAD) {
      let s = queued;
      for (let n = 0; s !== EMPTY && n < L.totalSlots; n++) {
        const next = mem.read(slotWord(L, s, S_NEXT));
        if (failSlot(a, s)) failed++;
        s = next;
      }
    }
    return failed + failTaken(a, dead, epoch) + failLanes(a, dead);
  } finally {
    unlockCleanup(a);
  }
}

/**
 * A blocked wait on a thread that is told of exits (see `Host.exited`): complete the calls of every
 * agent whose thread ended meanwhile, as the exit event would have. Returns how many calls were failed.
 */
export function failExited(a: Ctx): number {
  const { host } = a;
  let failed = 0;
  let gone = host.exited();
  while (gone >= 0) {
    failed += failAgent(a, gone);
    gone = host.exited();
  }
  return failed;
}

/**
 * A sender found incarnation `epoch` of `dead` gone right after it pushed a call there: the death
 * cleanup may have looked before the call was marked pushed. Fail what that incarnation still holds.
 */
export function reapDead(a: Ctx, dead: number, epoch: number): number {
  lockCleanup(a);
  try {
    return failTaken(a, dead, epoch);
  } finally {
    unlockCleanup(a);
  }
}

/** A sender found `dead` DEAD right after filling its lane: fail that call unless it was revived meanwhile. */
export function reapDeadLane(a: Ctx, dead: number): number {
  lockCleanup(a);
  try {
    return a.mem.load(hot(a.L, dead, HOT_STATE)) === DEAD ? failLanes(a, dead) : 0;
  } finally {
    unlockCleanup(a);
  }
}

/**
 * Every call pushed into incarnation `epoch` of `dead` and not finished: taken into its private batch,
 * or running. A call filled but not yet marked pushed is left to its sender, which then finds the
 * incarnation gone and comes back here (send.ts).
 */
function failTaken(a: Ctx, dead: number, epoch: number): number {
  const { mem, L } = a;
  let failed = 0;
  const mark = pushedMark(epoch);
  for (let slot = 0; slot < L.totalSlots; slot++) {
    const state = mem.load(slotWord(L, slot, S_STATE));
    if (
      (state === S_RUNNING || state === S_FILLED || state === S_CANCELLED) &&
      mem.read(slotWord(L, slot, S_TARGET)) === dead &&
      mem.load(slotWord(L, slot, S_PUSHED)) === mark &&
      failSlot(a, slot)
    ) {
      failed++;
    }
  }
  return failed;
}

/** The lanes: its own (a call in it), and the lanes of others it held as a caller; then wake everyone. */
function failLanes(a: Ctx, dead: number): number {
  const { mem, L } = a;
  let failed = 0;
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
  // One it had claimed but not yet filled (it died writing the call), or one holding its finished
  // sync call: nobody else would release them.
  for (let t = 0; t < L.agents; t++) {
    const x = mem.load(hot(L, t, X_STATE));
    if (isLaneClaimed(x) && laneClaimer(x) === dead) mem.cas(hot(L, t, X_STATE), x, X_FREE);
    else releaseDeadOwnersLane(a, t, dead);
  }
  // The dead agent may have stopped between publishing a result (DONE) and ringing its caller, or
  // in the middle of a ring: after taking its target from PARKED to RUNNING (doorbell.ts) and before
  // the notify, which leaves that target asleep in a state no sender rings. So ring every live agent,
  // whatever its state says: each re-checks what it waits for (an awake one just sees its bell move).
  for (let t = 0; t < L.agents; t++) if (t !== dead && mem.load(hot(L, t, HOT_STATE)) !== DEAD) ring(a, t);
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
  lockCleanup(a);
  try {
    if (a.mem.load(hot(a.L, owner, HOT_STATE)) === DEAD) releaseDeadOwnersLane(a, a.id, owner);
  } finally {
    unlockCleanup(a);
  }
}
