/**
 * `start()`'s options: what each means, the defaults, and the one check that refuses bad ones before
 * anything is imported or spawned.
 */
import { SmpcallError, codes } from '../errors.js';
import { MAX_TOTAL_SLOTS } from '../layout.js';
import type { CallTable } from '../table.js';

/**
 * Options of `start`.
 *
 * @example
 * ```ts
 * await start({ workers: 4, calls: new URL('./calls.js', import.meta.url), slotsPerAgent: 16, spin: 0, restart: 3 });
 * ```
 */
export interface StartOptions {
  /** Number of worker agents (ids 1..workers). */
  workers: number;
  /**
   * URL (or URL string) of a module whose default export is `defineCalls({...})`: every agent imports
   * it. Or, with `worker`, the table itself (a bundled page: each worker's own module has it too).
   */
  calls: URL | string | CallTable;
  /**
   * Browsers: make the Web Worker that agent `id` runs in, instead of the library's own worker module.
   * For bundled pages (Vite, esbuild, webpack...), which bundle a worker only when they see
   * `new Worker(new URL('./agent.js', import.meta.url), { type: 'module' })` in the app's own code.
   * That module calls `serveCalls(calls)` from 'smpcall/web-worker' with the page's table.
   */
  worker?: (id: number) => unknown;
  /** Call slots each agent owns (its maximum number of calls in flight). Default 64. */
  slotsPerAgent?: number;
  /** Bytes of arena per slot, for arguments and results that do not fit inline. Default 16 KiB. */
  arenaPerSlot?: number;
  /** Bytes of big arena per agent, for payloads larger than `arenaPerSlot`. Default 4 MiB. */
  bigArena?: number;
  /** Microseconds an idle or waiting agent spins before parking. Default 50. */
  spin?: number;
  /** A wait longer than this (ms) is reported by the stall watchdog. Default 5000. */
  stallMs?: number;
  /**
   * A call that waits longer than this (ms) for a free slot of its caller's own pool fails with
   * ERR_SMPCALL_NO_SLOT instead of waiting on: such a wait can be a cycle that never ends (see the
   * README's limits). Default: twice `stallMs`, so the watchdog has said where the slots are first.
   */
  slotWaitMs?: number;
  /** How long start() waits for every worker to serve (ms) before it fails with ERR_SMPCALL_START_FAILED. Default 60000. */
  startTimeoutMs?: number;
  /**
   * Replace a worker that exits unexpectedly with a fresh one under the same agent id: `true`, or the
   * most restarts per agent. Calls that were in flight on the old thread fail with ERR_SMPCALL_AGENT_GONE.
   * Replacements that die before they serve are retried after a backoff (10 ms doubling to 2 s).
   */
  restart?: boolean | number;
}

/** The options with every default filled in. */
export interface Settings {
  workers: number;
  slotsPerAgent: number;
  arenaPerSlot: number;
  bigArena: number;
  spinUs: number;
  stallMs: number;
  slotWaitMs: number;
  startTimeoutMs: number;
  maxRestarts: number;
  /** Where the workers import the table from; '' when the app's own worker module has it (`worker`). */
  callsUrl: string;
  /** The table given as an object (with `worker`): nothing to import. */
  table: CallTable | undefined;
  worker: ((id: number) => unknown) | undefined;
}

const MAX_SPIN_US = 10_000_000;

function ms(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0)) throw new SmpcallError(codes.USAGE, `start(): ${name} must be a number of milliseconds > 0 (Infinity: no limit), got ${String(v)}`);
  return v;
}

/** `restart`: false/true, or how many restarts per agent (an integer >= 0, or Infinity). */
function restarts(v: unknown): number {
  if (v === undefined || v === false) return 0;
  if (v === true) return Infinity;
  if (typeof v === 'number' && (v === Infinity || (Number.isInteger(v) && v >= 0))) return v;
  throw new SmpcallError(codes.USAGE, `start(): restart must be true, false or a number of restarts >= 0, got ${String(v)}`);
}

