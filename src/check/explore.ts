/**
 * Explorers: run a scenario under many schedules and report the first that breaks a property.
 *
 * - `exhaustive`: depth-first over every choice of who runs next, replaying from the start for each
 *   branch, pruning states already explored (state = memory + each agent's history of operations and
 *   the values they returned, which determines its private state), optionally bounding preemptions.
 * - `pct`: Probabilistic Concurrency Testing (Burckhardt et al.): random agent priorities, d-1
 *   priority change points over the k steps measured on a first run; finds a depth-d bug with
 *   probability at least 1/(n k^(d-1)) per schedule.
 * - `random`: a uniformly random runnable agent at every step.
 *
 * Every schedule is a list of agent ids; a failing one is printed as a compact string that `replay`
 * takes back.
 */
import { World, type Scenario } from './world.js';
import type { Twin } from './twin-modules.js';
import { KILL, type PendingOp } from './machine.js';
import { rng } from '../random.js';

export interface Outcome {
  /** 'ok': everything finished and the end state is right; 'fail': a property broke; 'cut': the run hit a bound. */
  kind: 'ok' | 'fail' | 'cut';
  problems: string[];
  schedule: number[];
  world: World;
}

export interface Report {
  scenario: string;
  mode: string;
  schedules: number;
  states: number;
  cut: number;
  ms: number;
  failure?: Outcome;
}

/** No scenario needs this many steps: a run that does is going round in circles (a livelock). */
const MAX_STEPS = 1500;

/** Run one schedule to its end. `choose` picks among the runnable agents. */
export function runOnce(scenario: Scenario, P: Twin, choose: (enabled: number[], w: World, step: number) => number, keepTrace = true): Outcome {
  const w = new World(scenario, P);
  w.m.keepTrace = keepTrace;
  const schedule: number[] = [];
  for (let step = 0; ; step++) {
    const r = settle(w, schedule);
    if (r) return r;
    if (step >= MAX_STEPS) return { kind: 'fail', problems: [`livelock: still going after ${MAX_STEPS} steps without finishing`], schedule, world: w };
    const a = choose(w.m.enabled(), w, step);
    schedule.push(a);
    w.m.step(a);
  }
}

/** The checked code crashed (an engine error): a broken patch or a tool bug, never a counterexample. */
export class CheckCrashed extends Error {}

/** If the run is over (finished, deadlocked or broken), its outcome. */
function settle(w: World, schedule: number[]): Outcome | undefined {
  const m = w.m;
  if (m.crashed) throw new CheckCrashed(`${w.scenario.name}: ${m.crashed}`);
  if (m.failure) return { kind: 'fail', problems: [m.failure], schedule, world: w };
  if (w.problems.length) return { kind: 'fail', problems: w.problems, schedule, world: w };
  // A kill can always still happen; the run is over when nothing else can.
  if (m.anyRunnable()) return undefined;
  const stuck: number[] = [];
  for (let a = 0; a < m.agents; a++) if (!m.programDone[a] && !m.killed[a]) stuck.push(a);
  if (stuck.length === 0) {
    w.checkEnd();
    return { kind: w.problems.length ? 'fail' : 'ok', problems: w.problems, schedule, world: w };
  }
  return { kind: 'fail', problems: [`deadlock: every agent waits and agent(s) ${stuck.join(', ')} never finish their calls`], schedule, world: w };
}

/** Replay a schedule exactly (then the first runnable agent until the end). */
export function replay(scenario: Scenario, P: Twin, schedule: number[]): Outcome {
  return runOnce(scenario, P, (enabled, _w, step) => {
    const want = schedule[step];
    return want !== undefined && enabled.includes(want) ? want : enabled[0]!;
  });
}

/**
 * Two next steps commute when they are by different agents and touch different words, or both only
 * read the same word. Exploring one order of a commuting pair is enough (sleep sets, Godefroid 1996).
 */
function independent(p: PendingOp | undefined, q: PendingOp | undefined): boolean {
  if (!p || !q) return false;
  if (p.index !== q.index) return true;
  const reads = (k: string): boolean => k === 'read' || k === 'load';
  return reads(p.kind) && reads(q.kind);
}

