/**
 * The torture test's ledger: one SharedArrayBuffer (registered with `domain.share()`) where every
 * call the torture makes has a record, so the checker can find lost, out-of-order, duplicated and
 * misrouted calls exactly, whichever thread made or ran them and even across the death of either.
 *
 * Layout (Int32 words): a header, per-agent words, per-kind counters, per (caller, target) pair
 * words, then one ring of records per calling agent. A call id is (caller, seq); its record is
 * ring[caller][seq % ringSize]. A record is checked one last time ("retired") before its place is
 * reused, and at the end of the run.
 *
 * Order: a caller's seq grows with every call it makes (whatever the kind or the targets), so the
 * calls from one caller to one target must run there in increasing seq. The target keeps, per
 * (caller, target) pair, the highest seq it has run (P_RAN_MAX); a call that begins below it ran
 * after a later call (see order.ts for the exceptions).
 *
 * Memory ordering: the caller fills the record with Atomics stores *before* it sends the call; the
 * send is itself a sequentially consistent publication, so the executor that receives the call sees
 * the filled record. Executors only ever Atomics.add / Atomics.or into it.
 */
import { KIND_COUNT, METRIC_COUNT, type Kind, type Metric } from './kinds.js';

export const LEDGER_MAGIC = 0x7012_7e57;

// Header words.
export const H_MAGIC = 0;
export const H_STOP = 1;
export const H_AGENTS = 2;
export const H_RING = 3;
const HEADER_WORDS = 16;

// Per-agent words.
/** Next call sequence number of this agent (survives the agent's death: a new thread continues it). */
export const A_NEXT_SEQ = 0;
/** Bumped when a fault is injected into this agent and again when its replacement serves. */
export const A_EPOCH = 1;
/** 1 from the moment a kill is decided until the replacement serves. */
export const A_KILLING = 2;
/** The kind (+1) of the operation this agent's driver is doing now; 0 when none. */
export const A_CUR_KIND = 3;
/** When that operation began (ms since the run began). */
export const A_CUR_SINCE = 4;
/** Operations this agent's drivers have finished. */
export const A_OPS = 5;
/** 1 while a driver runs on this agent (a killed one leaves it set; the controller clears it on restart). */
export const A_DRIVING = 6;
const AGENT_WORDS = 8;

// Record words.
/** seq + 1 of the call that owns this record (0: never used). */
export const R_TAG = 0;
/** How many times an executor ran the call. */
export const R_RAN = 1;
/** Bit per agent that ran it. */
export const R_MASK_RAN = 2;
/** Bit per agent expected to run it. */
export const R_EXPECT = 3;
/** status | kind << 8 | flags | fin-at-give-up << 16 */
export const R_STATUS = 4;
/** Sum of the epochs of the involved agents when the call was made. */
export const R_EPOCH = 5;
/** Bit per agent involved (caller, targets, nested hops): a fault in one of them may excuse a failure. */
export const R_INVOLVED = 6;
/** How many executions finished (returned). */
export const R_FIN = 7;
/**
 * seq + 1 of the highest call its caller issued while this call's send (the API call: post, call,
 * callSync, callMany, ...) was still in progress (0: none). Those calls were made during a wait inside
 * this one (nested serving), so they are not ordered after it.
 */
export const R_CEIL = 8;
/** seq + 1 of the later call this one ran after (0: ran in order). Set by the executor that saw it. */
export const R_AFTER = 9;
export const RECORD_WORDS = 10;

// Statuses (low 8 bits of R_STATUS).
export const ST_PENDING = 1;
/** The caller got every result and each was right. */
export const ST_OK = 2;
/** Fire and forget: sent, the caller cannot know more. */
export const ST_POSTED = 3;
/** The caller was told an agent went away. */
export const ST_GONE = 4;
/** The caller gave up (timeout or abort). */
export const ST_ABANDONED = 5;
/** Already counted as an error when it happened (wrong result, unexpected error, lost post). */
export const ST_REPORTED = 6;
/** Refused with ERR_SMPCALL_TOO_DEEP or ERR_SMPCALL_NO_SLOT, here or further down a nested chain. */
export const ST_REFUSED = 7;
/**
 * A post that had not run on every target when a later fence to them returned: it was overtaken
 * (an order violation, once it runs) or lost (if it never does). The executor or retire decides.
 */
export const ST_OVERTAKEN = 8;
export const ST_MASK = 0xff;
/** callAny: exactly one of the expected agents must run it. */
export const F_ANY = 1 << 12;

