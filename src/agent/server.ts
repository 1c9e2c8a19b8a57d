/**
 * The served side of an agent: take a call's arguments out of its place, run the user's function,
 * write its result (or error) back. The protocol (serve.ts) decides when; this part owns the incoming
 * registers and the running function's context (`here()`, nesting depth).
 *
 * A call that cannot be taken (its arguments do not decode here: a registered class missing on this
 * thread, a decode that throws, nesting too deep for this thread's stack) fails as that call's
 * error; it never escapes into the pump.
 */
import { STATUS_OK, STATUS_THREW, metaArgc, metaCallId } from '../layout.js';
import { RUN_LATER, isExpress } from '../protocol/context.js';
import { SmpcallError, codes } from '../errors.js';
import { encodableError } from '../codec/remote-error.js';
import type { LaneCodec } from '../codec/express.js';
import type { Payloads } from '../codec/payloads.js';
import type { CallEntry, CompiledTable } from '../table.js';
import { enterAgent, runAs, sharedThread, type Current } from './current.js';
import { isThenable } from './thenable.js';

/**
 * What a served post's failure is reported through (nobody waits for a post). `undecodable`: its
 * arguments could not be taken here (smpcall's failure, not the function's).
 */
export type PostErrorSink = (name: string, from: number, e: unknown, undecodable?: boolean) => void;

export class Server {
  // Registers of the call being taken.
  private inId = 0;
  private inFrom = 0;
  private inArgc = 0;
  private inArgs: unknown[] = new Array(8).fill(undefined);
  /** The arguments could not be taken: this is the call's error. */
  private inError: unknown = undefined;
  private inFailed = false;
  /** Served calls on this agent's stack right now. */
  depth = 0;
  /** A served async function started since the pump last looked (its continuations must get to run). */
  wentAsync = false;
  /** Served async functions that have not written their result yet. */
  asyncOpen = 0;
  /** A reusable one-value array for results (no allocation per result). */
  private readonly box: unknown[] = [undefined];

  constructor(
    private readonly self: Current,
    private readonly id: number,
    private readonly table: CompiledTable,
    private readonly payloads: Payloads,
    private readonly lanes: LaneCodec,
    /** Mark a sync call DONE once its result is written (protocol `finish`). */
    private readonly finish: (place: number, status: number) => void,
    private readonly postFailed: PostErrorSink,
  ) {}

  /** Copy the call in `place` (`meta` packs its id and argument count) into the registers. */
  take(place: number, meta: number, from: number): void {
    const callId = (this.inId = metaCallId(meta));
    this.inFrom = from;
    const argc = (this.inArgc = metaArgc(meta));
    this.inFailed = false;
    try {
      if (isExpress(place)) this.lanes.readArgs(this.id, argc, this.inArgs);
      else {
        if (argc > this.inArgs.length) this.inArgs = new Array(argc);
        this.payloads.read(place, argc, this.inArgs);
      }
    } catch (e) {
      this.inFailed = true;
      this.inError = new SmpcallError(codes.UNCLONEABLE, `agent ${this.id} could not decode the arguments of "${this.nameOf(callId)}" from agent ${from}: ${(e as Error)?.message ?? String(e)}`, {
        cause: e,
      });
    }
  }

  private nameOf(callId: number): string {
    return this.table.entries[callId]?.name ?? `#${callId}`;
  }

  /** Run the call last taken; see protocol `Host.run`. */
  run(place: number, sync: boolean): number {
    // The registers are read here, once: calls served while the function runs (it may wait) take
    // new calls into them.
    const callId = this.inId;
    const entry = this.table.entries[callId];
    const from = this.inFrom;
    const undecodable = this.inFailed;
    this.depth++;
    const outer = enterAgent(this.self);
    let result: unknown;
    let threw = false;
    let later = false;
    try {
      if (this.inFailed) throw this.inError;
      if (entry === undefined) throw new SmpcallError(codes.MISMATCH, `agent ${this.id} has no call with id ${callId}`);
      result = this.invoke(entry);
      // Inside the try: reading `then` runs user code (a getter, a proxy), which may throw.
      later = isThenable(result);
    } catch (e) {
      result = e;
      threw = true;
    } finally {
      enterAgent(outer);
      this.depth--;
      this.inError = undefined;
    }
    const name = entry?.name ?? `#${callId}`;
    if (!sync) {
      if (threw) this.postFailed(name, from, result, undecodable);
      else if (later) this.reportWhenRejected(name, from, result as PromiseLike<unknown>);
      return STATUS_OK;
    }
    if (later) {
      // An async function: the caller keeps waiting; finish when it settles.
      this.wentAsync = true;
      this.asyncOpen++;
      this.finishWhenSettled(place, callId, result as PromiseLike<unknown>);
      return RUN_LATER;
    }
    return this.writeResult(place, callId, result, threw, undecodable);
  }