/** States an exhaustive search remembers before it stops (a Map's limit is 2^24). */
const MAX_STATES = 1 << 23;

export function exhaustive(scenario: Scenario, P: Twin, options: { preemptions?: number; maxSchedules?: number; cache?: boolean } = {}): Report {
  const t0 = performance.now();
  const bound = options.preemptions ?? Infinity;
  const maxSchedules = options.maxSchedules ?? Infinity;
  // State → the sleep set it was explored with (agents as bits): a later visit with a superset
  // of that sleep set has nothing new to explore. Under a preemption bound: state and last agent →
  // the fewest preemptions spent reaching it.
  const visited = new Map<number, number>();
  let schedules = 0;
  let failure: Outcome | undefined;
  let truncated = false;
  let capped = false;

  const replayTo = (prefix: number[]): World => {
    const w = new World(scenario, P);
    w.m.keepTrace = false;
    for (const a of prefix) w.m.step(a);
    return w;
  };

  // Depth-first with sleep sets and state caching; `w` is the world after `prefix`, owned by this call.
  const dfs = (w: World, prefix: number[], sleep: number, preempted: number): void => {
    if (failure) return;
    if (schedules >= maxSchedules) {
      truncated = true;
      return;
    }
    const end = settle(w, prefix);
    if (end) {
      schedules++;
      if (end.kind === 'fail') failure = replay(scenario, P, prefix);
      return;
    }
    if (prefix.length >= MAX_STEPS) {
      schedules++;
      failure = replay(scenario, P, prefix);
      return;
    }
    const last = prefix.length ? prefix[prefix.length - 1]! : -1;
    if (options.cache !== false) {
      if (visited.size >= MAX_STATES) {
        // A JS Map holds at most 2^24 entries: a search that large stops and says so.
        capped = true;
        return;
      }
      if (bound === Infinity) {
        const h = w.m.stateHash();
        const seen = visited.get(h);
        if (seen !== undefined && (seen & ~sleep) === 0) return;
        visited.set(h, seen === undefined ? sleep : seen & sleep);
      } else {
        // Under a preemption bound what is left to explore from a state depends on the preemptions
        // already spent and on who ran last (continuing it is free): a state reached again with
        // fewer spent must be explored again, or schedules within the bound are never tried.
        const h = w.m.stateHash() ^ Math.imul(last + 2, 0x9e3779b1);
        const spent = visited.get(h);
        if (spent !== undefined && spent <= preempted) return;
        visited.set(h, preempted);
      }
    }
    const enabled = w.m.enabled();
    const lastCanGo = enabled.includes(last);
    // Continuing the agent that just ran is free; switching away from it while it could go on costs a preemption.
    const order = lastCanGo ? [last, ...enabled.filter((a) => a !== last)] : enabled;
    // Sleep sets assume every order can be explored; under a preemption bound they could prune the
    // only order the bound still allows, so a bounded search does without them.
    const useSleep = bound === Infinity;
    const pending = w.m.pending;
    // One bit per choice: participants first, then the kill of each agent.
    const bit = (c: number): number => (c >= KILL ? pending.length + c - KILL : c);
    const choices = order.filter((a) => !(useSleep && (sleep >> bit(a)) & 1) && (a === last || !lastCanGo || preempted < bound));
    let done = 0;
    for (let k = 0; k < choices.length; k++) {
      const a = choices[k]!;
      let childSleep = 0;
      const asleep = sleep | done;
      if (useSleep && a < KILL) for (let b = 0; b < pending.length; b++) if ((asleep >> b) & 1 && independent(pending[b], pending[a])) childSleep |= 1 << b;
      const branch = [...prefix, a];
      const cost = lastCanGo && a !== last ? 1 : 0;
      if (k === choices.length - 1) {
        w.m.step(a);
        dfs(w, branch, childSleep, preempted + cost);
      } else {
        dfs(replayTo(branch), branch, childSleep, preempted + cost);
      }
      if (failure) return;
      done |= 1 << bit(a);
    }
  };
  dfs(new World(scenario, P), [], 0, 0);
  const mode = `exhaustive${bound === Infinity ? '' : ` (preemptions ≤ ${bound})`}${truncated ? `, stopped at ${maxSchedules} schedules` : ''}${capped ? `, stopped at ${MAX_STATES} states` : ''}`;
  return { scenario: scenario.name, mode, schedules, states: visited.size, cut: 0, ms: performance.now() - t0, failure };
}


