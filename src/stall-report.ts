/**
 * What the stall watchdog says about a wait longer than `stallMs` (`domain.on('stall', ...)`). A type
 * of its own, below every layer: workers forward reports to the main thread (runtime/), which emits
 * them on the domain.
 *
 * @example
 * ```ts
 * domain.on('stall', (r) => console.warn(`agent ${r.caller} waits ${r.waitedMs} ms on ${r.target} for ${r.call}`));
 * ```
 */
export interface StallReport {
  /** The agent that waits. */
  caller: number;
  /** The agent it waits on; -1 when it waits for one of its own slots to come free. */
  target: number;
  /** The function it called, when known. */
  call: string | undefined;
  /** How long it has waited so far (ms). */
  waitedMs: number;
  /** What the target was doing when the report was made. */
  targetState: string;
  /** True for the closing "got unstuck" report. */
  ended: boolean;
  /** The report as one line of text. */
  message: string;
}
