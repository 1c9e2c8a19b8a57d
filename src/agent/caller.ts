/**
 * The caller side of an agent: `call`, `callSync`, `post` and their timed forms, each checked, then
 * handed to the protocol's call paths (protocol/call.ts: one `sendCall` under all of them). This part
 * owns the outgoing registers the protocol's `writeArgs` reads, and the frames of blocking calls.
 */
import { EMPTY, F_SYNC, packMeta } from '../layout.js';
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import { expressAgent, isExpress, type Ctx } from '../protocol/context.js';
import { CALL_NO_SLOT, CALL_TIMED_OUT, callAsync, callSync as protocolCallSync, post as protocolPost, sentSeq } from '../protocol/call.js';
import { CANCEL_LATE, cancelCall } from '../protocol/cancel.js';
import { isAwaited } from '../protocol/pending.js';
import { fitsLane, type LaneCodec } from '../codec/express.js';
import type { Payloads } from '../codec/payloads.js';
import { platform } from '../runtime/platform.js';
import { after } from '../runtime/timers.js';
import type { CallEntry } from '../table.js';
import type { CallerChecks } from './checks.js';
import type { LocalCalls } from './local.js';
import type { Outcome } from './outcome.js';
import type { Frame, PendingCalls } from './pending-calls.js';
import type { CallOptions } from './types.js';
import { slotCensus } from './watchdog.js';

const NO_ARGS: unknown[] = [];

/** What the caller tells the rest of the agent: the pump (a direct reference: this is the call path). */
export interface CallerEvents {
  /** An asynchronous call went out: hold the event loop open, make sure the pump runs. */
  sent(): void;
  /** A blocking wait may have parked and unparked this agent: let the pump re-park properly. */
  blocked(): void;
  /** Promises were dropped without settling (cancelled): update the hold and the drain waiters. */
  afterSettle(): void;
  /** A cancelled call had finished after all: collect it now. */
  schedule(): void;
}

function timeoutError(name: string, target: number, timeoutMs: number): SmpcallError {
  return new SmpcallError(codes.TIMEOUT, `"${name}" on agent ${target} did not finish within ${timeoutMs} ms`);
}

function abortError(reason: unknown, name: string): SmpcallError {
  const e = new SmpcallError(codes.ABORTED, `"${name}" was aborted`, { cause: reason });
  e.name = 'AbortError';
  return e;
}

function checkTimeout(timeoutMs: unknown): void {
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
    throw new SmpcallTypeError(codes.USAGE, `timeoutMs must be a number of milliseconds >= 0 (Infinity: no limit), got ${String(timeoutMs)}`);
  }
}

/** Options of a timed call: checked whole before anything is sent. */
function checkCallOptions(options: unknown): CallOptions {
  if (options === null || typeof options !== 'object') throw new SmpcallTypeError(codes.USAGE, `call options must be an object ({ signal, timeoutMs }), got ${String(options)}`);
  const { signal, timeoutMs } = options as CallOptions;
  checkTimeout(timeoutMs);
  if (signal !== undefined) {
    const s = signal as Partial<AbortSignal> | null;
    if (s === null || typeof s !== 'object' || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function' || typeof s.removeEventListener !== 'function') {
      throw new SmpcallTypeError(codes.USAGE, 'signal must be an AbortSignal (from an AbortController, or AbortSignal.timeout())');
    }
  }
  return options as CallOptions;
}

