/**
 * `npm run bench` options, shared by the driver and the case runners it starts (which get them on
 * their command line).
 */
import { parseOptions, type OptionSpec } from '../cli-options.js';

export const RUNTIMES = ['node20', 'node24', 'deno2', 'bun1'] as const;
/** The session the driver runs itself, in headless Chromium, instead of asking the runtimes (src/bench/browser/). */
export const BROWSER_SESSION = 'browser';
export const SESSIONS = ['main', 'broadcast-1', 'broadcast-2', 'broadcast-4', 'broadcast-8', 'oversubscribed', 'parked', 'worker-caller', 'payload', 'prettier-sync', BROWSER_SESSION] as const;
/** The sessions each runtime's case runner measures. */
export const runtimeSessions = (s: Settings): string[] => s.sessions.filter((x) => x !== BROWSER_SESSION);

export interface Settings {
  quick: boolean;
  runtimes: string[];
  sessions: string[];
  rounds: number;
  /** Milliseconds per batch of each case. */
  targetMs: number;
  latencyOps: number;
  /** Minimum warm-up per case (ms). */
  warmMs: number;
  sizes: number[];
  /** Inline callSync calls for the allocation figures (0: skip). */
  allocationCalls: number;
  out?: string;
  charts: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** What is wrong with a list of payload sizes, if anything. */
function sizesProblem(v: string): string | undefined {
  const bad = v.split(',').find((x) => !/^\d+$/.test(x) || Number(x) < 1 || Number(x) > 64 * MiB);
  return bad === undefined ? undefined : `--sizes takes sizes in bytes (1..${64 * MiB}), not "${bad}"`;
}

const OPTIONS: Record<string, OptionSpec> = {
  '--quick': 'flag',
  '--no-charts': 'flag',
  '--help': 'flag',
  '-h': 'flag',
  '--runtimes': { listOf: RUNTIMES, what: 'runtime' },
  '--sessions': { listOf: SESSIONS, what: 'session' },
  '--rounds': { min: 1, max: 1000, whole: true },
  '--target-ms': { min: 1, max: 60_000, whole: false },
  '--latency-ops': { min: 1, max: 10_000_000, whole: true },
  '--warm-ms': { min: 0, max: 600_000, whole: false },
  '--allocation': { min: 0, max: 100_000_000, whole: true },
  '--sizes': { problem: sizesProblem },
  '--out': 'text',
  '--from': 'text',
};

/**
 * Parse strictly (cli-options.ts): nothing is ignored or defaulted. `--startup [N]` is the driver's
 * own mode, read before this.
 */
export function parseSettings(argv: string[]): Settings {
  const rest = argv.filter((a, i) => a !== '--startup' && !(argv[i - 1] === '--startup' && /^\d+$/.test(a)));
  const given = parseOptions(rest, OPTIONS);
  const value = (name: string): string | undefined => given.get(name);
  const list = (name: string): string[] | undefined => value(name)?.split(',');
  const num = (name: string): number | undefined => (value(name) === undefined ? undefined : Number(value(name)));
  const quick = given.has('--quick');
  const s: Settings = {
    quick,
    runtimes: list('--runtimes') ?? [...RUNTIMES],
    sessions: list('--sessions') ?? [...SESSIONS],
    rounds: num('--rounds') ?? (quick ? 4 : 12),
    targetMs: num('--target-ms') ?? (quick ? 8 : 20),
    latencyOps: num('--latency-ops') ?? (quick ? 300 : 2000),
    warmMs: num('--warm-ms') ?? (quick ? 100 : 300),
    sizes: list('--sizes')?.map(Number) ?? (quick ? [8, KiB, 64 * KiB, MiB] : [8, 64, 512, 4 * KiB, 32 * KiB, 256 * KiB, MiB]),
    allocationCalls: num('--allocation') ?? (quick ? 200_000 : 1_000_000),
    charts: !given.has('--no-charts'),
  };
  const out = value('--out');
  if (out) s.out = out;
  return s;
}

/** The same settings as command-line arguments, for a case runner. */
export function settingsArgs(s: Settings): string[] {
  return [
    '--sessions', runtimeSessions(s).join(','),
    '--rounds', String(s.rounds),
    '--target-ms', String(s.targetMs),
    '--latency-ops', String(s.latencyOps),
    '--warm-ms', String(s.warmMs),
    '--sizes', s.sizes.join(','),
  ];
}

export const USAGE = `usage: smpcall bench [options]     (npm run bench -- [options])

  --quick              about a minute: fewer rounds and sizes (default: the full run, under 10 minutes)
  --runtimes LIST      of ${RUNTIMES.join(',')} (default all; Node 24, Deno and Bun come from npm via npx)
  --sessions LIST      of ${SESSIONS.join(',')}
                       (browser: headless Chromium, 3 page loads, smpcall beside coincident, comlink and
                       postMessage; \`--sessions browser\` runs it alone, without the runtimes)
  --rounds N           interleaved rounds per session
  --target-ms N        milliseconds per batch of each case
  --warm-ms N          minimum warm-up per case before it is measured
  --sizes LIST         payload sizes in bytes
  --allocation N       inline callSync calls for the allocation figures (0 skips them)
  --out DIR            where the report goes (default bench/results/<date>); each run's goals are also
                       kept in placements.json beside DIR, under the vCPU placement its spin floor
                       shows, and the report gives each goal at the other placement as last seen
  --no-charts          skip the SVG charts
  --from DIR           write DIR/report.md and the charts again from DIR/results.json, measuring nothing
  --startup [N]        only the start-up comparison: nothing loaded to first result, smpcall beside
                       synckit, median of N fresh processes per case (default 5), with its breakdown`;
