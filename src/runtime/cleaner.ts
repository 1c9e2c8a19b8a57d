/**
 * A protocol context for completing the calls of a dead agent outside any agent: on the guardian
 * thread (id -1), or on a worker's thread as it ends (its own id: see worker/last-words.ts). It serves
 * nothing and sends nothing; it only runs `failAgent`.
 */
import type { Layout } from '../layout.js';
import { AtomicsMem } from '../mem.js';
import { RUN_LATER, makeCtx, type Ctx, type Host } from '../protocol/context.js';

/** `corrupt`: where a cleanup reports memory it found corrupt (the domain's 'error' event, or the console). */
export function cleanerCtx(buffer: SharedArrayBuffer, L: Layout, corrupt: (what: string) => void = (what) => console.error(`smpcall: shared memory is corrupt: ${what}`), id = -1): Ctx {
  const host: Host = {
    take() {},
    run: () => RUN_LATER,
    writeArgs() {},
    receive() {},
    settle() {},
    discard() {},
    sent() {},
    now: () => performance.now(),
    corrupt,
    stalled: () => 1000,
    exited: () => -1,
    spinHalfway() {},
    parking() {},
    woke() {},
  };
  return makeCtx({ mem: new AtomicsMem(buffer), host, L, id, spinRounds: 0, parkTimeoutMs: 1000, cores: 1 });
}
