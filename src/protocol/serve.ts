/**
 * Serving: run the calls queued for this agent, one per `serveOne`, in the order they were made.
 *
 * A round takes the whole inbox with one exchange, reverses it into call order and keeps it in
 * `a.cursor` (private state, so a call served while another waits continues the same batch rather than
 * jumping ahead of it). The express lane is checked right *after* the exchange: a caller's express call
 * published before one of its later slot pushes is then always found in that round, ahead of that slot.
 */
import {
  DEAD,
  EMPTY,
  F_SYNC,
  HOT_STATE,
  PARKED,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_RUNNING,
  S_META,
  S_NEXT,
  S_STATE,
  X_DONE,
  X_FILLED,
  X_FREE,
  X_META,
  X_OWNER,
  X_STATE,
  hot,
  metaFlags,
  slotOwner,
  slotWord,
} from '../layout.js';
import { STAT_SERVED, expressPlace, isExpress, type Ctx } from './context.js';
import { ring, ringIfParked } from './doorbell.js';
import { releaseLaneOfDead } from './death.js';
import { reverseBatch, takeInbox } from './inbox.js';

/** Serve at most one call. Returns true when it ran one. */
export function serveOne(a: Ctx): boolean {
  const { mem, L } = a;
  if (a.cursor !== EMPTY) {
    runNextSlot(a);
    return true;
  }
  const head = takeInbox(a);
  if (head !== EMPTY) a.cursor = reverseBatch(a, head);
  if (!a.expressBusy && mem.load(hot(L, a.id, X_STATE)) === X_FILLED) {
    runExpress(a);
    return true;
  }
  if (a.cursor !== EMPTY) {
    runNextSlot(a);
    return true;
  }
  return false;
}

function runNextSlot(a: Ctx): void {
  const { mem, host, L } = a;
  const slot = a.cursor;
  // Read the link before anything else: once a post's slot is FREE its owner may reuse it.
  a.cursor = mem.read(slotWord(L, slot, S_NEXT));
  const meta = mem.read(slotWord(L, slot, S_META));
  if ((metaFlags(meta) & F_SYNC) !== 0) {
    // Starting and cancelling race on one CAS: FILLED → RUNNING (us) or FILLED → CANCELLED (owner).
    const state = slotWord(L, slot, S_STATE);
    if (mem.cas(state, S_FILLED, S_RUNNING) !== S_FILLED) {
      // Cancelled before it started: the call never runs; hand the slot back to its owner.
      mem.store(state, S_FREE);
      ringIfParked(a, slotOwner(L, slot));
      return;
    }
  }
  host.take(slot);
  a.stats[STAT_SERVED]!++;
  if ((metaFlags(meta) & F_SYNC) === 0) {
    // post: the arguments are copied, so give the slot back before running (the 2009 proposal's
    // "release once the data is consumed"), and wake the owner if it waits for a free slot.
    mem.store(slotWord(L, slot, S_STATE), S_FREE);
    ringIfParked(a, slotOwner(L, slot));
    host.run(slot, false);
  } else if (host.run(slot, true)) {
    finish(a, slot);
  }
}

function runExpress(a: Ctx): void {
  const { mem, host, L } = a;
  const place = expressPlace(a.id);
  const meta = mem.read(hot(L, a.id, X_META));
  host.take(place);
  a.stats[STAT_SERVED]!++;
  if ((metaFlags(meta) & F_SYNC) === 0) {
    // post through the lane: unlock as soon as the arguments are copied.
    mem.store(hot(L, a.id, X_STATE), X_FREE);
    host.run(place, false);
  } else {
    a.expressBusy = true;
    if (host.run(place, true)) finish(a, place);
  }
}

/** A sync call's result is written into `place`: mark it DONE and ring its caller if parked. */
export function finish(a: Ctx, place: number): void {
  const { mem, L } = a;
  if (isExpress(place)) {
    // Read the owner before DONE: after DONE the caller may release the lane and another claim it.
    const owner = mem.read(hot(L, a.id, X_OWNER));
    a.expressBusy = false;
    mem.store(hot(L, a.id, X_STATE), X_DONE);
    const state = mem.load(hot(L, owner, HOT_STATE));
    if (state === PARKED) ring(a, owner);
    else if (state === DEAD) releaseLaneOfDead(a, owner);
  } else {
    mem.store(slotWord(L, place, S_STATE), S_DONE);
    ringIfParked(a, slotOwner(L, place));
  }
}
