/**
 * One checked run of a scenario: the machine, the real protocol (twin), and for each agent a context
 * built by the protocol's own `makeCtx`, a checker `Host` and the scenario's program. Programs call
 * the protocol's entry points exactly as the runtime (src/agent/) does: `callSync`, `callAsync` +
 * `awaitCall`, `post`, `cancelCall`, the pump's `pumpWork`/`pumpIdle`, `failAgent`, `adopt`/`revive`,
 * `beginClose`. The host carries each call as two words (a unique id and an argument) and its result
 * as one, through the places production uses (a slot's inline area, the lane's number registers),
 * read and written with scheduled operations; so a protocol that frees a slot before its arguments
 * are copied is caught by a wrong argument, not hidden.
 *
 * Helpers beside the agents: a guardian (when a scenario lets an agent die) that completes the dead
 * agent's calls like the runtime's guardian thread, and restarts it when asked; a clock (when a
 * scenario has timeouts) whose ticks are scheduling choices like any other step.
 */
import {
  COLD_BELL,
  EMPTY,
  F_SYNC,
  H_CLEAN_LOCK,
  H_CLOSING,
  HOT_INBOX,
  INBOX_DEAD,
  INBOX_EMPTY,
  inboxField,
  inboxWord,
  HOT_STATE,
  DEAD,
  STATUS_GONE,
  S_DONE,
  S_FILLED,
  S_FREE,
  S_INLINE_BYTE,
  S_RESERVED,
  S_STATE,
  X_FREE,
  X_NUMBERS_BYTE,
  X_STATE,
  cold,
  firstSlot,
  hot,
  hotByte,
  makeLayout,
  metaCallId,
  packMeta,
  slotByte,
  slotOwner,
  slotWord,
  type Layout,
} from '../layout.js';
import { KILL, Machine, memFor, type PendingOp } from './machine.js';
import type { Twin } from './twin-modules.js';
import { nameOf } from './names.js';

type Gen<T = void> = Generator<PendingOp, T, unknown>;

/** A call the program made with `call` (for `cancel`). */
export interface CallRef {
  slot: number;
  seq: number;
  uid: number;
}

/** What a scenario program can do, on its own agent. */
export interface Api {
  readonly id: number;
  /** A blocking call; 'gone' when its target died. `bulky`: its arguments do not fit the lane. */
  callSync(target: number, fn: FnName, arg: number, bulky?: boolean): Gen<number | 'gone'>;
  /** A blocking call with a deadline `timeoutMs` after now (on the scenario's clock). */
  callSyncTimed(target: number, fn: FnName, arg: number, timeoutMs: number): Gen<number | 'gone' | 'timeout'>;
  /** Fire and forget; `bulky`: its arguments do not fit the lane. */
  post(target: number, fn: FnName, arg: number, bulky?: boolean): Gen;
  /** An async call (the promise `call` of an event-loop agent); collect with `settleAll`. */
  /** `cancellable`: sent as `callWith` sends (a slot only: a lane call cannot be cancelled); else as `call` (the lane when free). */
  call(target: number, fn: FnName, arg: number, cancellable?: boolean): Gen<CallRef>;
  /** Give up on an async call (a timeout or an abort), as `callWith` does. */
  cancel(ref: CallRef): Gen<'settled' | 'late' | 'never-ran' | 'abandoned'>;
  /** Run the event loop until every awaited call of this agent has its result. */
  settleAll(): Gen;
  callManySync(targets: number[], fn: FnName, arg: number): Gen<(number | 'gone')[]>;
  /**
   * The idle pump parks with `waitAsync` (its bell joins the futex queue) and the event loop runs
   * another task (the rest of the program) meanwhile: a bell with two waiters.
   */
  parkAsync(): Gen;
  /** close(): no new call anywhere, every agent rung; idle agents then end. */
  close(): Gen;
}

/** The functions agents call in scenarios. `relay` nests: arg = target * 1000 + x. */
export const FNS = ['inc', 'relay', 'note'] as const;
export type FnName = (typeof FNS)[number];
export const expected = (fn: FnName, arg: number): number => (fn === 'inc' ? arg + 1 : fn === 'relay' ? (arg % 1000) + 1 + 1000 : arg);

