/**
 * Fences: what became of a call whose sender was killed in the middle of sending it.
 *
 * A sender pushes a FILLED slot on its target's inbox with one CAS and marks it pushed right after
 * (send.ts). Killed between the two, it leaves a slot that nothing in memory tells apart: never
 * pushed (then nobody will ever serve it, and its pool would lose it for good), or pushed and still
 * queued at the target (then the target will serve it, and freeing it would hand a live slot back).
 * Only the target can tell, so the successor that adopts the slot (adopt.ts) asks it with a fence:
 * a no-op put in the target's express lane, which the target answers only once every call pushed to
 * it before the fence has started (`passFence`). A slot that is still FILLED when the answer comes
 * was never pushed, or was pushed into an incarnation of the target that died with it: nobody will
 * ever touch it, and the successor completes it (STATUS_GONE) for its pool to collect.
 *
 * The fence takes the lane, not a slot, so it works with a pool of one slot whose only slot is the
 * one in doubt. Sending, collecting and resolving all run from `reap`, so they cost nothing on any
 * call's path, and the target checks for a fence only when its lane is FILLED.
 */
import {
  EMPTY,
  F_FENCE,
  F_SYNC,
  HOT_INBOX,
  INBOX_DEAD,
  STATUS_GONE,
  STATUS_OK,
  S_DONE,
  S_FILLED,
  S_PUSHED,
  S_RUNNING,
  S_STATE,
  S_STATUS,
  S_TARGET,
  X_DONE,
  X_FREE,
  X_OWNER,
  X_STATE,
  firstSlot,
  hot,
  inboxEpoch,
  inboxField,
  laneClaimedBy,
  packMeta,
  pushedMark,
  slotWord,
} from '../layout.js';
import { PENDING_ABANDONED, expressPlace, type Ctx } from './context.js';
import { finish } from './finish.js';
import { reverseBatch, takeInbox } from './inbox.js';
import { lockCleanup, unlockCleanup } from './lock.js';
import { releaseKeptLane } from './kept-lane.js';
import { orphanLane } from './orphans.js';
import { publishLane } from './send.js';

/** Per target (`a.fenceTo`): no fence, one wanted (the lane was busy), one in the lane. */
export const FENCE_NONE = 0;
export const FENCE_WANTED = 1;
export const FENCE_SENT = 2;

const FENCE_META = packMeta(0, 0, F_SYNC | F_FENCE);

/** adopt.ts: a predecessor's slot to `target` may be anywhere between filled and pushed. */
export function wantFence(a: Ctx, target: number): void {
  if (a.fenceTo[target] !== FENCE_NONE) return;
  a.fenceTo[target] = FENCE_WANTED;
  a.fenceCount++;
}

/** Is this agent's fence in `target`'s lane answered (DONE, and still ours)? */
function answered(a: Ctx, target: number): boolean {
  return a.mem.load(hot(a.L, target, X_STATE)) === X_DONE && a.mem.read(hot(a.L, target, X_OWNER)) === a.id;
}

/**
 * May a wanted fence be sent now: the lane is free (or kept by this agent, which gives it back first)
 * and no call of a predecessor is still in it?
 */
function laneOpen(a: Ctx, target: number): boolean {
  return (a.keptLane === target || a.mem.load(hot(a.L, target, X_STATE)) === X_FREE) && (a.orphanLaneCount === 0 || !orphanLane(a, target));
}

/** Can a fence move now: a wanted one whose lane is open, or a sent one that is answered? (pending.ts `anyDone`) */
export function fenceCanMove(a: Ctx): boolean {
  for (let t = 0; t < a.L.agents; t++) {
    const f = a.fenceTo[t];
    if (f === FENCE_WANTED ? laneOpen(a, t) : f === FENCE_SENT && answered(a, t)) return true;
  }
  return false;
}

/**
 * Send the wanted fences whose lanes are open, and settle the answered ones. Returns true when any
 * moved. A wanted fence whose lane stays busy is tried again at the next `reap`.
 */
