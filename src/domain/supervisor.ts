/**
 * The supervisor (the kernel's CPU hotplug side): it watches every worker's thread, completes the
 * calls of one that exits (protocol/death.ts), restarts it under the same id when the policy says so,
 * registers shared buffers with every live worker, and closes the domain: stop new calls, let queued
 * calls run, stop the workers (terminating those still busy after a grace period), then end.
 */
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import { beginClose, retire } from '../protocol/close.js';
import { failAgent } from '../protocol/death.js';
import { LOCKED_EXIT_TRIES, cleanupLockedByOther } from '../protocol/observe.js';
import type { Agent } from '../agent/index.js';
import { platform } from '../runtime/platform.js';
import { after } from '../runtime/timers.js';
import type { SpawnedWorker, WorkerGroup, WorkerInit } from '../runtime/spawn.js';
import type { Events } from './events.js';
import { RESTART_SETTLE_MS, restartBackoffMs } from './backoff.js';

/** How long close() lets workers finish by themselves before it terminates them (ms). */
const CLOSE_GRACE_MS = 5000;

export class Supervisor {
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly restarts: number[];
  /** Per agent id: how many replacements in a row exited before they served (restartBackoffMs). */
  private readonly earlyExits: number[];
  /** Per agent id: a failed start of its replacements has been said since one last served. */
  private readonly failureSaid: boolean[] = [];
  /** Per agent id: the replacement waiting out its backoff, to start (or, closing, give up) now. */
  private readonly backoffs = new Map<number, { timer: ReturnType<typeof setTimeout>; now: () => void }>();
  /** Per agent id: resolves when its current thread has exited and no replacement is coming. */
  private readonly gone: Promise<void>[] = [];
  private readonly current: SpawnedWorker[] = [];
  private readonly sharedList: SharedArrayBuffer[] = [];
  /** Per share() in progress: the threads yet to say they know the buffer (or to exit). */
  private readonly shareAcks = new Map<number, Set<SpawnedWorker>>();
  private readonly shareDone = new Map<number, () => void>();
  /** Per share() in progress: settles when every thread knows the buffer. */
  private readonly sharing = new Map<number, Promise<void>>();
  /** Replacements started and not yet serving, each with its start's deadline timer. */
  private readonly starting = new Map<SpawnedWorker, { clear(): void }>();
  /** Threads ended by terminate(id). */
  private readonly requested = new WeakSet<SpawnedWorker>();
  /** Threads whose exit has been heard. */
  private readonly ended = new WeakSet<SpawnedWorker>();
  /** A caller that just learned its target died may next wait for the restart: held until it settles. */
  private readonly restartSettled = new Map<number, () => void>();

