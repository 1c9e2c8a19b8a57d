/**
 * Latency percentiles with an HdrHistogram (hdr-histogram-js): values recorded in nanoseconds with 3
 * significant digits, read back in microseconds.
 */
import type { Histogram } from 'hdr-histogram-js';

type Build = (request: object) => Histogram;
let build: Build | undefined;

/** Load hdr-histogram-js once; a clear message when it is not installed. */
export async function loadHistograms(): Promise<void> {
  if (build) return;
  try {
    const mod = (await import('hdr-histogram-js')) as { build?: Build; default?: { build: Build } };
    build = mod.build ?? mod.default!.build;
  } catch (e) {
    throw new Error(`smpcall bench needs hdr-histogram-js (npm i -D hdr-histogram-js): ${(e as Error).message}`);
  }
}

export interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  samples: number;
}

export class Latencies {
  private readonly h: Histogram;
  constructor() {
    if (!build) throw new Error('loadHistograms() first');
    this.h = build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e11, numberOfSignificantValueDigits: 3 });
  }
  /** One operation's latency, in microseconds. */
  record(us: number): void {
    this.h.recordValue(Math.max(1, Math.round(us * 1000)));
  }
  get count(): number {
    return this.h.totalCount;
  }
  percentiles(): Percentiles {
    const at = (p: number): number => this.h.getValueAtPercentile(p) / 1000;
    return { p50: at(50), p99: at(99), p999: at(99.9), max: this.h.maxValue / 1000, samples: this.h.totalCount };
  }
}
