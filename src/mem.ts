/**
 * `Mem`: every shared-memory operation the protocol performs, and nothing else. The protocol in
 * `src/protocol/` touches shared memory only through this interface, so the deterministic checker can
 * run the very same source over a memory that turns each operation into a scheduling point.
 *
 * All operations are on Int32 words, indexed as in `layout.ts`. JavaScript `Atomics` are sequentially
 * consistent: every operation here is a SeqCst access, and there is one total order of them that every
 * agent agrees on. The protocol's arguments about lost wake-ups rely on exactly that, and nothing weaker.
 */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

export interface Mem {
  /** Plain (non-atomic) read of a data word: published to this agent by an earlier SeqCst `load`. */
  read(index: number): number;
  /** Plain (non-atomic) write of a data word: published to others by a later SeqCst `store`/`cas`. */
  write(index: number, value: number): void;
  load(index: number): number;
  store(index: number, value: number): void;
  /** Compare-and-swap; returns the value that was there (equal to `expected` when it succeeded). */
  cas(index: number, expected: number, value: number): number;
  /** Returns the value that was there. */
  exchange(index: number, value: number): number;
  /** Returns the value that was there. */
  add(index: number, value: number): number;
  /** Futex wait: sleeps while the word equals `value`, until notified or `timeoutMs` passes. */
  wait(index: number, value: number, timeoutMs: number): WaitResult;
  notify(index: number, count: number): number;
}

/** The production `Mem`: plain `Atomics` over one Int32Array view of the domain buffer. */
export class AtomicsMem implements Mem {
  readonly i32: Int32Array;
  constructor(buffer: SharedArrayBuffer) {
    this.i32 = new Int32Array(buffer);
  }
  read(index: number): number {
    return this.i32[index]!;
  }
  write(index: number, value: number): void {
    this.i32[index] = value;
  }
  load(index: number): number {
    return Atomics.load(this.i32, index);
  }
  store(index: number, value: number): void {
    Atomics.store(this.i32, index, value);
  }
  cas(index: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.i32, index, expected, value);
  }
  exchange(index: number, value: number): number {
    return Atomics.exchange(this.i32, index, value);
  }
  add(index: number, value: number): number {
    return Atomics.add(this.i32, index, value);
  }
  wait(index: number, value: number, timeoutMs: number): WaitResult {
    return Atomics.wait(this.i32, index, value, timeoutMs);
  }
  notify(index: number, count: number): number {
    return Atomics.notify(this.i32, index, count);
  }
}
