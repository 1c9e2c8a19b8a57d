/**
 * Counterexamples people can read: one numbered line per step, the agent, the operation, the
 * address by name (inbox[1].head, lane[1].state, slot[0.2].state, bell[0]...), the values, and at
 * the end who waits on what.
 */
import {
  HOT_INBOX,
  INBOX_DEAD,
  INBOX_EMPTY,
  inboxField,
  HOT_STATE,
  STATE_NAMES,
  X_STATE,
  hot,
  type Layout,
} from '../layout.js';
import type { Outcome } from './explore.js';
import { LANE_STATES, nameOf, valueOf } from './names.js';
import type { Step } from './machine.js';
import { encodeSchedule } from './explore.js';

/** Who a participant is: an agent, or one of the checker's helpers. */
function who(out: Outcome, a: number): string {
  const w = out.world;
  if (a === w.guardian) return 'guardian';
  if (a === w.clock) return 'clock   ';
  return `agent ${a} `;
}

function describeStep(L: Layout, s: Step, clockWord: number): string {
  if (s.kind === 'kill') return 'KILLED: its thread stops here';
  const name = s.index === clockWord ? 'clock' : nameOf(L, s.index);
  switch (s.kind) {
    case 'read':
    case 'load':
      return `${s.kind} ${name} → ${valueOf(name, s.result as number)}`;
    case 'write':
    case 'store':
      return `${s.kind} ${name} ← ${valueOf(name, s.arg)}`;
    case 'cas':
      return `cas ${name}: ${valueOf(name, s.arg)} → ${valueOf(name, s.arg2)} ${s.result === s.arg ? 'ok' : `failed (was ${valueOf(name, s.result as number)})`}`;
    case 'exchange':
      return `exchange ${name} ← ${valueOf(name, s.arg)} (was ${valueOf(name, s.result as number)})`;
    case 'add':
      return `add ${name} += ${s.arg} (was ${s.result})`;
    case 'wait':
      return typeof s.result === 'string' && s.result.startsWith('sleeps')
        ? `wait on ${name} (= ${s.arg}): sleeps`
        : typeof s.result === 'string' && s.result.startsWith('waits')
          ? `waitAsync on ${name} (= ${s.arg}): queued, the event loop goes on`
          : `wait on ${name}: value changed, no sleep`;
    case 'notify':
      return `notify ${name}: woke ${s.result}`;
    case 'spin':
      return s.result === 'spins' ? `spin while ${name} = ${s.arg}` : `spin on ${name}: now ${s.result}`;
  }
  return s.kind;
}

/**
 * A counterexample people can read: one numbered line per step, with the protocol source line that
 * made it. Runs of the same step by the same participant (a poll that keeps finding nothing) are
 * folded into one line, and by default only the last `last` lines are shown: the steps that led to
 * the failure. `--full` shows every step.
 */
export function formatTrace(out: Outcome, options: { last?: number } = {}): string {
  const { world } = out;
  const L = world.L;
  const steps = world.m.steps;
  const rows: string[] = [];
  for (let n = 0; n < steps.length; ) {
    const s = steps[n]!;
    const text = describeStep(L, s, world.clockWord);
    let k = n + 1;
    while (k < steps.length && steps[k]!.agent === s.agent && describeStep(L, steps[k]!, world.clockWord) === text) k++;
    const times = k - n > 1 ? `  (×${k - n})` : '';
    const loc = (s.loc ?? '').padEnd(15);
    rows.push(`${String(n + 1).padStart(5)}  ${who(out, s.agent)} ${loc} ${text}${times}`);
    n = k;
  }
  const lines: string[] = [];
  const from = options.last !== undefined ? Math.max(0, rows.length - options.last) : 0;
  if (from > 0) lines.push(`  ... ${from} earlier lines (--full shows them, or replay the schedule)`);
  lines.push(...rows.slice(from));
  lines.push('', 'final state:');
  const m = world.m;
  for (let a = 0; a < L.agents; a++) {
    const state = STATE_NAMES[m.mem[hot(L, a, HOT_STATE)]!] ?? '?';
    const blocked = m.describeBlocked(a);
    const what = m.killed[a] ? 'killed' : m.finished[a] ? 'finished' : blocked !== undefined ? blocked.replace(/word (\d+)/, (_, i) => nameOf(L, Number(i))) : 'runnable';
    const head = inboxField(m.mem[hot(L, a, HOT_INBOX)]!);
    const inbox = head === INBOX_EMPTY ? 'inbox empty' : head === INBOX_DEAD ? 'inbox closed (dead)' : `inbox holds slot ${head}`;
    const lane = `lane ${LANE_STATES[m.mem[hot(L, a, X_STATE)]! & 0xff] ?? '?'}`;
    const prog = m.programDone[a] ? 'its calls done' : 'its calls NOT done';
    lines.push(`  agent ${a}: ${what}, ${state.toUpperCase()}, ${inbox}, ${lane}, ${prog}`);
  }
  lines.push('', `schedule: ${encodeSchedule(out.schedule)}`);
  return lines.join('\n');
}
