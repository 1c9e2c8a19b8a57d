/**
 * What the protocol needs from the agent it runs on: its shared memory (`Mem`), its layout, its id,
 * the private state the protocol keeps for it, and a `Host` for everything that is not shared-memory
 * orchestration (encoding arguments, running the user's function, delivering results).
 *
 * Everything in `src/protocol/` is plain synchronous code over `ctx.mem` and `ctx.host`, and calls to
 * other protocol functions. The model checker compiles a generator twin of these files in which every
 * `mem.*`, `host.*` and protocol call becomes a `yield*`, so the checked code is this code.
 * Rules that keep the twin honest: reach shared memory only as `mem.op(...)`, the host only as
 * `host.op(...)`, and never pass either into a callback.
 */
import { EMPTY, STAT_COUNT, type Layout } from '../layout.js';
import type { Mem } from '../mem.js';

/**
 * A place holds one call: a slot (its global index, >= 0) or an agent's express lane (-2 - agent).
 */
export const expressPlace = (agent: number): number => -2 - agent;
export const isExpress = (place: number): boolean => place <= -2;
export const expressAgent = (place: number): number => -2 - place;

/** `Host.run`: the sync call completes later (an async function); the host calls `finish` then. */
export const RUN_LATER = -1;

export interface Host {
  /** Copy the call held in `place` (`meta`: its id, argument count and flags; `from`: its caller) into the agent's private registers. */
  take(place: number, meta: number, from: number): void;
  /**
   * Run the call last taken. For a sync call write its result (or error) into `place` and return its
   * status (STATUS_*); return RUN_LATER when it completes later, and call `finish` then.
   */
  run(place: number, sync: boolean): number;
  /** Write the outgoing call's arguments (set by the runtime before the protocol call) into `place`. May throw: nothing is sent then. */
  writeArgs(place: number): void;
  /**
   * A blocking call is DONE: decode its outcome from `place` (a lane, or the slot itself) into the
   * runtime's result registers before the protocol gives the place back. `slot` is the caller's slot
   * (a lane call's spill area); `status` its STATUS_* flags. Never throws: a value that cannot be decoded is that call's error.
   */
  receive(place: number, slot: number, status: number): void;
  /**
   * A call in the pending table is DONE with `status`: decode its outcome from `place` (a lane, or
   * the slot itself; `slot` is its entry) and deliver it (a promise, a many-call frame). Never throws.
   */
  settle(place: number, slot: number, status: number): void;
  /** The result of an abandoned call arrived, or a call was failed: free whatever payload it holds. */
  discard(slot: number): void;
  /** A call was sent through `slot` and entered the pending table: `k` is its index within the send. */
  sent(slot: number, k: number): void;
  /** A clock in ms (`performance.now()`); the checker's is a word of its memory that time advances. */
  now(): number;
  /**
   * Shared memory is not what the protocol wrote (a bad index, a cycle, a lock held far too long):
   * report it. The protocol goes on with what is sound, never follows garbage, and never throws it
   * out of a serve or a wait.
   */
  corrupt(what: string): void;
  /**
   * Stall watchdog: a wait on word `index` has lasted `waitedMs` (parks timed out). Report it and
   * return the next park timeout in ms. Called once more with `ended` true when that wait ends.
   */
  stalled(index: number, waitedMs: number, ended: boolean): number;
  /**
   * An agent whose thread has ended although nobody has completed its calls yet, or -1: asked by a
   * blocked wait every `watchMs` on a thread that started the workers itself (Node's main thread) and
   * so is the only one told of their exits, which it cannot hear while it blocks. Each ended thread
   * is named once.
   */
  exited(): number;
  /**
   * A blocking wait's spin budget is the runtime's own (agent/spin.ts), adapted from how its waits
   * go, as the event-loop pump adapts its own. These tell it: halfway through a spin, about to sleep
   * on the bell, and awake again. No shared memory is involved.
   */
  spinHalfway(): void;
  parking(): void;
  woke(): void;
}

