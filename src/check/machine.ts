/**
 * The checker's world: one shared Int32Array, and participants that are coroutines (the agents, and
 * where a scenario needs them the guardian that completes a dead agent's calls, and a clock). Every
 * shared-memory operation of the (twin) protocol first yields, so the scheduler picks who runs next;
 * the operation then executes atomically when its participant is resumed. JavaScript atomics are
 * sequentially consistent, so interleavings of whole operations are the complete model for atomic
 * accesses (no weak-memory reorderings to add) — and plain accesses get a check of their own: a word
 * written plainly by one agent and then accessed atomically by another is reported, since nothing
 * orders that plain write before the other agent's atomic access.
 *
 * Waiting is modelled as the futex it is: an agent whose word still holds the expected value blocks
 * and is not runnable until a `notify` on that word (or, for a timed wait, until the clock passes its
 * deadline). Waiters of one word form one FIFO queue, as in the engines, and an asynchronous waiter
 * (`Atomics.waitAsync`, the event-loop pump) queues on it like a blocking one: a `notify` with a count
 * of 1 wakes only the oldest. Parks never time out unless a scenario has a clock, so a lost wake-up is
 * a visible deadlock instead of a delay hidden by the stall watchdog.
 */
import type { WaitResult } from '../mem.js';

export type OpKind = 'read' | 'write' | 'load' | 'store' | 'cas' | 'exchange' | 'add' | 'wait' | 'notify' | 'spin' | 'kill';

/** What a participant will do when it is next scheduled. */
export interface PendingOp {
  kind: OpKind | 'blocked';
  index: number;
  /** Source location (protocol file:line) of the operation, set by the twin. */
  loc?: string;
}

/** One executed step, for traces. */
export interface Step {
  agent: number;
  kind: OpKind;
  index: number;
  loc?: string;
  /** Value written / expected (cas) / waited-for. */
  arg?: number;
  /** Value written by cas/exchange/add. */
  arg2?: number;
  /** What the operation returned. */
  result: number | string;
}

type Program = Generator<PendingOp, void, unknown>;

/** A schedule choice that kills agent `a` (its thread stops at once, wherever it is). */
export const KILL = 1000;

/** What a blocked participant waits for. */
const RUNNABLE = 0;
const ON_FUTEX = 1; // in the word's waiter queue until notified (or the clock passes `wakeAt`)
const ON_CHANGE = 2; // spinning until the word differs from `value`
const ON_TOKEN = 3; // an event loop with nothing to do until its waitAsync resolves
const ON_EXIT = 4; // the guardian, until an agent's thread has ended (killed, or ended by itself at close)

interface Waiter {
  who: number;
  index: number;
  /** A waitAsync: resolving it does not make its agent runnable by itself. */
  async: boolean;
}

/**
 * Run `g` (a Mem operation or a host call), labelling the operations it yields with `loc` unless an
 * inner one labelled them already. The twin wraps every `mem.*` and `host.*` call in this.
 */
export function* at<T>(loc: string, g: Generator<PendingOp, T, unknown>): Generator<PendingOp, T, unknown> {
  let r = g.next();
  while (!r.done) {
    r.value.loc ??= loc;
    r = g.next(yield r.value);
  }
  return r.value;
}

/** A broken mutant or a tool bug (not a protocol failure): it crashed the checked code. */
export class CheckedCodeCrashed extends Error {}

