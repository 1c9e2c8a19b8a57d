/**
 * Sending one call, whatever its kind: through the target's express lane when the call fits it, the
 * lane is free and using it keeps call order; otherwise through a slot of the caller's own pool,
 * pushed on the target's inbox. Then ring the target only if it is parked.
 *
 * Call order from one caller to one target is kept: the lane is used only when no slot of ours is
 * still queued at that target (`queuedTo`), and the target checks its lane after taking its inbox
 * (serve.ts), so a lane call is never overtaken by a slot sent after it, nor overtakes one sent before.
 */
import {
  DEAD,
  EMPTY,
  STAT_EXPRESS,
  STAT_SENT,
  S_CANCELLED,
  S_FILLED,
  S_FREE,
  S_META,
  S_SEQ,
  S_STATE,
  S_PUSHED,
  S_DONE,
  S_STATUS,
  STATUS_GONE,
  F_SYNC,
  HOT_INBOX,
  INBOX_DEAD,
  inboxEpoch,
  inboxField,
  metaFlags,
  pushedMark,
  S_TARGET,
  X_FILLED,
  X_FREE,
  X_META,
  X_OWNER,
  X_SPILL,
  X_STATE,
  hot,
  laneClaimedBy,
  slotWord,
} from '../layout.js';
import { expressPlace, type Ctx } from './context.js';
import { reapDead, reapDeadLane } from './death.js';
import { ringIfParked, wakeIfParked } from './doorbell.js';
import { PUSH_FIRST, PUSH_REFUSED, pushEpoch, pushInbox, pushResult } from './inbox.js';
import { orphanLane } from './orphans.js';

/**
 * After publishing a lane call: ring the target if it is parked; if it is DEAD, it may have died after
 * we checked, and nobody would serve the lane, so complete that call right here.
 */
function ringOrReap(a: Ctx, target: number): void {
  if (wakeIfParked(a, target) === DEAD) reapDeadLane(a, target);
}

/**
 * Is a slot this agent sent to `target` still waiting there (not yet started)? The last one sent
 * tells: the target takes its inbox whole and serves it in order. A cancelled one counts as waiting
 * until the target passes it: calls sent before it may still be queued behind it.
 */
export function queuedTo(a: Ctx, target: number): boolean {
  const { mem, L } = a;
  const slot = a.lastSlot[target]!;
  if (slot === EMPTY) return false;
  const state = mem.load(slotWord(L, slot, S_STATE));
  if ((state === S_FILLED || state === S_CANCELLED) && mem.read(slotWord(L, slot, S_SEQ)) === a.lastSeq[target]) return true;
  // Taken or passed: under this sequence number it is never queued again. Forget it, so that the calls
  // after it (a steady run through the lane) skip this load.
  a.lastSlot[target] = EMPTY;
  return false;
}

