/**
 * The pending table: the caller side of every call sent through a slot that is not waited for on the
 * spot (a promise `call`, each target of `callMany`/`onEach`, a call abandoned by a timeout or an
 * abort, a dead predecessor's calls after a restart). `reap` collects the finished ones: it hands a
 * waited-for result to the host (`settle`), drops an abandoned one (`discard`), and gives the slot
 * back, so a late result can never reach a later call: the slot is not reused before it is collected.
 */
import {
  S_DONE,
  S_FREE,
  S_RESERVED,
  S_SEQ,
  S_STATE,
  S_STATUS,
  X_DONE,
  X_FILLED,
  X_FREE,
  X_OWNER,
  X_STATE,
  firstSlot,
  hot,
  isLaneClaimed,
  slotWord,
} from '../layout.js';
import { PENDING_ABANDONED, PENDING_NONE, PENDING_WAITED, type Ctx } from './context.js';
import { releaseSlot } from './pool.js';

/** Enter a sent slot into the table (someone waits for its result). */
export function addPending(a: Ctx, slot: number): void {
  const i = slot - firstSlot(a.L, a.id);
  a.pendingKind[i] = PENDING_WAITED;
  a.pendingSeq[i] = a.mem.read(slotWord(a.L, slot, S_SEQ));
  a.pendingList[a.pendingCount++] = i;
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
 * Does any pending call have its result, or an orphan lane its end (a reason not to park)? The
 * orphan lanes count too: their target rings this agent only if it sees it PARKED, so one finished
 * while this agent was still running must be seen by the re-check, or it is never reclaimed (found
 * by the checker's restart scenario: the lane stayed DONE and its spill slot RESERVED forever).
 */
export function anyDone(a: Ctx): boolean {
  const { mem, L } = a;
  const base = firstSlot(L, a.id);
  for (let k = 0; k < a.pendingCount; k++) {
    if (mem.load(slotWord(L, base + a.pendingList[k]!, S_STATE)) === S_DONE) return true;
  }
  for (let k = 0; k < a.orphanLaneCount; k++) {
    const target = a.orphanLanes[k]!;
    if (!orphanInFlight(a, target, mem.load(hot(L, target, X_STATE)))) return true;
  }
  return false;
}

/** Is the orphan lane of `target`, in state `x`, still the dead predecessor's call in flight? */
function orphanInFlight(a: Ctx, target: number, x: number): boolean {
  // The owner word is published by the store of X_FILLED; a CLAIMED lane is still being written.
  return isLaneClaimed(x) || (x === X_FILLED && a.mem.read(hot(a.L, target, X_OWNER)) === a.id);
}

/** Collect every finished pending call. Returns true when it collected any (or freed an orphan). */
export function reap(a: Ctx): boolean {
  // Kept tiny: it runs in every spin round of every wait, and small enough to inline there.
  return (a.pendingCount !== 0 || a.orphanLaneCount !== 0) && reapSome(a);
}

function reapSome(a: Ctx): boolean {
  const { mem, host, L } = a;
  const base = firstSlot(L, a.id);
  let any = a.orphanLaneCount > 0 && reclaimOrphanLanes(a);
  for (let k = 0; k < a.pendingCount; ) {
    const i = a.pendingList[k]!;
    const slot = base + i;
    const state = mem.load(slotWord(L, slot, S_STATE));
    if (state === S_DONE) {
      const abandoned = a.pendingKind[i] === PENDING_ABANDONED;
      removeAt(a, k);
      // Read before the slot is given back: once FREE this agent may reuse it for another call.
      if (abandoned) host.discard(slot);
      else host.settle(slot, mem.read(slotWord(L, slot, S_STATUS)));
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

/**
 * Lanes a dead predecessor left in flight (adopt.ts): free each once its call is DONE, since nobody
 * will read it. This agent does not use such a lane itself meanwhile (send.ts), so a DONE lane that
 * names this agent as its owner is the predecessor's call.
 */
function reclaimOrphanLanes(a: Ctx): boolean {
  const { mem, L } = a;
  let any = false;
  for (let k = 0; k < a.orphanLaneCount; ) {
    const target = a.orphanLanes[k]!;
    const lane = hot(L, target, X_STATE);
    const x = mem.load(lane);
    if (x === X_DONE && mem.read(hot(L, target, X_OWNER)) === a.id) mem.cas(lane, X_DONE, X_FREE);
    if (orphanInFlight(a, target, x)) k++;
    else {
      // Freed (here, or by a dead-agent cleanup that found its owner dead), or already someone else's.
      a.orphanLanes[k] = a.orphanLanes[--a.orphanLaneCount]!;
      any = true;
    }
  }
  return any;
}

/** Is `target`'s lane one a dead predecessor of this agent may still hold? */
export function orphanLane(a: Ctx, target: number): boolean {
  for (let k = 0; k < a.orphanLaneCount; k++) if (a.orphanLanes[k] === target) return true;
  return false;
}
