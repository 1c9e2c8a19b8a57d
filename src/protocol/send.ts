/**
 * Sending: the caller side of every call kind, one code path.
 *
 * - `callSync`: hold a slot; try the target's express lane (one CAS, never spun on); if the lane is
 *   busy, send the slot through the inbox. Then wait (serving) until DONE.
 * - `sendHeld` (the promise `call`): the slot path; the runtime settles it when it sees DONE.
 * - `tryPostExpress`, else `sendHeld` (fire and forget): the target frees the lane or the slot as
 *   soon as it has copied the arguments.
 *
 * Call order from one caller to one target is kept: the lane is used only when no slot of ours is
 * still queued at that target (`queuedTo`), and the target checks its lane after taking its inbox
 * (serve.ts), so a lane call is never overtaken by a slot sent after it.
 */
import {
  EMPTY,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_META,
  S_SEQ,
  S_STATE,
  S_TAKEN,
  S_TARGET,
  HOT_STATE,
  PARKED,
  DEAD,
  X_CLAIMED,
  X_DONE,
  X_FILLED,
  X_FREE,
  X_META,
  X_OWNER,
  X_SPILL,
  X_STATE,
  hot,
  slotWord,
} from '../layout.js';
import { STAT_EXPRESS, STAT_SENT, expressAgent, expressPlace, isExpress, type Ctx } from './context.js';
import { ring } from './doorbell.js';
import { reapDead } from './death.js';
import { pushInbox } from './inbox.js';
import { UNTIL_EQUAL, waitFor } from './wait.js';

/**
 * After publishing a call: ring the target if it is parked; if it is DEAD, it may have died after we
 * checked, and our call would sit in a dead inbox, so complete its calls (ours included) right here.
 */
function ringOrReap(a: Ctx, target: number): void {
  const state = a.mem.load(hot(a.L, target, HOT_STATE));
  if (state === PARKED) ring(a, target);
  else if (state === DEAD) reapDead(a, target);
}

/** Is a slot this agent sent to `target` still waiting there (not yet run)? */
export function queuedTo(a: Ctx, target: number): boolean {
  const { mem, L } = a;
  const slot = a.lastSlot[target]!;
  if (slot === EMPTY) return false;
  return mem.load(slotWord(L, slot, S_STATE)) === S_FILLED && mem.read(slotWord(L, slot, S_SEQ)) === a.lastSeq[target];
}

/** Publish a filled slot (arguments already written) on `target`'s inbox. */
export function sendSlot(a: Ctx, target: number, slot: number, meta: number): void {
  const { mem, L } = a;
  const seq = (mem.read(slotWord(L, slot, S_SEQ)) + 1) | 0;
  mem.write(slotWord(L, slot, S_SEQ), seq);
  mem.write(slotWord(L, slot, S_META), meta);
  mem.write(slotWord(L, slot, S_TARGET), target);
  mem.write(slotWord(L, slot, S_TAKEN), 0);
  a.lastSlot[target] = slot;
  a.lastSeq[target] = seq;
  mem.store(slotWord(L, slot, S_STATE), S_FILLED);
  a.stats[STAT_SENT]!++;
  // Ring only when the inbox was empty: a non-empty inbox was already announced to the target.
  if (pushInbox(a, target, slot)) ringOrReap(a, target);
  else if (mem.load(hot(L, target, HOT_STATE)) === DEAD) reapDead(a, target);
}

/** Claim `target`'s express lane and publish the call in it; false when the lane is busy. */
export function tryExpress(a: Ctx, target: number, meta: number, spill: number): boolean {
  const { mem, host, L } = a;
  const lane = hot(L, target, X_STATE);
  // Test before the CAS: a busy lane is left alone without pulling its line in exclusive mode.
  if (mem.load(lane) !== X_FREE) return false;
  if (mem.cas(lane, X_FREE, X_CLAIMED) !== X_FREE) return false;
  host.writeArgs(expressPlace(target));
  mem.write(hot(L, target, X_OWNER), a.id);
  mem.write(hot(L, target, X_META), meta);
  mem.write(hot(L, target, X_SPILL), spill);
  mem.store(lane, X_FILLED);
  a.stats[STAT_SENT]!++;
  a.stats[STAT_EXPRESS]!++;
  ringOrReap(a, target);
  return true;
}

/** Write the outgoing arguments into a held slot; on failure give the slot back (nothing was sent). */
function writeSlotArgs(a: Ctx, slot: number): void {
  try {
    a.host.writeArgs(slot);
  } catch (e) {
    a.mem.store(slotWord(a.L, slot, S_STATE), S_FREE);
    throw e;
  }
}

/**
 * A blocking call. `slot` is a slot this agent holds (from `acquireSlot`): the call itself when it
 * goes through the inbox, the spill area for a large result when it goes through the lane.
 * `express` says the arguments fit the lane. Returns the place that holds the result.
 */
export function callSync(a: Ctx, target: number, meta: number, slot: number, express: boolean): number {
  const { L } = a;
  if (express && !queuedTo(a, target) && tryExpress(a, target, meta, slot)) {
    waitFor(a, UNTIL_EQUAL, hot(L, target, X_STATE), X_DONE);
    return expressPlace(target);
  }
  writeSlotArgs(a, slot);
  sendSlot(a, target, slot, meta);
  waitFor(a, UNTIL_EQUAL, slotWord(L, slot, S_STATE), S_DONE);
  return slot;
}

/** After the runtime has read the result of `callSync`, give back the lane and the slot. */
export function releaseCall(a: Ctx, place: number, slot: number): void {
  const { mem, L } = a;
  if (isExpress(place)) mem.store(hot(L, expressAgent(place), X_STATE), X_FREE);
  mem.store(slotWord(L, slot, S_STATE), S_FREE);
}

/** Send a call through a held slot: the promise `call`, and `post` when the lane is busy. */
export function sendHeld(a: Ctx, target: number, meta: number, slot: number): void {
  writeSlotArgs(a, slot);
  sendSlot(a, target, slot, meta);
}

/** Fire and forget through the express lane, when it is free and keeps call order; false otherwise. */
export function tryPostExpress(a: Ctx, target: number, meta: number): boolean {
  return !queuedTo(a, target) && tryExpress(a, target, meta, EMPTY);
}
