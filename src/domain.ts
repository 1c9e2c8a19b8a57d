/**
 * `start()`: lay out one SharedArrayBuffer, start the workers, and hand back the domain: agent 0's
 * call methods plus `close()`.
 */
import { Agent, type AgentHandle } from './agent.js';
import { COLD_BELL, DEAD, H_CLOSING, HOT_STATE, PAGE_BYTES, cold, hot, makeLayout, writeHeader } from './layout.js';
import { compileTable, type CallTable } from './table.js';
import { SmpcallError, SmpcallTypeError, codes } from './errors.js';
import { setThreadAgent } from './current.js';
import { failAgent } from './protocol/death.js';
import { platform } from './runtime/platform.js';
import { loadRuntime, type Runtime } from './runtime/select.js';
import type { SpawnedWorker } from './runtime/spawn.js';
import type { StallReport } from './watchdog.js';

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
  /** URL (or URL string) of a module whose default export is `defineCalls({...})`. */
  calls: URL | string;
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
   */
  restart?: boolean | number;
}

/**
 * The domain: agent 0's handle (the thread that called `start`), plus lifecycle.
 *
 * @example
 * ```ts
 * await using domain = await start<typeof calls>({ workers: 2, calls: url });
 * domain.on('exit', (e) => console.log(`agent ${e.agent} exited with ${e.code}`));
 * console.log(domain.callSync(1, 'add', 1, 2));
 * ```
 */
export interface Domain<T extends CallTable = CallTable> extends AgentHandle<T> {
  /** Number of worker agents. */
  readonly workers: number;
  /** Per-agent counters: calls sent and served, doorbells rung, parks, waits for a free slot, express-lane sends. */
  stats(): ReturnType<Agent['stats']>;
  /**
   * Register a SharedArrayBuffer with every agent, once: afterwards a view of it (or the buffer
   * itself) travels by reference and arrives as a view of the same memory, whatever its size.
   */
  share(buffer: SharedArrayBuffer): Promise<void>;
  /**
   * Stop one worker's thread at once (a stuck agent, or a test of crash safety). Its calls in flight
   * fail with ERR_SMPCALL_AGENT_GONE; with a restart policy a fresh thread takes over its id.
   */
  terminate(agent: number): Promise<void>;
  /** Stop accepting calls, let every queued call run or fail, then stop the workers. Safe to call twice. */
  close(): Promise<void>;
  /** `close()`, for `await using domain = await start(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
  /**
   * Listen to domain events: `'stall'` (a stall watchdog report from any agent; while a listener is
   * registered the default `console.warn` is skipped) and `'exit'` (an agent's worker exited).
   */
  on<E extends keyof DomainEvents>(event: E, listener: (e: DomainEvents[E]) => void): this;
  /** Stop listening (the same listener passed to `on`). */
  off<E extends keyof DomainEvents>(event: E, listener: (e: DomainEvents[E]) => void): this;
}

/**
 * The events of `domain.on(event, listener)`.
 *
 * @example
 * ```ts
 * domain.on('stall', (r) => log.warn(r.message));
 * domain.on('restart', (e) => log.info(`agent ${e.agent} restarted (${e.restarts})`));
 * ```
 */
export interface DomainEvents {
  /** A stall watchdog report, from any agent. */
  stall: StallReport;
  /** An agent's thread exited. */
  exit: {
    /** The agent whose thread exited. */
    agent: number;
    /** Its exit code. */
    code: number;
    /** True during close(): not a crash. */
    expected: boolean;
    /** True when the restart policy replaces it. */
    restarting: boolean;
  };
  /** A replacement thread for `agent` is serving (restart policy). */
  restart: {
    /** The agent id the fresh thread took over. */
    agent: number;
    /** How many times this agent was restarted so far. */
    restarts: number;
  };
}

const CLOSE_GRACE_MS = 5000;

