/**
 * The inbox: a lock-free LIFO list of slots per agent (the kernel's llist `call_single_queue`).
 * Senders push one slot with a CAS; the owner takes the whole list with one exchange and reverses it
 * into call order. There is no pop of a single element, so there is no ABA problem.
 *
 * The head word also carries the agent's incarnation and, once it is dead, a marker that makes every
 * push fail: no call is ever pushed onto the inbox of an agent that is gone (death.ts).
 */
import { EMPTY, HOT_INBOX, INBOX_DEAD, INBOX_EMPTY, S_NEXT, S_PUSHED, hot, inboxEpoch, inboxField, inboxWord, pushedMark, slotWord } from '../layout.js';
import { corrupt } from '../errors.js';
import type { Ctx } from './context.js';

/** A CAS that keeps failing means other senders keep succeeding; this many failures means corruption. */
const MAX_PUSH_TRIES = 1 << 20;

/** `pushInbox` results (the low two bits; the incarnation pushed into is above them). */
export const PUSH_REFUSED = 0; // the target is dead: nothing was pushed
export const PUSH_QUEUED = 1; // pushed behind calls already queued (already announced to the target)
export const PUSH_FIRST = 2; // pushed onto an empty inbox: the target may need its doorbell
export const pushResult = (r: number): number => r & 3;
export const pushEpoch = (r: number): number => r >>> 2;

/**
 * Push `slot` on `target`'s inbox. `seen` is the head as the caller last loaded it, and the slot's
 * S_PUSHED already names that head's incarnation (send.ts): if a retry finds another incarnation,
 * S_PUSHED is moved to it before the CAS, so it always names where the one successful CAS went.
 * Returns PUSH_* | incarnation << 2.
 */
export function pushInbox(a: Ctx, target: number, slot: number, seen: number): number {
  const { mem, L } = a;
  const head = hot(L, target, HOT_INBOX);
  const next = slotWord(L, slot, S_NEXT);
  let old = seen;
  let intended = inboxEpoch(seen);
  for (let tries = 0; tries < MAX_PUSH_TRIES; tries++) {
    const field = inboxField(old);
    const epoch = inboxEpoch(old);
    if (field === INBOX_DEAD) return (epoch << 2) | PUSH_REFUSED;
    if (epoch !== intended) {
      // The target died and came back since the fill (rare): say which incarnation this CAS tries.
      mem.store(slotWord(L, slot, S_PUSHED), -pushedMark(epoch));
      intended = epoch;
    }
    // The link is written before the CAS that publishes the slot: whoever takes the list
    // after the CAS (SeqCst) reads this link.
    mem.write(next, field === INBOX_EMPTY ? EMPTY : field);
    const got = mem.cas(head, old, inboxWord(epoch, slot));
    if (got === old) return (epoch << 2) | (field === INBOX_EMPTY ? PUSH_FIRST : PUSH_QUEUED);
    old = got;
  }
  throw corrupt(`inbox of agent ${target} never settled after ${MAX_PUSH_TRIES} attempts`);
}

/** Is anything queued on `target`'s inbox? */
export function inboxHolds(a: Ctx, target: number): boolean {
  const field = inboxField(a.mem.load(hot(a.L, target, HOT_INBOX)));
  return field !== INBOX_EMPTY && field !== INBOX_DEAD;
}

/** Take every slot queued for agent `me` (newest first), or EMPTY. Polls with a load, not a write. */
export function takeInbox(a: Ctx): number {
  const { mem, L } = a;
  const head = hot(L, a.id, HOT_INBOX);
  // A plain poll must not write: an exchange would pull the line away from every sender each round.
  const seen = mem.load(head);
  const field = inboxField(seen);
  if (field === INBOX_EMPTY || field === INBOX_DEAD) return EMPTY;
  // Only this agent empties its inbox, and its incarnation changes only while it is dead: the head
  // still holds a list of this incarnation.
  return inboxField(mem.exchange(head, inboxWord(inboxEpoch(seen), INBOX_EMPTY)));
}

/**
 * Reverse a taken list in place into call order. Bounded: a bad index or a slot met twice (a cycle,
 * however short) is reported (`host.corrupt`), not followed: the list ends before it, so the calls
 * taken up to there still run.
 */
export function reverseBatch(a: Ctx, head: number): number {
  const { mem, L } = a;
  const stamp = (a.batchStamp = (a.batchStamp + 1) | 0 || 1);
  let prev = EMPTY;
  let cur = head;
  while (cur !== EMPTY) {
    if (cur < 0 || cur >= L.totalSlots || cur !== (cur | 0)) {
      a.host.corrupt(`the inbox of agent ${a.id} holds slot index ${cur}, outside 0..${L.totalSlots - 1}`);
      break;
    }
    if (a.seenIn[cur] === stamp) {
      a.host.corrupt(`the inbox of agent ${a.id} has a cycle through slot ${cur}`);
      break;
    }
    a.seenIn[cur] = stamp;
    const link = slotWord(L, cur, S_NEXT);
    const next = mem.read(link);
    mem.write(link, prev);
    prev = cur;
    cur = next;
  }
  return prev;
}
