/**
 * The pending table: the caller side of every call sent through a slot that is not waited for on the
 * spot (a promise `call`, each target of `callMany`/`onEach`, a call abandoned by a timeout or an
 * abort, a dead predecessor's calls after a restart). `reap` collects the finished ones: it hands a
 * waited-for result to the host (`settle`), drops an abandoned one (`discard`), and gives the slot
 * back, so a late result can never reach a later call: the slot is not reused before it is collected.
 */
import {
  EMPTY,
  X_DONE,
  X_STATE,
  X_TAGS,
  hot,
  S_DONE,
  S_FREE,
  S_RESERVED,
  S_SEQ,
  S_STATE,
  S_STATUS,
  firstSlot,
  slotWord,
} from '../layout.js';
import { PENDING_ABANDONED, PENDING_NONE, PENDING_WAITED, expressPlace, type Ctx } from './context.js';
import { keepLane } from './kept-lane.js';
import { fenceCanMove, moveFences } from './fence.js';
import { anyOrphanEnded, reclaimOrphanLanes } from './orphans.js';
import { keepOrReleaseSlot, releaseSlot } from './pool.js';

/** Enter a sent slot into the table (someone waits for its result). */
export function addPending(a: Ctx, slot: number): void {
  const i = slot - firstSlot(a.L, a.id);
  a.pendingKind[i] = PENDING_WAITED;
  a.pendingSeq[i] = a.mem.read(slotWord(a.L, slot, S_SEQ));
  a.pendingList[a.pendingCount++] = i;
}

/**
 * Enter a call sent through `target`'s lane, `slot` its spill area, into the table. The slot's
 * sequence number moves on as if the call had gone through it, so a wait on an earlier call of this
 * slot can tell the two apart (the word is this agent's own: nobody else writes it).
 */
export function addPendingLane(a: Ctx, slot: number, target: number): void {
  const seq = slotWord(a.L, slot, S_SEQ);
  a.mem.write(seq, (a.mem.read(seq) + 1) | 0);
  addPending(a, slot);
  a.pendingLane[slot - firstSlot(a.L, a.id)] = target;
}

/** The agent whose lane holds the pending call entered as `slot` (one of this agent's own), or EMPTY. */
export const pendingLaneOf = (a: Ctx, slot: number): number => a.pendingLane[slot - firstSlot(a.L, a.id)]!;

/** The word whose change ends the pending call entered as `slot`: its lane's state, or its slot's (what a stall report names). */
export function pendingWord(a: Ctx, slot: number): number {
  const lane = pendingLaneOf(a, slot);
  return lane === EMPTY ? slotWord(a.L, slot, S_STATE) : hot(a.L, lane, X_STATE);
}

/** Is the pending call in `target`'s lane finished? */
function laneDone(a: Ctx, target: number): boolean {
  // Our call is in that lane until we collect it: nobody else fills it, so DONE is ours.
  return a.mem.load(hot(a.L, target, X_STATE)) === X_DONE;
}

/** Is the call sent as (slot, seq) still waiting to be collected? */
export function isPending(a: Ctx, slot: number, seq: number): boolean {
  const i = slot - firstSlot(a.L, a.id);
  return a.pendingKind[i] !== PENDING_NONE && a.pendingSeq[i] === seq;
}

function removeAt(a: Ctx, k: number): void {
  const i = a.pendingList[k]!;
  if (a.pendingKind[i] === PENDING_ABANDONED) a.abandonedCount--;
  a.pendingKind[i] = PENDING_NONE;
  a.pendingList[k] = a.pendingList[--a.pendingCount]!;
}

/** Is the call sent as (slot, seq) still awaited (pending, and not abandoned)? */
export function isAwaited(a: Ctx, slot: number, seq: number): boolean {
  const i = slot - firstSlot(a.L, a.id);
  return a.pendingKind[i] === PENDING_WAITED && a.pendingSeq[i] === seq;
}

/** Take a slot out of the table without collecting it (a call cancelled before it started). */
export function removePending(a: Ctx, slot: number): void {
  const i = slot - firstSlot(a.L, a.id);
  for (let k = 0; k < a.pendingCount; k++) {
    if (a.pendingList[k] === i) {
      removeAt(a, k);
      return;
    }
  }
}

