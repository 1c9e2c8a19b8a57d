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
      { file: 'wait.ts', find: 'if (!satisfied(a, until, index, value) && !hasWork(a) && !host.ready()) {', replace: 'if (true) {' },
      { file: 'wait.ts', find: 'if (hasWork(a) || a.host.ready()) {', replace: 'if (false) {' },
    ],
    scenarios: ['parked-wake', 'sync-pair-slots', 'sync-pair'],
  },
  {
    name: 'no-ring-when-empty',
    about: 'skip the doorbell when the push found the inbox empty (so a parked target is never woken)',
    patches: [{ file: 'send.ts', find: 'if (pushInbox(a, target, slot)) ringOrReap(a, target);', replace: 'if (pushInbox(a, target, slot) && false) ringOrReap(a, target);' }],
    scenarios: ['parked-wake', 'post-storm'],
  },
  {
    name: 'free-before-copy',
    about: "a post's slot is freed before its arguments are copied out",
    patches: [
      { file: 'serve.ts', find: '  host.take(slot);\n', replace: '  if ((metaFlags(meta) & F_SYNC) === 0) mem.store(slotWord(L, slot, S_STATE), S_FREE);\n  host.take(slot);\n' },
      { file: 'serve.ts', find: '    mem.store(slotWord(L, slot, S_STATE), S_FREE);\n    ringIfParked(a, slotOwner(L, slot));\n    host.run(slot, false);', replace: '    ringIfParked(a, slotOwner(L, slot));\n    host.run(slot, false);' },
    ],
    scenarios: ['post-storm'],
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
    patches: [{ file: 'serve.ts', find: '  } else if (host.run(slot, true)) {\n    finish(a, slot);\n  }', replace: '  } else {\n    finish(a, slot);\n    host.run(slot, true);\n  }' }],
    scenarios: ['sync-pair-slots'],
  },
  {
    name: 'lane-before-inbox',
    about: 'check the express lane before taking the inbox: a slot sent after a lane call can overtake it',
    patches: [
      { file: 'serve.ts', find: '  const head = takeInbox(a);\n  if (head !== EMPTY) a.cursor = reverseBatch(a, head);\n  if (!a.expressBusy', replace: '  if (!a.expressBusy' },
      { file: 'serve.ts', find: '    runExpress(a);\n    return true;\n  }\n  if (a.cursor !== EMPTY) {', replace: '    runExpress(a);\n    return true;\n  }\n  const head = takeInbox(a);\n  if (head !== EMPTY) a.cursor = reverseBatch(a, head);\n  if (a.cursor !== EMPTY) {' },
    ],
    scenarios: ['mixed-order'],
  },
  {
    name: 'no-serve-while-waiting',
    about: 'wait for a result without serving our own calls (the 2009 spin): AB/BA deadlock',
    patches: [{ file: 'wait.ts', find: '    if (serveOne(a) || host.reap()) {\n      idle = 0;\n      continue;\n    }\n    if (idle < a.spinRounds) {', replace: '    if (idle < a.spinRounds) {' }],
    scenarios: ['sync-pair', 'nested'],
  },
];

export const mutantByName = (name: string): Mutant | undefined => mutants.find((m) => m.name === name);