  /** Call the function with the registers, without spreading (no allocation for up to four arguments). */
  private invoke(entry: CallEntry): unknown {
    const a = this.inArgs;
    if (sharedThread()) return this.runWithContext(entry, a.slice(0, this.inArgc));
    switch (this.inArgc) {
      case 0:
        return entry.fn();
      case 1:
        return entry.fn(a[0]);
      case 2:
        return entry.fn(a[0], a[1]);
      case 3:
        return entry.fn(a[0], a[1], a[2]);
      case 4:
        return entry.fn(a[0], a[1], a[2], a[3]);
      default:
        return entry.fn(...a.slice(0, this.inArgc));
    }
  }

  // The closures of a served call live in these helpers, not in run(): a variable of run() captured by
  // a closure would make V8 allocate a context for run() at every call, async or not (measured: ~75 B
  // per served call, the served side's only allocation).

  /** Several agents on this thread: run with here() carried across the function's awaits. */
  private runWithContext(entry: CallEntry, args: unknown[]): unknown {
    return runAs(this.self, () => entry.fn(...args));
  }

  /**
   * An async function was served: write its result and mark the call DONE when it settles. The result
   * goes through `Promise.resolve`, as `await` takes it: a native promise passes as it is, and any
   * other thenable gets the promise rules (its `then` may throw, call back twice, or hand over
   * another thenable: the first settlement counts, a throw rejects). Called directly, a `then` that
   * threw escaped into the pump and the caller waited forever, and a second callback overwrote the
   * first result.
   */
  private finishWhenSettled(place: number, callId: number, result: PromiseLike<unknown>): void {
    Promise.resolve(result).then(
      (v) => this.finishLater(place, callId, v, false),
      (e: unknown) => this.finishLater(place, callId, e, true),
    );
  }

  /** A served post returned a promise: report its rejection (nobody waits for it). */
  private reportWhenRejected(name: string, from: number, result: PromiseLike<unknown>): void {
    Promise.resolve(result).then(undefined, (e: unknown) => this.postFailed(name, from, e));
  }

  private finishLater(place: number, callId: number, value: unknown, threw: boolean): void {
    this.asyncOpen--;
    this.finish(place, this.writeResult(place, callId, value, threw, false));
  }

  /**
   * Write a sync call's outcome into its place: inline in the lane, in the slot, or in the caller's
   * spill slot. Returns its status (STATUS_*); a lane's is also in its tags. `undecodable`: the
   * error is that the arguments could not be taken here (marked, so it keeps its code at the caller).
   */
  private writeResult(place: number, callId: number, value: unknown, threw: boolean, undecodable: boolean): number {
    const payload = threw ? encodableError(value, undecodable ? 'arguments' : undefined) : value;
    if (isExpress(place)) {
      if (!threw && this.lanes.writeResult(this.id, value)) return STATUS_OK;
      // Too big for the line: the caller lent us a slot of its own for exactly this.
      const status = this.writeResultSlot(this.lanes.spillSlot(this.id), callId, payload, threw ? STATUS_THREW : STATUS_OK);
      this.lanes.markSpilled(this.id, status);
      return status;
    }
    return this.writeResultSlot(place, callId, payload, threw ? STATUS_THREW : STATUS_OK);
  }

  /** Encode a result into a slot. Returns the status to publish. */
  private writeResultSlot(slot: number, callId: number, payload: unknown, status: number): number {
    const box = this.box;
    box[0] = payload;
    try {
      this.payloads.write(slot, box, 1, `the result of "${this.nameOf(callId)}"`);
      return status;
    } catch (e) {
      // The result cannot travel: the caller gets that error instead, never a silent wrong value.
      box[0] = encodableError(e, 'result');
      this.payloads.write(slot, box, 1, 'an error');
      return STATUS_THREW;
    } finally {
      box[0] = undefined;
    }
  }
}
