/**
 * What the browser benchmark page (examples/browser-bench/bench.js) publishes for one page load, and
 * the figures of several loads put together: each the median over the loads, with every load's value
 * beside it (their spread is the run's noise).
 */
import { median } from '../../demo/measure.js';

export interface PageGroup {
  /** 'a', 'b', 'c' */
  id: string;
  title: string;
  /** Per contender: the call it makes, in code. */
  how: Record<string, string>;
  /** Contenders that cannot make this call, and why. */
  na: Record<string, string>;
  /** Per contender: median µs per call over the rounds, the batch size, each round's µs per call. */
  results: Record<string, { us: number; n: number; rounds: number[] }>;
  /** 'x/y': the median over rounds of x's time over y's. */
  ratios: Record<string, number>;
}

export interface PageResults {
  /** "Chromium 150.0.7871.100" */
  browser: string;
  cores: number;
  isolated: boolean;
  settings: { rounds: number; batchMs: number; warmupMs: number };
  seconds: number;
  groups: PageGroup[];
}

/** A figure over page loads: their median, and each load's value in load order. */
export interface Figure {
  median: number;
  loads: number[];
}

export interface BrowserGroup {
  id: string;
  title: string;
  how: Record<string, string>;
  na: Record<string, string>;
  /** Per contender: µs per call. */
  us: Record<string, Figure>;
  /** 'x/y': x's time over y's, side by side. */
  ratios: Record<string, Figure>;
}

export interface BrowserRun {
  /** "Chromium 150.0.7871.100" */
  browser?: string;
  cores?: number;
  settings: { rounds: number; batchMs: number; warmupMs: number; loads: number };
  /** Page loads that finished. */
  loads: number;
  /** Each load's own time on the page. */
  pageSeconds: number[];
  seconds: number;
  groups: BrowserGroup[];
  /** Not run, and why (no Chromium here). */
  skipped?: string;
  failed?: string;
}

const figure = (loads: number[]): Figure => ({ median: median(loads), loads });

/** Per group and figure, the median over the loads (every load measured the same groups). */
export function mergeLoads(loads: PageResults[]): Pick<BrowserRun, 'browser' | 'cores' | 'loads' | 'pageSeconds' | 'groups'> {
  const first = loads[0];
  if (!first) throw new Error('no page load finished');
  const groups = first.groups.map((g): BrowserGroup => {
    const each = loads.map((l) => {
      const same = l.groups.find((x) => x.id === g.id);
      if (!same) throw new Error(`a page load has no group ${g.id}`);
      return same;
    });
    const over = (pick: (x: PageGroup) => number | undefined, what: string): Figure =>
      figure(
        each.map((x) => {
          const v = pick(x);
          if (v === undefined) throw new Error(`a page load has no ${what} in group ${g.id}`);
          return v;
        }),
      );
    return {
      id: g.id,
      title: g.title,
      how: g.how,
      na: g.na,
      us: Object.fromEntries(Object.keys(g.results).map((name) => [name, over((x) => x.results[name]?.us, name)])),
      ratios: Object.fromEntries(Object.keys(g.ratios).map((pair) => [pair, over((x) => x.ratios[pair], pair)])),
    };
  });
  return { browser: first.browser, cores: first.cores, loads: loads.length, pageSeconds: loads.map((l) => l.seconds), groups };
}