export interface Scenario {
  name: string;
  about: string;
  agents: number;
  slotsPerAgent: number;
  /** Use the express lane for small sync calls and posts (production does). Default true. */
  express?: boolean;
  /** Cores the core gate assumes (default: one per agent, so no gate). Fewer than agents turns the gate on. */
  cores?: number;
  /** This agent may die at any step (once); the guardian then completes its calls. */
  kill?: number;
  /** After the death, a fresh agent takes over the dead one's id (adopt, revive, serve). */
  restart?: boolean;
  /** What the restarted agent runs once revived (its calls are checked like any live agent's). */
  restartProgram?: (api: Api) => Gen;
  /** Agents end when the domain closes and they are idle; the guardian completes what reaches them after. */
  closing?: boolean;
  /**
   * This agent is the workers' parent (Node's main thread): there is no guardian, and it completes a
   * dead agent's calls itself, from its event loop (the exit event) and from a blocked wait, whose
   * parks then time out (`watchMs`) and ask `host.exited()`.
   */
  watcher?: number;
  /** This agent may not block (a browser page's main thread): its waits spin on its bell. */
  page?: number;
  /** The clock ticks this many times (each a scheduling choice), for calls with deadlines. */
  clock?: number;
  /** Run the calls through a protocol variant (src/variants/NAME.ts) instead of ours. */
  variant?: string;
  /**
   * How `smpcall check` explores it within its time budget: every schedule (the default for two
   * agents), or schedules with at most `preemptions` preemptions (loom's advice: 2-3 catch most
   * bugs), followed by `pct` PCT schedules.
   */
  search?: { preemptions?: number; pct?: number };
  programs: Record<number, (api: Api) => Gen>;
}

/** A restarted agent's call uids start here (below: its predecessor's). */
const SUCCESSOR_UIDS = 5000;

/** Words of a place's data used by the checker's host: [uid, arg, result]. */
const IN_UID = 0;
const IN_ARG = 1;
const IN_RESULT = 2;
/** What became of each call, for the end check. */
type Fate = 'pending' | 'ok' | 'gone' | 'never-ran' | 'abandoned' | 'timeout' | 'post';

export class World {
  readonly m: Machine;
  readonly L: Layout;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the twin's contexts (generator protocol)
  readonly ctxs: any[] = [];
  readonly hosts: CheckHost[] = [];
  /** uid → times executed. */
  readonly executed = new Map<number, number>();
  /** uid → what the caller learned. */
  readonly fate = new Map<number, Fate>();
  /** uid → its target. */
  readonly targetOf = new Map<number, number>();
  /** Per target, the uids it ran in order (uid encodes the caller). */
  readonly runOrder: number[][];
  /** The guardian's and the clock's participant ids. */
  readonly guardian: number;
  readonly clock: number;
  readonly clockWord: number;
  problems: string[] = [];

  constructor(
    readonly scenario: Scenario,
    readonly P: Twin,
  ) {
    this.L = makeLayout({ agents: scenario.agents, slotsPerAgent: scenario.slotsPerAgent, arenaPerSlot: 0, tableHash: 1 });
    const n = scenario.agents;
    this.guardian = (scenario.kill !== undefined || scenario.closing) && scenario.watcher === undefined ? n : -1;
    this.clock = scenario.clock ? n + (this.guardian >= 0 ? 1 : 0) : -1;
    const participants = n + (this.guardian >= 0 ? 1 : 0) + (this.clock >= 0 ? 1 : 0);
    this.clockWord = this.L.totalBytes / 4;
    this.m = new Machine(this.clockWord + 1, n, participants);
    if (this.clock >= 0) this.m.clockWord = this.clockWord;
    this.m.wordName = (i) => (i === this.clockWord ? 'clock' : nameOf(this.L, i));
    this.runOrder = Array.from({ length: n }, () => []);
    // The header as production writes it (inboxes EMPTY, states RUNNING, links EMPTY).
    for (let a = 0; a < n; a++) this.m.mem[hot(this.L, a, HOT_INBOX)] = inboxWord(0, INBOX_EMPTY);
    for (let s = 0; s < this.L.totalSlots; s++) this.m.mem[slotWord(this.L, s, 1)] = EMPTY;
    for (let a = 0; a < n; a++) this.ctxs.push(this.makeCtx(a));
    if (scenario.kill !== undefined) this.m.mortal[scenario.kill] = true;
    if (scenario.page !== undefined) this.m.noBlock[scenario.page] = true;
    if (scenario.watcher !== undefined) this.m.watcher = scenario.watcher;
    for (let a = 0; a < n; a++) this.m.start(a, this.agentMain(a));
    if (this.guardian >= 0) this.m.start(this.guardian, this.guardianMain());
    if (this.clock >= 0) this.m.start(this.clock, this.clockMain(scenario.clock!));
  }