export class Machine {
  readonly mem: Int32Array;
  readonly steps: Step[] = [];
  /** Rolling hash of each participant's history (ops and the values they returned). */
  readonly history: number[];
  private readonly programs: (Program | undefined)[];
  readonly pending: (PendingOp | undefined)[];
  /** Why each participant is blocked (RUNNABLE when it is not) and on which word. */
  readonly blockedHow: number[];
  readonly blockedOn: number[];
  private readonly blockedValue: number[];
  private readonly wakeAt: number[];
  /** The futex queue of every word anyone waits on, in arrival order. */
  private waiters: Waiter[] = [];
  /** Per agent: its pending waitAsync has resolved (or none is pending). */
  readonly tokenResolved: boolean[];
  readonly finished: boolean[];
  /** Set when an agent's program (not its idle serving) has returned. */
  readonly programDone: boolean[];
  /** Agents killed by the schedule. */
  readonly killed: boolean[];
  /** Agents the schedule may kill (once each). */
  readonly mortal: boolean[];
  /** Agents that may not block (a browser page's main thread): a blocking wait by one is a failure. */
  readonly noBlock: boolean[] = [];
  /**
   * The agent that is the workers' parent (Node's main thread) and so is told of their exits, if any:
   * a timed park of it may time out once an agent has exited (time passes while it sleeps).
   */
  watcher = -1;
  /** Agents killed at some point (a restarted one is not killed again). */
  private readonly everKilled: boolean[] = [];
  /** Per word: the agent + 1 that last wrote it plainly (0: last written atomically, or never). */
  private readonly plainWriter: Int32Array;
  /** Per word: written with `note` (diagnostics no protocol decision may read). */
  private readonly noted: Uint8Array;
  /** Names words in reports (the world sets it from the layout). */
  wordName: (index: number) => string = (i) => `word ${i}`;
  /** The word the clock participant advances (-1: no clock; timed waits never time out). */
  clockWord = -1;
  failure: string | undefined;
  crashed: string | undefined;
  keepTrace = true;
  private stepCount = 0;

  constructor(
    words: number,
    /** Agents of the domain; participants beyond them are helpers (guardian, clock). */
    readonly agents: number,
    participants = agents,
  ) {
    this.mem = new Int32Array(words);
    this.history = new Array(participants).fill(0x811c9dc5);
    this.programs = new Array(participants).fill(undefined);
    this.pending = new Array(participants).fill(undefined);
    this.blockedHow = new Array(participants).fill(RUNNABLE);
    this.blockedOn = new Array(participants).fill(-1);
    this.blockedValue = new Array(participants).fill(0);
    this.wakeAt = new Array(participants).fill(Infinity);
    this.tokenResolved = new Array(participants).fill(true);
    this.finished = new Array(participants).fill(false);
    this.programDone = new Array(participants).fill(false);
    this.killed = new Array(participants).fill(false);
    this.mortal = new Array(participants).fill(false);
    this.plainWriter = new Int32Array(words);
    this.noted = new Uint8Array(words);
  }

  /** Start participant `id` running `program` (it runs up to its first shared-memory operation). */
  start(id: number, program: Program): void {
    this.programs[id] = program;
    this.finished[id] = false;
    this.blockedHow[id] = RUNNABLE;
    this.blockedOn[id] = -1;
    this.advance(id, undefined);
  }

  private canRun(a: number): boolean {
    if (this.finished[a]) return false;
    switch (this.blockedHow[a]) {
      case RUNNABLE:
        return true;
      case ON_FUTEX:
        if (a === this.watcher && this.wakeAt[a]! !== Infinity && this.nextExit() >= 0) return true;
        return this.clockWord >= 0 && this.mem[this.clockWord]! >= this.wakeAt[a]!;
      case ON_CHANGE:
        return this.mem[this.blockedOn[a]!] !== this.blockedValue[a];
      case ON_TOKEN:
        return this.tokenResolved[a]!;
      case ON_EXIT:
        return this.nextExit() >= 0;
    }
    return false;
  }

