/**
 * The inbox: a lock-free LIFO list of slots per agent (the kernel's llist `call_single_queue`).
 * Senders push one slot with a CAS; the owner takes the whole list with one exchange and reverses it
 * into call order. There is no pop of a single element, so there is no ABA problem.
 */
import { EMPTY, HOT_INBOX, S_NEXT, S_TAKEN, hot, slotWord } from '../layout.js';
import { corrupt } from '../errors.js';
import type { Ctx } from './context.js';

/** A CAS that keeps failing means other senders keep succeeding; this many failures means corruption. */
const MAX_PUSH_TRIES = 1 << 20;

/** Push `slot` on `target`'s inbox. Returns true when the inbox was empty before (the target may need a bell). */
export function pushInbox(a: Ctx, target: number, slot: number): boolean {
  const { mem, L } = a;
  const head = hot(L, target, HOT_INBOX);
  const next = slotWord(L, slot, S_NEXT);
  let old = mem.load(head);
  for (let tries = 0; tries < MAX_PUSH_TRIES; tries++) {
    // The link is written before the CAS that publishes the slot: whoever takes the list
    // after the CAS (SeqCst) reads this link.
    mem.write(next, old);
    const seen = mem.cas(head, old, slot);
    if (seen === old) return old === EMPTY;
    old = seen;
  }
  throw corrupt(`inbox of agent ${target} never settled after ${MAX_PUSH_TRIES} attempts`);
}

/** Take every slot queued for agent `me` (newest first), or EMPTY. Polls with a load, not a write. */
export function takeInbox(a: Ctx): number {
  const { mem, L } = a;
  const head = hot(L, a.id, HOT_INBOX);
  // A plain poll must not write: an exchange would pull the line away from every sender each round.
  if (mem.load(head) === EMPTY) return EMPTY;
  return mem.exchange(head, EMPTY);
}

/** Reverse a taken list in place into call order. Bounded: a cycle or a bad index is reported, not followed. */
export function reverseBatch(a: Ctx, head: number): number {
  const { mem, L } = a;
  let prev = EMPTY;
  let cur = head;
  for (let n = 0; cur !== EMPTY; n++) {
    if (cur < 0 || cur >= L.totalSlots || cur !== (cur | 0)) {
      throw corrupt(`inbox of agent ${a.id} holds slot index ${cur}, outside 0..${L.totalSlots - 1}`);
    }
    if (n >= L.totalSlots) throw corrupt(`inbox of agent ${a.id} has a cycle (more than ${L.totalSlots} slots)`);
    const link = slotWord(L, cur, S_NEXT);
    const next = mem.read(link);
    mem.write(link, prev);
    // Same line as the link we write anyway: marks the call as ours, so if this agent dies its
    // taken-but-unfinished calls can be told from calls that were never queued (death.ts).
    mem.write(slotWord(L, cur, S_TAKEN), 1);
    prev = cur;
    cur = next;
  }
  return prev;
}
