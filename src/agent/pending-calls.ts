/**
 * Who waits for each call in the protocol's pending table (protocol/pending.ts): a promise, or one
 * entry of a blocking many-target call's frame. Indexed by the caller's local slot index, preallocated
 * at start. The protocol says when a call was sent (`sent`) and when its result is there (`settle`);
 * this part decodes it (through `Outcome`) and delivers it.
 */
import type { CallEntry } from '../table.js';
import type { Outcome } from './outcome.js';

/** A blocking many-target call: results by position, filled as they come. */
export interface Frame {
  readonly out: unknown[];
  readonly failed: boolean[];
}

export class PendingCalls {
  private readonly resolve: (((v: unknown) => void) | undefined)[];
  private readonly reject: (((e: unknown) => void) | undefined)[];
  private readonly entry: (CallEntry | undefined)[];
  private readonly frame: (Frame | undefined)[];
  private readonly index: Int32Array;
  private readonly target: Int32Array;
  /**
   * Per local slot: when the call was sent, and when it is next reported as stalled (0: never yet).
   * A send does not read the clock (`performance.now()` would allocate a heap number on the call
   * path): the pump, which runs right after every send, stamps it (-1 until then).
   */
  private readonly sentAt: Float64Array;
  private readonly reportAt: Float64Array;
  /** The pump's last reading of the clock. */
  private clock = 0;

  // The send being made: set by the caller just before the protocol call that may `sent` it (and
  // restored after, since calls served while that call waits for a slot make sends of their own).
  outEntry: CallEntry | undefined;
  outTarget = 0;
  outFrame: Frame | undefined;
  /** The promise `sent` made for the last promise call (the caller returns it). */
  private made: Promise<unknown> | undefined;

  constructor(
    slots: number,
    /** The caller's first global slot index (local index = slot - base). */
    private readonly base: number,
    private readonly outcome: Outcome,
    /** Report a stalled call (or its end); returns when to report it again (ms from now). */
    private readonly stalled: (slot: number, waitedMs: number, ended: boolean) => number,
  ) {
    this.resolve = new Array(slots).fill(undefined);
    this.reject = new Array(slots).fill(undefined);
    this.entry = new Array(slots).fill(undefined);
    this.frame = new Array(slots).fill(undefined);
    this.index = new Int32Array(slots);
    this.target = new Int32Array(slots);
    this.sentAt = new Float64Array(slots);
    this.reportAt = new Float64Array(slots);
  }

  /** The next call sent goes to `target` and is awaited by a promise, or by `frame` when given. */
  expect(entry: CallEntry, target: number, frame: Frame | undefined): void {
    this.outEntry = entry;
    this.outTarget = target;
    this.outFrame = frame;
  }

  /** Host: the expected call went out through `slot`, as entry `k` of its send. */
  sent(slot: number, k: number): void {
    const i = slot - this.base;
    this.entry[i] = this.outEntry;
    this.target[i] = this.outTarget;
    this.sentAt[i] = -1;
    this.reportAt[i] = 0;
    const frame = this.outFrame;
    if (frame !== undefined) {
      this.frame[i] = frame;
      this.index[i] = k;
      return;
    }
    this.made = new Promise<unknown>((resolve, reject) => {
      this.resolve[i] = resolve;
      this.reject[i] = reject;
    });
  }

  /** The promise made for the call just sent. */
  takePromise(): Promise<unknown> {
    const p = this.made!;
    this.made = undefined;
    return p;
  }

  /** Host: the call entered as `slot` is DONE with `status` in `place` (its lane, or the slot): decode and deliver. */
  settle(place: number, slot: number, status: number): void {
    const i = slot - this.base;
    const entry = this.entry[i]!;
    const o = this.outcome;
    o.read(place, slot, status, this.target[i]!, entry.name);
    const frame = this.frame[i];
    const resolve = this.resolve[i];
    const reject = this.reject[i];
    this.clear(i);
    let value: unknown;
    let failed = false;
    try {
      value = o.take();
    } catch (e) {
      value = e;
      failed = true;
    }
    if (frame !== undefined) {
      const k = this.index[i]!;
      frame.out[k] = value;
      frame.failed[k] = failed;
    } else if (failed) reject!(value);
    else resolve!(value);
  }

  /** The call in `slot` will not be settled (cancelled, or its result dropped): its reject function, if a promise waited. */
  forget(slot: number): ((e: unknown) => void) | undefined {
    const i = slot - this.base;
    const reject = this.reject[i];
    this.clear(i);
    return reject;
  }

  private clear(i: number): void {
    this.resolve[i] = this.reject[i] = undefined;
    this.entry[i] = undefined;
    this.frame[i] = undefined;
    // A call reported as stalled has ended: say so, so a log shows both ends of the stall.
    if (this.reportAt[i] !== 0) {
      this.reportAt[i] = 0;
      this.stalled(this.base + i, this.clock - this.sentAt[i]!, true);
    }
  }

  /**
   * The watchdog for calls nobody blocks on (promises, an abandoned call is not watched): report each
   * call older than `stallMs`, again at growing intervals (`stalled` returns the next one).
   */
  watch(now: number, stallMs: number, pendingList: Int32Array, pendingCount: number): void {
    this.clock = now;
    // Only the calls in the protocol's pending table (local slot indexes): usually one or two.
    for (let k = 0; k < pendingCount; k++) {
      const i = pendingList[k]!;
      if (this.entry[i] === undefined || this.frame[i] !== undefined) continue; // frames block: their wait reports
      if (this.sentAt[i]! < 0) {
        this.sentAt[i] = now;
        continue;
      }
      const age = now - this.sentAt[i]!;
      if (age < stallMs || (this.reportAt[i] !== 0 && now < this.reportAt[i]!)) continue;
      this.reportAt[i] = now + this.stalled(this.base + i, age, false);
    }
  }
}