  constructor(
    private readonly agent: Agent,
    private readonly group: WorkerGroup | undefined,
    private readonly inits: WorkerInit[],
    private readonly maxRestarts: number,
    private readonly events: Events,
    /** How long a replacement may take to serve before it is ended and retried (start()'s startTimeoutMs). */
    private readonly startTimeoutMs = Infinity,
  ) {
    this.restarts = new Array<number>(inits.length + 1).fill(0);
    this.earlyExits = new Array<number>(inits.length + 1).fill(0);
    group?.workers.forEach((w, k) => {
      this.gone[k + 1] = new Promise<void>((resolve) => this.watch(k + 1, w, resolve));
    });
    agent.onGone = (id) => this.holdForRestart(id);
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** The worker threads started with the domain. */
  get threads(): SpawnedWorker[] {
    return this.group?.workers ?? [];
  }

  private watch(id: number, w: SpawnedWorker, done: () => void): void {
    this.current[id] = w;
    // When it began to serve (0: not yet). An exit within RESTART_SETTLE_MS of that still counts as a
    // failed start: a Web Worker that closes itself as it loads says it is ready before it ends.
    let servedAt = 0;
    w.ready.then(
      () => (servedAt = performance.now()),
      () => {},
    );
    w.onMessage((m) => {
      if (m.type === 'stall') this.events.stall(m.report);
      else if (m.type === 'error') this.events.error(m.report);
      else if (m.type === 'shared') this.shareAcked(m.id, w);
    });
    w.onError((err) => {
      if (!this.closing) console.error(`smpcall: agent ${id} crashed:`, err);
    });
    w.onExit((code) => {
      this.ended.add(w);
      // A thread that exits will not say it knows a buffer: share() waits for it no longer.
      for (const shareId of [...this.shareAcks.keys()]) this.shareAcked(shareId, w);
      // Ended on request (terminate()): not a crash loop, whenever it came.
      const served = this.requested.has(w) || (servedAt > 0 && performance.now() - servedAt >= RESTART_SETTLE_MS);
      this.afterExit(id, code, served, done, 0);
    });
  }

  /** Agent `id`'s thread has exited (`served`: after it served): complete its calls, tell, restart. */
  private afterExit(id: number, code: number, served: boolean, done: () => void, tries: number): void {
    // Another agent may have died holding the cleanup lock, its exit not yet heard: let it come first
    // (found by a hostile run: a failed start() froze this thread 10 s, then reported corruption).
    if (tries < LOCKED_EXIT_TRIES && cleanupLockedByOther(this.agent.ctx, id)) {
      setTimeout(() => this.afterExit(id, code, served, done, tries + 1), 1);
      return;
    }
    // On Node and in browsers this completes everything the agent held (unless the worker did on
    // its way out, or a blocked wait of ours did); where a guardian did it, again is harmless.
    failAgent(this.agent.ctx, id);
    const again = !this.closing && this.restarts[id]! < this.maxRestarts;
    // Emitted first, then released, so a caller that awaits this very event is still held.
    this.events.emit('exit', { agent: id, code, expected: this.closing, restarting: again });
    // A listener may have closed the domain (found by a hostile run: the replacement started anyway,
    // loaded its calls module again, and close() waited for it): then no replacement comes.
    if (!again || this.closing) {
      this.restartDone(id, true);
      done();
      return;
    }
    this.restarts[id]!++;
    this.earlyExits[id] = served ? 0 : this.earlyExits[id]! + 1;
    const wait = restartBackoffMs(this.earlyExits[id]!);
    if (wait === 0) this.respawn(id, done);
    else {
      const now = (): void => {
        clearTimeout(timer);
        if (this.backoffs.get(id)?.now !== now) return;
        this.backoffs.delete(id);
        if (!this.closing) return this.respawn(id, done);
        this.restartDone(id);
        done();
      };
      // Not unref'd: a replacement on its way keeps the program alive, as one starting does.
      const timer = setTimeout(now, wait);
      this.backoffs.set(id, { timer, now });
    }
  }

  /** Start a replacement for agent `id`, and watch it. */
  private respawn(id: number, done: () => void): void {
    const next = this.group!.respawn({ ...this.inits[id - 1]!, revive: true, shared: this.sharedList.slice() });
    // Bounded as start() is: one still loading after startTimeoutMs (a top-level await that never
    // settles) is ended, and its exit retries it (found by a hostile run: the agent stayed dead, saying
    // nothing, until close()).
    this.starting.set(
      next,
      after(this.startTimeoutMs, () => void next.terminate(), true),
    );
    const started = (): void => {
      this.starting.get(next)?.clear();
      this.starting.delete(next);
    };
    next.ready.then(
      () => {
        started();
        this.failureSaid[id] = false;
        // Closing meanwhile: no 'restart' on a domain that is going away.
        if (!this.closing) this.events.emit('restart', { agent: id, restarts: this.restarts[id]! });
        this.restartDone(id, true);
      },
      (e: Error & { exitedEarly?: boolean }) => {
        started();
        // Killed while starting: its exit restarts it again, after a backoff. Failed to start (its
        // calls module threw as it loaded): the same, once the thread has ended, which it need not do
        // by itself (Deno keeps it); said once per run of such failures.
        if (e.exitedEarly) return;
        if (!this.failureSaid[id] && !this.closing)
          console.error(`smpcall: agent ${id} could not be restarted; trying again with a growing backoff until one serves:`, e);
        this.failureSaid[id] = true;
        void next.terminate();
      },
    );
    this.watch(id, next, done);
  }

  /** Thread `w` knows shared buffer `shareId` (or has exited): the share() waits for it no longer. */
  private shareAcked(shareId: number, w: SpawnedWorker): void {
    const waiting = this.shareAcks.get(shareId);
    if (waiting === undefined || !waiting.delete(w)) return;
    if (waiting.size === 0) this.shareDone.get(shareId)?.();
  }

  /** Keep the process alive until agent `id`'s exit is handled (and, with a restart policy, its replacement serves). */
  private holdForRestart(id: number): void {
    if (this.closing || this.restartSettled.has(id) || !this.group) return;
    let release!: () => void;
    const p = new Promise<void>((r) => (release = r));
    this.restartSettled.set(id, release);
    void this.group.hold(p);
    // Bounded; it releases only this hold (resolving twice is harmless), never a later one's.
    setTimeout(() => {
      release();
      if (this.restartSettled.get(id) === release) this.restartSettled.delete(id);
    }, CLOSE_GRACE_MS).unref?.();
  }

  /**
   * The restart (or the exit, with none coming) of agent `id` is handled: end its hold. `later`: let
   * the listeners' continuations run first, still held. The entry goes at once, so a death learned
   * meanwhile (the agent died again: on Node a worker's own last words can tell a caller before this
   * thread hears the exit) takes a hold of its own rather than leaning on this one as it ends.
   */
  private restartDone(id: number, later = false): void {
    const release = this.restartSettled.get(id);
    this.restartSettled.delete(id);
    if (release === undefined) return;
    if (later) platform.setImmediate(release);
    else release();
  }

  /** start() failed: stop everything at once. */
  async abort(): Promise<void> {
    this.closing = true;
    beginClose(this.agent.ctx);
    await Promise.all(this.threads.map((w) => w.terminate()));
    this.group?.shutdown();
  }

  close(): Promise<void> {
    return (this.closed ??= this.closeOnce());
  }

  private async closeOnce(): Promise<void> {
    const agent = this.agent;
    this.closing = true;
    agent.markClosing();
    // Replacements still waiting out a backoff will not come, and one still loading has nothing to
    // finish (calls to it failed at once): end it now rather than wait for its start (a hostile run:
    // close() waited for a module that took 2 s to load, or its whole grace period for one that never did).
    for (const { now } of [...this.backoffs.values()]) now();
    for (const w of [...this.starting.keys()]) void w.terminate();
    // One grace period for the whole close, not one per stage: calls in flight get CLOSE_GRACE_MS in
    // all (with one per stage, a worker busy past it was terminated only after twice that).
    const graceEnds = performance.now() + CLOSE_GRACE_MS;
    // Our own calls in flight finish first (workers are still serving), within the grace period.
    await before(graceEnds, agent.pump.drained());
    // No new call anywhere; every worker is rung, serves what is queued, and ends once idle.
    beginClose(agent.ctx);
    const all = Promise.all(this.gone.slice(1));
    if ((await before(graceEnds, all)) === LATE) {
      await Promise.all(this.current.slice(1).map((w) => w.terminate()));
      await all;
    }
    this.group?.shutdown();
    // Every call of ours is settled (AGENT_GONE if its worker was terminated) before the pump stops:
    // those in lanes first, since retiring frees the lanes that hold our finished calls; then anything
    // that still reached agent 0 fails.
    agent.collect();
    retire(agent.ctx);
    agent.collect();
    agent.stopServing();
  }

  async share(buffer: SharedArrayBuffer): Promise<void> {
    if (!(buffer instanceof SharedArrayBuffer)) throw new SmpcallTypeError(codes.USAGE, 'share() takes a SharedArrayBuffer');
    if (this.closing) throw new SmpcallError(codes.CLOSED, 'the domain is closed');
    const agent = this.agent;
    const known = agent.shared.idOf(buffer);
    // Shared already: once the threads know it (a second share() of a buffer whose first is still
    // waiting for them returned at once, and a view sent then was refused: a hostile run).
    if (known !== undefined) return this.sharing.get(known);
    const id = this.sharedList.length;
    this.sharedList.push(buffer);
    agent.shared.add(id, buffer);
    // Every thread that has not exited must know it before anyone sends a view of it: those serving,
    // and a replacement still starting (found by a hostile run: it was DEAD in shared memory until it
    // attached, so it was skipped, and its start had the list as it was before). A replacement started
    // from now on has it in its start; a thread that exits meanwhile is waited for no longer.
    const threads = new Set<SpawnedWorker>();
    for (let w = 1; w <= this.inits.length; w++) {
      const t = this.current[w];
      if (t !== undefined && !this.ended.has(t)) threads.add(t);
    }
    if (threads.size === 0) return;
    this.shareAcks.set(id, threads);
    const told = new Promise<void>((resolve) => {
      this.shareDone.set(id, resolve);
      for (const t of [...threads]) t.send({ type: 'share', id, buffer });
    });
    // Held: the threads do not keep the program alive, and an answer on its way must be heard.
    const held = this.group === undefined ? told : this.group.hold(told);
    this.sharing.set(id, held);
    await held;
    this.sharing.delete(id);
    this.shareAcks.delete(id);
    this.shareDone.delete(id);
  }

  async terminate(id: number): Promise<void> {
    if (!Number.isInteger(id) || id < 1 || id > this.inits.length) {
      throw new SmpcallTypeError(codes.BAD_TARGET, `terminate(): ${String(id)} is not a worker agent (1..${this.inits.length})`);
    }
    const w = this.current[id]!;
    this.requested.add(w);
    await w.terminate();
  }
}

const LATE = Symbol('late');

/** `p`, or LATE once `performance.now()` has passed `ends` (the end of the close grace period). */
async function before<T>(ends: number, p: Promise<T>): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<typeof LATE>((r) => (timer = setTimeout(() => r(LATE), Math.max(0, ends - performance.now()))));
  try {
    return await Promise.race([p, grace]);
  } finally {
    clearTimeout(timer);
  }
}
