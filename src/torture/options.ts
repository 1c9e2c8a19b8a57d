/**
 * Torture options: their defaults, and parsing them from the command line. Every bad value is a
 * clear error (TortureUsageError) naming the option, never a silent default.
 */
import os from 'node:os';
import { KINDS, type KindName } from './kinds.js';
import { MAX_TORTURE_AGENTS } from './ledger.js';

/**
 * Options of `torture()` (the CLI flags of `smpcall torture` map onto them). Every field is optional.
 *
 * @example
 * ```ts
 * const r = await torture({ durationMs: 10_000, agents: 6, faults: true, seed: 7 });
 * ```
 */
export interface TortureOptions {
  /** Seed of every random choice (operations, targets, faults). Default: from the clock (printed). */
  seed?: number;
  /** How long the drivers run (ms). Default 30 s. */
  durationMs?: number;
  /** Agents in the domain, the main thread included; each runs a driver. Default: cores + 2. */
  agents?: number;
  /** Relative weight of each operation kind; kinds left out get the default weight, 0 disables one. */
  weights?: Partial<Record<KindName, number>>;
  /** Call slots per agent: small pools make slot waits and storms interesting. Default 8. */
  slotsPerAgent?: number;
  /** Spin budget (µs) before parking: 0 or 'park' parks at once; 'always' spins far longer than a call takes. Default 50. */
  spin?: number | 'park' | 'always';
  /** The stall watchdog's limit (ms); a waited call slower than this counts as slow. Default 5000. */
  stallMs?: number;
  /** Kill a random worker about every `faultEveryMs` (ms); every affected call must fail clearly. Default off. */
  faults?: boolean;
  /** Mean time between two kills when `faults` is on (ms). Default 1000. */
  faultEveryMs?: number;
  /** Share of calls carrying a payload (string, array or typed array) instead of numbers only. Default 0.2. */
  payloadRatio?: number;
  /** Share of waited calls made blocking (callSync, callManySync, onEachSync) rather than async. Default 0.5. */
  syncRatio?: number;
  /** Async calls a driver keeps in flight before it awaits them. Default 8. */
  window?: number;
  /** A driver fences its targets and checks its posts every this many operations. Default 256. */
  flushEvery?: number;
  /** Records per agent in the ledger (how long an id stays checkable). Default 32768. */
  ringSize?: number;
  /** Progress: 'bar' (cli-progress, on a TTY), 'lines' (one line per statsEveryMs), 'none'. Default: bar on a TTY, else lines. */
  progress?: 'bar' | 'lines' | 'none';
  /** Interval of the statistics lines (ms). Default 10 s (1 s for the bar). */
  statsEveryMs?: number;
  /** End the run at the first error (used by --broken to say how fast a bug is caught). */
  stopOnError?: boolean;
  /** Where lines go. Default console.log. */
  log?: (line: string) => void;
  /** Exit the process from a stall report when the run is past its hang deadline (the CLI sets it: a hung main thread still reports). */
  exitOnHang?: boolean;
}

/** The options a run used: every default filled in. */
export type Resolved = Required<Omit<TortureOptions, 'weights' | 'spin' | 'log' | 'faults'>> & {
  /** The weight of every kind. */
  weights: Record<KindName, number>;
  /** The spin budget in µs ('park' is 0). */
  spin: number;
  /** Whether workers were killed on purpose. */
  faults: boolean;
  /** Where lines went. */
  log: (line: string) => void;
};

export const DEFAULT_WEIGHTS: Record<KindName, number> = {
  single: 4,
  'single-wait': 4,
  many: 1,
  'many-wait': 1,
  all: 1,
  'all-wait': 1,
  nested: 2,
  storm: 1,
  timeout: 1,
  'nested-sync': 0,
};

/** "Spin always": far longer than any call takes, so a busy agent practically never parks. */
export const SPIN_ALWAYS_US = 20_000;

/**
 * A bad torture option or flag (the message names it).
 *
 * @example
 * ```ts
 * try { parseArgs(['--agents', 'x']); } catch (e) { if (e instanceof TortureUsageError) console.error(e.message); }
 * ```
 */
export class TortureUsageError extends Error {
  /** Always ERR_SMPCALL_USAGE. */
  readonly code = 'ERR_SMPCALL_USAGE';
  constructor(message: string) {
    super(`torture: ${message}`);
    this.name = 'TortureUsageError';
  }
}

export const cores = (): number => os.availableParallelism?.() ?? os.cpus().length;