  private makeCtx(a: number, firstUid = 0) {
    const host = new CheckHost(this, a, firstUid);
    this.hosts[a] = host;
    const ctx = this.P.context.makeCtx({
      mem: memFor(this.m, a),
      host,
      L: this.L,
      id: a,
      spinRounds: 0,
      parkTimeoutMs: 1e9,
      watchMs: this.scenario.watcher === a ? 1 : Infinity,
      cores: this.scenario.cores ?? this.scenario.agents,
      canBlock: this.scenario.page !== a,
    });
    host.ctx = ctx;
    return ctx;
  }

  private *agentMain(a: number): Gen {
    const program = this.scenario.programs[a];
    const host = this.hosts[a]!;
    if (program) yield* program(host.api);
    this.m.programDone[a] = true;
    yield* host.idle();
  }

  /**
   * The guardian thread: whenever an agent's thread has ended (killed, or ended at close), complete
   * its calls, as the runtime's guardian does on a worker's 'exit'; restart a killed one if asked.
   */
  private *guardianMain(): Gen {
    const g = this.P.context.makeCtx({ mem: memFor(this.m, this.guardian), host: new CheckHost(this, this.guardian), L: this.L, id: -1, spinRounds: 0, parkTimeoutMs: 1e9, cores: 1 });
    for (;;) {
      const gone = yield* this.m.awaitExit(this.guardian);
      yield* this.P.death.failAgent(g, gone);
      if (!this.scenario.restart || !this.m.killed[gone]) continue;
      // A fresh thread under the same id: new private state, the same shared memory.
      this.restarted = gone;
      this.ctxs[gone] = this.makeCtx(gone, SUCCESSOR_UIDS);
      this.m.revived(gone);
      this.m.start(gone, this.restartedMain(gone));
    }
  }
  /** The agent that was killed and restarted (-1: none). */
  restarted = -1;

  private *restartedMain(a: number): Gen {
    const host = this.hosts[a]!;
    yield* this.P.adopt.adopt(host.ctx);
    yield* this.P.adopt.revive(host.ctx);
    if (this.scenario.restartProgram) yield* this.scenario.restartProgram(host.api);
    this.m.programDone[a] = true;
    yield* host.idle();
  }

  private *clockMain(ticks: number): Gen {
    for (let t = 1; t <= ticks; t++) yield* this.m.store(this.clock, this.clockWord, t);
  }

  /** A new call's uid: the caller in the high digits, so run order per caller is uid order. */
  issue(caller: number, counter: number, target: number, fate: Fate): number {
    const uid = caller * 10000 + counter;
    this.fate.set(uid, fate);
    this.targetOf.set(uid, target);
    return uid;
  }

