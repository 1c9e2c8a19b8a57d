/**
 * `torture(options)`: the scftorture idea for smpcall. Every agent runs a driver that makes a random,
 * weighted mix of calls for a while; every call has an id and a check value, and a shared ledger
 * records who ran what, so at the end (and all along) the run knows exactly which calls were lost,
 * run out of order (after a later call from the same caller to the same target), duplicated,
 * misrouted, answered wrongly, finished after their caller gave up, and whether any
 * slot leaked or any wait stalled. Optionally it kills random workers meanwhile.
 *
 * The main thread (agent 0) is the controller (progress, faults, checks) and a driver too.
 */
import { start, type AgentStats, type StallReport } from '../index.js';
import type { TortureCalls } from './calls.js';
import { drive, type DriveConfig } from './driver.js';
import { setLedger } from './current-ledger.js';
import { A_CUR_KIND, A_CUR_SINCE, A_DRIVING, A_KILLING, A_OPS, H_STOP, createLedger, RECORD_WORDS, type Ledger } from './ledger.js';
import { retire } from './records.js';
import { ERROR_METRICS, KINDS, METRICS, type KindName } from './kinds.js';
import { cores, resolveOptions, type Resolved, type TortureOptions } from './options.js';
import { categories, errorSummary, makeProgress, table, type Counts, type Snapshot } from './report.js';
import { restarted, startFaults, type Injector } from './faults.js';
import { rng } from '../random.js';
import { droppedErrors, seen, setErrorSink } from './errors-seen.js';

export { type TortureOptions, type TortureArgs, type Resolved, TortureUsageError, parseArgs, USAGE } from './options.js';
export type { Counts } from './report.js';
export { KINDS, METRICS, type KindName } from './kinds.js';