/** Nobody waits for this call any more: keep its slot until the late result comes, then drop it. */
export function abandonPending(a: Ctx, slot: number): void {
  const i = slot - firstSlot(a.L, a.id);
  if (a.pendingKind[i] === PENDING_ABANDONED) return;
  if (a.pendingKind[i] === PENDING_NONE) {
    a.pendingSeq[i] = a.mem.read(slotWord(a.L, slot, S_SEQ));
    a.pendingList[a.pendingCount++] = i;
  }
  a.pendingKind[i] = PENDING_ABANDONED;
  a.abandonedCount++;
}

/**
 * Is there a reason not to park: a pending call with its result (or an abandoned one passed over,
 * whose slot a wait for a free slot needs), an orphan lane with its end, a fence
 * with its answer or a lane free to send one? Each of those ends by another agent's store, and that
 * agent rings this one only if it sees it PARKED, so one that ended while this agent was still running
 * must be seen by this re-check, or it is never collected (found by the checker's restart scenario:
 * an orphan lane stayed DONE and its spill slot RESERVED forever).
 */
export function anyDone(a: Ctx): boolean {
  const { mem, L } = a;
  const base = firstSlot(L, a.id);
  for (let k = 0; k < a.pendingCount; k++) {
    const i = a.pendingList[k]!;
    const lane = a.pendingLane[i]!;
    if (lane !== EMPTY) {
      if (laneDone(a, lane)) return true;
      continue;
    }
    const state = mem.load(slotWord(L, base + i, S_STATE));
    // FREE: an abandoned call its target passed, whose slot `reap` gives back to the pool.
    if (state === S_DONE || (state === S_FREE && a.pendingKind[i] === PENDING_ABANDONED)) return true;
  }
  return (a.orphanLaneCount !== 0 && anyOrphanEnded(a)) || (a.fenceCount !== 0 && fenceCanMove(a));
}

/** Collect every finished pending call. Returns true when it collected any (or freed an orphan). */
export function reap(a: Ctx): boolean {
  // Kept tiny: it runs in every spin round of every wait, and small enough to inline there.
  return (a.pendingCount | a.orphanLaneCount | a.fenceCount) !== 0 && reapSome(a);
}

function reapSome(a: Ctx): boolean {
  const { mem, host, L } = a;
  const base = firstSlot(L, a.id);
  let any = a.orphanLaneCount > 0 && reclaimOrphanLanes(a);
  // Before the table: a fence's answer may free orphans, which the loop below then collects.
  if (a.fenceCount > 0 && moveFences(a)) any = true;
  for (let k = 0; k < a.pendingCount; ) {
    const i = a.pendingList[k]!;
    const slot = base + i;
    const lane = a.pendingLane[i]!;
    if (lane !== EMPTY) {
      // A call in a lane is never abandoned by a live caller (it cannot be cancelled), so it is waited for.
      if (!laneDone(a, lane)) {
        k++;
        continue;
      }
      removeAt(a, k);
      // Its status travels in the lane's tags, beside the result (codec/express.ts), as a blocking call's.
      host.settle(expressPlace(lane), slot, mem.read(hot(L, lane, X_TAGS)) >>> 8);
      a.pendingLane[i] = EMPTY;
      keepLane(a, lane);
      // Its spill slot is still RESERVED: keep it for the next call, as a blocking lane call does (pool.ts).
      keepOrReleaseSlot(a, slot);
      any = true;
      continue;
    }
    const state = mem.load(slotWord(L, slot, S_STATE));
    if (state === S_DONE) {
      const abandoned = a.pendingKind[i] === PENDING_ABANDONED;
      removeAt(a, k);
      // Read before the slot is given back: once FREE this agent may reuse it for another call.
      if (abandoned) host.discard(slot);
      else host.settle(slot, slot, mem.read(slotWord(L, slot, S_STATUS)));
      releaseSlot(a, slot);
      any = true;
    } else if (state === S_FREE && a.pendingKind[i] === PENDING_ABANDONED) {
      // A cancelled call the target (or the death flush) has passed: nothing comes back.
      removeAt(a, k);
      any = true;
    } else if (state === S_RESERVED && a.pendingKind[i] === PENDING_ABANDONED && a.orphanLaneCount === 0) {
      // A dead predecessor's spill slot: no lane call of ours can write into it any more.
      removeAt(a, k);
      releaseSlot(a, slot);
      any = true;
    } else k++;
  }
  return any;
}