  /** Nobody can move any more: check the end state. */
  checkEnd(): void {
    const { m, L } = this;
    // Killed (and, for its calls' fates, restarted: the old thread's calls died with it).
    const dead = (a: number): boolean => m.killed[a]! || a === this.restarted;
    for (const [uid, fate] of this.fate) {
      const n = this.executed.get(uid) ?? 0;
      const caller = Math.floor(uid / 10000);
      const target = this.targetOf.get(uid)!;
      const where = `call #${uid} (agent ${caller} → agent ${target})`;
      if (n > 1) this.problems.push(`${where} ran ${n} times`);
      // Its caller's thread is gone: running it or not are both right (a successor's calls are its own).
      if (dead(caller) && uid % 10000 < SUCCESSOR_UIDS) continue;
      // A target whose thread ended (killed, or at close) may not have run it: then its caller was told.
      const exited = m.finished[target]! || dead(target);
      if (fate === 'pending') this.problems.push(`${where} never got its result`);
      else if (fate === 'never-ran' && n !== 0) this.problems.push(`${where} ran although it was cancelled before it started`);
      else if ((fate === 'ok' || fate === 'post' || fate === 'abandoned') && n !== 1 && !exited) this.problems.push(`${where} ran ${n} times, not once`);
      else if (fate === 'gone' && !exited) this.problems.push(`${where} was told its target is gone, but agent ${target} is still there`);
    }
    for (let t = 0; t < this.runOrder.length; t++) {
      const last = new Map<number, number>();
      for (const uid of this.runOrder[t]!) {
        // Order is per calling thread: a restarted agent's calls owe nothing to its predecessor's.
        const thread = Math.floor(uid / SUCCESSOR_UIDS);
        if ((last.get(thread) ?? -1) > uid) this.problems.push(`agent ${t} ran call #${uid} of agent ${Math.floor(uid / 10000)} after a later one (#${last.get(thread)}): call order broken`);
        last.set(thread, uid);
      }
    }
    for (let s = 0; s < L.totalSlots; s++) {
      const owner = slotOwner(L, s);
      const state = m.mem[slotWord(L, s, S_STATE)]!;
      // A dead agent's pool is nobody's; a restarted one must have taken back every slot its
      // predecessor left finished, or filled and never sent (fence.ts).
      if (m.killed[owner] || (owner === this.restarted && state !== S_DONE && state !== S_RESERVED && state !== S_FILLED)) continue;
      if (state !== S_FREE) this.problems.push(`slot[${owner}.${s % L.slotsPerAgent}] did not return to its pool (state ${state})`);
    }
    for (let a = 0; a < L.agents; a++) {
      const field = inboxField(m.mem[hot(L, a, HOT_INBOX)]!);
      if (field !== INBOX_EMPTY && field !== INBOX_DEAD) this.problems.push(`inbox[${a}] is not empty at the end (a lost wake-up?)`);
      if (m.mem[hot(L, a, X_STATE)] !== X_FREE) this.problems.push(`lane[${a}] is not free at the end (state ${m.mem[hot(L, a, X_STATE)]})`);
      if (!m.finished[a] && this.ctxs[a]!.cursor !== EMPTY) this.problems.push(`agent ${a} still holds unserved calls`);
      if (a === this.restarted && !m.finished[a] && m.mem[hot(L, a, HOT_STATE)] === DEAD) this.problems.push(`agent ${a} was restarted but is still DEAD`);
    }
    if (m.mem[H_CLEAN_LOCK] !== 0) this.problems.push(`the cleanup lock is still held (by ${m.mem[H_CLEAN_LOCK]! - 2})`);
    // Once the domain closes, every worker ends when it is idle (agent 0, the main thread, serves on).
    // One still asleep was rung by close() and never woke: a lost wake-up, which in production costs
    // close() its whole grace period and the worker its clean end (found by a hostile run).
    if (m.mem[H_CLOSING] !== 0) {
      for (let a = 1; a < L.agents; a++) if (!m.finished[a] && !dead(a)) this.problems.push(`agent ${a} is still asleep after close() rang it: it never ended (a lost wake-up)`);
    }
  }
}

export class CheckHost {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the twin's context
  ctx!: any;
  readonly api: Api;
  private outUid = 0;
  private outArg = 0;
  private inFn = 0;
  private inArg = 0;
  private inUid = 0;
  private counter = 0;
  /** The innermost blocking call's outcome (receive). */
  private received: number | 'gone' = 0;
  /** Async calls awaiting results: slot → [uid, fn, arg, frame index or -1]. */
  private readonly waiting = new Map<number, [number, FnName, number, number]>();
  /** Results of the blocking many-call frame being collected. */
  private frameOut: (number | 'gone')[] | undefined;
  private outFrame: (number | 'gone')[] | undefined;
  private outFn: FnName = 'inc';

  constructor(
    private readonly w: World,
    private readonly a: number,
    firstUid = 0,
  ) {
    this.counter = firstUid;
    this.api = {
      id: a,
      callSync: (t, fn, arg, bulky) => this.keepingRegisters(this.callSync(t, fn, arg, Infinity, bulky)) as Gen<number | 'gone'>,
      callSyncTimed: (t, fn, arg, ms) => this.keepingRegisters(this.callSync(t, fn, arg, ms)),
      post: (t, fn, arg, bulky) => this.keepingRegisters(this.post(t, fn, arg, bulky)),
      call: (t, fn, arg, cancellable) => this.keepingRegisters(this.call(t, fn, arg, cancellable)),
      cancel: (ref) => this.cancel(ref),
      settleAll: () => this.settleAll(),
      callManySync: (ts, fn, arg) => this.keepingRegisters(this.callManySync(ts, fn, arg)),
      parkAsync: () => this.parkAsync(),
      close: () => this.w.P.close.beginClose(this.ctx),
    };
  }

