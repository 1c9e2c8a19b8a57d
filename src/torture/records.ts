/**
 * The life of one call's record: issued by the caller before the call is sent, marked with what the
 * caller learned, and retired (checked one last time) before its place in the ring is reused or at
 * the end of the run. Retiring is where lost calls and excused failures are told apart.
 */
import {
  A_NEXT_SEQ,
  F_ANY,
  R_AFTER,
  R_CEIL,
  R_EPOCH,
  R_EXPECT,
  R_FIN,
  R_INVOLVED,
  R_MASK_RAN,
  R_RAN,
  R_STATUS,
  R_TAG,
  ST_ABANDONED,
  ST_GONE,
  ST_MASK,
  ST_OK,
  ST_PENDING,
  ST_POSTED,
  ST_REPORTED,
  ST_REFUSED,
  ST_OVERTAKEN,
  popcount,
  type Ledger,
} from './ledger.js';
import { KINDS, M_AFFECTED, M_CALLS, M_LATE, M_LOST, M_OK, M_ORDER, M_REFUSED, M_RUNS, M_UNEXPECTED, type Kind } from './kinds.js';
import { noteError } from './errors-seen.js';
import { issuedDuringSends } from './order.js';

export interface Issued {
  seq: number;
  rec: number;
  check: number;
  kind: Kind;
}

const bit = (a: number): number => 1 << a;

/**
 * Take the next seq of agent `caller` (the calling thread's own agent), for a call with a record or
 * a fence without one: every send still in progress on this thread is not ordered before it.
 */
export function takeSeq(L: Ledger, caller: number): number {
  const seq = L.add(L.agentWord(caller, A_NEXT_SEQ), 1);
  issuedDuringSends(L, seq);
  return seq;
}

/** Take the next id of agent `caller` and fill its record (retiring what was there). */
export function issue(L: Ledger, caller: number, kind: Kind, expect: number, involved: number, flags = 0): Issued {
  const seq = takeSeq(L, caller);
  const rec = L.record(caller, seq);
  if (L.load(rec + R_TAG) !== 0) retire(L, rec);
  const check = (Math.random() * 4294967296) >>> 0;
  const i32 = L.i32;
  Atomics.store(i32, rec + R_RAN, 0);
  Atomics.store(i32, rec + R_MASK_RAN, 0);
  Atomics.store(i32, rec + R_FIN, 0);
  Atomics.store(i32, rec + R_CEIL, 0);
  Atomics.store(i32, rec + R_AFTER, 0);
  Atomics.store(i32, rec + R_EXPECT, expect);
  const all = involved | bit(caller);
  Atomics.store(i32, rec + R_INVOLVED, all);
  Atomics.store(i32, rec + R_EPOCH, L.epochSum(all));
  Atomics.store(i32, rec + R_STATUS, ST_PENDING | (kind << 8) | flags);
  // The tag last: an executor that sees this id's tag sees the whole record.
  Atomics.store(i32, rec + R_TAG, seq + 1);
  L.count(kind, M_CALLS);
  return { seq, rec, check, kind };
}

/** Record what the caller learned (keeps kind and flags). */
export function mark(L: Ledger, rec: number, status: number, extra = 0): void {
  const old = L.load(rec + R_STATUS);
  L.store(rec + R_STATUS, (old & ~ST_MASK & 0xffff) | status | (extra << 16));
}

/** Agents expected to run it that have not (so far). */
function missing(L: Ledger, rec: number): number {
  if (L.load(rec + R_STATUS) & F_ANY) return L.load(rec + R_RAN) === 0 ? 1 : 0;
  return popcount(L.load(rec + R_EXPECT) & ~L.load(rec + R_MASK_RAN));
}

/**
 * A post's targets have all been fenced (a later blocking call to each returned, and calls from one
 * caller to one target run in order): it must have run everywhere, unless a fault hit. One that has
 * not is either overtaken by the fence (an order violation, which its executor reports if it runs
 * later) or lost (if it never runs): marked ST_OVERTAKEN, and `retire` tells which.
 */
export function checkPosted(L: Ledger, rec: number, seq: number): void {
  if (L.load(rec + R_TAG) !== seq + 1) return;
  const st = L.load(rec + R_STATUS);
  if ((st & ST_MASK) !== ST_POSTED) return;
  if (missing(L, rec) === 0 || L.affected(L.load(rec + R_INVOLVED), L.load(rec + R_EPOCH))) return;
  mark(L, rec, ST_OVERTAKEN);
}

/** The last word on a record: count it and free its place. */
export function retire(L: Ledger, rec: number): void {
  const tag = L.load(rec + R_TAG);
  if (tag === 0) return;
  const st = L.load(rec + R_STATUS);
  const kind = (st >> 8) & 0xf;
  const status = st & ST_MASK;
  L.count(kind, M_RUNS, L.load(rec + R_RAN));
  const miss = missing(L, rec);
  const affected = L.affected(L.load(rec + R_INVOLVED), L.load(rec + R_EPOCH));
  const what = `id ${tag - 1}`;
  // Ran after a later call: its executor counted the order violation; it is not "ok".
  const outOfOrder = L.load(rec + R_AFTER) !== 0;
  switch (status) {
    case ST_OK:
      if (miss === 0) {
        if (!outOfOrder) L.count(kind, M_OK);
      }
      else {
        L.count(kind, M_LOST);
        noteError(L, kind, `lost: ${what} returned a result but did not run on ${miss} of its targets`);
      }
      break;
    case ST_POSTED:
      if (miss === 0) {
        if (!outOfOrder) L.count(kind, M_OK);
      } else if (affected) L.count(kind, M_AFFECTED);
      else {
        L.count(kind, M_LOST);
        noteError(L, kind, `lost: post ${what} never ran on ${miss} of its targets`);
      }
      break;
    case ST_GONE:
      if (affected) L.count(kind, M_AFFECTED);
      else {
        L.count(kind, M_UNEXPECTED);
        noteError(L, kind, `${what} failed with "agent gone" but no fault was injected into the agents it involved`);
      }
      break;
    case ST_ABANDONED:
      if (L.load(rec + R_FIN) > st >>> 16) L.count(kind, M_LATE);
      break;
    case ST_PENDING:
      if (affected) L.count(kind, M_AFFECTED);
      else {
        L.count(kind, M_LOST);
        noteError(L, kind, `lost: ${what} never completed (its caller still waits, or forgot it)`);
      }
      break;
    case ST_REFUSED:
      L.count(kind, M_REFUSED);
      break;
    case ST_OVERTAKEN:
      if (miss === 0) {
        // It ran, after the fence: its executor counted that, unless it was excused there.
        if (outOfOrder) break;
        if (affected) L.count(kind, M_AFFECTED);
        else {
          L.count(kind, M_ORDER);
          noteError(L, kind, `order violation: post ${what} (${KINDS[kind] ?? kind}) from agent ${L.callerOf(rec)} ran only after a later fence to its targets had returned`);
        }
      } else if (affected) L.count(kind, M_AFFECTED);
      else {
        L.count(kind, M_LOST);
        noteError(L, kind, `lost: post ${what} from agent ${L.callerOf(rec)} never ran on ${miss} of its targets (a later fence to them returned)`);
      }
      break;
    case ST_REPORTED:
      break;
    default:
      L.count(kind, M_UNEXPECTED);
      noteError(L, kind, `${what} has a corrupt record status ${status}`);
  }
  L.store(rec + R_TAG, 0);
}

export { ST_ABANDONED, ST_GONE, ST_OK, ST_OVERTAKEN, ST_POSTED, ST_REPORTED, ST_REFUSED, M_UNEXPECTED };