export interface Ctx {
  readonly mem: Mem;
  readonly host: Host;
  readonly L: Layout;
  /** This agent's id; -1 for a thread that only completes dead agents' calls (the guardian). */
  readonly id: number;
  /** The rest of the inbox batch being served (already in call order), EMPTY when none. */
  cursor: number;
  /** True while this agent runs a sync call taken from its own express lane. */
  expressBusy: boolean;
  /** The agent whose express lane this one keeps, DONE in its name, after its last call there (EMPTY: none; kept-lane.ts). */
  keptLane: number;
  /** A slot of this agent's pool kept RESERVED after a lane call, for the next call to take without a search (pool.ts); EMPTY when none. */
  keptSlot: number;
  /** The call this agent runs right now (call id + 1, 0 when none) and its caller, as noted on the cold line. */
  busyCall: number;
  busyFrom: number;
  /** Idle rounds to spin before parking (tiny under the checker). */
  spinRounds: number;
  /** Park timeout: how long one Atomics.wait may sleep before the watchdog looks (ms). */
  parkTimeoutMs: number;
  /** How often a blocked wait asks `host.exited()` (ms); Infinity on a thread that is not told of exits. */
  watchMs: number;
  /**
   * May this thread block in `Atomics.wait`? A browser page's main thread may not: its waits (for a
   * free slot, say) spin on the bell instead, as the kernel spins on a csd lock with interrupts off.
   */
  readonly canBlock: boolean;
  /** Round-robin cursor into this agent's own slot pool. */
  nextFree: number;
  /** Per slot: the batch (`batchStamp`) that last held it, so a cycle in a taken list is seen at once. */
  readonly seenIn: Int32Array;
  batchStamp: number;
  /** Per target: the last slot this agent sent there and its sequence number (for call order). */
  readonly lastSlot: Int32Array;
  readonly lastSeq: Int32Array;
  /** Statistics, counted privately (STAT_* in layout.ts) and published on the cold line when idle. */
  readonly stats: Int32Array;

  // The pending table: calls this agent sent through its own slots and has not yet collected.
  /** Local slot indexes (0..slotsPerAgent-1) of the pending calls, `pendingCount` of them. */
  readonly pendingList: Int32Array;
  pendingCount: number;
  /** Per local slot: PENDING_* below. */
  readonly pendingKind: Uint8Array;
  /** Per local slot: the slot's S_SEQ when it was sent, so a wait can tell its call from a later one. */
  readonly pendingSeq: Int32Array;
  /** Per local slot: the agent whose express lane holds this pending call (the slot is its spill area), or EMPTY. */
  readonly pendingLane: Int32Array;
  /** Pending calls whose caller gave up (their late result is dropped). */
  abandonedCount: number;
  /** Lanes of other agents a dead predecessor of this agent left in flight (restart adoption). */
  readonly orphanLanes: Int32Array;
  orphanLaneCount: number;
  /** Per target: FENCE_* (fence.ts), for slots a dead predecessor was killed sending; `fenceCount` not NONE. */
  readonly fenceTo: Uint8Array;
  fenceCount: number;
  /** The target side of a fence in this agent's lane (fence.ts `passFence`): seen, and armed. */
  fenceSeen: boolean;
  fenceArmed: boolean;

  // The event-loop pump's idle state (pump.ts).
  /** Idle rounds spun so far. */
  idle: number;
  /** More agents than cores: an agent spins only where a core is free (poll.ts). */
  readonly coreGate: boolean;
  /** Cores the domain's agents share. */
  readonly cores: number;
  /** This agent announced POLLING. */
  polling: boolean;
}

export const PENDING_NONE = 0;
/** Someone waits for the result (a promise, a blocking many-call frame). */
export const PENDING_WAITED = 1;
/** Nobody waits any more (timed out, aborted, a dead predecessor's call): the result is dropped. */
export const PENDING_ABANDONED = 2;

export interface CtxOptions {
  mem: Mem;
  host: Host;
  L: Layout;
  id: number;
  spinRounds: number;
  parkTimeoutMs: number;
  /** Default Infinity. */
  watchMs?: number;
  cores: number;
  /** Default true. */
  canBlock?: boolean;
}

/** A fresh context: nothing served, nothing pending. (An arrow, so the checker's twin keeps it a plain function.) */
export const makeCtx = (o: CtxOptions): Ctx => {
  const { L } = o;
  const n = o.id >= 0 ? L.slotsPerAgent : 0;
  return {
    mem: o.mem,
    host: o.host,
    L,
    id: o.id,
    cursor: EMPTY,
    expressBusy: false,
    keptLane: EMPTY,
    keptSlot: EMPTY,
    busyCall: 0,
    busyFrom: 0,
    spinRounds: o.spinRounds,
    parkTimeoutMs: o.parkTimeoutMs,
    watchMs: o.watchMs ?? Infinity,
    canBlock: o.canBlock !== false,
    nextFree: 0,
    seenIn: new Int32Array(o.id >= 0 ? L.totalSlots : 0),
    batchStamp: 0,
    lastSlot: new Int32Array(L.agents).fill(EMPTY),
    lastSeq: new Int32Array(L.agents),
    stats: new Int32Array(STAT_COUNT),
    pendingList: new Int32Array(n),
    pendingCount: 0,
    pendingKind: new Uint8Array(n),
    pendingSeq: new Int32Array(n),
    pendingLane: new Int32Array(n).fill(EMPTY),
    abandonedCount: 0,
    orphanLanes: new Int32Array(L.agents),
    orphanLaneCount: 0,
    fenceTo: new Uint8Array(L.agents),
    fenceCount: 0,
    fenceSeen: false,
    fenceArmed: false,
    idle: 0,
    coreGate: L.agents > o.cores,
    cores: Math.max(1, o.cores),
    polling: false,
  };
};
