/**
 * The agent's side of the stall watchdog: a wait whose park timed out is reported (to the domain's
 * 'stall' listeners, or as a warning), with growing intervals, and once more when it ends; the
 * target's doorbell is rung again, as the kernel re-sends its IPI, unless the target is visibly busy.
 */
import type { Ctx } from '../protocol/context.js';
import { ring } from '../protocol/doorbell.js';
import type { CompiledTable } from '../table.js';
import { nextStallTimeout, stallReport, type StallReport } from './watchdog.js';

const defaultStallReporter = (r: StallReport): void => console.warn(r.message);

export class StallWatch {
  /** Where reports go (the domain's event on the main thread; forwarded there from workers). */
  onStall: ((r: StallReport) => void) | undefined;
  private readonly began = new Map<number, number>();

  constructor(
    private readonly ctx: Ctx,
    private readonly table: CompiledTable,
    /** Slots held by blocking calls on this agent's stack (named in a slot wait's report). */
    private readonly stackHeld: () => number,
  ) {}

  /** Host: see protocol `Host.stalled`. */
  stalled(index: number, waitedMs: number, ended: boolean): number {
    // The protocol counts only timed-out parks; measure the real span of a reported stall here.
    const now = performance.now();
    const began = this.began.get(index) ?? now - waitedMs;
    if (ended) this.began.delete(index);
    else this.began.set(index, began);
    const { targetBusy, ...report } = stallReport(this.ctx, this.table, this.ctx.id, index, Math.round(now - began), ended, this.stackHeld());
    try {
      (this.onStall ?? defaultStallReporter)(report);
    } catch (e) {
      console.error('smpcall: a stall listener threw:', e);
    }
    if (ended) return this.ctx.parkTimeoutMs;
    if (report.target >= 0 && !targetBusy) ring(this.ctx, report.target);
    return nextStallTimeout(waitedMs);
  }
}
