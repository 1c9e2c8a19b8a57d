/**
 * Both vCPU placements in one report. On a virtual machine the host puts the two threads of a run
 * on cores that share a cache or on cores that do not, and keeps that choice for the whole process:
 * the spin floor (a shared word ping-ponged by two spinning threads) is then about 0.07 µs or about
 * 0.35 µs on the 2-core machine this was written on, and every ratio to the floor moves with it. One
 * run sees one placement. So every run records its floor-relative goals under the placement it saw,
 * in a small history file beside the results, and the report shows each goal at this run's placement
 * and at the other one, as last measured (with its date and floor).
 *
 * The split is by the floor itself: a round trip through a line that two cores share costs about
 * 0.05–0.15 µs on current x86 and ARM parts; one that crosses to another core complex or socket
 * costs 0.3 µs and more. A machine whose cores all share a cache only ever shows "near".
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Placement = 'near' | 'far';

/** Round trips of the spin floor below this (µs) went through a cache the two cores share. */
export const NEAR_FLOOR_US = 0.2;

export const placementOf = (floorUs: number): Placement => (floorUs < NEAR_FLOOR_US ? 'near' : 'far');

export const placementLabel = (p: Placement): string => (p === 'near' ? 'cores sharing a cache' : 'cores not sharing a cache');

/** One goal as one run measured it. */
export interface GoalSeen {
  value: string;
  met: boolean | undefined;
  floorUs: number;
  /** ISO date of the run. */
  date: string;
}

/** Per goal (its text, which names the runtime and version), the last run at each placement. */
export type PlacementHistory = Record<string, Partial<Record<Placement, GoalSeen>>>;

export function loadHistory(file: string): PlacementHistory {
  if (!existsSync(file)) return {};
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return h && typeof h === 'object' && !Array.isArray(h) ? (h as PlacementHistory) : {};
  } catch {
    // A history that cannot be read costs only the other placement's column: start a new one.
    return {};
  }
}

export function saveHistory(file: string, h: PlacementHistory): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(h, null, 1) + '\n');
}

/** A floor-relative goal of this run, before it is recorded. */
export interface PlacedGoal {
  what: string;
  value: string;
  met: boolean | undefined;
  /** The spin floor of the run that measured it (µs); goals measured apart from a floor have none. */
  floorUs?: number;
}

/**
 * The other placement's figure for each of this run's goals (read before this run is recorded), and
 * the history with this run recorded under its own placement.
 */
export function placeRun(h: PlacementHistory, goals: PlacedGoal[], date: string): { other: Map<string, GoalSeen & { placement: Placement }>; next: PlacementHistory } {
  const other = new Map<string, GoalSeen & { placement: Placement }>();
  const next: PlacementHistory = { ...h };
  for (const g of goals) {
    if (g.floorUs === undefined || !(g.floorUs > 0)) continue;
    const here = placementOf(g.floorUs);
    const there: Placement = here === 'near' ? 'far' : 'near';
    const seen = h[g.what]?.[there];
    if (seen) other.set(g.what, { ...seen, placement: there });
    next[g.what] = { ...h[g.what], [here]: { value: g.value, met: g.met, floorUs: g.floorUs, date } };
  }
  return { other, next };
}
