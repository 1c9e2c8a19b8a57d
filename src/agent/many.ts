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
import type { Settled } from './types.js';

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

  /** Check the whole call (targets, name, arguments, every target alive) before anything is sent. */
  private prepare(targets: unknown, name: string, args: unknown[]): { list: readonly number[]; settle: boolean; entry: CallEntry } {
    const { list, settle } = this.checks.targets(targets);
    const entry = this.checks.check(list.length ? list[0]! : this.ctx.id, name, args);
    for (const t of list) if (t !== this.ctx.id) this.checks.checkAlive(t, entry);
    return { list, settle, entry };
  }

  callMany(targets: unknown, name: string, args: unknown[]): Promise<unknown[]> {
    try {
      const { list, settle, entry } = this.prepare(targets, name, args);
      const promises: Promise<unknown>[] = new Array(list.length);
      for (let k = 0; k < list.length; k++) {
        if (list[k] === this.ctx.id) continue;
        this.caller.sendAsync(list[k]!, entry, args, undefined, k);
        promises[k] = this.pending.takePromise();
      }
      // The own share runs here while the others run.
      for (let k = 0; k < list.length; k++) if (list[k] === this.ctx.id) promises[k] = this.local.async(entry, args);
      return (settle ? Promise.allSettled(promises) : Promise.all(promises)) as Promise<unknown[]>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  callManySync(targets: unknown, name: string, args: unknown[]): unknown[] {
    const { list, settle, entry } = this.prepare(targets, name, args);
    const me = this.ctx.id;
    if (list.some((t) => t !== me) && !platform.canBlock) {
      throw new SmpcallError(codes.SYNC_UNAVAILABLE, 'callManySync is impossible on this thread (Atomics.wait is not allowed here); use callMany()');
    }
    const n = list.length;
    const frame = { out: new Array<unknown>(n), failed: new Array<boolean>(n).fill(false) };
    const slots = new Int32Array(n).fill(EMPTY);
    const seqs = new Int32Array(n);
    let sent = 0;
    try {
      for (let k = 0; k < n; k++) {
        if (list[k] === me) continue;
        try {
          slots[k] = this.caller.sendAsync(list[k]!, entry, args, frame, k);
          seqs[k] = sentSeq(this.ctx, slots[k]!);
          sent++;
        } catch (e) {
          if (sent === 0) throw e; // nothing sent yet: refuse the whole call
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
  ids(pred?: (id: number) => boolean): number[] {
    const out: number[] = [];
    for (let t = 0; t < this.ctx.L.agents; t++) {
      if (t !== this.ctx.id && agentState(this.ctx, t) === DEAD) continue;
      if (pred === undefined || pred(t)) out.push(t);
    }
    return out;
  }

  checkPredicate(pred: unknown): (id: number) => boolean {
    if (typeof pred !== 'function') throw new SmpcallTypeError(codes.BAD_TARGET, 'callCond needs a predicate (id) => boolean');
    return pred as (id: number) => boolean;
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