/** What a torture run found (`torture()` resolves to it; the CLI prints it, or `--json` does). */
export interface TortureResult {
  /** True when no error of any sort was seen. */
  ok: boolean;
  /** Number of errors of every sort (call errors, stalls, stuck operations, leaks, hang, unexpected exits). */
  errors: number;
  /** The seed of the run: the same seed replays the same random choices. */
  seed: number;
  /** Agents in the domain, the main thread included. */
  agents: number;
  /** Logical cores of the machine. */
  cores: number;
  /** How long the drivers ran (ms). */
  elapsedMs: number;
  /**
   * Per operation kind: calls, runs, ok, gave-up, late, affected, refused and every error count (lost:
   * never ran; order: ran after a later call from the same caller to the same target; dup, ghost, ...).
   */
  perKind: Counts;
  /** The same counts summed over every kind. */
  totals: Record<string, number>;
  /** Calls made per second. */
  callsPerSecond: number;
  /** Executions per second (a call to every agent runs once on each). */
  runsPerSecond: number;
  /** Stall watchdog reports (a wait past stallMs). */
  stalls: number;
  /** Operations seen running for more than twice the stall limit. */
  stuck: number;
  /** The drivers did not finish by the hard deadline. */
  hang: boolean;
  /** Agents whose slots were not all free once everything settled. */
  leaks: {
    /** The agent. */
    agent: number;
    /** How many of its slots were not free. */
    leaked: number;
  }[];
  /** Agents that exited without being killed on purpose, or were not restarted. */
  unexpectedExits: number;
  /** Workers killed on purpose (faults). */
  kills: number;
  /** Workers restarted after a kill. */
  restarts: number;
  /** When the first error was seen, and what it was. */
  firstError?: {
    /** Milliseconds into the run. */
    atMs: number;
    /** The error, as one line. */
    what: string;
  };
  /** The first error lines noted on the main thread (workers print theirs). */
  notes: string[];
  /** The options the run used (resolved). */
  options: Omit<Resolved, 'log'>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function counts(L: Ledger): { perKind: Counts; totals: Record<string, number>; callErrors: number } {
  const perKind = {} as Counts;
  const totals: Record<string, number> = {};
  let callErrors = 0;
  KINDS.forEach((k, kind) => {
    const row: Record<string, number> = {};
    METRICS.forEach((m, metric) => {
      const v = L.counter(kind, metric);
      row[m] = v;
      totals[m] = (totals[m] ?? 0) + v;
      if (ERROR_METRICS.includes(metric)) callErrors += v;
    });
    perKind[k as KindName] = row;
  });
  return { perKind, totals, callErrors };
}

/**
 * Run the torture: start a domain of `agents` agents, drive a random mix of calls from every one of
 * them for `durationMs`, check every call, and say what was found. Prints progress through `log`.
 *
 * @example
 * ```ts
 * import { torture } from 'smpcall/torture';
 * const r = await torture({ durationMs: 30_000, faults: true });
 * if (!r.ok) process.exit(1);
 * ```
 */
export async function torture(options: TortureOptions = {}): Promise<TortureResult> {
  const o = resolveOptions(options);
  const { log } = o;
  const n = o.agents;
  const L = setLedger(createLedger({ agents: n, ringSize: o.ringSize }));
  const notes: string[] = [];
  seen.length = 0;
  setErrorSink((line) => {
    notes.push(line);
    if (o.progress !== 'bar') log(`error: ${line}`);
  });
  const random = rng(o.seed);
  const domain = await start<TortureCalls>({
    workers: n - 1,
    calls: new URL('../torture/calls.js', import.meta.url), // from one folder below dist/ (scripts/bundle.mjs)
    slotsPerAgent: o.slotsPerAgent,
    spin: o.spin,
    stallMs: o.stallMs,
    // Blocking hops can close a cycle through a blocked event loop (see the README's limits): let
    // smpcall break it with ERR_SMPCALL_NO_SLOT (counted as refused) before the watchdog calls it a stall.
    slotWaitMs: o.weights['nested-sync'] > 0 ? Math.max(5, o.stallMs / 10) : undefined,
    restart: o.faults ? true : 0,
  });
  await domain.share(L.i32.buffer as SharedArrayBuffer);
  const weights = KINDS.map((k) => o.weights[k]);
  log(
    `smpcall torture: ${n} agents (main + ${n - 1} workers) on ${cores()} cores, seed ${o.seed}, ${o.durationMs / 1000} s, ` +
      `slots ${o.slotsPerAgent}/agent, spin ${o.spin} µs, stall limit ${o.stallMs} ms, faults ${o.faults ? `every ~${o.faultEveryMs} ms` : 'off'}\n` +
      `  weights: ${KINDS.map((k) => `${k}=${o.weights[k]}`).join(' ')}; payload ${o.payloadRatio}, blocking ${o.syncRatio}`,
  );

  const t0 = Date.now();
  const endAt = t0 + o.durationMs;
  const grace = Math.max(3 * o.stallMs, 15_000);
  let hardDeadline = endAt + grace;
  let stalls = 0;
  let stuck = 0;
  let unexpectedExits = 0;
  let restarts = 0;
  let firstError: TortureResult['firstError'];
  const stallLines: string[] = [];
  const stuckSeen = new Map<number, number>();
  const firstErrorIs = (what: string): void => {
    if (firstError !== undefined) return;
    firstError = { atMs: Date.now() - t0, what };
    if (o.stopOnError) {
      Atomics.store(L.i32, H_STOP, 1);
      hardDeadline = Math.min(hardDeadline, Date.now() + Math.min(grace, 2 * o.stallMs));
    }
  };
  const note = (line: string): void => {
    if (notes.length < 40) notes.push(line);
    if (o.progress !== 'bar') log(`error: ${line}`);
  };

  const cfg: DriveConfig = { seed: o.seed, endAt, t0, weights, payloadRatio: o.payloadRatio, syncRatio: o.syncRatio, window: o.window, flushEvery: o.flushEvery, stallMs: o.stallMs };
  const startDriver = (w: number, generation: number): void => {
    L.store(L.agentWord(w, A_DRIVING), 1);
    try {
      domain.post(w, 'drive', { ...cfg, seed: (o.seed + Math.imul(w, 7919) + Math.imul(generation, 104729)) >>> 0 });
    } catch {
      // It died meanwhile: its restart starts a new driver.
      L.store(L.agentWord(w, A_DRIVING), 0);
    }
  };

  let result: TortureResult | undefined;
  const finish = (hang: boolean, leaks: TortureResult['leaks']): TortureResult => {
    const elapsedMs = Math.max(1, Math.min(Date.now(), endAt) - t0);
    const { perKind, totals, callErrors } = counts(L);
    const errors = callErrors + stalls + stuck + unexpectedExits + leaks.length + (hang ? 1 : 0);
    const { log: _log, ...shown } = o;
    return {
      ok: errors === 0,
      errors,
      seed: o.seed,
      agents: n,
      cores: cores(),
      elapsedMs,
      perKind,
      totals,
      callsPerSecond: Math.round((totals.calls! * 1000) / elapsedMs),
      runsPerSecond: Math.round((totals.runs! * 1000) / elapsedMs),
      stalls,
      stuck,
      hang,
      leaks,
      unexpectedExits,
      kills: injector?.kills ?? 0,
      restarts,
      ...(firstError ? { firstError } : {}),
      notes: [...notes, ...(droppedErrors() > 0 ? [`(${droppedErrors()} more error lines not kept)`] : [])],
      options: shown,
    };
  };
  const printHang = (): void => {
    const now = Date.now() - t0;
    for (let a = 0; a < n; a++) {
      const k = L.load(L.agentWord(a, A_CUR_KIND));
      if (L.load(L.agentWord(a, A_DRIVING)) || k) {
        log(`  agent ${a}: driver ${L.load(L.agentWord(a, A_DRIVING)) ? 'still running' : 'done'}${k ? `, in a "${KINDS[k - 1]}" operation for ${now - L.load(L.agentWord(a, A_CUR_SINCE))} ms` : ''}`);
      }
    }
  };

  domain.on('stall', (r: StallReport) => {
    if (r.ended) return;
    stalls++;
    if (stallLines.length < 10) stallLines.push(r.message);
    note(`stall: ${r.message}`);
    firstErrorIs(`stall: ${r.message}`);
    if (o.exitOnHang && Date.now() > hardDeadline) {
      // The main thread itself is stuck in a blocking wait: this listener is the last word it gets.
      log(`smpcall torture: HANG: still waiting ${Math.round((Date.now() - endAt) / 1000)} s after the end`);
      printHang();
      log(table(counts(L).perKind, counts(L).totals));
      process.exit(1);
    }
  });
  domain.on('exit', (e) => {
    if (e.expected) return;
    if (L.load(L.agentWord(e.agent, A_KILLING)) === 0) {
      unexpectedExits++;
      note(`agent ${e.agent} exited (code ${e.code}) without being killed on purpose`);
      firstErrorIs(`agent ${e.agent} exited unexpectedly`);
    }
    if (!e.restarting) {
      unexpectedExits++;
      note(`agent ${e.agent} exited and will not be restarted`);
      firstErrorIs(`agent ${e.agent} not restarted`);
    }
  });
  domain.on('restart', (e) => {
    restarts++;
    restarted(L, e.agent);
    // Its driver died with the old thread.
    L.store(L.agentWord(e.agent, A_DRIVING), 0);
    L.store(L.agentWord(e.agent, A_CUR_KIND), 0);
    if (Date.now() < endAt - 50 && !L.stopped) startDriver(e.agent, e.restarts);
  });

  for (let w = 1; w < n; w++) startDriver(w, 0);
  let mainDone = false;
  const mainDriver = drive({ ...cfg, seed: o.seed }).finally(() => (mainDone = true));
  const injector: Injector | undefined = o.faults ? startFaults(domain, L, o.faultEveryMs, endAt, random) : undefined;

  const progress = await makeProgress(o.progress, log);
  const snapshot = (): Snapshot => {
    let ops = 0;
    for (let a = 0; a < n; a++) ops += L.load(L.agentWord(a, A_OPS));
    const c = counts(L);
    return {
      elapsedMs: Date.now() - t0,
      durationMs: o.durationMs,
      calls: c.totals.calls!,
      ops,
      errors: c.callErrors + stalls + stuck + unexpectedExits,
      kills: injector?.kills ?? 0,
      stalls,
    };
  };
  const progressTimer = setInterval(() => progress.update(snapshot()), o.statsEveryMs);
  const monitor = setInterval(() => {
    const now = Date.now();
    if (now >= endAt) Atomics.store(L.i32, H_STOP, 1);
    const c = counts(L);
    if (c.callErrors > 0 && firstError === undefined) {
      const kind = KINDS.find((k) => ERROR_METRICS.some((m) => c.perKind[k][METRICS[m]!]! > 0));
      const metric = kind && ERROR_METRICS.map((m) => METRICS[m]!).find((m) => c.perKind[kind][m]! > 0);
      firstErrorIs(notes[0] ?? `${metric === 'order' ? 'order violation' : metric} in "${kind}" calls (details on the worker's stderr)`);
    }
    // An operation running for twice the stall limit is stuck, whatever the watchdog saw.
    for (let a = 0; a < n; a++) {
      if (L.load(L.agentWord(a, A_CUR_KIND)) === 0 || L.load(L.agentWord(a, A_KILLING)) !== 0) continue;
      const since = L.load(L.agentWord(a, A_CUR_SINCE));
      if (now - t0 - since > 2 * o.stallMs && stuckSeen.get(a) !== since) {
        stuckSeen.set(a, since);
        stuck++;
        const kind = KINDS[L.load(L.agentWord(a, A_CUR_KIND)) - 1];
        note(`stuck: agent ${a} has been in a "${kind}" operation for ${now - t0 - since} ms`);
        firstErrorIs(`stuck: agent ${a} in a "${kind}" operation`);
      }
    }
    if (o.exitOnHang && now > hardDeadline + 5000) {
      log('smpcall torture: HANG: the drivers did not finish');
      printHang();
      process.exit(1);
    }
  }, 100);

  try {
    // Wait for every driver (a restarted agent's new one too) and every restart in progress.
    const driving = (): boolean => {
      if (!mainDone) return true;
      for (let a = 1; a < n; a++) if (L.load(L.agentWord(a, A_DRIVING)) || L.load(L.agentWord(a, A_KILLING))) return true;
      return false;
    };
    while (driving() && Date.now() < hardDeadline) await sleep(50);
    injector?.stop();
    Atomics.store(L.i32, H_STOP, 1);
    if (driving()) {
      progress.stop(snapshot());
      log(`smpcall torture: HANG: the drivers did not finish within ${Math.round((hardDeadline - endAt) / 1000)} s after the end`);
      printHang();
      if (firstError === undefined) firstErrorIs('hang: the drivers did not finish');
      result = finish(true, []);
      // Do not wait for a stuck domain: close it in the background and stop the workers.
      const closing = domain.close();
      await Promise.race([closing, sleep(3000)]);
      return result;
    }
    await mainDriver;
    progress.stop(snapshot());

    // Quiesce: every agent fences every other (so every post has landed), then a few rounds of
    // serving settle what dead agents left behind; then every record gets its last check.
    await domain.onEach('fenceAll');
    for (let round = 0; round < 3; round++) {
      await domain.onEach('fence');
      await sleep(20);
    }
    for (let a = 0; a < n; a++) {
      for (let i = 0; i < L.ringSize; i++) retire(L, L.record(a, 0) + i * RECORD_WORDS);
    }
    const leaks: TortureResult['leaks'] = [];
    const stats: AgentStats[] = domain.stats();
    for (const s of stats) {
      if (s.freeSlots !== o.slotsPerAgent) {
        leaks.push({ agent: s.agent, leaked: o.slotsPerAgent - s.freeSlots });
        note(`leak: agent ${s.agent} (${s.state}) has ${o.slotsPerAgent - s.freeSlots} slot(s) not free after everything settled`);
      }
      if (s.state === 'dead') note(`agent ${s.agent} is dead at the end`);
    }
    if (leaks.length > 0) firstErrorIs(`leak: ${leaks.length} agent(s) with slots not free`);
    result = finish(false, leaks);
    await Promise.race([domain.close(), sleep(10_000)]);
    return result;
  } finally {
    clearInterval(progressTimer);
    clearInterval(monitor);
    setErrorSink(undefined);
    if (result) report(result, log, stallLines);
  }
}

function report(r: TortureResult, log: (l: string) => void, stallLines: string[]): void {
  log('');
  log(table(r.perKind, r.totals));
  log('');
  log(
    `${r.totals.calls} calls (${r.callsPerSecond}/s), ${r.totals.runs} runs (${r.runsPerSecond}/s) in ${(r.elapsedMs / 1000).toFixed(1)} s on ${r.agents} agents / ${r.cores} cores; ` +
      `stalls ${r.stalls}, stuck ${r.stuck}, leaks ${r.leaks.length}, hang ${r.hang ? 'YES' : 'no'}, kills ${r.kills}, restarts ${r.restarts}, unexpected exits ${r.unexpectedExits}`,
  );
  log(categories(r.totals));
  for (const s of stallLines.slice(0, 5)) log(`  ${s}`);
  if (r.firstError) log(`first error after ${(r.firstError.atMs / 1000).toFixed(2)} s: ${r.firstError.what}`);
  const calls = errorSummary(r.totals);
  log(r.ok ? `PASS: no error (seed ${r.seed})` : `FAIL: ${r.errors} error(s)${calls ? ` (calls: ${calls})` : ''} (seed ${r.seed}; rerun with --seed ${r.seed})`);
}
