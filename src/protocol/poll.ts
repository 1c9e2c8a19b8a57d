/**
 * The core gate ("spin only where a core is free"). An awake agent that spins (idle and polling its
 * hot line, or waiting for a result) is reached for free, without a doorbell, but it holds a core
 * while it spins. When agents outnumber cores, a spinner can hold the very core that a woken target
 * or a busy agent needs, which then waits for the scheduler to preempt the spinner (measured: `onEach`
 * to 2 workers on 2 cores cost 110–190 µs with the waiter and one poller spinning, against 45–60 µs
 * with both parked). So, when agents outnumber cores, an agent about to spin first counts the others
 * that are awake: running or polling (a parked agent that was rung is RUNNING already: the ring took
 * it there, doorbell.ts). It spins only while that leaves a core for itself, else it parks at once;
 * and it looks again now and then while it spins, so that a target woken meanwhile gets the core.
 *
 * The agent a steady caller talks to keeps polling: the caller is its one awake peer, so a core is free.
 * The count is a hint: a wrong one costs a park or a spin, never a call.
 */
import { HOT_STATE, POLLING, RUNNING, hot } from '../layout.js';
import type { Ctx } from './context.js';

/** A spinning agent looks at the core gate again every GATE_ROUNDS_MASK + 1 rounds (a look reads every hot line). */
export const GATE_ROUNDS_MASK = 63;

/** Fewer than `cores` other agents are awake or about to be: a core is free for this one to spin on. */
export function coreFree(a: Ctx): boolean {
  const { mem, L } = a;
  let awake = 0;
  for (let t = 0; t < L.agents; t++) {
    if (t === a.id) continue;
    const state = mem.load(hot(L, t, HOT_STATE));
    if ((state === RUNNING || state === POLLING) && ++awake >= a.cores) return false;
  }
  return true;
}

export function beginPolling(a: Ctx): void {
  a.polling = true;
  a.mem.store(hot(a.L, a.id, HOT_STATE), POLLING);
}

export function endPolling(a: Ctx): void {
  a.polling = false;
  // POLLING → RUNNING only: a DEAD stored meanwhile (close) stays.
  a.mem.cas(hot(a.L, a.id, HOT_STATE), POLLING, RUNNING);
}
