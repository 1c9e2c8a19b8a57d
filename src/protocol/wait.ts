/**
 * Waiting, the one loop every blocked agent runs: spin a bounded number of rounds, then park on the
 * bell. In every round the waiter serves its own express lane and inbox and collects its finished
 * pending calls. That is why two agents that call each other synchronously both complete: each serves
 * the other's call while it waits for its own.
 */
import {
  COLD_BELL,
  EMPTY,
  HOT_STATE,
  PARKED,
  RUNNING,
  STAT_PARKS,
  X_FILLED,
  S_STATE,
  X_STATE,
  cold,
  hot,
  slotWord,
} from '../layout.js';
import type { Ctx } from './context.js';
import { anyDone, isPending, reap } from './pending.js';
import { findFreeSlot, releaseKeptSlot } from './pool.js';
import { serveOne } from './serve.js';
import { inboxHolds } from './inbox.js';
import { publishStats } from './stats.js';
import { releaseKeptLane } from './kept-lane.js';
import { failExited } from './death.js';
import { GATE_ROUNDS_MASK, coreFree } from './poll.js';

/** Wait conditions. */
/** The word at `index` equals `value`. */
export const UNTIL_EQUAL = 0;
/** This agent has a FREE slot. */
export const UNTIL_FREE_SLOT = 1;
/** The pending call sent through slot `index` with sequence number `value` has been collected. */
export const UNTIL_SETTLED = 2;

/** Is there anything for this agent to serve right now? */
export function hasWork(a: Ctx): boolean {
  const { mem, L } = a;
  if (a.cursor !== EMPTY) return true;
  if (inboxHolds(a, a.id)) return true;
  return !a.expressBusy && mem.load(hot(L, a.id, X_STATE)) === X_FILLED;
}

/** Read the bell, then announce PARKED. The caller must re-check its condition after this. */
export function parkBegin(a: Ctx): number {
  const { mem, L } = a;
  publishStats(a);
  // Asleep, it cannot tell when it will call again: let others have the lane it keeps, and hold no
  // slot it does not use.
  releaseKeptLane(a);
  releaseKeptSlot(a);
  // Read the bell *before* announcing PARKED: a sender rings only after it has seen PARKED (and
  // taken it to RUNNING: doorbell.ts), so every ring meant for this park moves the bell off `seen`
  // and the wait on `seen` returns. Read after PARKED, a ring landing in between would be absorbed
  // into `seen` while the state it left (RUNNING) tells every later sender not to ring.
  const seen = mem.load(cold(L, a.id, COLD_BELL));
  // Store PARKED *before* the re-check (see doorbell.ts): a sender that published before our
  // re-check is seen by it; one that publishes after it sees PARKED and rings.
  mem.store(hot(L, a.id, HOT_STATE), PARKED);
  return seen;
}

export function parkEnd(a: Ctx): void {
  a.mem.store(hot(a.L, a.id, HOT_STATE), RUNNING);
}

function satisfied(a: Ctx, until: number, index: number, value: number): boolean {
  if (until === UNTIL_EQUAL) return a.mem.load(index) === value;
  return until === UNTIL_SETTLED ? !isPending(a, index, value) : findFreeSlot(a) !== EMPTY;
}

/**
 * Block until the condition holds, serving this agent's own calls meanwhile. Watched, not bounded: a
 * park that times out hands over to the stall watchdog (`host.stalled`), which reports and says how
 * long to sleep next; when a reported wait ends, the watchdog hears that too. On a thread told of
 * worker exits (`watchMs` finite: Node's main thread, the parent of every worker), parks last at most
 * `watchMs`, and each that times out first completes the calls of workers that ended meanwhile: the
 * exit event that would have done it cannot run while this thread blocks.
 * With a `deadline` (a `host.now()` time), give up once it has passed and return false; the clock is
 * read only when the spin budget is spent (so the deadline is kept to about that budget).
 */
export function waitFor(a: Ctx, until: number, index: number, value: number, deadline = Infinity): boolean {
  const { host, L } = a;
  const bell = cold(L, a.id, COLD_BELL);
  let idle = 0;
  // Timed-out sleep still to go before the watchdog is told (again), and timed-out sleep so far.
  let untilReport = a.parkTimeoutMs;
  let waited = 0;
  let reported = false;
  // What the watchdog is told this wait is on: a word (a pending call: its slot's state word).
  const watched = until === UNTIL_SETTLED ? slotWord(L, index, S_STATE) : index;
  for (;;) {
    if (satisfied(a, until, index, value)) {
      if (reported) host.stalled(watched, waited, true);
      return true;
    }
    if (serveOne(a) || reap(a)) {
      idle = 0;
      continue;
    }
    // Spin only where a core is free (poll.ts): look when a spin begins and now and then during it.
    if (a.coreGate && (idle & GATE_ROUNDS_MASK) === 0 && !coreFree(a)) idle = a.spinRounds;
    if (idle < a.spinRounds) {
      if (++idle === a.spinRounds >> 1) host.spinHalfway();
      continue;
    }
    idle = 0;
    let sleep = untilReport < a.watchMs ? untilReport : a.watchMs;
    let cut = false;
    if (deadline !== Infinity) {
      const left = deadline - host.now();
      if (left <= 0) {
        if (reported) host.stalled(watched, waited, true);
        return false;
      }
      if (left < sleep) {
        sleep = Math.ceil(left);
        cut = true;
      }
    }
    const seen = parkBegin(a);
    let timedOut = false;
    if (!satisfied(a, until, index, value) && !hasWork(a) && !anyDone(a)) {
      a.stats[STAT_PARKS]!++;
      host.parking();
      timedOut = sleepOnBell(a, bell, seen, sleep);
      host.woke();
    }
    parkEnd(a);
    if (!timedOut) continue;
    if (a.watchMs !== Infinity) failExited(a);
    // A timed-out park is not an error: the watchdog reports, and the loop goes on. A park cut
    // short by the deadline is not a stall.
    if (cut) continue;
    waited += sleep;
    untilReport -= sleep;
    if (untilReport <= 0) {
      reported = true;
      untilReport = host.stalled(watched, waited, false);
    }
  }
}

/**
 * Sleep on the bell until it is rung or `ms` pass; true when the time passed. A thread that may not
 * block (a page's main thread) spins on the bell word instead: a ring changes it, so nothing is lost.
 */
function sleepOnBell(a: Ctx, bell: number, seen: number, ms: number): boolean {
  if (a.canBlock) return a.mem.wait(bell, seen, ms) === 'timed-out';
  return a.mem.spinWhile(bell, seen, ms) === seen;
}

/**
 * Event-loop agents: announce PARKED unless there is work. Returns the bell value to wait on
 * asynchronously, or -1 when work arrived (the agent stays RUNNING).
 */
export function tryPark(a: Ctx): number {
  const seen = parkBegin(a);
  if (hasWork(a) || anyDone(a)) {
    parkEnd(a);
    return -1;
  }
  a.stats[STAT_PARKS]!++;
  return seen;
}

/**
 * Serve or collect one thing; if there is nothing, sleep up to `ms` on the bell without announcing
 * PARKED (nobody needs to ring: a short, timed poll, for a resource that frees itself, such as
 * big-arena pages being consumed).
 */
export function pauseBriefly(a: Ctx, ms: number): void {
  if (serveOne(a) || reap(a)) return;
  const bell = cold(a.L, a.id, COLD_BELL);
  a.mem.wait(bell, a.mem.load(bell), ms);
}
