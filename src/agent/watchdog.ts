/**
 * The stall watchdog (the kernel's `csd_lock_wait_toolong`): when an agent has waited longer than
 * `stallMs`, say who waits on whom, for which function, for how long, and what the target is doing;
 * repeat at growing intervals; and say so when the wait ends, so a log shows both ends of a stall.
 */
import {
  DEAD,
  EMPTY,
  PARKED,
  STAT_SERVED,
  S_CANCELLED,
  S_DONE,
  S_FILLED,
  S_RESERVED,
  S_RUNNING,
  S_STATE,
  X_STATE,
  decodeWord,
  firstSlot,
} from '../layout.js';
import type { Ctx } from '../protocol/context.js';
import { pendingLaneOf } from '../protocol/pending.js';
import { agentState, busyCall, busyFrom, inboxQueued, isDead, laneCallId, slotCallId, slotState, slotTarget, statOf } from '../protocol/observe.js';
import type { CompiledTable } from '../table.js';
import type { StallReport } from '../stall-report.js';

export type { StallReport };

/** Growing intervals between repeated reports: 1x, 2x, 4x ... the first, capped at a minute. */
export const nextStallTimeout = (previousMs: number): number => Math.min(previousMs * 2, 60_000);

const nameOf = (table: CompiledTable, callId: number): string | undefined => table.entries[callId]?.name;

/** Work out, from the word an agent waits on, whom it waits on and for which call. */
function whatIsAwaited(ctx: Ctx, table: CompiledTable, index: number): { target: number; call: string | undefined } {
  const w = decodeWord(ctx.L, index);
  if (w.kind === 'hot' && w.word === X_STATE) return { target: w.agent, call: nameOf(table, laneCallId(ctx, w.agent)) };
  if (w.kind === 'slot' && w.word === S_STATE) return { target: slotTarget(ctx, w.slot), call: nameOf(table, slotCallId(ctx, w.slot)) };
  return { target: -1, call: undefined };
}

/** What an agent is doing, as seen from outside. */
export function describeAgent(ctx: Ctx, table: CompiledTable, agent: number): { text: string; busy: boolean; served: number } {
  const state = agentState(ctx, agent);
  const busy = busyCall(ctx, agent);
  const served = statOf(ctx, agent, STAT_SERVED);
  if (state === DEAD) return { text: 'dead', busy: false, served };
  const inbox = inboxQueued(ctx, agent);
  if (busy !== 0) {
    const from = busyFrom(ctx, agent);
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
export function slotCensus(ctx: Ctx, table: CompiledTable, agent: number, stackHeld: number): string {
  const { L } = ctx;
  const base = firstSlot(L, agent);
  const at = new Map<number, { queued: number; running: number; names: Set<string> }>();
  const tally = (target: number, running: boolean, callId: number): void => {
    const t = at.get(target) ?? { queued: 0, running: 0, names: new Set<string>() };
    if (running) t.running++;
    else t.queued++;
    t.names.add(nameOf(table, callId) ?? '?');
    at.set(target, t);
  };
  let held = 0;
  let done = 0;
  for (let k = 0; k < L.slotsPerAgent; k++) {
    const state = slotState(ctx, base + k);
    // An awaited call sent through a lane holds its slot (its spill area) RESERVED: it is at that lane's agent.
    const lane = agent === ctx.id ? pendingLaneOf(ctx, base + k) : EMPTY;
    if (state === S_RESERVED && lane !== EMPTY) tally(lane, true, laneCallId(ctx, lane));
    else if (state === S_RESERVED) held++;
    else if (state === S_DONE) done++;
    else if (state === S_FILLED || state === S_RUNNING || state === S_CANCELLED) tally(slotTarget(ctx, base + k), state === S_RUNNING, slotCallId(ctx, base + k));
  }
  const parts: string[] = [];
  if (held > 0) parts.push(`${held} being sent`);
  for (const [target, t] of at) {
    const where = [t.queued > 0 ? `${t.queued} queued` : '', t.running > 0 ? `${t.running} running` : ''].filter(Boolean).join(', ');
    const names = [...t.names].map((n) => `"${n}"`).join(' ');
    parts.push(`${where} at agent ${target} (${names}; agent ${target} is ${describeAgent(ctx, table, target).text})`);
  }
  if (done > 0) parts.push(`${done} finished, result not yet read`);
  // Slots of blocking calls lower on the stack come back only after this wait ends.
  const stack = stackHeld > 0 ? ` (${stackHeld} of them belong to blocking calls lower on its own stack)` : '';
  return `its ${L.slotsPerAgent} slots: ${parts.join('; ')}${stack}`;
}

export function stallReport(
  ctx: Ctx,
  table: CompiledTable,
  caller: number,
  index: number,
  waitedMs: number,
  ended: boolean,
  stackHeld = 0,
): StallReport & { targetBusy: boolean } {
  const { target, call } = whatIsAwaited(ctx, table, index);
  const seconds = (waitedMs / 1000).toFixed(1);
  const what = call === undefined ? 'its call' : `"${call}"`;
  if (target < 0) {
    const message = ended
      ? `smpcall: agent ${caller} stopped waiting for a free slot of its own after ${seconds} s (one came free, or the call gave up with ERR_SMPCALL_NO_SLOT)`
      : `smpcall: agent ${caller} has waited ${seconds} s for a free slot of its own; ${slotCensus(ctx, table, caller, stackHeld)}`;
    return { caller, target, call, waitedMs, targetState: '', ended, message, targetBusy: false };
  }
  const t = describeAgent(ctx, table, target);
  // A wait also ends when its target dies (terminated by close(), or crashed): say which.
  const message = ended
    ? isDead(ctx, target)
      ? `smpcall: agent ${caller} got unstuck after ${seconds} s: agent ${target} ended before finishing ${what}`
      : `smpcall: agent ${caller} got unstuck: agent ${target} finished ${what} after ${seconds} s`
    : `smpcall: agent ${caller} has waited ${seconds} s on agent ${target} for ${what}; agent ${target} is ${t.text}`;
  return { caller, target, call, waitedMs, targetState: t.text, ended, message, targetBusy: t.busy };
}
