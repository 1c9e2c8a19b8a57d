/**
 * The checker's world: one shared Int32Array, and agents that are coroutines. Every shared-memory
 * operation of the (twin) protocol first yields, so the scheduler picks who runs next; the operation
 * then executes atomically when its agent is resumed. JavaScript atomics are sequentially consistent,
 * so interleavings of whole operations are the complete model (no weak-memory reorderings to add).
 *
 * `wait` is modelled as the futex it is: an agent whose word still holds the expected value blocks
 * and is not runnable until a `notify` on that word. Timeouts never fire here, so a lost wake-up is
 * a visible deadlock instead of a delay hidden by the stall watchdog.
 */
import type { WaitResult } from '../mem.js';

export type OpKind = 'read' | 'write' | 'load' | 'store' | 'cas' | 'exchange' | 'add' | 'wait' | 'notify';

/** What an agent will do when it is next scheduled. */
export interface PendingOp {
  kind: OpKind | 'blocked';
  index: number;
}

/** One executed step, for traces. */
export interface Step {
  agent: number;
  kind: OpKind;
  index: number;
  /** Value written / expected (cas) / waited-for. */
  arg?: number;
  /** Value written by cas/exchange/add. */
  arg2?: number;
  /** What the operation returned. */
  result: number | string;
}

type Program = Generator<PendingOp, void, unknown>;

export class Machine {
  readonly mem: Int32Array;
  readonly steps: Step[] = [];
  /** Rolling hash of each agent's history (ops and the values they returned). */
  readonly history: number[];
  private readonly programs: (Program | undefined)[];
  readonly pending: (PendingOp | undefined)[];
  readonly blockedOn: number[];
  readonly finished: boolean[];
  /** Set when an agent's program (not its idle serving) has returned. */
  readonly programDone: boolean[];
  failure: string | undefined;
  keepTrace = true;

  constructor(words: number, agents: number) {
    this.mem = new Int32Array(words);
    this.history = new Array(agents).fill(0x811c9dc5);
    this.programs = new Array(agents).fill(undefined);
    this.pending = new Array(agents).fill(undefined);
    this.blockedOn = new Array(agents).fill(-1);
    this.finished = new Array(agents).fill(false);
    this.programDone = new Array(agents).fill(false);
  }

  /** Start agent `id` running `program` (it runs up to its first shared-memory operation). */
  start(id: number, program: Program): void {
    this.programs[id] = program;
    this.advance(id, undefined);
  }

  /** Agents that can take a step now. */
  enabled(): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.programs.length; a++) if (!this.finished[a] && this.blockedOn[a] < 0) out.push(a);
    return out;
  }

  /** Run one operation of agent `a`. */
  step(a: number): void {
    this.advance(a, undefined);
  }

  private advance(a: number, input: unknown): void {
    const p = this.programs[a]!;
    let r: IteratorResult<PendingOp, void>;
    try {
      r = p.next(input);
    } catch (e) {
      this.finished[a] = true;
      this.failure ??= `agent ${a} threw: ${(e as Error)?.stack ?? String(e)}`;
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
    if (this.keepTrace) this.steps.push({ agent: a, kind, index, arg, arg2, result });
    else this.stepCount++;
  }
  private stepCount = 0;

  get length(): number {
    return this.keepTrace ? this.steps.length : this.stepCount;
  }

  /** Hash of the whole state: memory, and each agent's history and whether it is blocked. */
  stateHash(): string {
    let h1 = 0x811c9dc5;
    let h2 = 0x12345678;
    const m = this.mem;
    for (let i = 0; i < m.length; i++) {
      h1 = Math.imul(h1 ^ m[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ (m[i]! + i), 0x5bd1e995);
    }
    for (let a = 0; a < this.history.length; a++) {
      h1 = Math.imul(h1 ^ this.history[a]!, 0x01000193);
      h2 = Math.imul(h2 ^ (this.blockedOn[a]! + 7 * (this.finished[a] ? 1 : 0)), 0x5bd1e995);
    }
    return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}`;
  }

  // ---- the Mem operations, as generators, for agent `a` ----

  *read(a: number, i: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'read', index: i };
    const v = this.mem[i]!;
    this.record(a, 'read', i, v);
    return v;
  }
  *write(a: number, i: number, v: number): Generator<PendingOp, void, unknown> {
    yield { kind: 'write', index: i };
    this.mem[i] = v;
    this.record(a, 'write', i, '', v);
  }
  *load(a: number, i: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'load', index: i };
    const v = this.mem[i]!;
    this.record(a, 'load', i, v);
    return v;
  }
  *store(a: number, i: number, v: number): Generator<PendingOp, void, unknown> {
    yield { kind: 'store', index: i };
    this.mem[i] = v;
    this.record(a, 'store', i, '', v);
  }
  *cas(a: number, i: number, expected: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'cas', index: i };
    const old = this.mem[i]!;
    if (old === expected) this.mem[i] = v;
    this.record(a, 'cas', i, old, expected, v);
    return old;
  }
  *exchange(a: number, i: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'exchange', index: i };
    const old = this.mem[i]!;
    this.mem[i] = v;
    this.record(a, 'exchange', i, old, v);
    return old;
  }
  *add(a: number, i: number, v: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'add', index: i };
    const old = this.mem[i]!;
    this.mem[i] = (old + v) | 0;
    this.record(a, 'add', i, old, v);
    return old;
  }
  *wait(a: number, i: number, v: number): Generator<PendingOp, WaitResult, unknown> {
    yield { kind: 'wait', index: i };
    if (this.mem[i] !== v) {
      this.record(a, 'wait', i, 'not-equal', v);
      return 'not-equal';
    }
    this.record(a, 'wait', i, 'sleeps', v);
    this.blockedOn[a] = i;
    yield { kind: 'blocked', index: i };
    // Woken: the agent is somewhere new even though nothing was read or written.
    this.mix(a, 0x5eed);
    return 'ok';
  }
  *notify(a: number, i: number, count: number): Generator<PendingOp, number, unknown> {
    yield { kind: 'notify', index: i };
    let woken = 0;
    for (let b = 0; b < this.blockedOn.length && woken < count; b++) {
      if (this.blockedOn[b] === i) {
        this.blockedOn[b] = -1;
        woken++;
      }
    }
    this.record(a, 'notify', i, woken);
    return woken;
  }
}

/** The `Mem` a twin agent sees: the machine's operations bound to that agent. */
export function memFor(m: Machine, a: number) {
  return {
    read: (i: number) => m.read(a, i),
    write: (i: number, v: number) => m.write(a, i, v),
    load: (i: number) => m.load(a, i),
    store: (i: number, v: number) => m.store(a, i, v),
    cas: (i: number, e: number, v: number) => m.cas(a, i, e, v),
    exchange: (i: number, v: number) => m.exchange(a, i, v),
    add: (i: number, v: number) => m.add(a, i, v),
    wait: (i: number, v: number, _t: number) => m.wait(a, i, v),
    notify: (i: number, c: number) => m.notify(a, i, c),
  };
}
