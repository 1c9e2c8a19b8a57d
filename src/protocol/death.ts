/**
 * An agent that exits (CPU offline): mark it DEAD and complete every call it held with STATUS_GONE,
 * so no caller waits forever. Run by exactly one agent (the one that observes the exit), which is what
 * makes completing slots here race-free: the dead agent no longer writes, and nobody else cleans.
 */
import {
  DEAD,
  EMPTY,
  F_SYNC,
  HOT_INBOX,
  HOT_STATE,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_META,
  S_NEXT,
  S_STATE,
  S_STATUS,
  S_TARGET,
  STATUS_GONE,
  X_CLAIMED,
  X_DONE,
  X_FILLED,
  X_FREE,
  X_META,
  X_OWNER,
  X_STATE,
  X_TAGS,
  hot,
  metaFlags,
  slotOwner,
  slotWord,
} from '../layout.js';
import type { Ctx } from './context.js';
import { ring } from './doorbell.js';

/** Complete one sync slot with STATUS_GONE, or free a post's slot. */
function failSlot(a: Ctx, slot: number): void {
  const { mem, L } = a;
  if ((metaFlags(mem.read(slotWord(L, slot, S_META))) & F_SYNC) === 0) {
    mem.store(slotWord(L, slot, S_STATE), S_FREE);
  } else {
    mem.write(slotWord(L, slot, S_STATUS), STATUS_GONE);
    mem.store(slotWord(L, slot, S_STATE), S_DONE);
  }
  ring(a, slotOwner(L, slot));
}

/** Mark `dead` DEAD and fail everything it held. Returns how many calls were failed. */
export function failAgent(a: Ctx, dead: number): number {
  const { mem, L } = a;
  mem.store(hot(L, dead, HOT_STATE), DEAD);
  let failed = 0;
  // Queued calls: senders check DEAD before pushing, but one may have pushed just before we marked it,
  // so take the inbox after the mark.
  let s = mem.exchange(hot(L, dead, HOT_INBOX), EMPTY);
  for (let n = 0; s !== EMPTY && n <= L.totalSlots; n++) {
    const next = mem.read(slotWord(L, s, S_NEXT));
    failSlot(a, s);
    failed++;
    s = next;
  }
  // Calls it had taken but not finished: still FILLED, addressed to it.
  for (let slot = 0; slot < L.totalSlots; slot++) {
    if (mem.load(slotWord(L, slot, S_STATE)) === S_FILLED && mem.read(slotWord(L, slot, S_TARGET)) === dead) {
      failSlot(a, slot);
      failed++;
    }
  }
  // Its express lane.
  const lane = hot(L, dead, X_STATE);
  const x = mem.load(lane);
  if (x === X_FILLED || x === X_CLAIMED) {
    const owner = mem.read(hot(L, dead, X_OWNER));
    if ((metaFlags(mem.read(hot(L, dead, X_META))) & F_SYNC) === 0) mem.store(lane, X_FREE);
    else {
      mem.write(hot(L, dead, X_TAGS), STATUS_GONE << 8);
      mem.store(lane, X_DONE);
    }
    ring(a, owner);
    failed++;
  }
  return failed;
}
