/**
 * Names of the domain buffer's words and values, for the checker's traces and reports (inbox[1].head,
 * lane[1].state, slot[0.2].state, bell[0]...), and values spelled for the word they live in.
 */
import {
  COLD_BELL,
  COLD_STATS,
  EMPTY,
  HOT_INBOX,
  INBOX_DEAD,
  INBOX_EMPTY,
  inboxEpoch,
  inboxField,
  HOT_STATE,
  H_CLEAN_LOCK,
  H_CLOSING,
  S_INLINE_BYTE,
  STATE_NAMES,
  X_META,
  X_NUMBERS_BYTE,
  X_OWNER,
  X_SPILL,
  X_STATE,
  X_TAGS,
  decodeWord,
  type Layout,
} from '../layout.js';

const HOT_NAMES: Record<number, string> = {
  [HOT_INBOX]: 'inbox[#].head',
  [HOT_STATE]: 'agent[#].state',
  [X_STATE]: 'lane[#].state',
  [X_OWNER]: 'lane[#].owner',
  [X_META]: 'lane[#].call',
  [X_TAGS]: 'lane[#].tags',
  [X_SPILL]: 'lane[#].spill',
};
const SLOT_NAMES = ['state', 'next', 'seq', 'call', 'target', 'status', 'len', 'pushed'];
const SLOT_STATES = ['FREE', 'FILLED', 'DONE', 'RESERVED', 'RUNNING', 'CANCELLED'];
export const LANE_STATES = ['FREE', 'CLAIMED', 'FILLED', 'DONE'];
const AGENT_STATES = STATE_NAMES.map((n) => n.toUpperCase());

/** The name of Int32 word `i` of a domain buffer with layout `L`. */
export function nameOf(L: Layout, i: number): string {
  if (i === H_CLEAN_LOCK) return 'header.cleanLock';
  if (i === H_CLOSING) return 'header.closing';
  const w = decodeWord(L, i);
  switch (w.kind) {
    case 'header':
      return `header[${i}]`;
    case 'hot':
      if (w.word >= X_NUMBERS_BYTE / 4) return `lane[${w.agent}].data[${w.word - X_NUMBERS_BYTE / 4}]`;
      return (HOT_NAMES[w.word] ?? `hot[${w.agent}][${w.word}]`).replace('#', String(w.agent));
    case 'cold':
      if (w.word === COLD_BELL) return `bell[${w.agent}]`;
      return w.word >= COLD_STATS ? `stats[${w.agent}][${w.word - COLD_STATS}]` : `cold[${w.agent}][${w.word}]`;
    case 'slot': {
      const label = `slot[${w.agent}.${w.slot % L.slotsPerAgent}]`;
      if (w.word < S_INLINE_BYTE / 4) return `${label}.${SLOT_NAMES[w.word] ?? w.word}`;
      return `${label}.data[${w.word - S_INLINE_BYTE / 4}]`;
    }
  }
  return `word[${i}]`;
}

/** A value, spelled for the word it lives in. */
export function valueOf(name: string, v: number | undefined): string {
  if (v === undefined) return '';
  if (name.endsWith('.next')) return v === EMPTY ? 'EMPTY' : `slot ${v}`;
  if (name.endsWith('.head')) {
    const f = inboxField(v);
    const what = f === INBOX_EMPTY ? 'EMPTY' : f === INBOX_DEAD ? 'DEAD' : `slot ${f}`;
    return inboxEpoch(v) === 0 ? what : `${what} (incarnation ${inboxEpoch(v)})`;
  }
  if (name.endsWith('.pushed')) return v === 0 ? 'never' : v > 0 ? `into incarnation ${v - 1}` : `push under way into incarnation ${-v - 1}`;
  if (name.startsWith('slot[') && name.endsWith('.state')) return SLOT_STATES[v] ?? String(v);
  if (name.startsWith('lane[') && name.endsWith('.state')) return v > 0xff && (v & 0xff) === 1 ? `CLAIMED by ${(v >>> 8) - 1}` : (LANE_STATES[v] ?? String(v));
  if (name.startsWith('agent[') && name.endsWith('.state')) return AGENT_STATES[v] ?? String(v);
  if (name === 'header.cleanLock') return v === 0 ? 'free' : `held by ${v === 1 ? 'the guardian' : `agent ${v - 2}`}`;
  return String(v);
}