function positiveInt(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SmpcallError(codes.USAGE, `start(): ${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

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
  const callsUrl = checkOptions(options).callsUrl;
  // The spawn adapter for this runtime (it also refuses a page without SharedArrayBuffer).
  const runtime = await loadRuntime();
  let mod: { default?: unknown };
  try {
    mod = (await import(callsUrl)) as { default?: unknown };
  } catch (e) {
    throw new SmpcallError(codes.START_FAILED, `could not import the calls module ${callsUrl}`, { cause: e });
  }
  const { domain, ready } = launch<T>(options, mod.default as CallTable, runtime);
  await ready;
  return domain;
}

/** Validate `start()`'s options (before anything is imported or spawned) and fill in the defaults. */
function checkOptions(options: StartOptions) {
  if (options === null || typeof options !== 'object') throw new SmpcallError(codes.USAGE, 'start() needs an options object');
  const workers = positiveInt('workers', options.workers, 0, 1000);
  const slotsPerAgent = positiveInt('slotsPerAgent', options.slotsPerAgent ?? 64, 1, 65536);
  const arenaPerSlot = positiveInt('arenaPerSlot', options.arenaPerSlot ?? 16384, 0, 1 << 28);
  const bigArena = positiveInt('bigArena', options.bigArena ?? 4 << 20, 0, 2 ** 31 - 1);
  const spinUs = options.spin ?? 50;
  const stallMs = options.stallMs ?? 5000;
  const maxRestarts = options.restart === true ? Infinity : typeof options.restart === 'number' ? options.restart : 0;
  if (typeof spinUs !== 'number' || !(spinUs >= 0)) throw new SmpcallError(codes.USAGE, 'start(): spin must be a number of microseconds >= 0');
  if (typeof stallMs !== 'number' || !(stallMs > 0)) throw new SmpcallError(codes.USAGE, 'start(): stallMs must be > 0');
  const slotWaitMs = options.slotWaitMs ?? 2 * stallMs;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  if (typeof startTimeoutMs !== 'number' || !(startTimeoutMs > 0)) throw new SmpcallError(codes.USAGE, 'start(): startTimeoutMs must be > 0');
  if (typeof slotWaitMs !== 'number' || !(slotWaitMs > 0)) throw new SmpcallError(codes.USAGE, 'start(): slotWaitMs must be > 0');
  let callsUrl: string;
  try {
    callsUrl = new URL(String(options.calls)).href;
  } catch {
    throw new SmpcallError(codes.USAGE, `start(): calls must be a URL (e.g. new URL('./calls.js', import.meta.url)), got ${String(options.calls)}`);
  }
  return { workers, slotsPerAgent, arenaPerSlot, bigArena, spinUs, stallMs, slotWaitMs, startTimeoutMs, maxRestarts, callsUrl };
}

/**
 * `start()` without its awaits, for callers that must have a domain synchronously (smpcall/sync):
 * the table is given (already imported by the caller, the same table the workers load from
 * `options.calls`), so is the runtime's spawn adapter, and the workers are spawned but not awaited. Calls may be sent at once: they wait
 * in the workers' inboxes until the workers serve. `ready` settles like `start()`: it rejects, after
 * stopping the workers, if one failed to start. Internal: not exported from the package index.
 */
export function launch<T extends CallTable = CallTable>(options: StartOptions, calls: CallTable, runtime: Runtime): { domain: Domain<T>; ready: Promise<void> } {
  const { workers, slotsPerAgent, arenaPerSlot, bigArena, spinUs, stallMs, slotWaitMs, startTimeoutMs, maxRestarts, callsUrl } = checkOptions(options);
  const table = compileTable(calls);
  const L = makeLayout({ agents: workers + 1, slotsPerAgent, arenaPerSlot, bigPages: Math.ceil(bigArena / PAGE_BYTES), tableHash: table.hash });
  const buffer = new SharedArrayBuffer(L.totalBytes);
  const i32 = new Int32Array(buffer);
  writeHeader(i32, L);

  const agent = new Agent<T>(buffer, L, 0, table, { spinUs, stallMs, slotWaitMs });
  setThreadAgent(agent as unknown as Agent);
  const listeners: { [E in keyof DomainEvents]: Set<(e: DomainEvents[E]) => void> } = { stall: new Set(), exit: new Set(), restart: new Set() };
  const emit = <E extends keyof DomainEvents>(event: E, e: DomainEvents[E]): void => {
    for (const fn of listeners[event]) {
      try {
        fn(e);
      } catch (err) {
        console.error(`smpcall: a '${event}' listener threw:`, err);
      }
    }
  };
  const onStall = (r: StallReport): void => {
    if (listeners.stall.size === 0) console.warn(r.message);
    else emit('stall', r);
  };
  agent.onStall = onStall;

  const inits = Array.from({ length: workers }, (_, k) => ({ buffer, id: k + 1, calls: callsUrl, spinUs, stallMs, slotWaitMs, table: table.signature }));
  const group = workers > 0 ? runtime.spawn(runtime.entry, inits) : undefined;
  let closing = false;
  const restarts = new Array<number>(workers + 1).fill(0);
  /** Per agent id: resolves when its current thread has exited and no replacement is coming. */
  const gone: Promise<void>[] = [];
  const current: SpawnedWorker[] = [];

  const sharedList: SharedArrayBuffer[] = [];
  const shareAcks = new Map<number, Set<number>>();
  const shareDone = new Map<number, () => void>();
  const watch = (id: number, w: SpawnedWorker, done: () => void): void => {
    current[id] = w;
    w.onMessage((m) => {
      if (m.type === 'stall') onStall(m.report);
      else if (m.type === 'shared') {
        const waiting = shareAcks.get(m.id);
        waiting?.delete(id);
        if (waiting?.size === 0) shareDone.get(m.id)?.();
      }
    });
    w.onError((err) => {
      if (!closing) console.error(`smpcall: agent ${id} crashed:`, err);
    });
    w.onExit((code) => {
      // The guardian has already completed everything the agent held; doing it again is harmless
      // and covers a runtime without a guardian.
      failAgent(agent.ctx, id);
      const again = !closing && restarts[id]! < maxRestarts;
      // Emitted first, then released, so a caller that awaits this very event is still held.
      emit('exit', { agent: id, code, expected: closing, restarting: again });
      if (!again) {
        platform.setImmediate(() => restartDone(id));
        return done();
      }
      restarts[id]!++;
      const next = group!.respawn({ ...inits[id - 1]!, revive: true, shared: sharedList.slice() });
      next.ready.then(
        () => {
          emit('restart', { agent: id, restarts: restarts[id]! });
          platform.setImmediate(() => restartDone(id));
        },
        (e: Error & { exitedEarly?: boolean }) => {
          // Killed while starting: its exit restarts it again. Failed to start: stop trying.
          if (e.exitedEarly) return;
          restartDone(id);
          restarts[id] = Infinity;
          console.error(`smpcall: agent ${id} could not be restarted:`, e);
        },
      );
      watch(id, next, done);
    });
  };
  // A caller that just learned its target died may next wait for the restart: keep the process
  // alive until the replacement is serving (or the death is final).
  const restartSettled = new Map<number, Promise<void>>();
  const settleRestart = new Map<number, () => void>();
  agent.onGone = (id) => {
    // Until its exit is handled (and, with a restart policy, until the replacement is serving).
    if (closing || restartSettled.has(id) || !group) return;
    const p = new Promise<void>((r) => settleRestart.set(id, r));
    restartSettled.set(id, p);
    void group.hold(p);
    setTimeout(() => settleRestart.get(id)?.(), CLOSE_GRACE_MS).unref?.();
  };
  const restartDone = (id: number): void => {
    settleRestart.get(id)?.();
    settleRestart.delete(id);
    restartSettled.delete(id);
  };
  group?.workers.forEach((w, k) => {
    gone[k + 1] = new Promise<void>((resolve) => watch(k + 1, w, resolve));
  });
  const threads = group?.workers ?? [];
  const ready = (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // Bounded: a calls module whose import never settles (a top-level await on something that never
      // comes) would otherwise hold start() forever on runtimes that keep such a worker alive (Deno).
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not every worker was serving after ${startTimeoutMs} ms (a calls module still loading?)`)), startTimeoutMs);
      });
      await Promise.race([Promise.all(threads.map((w) => w.ready)), late]);
    } catch (e) {
      closing = true;
      Atomics.store(i32, H_CLOSING, 1);
      await Promise.all(threads.map((w) => w.terminate()));
      group?.shutdown();
      // A call-table mismatch keeps its own code: it is the agents disagreeing, not a crash.
      const code = (e as { code?: unknown }).code === codes.MISMATCH ? codes.MISMATCH : codes.START_FAILED;
      throw new SmpcallError(code, `a worker failed to start: ${(e as Error).message}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
    agent.startServing();
  })();

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      agent.markClosing();
      // Our own calls in flight finish first (workers are still serving).
      await agent.drained();
      Atomics.store(i32, H_CLOSING, 1);
      for (let id = 1; id <= workers; id++) {
        Atomics.add(i32, cold(L, id, COLD_BELL), 1);
        Atomics.notify(i32, cold(L, id, COLD_BELL));
      }
      const all = Promise.all(gone.slice(1));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), CLOSE_GRACE_MS)));
      if ((await Promise.race([all, grace])) === 'late') {
        await Promise.all(current.slice(1).map((w) => w.terminate()));
        await all;
      }
      clearTimeout(timer);
      group?.shutdown();
      Atomics.store(i32, hot(L, 0, HOT_STATE), DEAD);
      agent.stopServing();
    })());

  const domain = agent as unknown as Domain<T>;
  Object.defineProperties(domain, {
    workers: { value: workers, enumerable: true },
    close: { value: close },
    share: {
      value: async (buffer: SharedArrayBuffer): Promise<void> => {
        if (!(buffer instanceof SharedArrayBuffer)) throw new SmpcallTypeError(codes.USAGE, 'share() takes a SharedArrayBuffer');
        if (closing) throw new SmpcallError(codes.CLOSED, 'the domain is closed');
        if (agent.shared.idOf(buffer) !== undefined) return;
        const id = sharedList.length;
        sharedList.push(buffer);
        agent.shared.add(id, buffer);
        // Every live worker must know it before anyone sends a view of it.
        const live = new Set<number>();
        for (let w = 1; w <= workers; w++) if (Atomics.load(i32, hot(L, w, HOT_STATE)) !== DEAD) live.add(w);
        if (live.size === 0) return;
        shareAcks.set(id, live);
        await new Promise<void>((resolve) => {
          shareDone.set(id, resolve);
          for (const w of live) current[w]!.send({ type: 'share', id, buffer });
          // A worker that dies meanwhile will not answer; a restarted one gets the list at start.
          const recheck = setInterval(() => {
            for (const w of live) if (Atomics.load(i32, hot(L, w, HOT_STATE)) === DEAD) live.delete(w);
            if (live.size === 0) resolve();
          }, 50);
          shareDone.set(id, () => {
            clearInterval(recheck);
            resolve();
          });
        });
        shareAcks.delete(id);
        shareDone.delete(id);
      },
    },
    terminate: {
      value: async (id: number) => {
        if (!Number.isInteger(id) || id < 1 || id > workers) {
          throw new SmpcallTypeError(codes.BAD_TARGET, `terminate(): ${String(id)} is not a worker agent (1..${workers})`);
        }
        await current[id]!.terminate();
      },
    },
    on: {
      value<E extends keyof DomainEvents>(event: E, fn: (e: DomainEvents[E]) => void) {
        if (!(event in listeners)) throw new SmpcallError(codes.USAGE, `unknown domain event "${String(event)}" (known: stall, exit, restart)`);
        listeners[event].add(fn);
        return domain;
      },
    },
    off: {
      value<E extends keyof DomainEvents>(event: E, fn: (e: DomainEvents[E]) => void) {
        listeners[event]?.delete(fn);
        return domain;
      },
    },
    [Symbol.asyncDispose]: { value: close },
  });
  return { domain, ready };
}
