/**
 * Statistics: each agent counts privately (no shared line moves on the call path) and publishes its
 * counters to its cold line when it goes idle, where `stats()` and the watchdog read them.
 */
import { COLD_STATS, STAT_COUNT, cold } from '../layout.js';
import type { Ctx } from './context.js';

export function publishStats(a: Ctx): void {
  if (a.id < 0) return;
  const { mem, L } = a;
  for (let k = 0; k < STAT_COUNT; k++) mem.note(cold(L, a.id, COLD_STATS + k), a.stats[k]!);
}