export function randomSearch(scenario: Scenario, P: Twin, options: { schedules: number; seed: number }): Report {
  const t0 = performance.now();
  let cut = 0;
  for (let i = 0; i < options.schedules; i++) {
    const random = rng(options.seed + i);
    const out = runOnce(scenario, P, (enabled) => enabled[Math.floor(random() * enabled.length)]!, false);
    if (out.kind === 'cut') cut++;
    if (out.kind === 'fail') {
      return { scenario: scenario.name, mode: `random (seed ${options.seed + i})`, schedules: i + 1, states: 0, cut, ms: performance.now() - t0, failure: replay(scenario, P, out.schedule) };
    }
  }
  return { scenario: scenario.name, mode: `random (seeds ${options.seed}..${options.seed + options.schedules - 1})`, schedules: options.schedules, states: 0, cut, ms: performance.now() - t0 };
}

export function pct(scenario: Scenario, P: Twin, options: { schedules: number; seed: number; depth: number }): Report {
  const t0 = performance.now();
  // k: schedule length, measured on a first run.
  const k = Math.max(1, runOnce(scenario, P, (e) => e[0]!, false).schedule.length);
  const d = Math.max(1, options.depth);
  let cut = 0;
  for (let i = 0; i < options.schedules; i++) {
    const random = rng(options.seed + i);
    // Distinct initial priorities from d up, in random order, given to each choice (a participant, or
    // a kill) when first seen; change points lower the running one to d-1 .. 1.
    const prio = new Map<number, number>();
    const changes = new Map<number, number>();
    for (let c = 1; c < d; c++) changes.set(Math.floor(random() * k), d - c);
    const out = runOnce(
      scenario,
      P,
      (enabled, _w, step) => {
        for (const a of enabled) if (!prio.has(a)) prio.set(a, d + random() * 1000);
        let best = enabled[0]!;
        for (const a of enabled) if (prio.get(a)! > prio.get(best)!) best = a;
        const lower = changes.get(step);
        if (lower !== undefined) prio.set(best, lower);
        return best;
      },
      false,
    );
    if (out.kind === 'cut') cut++;
    if (out.kind === 'fail') {
      return { scenario: scenario.name, mode: `pct d=${d} (seed ${options.seed + i})`, schedules: i + 1, states: 0, cut, ms: performance.now() - t0, failure: replay(scenario, P, out.schedule) };
    }
  }
  return { scenario: scenario.name, mode: `pct d=${d}, k=${k}`, schedules: options.schedules, states: 0, cut, ms: performance.now() - t0 };
}

/** "0*12,1*3,0" ⇄ [0 ×12, 1 ×3, 0]. */
export function encodeSchedule(s: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j < s.length && s[j] === s[i]) j++;
    const c = s[i]! >= KILL ? `k${s[i]! - KILL}` : `${s[i]}`;
    out.push(j - i > 1 ? `${c}*${j - i}` : c);
    i = j;
  }
  return out.join(',');
}

export function decodeSchedule(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').filter(Boolean)) {
    const [a, n] = part.split('*');
    // "k2" is the kill of agent 2.
    const agent = a!.startsWith('k') ? KILL + Number(a!.slice(1)) : Number(a);
    const times = n === undefined ? 1 : Number(n);
    if (!Number.isInteger(agent) || !Number.isInteger(times)) throw new Error(`bad schedule part "${part}"`);
    for (let k = 0; k < times; k++) out.push(agent);
  }
  return out;
}
