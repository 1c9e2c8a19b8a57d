/**
 * The agent runtime: one per thread (the main thread, each worker), composed of parts that each own
 * their state, with one-way dependencies:
 *
 *   caller (call, callSync, post) ─┬─► checks, local calls, pending calls, outcome ─► codec
 *   many (callMany, onEach...)  ───┘
 *   server (take, run, results) ─────► codec
 *   pump (event loop) ───────────────► protocol/pump
 *   stall watch ─────────────────────► watchdog ─► protocol/observe
 *
 * The agent is the protocol's `Host`: each Host method routes to the part that owns the state. It
 * touches no shared word itself: every state change goes through `src/protocol/`.
 */
import { firstSlot, STAT_EXPRESS, STAT_PARKS, STAT_RINGS, STAT_SENT, STAT_SERVED, STAT_SLOT_WAITS, STATE_NAMES, type Layout } from '../layout.js';
import { SmpcallError, codes } from '../errors.js';
import { makeCtx, type Ctx, type Host } from '../protocol/context.js';
import { adopt, revive } from '../protocol/adopt.js';
import { finish } from '../protocol/finish.js';
import { pendingWord, reap } from '../protocol/pending.js';
import { pauseBriefly } from '../protocol/wait.js';
import { agentState, freeSlots, statOf } from '../protocol/observe.js';
import { publishStats } from '../protocol/stats.js';
import { Views } from '../codec/views.js';
import { Payloads } from '../codec/payloads.js';
import { LaneCodec } from '../codec/express.js';
import { SharedBuffers } from '../codec/shared-buffers.js';
import { platform } from '../runtime/platform.js';
import type { ViewedMem } from '../runtime/wasm-mem.js';
import type { CompiledTable } from '../table.js';
import { Caller } from './caller.js';
import { CallerChecks } from './checks.js';
import type { Current } from './current.js';
import { Handle } from './handle.js';
import { LocalCalls } from './local.js';
import { ManyCalls } from './many.js';
import { Outcome } from './outcome.js';
import { PendingCalls } from './pending-calls.js';
import { Pump } from './pump.js';
import { SpinBudget } from './spin.js';
import { ScratchArgs } from './scratch-args.js';
import { Server } from './server.js';
import { StallWatch } from './stall-watch.js';
import type { AgentHandle, AgentStats } from './types.js';
import type { StallReport } from './watchdog.js';
import type { ErrorReport } from '../error-report.js';

export interface AgentOptions {
  /** Rounds an idle or waiting agent spins before it parks (spinRoundsFor: the domain's spin in µs, measured once on the main thread). */
  spinRounds: number;
  /** The domain's spin in µs (what spinRounds was measured for; the budget adapts from there: SpinBudget). */
  spinUs: number;
  /** A wait longer than this reports a stall (ms). */
  stallMs: number;
  /** A wait for a free slot of the agent's own longer than this fails the call with ERR_SMPCALL_NO_SLOT (ms). */
  slotWaitMs: number;
}

export class Agent implements Host, Current {
  readonly id: number;
  readonly L: Layout;
  readonly ctx: Ctx;
  readonly buffer: SharedArrayBuffer;
  /** SharedArrayBuffers registered with the domain (`share()`), by id. */
  readonly shared = new SharedBuffers();
  readonly payloads: Payloads;
  readonly scratch = new ScratchArgs();
  readonly checks: CallerChecks;
  readonly caller: Caller;
  readonly many: ManyCalls;
  readonly pump: Pump;
  /** The spin budget of this thread's waits, the pump's and blocking ones alike (spin.ts). */
  private readonly budget: SpinBudget;
  readonly stalls: StallWatch;
  private readonly server: Server;
  private readonly pending: PendingCalls;
  /** The call table's names, in id order. */
  readonly names: readonly string[];
  /** The public handle (the domain, for agent 0): what here() gives. */
  handle: AgentHandle;
  /** Told when a call of ours failed because its target died (the domain may be restarting it). */
  onGone: ((agent: number) => void) | undefined;

