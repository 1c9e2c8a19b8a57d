/**
 * The spin budget in rounds: an idle or waiting agent spins about `spinUs` microseconds before it
 * parks. Counted in rounds, not read from the clock: `performance.now()` returns a fresh heap number,
 * and reading it in the idle loop made every idle worker allocate (a young GC every ~60,000 calls).
 *
 * Measured once per thread that starts domains (~10 ms the first time, while the loop is still
 * interpreted), and handed to the workers with their start: they run on the same cores.
 */
import type { Mem } from '../mem.js';

/** Spin rounds per microsecond on this machine, once measured. */
let roundsPerUs: number | undefined;

function measureRoundsPerUs(probe: Pick<Mem, 'load'>): number {
  // One spin round is a handful of atomic loads; time a few thousand to learn rounds per µs. The
  // fastest of several tries counts: the first runs before the JIT has compiled the loop, and a round
  // timed there is many times slower than the real one (the spin would end far short of spinUs).
  // The probe is the domain's own Mem, so its loads go the way the agents' will (through WebAssembly
  // where that is faster: wasm-mem.ts); it reads the header's first ten words and writes nothing.
  const n = 20000;
  let best = Infinity;
  let sink = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += probe.load(i & 7) + probe.load(8) + probe.load(9);
    best = Math.min(best, performance.now() - t0);
  }
  const us = Math.max(best * 1000, 1);
  return n / us / 3 + (sink & 0);
}

export function spinRoundsFor(spinUs: number, probe: Pick<Mem, 'load'>): number {
  if (spinUs <= 0) return 0;
  roundsPerUs ??= measureRoundsPerUs(probe);
  return Math.max(16, Math.round(spinUs * roundsPerUs));
}

/** A spin that took this many times longer than its rounds should was slowed (see blockedParkEnded). */
const SLOWED = 3;

/** After a slowed spin, this many short blocking parks pass before the budget may grow again. */
const HOLD_OFF = 16;

/** How far the spin budget may grow above the domain's `spin`. */
const SPIN_GROWTH = 8;

/**
 * The spin budget adapts, as Linux's cpuidle-haltpoll adapts a guest's idle polling. An agent woken
 * soon after it parked would have done better to keep spinning: the wake cost it tens of µs, and its
 * caller as much. So it spins twice as long next time, up to SPIN_GROWTH × the domain's `spin`. A park
 * that lasted longer than that was worth parking for, so the budget halves back toward `spin`.
 * Without this, two agents calling each other in turn can settle into parking every time, each waking
 * the other (measured: the first 2,000 awaited calls after start() cost 20–220 µs each, against 1.5 µs
 * once both keep spinning). The budget is this thread's own: it touches no shared memory.
 *
 * It grows only while every agent has a core of its own. When agents outnumber cores the core gate
 * (protocol/poll.ts) lets an agent spin only where it counts a free core, but it counts agents, not
 * the other threads the host runs on those cores; and a woken agent then waits for the spinner's next
 * look at the gate, whichever of the two the scheduler put on that core. A budget grown to 8 × spin
 * there spun through whole broadcasts. Measured on 2 cores, onEach to 8 workers: 220–256 µs with the
 * growth, 153–176 µs without (postMessage to each: 92–133 µs); to 4 workers, 122–142 against 92–124.
 */
export class SpinBudget {
  private readonly base: number;
  private readonly max: number;
  /** Parks shorter than this (ms) grow the budget: the longest the agent would ever spin. */
  private readonly growBelowMs: number;
  /** Short blocking parks still to come that may not grow the budget, after a slowed spin (HOLD_OFF). */
  private holdOff = 0;
  /** What one spin round should take, by the measurement the budget was made from (µs). */
  private readonly usPerRound: number;

  constructor(
    private readonly ctx: { spinRounds: number; readonly coreGate: boolean },
    spinUs: number,
  ) {
    this.base = ctx.spinRounds;
    this.max = ctx.coreGate ? ctx.spinRounds : ctx.spinRounds * SPIN_GROWTH;
    this.growBelowMs = (spinUs * SPIN_GROWTH) / 1000;
    this.usPerRound = ctx.spinRounds > 0 ? spinUs / ctx.spinRounds : 0;
  }

  /**
   * A blocking wait (callSync, a wait for a slot) parked and is running again: the second half of its
   * spin took `halfMs`, the park `parkedMs`. A half that took far longer than its rounds take was
   * slowed: the thread lost its core meanwhile (to the host's other work, which the core gate does
   * not see), or it still runs in the interpreter. Spinning longer then takes a core from the agent it
   * waits for, so the budget goes back to the domain's and may not grow for the next HOLD_OFF parks.
   * Measured on 2 cores, `callSync` to a function that busies itself 40 or 80 µs: 5.6–9.1 µs over the
   * work per call with growth, 27.5–30.2 µs without (the caller parked at every call). With two other
   * busy processes on the 2 cores, growth without this check took 480 µs over the work against 193 µs;
   * with it, 61–200 µs (median of 5: 64) against 73–118 µs (median 89).
   */
  blockedParkEnded(halfMs: number, parkedMs: number): void {
    const ctx = this.ctx;
    const expectedMs = ((ctx.spinRounds - (ctx.spinRounds >> 1)) * this.usPerRound) / 1000;
    if (!(halfMs <= SLOWED * expectedMs)) {
      ctx.spinRounds = this.base;
      this.holdOff = HOLD_OFF;
    } else if (this.holdOff > 0 && parkedMs < this.growBelowMs) this.holdOff--;
    else this.parkedFor(parkedMs);
  }

  /** The agent was parked `ms` and is running again. */
  parkedFor(ms: number): void {
    const ctx = this.ctx;
    if (ms < this.growBelowMs) ctx.spinRounds = Math.min(this.max, ctx.spinRounds * 2);
    else if (ctx.spinRounds > this.base) ctx.spinRounds = Math.max(this.base, ctx.spinRounds >> 1);
  }
}