/** Publish a held slot (arguments already written) on `target`'s inbox. */
function publishSlot(a: Ctx, target: number, slot: number, meta: number): void {
  const { mem, L } = a;
  const seq = (mem.read(slotWord(L, slot, S_SEQ)) + 1) | 0;
  mem.write(slotWord(L, slot, S_SEQ), seq);
  mem.write(slotWord(L, slot, S_META), meta);
  mem.write(slotWord(L, slot, S_TARGET), target);
  // Before the slot is FILLED, say which incarnation the push will try: should this thread be killed
  // between here and the mark below, its successor knows where the call may have gone (fence.ts).
  const seen = mem.load(hot(L, target, HOT_INBOX));
  mem.store(slotWord(L, slot, S_PUSHED), -pushedMark(inboxEpoch(seen)));
  a.lastSlot[target] = slot;
  a.lastSeq[target] = seq;
  // The SeqCst store publishes every plain write above to whoever takes the slot off the inbox.
  mem.store(slotWord(L, slot, S_STATE), S_FILLED);
  a.stats[STAT_SENT]!++;
  const pushed = pushInbox(a, target, slot, seen);
  if (pushResult(pushed) === PUSH_REFUSED) {
    // The target is gone: nobody else has seen this slot; complete it here (AGENT_GONE, or a lost post).
    if ((metaFlags(meta) & F_SYNC) === 0) mem.store(slotWord(L, slot, S_STATE), S_FREE);
    else {
      mem.write(slotWord(L, slot, S_STATUS), STATUS_GONE);
      mem.store(slotWord(L, slot, S_STATE), S_DONE);
    }
    return;
  }
  const epoch = pushEpoch(pushed);
  // Pushed into incarnation `epoch`: from here its death fails this call (death.ts). This store and
  // the load of the inbox below pair with the death cleanup's exchange of that inbox and its load of
  // this word (SeqCst both): either the cleanup sees the mark, or this sender sees the incarnation
  // gone and completes the calls it left (ours included) itself.
  mem.store(slotWord(L, slot, S_PUSHED), pushedMark(epoch));
  // Ring only when the inbox was empty: a non-empty inbox was already announced to the target.
  if (pushResult(pushed) === PUSH_FIRST) ringIfParked(a, target);
  const now = mem.load(hot(L, target, HOT_INBOX));
  if (inboxField(now) === INBOX_DEAD || inboxEpoch(now) !== epoch) reapDead(a, target, epoch);
}

/** Claim `target`'s express lane and publish the call in it; false when the lane is busy. */
function tryLane(a: Ctx, target: number, meta: number, spill: number): boolean {
  const { mem, host, L } = a;
  if (a.keptLane === target) {
    // Ours since our last call there, DONE and its result read (kept-lane.ts): fill it as it is.
    // The target reads no register of a DONE lane, so writing them before FILLED is safe.
    host.writeArgs(expressPlace(target));
    a.keptLane = EMPTY;
  } else {
    const lane = hot(L, target, X_STATE);
    // Test before the CAS: a busy lane is left alone without pulling its line in exclusive mode.
    if (mem.load(lane) !== X_FREE) return false;
    if (mem.cas(lane, X_FREE, laneClaimedBy(a.id)) !== X_FREE) return false;
    try {
      host.writeArgs(expressPlace(target));
    } catch (e) {
      mem.store(lane, X_FREE);
      throw e;
    }
  }
  a.stats[STAT_SENT]!++;
  a.stats[STAT_EXPRESS]!++;
  publishLane(a, target, meta, spill);
  return true;
}

/**
 * Publish the call in `target`'s lane, claimed by this agent and its arguments written (a lane call,
 * or a fence: fence.ts): the store of X_FILLED publishes every plain write before it to the target,
 * which reads them after seeing FILLED. Then ring it, or complete the call if it is DEAD.
 */
export function publishLane(a: Ctx, target: number, meta: number, spill: number): void {
  const { mem, L } = a;
  mem.write(hot(L, target, X_OWNER), a.id);
  mem.write(hot(L, target, X_META), meta);
  mem.write(hot(L, target, X_SPILL), spill);
  mem.store(hot(L, target, X_STATE), X_FILLED);
  ringOrReap(a, target);
}

/**
 * Send one call to `target`. `slot` is a slot this agent holds (RESERVED): the call goes through it,
 * unless `express` allows the lane and the lane takes it; then `slot` is the lane call's spill area
 * for a large result (EMPTY for a post, which has none). Returns the place the call went to, or
 * EMPTY when `slot` is EMPTY and the lane was busy. If the arguments cannot be written (the host
 * throws), nothing is sent and the slot is free again.
 */
export function sendCall(a: Ctx, target: number, meta: number, slot: number, express: boolean): number {
  if (express && !queuedTo(a, target) && (a.orphanLaneCount === 0 || !orphanLane(a, target)) && tryLane(a, target, meta, slot)) {
    return expressPlace(target);
  }
  if (slot === EMPTY) return EMPTY;
  try {
    a.host.writeArgs(slot);
  } catch (e) {
    a.mem.store(slotWord(a.L, slot, S_STATE), S_FREE);
    throw e;
  }
  publishSlot(a, target, slot, meta);
  return slot;
}
