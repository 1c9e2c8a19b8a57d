/**
 * Side-by-side measurement on a noisy shared machine: contenders are measured in interleaved
 * rounds (A B C D, A B C D, ...), each round a batch of back-to-back operations, and the medians are
 * reported. A ratio is the median over rounds of the per-round ratio, so both sides of it were
 * measured within moments of each other.
 */
export interface Contender {
  name: string;
  /** Run `n` operations; may be async. */
  batch(n: number): void | Promise<void>;
  /** Operations per batch (slow contenders use fewer). */
  n: number;
}

export interface Sample {
  name: string;
  /** Median microseconds per operation over the rounds. */
  us: number;
  /** Per-round microseconds per operation. */
  rounds: number[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function measure(contenders: Contender[], rounds: number, onRound?: (r: number) => void): Promise<Sample[]> {
  const per: number[][] = contenders.map(() => []);
  // Warm-up: JIT and caches, not counted.
  for (const c of contenders) await c.batch(Math.max(1, c.n >> 2));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[k]!;
      const t0 = performance.now();
      await c.batch(c.n);
      per[k]!.push(((performance.now() - t0) * 1000) / c.n);
    }
    onRound?.(r);
  }
  return contenders.map((c, k) => ({ name: c.name, us: median(per[k]!), rounds: per[k]! }));
}

/** Median over rounds of a.rounds[r] / b.rounds[r]. */
export const ratio = (a: Sample, b: Sample): number => median(a.rounds.map((x, r) => x / b.rounds[r]!));
