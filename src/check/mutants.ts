/**
 * Deliberately broken copies of the protocol: each a patch to the real source text. The checker must
 * catch every one (a test runs them all); a mutant the checker misses means a property or a scenario
 * is missing. A patch that no longer applies fails loudly, so mutants cannot rot silently.
 */
import type { Patch } from './twin.js';

export interface Mutant {
  name: string;
  about: string;
  patches: Patch[];
  /** Scenarios expected to expose it (the checker runs these first). */
  scenarios: string[];
}

export const mutants: Mutant[] = [
  {
    name: 'no-park-recheck',
    about: 'park without re-checking for work after announcing PARKED (the lost wake-up)',
    patches: [
      { file: 'wait.ts', find: 'if (!satisfied(a, until, index, value) && !hasWork(a) && !anyDone(a)) {', replace: 'if (true) {' },
      { file: 'wait.ts', find: 'if (hasWork(a) || anyDone(a)) {', replace: 'if (false) {' },
    ],
    scenarios: ['parked-wake', 'sync-pair-slots', 'sync-pair'],
  },
  {
    name: 'no-close-look-after-park',
    about: "a worker about to park does not look at the domain's closing again after announcing PARKED (close() between its two looks is missed: the lost wake-up a hostile run found)",
    patches: [{ file: 'pump.ts', find: '  if (mayEnd && a.pendingCount === 0 && isClosing(a)) {\n    parkEnd(a);', replace: '  if (false) {\n    parkEnd(a);' }],
    scenarios: ['close-queued'],
  },
  {
    name: 'no-ring-when-empty',
    about: 'skip the doorbell when the push found the inbox empty (so a parked target is never woken)',
    patches: [{ file: 'send.ts', find: '  if (pushResult(pushed) === PUSH_FIRST) ringIfParked(a, target);', replace: '  if (pushResult(pushed) === -1) ringIfParked(a, target);' }],
    scenarios: ['parked-wake', 'post-storm'],
  },
  {
    name: 'free-before-copy',
    about: "a post's slot is freed before its arguments are copied out",
    patches: [
      { file: 'serve.ts', find: '  const from = slotOwner(L, slot);\n  host.take(slot, meta, from);', replace: '  const from = slotOwner(L, slot);\n  if (!sync) mem.store(slotWord(L, slot, S_STATE), S_FREE);\n  host.take(slot, meta, from);' },
      { file: 'serve.ts', find: '    mem.store(slotWord(L, slot, S_STATE), S_FREE);\n    ringIfParked(a, from);', replace: '    ringIfParked(a, from);' },
    ],
    scenarios: ['post-storm'],
  },
  {
    name: 'no-exit-watch',
    about: "a blocked wait of the workers' parent never looks for workers that ended: it sleeps on a dead agent forever",
    patches: [{ file: 'wait.ts', find: '    if (a.watchMs !== Infinity) failExited(a);', replace: '' }],
    scenarios: ['death-watched'],
  },
  {
    name: 'no-reverse',
    about: 'take the whole inbox but run it newest first (no reverse): call order breaks',
    patches: [{ file: 'inbox.ts', find: 'export function reverseBatch(a: Ctx, head: number): number {\n', replace: 'export function reverseBatch(a: Ctx, head: number): number {\n  if (head !== -99) return head;\n' }],
    scenarios: ['post-order'],
  },
  {
    name: 'done-before-result',
    about: 'mark a sync call DONE before its result is written: the caller may read a stale result',
    patches: [
      {
        file: 'serve.ts',
        find: '  const status = runTaken(a, slot, sync, meta, from);\n  if (sync && status !== RUN_LATER) finish(a, slot, status);',
        replace: '  if (sync) finish(a, slot, 0);\n  runTaken(a, slot, sync, meta, from);',
      },
    ],
    scenarios: ['sync-pair-slots'],
  },
  {
    name: 'lane-before-inbox',
    about: 'check the express lane before taking the inbox: a slot sent after a lane call can overtake it',
    patches: [
      { file: 'serve.ts', find: '  const head = takeInbox(a);\n  if (head !== EMPTY) a.cursor = reverseBatch(a, head);\n  if (!a.expressBusy', replace: '  if (!a.expressBusy' },
      { file: 'serve.ts', find: '    if (passFence(a)) return true;\n  }\n  if (a.cursor !== EMPTY) {', replace: '    if (passFence(a)) return true;\n  }\n  const head = takeInbox(a);\n  if (head !== EMPTY) a.cursor = reverseBatch(a, head);\n  if (a.cursor !== EMPTY) {' },
    ],
    scenarios: ['mixed-order'],
  },
  {
    name: 'no-serve-while-waiting',
    about: 'wait for a result without serving our own calls (the 2009 spin): AB/BA deadlock',
    patches: [{ file: 'wait.ts', find: '    if (serveOne(a) || reap(a)) {\n      idle = 0;\n      continue;\n    }\n', replace: '' }],
    scenarios: ['sync-pair', 'nested'],
  },
  {
    name: 'cancel-load-store',
    about: 'cancel with a load and a store instead of one CAS: a call the target has just started is "cancelled" and runs anyway',
    patches: [
      {
        file: 'cancel.ts',
        find: '  const old = a.mem.cas(slotWord(a.L, slot, S_STATE), S_FILLED, S_CANCELLED);',
        replace: '  const old = a.mem.load(slotWord(a.L, slot, S_STATE));\n  if (old === S_FILLED) a.mem.store(slotWord(a.L, slot, S_STATE), S_CANCELLED);',
      },
    ],
    scenarios: ['cancel-vs-start'],
  },
  {
    name: 'cancel-hides-queue',
    about: "call order looks only at a FILLED last slot: a cancelled one hides the post queued before it (the 0.1 bug)",
    patches: [{ file: 'send.ts', find: 'if ((state === S_FILLED || state === S_CANCELLED) && mem.read', replace: 'if (state === S_FILLED && mem.read' }],
    scenarios: ['fifo-after-cancel'],
  },
  {
    name: 'death-skips-lane',
    about: "the death flush leaves a dead agent's filled lane alone: a caller blocked on it waits forever",
    patches: [{ file: 'death.ts', find: '  if (mem.load(lane) === X_FILLED) {', replace: '  if (mem.load(lane) === -7) {' }],
    scenarios: ['death-lane'],
  },
  {
    name: 'plain-publish',
    about: 'publish a filled slot with a plain write instead of a SeqCst store',
    patches: [{ file: 'send.ts', find: '  mem.store(slotWord(L, slot, S_STATE), S_FILLED);', replace: '  mem.write(slotWord(L, slot, S_STATE), S_FILLED);' }],
    scenarios: ['parked-wake', 'post-order'],
  },
  {
    name: 'wake-claim-without-ring',
    about: 'the sender whose CAS takes a parked target to RUNNING does not ring it: every later sender sees it awake, and it sleeps on',
    patches: [{ file: 'doorbell.ts', find: '  if (was === PARKED) ring(a, target);', replace: '  if (was === -99) ring(a, target);' }],
    scenarios: ['parked-wake', 'sync-pair'],
  },
  {
    name: 'bell-read-after-parked',
    about: 'a parking agent reads its bell after announcing PARKED: a ring that lands in between is absorbed into the value it sleeps on, and the RUNNING that ring left tells every later sender not to ring (the first try at one ring per park, 2026-12-05)',
    patches: [
      {
        file: 'wait.ts',
        find: '  const seen = mem.load(cold(L, a.id, COLD_BELL));\n',
        replace: '',
      },
      {
        file: 'wait.ts',
        find: '  mem.store(hot(L, a.id, HOT_STATE), PARKED);\n  return seen;',
        replace: '  mem.store(hot(L, a.id, HOT_STATE), PARKED);\n  const seen = mem.load(cold(L, a.id, COLD_BELL));\n  return seen;',
      },
    ],
    scenarios: ['sync-pair', 'nested'],
  },
  {
    name: 'dead-ringer-not-covered',
    about: 'the death cleanup rings only agents still PARKED: one whose ringer was killed between its CAS to RUNNING and its notify sleeps forever',
    patches: [{ file: 'death.ts', find: 'if (t !== dead && mem.load(hot(L, t, HOT_STATE)) !== DEAD) ring(a, t);', replace: 'if (t !== dead && mem.load(hot(L, t, HOT_STATE)) === 2 /* PARKED */) ring(a, t);' }],
    scenarios: ['death-mid-ring'],
  },
  {
    name: 'notify-one',
    about: 'ring with notify(bell, 1): with a waitAsync and a blocking wait on one bell, the blocked one can sleep forever',
    patches: [{ file: 'doorbell.ts', find: '  mem.notify(bell, Infinity);', replace: '  mem.notify(bell, 1);' }],
    scenarios: ['two-waiters'],
  },
  {
    name: 'orphan-not-rechecked',
    about: "a parking agent's re-check ignores the lanes its dead predecessor left in flight: one finished just before the park is never reclaimed",
    patches: [
      {
        file: 'pending.ts',
        find: '(a.orphanLaneCount !== 0 && anyOrphanEnded(a)) || ',
        replace: '',
      },
    ],
    scenarios: ['restart-orphan-lane'],
  },
  {
    name: 'no-push-intent',
    about: "a sender does not say which incarnation its push is about to try: killed between FILLED and the push, it leaves a slot its successor cannot tell from a queued one, and the pool loses it",
    patches: [{ file: 'send.ts', find: '  mem.store(slotWord(L, slot, S_PUSHED), -pushedMark(inboxEpoch(seen)));', replace: '  mem.store(slotWord(L, slot, S_PUSHED), 0);' }],
    scenarios: ['restart-mid-push'],
  },
  {
    name: 'fence-trusts-old-exchange',
    about: "a target answers a fence after the exchange it made before seeing it: a call pushed in between is freed by its sender's successor while still on the inbox",
    patches: [{ file: 'fence.ts', find: '      const more = takeInbox(a);\n      if (more !== EMPTY) a.cursor = reverseBatch(a, more);\n', replace: '' }],
    scenarios: ['restart-mid-push'],
  },
  {
    name: 'reuse-listed-slot',
    about: "the pool hands out a FREE slot still listed as an abandoned pending call: reap then takes the new call's result for the old one's and drops it",
    patches: [{ file: 'pool.ts', find: ' && a.pendingKind[i] === PENDING_NONE) {', replace: ') {' }],
    scenarios: ['restart-mid-push'],
  },
  {
    name: 'link-after-free',
    about: "read a post's inbox link after freeing its slot: the owner reuses it while the target is still in its batch",
    patches: [
      { file: 'serve.ts', find: '  // Read the link before anything else: once a post\'s slot is FREE its owner may reuse it.\n  a.cursor = mem.read(slotWord(L, slot, S_NEXT));\n', replace: '' },
      { file: 'serve.ts', find: '  const status = runTaken(a, slot, sync, meta, from);', replace: '  a.cursor = mem.read(slotWord(L, slot, S_NEXT));\n  const status = runTaken(a, slot, sync, meta, from);' },
    ],
    scenarios: ['batch-reuse'],
  },
  {
    name: 'adopt-frees-all',
    about: "a restarted agent frees its predecessor's slots still in flight: a late result or a queued call lands in a reused slot",
    patches: [{ file: 'adopt.ts', find: '    else if (state !== S_FREE) {\n      abandonPending(a, s);', replace: '    else if (state !== S_FREE) {\n      releaseSlot(a, s);' }],
    scenarios: ['restart'],
  },
  {
    name: 'page-blocks',
    about: 'a page that may not block waits for a free slot with Atomics.wait (the TypeError a page throws)',
    patches: [{ file: 'wait.ts', find: '  if (a.canBlock) return a.mem.wait(bell, seen, ms) === \'timed-out\';', replace: '  if (a.canBlock || true) return a.mem.wait(bell, seen, ms) === \'timed-out\';' }],
    scenarios: ['page-posts'],
  },
  {
    name: 'kept-lane-never-released',
    about: 'a caller keeps the lane of its last sync call even when it parks: the lane is never given back',
    patches: [{ file: 'wait.ts', find: '  releaseKeptLane(a);\n', replace: '' }],
    scenarios: ['kept-lane'],
  },
  {
    name: 'kept-lane-stale',
    about: "a caller that posts through the lane it keeps still thinks it keeps it, and later frees the lane under another caller's call",
    patches: [{ file: 'send.ts', find: '    host.writeArgs(expressPlace(target));\n    a.keptLane = EMPTY;\n', replace: '    host.writeArgs(expressPlace(target));\n' }],
    scenarios: ['kept-lane'],
  },
  {
    name: 'kept-slot-twice',
    about: 'the slot a lane call kept is handed out and still kept: the next two calls share one slot',
    patches: [{ file: 'pool.ts', find: '    a.keptSlot = EMPTY;\n    return kept;', replace: '    return kept;' }],
    scenarios: ['kept-slot'],
  },
  {
    name: 'async-lane-early',
    about: "an awaited call in a lane is collected before its target marks it DONE: its result is read before it is written",
    patches: [{ file: 'pending.ts', find: 'return a.mem.load(hot(a.L, target, X_STATE)) === X_DONE;', replace: 'return a.mem.load(hot(a.L, target, X_STATE)) !== -1;' }],
    scenarios: ['async-lane-death'],
  },
  {
    name: 'async-lane-dropped',
    about: 'an awaited call collected from a lane leaves the lane DONE and nobody keeps it: the lane is never free again',
    patches: [{ file: 'pending.ts', find: '      keepLane(a, lane);\n', replace: '' }],
    scenarios: ['async-lane-death'],
  },
];

export const mutantByName = (name: string): Mutant | undefined => mutants.find((m) => m.name === name);
