/**
 * Calls to many agents (`smp_call_function_many`, `on_each_cpu`, `on_each_cpu_cond_mask`,
 * `smp_call_function_any`): one slot per target from the caller's own pool, through the same send as
 * single calls (every target's call is an entry of the pending table), all in flight at once; the
 * caller's own share runs here meanwhile. Results come by position in the target list.
 */
import { DEAD, EMPTY, PARKED } from '../layout.js';
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import type { Ctx } from '../protocol/context.js';
import { awaitCall, sentSeq } from '../protocol/call.js';
import { agentState, busyCall } from '../protocol/observe.js';
import { platform } from '../runtime/platform.js';
import type { CallEntry } from '../table.js';
import type { Caller } from './caller.js';
import type { CallerChecks } from './checks.js';
import type { LocalCalls } from './local.js';
import type { PendingCalls } from './pending-calls.js';
import { isThenable } from './thenable.js';
import type { Settled } from './types.js';

/**
 * Ask `callCond`'s predicate about agent `t`, by truthiness as `Array.prototype.filter` does. A
 * promise-like answer is refused (it is always truthy: an async predicate would pick every agent), and
 * a predicate that throws is said to be the predicate's failure, with the error as `cause`.
 */
function picks(pred: (id: number) => unknown, t: number): boolean {
  let answer: unknown;
  let later: boolean;
  try {
    answer = pred(t);
    later = isThenable(answer); // reads `then`, which may be a getter that throws
  } catch (e) {
    throw new SmpcallError(codes.USAGE, `callCond: the predicate threw for agent ${t}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  if (later) {
    throw new SmpcallTypeError(codes.USAGE, `callCond: the predicate returned a promise for agent ${t}; it must decide at once (an async predicate would pick every agent)`);
  }
  return Boolean(answer);
}

export class ManyCalls {
  private anyTurn = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly checks: CallerChecks,
    private readonly caller: Caller,
    private readonly local: LocalCalls,
    private readonly pending: PendingCalls,
    private readonly blocked: () => void,
  ) {}

  /**
   * Check the whole call before anything is sent: the targets, the name and the arguments; and, unless
   * the caller wants per-target outcomes (`settle`), that every target is alive.
   */
  private prepare(targets: unknown, name: string, args: unknown[]): { list: readonly number[]; settle: boolean; entry: CallEntry } {
    const { list, settle } = this.checks.targets(targets);
    const entry = this.checks.checkMany(name, args, list.some((t) => t !== this.ctx.id));
    if (!settle) for (const t of list) if (t !== this.ctx.id) this.checks.checkAlive(t, entry);
    return { list, settle, entry };
  }

  /** Why target `t` of a settled many-call got nothing, if it is gone (its entry says so). */
  private goneError(t: number, entry: CallEntry): unknown {
    try {
      this.checks.checkAlive(t, entry);
      return undefined;
    } catch (e) {
      return e;
    }
  }

  /**
   * `callMany`. Results by position in the target list. Without `settle` it rejects with the first
   * error once every target has finished (never while calls it sent still run); with `settle` it
   * never rejects: each target gets its outcome, a target that has exited included.
   */
  callMany(targets: unknown, name: string, args: unknown[], skipDead = false): Promise<unknown[]> {
    let list: readonly number[];
    let settle: boolean;
    let entry: CallEntry;
    try {
      ({ list, settle, entry } = skipDead ? this.prepareEach(name, args) : this.prepare(targets, name, args));
    } catch (e) {
      return Promise.reject(e);
    }
    const me = this.ctx.id;
    const outcomes: Promise<unknown>[] = new Array(list.length);
    let sent = 0;
    for (let k = 0; k < list.length; k++) {
      const t = list[k]!;
      if (t === me) continue;
      if (t < 0) {
        outcomes[k] = Promise.resolve(undefined); // onEach: an agent that has exited keeps its place
        continue;
      }
      const gone = settle ? this.goneError(t, entry) : undefined;
      if (gone !== undefined) {
        outcomes[k] = Promise.reject(gone);
        continue;
      }
      try {
        this.caller.sendAsync(t, entry, args, undefined, k);
        outcomes[k] = this.pending.takePromise();
        sent++;
      } catch (e) {
        if (sent === 0 && !settle) return Promise.reject(e); // nothing sent yet: refuse the whole call
        outcomes[k] = Promise.reject(e);
      }
    }
    // The own share runs here while the others run.
    for (let k = 0; k < list.length; k++) if (list[k] === me) outcomes[k] = this.local.async(entry, args);
    const all = Promise.allSettled(outcomes);
    if (settle) return all as Promise<unknown[]>;
    return all.then((rs) => {
      const failed = rs.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return rs.map((r) => (r as PromiseFulfilledResult<unknown>).value);
    });
  }

  /** `onEach`: every agent by id; one that has exited keeps its place (-id - 1, answered undefined). */
  private prepareEach(name: string, args: unknown[]): { list: readonly number[]; settle: boolean; entry: CallEntry } {
    const entry = this.checks.checkMany(name, args, this.ctx.L.agents > 1);
    const list: number[] = [];
    for (let t = 0; t < this.ctx.L.agents; t++) list.push(t !== this.ctx.id && agentState(this.ctx, t) === DEAD ? -t - 1 : t);
    return { list, settle: false, entry };
  }

  callManySync(targets: unknown, name: string, args: unknown[], skipDead = false): unknown[] {
    const { list, settle, entry } = skipDead ? this.prepareEach(name, args) : this.prepare(targets, name, args);
    const me = this.ctx.id;
    if (list.some((t) => t !== me && t >= 0) && !platform.canBlock) {
      throw new SmpcallError(codes.SYNC_UNAVAILABLE, 'callManySync is impossible on this thread (Atomics.wait is not allowed here); use callMany()');
    }
    const n = list.length;
    const frame = { out: new Array<unknown>(n).fill(undefined), failed: new Array<boolean>(n).fill(false) };
    const slots = new Int32Array(n).fill(EMPTY);
    const seqs = new Int32Array(n);
    let sent = 0;
    try {
      for (let k = 0; k < n; k++) {
        const t = list[k]!;
        if (t === me || t < 0) continue;
        const gone = settle ? this.goneError(t, entry) : undefined;
        if (gone !== undefined) {
          frame.failed[k] = true;
          frame.out[k] = gone;
          continue;
        }
        try {
          slots[k] = this.caller.sendAsync(t, entry, args, frame, k);
          seqs[k] = sentSeq(this.ctx, slots[k]!);
          sent++;
        } catch (e) {
          if (sent === 0 && !settle) throw e; // nothing sent yet: refuse the whole call
          // Some targets have their call: this one is told why it has not.
          frame.failed[k] = true;
          frame.out[k] = e;
        }
      }
      for (let k = 0; k < n; k++) {
        if (list[k] !== me) continue;
        try {
          frame.out[k] = this.local.sync(entry, args);
        } catch (e) {
          frame.failed[k] = true;
          frame.out[k] = e;
        }
      }
      // Results arrive in any order, collected by whichever wait of this agent sees them first.
      for (let k = 0; k < n; k++) if (slots[k] !== EMPTY) awaitCall(this.ctx, slots[k]!, seqs[k]!);
    } finally {
      this.blocked();
    }
    if (settle) return frame.out.map((v, k) => (frame.failed[k] ? { status: 'rejected', reason: v } : { status: 'fulfilled', value: v }) as Settled<unknown>);
    const first = frame.failed.indexOf(true);
    if (first >= 0) throw frame.out[first];
    return frame.out;
  }

  postMany(targets: unknown, name: string, args: unknown[]): void {
    const { list } = this.prepare(targets, name, args);
    for (const t of list) this.caller.post(t, name, args);
  }

  /** Every live agent (and this one), or those `pred` picks, in id order. */
  ids(pred?: (id: number) => unknown): number[] {
    const out: number[] = [];
    for (let t = 0; t < this.ctx.L.agents; t++) {
      if (t !== this.ctx.id && agentState(this.ctx, t) === DEAD) continue;
      if (pred === undefined || picks(pred, t)) out.push(t);
    }
    return out;
  }

  checkPredicate(pred: unknown): (id: number) => unknown {
    if (typeof pred !== 'function') throw new SmpcallTypeError(codes.USAGE, `callCond needs a predicate (id) => boolean, got ${pred === null ? 'null' : typeof pred}`);
    return pred as (id: number) => unknown;
  }

  /**
   * The cheapest agent for `callAny` (`smp_call_function_any`): on a worker, itself (no round trip at
   * all); from the main thread, an idle polling worker, else a parked one, else the next in turn.
   */
  pickAny(): number {
    const { id, L } = this.ctx;
    if (id !== 0 || L.agents === 1) return id;
    let parked = -1;
    for (let k = 0; k < L.agents - 1; k++) {
      const t = 1 + ((this.anyTurn + k) % (L.agents - 1));
      const state = agentState(this.ctx, t);
      if (state === DEAD) continue;
      if (state !== PARKED && busyCall(this.ctx, t) === 0) {
        this.anyTurn = t;
        return t; // awake and not running anything: polling, the cheapest to reach
      }
      if (state === PARKED && parked < 0) parked = t;
    }
    if (parked >= 0) return parked;
    this.anyTurn = (this.anyTurn % (L.agents - 1)) + 1;
    return this.anyTurn;
  }
}
