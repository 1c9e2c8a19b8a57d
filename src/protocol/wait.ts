/**
 * Waiting, the one loop every blocked agent runs: spin a bounded number of rounds, then park on the
 * bell. In every round the waiter serves its own express lane and inbox (and, on an event-loop agent,
 * settles finished async calls). That is why two agents that call each other synchronously both
 * complete: each serves the other's call while it waits for its own.
 */
import {
  COLD_BELL,
  EMPTY,
  HOT_INBOX,
  HOT_STATE,
  PARKED,
  RUNNING,
  S_FREE,
  S_RESERVED,
  S_STATE,
  X_FILLED,
  X_STATE,
  cold,
  firstSlot,
  hot,
  slotWord,
} from '../layout.js';
import { STAT_PARKS, STAT_SLOT_WAITS, type Ctx } from './context.js';
import { serveOne } from './serve.js';

/** Wait conditions: the word at `index` equals `value`, or this agent has a FREE slot. */
export const UNTIL_EQUAL = 0;
export const UNTIL_FREE_SLOT = 1;

/** Is there anything for this agent to serve right now? */
export function hasWork(a: Ctx): boolean {
  const { mem, L } = a;
  if (a.cursor !== EMPTY) return true;
  if (mem.load(hot(L, a.id, HOT_INBOX)) !== EMPTY) return true;
  return !a.expressBusy && mem.load(hot(L, a.id, X_STATE)) === X_FILLED;
}

/** Announce PARKED and read the bell. The caller must re-check its condition after this. */
export function parkBegin(a: Ctx): number {
  const { mem, L } = a;
  // Store PARKED *before* the re-check (see doorbell.ts): a sender that published before our
  // re-check is seen by it; one that publishes after it sees PARKED and rings.
  mem.store(hot(L, a.id, HOT_STATE), PARKED);
  return mem.load(cold(L, a.id, COLD_BELL));
}

export function parkEnd(a: Ctx): void {
  a.mem.store(hot(a.L, a.id, HOT_STATE), RUNNING);
}

/** Find a FREE slot in this agent's own pool without waiting; EMPTY when none. */
export function findFreeSlot(a: Ctx): number {
  const { mem, L } = a;
  const n = L.slotsPerAgent;
  const base = firstSlot(L, a.id);
  for (let k = 0; k < n; k++) {
    let i = a.nextFree + k;
    if (i >= n) i -= n;
    // Only the owner moves a slot away from FREE, so a FREE seen here stays FREE until we take it.
    if (mem.load(slotWord(L, base + i, S_STATE)) === S_FREE) {
      a.nextFree = i + 1 === n ? 0 : i + 1;
      return base + i;
    }
  }
  return EMPTY;
}

function satisfied(a: Ctx, until: number, index: number, value: number): boolean {
  if (until === UNTIL_EQUAL) return a.mem.load(index) === value;
  return findFreeSlot(a) !== EMPTY;
}

/**
 * Block until the condition holds, serving this agent's own calls meanwhile. Watched, not bounded: a
 * park that times out hands over to the stall watchdog (`host.stalled`), which reports and says how
 * long to sleep next; when a reported wait ends, the watchdog hears that too.
 * With a `deadline` (a `performance.now()` time), give up once it has passed and return false; the
 * clock is read only when the spin budget is spent (so the deadline is kept to about that budget).
 */
export function waitFor(a: Ctx, until: number, index: number, value: number, deadline = Infinity): boolean {
  const { mem, host, L } = a;
  const bell = cold(L, a.id, COLD_BELL);
  let idle = 0;
  let timeout = a.parkTimeoutMs;
  let waited = 0;
  for (;;) {
    if (satisfied(a, until, index, value)) {
      if (waited > 0) host.stalled(index, waited, true);
      return true;
    }
    if (serveOne(a) || host.reap()) {
      idle = 0;
      continue;
    }
    if (idle < a.spinRounds) {
      idle++;
      continue;
    }
    idle = 0;
    let sleep = timeout;
    if (deadline !== Infinity) {
      const left = deadline - performance.now();
      if (left <= 0) {
        if (waited > 0) host.stalled(index, waited, true);
        return false;
      }
      if (left < sleep) sleep = Math.ceil(left);
    }
    const seen = parkBegin(a);
    if (!satisfied(a, until, index, value) && !hasWork(a) && !host.ready()) {
      a.stats[STAT_PARKS]!++;
      // A timed-out park is not an error: the watchdog reports, and the loop goes on. A park cut
      // short by the deadline is not a stall.
      if (mem.wait(bell, seen, sleep) === 'timed-out' && sleep === timeout) {
        waited += timeout;
        timeout = host.stalled(index, waited, false);
      }
    }
    parkEnd(a);
  }
}

/**
 * Take a FREE slot from this agent's own pool, waiting (and serving) while none is free. Never
 * allocates. With a `deadline` (a `performance.now()` time), EMPTY once it has passed with no slot.
 */
export function acquireSlot(a: Ctx, deadline = Infinity): number {
  let slot = findFreeSlot(a);
  if (slot === EMPTY) {
    a.stats[STAT_SLOT_WAITS]!++;
    if (!waitFor(a, UNTIL_FREE_SLOT, 0, 0, deadline)) return EMPTY;
    // waitFor saw a FREE slot, and only this agent takes its own slots: it is still there.
    slot = findFreeSlot(a);
  }
  // Mark it held at once: calls served while we wait later must not pick it.
  a.mem.store(slotWord(a.L, slot, S_STATE), S_RESERVED);
  return slot;
}

/** Take a FREE slot if one is free right now, without waiting; EMPTY when none. */
export function tryAcquireSlot(a: Ctx): number {
  const slot = findFreeSlot(a);
  if (slot !== EMPTY) a.mem.store(slotWord(a.L, slot, S_STATE), S_RESERVED);
  return slot;
}

/** Event-loop agents: try to park without blocking. Returns the bell value to waitAsync on, or -1 when work arrived. */
export function tryPark(a: Ctx): number {
  const seen = parkBegin(a);
  if (hasWork(a) || a.host.ready()) {
    parkEnd(a);
    return -1;
  }
  a.stats[STAT_PARKS]!++;
  return seen;
}
