/**
 * The stall watchdog (the kernel's `csd_lock_wait_toolong`): when an agent has waited longer than
 * `stallMs`, say who waits on whom, for which function, for how long, and what the target is doing;
 * repeat at growing intervals; and say so when the wait ends, so a log shows both ends of a stall.
 */
import {
  COLD_BUSY_CALL,
  COLD_BUSY_FROM,
  COLD_STATS,
  DEAD,
  EMPTY,
  HOT_INBOX,
  HOT_STATE,
  LINE_BYTES,
  PARKED,
  S_CANCELLED,
  S_DONE,
  S_FILLED,
  S_META,
  S_RESERVED,
  S_RUNNING,
  S_STATE,
  S_TARGET,
  X_META,
  X_STATE,
  cold,
  firstSlot,
  hot,
  metaCallId,
  slotWord,
  type Layout,
} from './layout.js';
import { STAT_SERVED } from './protocol/context.js';
import type { CompiledTable } from './table.js';

/**
 * What the stall watchdog says about a wait longer than `stallMs` (`domain.on('stall', ...)`).
 *
 * @example
 * ```ts
 * domain.on('stall', (r) => console.warn(`agent ${r.caller} waits ${r.waitedMs} ms on ${r.target} for ${r.call}`));
 * ```
 */
export interface StallReport {
  /** The agent that waits. */
  caller: number;
  /** The agent it waits on; -1 when it waits for one of its own slots to come free. */
  target: number;
  /** The function it called, when known. */
  call: string | undefined;
  /** How long it has waited so far (ms). */
  waitedMs: number;
  /** What the target was doing when the report was made. */
  targetState: string;
  /** True for the closing "got unstuck" report. */
  ended: boolean;
  /** The report as one line of text. */
  message: string;
}

const WORDS_PER_LINE = LINE_BYTES / 4;
/** Growing intervals between repeated reports: 1x, 2x, 4x ... the first, capped at a minute. */
export const nextStallTimeout = (previousMs: number): number => Math.min(previousMs * 2, 60_000);

/** Work out, from the word an agent waits on, whom it waits on and for which call. */
function whatIsAwaited(L: Layout, i32: Int32Array, table: CompiledTable, index: number): { target: number; call: string | undefined } {
  const name = (meta: number): string | undefined => table.entries[metaCallId(meta)]?.name;
  if (index >= L.hotBase && index < L.coldBase && (index - L.hotBase) % WORDS_PER_LINE === X_STATE) {
    const target = Math.floor((index - L.hotBase) / WORDS_PER_LINE);
    return { target, call: name(i32[hot(L, target, X_META)]!) };
  }
  if (index >= L.slotBase && (index - L.slotBase) % (WORDS_PER_LINE * 2) === S_STATE) {
    const slot = Math.floor((index - L.slotBase) / (WORDS_PER_LINE * 2));
    return { target: i32[slotWord(L, slot, S_TARGET)]!, call: name(i32[slotWord(L, slot, S_META)]!) };
  }
  return { target: -1, call: undefined };
}

/** What an agent is doing, as seen from outside. */
export function describeAgent(L: Layout, i32: Int32Array, table: CompiledTable, agent: number): { text: string; busy: boolean; served: number } {
  const state = Atomics.load(i32, hot(L, agent, HOT_STATE));
  const busy = Atomics.load(i32, cold(L, agent, COLD_BUSY_CALL));
  const served = Atomics.load(i32, cold(L, agent, COLD_STATS + STAT_SERVED));
  if (state === DEAD) return { text: 'dead', busy: false, served };
  const inbox = Atomics.load(i32, hot(L, agent, HOT_INBOX)) !== EMPTY;
  if (busy !== 0) {
    const from = Atomics.load(i32, cold(L, agent, COLD_BUSY_FROM));
    const fn = table.entries[busy - 1]?.name ?? `#${busy - 1}`;
    return { text: `running "${fn}" for agent ${from}${inbox ? ', with more calls queued' : ''}`, busy: true, served };
  }
  if (state === PARKED) return { text: inbox ? 'parked with a non-empty inbox (a lost wake-up?)' : 'parked', busy: false, served };
  return { text: inbox ? 'awake with a non-empty inbox, not serving it (busy in its own code?)' : 'awake and idle (unresponsive?)', busy: false, served };
}

