/**
 * Serving: run the calls queued for this agent, one per `serveOne`, in the order they were made.
 *
 * A round takes the whole inbox with one exchange, reverses it into call order and keeps it in
 * `a.cursor` (private state, so a call served while another waits continues the same batch rather than
 * jumping ahead of it). The express lane is checked right *after* the exchange: a caller's express call
 * published before one of its later slot pushes is then always found in that round, ahead of that slot.
 */
import {
  COLD_BUSY_CALL,
  COLD_BUSY_FROM,
  COLD_STATS,
  EMPTY,
  F_FENCE,
  F_SYNC,
  STAT_SERVED,
  S_FILLED,
  S_FREE,
  S_META,
  S_NEXT,
  S_RUNNING,
  S_STATE,
  X_FILLED,
  X_FREE,
  X_META,
  X_OWNER,
  X_STATE,
  cold,
  hot,
  metaCallId,
  metaFlags,
  slotOwner,
  slotWord,
} from '../layout.js';
import { RUN_LATER, expressPlace, type Ctx } from './context.js';
import { ringIfParked } from './doorbell.js';
import { passFence } from './fence.js';
import { finish } from './finish.js';
import { reverseBatch, takeInbox } from './inbox.js';
import { releaseKeptSlot } from './pool.js';

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
    const meta = mem.read(hot(L, a.id, X_META));
    if ((metaFlags(meta) & F_FENCE) === 0) {
      runExpress(a, meta);
      return true;
    }
    if (passFence(a)) return true;
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
  const sync = (metaFlags(meta) & F_SYNC) !== 0;
  if (sync) {
    // Starting and cancelling race on one CAS: FILLED → RUNNING (us) or FILLED → CANCELLED (owner).
    const state = slotWord(L, slot, S_STATE);
    if (mem.cas(state, S_FILLED, S_RUNNING) !== S_FILLED) {
      // Cancelled before it started: the call never runs; hand the slot back to its owner.
      mem.store(state, S_FREE);
      ringIfParked(a, slotOwner(L, slot));
      return;
    }
  }
  const from = slotOwner(L, slot);
  host.take(slot, meta, from);
  countServed(a);
  if (!sync) {
    // post: the arguments are copied, so give the slot back before running (the 2009 proposal's
    // "release once the data is consumed"), and wake the owner if it waits for a free slot.
    mem.store(slotWord(L, slot, S_STATE), S_FREE);
    ringIfParked(a, from);
  }
  const status = runTaken(a, slot, sync, meta, from);
  if (sync && status !== RUN_LATER) finish(a, slot, status);
}

function runExpress(a: Ctx, meta: number): void {
  const { mem, host, L } = a;
  const place = expressPlace(a.id);
  const from = mem.read(hot(L, a.id, X_OWNER));
  const sync = (metaFlags(meta) & F_SYNC) !== 0;
  host.take(place, meta, from);
  countServed(a);
  // post through the lane: unlock as soon as the arguments are copied.
  if (!sync) mem.store(hot(L, a.id, X_STATE), X_FREE);
  else a.expressBusy = true;
  const status = runTaken(a, place, sync, meta, from);
  if (sync && status !== RUN_LATER) finish(a, place, status);
}

/**
 * Count a served call, and publish that one counter at once (the rest wait until this agent is idle):
 * a caller that reads `stats()` right after its call returned sees the call counted.
 */
function countServed(a: Ctx): void {
  a.mem.note(cold(a.L, a.id, COLD_STATS + STAT_SERVED), ++a.stats[STAT_SERVED]!);
}

/**
 * Run the call just taken, noting on the cold line what runs for whom (the watchdog's "running X for
 * agent N"). Returns the status of a sync call's result written now, or RUN_LATER (an async function:
 * the host calls `finish` when it settles).
 */
function runTaken(a: Ctx, place: number, sync: boolean, meta: number, from: number): number {
  const { mem, host, L } = a;
  const outerCall = a.busyCall;
  const outerFrom = a.busyFrom;
  a.busyCall = metaCallId(meta) + 1;
  a.busyFrom = from;
  mem.note(cold(L, a.id, COLD_BUSY_CALL), a.busyCall);
  mem.note(cold(L, a.id, COLD_BUSY_FROM), from);
  const status = host.run(place, sync);
  // A slot kept by calls the function made goes back before its caller can look at this agent's pool.
  releaseKeptSlot(a);
  a.busyCall = outerCall;
  a.busyFrom = outerFrom;
  mem.note(cold(L, a.id, COLD_BUSY_CALL), outerCall);
  mem.note(cold(L, a.id, COLD_BUSY_FROM), outerFrom);
  return status;
}
