/**
 * Call order per caller → target: every call from one agent to another, whatever its kind (post,
 * call, callSync, callAny, a part of callMany/onEach, a hop of a nested chain, a fence), must begin
 * on the target in the order its caller made it. The torture's check of that rule:
 *
 * - the caller's seq (A_NEXT_SEQ, taken by `issue` or `takeSeq`) grows with every call it makes, so
 *   the calls to one target carry increasing seqs; a restarted agent continues its seq;
 * - the target, when a call begins, raises the pair's P_RAN_MAX to the call's seq (a bounded
 *   compare-exchange loop); a call that finds it already above its own seq ran after a later call.
 *
 * Not a violation:
 * - a call to self (runs inline, at once: ordered trivially);
 * - a call made while an earlier call's send was still in progress on the same thread (the earlier
 *   call's slot wait or blocking wait served a call that made it): the two are not ordered. The
 *   caller notes this in the earlier call's R_CEIL (`issuedDuringSends`);
 * - a call whose involved agents were hit by an injected fault (the target or caller was killed and
 *   restarted): counted as "affected" where its status says so;
 * - a call that never runs (cancelled before it started, refused, failed with "agent gone"): nothing
 *   to check; it does not raise P_RAN_MAX.
 * A fence (no record) raises P_RAN_MAX but is not itself checked.
 */
import { KINDS, K_TIMEOUT, M_ORDER, type Kind } from './kinds.js';
import { F_ANY, P_FENCE, P_RAN_MAX, R_AFTER, R_CEIL, R_EPOCH, R_EXPECT, R_INVOLVED, R_MASK_RAN, R_STATUS, R_TAG, ST_ABANDONED, ST_MASK, type Ledger } from './ledger.js';
import { noteError } from './errors-seen.js';

// ------------------------------------------------------------ caller side

/** Sends in progress on this thread (record and tag, innermost last). Deeper nesting is not tracked. */
const MAX_OPEN = 64;
const openRec = new Int32Array(MAX_OPEN);
const openTag = new Int32Array(MAX_OPEN);
let depth = 0;

/** The API call that sends call `seq` (record `rec`) begins on this thread. Pair with `sendEnds` (finally). */
export function sendBegins(rec: number, seq: number): void {
  if (depth < MAX_OPEN) {
    openRec[depth] = rec;
    openTag[depth] = seq + 1;
  }
  depth++;
}

/** ... and has returned (or thrown). */
export function sendEnds(): void {
  if (depth > 0) depth--;
}

/** Sends in progress on this thread (for tests). */
export const sendsInProgress = (): number => depth;

/** Call `seq` is being made on this thread: every send still in progress here is not ordered before it. */
export function issuedDuringSends(L: Ledger, seq: number): void {
  const n = depth < MAX_OPEN ? depth : MAX_OPEN;
  for (let k = 0; k < n; k++) {
    const rec = openRec[k]!;
    if (Atomics.load(L.i32, rec + R_TAG) === openTag[k]) Atomics.store(L.i32, rec + R_CEIL, seq + 1);
  }
}

// ------------------------------------------------------------ target side

/** The bound of the compare-exchange loop (only the target's thread writes a pair's word; a retry is rare). */
const MAX_TRIES = 64;

/**
 * Call `seq` of `caller` (record `rec`, or -1 for a fence) begins on `target`: raise the pair's
 * highest seq run, and count an order violation when a later call already ran. Returns false for a
 * violation. Allocates nothing unless it reports.
 */
export function ranInOrder(L: Ledger, caller: number, target: number, seq: number, rec: number): boolean {
  if (caller === target) return true;
  const i32 = L.i32;
  const w = L.pairWord(P_RAN_MAX, caller, target);
  const mine = seq + 1;
  let max = Atomics.load(i32, w);
  for (let k = 0; max < mine && k < MAX_TRIES; k++) {
    const was = Atomics.compareExchange(i32, w, max, mine);
    if (was === max) return true;
    max = was;
  }
  // max === mine: a second run of this call (counted as a duplicate by the executor).
  if (max <= mine || rec < 0) return true;
  if (max <= Atomics.load(i32, rec + R_CEIL)) return true;
  if (L.affected(Atomics.load(i32, rec + R_INVOLVED), Atomics.load(i32, rec + R_EPOCH))) return true;
  Atomics.store(i32, rec + R_AFTER, max);
  const kind: Kind = (Atomics.load(i32, rec + R_STATUS) >> 8) & 0xf;
  L.count(kind, M_ORDER);
  noteError(L, kind, orderViolation(L, caller, target, seq, kind, max - 1));
  return false;
}

/**
 * "order violation: call X (kind) from agent A to agent B ran after a later call Y (kind)", and what
 * the caller sent that target in between (a call it gave up on, say), for whoever hunts the cause.
 */
export function orderViolation(L: Ledger, caller: number, target: number, seq: number, kind: Kind, later: number): string {
  const head = `order violation: call ${seq} (${KINDS[kind] ?? kind}) from agent ${caller} to agent ${target} ran after a later call ${later} (${laterKind(L, caller, target, later)})`;
  const mid = between(L, caller, target, seq, later);
  return mid === '' ? head : `${head}; sent to agent ${target} in between: ${mid}`;
}

const STATUS_WORDS = ['?', 'pending', 'ok', 'posted', 'agent gone', 'given up', 'reported', 'refused', 'overtaken'];
const BETWEEN_SCAN = 64;

/**
 * The calls from `caller` to `target` strictly between two seqs (looking at a bounded stretch): how
 * many, and the ones its caller gave up on (timeouts and aborts, given up or still pending).
 */
function between(L: Ledger, caller: number, target: number, from: number, to: number): string {
  const bit = 1 << target;
  let count = 0;
  const cancelled: string[] = [];
  for (let s = from + 1; s < to && s - from <= BETWEEN_SCAN; s++) {
    const rec = L.record(caller, s);
    if (L.load(rec + R_TAG) !== s + 1 || !(L.load(rec + R_EXPECT) & bit)) continue;
    const st = L.load(rec + R_STATUS);
    const ran = (L.load(rec + R_MASK_RAN) & bit) !== 0;
    if (st & F_ANY && !ran) continue; // a callAny that ran elsewhere
    count++;
    const kind = (st >> 8) & 0xf;
    if ((st & ST_MASK) === ST_ABANDONED || kind === K_TIMEOUT) {
      if (cancelled.length < 4) cancelled.push(`${s} (${KINDS[kind] ?? '?'}, ${STATUS_WORDS[st & ST_MASK] ?? st & ST_MASK}, ${ran ? 'ran' : 'not run'})`);
    }
  }
  if (count === 0) return '';
  const of = cancelled.length > 0 ? `, among them calls its caller may have given up on: ${cancelled.join(', ')}` : ', none of them one its caller gave up on';
  return `${count} call(s)${to - from > BETWEEN_SCAN + 1 ? ` in the first ${BETWEEN_SCAN}` : ''}${of}`;
}

function laterKind(L: Ledger, caller: number, target: number, later: number): string {
  if (L.load(L.pairWord(P_FENCE, caller, target)) === later + 1) return 'fence';
  const rec = L.record(caller, later);
  if (L.load(rec + R_TAG) === later + 1) return KINDS[(L.load(rec + R_STATUS) >> 8) & 0xf] ?? '?';
  return 'a fence, or a call already retired';
}