function int(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TortureUsageError(`${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
  return v;
}
/**
 * The fewest slots per agent the torture's own workload needs. Its nested chains (up to 3 hops, any
 * agents) and bursts hold slots while they wait, and with 1–3 slots they close cycles of slot waits
 * that only the slot wait's time limit breaks: fences then fail and calls are slow, which the torture
 * counts as errors of the library (found by a hostile run: --slots 2 and 3 failed, 4 and up passed).
 */
const MIN_TORTURE_SLOTS = 4;
function slots(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v < MIN_TORTURE_SLOTS) {
    throw new TortureUsageError(
      `slotsPerAgent must be at least ${MIN_TORTURE_SLOTS} for the torture, got ${v}: its nested chains and bursts hold slots while they wait, and smaller pools close cycles of slot waits that only the slot wait's limit breaks (ERR_SMPCALL_NO_SLOT), which the torture would count as failures`,
    );
  }
  return int('slotsPerAgent', v, MIN_TORTURE_SLOTS, 4096);
}
function ratio(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new TortureUsageError(`${name} must be a number in 0..1, got ${String(v)}`);
  return v;
}

export function resolveOptions(o: TortureOptions = {}): Resolved {
  if (o === null || typeof o !== 'object') throw new TortureUsageError('options must be an object');
  const weights = { ...DEFAULT_WEIGHTS };
  for (const [k, w] of Object.entries(o.weights ?? {})) {
    if (!(KINDS as readonly string[]).includes(k)) throw new TortureUsageError(`unknown operation kind "${k}" in weights (known: ${KINDS.join(', ')})`);
    if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) throw new TortureUsageError(`weight of "${k}" must be a number >= 0, got ${String(w)}`);
    weights[k as KindName] = w;
  }
  if (Object.values(weights).every((w) => w === 0)) throw new TortureUsageError('every weight is 0: nothing to run');
  const spin = o.spin === 'park' ? 0 : o.spin === 'always' ? SPIN_ALWAYS_US : o.spin ?? 50;
  if (typeof spin !== 'number' || !(spin >= 0) || !Number.isFinite(spin)) throw new TortureUsageError(`spin must be 'park', 'always' or a number of µs >= 0, got ${String(o.spin)}`);
  const agents = int('agents', o.agents ?? Math.min(cores() + 2, MAX_TORTURE_AGENTS), 2, MAX_TORTURE_AGENTS);
  const progress = o.progress ?? (process.stdout.isTTY ? 'bar' : 'lines');
  if (!['bar', 'lines', 'none'].includes(progress)) throw new TortureUsageError(`progress must be bar, lines or none, got ${String(progress)}`);
  return {
    seed: int('seed', o.seed ?? (Date.now() % 2 ** 31), 0, 2 ** 31 - 1),
    durationMs: int('durationMs', o.durationMs ?? 30_000, 1, 7 * 24 * 3600_000),
    agents,
    weights,
    slotsPerAgent: slots(o.slotsPerAgent ?? 8),
    spin,
    stallMs: int('stallMs', o.stallMs ?? 5000, 10, 3600_000),
    faults: o.faults === true,
    faultEveryMs: int('faultEveryMs', o.faultEveryMs ?? 1000, 10, 3600_000),
    payloadRatio: ratio('payloadRatio', o.payloadRatio ?? 0.2),
    syncRatio: ratio('syncRatio', o.syncRatio ?? 0.5),
    window: int('window', o.window ?? 8, 1, 1024),
    flushEvery: int('flushEvery', o.flushEvery ?? 256, 1, 1 << 20),
    ringSize: int('ringSize', o.ringSize ?? 32768, 1024, 1 << 22),
    progress,
    statsEveryMs: int('statsEveryMs', o.statsEveryMs ?? (progress === 'bar' ? 1000 : 10_000), 50, 3600_000),
    stopOnError: o.stopOnError === true,
    log: o.log ?? ((line) => console.log(line)),
    exitOnHang: o.exitOnHang === true,
  };
}

