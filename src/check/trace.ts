/**
 * Counterexamples people can read: one numbered line per step, the agent, the operation, the
 * address by name (inbox[1].head, lane[1].state, slot[0.2].state, bell[0]...), the values, and at
 * the end who waits on what.
 */
import {
  COLD_BELL,
  COLD_STATS,
  EMPTY,
  HOT_INBOX,
  HOT_STATE,
  H_CLEAN_LOCK,
  LINE_BYTES,
  S_INLINE_BYTE,
  STATE_NAMES,
  X_META,
  X_NUMBERS_BYTE,
  X_OWNER,
  X_SPILL,
  X_STATE,
  X_TAGS,
  X_SEQ,
  hot,
  type Layout,
} from '../layout.js';
import type { Outcome } from './explore.js';
import { encodeSchedule } from './explore.js';

const W = LINE_BYTES / 4;
const HOT_NAMES: Record<number, string> = {
  [HOT_INBOX]: 'inbox[#].head',
  [HOT_STATE]: 'agent[#].state',
  [X_STATE]: 'lane[#].state',
  [X_OWNER]: 'lane[#].owner',
  [X_META]: 'lane[#].call',
  [X_SEQ]: 'lane[#].seq',
  [X_TAGS]: 'lane[#].tags',
  [X_SPILL]: 'lane[#].spill',
};
const SLOT_NAMES = ['state', 'next', 'seq', 'call', 'target', 'status', 'len', 'taken'];
const SLOT_STATES = ['FREE', 'FILLED', 'DONE', 'RESERVED', 'RUNNING', 'CANCELLED'];
const LANE_STATES = ['FREE', 'CLAIMED', 'FILLED', 'DONE'];

/** The name of Int32 word `i` of a domain buffer with layout `L`. */
export function nameOf(L: Layout, i: number): string {
  if (i === H_CLEAN_LOCK) return 'header.cleanLock';
  if (i < L.hotBase) return `header[${i}]`;
  if (i < L.coldBase) {
    const a = Math.floor((i - L.hotBase) / W);
    const w = (i - L.hotBase) % W;
    if (w >= X_NUMBERS_BYTE / 4) return `lane[${a}].data[${w - X_NUMBERS_BYTE / 4}]`;
    return (HOT_NAMES[w] ?? `hot[${a}][${w}]`).replace('#', String(a));
  }
  if (i < L.slotBase) {
    const a = Math.floor((i - L.coldBase) / W);
    const w = (i - L.coldBase) % W;
    if (w === COLD_BELL) return `bell[${a}]`;
    return w >= COLD_STATS ? `stats[${a}][${w - COLD_STATS}]` : `cold[${a}][${w}]`;
  }
  const slot = Math.floor((i - L.slotBase) / (2 * W));
  const w = (i - L.slotBase) % (2 * W);
  const label = `slot[${Math.floor(slot / L.slotsPerAgent)}.${slot % L.slotsPerAgent}]`;
  if (w < S_INLINE_BYTE / 4) return `${label}.${SLOT_NAMES[w] ?? w}`;
  return `${label}.data[${w - S_INLINE_BYTE / 4}]`;
}

/** A value, spelled for the word it lives in. */
function valueOf(name: string, v: number | undefined): string {
  if (v === undefined) return '';
  if (name.endsWith('.head') || name.endsWith('.next')) return v === EMPTY ? 'EMPTY' : `slot ${v}`;
  if (name.startsWith('slot[') && name.endsWith('.state')) return SLOT_STATES[v] ?? String(v);
  if (name.startsWith('lane[') && name.endsWith('.state')) return LANE_STATES[v] ?? String(v);
  if (name.startsWith('agent[') && name.endsWith('.state')) return (STATE_NAMES[v] ?? String(v)).toUpperCase();
  return String(v);
}

export function formatTrace(out: Outcome, options: { last?: number } = {}): string {
  const { world } = out;
  const L = world.L;
  const steps = world.m.steps;
  const lines: string[] = [];
  const from = options.last !== undefined ? Math.max(0, steps.length - options.last) : 0;
  if (from > 0) lines.push(`  ... ${from} earlier steps (replay the schedule to see them all)`);
  for (let n = from; n < steps.length; n++) {
    const s = steps[n]!;
    const name = nameOf(L, s.index);
    let text: string;
    switch (s.kind) {
      case 'read':
      case 'load':
        text = `${s.kind} ${name} → ${valueOf(name, s.result as number)}`;
        break;
      case 'write':
      case 'store':
        text = `${s.kind} ${name} ← ${valueOf(name, s.arg)}`;
        break;
      case 'cas':
        text = `cas ${name}: ${valueOf(name, s.arg)} → ${valueOf(name, s.arg2)} ${s.result === s.arg ? 'ok' : `failed (was ${valueOf(name, s.result as number)})`}`;
        break;
      case 'exchange':
        text = `exchange ${name} ← ${valueOf(name, s.arg)} (was ${valueOf(name, s.result as number)})`;
        break;
      case 'add':
        text = `add ${name} += ${s.arg} (was ${s.result})`;
        break;
      case 'wait':
        text = s.result === 'sleeps' ? `wait on ${name} (= ${s.arg}): sleeps` : `wait on ${name}: value changed, no sleep`;
        break;
      case 'notify':
        text = `notify ${name}: woke ${s.result}`;
        break;
    }
    lines.push(`${String(n + 1).padStart(5)}  agent ${s.agent}  ${text}`);
  }
  lines.push('', 'final state:');
  const m = world.m;
  for (let a = 0; a < L.agents; a++) {
    const state = STATE_NAMES[m.mem[hot(L, a, HOT_STATE)]!] ?? '?';
    const what = m.finished[a] ? 'finished' : m.blockedOn[a]! >= 0 ? `asleep on ${nameOf(L, m.blockedOn[a]!)}` : 'runnable';
    const inbox = m.mem[hot(L, a, HOT_INBOX)] === EMPTY ? 'inbox empty' : `inbox holds slot ${m.mem[hot(L, a, HOT_INBOX)]}`;
    const lane = `lane ${LANE_STATES[m.mem[hot(L, a, X_STATE)]!] ?? '?'}`;
    const prog = m.programDone[a] ? 'its calls done' : 'its calls NOT done';
    lines.push(`  agent ${a}: ${what}, ${state.toUpperCase()}, ${inbox}, ${lane}, ${prog}`);
  }
  lines.push('', `schedule: ${encodeSchedule(out.schedule)}`);
  return lines.join('\n');
}