  /** `mem`: the shared-memory operations over `buffer` (runtime/wasm-mem.ts `memFor`). */
  constructor(buffer: SharedArrayBuffer, L: Layout, id: number, table: CompiledTable, options: AgentOptions, mem: ViewedMem) {
    this.id = id;
    this.L = L;
    this.buffer = buffer;
    this.names = table.entries.map((e) => e.name);
    const views = new Views(buffer);
    this.ctx = makeCtx({ mem, host: this, L, id, spinRounds: options.spinRounds, parkTimeoutMs: options.stallMs, cores: platform.cores, canBlock: platform.canBlock });
    const ctx = this.ctx;
    this.payloads = new Payloads(views, L, id, this.shared, () => this.waitForPages());
    const lanes = new LaneCodec(views, L);
    const postFailed = (name: string, from: number, e: unknown, undecodable = false): void => {
      if (undecodable) {
        // smpcall's own failure, with its own code (as a call's arrives at its caller).
        const code = (e as { code?: string }).code ?? codes.UNCLONEABLE;
        this.report({ agent: id, code, call: name, from, message: `smpcall: post "${name}" from agent ${from} was not run: ${(e as Error).message}`, error: e });
        return;
      }
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.report({ agent: id, code: codes.REMOTE, call: name, from, message: `smpcall: post "${name}" from agent ${from} threw on agent ${id}: ${why}`, error: e });
    };
    this.server = new Server(this, id, table, this.payloads, lanes, (place, status) => finish(ctx, place, status), postFailed);
    const outcome = new Outcome(this.payloads, lanes, (t) => this.onGone?.(t));
    this.pending = new PendingCalls(L.slotsPerAgent, firstSlot(L, id), outcome, (slot, waited, ended) => this.stalls.stalled(pendingWord(ctx, slot), waited, ended));
    this.checks = new CallerChecks(ctx, table, this.server);
    const local = new LocalCalls(this, id, this.payloads, postFailed);
    const pending = this.pending;
    const stallMs = options.stallMs;
    const budget = (this.budget = new SpinBudget(ctx, options.spinUs));
    this.pump = new Pump(ctx, mem.i32, budget, this.server, (now) => pending.watch(now, stallMs, ctx.pendingList, ctx.pendingCount), stallMs, (e) =>
      this.report({ agent: id, code: (e as { code?: string })?.code ?? codes.CORRUPT, message: `smpcall: agent ${id} could not serve: ${(e as Error)?.message ?? String(e)}`, error: e }),
    );
    const pump = this.pump;
    this.caller = new Caller(ctx, this.checks, local, this.pending, outcome, this.payloads, lanes, table, options.slotWaitMs, pump);
    this.many = new ManyCalls(ctx, this.checks, this.caller, local, this.pending, () => pump.blocked());
    this.stalls = new StallWatch(ctx, table, () => this.caller.stackHeld);
    this.handle = new Handle(this);
  }

  // ---------------------------------------------------------------- the protocol's Host