/** "30s", "10m", "1h", "500ms", or a bare number of seconds. */
export function parseDuration(name: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new TortureUsageError(`${name} must look like 30s, 10m, 1h or 500ms, got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

/** "single=2,single-wait=3" (others keep their default), "only:single-wait,nested" (the others 0), or "mixed". */
export function parseWeights(text: string): Partial<Record<KindName, number>> {
  if (text === 'mixed' || text === '') return {};
  const out: Partial<Record<KindName, number>> = {};
  if (text.startsWith('only:')) {
    for (const k of KINDS) out[k] = 0;
    for (const k of text.slice(5).split(',')) {
      if (!(KINDS as readonly string[]).includes(k)) throw new TortureUsageError(`unknown operation kind "${k}" (known: ${KINDS.join(', ')})`);
      out[k as KindName] = 1;
    }
    return out;
  }
  for (const part of text.split(',')) {
    const [k, w] = part.split('=');
    if (!(KINDS as readonly string[]).includes(k ?? '')) throw new TortureUsageError(`unknown operation kind "${k}" (known: ${KINDS.join(', ')})`);
    const n = Number(w);
    if (w === undefined || w === '' || !(n >= 0)) throw new TortureUsageError(`weight "${part}" must be kind=number >= 0`);
    out[k as KindName] = n;
  }
  return out;
}

/** The `smpcall torture --help` text. */
export const USAGE = `usage: smpcall torture [options]

Runs a random mix of calls between agents for a while and checks every one of them: lost, run
out of order (after a later call from the same caller to the same target), run twice, run on the
wrong agent, wrong result, late after the caller gave up, slot leaks, stalls.
Exits 1 on any error.

  --duration <t>        how long (30s, 10m, 1h; default 30s)
  --agents <n>          agents, the main thread included (default: cores + 2 = ${Math.min(cores() + 2, MAX_TORTURE_AGENTS)})
  --seed <n>            seed of every random choice (default: from the clock; printed)
  --weights <w>         mixed (default) | kind=n,kind=n | only:kind,kind
                        kinds: ${KINDS.join(', ')}
  --slots <n>           call slots per agent, 4 or more (default 8)
  --spin <s>            park | always | µs (default 50)
  --stall-ms <ms>       stall watchdog limit (default 5000)
  --faults              kill a random worker now and then (restart policy on)
  --fault-every <t>     mean time between kills (default 1s)
  --payload <r>         share of calls with a payload (default 0.2)
  --sync <r>            share of waited calls made blocking (default 0.5)
  --progress <p>        bar | lines | none
  --stats-every <t>     interval of the statistics lines (default 10s)
  --stop-on-error       end at the first error
  --json                print the result as JSON at the end
  --broken <mutant>     run against a deliberately broken copy of the protocol (see --list-mutants)
  --list-mutants        list the broken builds --broken knows
`;

/** What `parseArgs` found on a `smpcall torture` command line. */
export interface TortureArgs {
  /** The run's options. */
  options: TortureOptions;
  /** --json: print the result as JSON at the end. */
  json: boolean;
  /** --broken: the mutant to run against. */
  broken?: string;
  /** --list-mutants. */
  listMutants: boolean;
  /** --help. */
  help: boolean;
}

/**
 * Parse `smpcall torture` arguments. Unknown flags are errors (TortureUsageError).
 *
 * @example
 * ```ts
 * const { options } = parseArgs(['--duration', '10m', '--agents', '8']);
 * await torture(options);
 * ```
 */
export function parseArgs(argv: string[]): TortureArgs {
  const options: TortureOptions = {};
  let json = false;
  let broken: string | undefined;
  let listMutants = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new TortureUsageError(`${flag} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = value();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new TortureUsageError(`${flag} needs a number, got "${v}"`);
      return n;
    };
    switch (flag) {
      case '--duration': options.durationMs = parseDuration(flag, value()); break;
      case '--agents': options.agents = num(); break;
      case '--seed': options.seed = num(); break;
      case '--weights': options.weights = parseWeights(value()); break;
      case '--slots': options.slotsPerAgent = num(); break;
      case '--spin': {
        const v = value();
        options.spin = v === 'park' || v === 'always' ? v : Number(v);
        if (typeof options.spin === 'number' && (v.trim() === '' || !Number.isFinite(options.spin))) throw new TortureUsageError(`--spin needs park, always or a number of µs, got "${v}"`);
        break;
      }
      case '--stall-ms': options.stallMs = num(); break;
      case '--faults': options.faults = true; break;
      case '--fault-every': options.faults = true; options.faultEveryMs = parseDuration(flag, value()); break;
      case '--payload': options.payloadRatio = num(); break;
      case '--sync': options.syncRatio = num(); break;
      case '--window': options.window = num(); break;
      case '--flush-every': options.flushEvery = num(); break;
      case '--ring': options.ringSize = num(); break;
      case '--progress': options.progress = value() as TortureOptions['progress']; break;
      case '--stats-every': options.statsEveryMs = parseDuration(flag, value()); break;
      case '--stop-on-error': options.stopOnError = true; break;
      case '--json': json = true; break;
      case '--broken': broken = value(); break;
      case '--list-mutants': listMutants = true; break;
      case '--help': case '-h': help = true; break;
      default: throw new TortureUsageError(`unknown option "${flag}" (see smpcall torture --help)`);
    }
  }
  return { options, json, ...(broken !== undefined ? { broken } : {}), listMutants, help };
}