export function moveFences(a: Ctx): boolean {
  const { mem, L } = a;
  let moved = false;
  for (let t = 0; t < L.agents; t++) {
    const f = a.fenceTo[t];
    if (f === FENCE_WANTED) {
      if (laneOpen(a, t)) {
        if (a.keptLane === t) releaseKeptLane(a);
        if (sendFence(a, t)) moved = true;
      }
    } else if (f === FENCE_SENT && answered(a, t)) {
      resolveOrphans(a, t);
      mem.store(hot(L, t, X_STATE), X_FREE);
      a.fenceTo[t] = FENCE_NONE;
      a.fenceCount--;
      moved = true;
    }
  }
  return moved;
}

function sendFence(a: Ctx, target: number): boolean {
  const { mem, L } = a;
  const lane = hot(L, target, X_STATE);
  if (mem.cas(lane, X_FREE, laneClaimedBy(a.id)) !== X_FREE) return false;
  a.fenceTo[target] = FENCE_SENT;
  // No arguments, and no result to spill.
  publishLane(a, target, FENCE_META, EMPTY);
  return true;
}

/**
 * The fence to `target` is answered: every predecessor's slot to it whose push was under way is now
 * either started (its target has it), or will never be. Complete the latter (STATUS_GONE: `reap`
 * then collects them as the abandoned calls they are). Under the cleanup lock, so that no death
 * cleanup of `target` is half-way through these slots while they change hands.
 */
function resolveOrphans(a: Ctx, target: number): void {
  const { mem, L } = a;
  lockCleanup(a);
  try {
    const head = mem.load(hot(L, target, HOT_INBOX));
    const live = inboxField(head) === INBOX_DEAD ? -1 : inboxEpoch(head);
    const base = firstSlot(L, a.id);
    for (let k = 0; k < a.pendingCount; k++) {
      const slot = base + a.pendingList[k]!;
      const intent = mem.load(slotWord(L, slot, S_PUSHED));
      if (intent >= 0 || a.pendingKind[a.pendingList[k]!] !== PENDING_ABANDONED || mem.read(slotWord(L, slot, S_TARGET)) !== target) continue;
      const state = mem.load(slotWord(L, slot, S_STATE));
      // Still FILLED after the fence: never pushed, or pushed into an incarnation that died with it.
      let gone = state === S_FILLED;
      if (state === S_RUNNING) {
        // Started, so pushed into the incarnation S_PUSHED names. Alive: mark it pushed there, as its
        // sender would have, so that incarnation's death fails it; dead: its cleanup passed it over.
        const epoch = -intent - 1;
        if (epoch === live) mem.store(slotWord(L, slot, S_PUSHED), pushedMark(epoch));
        else gone = true;
      }
      if (gone) {
        mem.write(slotWord(L, slot, S_STATUS), STATUS_GONE);
        mem.cas(slotWord(L, slot, S_STATE), state, S_DONE);
      }
    }
  } finally {
    unlockCleanup(a);
  }
}

/**
 * serve.ts, at the target: a fence is in this agent's lane. Answer it (true) once every call pushed to
 * this agent before the fence was filled has started; until then (false) serve the batch in hand.
 *
 * Calls pushed before the fence are on the inbox or in batches taken from it, and batches run in
 * order. The exchange `serveOne` just made may predate the fence, so the first sighting takes the
 * inbox once more (or, holding a batch already, lets that batch run first: every exchange after it
 * follows the sighting). The fence is answered when a batch taken after the sighting has run dry.
 */
export function passFence(a: Ctx): boolean {
  if (!a.fenceArmed) {
    if (!a.fenceSeen) {
      a.fenceSeen = true;
      if (a.cursor !== EMPTY) return false;
      const more = takeInbox(a);
      if (more !== EMPTY) a.cursor = reverseBatch(a, more);
    }
    if (a.cursor !== EMPTY) {
      a.fenceArmed = true;
      return false;
    }
  }
  a.fenceSeen = false;
  a.fenceArmed = false;
  finish(a, expressPlace(a.id), STATUS_OK);
  return true;
}