  take(place: number, meta: number, from: number): void {
    this.server.take(place, meta, from);
  }
  run(place: number, sync: boolean): number {
    return this.server.run(place, sync);
  }
  writeArgs(place: number): void {
    this.caller.writeArgs(place);
  }
  receive(place: number, slot: number, status: number): void {
    this.caller.receive(place, slot, status);
  }
  sent(slot: number, k: number): void {
    this.pending.sent(slot, k);
  }
  settle(place: number, slot: number, status: number): void {
    this.pending.settle(place, slot, status);
    this.pump.afterSettle();
  }
  discard(slot: number): void {
    this.pending.forget(slot);
    this.payloads.discard(slot);
    this.pump.afterSettle();
  }
  now(): number {
    return performance.now();
  }
  stalled(index: number, waitedMs: number, ended: boolean): number {
    return this.stalls.stalled(index, waitedMs, ended);
  }
  exited(): number {
    return this.exitWatch?.() ?? -1;
  }
  // A blocking wait's spin and park, timed for the spin budget: the clock is read only by a wait
  // that has spun half its budget already, never on a call's fast path.
  private halfwayAt = 0;
  private parkingAt = 0;
  spinHalfway(): void {
    this.halfwayAt = performance.now();
  }
  parking(): void {
    this.parkingAt = performance.now();
  }
  woke(): void {
    this.budget.blockedParkEnded(this.parkingAt - this.halfwayAt, performance.now() - this.parkingAt);
  }
  /**
   * The threads this one started and is the only one told of (Node's main thread): which has ended
   * unreported (see `Host.exited`). Set with `watchExits`.
   */
  private exitWatch: (() => number) | undefined;
  /** While this thread blocks, look every `everyMs` for workers that ended, with `ended` (see `Host.exited`). */
  watchExits(ended: () => number, everyMs: number): void {
    this.exitWatch = ended;
    this.ctx.watchMs = everyMs;
  }
  corrupt(what: string): void {
    this.report({ agent: this.id, code: codes.CORRUPT, message: `smpcall: agent ${this.id} found shared memory corrupt: ${what}` });
  }

  /** Where failures no caller can receive go (the domain's 'error' event; forwarded there from workers). */
  onError: ((r: ErrorReport) => void) | undefined;

  /** Report a failure no caller can receive; a listener that throws is reported, never thrown. */
  report(r: ErrorReport): void {
    try {
      if (this.onError) this.onError(r);
      else console.error(r.message, r.error ?? '');
    } catch (e) {
      console.error('smpcall: an error listener threw:', e);
    }
  }

  /** The big arena is full for now: serve and collect what we can, else sleep a moment, then retry. */
  private waitForPages(): void {
    if (!platform.canBlock) throw new SmpcallError(codes.TOO_LARGE, `agent ${this.id}'s big arena is full and this thread cannot wait`);
    pauseBriefly(this.ctx, 1);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Where stall reports go (the domain's event on the main thread; forwarded there from workers). */
  set onStall(fn: ((r: StallReport) => void) | undefined) {
    this.stalls.onStall = fn;
  }

  /**
   * Before a restarted thread serves under a dead agent's id: take back the slot pool and the lanes its
   * predecessor left behind (protocol/adopt.ts), then come back to life.
   */
  adoptPredecessor(): void {
    adopt(this.ctx);
    revive(this.ctx);
  }

  /** Collect every finished call of ours now (close: before the pump stops). */
  collect(): void {
    if (reap(this.ctx)) this.pump.afterSettle();
  }

  /** Stop accepting new calls from this agent. */
  markClosing(): void {
    this.checks.closing = true;
  }

  /** The domain is closed: stop the pump and let the thread's event loop end. */
  stopServing(): void {
    this.checks.closing = true;
    this.pump.stop();
  }

  /** Per-agent counters, read from shared memory (any agent's, from any agent). */
  stats(): AgentStats[] {
    const out: AgentStats[] = [];
    const c = this.ctx;
    publishStats(c); // our own, current (others publish theirs when they go idle)
    for (let t = 0; t < this.L.agents; t++) {
      out.push({
        agent: t,
        state: STATE_NAMES[agentState(c, t)] ?? 'corrupt',
        sent: statOf(c, t, STAT_SENT),
        served: statOf(c, t, STAT_SERVED),
        rings: statOf(c, t, STAT_RINGS),
        parks: statOf(c, t, STAT_PARKS),
        slotWaits: statOf(c, t, STAT_SLOT_WAITS),
        express: statOf(c, t, STAT_EXPRESS),
        freeSlots: freeSlots(c, t),
      });
    }
    return out;
  }
}


