/**
 * Reporting: statistics at an interval (a cli-progress bar on a terminal, or one line per interval),
 * and the final table per operation kind. cli-progress is optional (a dev tool, not a dependency of
 * the library): without it, lines are printed.
 */
import { KINDS, METRICS, ERROR_METRICS, type KindName } from './kinds.js';

export interface Snapshot {
  elapsedMs: number;
  durationMs: number;
  calls: number;
  ops: number;
  errors: number;
  kills: number;
  stalls: number;
}

export interface Progress {
  update(s: Snapshot): void;
  stop(s: Snapshot): void;
}

const rate = (n: number, ms: number): number => (ms > 0 ? Math.round((n * 1000) / ms) : 0);

function line(s: Snapshot): string {
  return `[torture ${(s.elapsedMs / 1000).toFixed(1)}s/${(s.durationMs / 1000).toFixed(0)}s] calls ${s.calls} (${rate(s.calls, s.elapsedMs)}/s), ops ${s.ops}, errors ${s.errors}, stalls ${s.stalls}, kills ${s.kills}`;
}

export async function makeProgress(mode: 'bar' | 'lines' | 'none', log: (l: string) => void): Promise<Progress> {
  if (mode === 'none') return { update: () => {}, stop: () => {} };
  if (mode === 'bar') {
    try {
      const cp = (await import('cli-progress')) as unknown as { default?: typeof import('cli-progress') } & typeof import('cli-progress');
      const { SingleBar, Presets } = cp.default ?? cp;
      const bar = new SingleBar(
        { format: 'torture {bar} {percentage}% | {secs}s | {calls} calls {rate}/s | errors {errors} | stalls {stalls} | kills {kills}', hideCursor: true, clearOnComplete: false },
        Presets.shades_classic,
      );
      let started = false;
      const payload = (s: Snapshot) => ({ secs: (s.elapsedMs / 1000).toFixed(0), calls: s.calls, rate: rate(s.calls, s.elapsedMs), errors: s.errors, stalls: s.stalls, kills: s.kills });
      return {
        update(s) {
          if (!started) {
            bar.start(s.durationMs, 0, payload(s));
            started = true;
          }
          bar.update(Math.min(s.elapsedMs, s.durationMs), payload(s));
        },
        stop(s) {
          if (started) {
            bar.update(Math.min(s.elapsedMs, s.durationMs), payload(s));
            bar.stop();
          }
        },
      };
    } catch {
      // No cli-progress here (an installed package without dev tools): lines.
    }
  }
  return { update: (s) => log(line(s)), stop: (s) => log(line(s)) };
}

/** Counts per operation kind, each a record from metric name (calls, runs, ok, lost, ...) to count. */
export type Counts = Record<KindName, Record<string, number>>;

/** The final table: one row per operation kind that ran, then the totals. */
export function table(perKind: Counts, totals: Record<string, number>): string {
  const cols = METRICS as readonly string[];
  const rows: string[][] = [['kind', ...cols]];
  for (const k of KINDS) if (perKind[k]!.calls! > 0) rows.push([k, ...cols.map((m) => String(perKind[k]![m] ?? 0))]);
  rows.push(['total', ...cols.map((m) => String(totals[m] ?? 0))]);
  const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(width[c]!) : x.padStart(width[c]!))).join('  ');
  const errorCols = new Set(ERROR_METRICS.map((m) => METRICS[m]));
  const legend =
    `(errors: ${[...errorCols].join(', ')}; "lost" = never ran; "order" = ran after a later call from the same caller to the same target; ` +
    `"affected" = hit by an injected fault and told so)`;
  return [fmt(rows[0]!), ...rows.slice(1).map(fmt), legend].join('\n');
}

/** One line with the count of every outcome and every error category, e.g. "outcomes: ok 5, gave-up 1, ...; errors: lost 0, order 2, ...". */
export function categories(totals: Record<string, number>): string {
  const errorCols = new Set(ERROR_METRICS.map((m) => METRICS[m]!));
  const outcomes = METRICS.filter((m) => m !== 'calls' && m !== 'runs' && !errorCols.has(m));
  const show = (names: readonly string[]): string => names.map((m) => `${m} ${totals[m] ?? 0}`).join(', ');
  return `outcomes: ${show(outcomes)}; errors: ${show([...errorCols])}`;
}

/** The error categories that were seen, e.g. "order 3, lost 1" ('' when none). */
export function errorSummary(totals: Record<string, number>): string {
  return ERROR_METRICS.map((m) => METRICS[m]!)
    .filter((m) => (totals[m] ?? 0) > 0)
    .map((m) => `${m === 'order' ? 'order violations' : m} ${totals[m]}`)
    .join(', ');
}
