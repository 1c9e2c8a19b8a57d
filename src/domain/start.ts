/**
 * `start()`: lay out one SharedArrayBuffer, start the workers, and hand back the domain.
 */
import { allocateShared, type SharedMemory } from '../runtime/shared-memory.js';
import { memFor } from '../runtime/wasm-mem.js';
import { Agent } from '../agent/index.js';
import { setThreadAgent } from '../agent/current.js';
import { spinRoundsFor } from '../agent/spin.js';
import { PAGE_BYTES, makeLayout, writeHeader } from '../layout.js';
import { compileTable, type CallTable } from '../table.js';
import { SmpcallError, codes } from '../errors.js';
import { loadRuntime } from '../runtime/select.js';
import type { Runtime } from '../runtime/runtime.js';
import type { WorkerGroup } from '../runtime/spawn.js';
import { after, type LongTimer } from '../runtime/timers.js';
import { Domain } from './domain.js';
import { Events } from './events.js';
import { checkOptions, type StartOptions } from './options.js';
import { Supervisor } from './supervisor.js';

/**
 * Start a domain: this thread becomes agent 0 and `workers` worker threads agents 1..n, all sharing
 * one SharedArrayBuffer and the call table in `calls`.
 *
 * @example
 * ```ts
 * const domain = await start<typeof import('./calls.js').default>({
 *   workers: 2, calls: new URL('./calls.js', import.meta.url),
 * });
 * await domain.call(1, 'add', 1, 2); // 3
 * await domain.close();
 * ```
 */
export async function start<T extends CallTable = CallTable>(options: StartOptions): Promise<Domain<T>> {
  const { callsUrl, table, worker, startTimeoutMs } = checkOptions(options);
  // The spawn adapter for this runtime (it also refuses a page without SharedArrayBuffer).
  const runtime = await loadRuntime();
  if (worker !== undefined && runtime.name !== 'browser') {
    throw new SmpcallError(codes.USAGE, `start(): the worker option makes Web Workers, for pages; on ${runtime.name} pass calls as the URL of the calls module`);
  }
  // The slowest part of a start is the threads' own start: begin it now, while this thread imports
  // the calls module and lays out the memory.
  if (options.workers !== 0) runtime.prepare?.(options.workers);
  let mod: { default?: unknown };
  let launched: ReturnType<typeof launch<T>>;
  try {
    try {
      mod = table !== undefined ? { default: table } : await importWithin(callsUrl, startTimeoutMs);
    } catch (e) {
      throw new SmpcallError(codes.START_FAILED, `could not import the calls module ${callsUrl}`, { cause: e });
    }
    launched = launch<T>(options, mod.default as CallTable, runtime);
  } catch (e) {
    runtime.discard?.();
    throw e;
  }
  const { domain, ready } = launched;
  await ready;
  return domain;
}

/**
 * Import the calls module here, within the start's time limit: one whose top-level await never
 * settles would otherwise hold `start()` forever (the workers' imports are bounded the same way).
 */
async function importWithin(url: string, ms: number): Promise<{ default?: unknown }> {
  let timer: LongTimer | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = after(ms, () => reject(new Error(`its import did not finish within startTimeoutMs (${ms} ms): a top-level await that never settles?`)));
  });
  try {
    return (await Promise.race([import(url), late])) as { default?: unknown };
  } finally {
    timer?.clear();
  }
}

/**
 * `start()` without its awaits, for callers that must have a domain synchronously (smpcall/sync):
 * the table is given (already imported by the caller, the same table the workers load from
 * `options.calls`), so is the runtime's spawn adapter, and the workers are spawned but not awaited.
 * Calls may be sent at once: they wait in the workers' inboxes until the workers serve. `ready`
 * settles like `start()`: it rejects, after stopping the workers, if one failed to start. Internal:
 * not exported from the package index.
 */
export function launch<T extends CallTable = CallTable>(options: StartOptions, calls: CallTable, runtime: Runtime): { domain: Domain<T>; ready: Promise<void> } {
  const s = checkOptions(options);
  const table = compileTable(calls);
  const L = makeLayout({ agents: s.workers + 1, slotsPerAgent: s.slotsPerAgent, arenaPerSlot: s.arenaPerSlot, bigPages: Math.ceil(s.bigArena / PAGE_BYTES), tableHash: table.hash });
  let shared: SharedMemory;
  try {
    shared = allocateShared(L.totalBytes);
    // Every agent views the whole buffer as bytes (codec/views.ts); a runtime may allocate a buffer
    // larger than it can view (Node 20: 4 GiB, past WebAssembly's limit).
    new Uint8Array(shared.buffer);
  } catch (e) {
    throw new SmpcallError(
      codes.USAGE,
      `start(): the domain needs ${L.totalBytes} bytes of shared memory (${L.agents} agents × ${L.slotsPerAgent} slots, ${L.arenaPerSlot} bytes of arena per slot, ${s.bigArena} bytes of big arena per agent) and this runtime could not allocate them: lower workers, slotsPerAgent, arenaPerSlot or bigArena`,
      { cause: e },
    );
  }
  const { buffer, memory } = shared;
  const mem = memFor(buffer, memory);
  writeHeader(mem.i32, L);
  const spinRounds = spinRoundsFor(s.spinUs, mem);

  const agent = new Agent(buffer, L, 0, table, { spinRounds, spinUs: s.spinUs, stallMs: s.stallMs, slotWaitMs: s.slotWaitMs }, mem);
  const events = new Events();
  agent.onStall = (r) => events.stall(r);
  agent.onError = (r) => events.error(r);
  const inits = Array.from({ length: s.workers }, (_, k) => ({
    buffer,
    ...(memory ? { memory } : {}),
    id: k + 1,
    calls: s.callsUrl,
    spinRounds,
    spinUs: s.spinUs,
    stallMs: s.stallMs,
    slotWaitMs: s.slotWaitMs,
    table: table.signature,
  }));
  let group: WorkerGroup | undefined;
  try {
    group = s.workers > 0 ? runtime.spawn(runtime.entry, inits, s.worker) : undefined;
  } catch (e) {
    throw new SmpcallError(codes.START_FAILED, `the workers could not be started: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  if (group?.watch) agent.watchExits(group.watch.ended, group.watch.everyMs);
  const supervisor = new Supervisor(agent, group, inits, s.maxRestarts, events, s.startTimeoutMs);
  const domain = new Domain<T>(agent, supervisor, events);
  agent.handle = domain;
  setThreadAgent(agent);

  const ready = (async () => {
    let timer: LongTimer | undefined;
    try {
      // Bounded: a calls module whose import never settles (a top-level await on something that never
      // comes) would otherwise hold start() forever on runtimes that keep such a worker alive (Deno).
      const late = new Promise<never>((_, reject) => {
        timer = after(s.startTimeoutMs, () => reject(new Error(`not every worker was serving after ${s.startTimeoutMs} ms (${s.worker ? "does the worker's module call serveCalls(calls) from 'smpcall/web-worker'?" : 'a calls module still loading?'})`)));
      });
      await Promise.race([Promise.all(supervisor.threads.map((w) => w.ready)), late]);
    } catch (e) {
      await supervisor.abort();
      // A call-table mismatch keeps its own code: it is the agents disagreeing, not a crash.
      const code = (e as { code?: unknown }).code === codes.MISMATCH ? codes.MISMATCH : codes.START_FAILED;
      throw new SmpcallError(code, `a worker failed to start: ${(e as Error).message}`, { cause: e });
    } finally {
      timer?.clear();
    }
    agent.pump.start();
  })();
  return { domain, ready };
}