  /** Choices that can be taken now: participant ids, and KILL + a for a mortal agent still alive. */
  enabled(): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.programs.length; a++) if (this.programs[a] && this.canRun(a)) out.push(a);
    for (let a = 0; a < this.agents; a++) if (this.mortal[a] && !this.everKilled[a] && !this.finished[a]) out.push(KILL + a);
    return out;
  }

  /** Can anything but a kill happen? */
  anyRunnable(): boolean {
    for (let a = 0; a < this.programs.length; a++) if (this.programs[a] && this.canRun(a)) return true;
    return false;
  }

  /** Take one choice: run one operation of a participant, or kill an agent. */
  step(choice: number): void {
    if (choice >= KILL) return this.kill(choice - KILL);
    const how = this.blockedHow[choice]!;
    if (how === ON_FUTEX) {
      // Timed out: leave the queue.
      this.waiters = this.waiters.filter((w) => w.who !== choice || w.async);
      this.unblock(choice);
      return this.advance(choice, 'timed-out');
    }
    if (how !== RUNNABLE) this.unblock(choice);
    this.advance(choice, undefined);
  }

  private unblock(a: number): void {
    this.blockedHow[a] = RUNNABLE;
    this.blockedOn[a] = -1;
    this.wakeAt[a] = Infinity;
  }

  /** Agent `a`'s thread stops where it is: it never runs again and leaves no waiter behind. */
  private kill(a: number): void {
    this.killed[a] = true;
    this.everKilled[a] = true;
    this.finished[a] = true;
    this.pending[a] = undefined;
    this.unblock(a);
    this.waiters = this.waiters.filter((w) => w.who !== a);
    this.record(a, 'kill', -1, '');
  }

  private advance(a: number, input: unknown): void {
    const p = this.programs[a]!;
    let r: IteratorResult<PendingOp, void>;
    try {
      r = p.next(input);
    } catch (e) {
      this.finished[a] = true;
      const err = e as Error;
      // An engine error (a name that does not exist, a call on undefined) is the checked code crashing,
      // not the protocol misbehaving: a broken patch or a tool bug, never a counterexample.
      if (err instanceof ReferenceError || err instanceof TypeError || err instanceof SyntaxError || err instanceof CheckedCodeCrashed) {
        this.crashed ??= `participant ${a} crashed: ${err.stack ?? String(e)}`;
      }
      this.failure ??= `agent ${a} threw: ${err?.stack ?? String(e)}`;
      return;
    }
    if (r.done) {
      this.finished[a] = true;
      this.pending[a] = undefined;
      return;
    }
    this.pending[a] = r.value;
  }

  private mix(a: number, x: number): void {
    let h = this.history[a]!;
    h ^= x;
    h = Math.imul(h, 0x01000193);
    this.history[a] = h >>> 0;
  }

  private record(a: number, kind: OpKind, index: number, result: number | string, arg?: number, arg2?: number): void {
    this.mix(a, index * 31 + kind.length);
    this.mix(a, typeof result === 'number' ? result : result.length * 7919);
    if (this.keepTrace) this.steps.push({ agent: a, kind, index, arg, arg2, result, loc: this.pending[a]?.loc });
    else this.stepCount++;
  }

  get length(): number {
    return this.keepTrace ? this.steps.length : this.stepCount;
  }

  /**
   * Hash of the whole state: memory, each participant's history, how it is blocked, the waiter queues.
   * A 53-bit number (a Map keyed by numbers costs far less than by strings at millions of states); two
   * states sharing a hash by chance (about 1 in 10^9 per pair) would prune one of them.
   */
  stateHash(): number {
    let h1 = 0x811c9dc5;
    let h2 = 0x12345678;
    const m = this.mem;
    for (let i = 0; i < m.length; i++) {
      h1 = Math.imul(h1 ^ m[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ (m[i]! + i), 0x5bd1e995);
    }
    for (let a = 0; a < this.history.length; a++) {
      h1 = Math.imul(h1 ^ this.history[a]!, 0x01000193);
      const flags = (this.finished[a] ? 1 : 0) | (this.killed[a] ? 2 : 0) | (this.tokenResolved[a] ? 4 : 0) | (this.blockedHow[a]! << 3);
      h2 = Math.imul(h2 ^ (this.blockedOn[a]! * 131 + flags), 0x5bd1e995);
    }
    for (const w of this.waiters) h1 = Math.imul(h1 ^ (w.who * 7 + (w.async ? 3 : 1) + w.index * 1009), 0x01000193);
    return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  }

  // ---- the memory model's checks ----

  private plainThenAtomic(a: number, i: number, how: string): void {
    const w = this.plainWriter[i]! - 1;
    if (w >= 0 && w !== a && this.failure === undefined) {
      this.failure = `memory order: ${this.wordName(i)} was written plainly by agent ${w} and then ${how} atomically by agent ${a} (${this.pending[a]?.loc ?? '?'}); nothing orders that plain write before it (use a SeqCst store)`;
    }
  }

  private atomicWrite(i: number): void {
    this.plainWriter[i] = 0;
  }

  private readsNote(a: number, i: number): void {
    if (this.noted[i] && this.failure === undefined) {
      this.failure = `protocol read of a diagnostic word: agent ${a} read ${this.wordName(i)} (${this.pending[a]?.loc ?? '?'}), which is written with note() and may steer nothing`;
    }
  }

  // ---- the Mem operations, as generators, for agent `a` ----

  *read(a: number, i: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'read', index: i };
    this.readsNote(a, i);
    const v = this.mem[i]!;
    this.record(a, 'read', i, v);
    return v;
  }
  *write(a: number, i: number, v: number): Generator<PendingOp, void, unknown> {
    yield { kind: 'write', index: i };
    this.mem[i] = v;
    this.plainWriter[i] = a + 1;
    this.record(a, 'write', i, '', v);
  }
  /** Not a scheduling point: a diagnostic word no decision reads. */
  // eslint-disable-next-line require-yield -- the point: a note never yields to the scheduler
  *note(_a: number, i: number, v: number): Generator<PendingOp, void, unknown> {
    this.mem[i] = v;
    this.noted[i] = 1;
  }
  *load(a: number, i: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'load', index: i };
    this.plainThenAtomic(a, i, 'loaded');
    this.readsNote(a, i);
    const v = this.mem[i]!;
    this.record(a, 'load', i, v);
    return v;
  }
  *store(a: number, i: number, v: number): Generator<PendingOp, void, unknown> {
    yield { kind: 'store', index: i };
    this.plainThenAtomic(a, i, 'stored');
    this.mem[i] = v;
    this.atomicWrite(i);
    this.record(a, 'store', i, '', v);
  }
  *cas(a: number, i: number, expected: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'cas', index: i };
    this.plainThenAtomic(a, i, 'compared-and-swapped');
    const old = this.mem[i]!;
    if (old === expected) {
      this.mem[i] = v;
      this.atomicWrite(i);
    }
    this.record(a, 'cas', i, old, expected, v);
    return old;
  }
  *exchange(a: number, i: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'exchange', index: i };
    this.plainThenAtomic(a, i, 'exchanged');
    const old = this.mem[i]!;
    this.mem[i] = v;
    this.atomicWrite(i);
    this.record(a, 'exchange', i, old, v);
    return old;
  }
  *add(a: number, i: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'add', index: i };
    this.plainThenAtomic(a, i, 'added to');
    const old = this.mem[i]!;
    this.mem[i] = (old + v) | 0;
    this.atomicWrite(i);
    this.record(a, 'add', i, old, v);
    return old;
  }
  *wait(a: number, i: number, v: number, timeoutMs: number): Generator<PendingOp, WaitResult, unknown> {
    yield { kind: 'wait', index: i };
    this.plainThenAtomic(a, i, 'waited on');
    if (this.noBlock[a] && this.failure === undefined) {
      this.failure = `agent ${a} may not block (a page's main thread) but called Atomics.wait on ${this.wordName(i)} (${this.pending[a]?.loc ?? '?'})`;
    }
    if (this.mem[i] !== v) {
      this.record(a, 'wait', i, 'not-equal', v);
      return 'not-equal';
    }
    this.record(a, 'wait', i, 'sleeps', v);
    this.waiters.push({ who: a, index: i, async: false });
    this.blockedHow[a] = ON_FUTEX;
    this.blockedOn[a] = i;
    // With a clock, a finite timeout is a deadline on it; without one, time never passes.
    this.wakeAt[a] = timeoutMs === Infinity ? Infinity : this.clockWord >= 0 ? this.mem[this.clockWord]! + Math.max(1, Math.ceil(timeoutMs)) : a === this.watcher ? 0 : Infinity;
    const r = (yield { kind: 'blocked', index: i }) as WaitResult | undefined;
    // Woken: the agent is somewhere new even though nothing was read or written.
    this.mix(a, r === 'timed-out' ? 0x7173 : 0x5eed);
    return r === 'timed-out' ? 'timed-out' : 'ok';
  }
  /**
   * `Atomics.waitAsync` of an event-loop agent: joins the word's queue without blocking. The agent's
   * event loop later waits for it with `awaitToken` (when it has nothing else to do).
   */
  *waitAsync(a: number, i: number, v: number): Generator<PendingOp, boolean, unknown> {
    yield { kind: 'wait', index: i };
    if (this.mem[i] !== v) {
      this.record(a, 'wait', i, 'not-equal (async)', v);
      return false;
    }
    this.record(a, 'wait', i, 'waits (async)', v);
    this.waiters.push({ who: a, index: i, async: true });
    this.tokenResolved[a] = false;
    return true;
  }
  /** The event loop has nothing to run until its waitAsync resolves. */
  *awaitToken(a: number): Generator<PendingOp, void, unknown> {
    if (this.tokenResolved[a]) return;
    this.blockedHow[a] = ON_TOKEN;
    yield { kind: 'blocked', index: -1 };
    this.mix(a, 0x70c);
  }
  *notify(a: number, i: number, count: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'notify', index: i };
    let woken = 0;
    const rest: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.index !== i || woken >= count) {
        rest.push(w);
        continue;
      }
      woken++;
      if (w.async) this.tokenResolved[w.who] = true;
      else this.unblock(w.who);
    }
    this.waiters = rest;
    this.record(a, 'notify', i, woken);
    return woken;
  }
  /** Busy-wait while the word holds `v` (a spin lock): not runnable until another agent changes it. */
  *spinWhile(a: number, i: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'spin', index: i };
    this.plainThenAtomic(a, i, 'spun on');
    if (this.mem[i] === v) {
      this.record(a, 'spin', i, 'spins', v);
      this.blockedHow[a] = ON_CHANGE;
      this.blockedOn[a] = i;
      this.blockedValue[a] = v;
      yield { kind: 'blocked', index: i };
    }
    const now = this.mem[i]!;
    this.record(a, 'spin', i, now, v);
    return now;
  }
  /** An agent whose thread has ended (killed, or its program and serving over) that the guardian has not handled. */
  private nextExit(): number {
    for (let a = 0; a < this.agents; a++) if (this.finished[a] && !this.exitHandled[a]) return a;
    return -1;
  }
  /** Agents whose exit the guardian has handled. */
  private readonly exitHandled: boolean[] = [];

  /** The guardian: wait until some agent's thread has ended; returns which. */
  *awaitExit(g: number): Generator<PendingOp, number, unknown> {
    if (this.nextExit() < 0) {
      this.blockedHow[g] = ON_EXIT;
      yield { kind: 'blocked', index: -1 };
    }
    const a = this.nextExit();
    this.exitHandled[a] = true;
    this.mix(g, 0xe417 + a);
    return a;
  }

  /** The watcher asks, without blocking, for an agent whose thread has ended unhandled; -1 if none. */
  takeExit(w: number): number {
    const a = this.nextExit();
    if (a < 0) return -1;
    this.exitHandled[a] = true;
    this.mix(w, 0xe417 + a);
    return a;
  }

  /** A restarted thread runs under the id again. */
  revived(a: number): void {
    this.exitHandled[a] = false;
    this.killed[a] = false;
  }
  /** Is participant `a` blocked waiting for something (for traces)? */
  describeBlocked(a: number): string | undefined {
    switch (this.blockedHow[a]) {
      case ON_FUTEX:
        return `asleep on word ${this.blockedOn[a]}`;
      case ON_CHANGE:
        return `spinning on word ${this.blockedOn[a]}`;
      case ON_TOKEN:
        return 'idle, its waitAsync not resolved';
      case ON_EXIT:
        return 'waiting for an agent to exit';
    }
    return undefined;
  }
}

/** The `Mem` a twin agent sees: the machine's operations bound to that agent. */
export function memFor(m: Machine, a: number) {
  return {
    read: (i: number) => m.read(a, i),
    write: (i: number, v: number) => m.write(a, i, v),
    note: (i: number, v: number) => m.note(a, i, v),
    load: (i: number) => m.load(a, i),
    store: (i: number, v: number) => m.store(a, i, v),
    cas: (i: number, e: number, v: number) => m.cas(a, i, e, v),
    exchange: (i: number, v: number) => m.exchange(a, i, v),
    add: (i: number, v: number) => m.add(a, i, v),
    wait: (i: number, v: number, t: number) => m.wait(a, i, v, t),
    notify: (i: number, c: number) => m.notify(a, i, c),
    spinWhile: (i: number, v: number) => m.spinWhile(a, i, v),
  };
}
