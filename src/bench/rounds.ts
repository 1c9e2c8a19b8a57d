/**
 * The engine: cases measured side by side in interleaved rounds (A B C, B C A, ...), as the demo does
 * (src/demo/measure.ts), plus per-operation latencies into an HdrHistogram. Each round of a case is
 * one batch timed as a whole (its µs per operation feeds the medians and the ratios; no timer inside
 * the loop) and a latency pass of up to `latencyOps` operations timed one by one.
 */
import { median } from '../demo/measure.js';
import { Latencies } from './histogram.js';
import type { Case } from './cases.js';
import type { CaseResult } from './messages.js';

export interface RoundsOptions {
  rounds: number;
  /** Milliseconds one batch of a case should take (the batch size is calibrated to it). */
  targetMs: number;
  latencyOps: number;
  /**
   * Minimum milliseconds of warm-up per case before its batch size is chosen: JIT tiers, and
   * adaptive spinning that settles only once both threads run optimized code (smpcall's callSync
   * needs some 20,000 calls on Node 20 to reach its steady ~1 µs).
   */
  warmMs: number;
  onStep?: (done: number, total: number) => void;
}

const now = (): number => performance.now();
const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as { then?: unknown } | null)?.then === 'function';

function idle(us: number): void {
  const until = now() + us / 1000;
  while (now() < until);
}

/** Warm up for at least `warmMs`, then choose `n` so that one batch takes about `targetMs`. */
async function calibrate(c: Case, targetMs: number, warmMs: number): Promise<number> {
  const start = now();
  if (c.gapUs !== undefined) {
    for (let k = 0; k < 20 || now() - start < warmMs; k++) await c.one!();
    return Math.max(5, Math.min(200, Math.round((targetMs * 1000) / (c.gapUs + 50))));
  }
  let n = 1;
  for (;;) {
    const t0 = now();
    const r = await c.batch(n);
    const ms = c.timedElsewhere ? (r as number) : now() - t0;
    const warm = now() - start >= warmMs;
    // Grow while the batch is short; past 1/4 of the target, repeat it until warm.
    if ((ms >= targetMs / 4 && warm) || n >= 1 << 22) return Math.max(1, Math.min(1 << 22, Math.round((n * targetMs) / Math.max(ms, 1e-3))));
    if (ms < targetMs / 4) n *= 4;
  }
}

async function latencyPass(c: Case, m: number, into: Latencies): Promise<number> {
  if (c.timedElsewhere) {
    const xs = await c.timedElsewhere.samples(m);
    let sum = 0;
    for (let k = 0; k < xs.length; k++) {
      into.record(xs[k]!);
      sum += xs[k]!;
    }
    return sum / xs.length;
  }
  const one = c.one!;
  let sum = 0;
  for (let k = 0; k < m; k++) {
    if (c.gapUs) idle(c.gapUs);
    const t0 = now();
    const r = one();
    if (isThenable(r)) await r;
    const us = (now() - t0) * 1000;
    into.record(us);
    sum += us;
  }
  return sum / m;
}

export async function measureRounds(cases: Case[], o: RoundsOptions): Promise<CaseResult[]> {
  const live = cases.map((c) => ({ c, n: 0, per: [] as number[], lat: c.one || c.timedElsewhere ? new Latencies() : undefined, failed: undefined as string | undefined }));
  const total = cases.length * (o.rounds + 1);
  let done = 0;
  const step = (): void => o.onStep?.(++done, total);
  for (const x of live) {
    try {
      x.n = await calibrate(x.c, o.targetMs, o.warmMs);
    } catch (e) {
      x.failed = firstLine(e);
    }
    step();
  }
  for (let r = 0; r < o.rounds; r++) {
    for (let k = 0; k < live.length; k++) {
      // Rotate the order each round so that no case always runs right after the same neighbour.
      const x = live[(k + r) % live.length]!;
      if (x.failed) {
        step();
        continue;
      }
      try {
        if (x.c.gapUs !== undefined) {
          x.per.push(await latencyPass(x.c, x.n, x.lat!));
        } else {
          const t0 = now();
          const res = await x.c.batch(x.n);
          const ms = x.c.timedElsewhere ? (res as number) : now() - t0;
          x.per.push((ms * 1000) / x.n);
          if (x.lat) await latencyPass(x.c, Math.min(x.n, o.latencyOps), x.lat);
        }
      } catch (e) {
        x.failed = firstLine(e);
      }
      step();
    }
  }
  return live.map(({ c, per, lat, failed }) => {
    const { id, label, system, kind, floor, ref, payload } = c;
    const out: CaseResult = { id, label, system, kind, us: per.length ? median(per) : NaN, rounds: per };
    Object.assign(out, floor && { floor }, ref && { ref }, payload && { payload });
    if (lat && lat.count > 0) Object.assign(out, lat.percentiles());
    if (failed) out.failed = failed;
    return out;
  });
}

export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return msg.split('\n')[0]!.slice(0, 200);
}
