/**
 * A case: one thing measured (a floor, a peer's round trip, an smpcall call kind), in the small shape
 * the interleaved-rounds engine needs.
 */
import type { CaseInfo } from './messages.js';

export interface Case extends CaseInfo {
  /** `n` operations back to back (or all at once, for throughput cases). */
  batch(n: number): unknown;
  /** One operation, timed alone for the latency histogram. Absent: throughput only. */
  one?: () => unknown;
  /**
   * The work is timed in another thread: `batch` resolves to its elapsed milliseconds, `samples` to
   * per-operation microseconds.
   */
  timedElsewhere?: { samples(n: number): Promise<ArrayLike<number>> | ArrayLike<number> };
  /** Idle this long (µs) before each timed operation, so the target parks; only `one` is used. */
  gapUs?: number;
}

/** A group of cases measured together, interleaved, then closed. */
export interface Session {
  cases: Case[];
  skipped: { label: string; why: string }[];
  agents: number;
  threads: number;
  /** What the cases' `ref` is (default 'postMessage'). */
  refLabel?: string;
  close(): Promise<void>;
}

/** Build `batch` and `one` from one synchronous operation. */
export function syncCase(c: Omit<Case, 'batch' | 'one'>, op: (i: number) => unknown): Case {
  let i = 0;
  return {
    ...c,
    batch(n) {
      for (let k = 0; k < n; k++) op(i++);
    },
    one: () => op(i++),
  };
}

/** Build `batch` (each awaited before the next) and `one` from one asynchronous operation. */
export function asyncCase(c: Omit<Case, 'batch' | 'one'>, op: (i: number) => Promise<unknown>): Case {
  let i = 0;
  return {
    ...c,
    async batch(n) {
      for (let k = 0; k < n; k++) await op(i++);
    },
    one: () => op(i++),
  };
}

/** Throughput: `n` operations issued at once, then all awaited. */
export function pipelinedCase(c: Omit<Case, 'batch' | 'one' | 'kind'>, op: (i: number) => Promise<unknown>): Case {
  let i = 0;
  return {
    ...c,
    kind: 'pipelined',
    batch(n) {
      const all = new Array<Promise<unknown>>(n);
      for (let k = 0; k < n; k++) all[k] = op(i++);
      return Promise.all(all);
    },
  };
}
