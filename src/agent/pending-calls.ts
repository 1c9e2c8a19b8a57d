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
  ) {
    this.resolve = new Array(slots).fill(undefined);
    this.reject = new Array(slots).fill(undefined);
    this.entry = new Array(slots).fill(undefined);
    this.frame = new Array(slots).fill(undefined);
    this.index = new Int32Array(slots);
    this.target = new Int32Array(slots);
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

  /** Host: the call in `slot` is DONE with `status`: decode and deliver. */
  settle(slot: number, status: number): void {
    const i = slot - this.base;
    const entry = this.entry[i]!;
    const o = this.outcome;
    o.read(slot, slot, status, this.target[i]!, entry.name);
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
  }
}
