/**
 * The poll gate. An idle agent that polls its hot line is woken for free (no doorbell), but with more
 * agents than cores every poller takes a core that a caller or a busy agent needs (measured: calls
 * alternating between two workers on 2 cores took ~30 µs each with both polling). So when agents
 * outnumber cores, an idle agent polls only while fewer than cores - 1 others do; the rest park at
 * once. An agent awaiting results spins as a waiter and is not counted.
 */
import { HOT_STATE, POLLING, RUNNING, hot } from '../layout.js';
import type { Ctx } from './context.js';

/** Fewer than `maxPollers` other agents poll right now (a dead one is not counted). */
export function mayPoll(a: Ctx): boolean {
  const { mem, L } = a;
  let pollers = 0;
  for (let t = 0; t < L.agents; t++) {
    if (t !== a.id && mem.load(hot(L, t, HOT_STATE)) === POLLING && ++pollers >= a.maxPollers) return false;
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
