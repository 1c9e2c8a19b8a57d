/** How the report writes figures: times, rates, ratios, sizes, and markdown tables. */
export const fmtUs = (us: number | undefined): string =>
  us === undefined || !Number.isFinite(us)
    ? '–'
    : us >= 10_000
      ? `${(us / 1000).toFixed(1)} ms`
      : us >= 100
        ? `${us.toFixed(0)} µs`
        : us >= 10
          ? `${us.toFixed(1)} µs`
          : `${us.toFixed(2)} µs`;
export const fmtRate = (us: number): string => {
  const r = 1e6 / us;
  return !Number.isFinite(r) ? '–' : r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)} k/s` : `${r.toFixed(0)}/s`;
};
export const fmtX = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 100 ? `${x.toFixed(0)}x` : x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`);
/** A speed-up (>1: faster) in words. */
export const fmtSpeedup = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 1 ? `${fmtX(x)} faster` : `${fmtX(1 / x)} slower`);
export const fmtBytes = (b: number): string =>
  Math.abs(b) >= 1 << 20 ? `${(b / (1 << 20)).toFixed(2)} MiB` : Math.abs(b) >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`;

/** A markdown table; `align` per column. */
export function table(head: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const line = (r: string[]): string => `| ${r.join(' | ')} |`;
  return [line(head), `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map(line)].join('\n');
}
