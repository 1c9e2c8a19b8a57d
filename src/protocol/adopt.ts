/**
 * Restart under the same id: a fresh thread takes over a dead agent's id, its slot pool and the lane
 * calls it had in flight. Its predecessor's finished calls are freed at once; the ones still out
 * (queued, running at another agent, a lane still being served) enter the pending table abandoned, so
 * `reap` frees each when it comes back and no late result can reach the new thread's calls. A slot
 * the predecessor was killed in the middle of sending gets a fence to its target (fence.ts).
 * Runs before `revive`, while the id is still DEAD: nobody serves under it yet.
 */
import {
  COLD_BUSY_CALL,
  COLD_BUSY_FROM,
  HOT_INBOX,
  HOT_STATE,
  INBOX_EMPTY,
  inboxEpoch,
  inboxWord,
  RUNNING,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_PUSHED,
  S_RUNNING,
  S_STATE,
  S_TARGET,
  X_DONE,
  X_FILLED,
  X_FREE,
  X_OWNER,
  X_STATE,
  cold,
  firstSlot,
  hot,
  slotWord,
} from '../layout.js';
import type { Ctx } from './context.js';
import { lockCleanup, unlockCleanup } from './lock.js';
import { wantFence } from './fence.js';
import { abandonPending } from './pending.js';
import { releaseSlot } from './pool.js';

export function adopt(a: Ctx): void {
  const { mem, L } = a;
  mem.note(cold(L, a.id, COLD_BUSY_CALL), 0);
  mem.note(cold(L, a.id, COLD_BUSY_FROM), 0);
  const base = firstSlot(L, a.id);
  for (let s = base; s < base + L.slotsPerAgent; s++) {
    const state = mem.load(slotWord(L, s, S_STATE));
    if (state === S_DONE) releaseSlot(a, s);
    else if (state !== S_FREE) {
      abandonPending(a, s);
      // Killed between filling it and marking it pushed: only its target can say where it is.
      if ((state === S_FILLED || state === S_RUNNING) && mem.load(slotWord(L, s, S_PUSHED)) < 0) wantFence(a, mem.read(slotWord(L, s, S_TARGET)));
    }
  }
  for (let t = 0; t < L.agents; t++) {
    const lane = hot(L, t, X_STATE);
    const x = mem.load(lane);
    // The owner word is published by X_FILLED; a lane the predecessor had only claimed was freed by
    // its death cleanup.
    if ((x !== X_FILLED && x !== X_DONE) || mem.read(hot(L, t, X_OWNER)) !== a.id) continue;
    if (x === X_DONE) mem.cas(lane, X_DONE, X_FREE);
    else a.orphanLanes[a.orphanLaneCount++] = t;
  }
}

/** Come back to life under the adopted id (after `adopt`): calls to it are served again. */
export function revive(a: Ctx): void {
  const { mem, L } = a;
  lockCleanup(a);
  try {
    // A new incarnation: its inbox opens again, empty; pushes to the old one stay refused.
    const head = hot(L, a.id, HOT_INBOX);
    mem.store(head, inboxWord(inboxEpoch(mem.load(head)) + 1, INBOX_EMPTY));
    mem.store(hot(L, a.id, HOT_STATE), RUNNING);
  } finally {
    unlockCleanup(a);
  }
}