function positiveInt(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SmpcallError(codes.USAGE, `start(): ${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

/** Every option `start()` knows; any other key is a typo (`wrokers`) and is refused, not ignored. */
const OPTION_KEYS: Record<keyof StartOptions, true> = {
  workers: true, calls: true, worker: true, slotsPerAgent: true, arenaPerSlot: true, bigArena: true, spin: true, stallMs: true,
  slotWaitMs: true, startTimeoutMs: true, restart: true,
}; // a Record: an option added to StartOptions and not here is a compile error
const KNOWN: ReadonlySet<string> = new Set(Object.keys(OPTION_KEYS));

/** Validate `start()`'s options and fill in the defaults. */
export function checkOptions(options: StartOptions): Settings {
  if (options === null || typeof options !== 'object') throw new SmpcallError(codes.USAGE, 'start() needs an options object');
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new SmpcallError(codes.USAGE, `start(): unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...KNOWN].join(', ')})`);
  }
  const workers = positiveInt('workers', options.workers, 0, 1000);
  const slotsPerAgent = positiveInt('slotsPerAgent', options.slotsPerAgent ?? 64, 1, 65536);
  // Every slot index must fit an inbox head next to the agent's incarnation (layout.ts).
  if ((workers + 1) * slotsPerAgent > MAX_TOTAL_SLOTS) {
    throw new SmpcallError(codes.USAGE, `start(): ${workers + 1} agents × ${slotsPerAgent} slots is more than the ${MAX_TOTAL_SLOTS} slots a domain can address; lower slotsPerAgent`);
  }
  const arenaPerSlot = positiveInt('arenaPerSlot', options.arenaPerSlot ?? 16384, 0, 1 << 28);
  const bigArena = positiveInt('bigArena', options.bigArena ?? 4 << 20, 0, 2 ** 31 - 1);
  const spinUs = options.spin ?? 50;
  const stallMs = options.stallMs ?? 5000;
  // A spin is time burnt on a core: finite, and at most a second.
  if (typeof spinUs !== 'number' || !(spinUs >= 0 && spinUs <= MAX_SPIN_US)) {
    throw new SmpcallError(codes.USAGE, `start(): spin must be a number of microseconds in 0..${MAX_SPIN_US}, got ${String(options.spin)}`);
  }
  // Times: a number > 0 of milliseconds, or Infinity for no limit.
  const stall = ms('stallMs', stallMs);
  const slotWaitMs = ms('slotWaitMs', options.slotWaitMs ?? 2 * stall);
  const startTimeoutMs = ms('startTimeoutMs', options.startTimeoutMs ?? 60_000);
  const maxRestarts = restarts(options.restart);
  const worker = options.worker;
  if (worker !== undefined && typeof worker !== 'function') {
    throw new SmpcallError(codes.USAGE, `start(): worker must be a function (id) => new Worker(new URL('./agent.js', import.meta.url), { type: 'module' }), got ${typeof worker}`);
  }
  let callsUrl = '';
  let table: CallTable | undefined;
  if (options.calls !== null && typeof options.calls === 'object' && !(options.calls instanceof URL)) {
    // A table object: only the app's own worker module can have it too.
    if (worker === undefined && workers > 0) {
      throw new SmpcallError(codes.USAGE, "start(): calls is a table, so the workers need it from their own module: pass worker: (id) => new Worker(new URL('./agent.js', import.meta.url), { type: 'module' }), whose module calls serveCalls(calls) from 'smpcall/web-worker'; or pass calls as the URL of the calls module");
    }
    table = options.calls;
  } else {
    try {
      callsUrl = new URL(String(options.calls)).href;
    } catch {
      throw new SmpcallError(codes.USAGE, `start(): calls must be a URL (e.g. new URL('./calls.js', import.meta.url)), got ${String(options.calls)}`);
    }
  }
  return { workers, slotsPerAgent, arenaPerSlot, bigArena, spinUs, stallMs: stall, slotWaitMs, startTimeoutMs, maxRestarts, callsUrl, table, worker };
}
