/**
 * The caller side of every call kind, each a few protocol steps over one `sendCall`:
 *
 * - `callSync`: hold a slot; send (lane or slot); wait, serving, until DONE; hand the outcome to the
 *   host; give the lane and the slot back. With a deadline: cancel at the deadline (cancel.ts).
 * - `callAsync` (the promise `call`, and each target of `callMany`/`onEach`): hold a slot, send
 *   through it, enter it in the pending table; `reap` delivers the result whenever the agent next
 *   serves or waits. A blocking many-target call waits for each of its entries with `awaitCall`.
 * - `post`: through the lane when it is free, else a slot; the target frees either as soon as it has
 *   copied the arguments.
 *
 * No call allocates a fallback: a caller with no free slot serves and waits for one of its own, up to
 * `slotWaitMs`; past it the call is not sent (CALL_NO_SLOT), which unwinds a cycle that would
 * otherwise never end (every slot lent to an agent that waits on this one).
 */
import {
  EMPTY,
  STAT_SLOT_WAITS,
  S_DONE,
  S_STATE,
  S_STATUS,
  X_DONE,
  X_STATE,
  X_TAGS,
  firstSlot,
  hot,
  slotWord,
} from '../layout.js';
import { expressAgent, isExpress, type Ctx } from './context.js';
import { CANCEL_LATE, cancelCall } from './cancel.js';
import { keepLane } from './kept-lane.js';
import { addPending, addPendingLane } from './pending.js';
import { keepOrReleaseSlot, releaseSlot, tryAcquireSlot } from './pool.js';
import { sendCall } from './send.js';
import { UNTIL_EQUAL, UNTIL_FREE_SLOT, UNTIL_SETTLED, waitFor } from './wait.js';

/** The call ran and its outcome is in the host's result registers. */
export const CALL_OK = 0;
/** No slot of the caller's own came free within `slotWaitMs`: nothing was sent. */
export const CALL_NO_SLOT = 1;
/** The deadline passed first: the call was cancelled, or abandoned if it had started. */
export const CALL_TIMED_OUT = 2;

/**
 * Take a FREE slot from this agent's own pool, waiting (and serving) while none is free, for at most
 * `waitMs` (the clock is read only when no slot is free at once). EMPTY when none came.
 */
export function acquireSlot(a: Ctx, waitMs: number): number {
  const slot = tryAcquireSlot(a);
  if (slot !== EMPTY) return slot;
  a.stats[STAT_SLOT_WAITS]!++;
  const deadline = waitMs === Infinity ? Infinity : a.host.now() + waitMs;
  if (!waitFor(a, UNTIL_FREE_SLOT, 0, 0, deadline)) return EMPTY;
  // waitFor saw a FREE slot, and only this agent takes its own slots: it is still there.
  return tryAcquireSlot(a);
}

/** After the host has read a blocking call's outcome, give back the slot, and keep the lane for the next call there. */
function releaseCall(a: Ctx, place: number, slot: number): void {
  if (isExpress(place)) {
    keepLane(a, expressAgent(place));
    // The lane call left its spill slot RESERVED (a spilled result was read by `receive`).
    keepOrReleaseSlot(a, slot);
  } else releaseSlot(a, slot);
}

/**
 * A blocking call of `meta` to `target`. `express`: the arguments fit the lane. With a `deadline`
 * (a `host.now()` time) the call goes through a slot only (a lane must be released by its caller,
 * which is gone by the deadline) and is cancelled when the deadline passes. Returns CALL_*.
 */
export function callSync(a: Ctx, target: number, meta: number, express: boolean, slotWaitMs: number, deadline: number): number {
  const { mem, L } = a;
  const slot = acquireSlot(a, slotWaitMs);
  if (slot === EMPTY) return CALL_NO_SLOT;
  const place = sendCall(a, target, meta, slot, express && deadline === Infinity);
  const lane = isExpress(place);
  if (!waitFor(a, UNTIL_EQUAL, lane ? hot(L, target, X_STATE) : slotWord(L, slot, S_STATE), lane ? X_DONE : S_DONE, deadline)) {
    // Not started: it never will, and the target frees the slot. Running: reap drops its late
    // result and frees the slot then. Either way the slot is no longer this call's.
    if (cancelCall(a, slot) !== CANCEL_LATE) return CALL_TIMED_OUT;
  }
  // A lane call's status travels in its tags, beside the result (codec/express.ts).
  a.host.receive(place, slot, lane ? mem.read(hot(L, target, X_TAGS)) >>> 8 : mem.read(slotWord(L, slot, S_STATUS)));
  releaseCall(a, place, slot);
  return CALL_OK;
}

/**
 * An asynchronous call: send `meta` to `target` and enter it in the pending table (the host hears of
 * it through `sent(slot, k)` before anything can settle it). `express`: it may go through the
 * target's lane (its arguments fit, and nobody will cancel it: a lane call cannot be cancelled), with
 * the slot as its spill area; else through the slot. Returns the slot (the call's entry either way),
 * or EMPTY when no slot came free within `slotWaitMs` (nothing sent).
 *
 * Only a call made while no other is pending takes the lane: an awaited call, one at a time, then
 * crosses the target's hot line as a blocking call does; calls sent in a burst (pipelined) go through
 * slots, whose pushes would otherwise fight the target over its hot line while it serves the lane
 * (measured: 64 calls in flight, 0.52 → 0.61 µs a call with the lane).
 */
export function callAsync(a: Ctx, target: number, meta: number, slotWaitMs: number, k: number, express: boolean): number {
  const lane = express && a.pendingCount === 0;
  const slot = acquireSlot(a, slotWaitMs);
  if (slot === EMPTY) return EMPTY;
  if (isExpress(sendCall(a, target, meta, slot, lane))) addPendingLane(a, slot, target);
  else addPending(a, slot);
  a.host.sent(slot, k);
  return slot;
}

/** The sequence number an asynchronous call was sent with (with its slot, it names the call). */
export const sentSeq = (a: Ctx, slot: number): number => a.pendingSeq[slot - firstSlot(a.L, a.id)]!;

/** Block (serving) until the asynchronous call sent as (slot, seq) has been collected by `reap`. */
export function awaitCall(a: Ctx, slot: number, seq: number): void {
  waitFor(a, UNTIL_SETTLED, slot, seq);
}

/** Fire and forget. Returns false when no slot came free within `slotWaitMs` (nothing sent). */
export function post(a: Ctx, target: number, meta: number, express: boolean, slotWaitMs: number): boolean {
  if (express && sendCall(a, target, meta, EMPTY, true) !== EMPTY) return true;
  const slot = acquireSlot(a, slotWaitMs);
  if (slot === EMPTY) return false;
  sendCall(a, target, meta, slot, false);
  return true;
}