  private get P() {
    return this.w.P;
  }
  private mem() {
    return this.ctx.mem;
  }
  private express(): boolean {
    return this.w.scenario.express !== false;
  }

  /** Issue a new call and set the outgoing registers to it. */
  private newCall(target: number, fn: FnName, arg: number, fate: 'pending' | 'post'): number {
    const uid = this.w.issue(this.a, ++this.counter, target, fate);
    this.outUid = uid;
    this.outArg = arg;
    this.outFn = fn;
    return uid;
  }

  /**
   * Run a send with the outgoing registers of the call being made, and give the outer call's back
   * after (a call made while an outer one waits for a slot must not clobber them): as agent/caller.ts.
   */
  private *keepingRegisters<T>(g: Gen<T>): Gen<T> {
    const { outUid, outArg, outFn, outFrame } = this;
    try {
      return yield* g;
    } finally {
      this.outUid = outUid;
      this.outArg = outArg;
      this.outFn = outFn;
      this.outFrame = outFrame;
    }
  }

  private check(uid: number, fn: FnName, arg: number, target: number, r: number | 'gone'): void {
    if (r === 'gone') return;
    // A relay whose own target died answers -1 (it was told, and says so).
    if (fn === 'relay' && r === -1 && this.w.m.killed[Math.floor(arg / 1000)]) return;
    if (r !== expected(fn, arg)) this.w.problems.push(`agent ${this.a}: ${fn}(${arg}) (#${uid}) on agent ${target} returned ${r}, not ${expected(fn, arg)}`);
  }

  // ---- the runtime's call paths (agent/caller.ts, agent/many.ts), over the twin protocol ----

  private *callSync(target: number, fn: FnName, arg: number, timeoutMs: number, bulky = false): Gen<number | 'gone' | 'timeout'> {
    const P = this.P;
    const uid = this.newCall(target, fn, arg, 'pending');
    const meta = packMeta(FNS.indexOf(fn), 1, F_SYNC);
    let r: number | 'gone';
    if (P.variant) r = yield* P.variant.variantCallSync(this.ctx, target, meta);
    else {
      const deadline = timeoutMs === Infinity ? Infinity : (yield* this.now()) + timeoutMs;
      const outcome = yield* P.call.callSync(this.ctx, target, meta, this.express() && !bulky, deadline === Infinity ? Infinity : timeoutMs, deadline);
      yield* this.blocked();
      if (outcome === P.call.CALL_TIMED_OUT || outcome === P.call.CALL_NO_SLOT) {
        // Timed out: cancelled before it started, or abandoned while it ran (the protocol decided).
        this.w.fate.set(uid, 'timeout');
        return 'timeout';
      }
      r = this.received;
    }
    this.w.fate.set(uid, r === 'gone' ? 'gone' : 'ok');
    this.check(uid, fn, arg, target, r);
    return r;
  }

  private *post(target: number, fn: FnName, arg: number, bulky = false): Gen {
    const P = this.P;
    const meta = packMeta(FNS.indexOf(fn), 1, 0);
    this.newCall(target, fn, arg, 'post');
    if (P.variant) return yield* P.variant.variantPost(this.ctx, target, meta);
    yield* P.call.post(this.ctx, target, meta, this.express() && !bulky, Infinity);
    yield* this.blocked();
  }

  /**
   * After a blocking call or a post, as the runtime's Pump.blocked(): a pump parked in waitAsync runs
   * again at once (its first step unparks the agent) rather than waiting for its waitAsync; it parks
   * anew when idle. The waitAsync still pending may resolve later: a spurious wake, as in the runtime.
   */
  private *blocked(): Gen {
    if (!this.asyncParked) return;
    this.asyncParked = false;
    yield* this.P.wait.parkEnd(this.ctx);
  }

  private *call(target: number, fn: FnName, arg: number, cancellable = false): Gen<CallRef> {
    const uid = this.newCall(target, fn, arg, 'pending');
    this.outFrame = undefined;
    const slot = yield* this.P.call.callAsync(this.ctx, target, packMeta(FNS.indexOf(fn), 1, F_SYNC), Infinity, 0, this.express() && !cancellable);
    return { slot, seq: this.P.call.sentSeq(this.ctx, slot), uid };
  }

