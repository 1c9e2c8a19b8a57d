/**
 * The 2009 proposal for smp_call_function_single(), as a protocol variant for the model checker:
 * the caller takes a per-target lock (the target's lane word) with a CAS, writes the call into the
 * target's line and raises the doorbell; the target's handler releases the lock once it has consumed
 * the data (post) or marks it done (sync), and the caller releases it after reading the result.
 *
 * While the lock is busy, or while it waits for its result, the 2009 caller spins on that one word:
 * it does not serve its own incoming calls (interrupts are off). Two agents calling each other at the
 * same moment then wait for each other forever: the AB/BA deadlock the LKML thread worried about.
 *
 * The one change that removes it is `SERVE_WHILE_WAITING = true`: wait the way smpcall waits, serving
 * your own calls meanwhile. The checker applies exactly that patch to show the fixed variant passes.
 *
 * Written like src/protocol (plain code over `mem` and `host`), so it runs through the same twin.
 */
import { COLD_BELL, HOT_STATE, PARKED, X_CLAIMED, X_DONE, X_FILLED, X_FREE, X_META, X_OWNER, X_STATE, cold, hot, metaFlags, F_SYNC } from '../layout.js';
import { expressPlace, type Ctx, type Host } from '../protocol/context.js';
import { ring } from '../protocol/doorbell.js';
import { parkBegin, parkEnd } from '../protocol/wait.js';

const SERVE_WHILE_WAITING = false;

/** The checker's host also reads results back for the caller. */
interface VariantHost extends Host {
  readResult(place: number): number;
}

/** Spin until the word at `index` equals `want` (2009), or wait serving our own calls (the fix). */
function spinUntil(a: Ctx, index: number, want: number): void {
  const { mem, L } = a;
  for (;;) {
    const v = mem.load(index);
    if (v === want) return;
    if (!SERVE_WHILE_WAITING) {
      // Spinning on one word with nothing else to do is, for the checker, a futex wait on it.
      mem.wait(index, v, Infinity);
      continue;
    }
    if (variantServeOne(a)) continue;
    const seen = parkBegin(a);
    if (mem.load(index) === want || mem.load(hot(L, a.id, X_STATE)) === X_FILLED) {
      parkEnd(a);
      continue;
    }
    mem.wait(cold(L, a.id, COLD_BELL), seen, Infinity);
    parkEnd(a);
  }
}

/** A lane word changed: wake spinners on it, and anyone parked (they re-check what they wait for). */
function announce(a: Ctx, target: number): void {
  const { mem, L } = a;
  mem.notify(hot(L, target, X_STATE), Infinity);
  for (let t = 0; t < L.agents; t++) if (t !== a.id && mem.load(hot(L, t, HOT_STATE)) === PARKED) ring(a, t);
}

function takeLock(a: Ctx, target: number): void {
  const lane = hot(a.L, target, X_STATE);
  while (a.mem.cas(lane, X_FREE, X_CLAIMED) !== X_FREE) spinUntil(a, lane, X_FREE);
}

function publish(a: Ctx, target: number, meta: number): void {
  const { mem, host, L } = a;
  host.writeArgs(expressPlace(target));
  mem.write(hot(L, target, X_OWNER), a.id);
  mem.write(hot(L, target, X_META), meta);
  mem.store(hot(L, target, X_STATE), X_FILLED);
  if (mem.load(hot(L, target, HOT_STATE)) === PARKED) ring(a, target);
}

export function variantPost(a: Ctx, target: number, meta: number): void {
  takeLock(a, target);
  publish(a, target, meta);
}

export function variantCallSync(a: Ctx, target: number, meta: number): number {
  const { mem, L } = a;
  const host = a.host as VariantHost;
  takeLock(a, target);
  publish(a, target, meta);
  spinUntil(a, hot(L, target, X_STATE), X_DONE);
  const r = host.readResult(expressPlace(target));
  mem.store(hot(L, target, X_STATE), X_FREE);
  announce(a, target);
  return r;
}

/** The target's handler: run the call in our lane, if any. */
export function variantServeOne(a: Ctx): boolean {
  const { mem, host, L } = a;
  const lane = hot(L, a.id, X_STATE);
  if (mem.load(lane) !== X_FILLED) return false;
  const place = expressPlace(a.id);
  const meta = mem.read(hot(L, a.id, X_META));
  host.take(place, meta, mem.read(hot(L, a.id, X_OWNER)));
  if ((metaFlags(meta) & F_SYNC) === 0) {
    // Release once the data is consumed: the heart of the 2009 proposal.
    mem.store(lane, X_FREE);
    announce(a, a.id);
    host.run(place, false);
    return true;
  }
  host.run(place, true);
  mem.store(lane, X_DONE);
  announce(a, a.id);
  return true;
}
