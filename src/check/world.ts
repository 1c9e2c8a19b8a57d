/**
 * One checked run of a scenario: the machine, the real protocol (twin), and for each agent a context,
 * a checker `Host` and the scenario's program. The host carries each call as two words (a unique id
 * and an argument) and its result as one, through the same places production uses (a slot's inline
 * area, the express lane's number area), read and written with scheduled operations; so a protocol
 * that frees a slot before its arguments are copied is caught by a wrong argument, not hidden.
 */
import {
  EMPTY,
  F_SYNC,
  HOT_INBOX,
  S_DONE,
  S_FREE,
  S_INLINE_BYTE,
  S_META,
  S_STATE,
  X_FREE,
  X_META,
  X_NUMBERS_BYTE,
  X_STATE,
  cold,
  COLD_BELL,
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
import { Machine, memFor, type PendingOp } from './machine.js';
import type { Twin } from './twin-modules.js';

type Gen<T = void> = Generator<PendingOp, T, unknown>;

/** What a scenario program can do, on its own agent. */
export interface Api {
  readonly id: number;
  callSync(target: number, fn: FnName, arg: number): Gen<number>;
  post(target: number, fn: FnName, arg: number): Gen;
  /** An async call (the promise `call` of an event-loop agent); settle with `settleAll`. */
  call(target: number, fn: FnName, arg: number): Gen;
  /** Serve and settle until every async call of this agent has its result (event-loop style). */
  settleAll(): Gen;
  callManySync(targets: number[], fn: FnName, arg: number): Gen<number[]>;
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
  /** Run the calls through a protocol variant (src/variants/NAME.ts) instead of ours. */
  variant?: string;
  programs: Record<number, (api: Api) => Gen>;
}

/** Words of the inline area used by the checker's host: [uid, arg, result]. */
const IN_UID = 0;
const IN_ARG = 1;
const IN_RESULT = 2;

export class World {
  readonly m: Machine;
  readonly L: Layout;
  readonly ctxs: ReturnType<World['makeCtx']>[] = [];
  /** uid → times executed. */
  readonly executed = new Map<number, number>();
  /** uids issued by callers (all must run exactly once). */
  readonly issued = new Set<number>();
  /** Per target, the uids it ran in order (uid encodes the caller). */
  readonly runOrder: number[][];
  problems: string[] = [];

  constructor(
    readonly scenario: Scenario,
    readonly P: Twin,
  ) {
    this.L = makeLayout({ agents: scenario.agents, slotsPerAgent: scenario.slotsPerAgent, arenaPerSlot: 0, tableHash: 1 });
    this.m = new Machine(this.L.totalBytes / 4, scenario.agents);
    this.runOrder = Array.from({ length: scenario.agents }, () => []);
    // The header as production writes it (inboxes EMPTY, states RUNNING, links EMPTY).
    for (let a = 0; a < scenario.agents; a++) this.m.mem[hot(this.L, a, HOT_INBOX)] = EMPTY;
    for (let s = 0; s < this.L.totalSlots; s++) this.m.mem[slotWord(this.L, s, 1)] = EMPTY;
    for (let a = 0; a < scenario.agents; a++) this.ctxs.push(this.makeCtx(a));
    for (let a = 0; a < scenario.agents; a++) this.m.start(a, this.agentMain(a));
  }

  private makeCtx(a: number) {
    const host = new CheckHost(this, a);
    const ctx = {
      mem: memFor(this.m, a),
      host,
      L: this.L,
      id: a,
      cursor: EMPTY,
      expressBusy: false,
      spinRounds: 0,
      parkTimeoutMs: 1e9,
      nextFree: 0,
      lastSlot: new Int32Array(this.scenario.agents).fill(EMPTY),
      lastSeq: new Int32Array(this.scenario.agents),
      stats: new Int32Array(8),
    };
    host.ctx = ctx;
    return ctx;
  }

  private *agentMain(a: number): Gen {
    const program = this.scenario.programs[a];
    const host = this.ctxs[a]!.host;
    if (program) yield* program(host.api);
    this.m.programDone[a] = true;
    yield* host.idle();
  }

  /** All programs done and nobody can move: check the end state. */
  checkEnd(): void {
    const { m, L } = this;
    for (const uid of this.issued) {
      const n = this.executed.get(uid) ?? 0;
      if (n !== 1) this.problems.push(`call #${uid} (from agent ${Math.floor(uid / 10000)}) ran ${n} times`);
    }
    for (let t = 0; t < this.runOrder.length; t++) {
      const last = new Map<number, number>();
      for (const uid of this.runOrder[t]!) {
        const caller = Math.floor(uid / 10000);
        if ((last.get(caller) ?? -1) > uid) this.problems.push(`agent ${t} ran call #${uid} of agent ${caller} after a later one (#${last.get(caller)}): call order broken`);
        last.set(caller, uid);
      }
    }
    for (let s = 0; s < L.totalSlots; s++) {
      if (m.mem[slotWord(L, s, S_STATE)] !== S_FREE) this.problems.push(`slot[${slotOwner(L, s)}.${s % L.slotsPerAgent}] did not return to its pool (state ${m.mem[slotWord(L, s, S_STATE)]})`);
    }
    for (let a = 0; a < L.agents; a++) {
      if (m.mem[hot(L, a, HOT_INBOX)] !== EMPTY) this.problems.push(`inbox[${a}] is not empty at the end (a lost wake-up?)`);
      if (m.mem[hot(L, a, X_STATE)] !== X_FREE) this.problems.push(`lane[${a}] is not free at the end (state ${m.mem[hot(L, a, X_STATE)]})`);
      if (this.ctxs[a]!.cursor !== EMPTY) this.problems.push(`agent ${a} still holds unserved calls`);
    }
  }
}

export class CheckHost {
  ctx!: ReturnType<World['makeCtx']>;
  readonly api: Api;
  private outFn = 0;
  private outArg = 0;
  private outUid = 0;
  private inFn = 0;
  private inArg = 0;
  private inUid = 0;
  private counter = 0;
  /** Async calls awaiting results: slot → [uid, fn, arg]. */
  private readonly pending = new Map<number, [number, FnName, number]>();

  constructor(
    private readonly w: World,
    private readonly a: number,
  ) {
    const self = this;
    this.api = {
      id: a,
      callSync: (t, fn, arg) => self.callSync(t, fn, arg),
      post: (t, fn, arg) => self.post(t, fn, arg),
      call: (t, fn, arg) => self.call(t, fn, arg),
      settleAll: () => self.settleAll(),
      callManySync: (ts, fn, arg) => self.callManySync(ts, fn, arg),
    };
  }

  private get P() {
    return this.w.P;
  }
  private mem() {
    return this.ctx.mem;
  }

  /** Issue a new call (a unique id) and set the outgoing registers to it. */
  private newCall(fn: FnName, arg: number): number {
    const uid = this.a * 10000 + ++this.counter;
    this.w.issued.add(uid);
    this.setOut(fn, arg, uid);
    return uid;
  }

  /** Outgoing registers: set right before each protocol call that writes arguments (serving in between may change them). */
  private setOut(fn: FnName, arg: number, uid: number): void {
    this.outFn = FNS.indexOf(fn);
    this.outArg = arg;
    this.outUid = uid;
  }

  private express(): boolean {
    return this.w.scenario.express !== false;
  }

  // ---- the runtime's call paths, over the twin protocol (as src/agent.ts drives it) ----

  private *callSync(target: number, fn: FnName, arg: number): Gen<number> {
    const P = this.P;
    let r: number;
    if (P.variant) {
      this.newCall(fn, arg);
      r = yield* P.variant.variantCallSync(this.ctx, target, packMeta(FNS.indexOf(fn), 1, F_SYNC));
    } else {
      const slot = yield* P.wait.acquireSlot(this.ctx);
      this.newCall(fn, arg);
      const place = yield* P.send.callSync(this.ctx, target, packMeta(this.outFn, 1, F_SYNC), slot, this.express());
      r = yield* this.readResult(place);
      yield* P.send.releaseCall(this.ctx, place, slot);
    }
    if (r !== expected(fn, arg)) this.w.problems.push(`agent ${this.a}: ${fn}(${arg}) on agent ${target} returned ${r}, not ${expected(fn, arg)}`);
    return r;
  }

  private *post(target: number, fn: FnName, arg: number): Gen {
    const P = this.P;
    const meta = packMeta(FNS.indexOf(fn), 1, 0);
    const uid = this.newCall(fn, arg);
    if (P.variant) return yield* P.variant.variantPost(this.ctx, target, meta);
    if (this.express() && (yield* P.send.tryPostExpress(this.ctx, target, meta))) return;
    const slot = yield* P.wait.acquireSlot(this.ctx);
    this.setOut(fn, arg, uid);
    yield* P.send.sendHeld(this.ctx, target, meta, slot);
  }

  private *call(target: number, fn: FnName, arg: number): Gen {
    const P = this.P;
    const slot = yield* P.wait.acquireSlot(this.ctx);
    const uid = this.newCall(fn, arg);
    yield* P.send.sendHeld(this.ctx, target, packMeta(this.outFn, 1, F_SYNC), slot);
    this.pending.set(slot, [uid, fn, arg]);
  }

  private *settleAll(): Gen {
    const P = this.P;
    const bell = cold(this.w.L, this.a, COLD_BELL);
    while (this.pending.size > 0) {
      if (yield* P.serve.serveOne(this.ctx)) continue;
      if (yield* this.reap()) continue;
      const seen = yield* P.wait.tryPark(this.ctx);
      if (seen < 0) continue;
      yield* this.mem().wait(bell, seen, Infinity);
      yield* P.wait.parkEnd(this.ctx);
    }
  }

  private *callManySync(targets: number[], fn: FnName, arg: number): Gen<number[]> {
    const P = this.P;
    const meta = packMeta(FNS.indexOf(fn), 1, F_SYNC);
    const held: number[] = [];
    const out: number[] = [];
    let sent = 0;
    let collected = 0;
    while (collected < targets.length) {
      while (sent < targets.length) {
        let slot = yield* P.wait.tryAcquireSlot(this.ctx);
        if (slot === EMPTY) {
          if (collected < sent) break;
          slot = yield* P.wait.acquireSlot(this.ctx);
        }
        this.newCall(fn, arg);
        yield* P.send.sendHeld(this.ctx, targets[sent]!, meta, slot);
        held[sent++] = slot;
      }
      const k = collected++;
      const slot = held[k]!;
      yield* P.wait.waitFor(this.ctx, P.wait.UNTIL_EQUAL, slotWord(this.w.L, slot, S_STATE), S_DONE);
      out[k] = yield* this.readResult(slot);
      yield* P.send.releaseCall(this.ctx, slot, slot);
      if (out[k] !== expected(fn, arg)) this.w.problems.push(`agent ${this.a}: ${fn}(${arg}) on agent ${targets[k]} returned ${out[k]}`);
    }
    return out;
  }

  /** After its program: serve forever, parking when idle (what every agent does between calls). */
  *idle(): Gen {
    const P = this.P;
    const bell = cold(this.w.L, this.a, COLD_BELL);
    for (;;) {
      if (yield* (P.variant ? P.variant.variantServeOne(this.ctx) : P.serve.serveOne(this.ctx))) continue;
      if (yield* this.reap()) continue;
      const seen = yield* P.wait.tryPark(this.ctx);
      if (seen < 0) continue;
      yield* this.mem().wait(bell, seen, Infinity);
      yield* P.wait.parkEnd(this.ctx);
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

  *take(place: number): Gen {
    const L = this.w.L;
    const meta = yield* this.mem().read(place <= -2 ? hot(L, -2 - place, X_META) : slotWord(L, place, S_META));
    this.inFn = metaCallId(meta);
    const w = this.words(place);
    this.inUid = yield* this.mem().read(w + IN_UID);
    this.inArg = yield* this.mem().read(w + IN_ARG);
  }

  *run(place: number, sync: boolean): Gen<boolean> {
    const uid = this.inUid;
    const fn = FNS[this.inFn]!;
    const arg = this.inArg;
    this.w.executed.set(uid, (this.w.executed.get(uid) ?? 0) + 1);
    this.w.runOrder[this.a]!.push(uid);
    let result: number;
    if (fn === 'relay') {
      const r = yield* this.callSync(Math.floor(arg / 1000), 'inc', arg % 1000);
      result = r + 1000;
    } else result = expected(fn, arg);
    if (sync) yield* this.mem().write(this.words(place) + IN_RESULT, result);
    return true;
  }

  *reap(): Gen<boolean> {
    let any = false;
    for (const [slot, [uid, fn, arg]] of [...this.pending]) {
      if ((yield* this.mem().load(slotWord(this.w.L, slot, S_STATE))) !== S_DONE) continue;
      const r = yield* this.readResult(slot);
      if (r !== expected(fn, arg)) this.w.problems.push(`agent ${this.a}: async ${fn}(${arg}) (#${uid}) returned ${r}`);
      this.pending.delete(slot);
      yield* this.P.send.releaseCall(this.ctx, slot, slot);
      any = true;
    }
    return any;
  }

  *ready(): Gen<boolean> {
    for (const slot of this.pending.keys()) {
      if ((yield* this.mem().load(slotWord(this.w.L, slot, S_STATE))) === S_DONE) return true;
    }
    return false;
  }

  *stalled(): Gen<number> {
    return 1e9;
  }
}