  private *cancel(ref: CallRef): Gen<'settled' | 'late' | 'never-ran' | 'abandoned'> {
    const P = this.P;
    if (!(yield* P.pending.isAwaited(this.ctx, ref.slot, ref.seq))) return 'settled';
    const r = yield* P.cancel.cancelCall(this.ctx, ref.slot);
    if (r === P.cancel.CANCEL_LATE) return 'late';
    this.waiting.delete(ref.slot);
    const fate = r === P.cancel.CANCEL_NEVER_RAN ? 'never-ran' : 'abandoned';
    this.w.fate.set(ref.uid, fate);
    return fate;
  }

  private *callManySync(targets: number[], fn: FnName, arg: number): Gen<(number | 'gone')[]> {
    const P = this.P;
    const meta = packMeta(FNS.indexOf(fn), 1, F_SYNC);
    const out: (number | 'gone')[] = new Array(targets.length);
    const slots: number[] = [];
    const seqs: number[] = [];
    for (let k = 0; k < targets.length; k++) {
      this.newCall(targets[k]!, fn, arg, 'pending');
      this.outFrame = out;
      slots[k] = yield* P.call.callAsync(this.ctx, targets[k]!, meta, Infinity, k, this.express());
      seqs[k] = P.call.sentSeq(this.ctx, slots[k]!);
    }
    this.outFrame = undefined;
    for (let k = 0; k < targets.length; k++) yield* P.call.awaitCall(this.ctx, slots[k]!, seqs[k]!);
    return out;
  }

  /** The event loop of this agent: pump until no awaited call is left. */
  private *settleAll(): Gen {
    while (this.waiting.size > 0) yield* this.pumpOnce(false);
  }

  private *parkAsync(): Gen {
    const P = this.P;
    const bell = cold(this.w.L, this.a, COLD_BELL);
    for (;;) {
      if ((yield* P.pump.pumpWork(this.ctx)) !== P.pump.PUMP_IDLE) continue;
      const r = yield* P.pump.pumpIdle(this.ctx, false);
      if (r === P.pump.PUMP_SPIN || r === P.pump.PUMP_AGAIN) continue;
      if (r < 0) return;
      if (yield* this.w.m.waitAsync(this.a, bell, r)) this.asyncParked = true;
      else yield* P.wait.parkEnd(this.ctx);
      return;
    }
  }
  /** The pump is parked in waitAsync: when it resolves, the pump runs again and first unparks. */
  private asyncParked = false;

  /** One pump step: work, or an idle round that may park (a waitAsync, modelled as a blocking wait). Returns false once closed. */
  private *pumpOnce(mayEnd: boolean): Gen<boolean> {
    const P = this.P;
    if (this.asyncParked) {
      yield* this.w.m.awaitToken(this.a);
      this.asyncParked = false;
      yield* P.wait.parkEnd(this.ctx);
    }
    // The workers' parent hears their exits on its event loop (the supervisor's exit handler).
    const watcher = this.w.scenario.watcher === this.a;
    if (watcher) yield* P.death.failExited(this.ctx);
    if ((yield* P.pump.pumpWork(this.ctx)) !== P.pump.PUMP_IDLE) return true;
    const r = yield* P.pump.pumpIdle(this.ctx, mayEnd);
    if (r === P.pump.PUMP_CLOSED) return false;
    if (r === P.pump.PUMP_SPIN || r === P.pump.PUMP_AGAIN) return true;
    const bell = cold(this.w.L, this.a, COLD_BELL);
    if (this.w.scenario.page === this.a) {
      // A page parks its event loop with waitAsync (allowed there), never a blocking wait.
      if (yield* this.w.m.waitAsync(this.a, bell, r)) yield* this.w.m.awaitToken(this.a);
    } else yield* this.mem().wait(bell, r, watcher ? 1 : Infinity);
    yield* P.wait.parkEnd(this.ctx);
    return true;
  }

  /** After its program: serve forever (what every agent does between calls); a worker ends at close. */
  *idle(): Gen {
    const P = this.P;
    if (P.variant) {
      const bell = cold(this.w.L, this.a, COLD_BELL);
      for (;;) {
        if (yield* P.variant.variantServeOne(this.ctx)) continue;
        const seen = yield* P.wait.tryPark(this.ctx);
        if (seen < 0) continue;
        yield* this.mem().wait(bell, seen, Infinity);
        yield* P.wait.parkEnd(this.ctx);
      }
    }
    while (yield* this.pumpOnce(this.a !== 0)) {
      // serving
    }
  }

