/**
 * `Mem`: every shared-memory operation the protocol performs, and nothing else. The protocol in
 * `src/protocol/` touches shared memory only through this interface, so the deterministic checker can
 * run the very same source over a memory that turns each operation into a scheduling point.
 *
 * All operations are on Int32 words, indexed as in `layout.ts`. JavaScript `Atomics` are sequentially
 * consistent: every atomic operation here is a SeqCst access, and there is one total order of them that
 * every agent agrees on. The protocol's arguments about lost wake-ups rely on exactly that, and nothing
 * weaker. Plain `read`/`write` are for data published by a SeqCst operation on another word (a slot's
 * link or metadata, published by the store or CAS that makes the slot visible); the checker reports a
 * word written plainly by one agent and then accessed atomically by another, which is always a bug.
 */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

export interface Mem {
  /** Plain (non-atomic) read of a data word: published to this agent by an earlier SeqCst `load`. */
  read(index: number): number;
  /** Plain (non-atomic) write of a data word: published to others by a later SeqCst `store`/`cas`. */
  write(index: number, value: number): void;
  /**
   * Plain write of a diagnostic word that no protocol decision reads (what an agent is running, its
   * counters): read only by the stall watchdog and `stats()`. Not a scheduling point in the checker,
   * which reports any protocol code that reads such a word.
   */
  note(index: number, value: number): void;
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
  /**
   * Busy-wait while the word equals `value` (a spin lock's holder works for microseconds; nobody rings).
   * Returns the new value, or `value` itself once `timeoutMs` passed without a change. In the checker,
   * the agent is simply not runnable until another agent changes the word.
   */
  spinWhile(index: number, value: number, timeoutMs: number): number;
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
  note(index: number, value: number): void {
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
  spinWhile(index: number, value: number, timeoutMs: number): number {
    // The clock is read once per 1024 rounds: a spin that ends in microseconds never reads it.
    const until = performance.now() + timeoutMs;
    for (let n = 1; ; n++) {
      const v = this.load(index);
      if (v !== value) return v;
      if ((n & 1023) === 0 && performance.now() > until) return value;
    }
  }
}
