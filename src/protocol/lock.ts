/**
 * The cleanup lock (H_CLEAN_LOCK): completing a dead agent's calls, reviving its id, and freeing a
 * lane whose caller died all run one at a time, under this one word. It is held for microseconds, by
 * code that never waits on anything else, so a taker spins (bounded) rather than parks: the page's
 * main thread, which may not block, takes it too.
 *
 * The word holds its holder's id + 2. A holder that died holding it (its thread was terminated in the
 * middle of a cleanup) is named by it: the cleanup of that very agent takes the lock over and
 * redoes the work, which is idempotent.
 */
import { H_CLEAN_LOCK, lockHolder, lockValue } from '../layout.js';
import type { Ctx } from './context.js';

/** No cleanup takes this long: past it, the word is corrupt (or its holder hangs). */
const MAX_HOLD_MS = 10_000;

/** Take the lock. `exited`: an agent known to have exited, whose hold (if it holds it) is taken over. */
export function lockCleanup(a: Ctx, exited = -3): void {
  const { mem } = a;
  const me = lockValue(a.id);
  let seen = mem.cas(H_CLEAN_LOCK, 0, me);
  while (seen !== 0) {
    if (lockHolder(seen) === exited && mem.cas(H_CLEAN_LOCK, seen, me) === seen) return;
    const next = mem.spinWhile(H_CLEAN_LOCK, seen, MAX_HOLD_MS);
    if (next === seen) {
      // Held far longer than any cleanup takes: its holder hangs or the word is garbage. Say so, and
      // take it over (cleanups are idempotent), rather than block this agent for good.
      a.host.corrupt(`the dead-agent cleanup lock stayed held by agent ${lockHolder(seen)} for ${MAX_HOLD_MS} ms; taken over`);
      if (mem.cas(H_CLEAN_LOCK, seen, me) === seen) return;
    }
    seen = mem.cas(H_CLEAN_LOCK, 0, me);
  }
}

export function unlockCleanup(a: Ctx): void {
  a.mem.store(H_CLEAN_LOCK, 0);
}