/** At most this many agents: a record keeps one bit per agent. */
export const MAX_TORTURE_AGENTS = 30;

export interface LedgerShape {
  agents: number;
  ringSize: number;
}

const agentBase = HEADER_WORDS;
const counterBase = (s: LedgerShape): number => agentBase + s.agents * AGENT_WORDS;
const pairBase = (s: LedgerShape): number => counterBase(s) + KIND_COUNT * METRIC_COUNT;
/** Per (caller, target) pair words: P_RAN_MAX, then P_FENCE, each an agents × agents table. */
const PAIR_TABLES = 2;
const ringBase = (s: LedgerShape): number => pairBase(s) + PAIR_TABLES * s.agents * s.agents;

// Per (caller, target) pair tables.
/** seq + 1 of the highest call of the caller that the target has begun running (0: none yet). */
export const P_RAN_MAX = 0;
/** seq + 1 of the last fence the caller sent to the target (names a fence in an order report). */
export const P_FENCE = 1;

export const ledgerBytes = (s: LedgerShape): number => 4 * (ringBase(s) + s.agents * s.ringSize * RECORD_WORDS);

export function createLedger(s: LedgerShape): Int32Array {
  const i32 = new Int32Array(new SharedArrayBuffer(ledgerBytes(s)));
  i32[H_AGENTS] = s.agents;
  i32[H_RING] = s.ringSize;
  Atomics.store(i32, H_MAGIC, LEDGER_MAGIC);
  return i32;
}

/** Typed access to a ledger (any thread holds a view of the same shared memory). */
export class Ledger {
  readonly agents: number;
  readonly ringSize: number;
  private readonly counters: number;
  private readonly pairs: number;
  private readonly rings: number;
  constructor(readonly i32: Int32Array) {
    if (Atomics.load(i32, H_MAGIC) !== LEDGER_MAGIC) throw new Error('torture: not a ledger (bad magic)');
    this.agents = i32[H_AGENTS]!;
    this.ringSize = i32[H_RING]!;
    this.counters = counterBase(this);
    this.pairs = pairBase(this);
    this.rings = ringBase(this);
  }

  agentWord(agent: number, word: number): number {
    return agentBase + agent * AGENT_WORDS + word;
  }
  /** Word `table` (P_RAN_MAX, P_FENCE) of the pair caller → target. */
  pairWord(table: number, caller: number, target: number): number {
    return this.pairs + (table * this.agents + caller) * this.agents + target;
  }
  load(index: number): number {
    return Atomics.load(this.i32, index);
  }
  store(index: number, v: number): void {
    Atomics.store(this.i32, index, v);
  }
  add(index: number, v: number): number {
    return Atomics.add(this.i32, index, v);
  }

  get stopped(): boolean {
    return Atomics.load(this.i32, H_STOP) !== 0;
  }

  count(kind: Kind, metric: Metric, n = 1): void {
    Atomics.add(this.i32, this.counters + kind * METRIC_COUNT + metric, n);
  }
  counter(kind: Kind, metric: Metric): number {
    return Atomics.load(this.i32, this.counters + kind * METRIC_COUNT + metric);
  }

  /** First word of the record of call (caller, seq). */
  record(caller: number, seq: number): number {
    return this.rings + (caller * this.ringSize + (seq % this.ringSize)) * RECORD_WORDS;
  }

  /** The calling agent whose ring holds record `rec`. */
  callerOf(rec: number): number {
    return Math.floor((rec - this.rings) / (RECORD_WORDS * this.ringSize));
  }

  epoch(agent: number): number {
    return Atomics.load(this.i32, this.agentWord(agent, A_EPOCH));
  }

  /** Sum of the epochs of every agent in `mask`. */
  epochSum(mask: number): number {
    let sum = 0;
    for (let a = 0; a < this.agents; a++) if (mask & (1 << a)) sum = (sum + this.epoch(a)) | 0;
    return sum;
  }

  /** Was any agent in `mask` hit by a fault since `epochSum` was taken (or is one being hit now)? */
  affected(mask: number, epochSum: number): boolean {
    if (this.epochSum(mask) !== epochSum) return true;
    for (let a = 0; a < this.agents; a++) {
      if (mask & (1 << a) && Atomics.load(this.i32, this.agentWord(a, A_KILLING)) !== 0) return true;
    }
    return false;
  }
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}