export class Caller {
  // Outgoing registers: what the protocol's writeArgs writes for the call being sent.
  private outArgs: ArrayLike<unknown> = NO_ARGS;
  private outArgc = 0;
  private outName = '';
  // The innermost blocking call: its result is read into `outcome` before its frame returns.
  private syncName = '';
  private syncTarget = 0;
  /** Slots held by blocking calls on this agent's stack (callSync) right now. */
  stackHeld = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly checks: CallerChecks,
    private readonly local: LocalCalls,
    private readonly pending: PendingCalls,
    private readonly outcome: Outcome,
    private readonly payloads: Payloads,
    private readonly lanes: LaneCodec,
    private readonly table: import('../table.js').CompiledTable,
    /** How long a call may wait for a free slot of this agent's own (ms) before ERR_SMPCALL_NO_SLOT. */
    private readonly slotWaitMs: number,
    private readonly events: CallerEvents,
  ) {}

  // ---------------------------------------------------------------- the protocol's Host parts

  /** Host: write the outgoing call's arguments into `place`. */
  writeArgs(place: number): void {
    if (isExpress(place)) this.lanes.writeArgs(expressAgent(place), this.outArgs, this.outArgc);
    else this.payloads.write(place, this.outArgs, this.outArgc, `arguments of "${this.outName}"`);
  }

  /** Host: a blocking call is DONE: read its outcome before its place is given back. */
  receive(place: number, slot: number, status: number): void {
    this.outcome.read(place, slot, status, this.syncTarget, this.syncName);
  }

  private setOut(entry: CallEntry, args: ArrayLike<unknown>): void {
    this.outArgs = args;
    this.outArgc = args.length;
    this.outName = entry.name;
  }

  // ---------------------------------------------------------------- promise calls

  call(target: number, name: string, args: unknown[]): Promise<unknown> {
    try {
      const entry = this.checks.check(target, name, args);
      if (target === this.ctx.id) return this.local.async(entry, args);
      this.sendAsync(target, entry, args, undefined, 0);
      return this.pending.takePromise();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Send one asynchronous call (a promise when `frame` is undefined, else entry `k` of a blocking
   * many-target frame). Returns its slot. Throws, with nothing sent, when it cannot be sent.
   * `cancellable`: it may be cancelled (a deadline, a signal), so it goes through a slot, never a lane.
   */
  sendAsync(target: number, entry: CallEntry, args: ArrayLike<unknown>, frame: Frame | undefined, k: number, cancellable = false): number {
    // The registers of an outer call (this one may be made while it waits for a slot) come back after.
    const { outArgs, outArgc, outName } = this;
    const pending = this.pending;
    const { outEntry, outTarget, outFrame } = pending;
    this.setOut(entry, args);
    pending.expect(entry, target, frame);
    let slot: number;
    try {
      slot = callAsync(this.ctx, target, packMeta(entry.id, args.length, F_SYNC), this.slotWaitMs, k, !cancellable && fitsLane(args, args.length));
    } finally {
      this.outArgs = outArgs;
      this.outArgc = outArgc;
      this.outName = outName;
      pending.expect(outEntry!, outTarget, outFrame);
    }
    if (slot === EMPTY) throw this.noSlot();
    this.events.sent();
    return slot;
  }

  /**
   * `call` with a deadline or an AbortSignal. Cancelled before the target started it, the call never
   * runs; after, the caller is released at once and the late result is dropped when it arrives (its
   * slot is not reused before that, so it can reach no later call).
   */
  callWith(options: CallOptions, target: number, name: string, args: unknown[]): Promise<unknown> {
    let signal: AbortSignal | undefined;
    let timeoutMs: number | undefined;
    let entry: CallEntry;
    let slot: number;
    let promise: Promise<unknown>;
    try {
      ({ signal, timeoutMs } = checkCallOptions(options));
      if (signal?.aborted) return Promise.reject(abortError(signal.reason, name));
      entry = this.checks.check(target, name, args);
      if (target === this.ctx.id) return this.localWith(this.local.async(entry, args), signal, timeoutMs, name);
      slot = this.sendAsync(target, entry, args, undefined, 0, true);
      promise = this.pending.takePromise();
    } catch (e) {
      return Promise.reject(e);
    }
    const seq = sentSeq(this.ctx, slot);
    const onAbort = (): void => this.cancel(slot, seq, abortError(signal!.reason, name));
    const timer = timeoutMs === undefined ? undefined : after(timeoutMs, () => this.cancel(slot, seq, timeoutError(name, target, timeoutMs!)));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      timer?.clear();
      signal?.removeEventListener('abort', onAbort);
    };
    promise.then(done, done);
    return promise;
  }

  /**
   * A cancellable call to this agent itself: the function started at once (there is no queue to take
   * it back from), so a deadline or an abort releases the caller, as for a call that had started
   * elsewhere, and the late outcome is dropped.
   */
  private localWith(running: Promise<unknown>, signal: AbortSignal | undefined, timeoutMs: number | undefined, name: string): Promise<unknown> {
    if (signal === undefined && timeoutMs === undefined) return running;
    return new Promise((resolve, reject) => {
      // Whichever comes first settles the promise; the others find it settled.
      const done = (): void => {
        timer?.clear();
        signal?.removeEventListener('abort', onAbort);
      };
      const give = (reason: Error): void => {
        done();
        reject(reason);
      };
      const onAbort = (): void => give(abortError(signal!.reason, name));
      const timer = timeoutMs === undefined ? undefined : after(timeoutMs, () => give(timeoutError(name, this.ctx.id, timeoutMs)));
      signal?.addEventListener('abort', onAbort, { once: true });
      running.then(
        (v) => {
          done();
          resolve(v);
        },
        (e: unknown) => {
          done();
          reject(e);
        },
      );
    });
  }

  /** Give up on the promise call sent as (slot, seq), unless it has settled already. */
  private cancel(slot: number, seq: number, reason: Error): void {
    if (!isAwaited(this.ctx, slot, seq)) return;
    if (cancelCall(this.ctx, slot) === CANCEL_LATE) {
      this.events.schedule(); // finished just in time: the result wins; the pump collects it
      return;
    }
    const reject = this.pending.forget(slot);
    this.events.afterSettle();
    reject?.(reason);
  }

  // ---------------------------------------------------------------- blocking calls

  /** `callSync`; with a finite `timeoutMs`, ERR_SMPCALL_TIMEOUT past it (see protocol callSync). */
  callSync(target: number, name: string, args: unknown[], timeoutMs = Infinity): unknown {
    checkTimeout(timeoutMs);
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    const entry = this.checks.check(target, name, args);
    if (target === this.ctx.id) return this.local.sync(entry, args);
    if (!platform.canBlock) {
      throw new SmpcallError(codes.SYNC_UNAVAILABLE, `callSync is impossible on this thread (Atomics.wait is not allowed here); use call()`);
    }
    this.checkNotStarved(entry);
    const outerName = this.syncName;
    const outerTarget = this.syncTarget;
    const { outArgs, outArgc, outName } = this;
    this.syncName = entry.name;
    this.syncTarget = target;
    this.setOut(entry, args);
    this.stackHeld++;
    let r: number;
    try {
      // Timed: wait for a slot no longer than the call itself may take.
      const slotWaitMs = deadline === Infinity ? this.slotWaitMs : timeoutMs;
      r = protocolCallSync(this.ctx, target, packMeta(entry.id, args.length, F_SYNC), fitsLane(args, args.length), slotWaitMs, deadline);
    } finally {
      this.stackHeld--;
      this.syncName = outerName;
      this.syncTarget = outerTarget;
      this.outArgs = outArgs;
      this.outArgc = outArgc;
      this.outName = outName;
      this.events.blocked();
    }
    if (r === CALL_TIMED_OUT || (r === CALL_NO_SLOT && deadline !== Infinity)) {
      throw timeoutError(name, target, timeoutMs);
    }
    if (r === CALL_NO_SLOT) throw this.noSlot();
    return this.outcome.take();
  }

  /**
   * Every slot of this agent held by blocking calls further up its own stack: waiting for a free one
   * would wait forever (they finish only after this call does). Say so instead.
   */
  private checkNotStarved(entry: CallEntry): void {
    if (this.stackHeld >= this.ctx.L.slotsPerAgent) {
      throw new SmpcallError(
        codes.TOO_DEEP,
        `agent ${this.ctx.id} is ${this.stackHeld} blocking calls deep and each holds one of its ${this.ctx.L.slotsPerAgent} slots: "${entry.name}" was not sent (raise slotsPerAgent, or nest less)`,
      );
    }
  }

  /** No slot of our own came free within slotWaitMs: the call was not sent; say where the slots are. */
  private noSlot(): SmpcallError {
    return new SmpcallError(
      codes.NO_SLOT,
      `agent ${this.ctx.id} waited ${this.slotWaitMs} ms for a free slot of its own and none came free, so the call was not sent; ${slotCensus(this.ctx, this.table, this.ctx.id, this.stackHeld)}`,
    );
  }

  // ---------------------------------------------------------------- fire and forget

  post(target: number, name: string, args: unknown[]): void {
    const entry = this.checks.check(target, name, args);
    if (target === this.ctx.id) {
      this.local.post(entry, args);
      return;
    }
    const { outArgs, outArgc, outName } = this;
    this.setOut(entry, args);
    let sent: boolean;
    try {
      sent = protocolPost(this.ctx, target, packMeta(entry.id, args.length, 0), fitsLane(args, args.length), this.slotWaitMs);
    } finally {
      this.outArgs = outArgs;
      this.outArgc = outArgc;
      this.outName = outName;
      this.events.blocked();
    }
    if (!sent) throw this.noSlot();
  }
}