  // ---- places ----

  private words(place: number): number {
    return place <= -2 ? (hotByte(this.w.L, -2 - place) + X_NUMBERS_BYTE) >> 2 : (slotByte(this.w.L, place) + S_INLINE_BYTE) >> 2;
  }

  *readResult(place: number): Gen<number> {
    return yield* this.mem().read(this.words(place) + IN_RESULT);
  }

  // ---- Host ----

  *writeArgs(place: number): Gen {
    const w = this.words(place);
    yield* this.mem().write(w + IN_UID, this.outUid);
    yield* this.mem().write(w + IN_ARG, this.outArg);
  }

  *take(place: number, meta: number): Gen {
    this.inFn = metaCallId(meta);
    const w = this.words(place);
    this.inUid = yield* this.mem().read(w + IN_UID);
    this.inArg = yield* this.mem().read(w + IN_ARG);
  }

  *run(place: number, sync: boolean): Gen<number> {
    const uid = this.inUid;
    const fn = FNS[this.inFn]!;
    const arg = this.inArg;
    this.w.executed.set(uid, (this.w.executed.get(uid) ?? 0) + 1);
    this.w.runOrder[this.a]!.push(uid);
    let result: number;
    if (fn === 'relay') {
      const r = yield* this.keepingRegisters(this.callSync(Math.floor(arg / 1000), 'inc', arg % 1000, Infinity));
      result = typeof r === 'number' ? r + 1000 : -1;
    } else result = expected(fn, arg);
    if (sync) yield* this.mem().write(this.words(place) + IN_RESULT, result);
    return 0;
  }

  *receive(place: number, _slot: number, status: number): Gen {
    this.received = status & STATUS_GONE ? 'gone' : yield* this.readResult(place);
  }

  // eslint-disable-next-line require-yield -- a host call must be a generator; this one touches no memory
  *sent(slot: number, k: number): Gen {
    const frame = this.outFrame;
    this.waiting.set(slot, [this.outUid, this.outFn, this.outArg, frame ? k : -1]);
    if (frame) this.frameOut = frame;
  }

  *settle(place: number, slot: number, status: number): Gen {
    const entry = this.waiting.get(slot);
    if (!entry) {
      this.w.problems.push(`agent ${this.a}: slot ${slot} settled, but no call of ours waits on it`);
      return;
    }
    const [uid, fn, arg, k] = entry;
    this.waiting.delete(slot);
    const r: number | 'gone' = status & STATUS_GONE ? 'gone' : yield* this.readResult(place);
    this.w.fate.set(uid, r === 'gone' ? 'gone' : 'ok');
    this.check(uid, fn, arg, this.w.targetOf.get(uid)!, r);
    if (k >= 0 && this.frameOut) this.frameOut[k] = r;
  }

  /** A host call must be a generator; this one touches no memory. */
  *discard(_slot: number): Gen {}

  /** The checked protocol never corrupts its own memory: a report is a failure. */
  // eslint-disable-next-line require-yield -- a host call must be a generator; this one touches no memory
  *corrupt(what: string): Gen {
    this.w.problems.push(`agent ${this.a} reported corruption: ${what}`);
  }

  *now(): Gen<number> {
    return this.w.clockWord >= 0 && this.w.clock >= 0 ? yield* this.mem().load(this.w.clockWord) : 0;
  }

  // eslint-disable-next-line require-yield -- a host call must be a generator; this one touches no memory
  *stalled(): Gen<number> {
    return 1e9;
  }

  /** The spin budget is the runtime's, not the protocol's: these touch no memory. */
  *spinHalfway(): Gen {}
  *parking(): Gen {}
  *woke(): Gen {}

  /** The workers' parent asks the runtime (a worker handle), not shared memory. */
  // eslint-disable-next-line require-yield -- a host call must be a generator; this one touches no memory
  *exited(): Gen<number> {
    return this.w.scenario.watcher === this.a ? this.w.m.takeExit(this.a) : -1;
  }
}

/** The slot words of agent `a`'s pool (for scenarios that look at them). */
export const poolOf = (L: Layout, a: number): number[] => Array.from({ length: L.slotsPerAgent }, (_, k) => firstSlot(L, a) + k);
export { KILL };