/**
 * Where an agent's slots are, for a wait on a free one: how many its own stack holds (blocking calls
 * lower down, which finish only after this wait does) and, per target, how many are queued or
 * running there and what that target is doing. A slot that stays at a target whose event loop is
 * blocked (it waits in a blocking call) while the function it runs is async cannot finish before
 * that wait ends: that is how a wait for a slot becomes a cycle.
 */
export function slotCensus(L: Layout, i32: Int32Array, table: CompiledTable, agent: number, stackHeld: number): string {
  const base = firstSlot(L, agent);
  const at = new Map<number, { queued: number; running: number; names: Set<string> }>();
  let held = 0;
  let done = 0;
  for (let k = 0; k < L.slotsPerAgent; k++) {
    const state = Atomics.load(i32, slotWord(L, base + k, S_STATE));
    if (state === S_RESERVED) held++;
    else if (state === S_DONE) done++;
    else if (state === S_FILLED || state === S_RUNNING || state === S_CANCELLED) {
      const target = Atomics.load(i32, slotWord(L, base + k, S_TARGET));
      const t = at.get(target) ?? { queued: 0, running: 0, names: new Set<string>() };
      if (state === S_RUNNING) t.running++;
      else t.queued++;
      t.names.add(table.entries[metaCallId(Atomics.load(i32, slotWord(L, base + k, S_META)))]?.name ?? '?');
      at.set(target, t);
    }
  }
  const parts: string[] = [];
  if (held > 0) parts.push(`${held} being sent`);
  for (const [target, t] of at) {
    const where = [t.queued > 0 ? `${t.queued} queued` : '', t.running > 0 ? `${t.running} running` : ''].filter(Boolean).join(', ');
    const names = [...t.names].map((n) => `"${n}"`).join(' ');
    parts.push(`${where} at agent ${target} (${names}; agent ${target} is ${describeAgent(L, i32, table, target).text})`);
  }
  if (done > 0) parts.push(`${done} finished, result not yet read`);
  // Slots of blocking calls lower on the stack come back only after this wait ends.
  const stack = stackHeld > 0 ? ` (${stackHeld} of them belong to blocking calls lower on its own stack)` : '';
  return `its ${L.slotsPerAgent} slots: ${parts.join('; ')}${stack}`;
}

export function stallReport(
  L: Layout,
  i32: Int32Array,
  table: CompiledTable,
  caller: number,
  index: number,
  waitedMs: number,
  ended: boolean,
  stackHeld = 0,
): StallReport & { targetBusy: boolean } {
  const { target, call } = whatIsAwaited(L, i32, table, index);
  const seconds = (waitedMs / 1000).toFixed(1);
  const what = call === undefined ? 'its call' : `"${call}"`;
  if (target < 0) {
    const message = ended
      ? `smpcall: agent ${caller} stopped waiting for a free slot of its own after ${seconds} s (one came free, or the call gave up with ERR_SMPCALL_NO_SLOT)`
      : `smpcall: agent ${caller} has waited ${seconds} s for a free slot of its own; ${slotCensus(L, i32, table, caller, stackHeld)}`;
    return { caller, target, call, waitedMs, targetState: '', ended, message, targetBusy: false };
  }
  const t = describeAgent(L, i32, table, target);
  const message = ended
    ? `smpcall: agent ${caller} got unstuck: agent ${target} finished ${what} after ${seconds} s`
    : `smpcall: agent ${caller} has waited ${seconds} s on agent ${target} for ${what}; agent ${target} is ${t.text}`;
  return { caller, target, call, waitedMs, targetState: t.text, ended, message, targetBusy: t.busy };
}
