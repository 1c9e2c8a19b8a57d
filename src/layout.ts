/**
 * The one place that knows where everything lives in the domain's SharedArrayBuffer, like a kernel
 * header. Every other module asks this one for offsets; none computes its own.
 *
 * ```
 * [header: 1 line]
 * [hot line of agent 0] [hot line of agent 1] ...      read by everyone who sends to that agent
 * [cold line of agent 0] [cold line of agent 1] ...    bell, statistics, watchdog: written by the agent itself
 * [slots of agent 0: slotsPerAgent × 2 lines] [slots of agent 1] ...
 * [arena of agent 0: slotsPerAgent × arenaPerSlot bytes] ...   each slot's own room for medium payloads
 * [page bitmap of agent 0] [page bitmap of agent 1] ...      one bit per page of the big arena
 * [big arena of agent 0: bigPages × PAGE_BYTES] ...          large payloads, allocated by the owner
 * ```
 *
 * All indexes handed to `Mem` are Int32 word indexes into the whole buffer (byte offset / 4). Float64
 * views use byte offset / 8, so every f64 lives at an 8-byte aligned offset. Lines are counted from
 * the buffer's start, which runtime/shared-memory.ts places on a page, so they are the cache's lines.
 *
 * Who moves a slot (S_STATE), and how; every arrow is one SeqCst store or CAS in src/protocol/:
 *
 * ```
 *            owner: acquire                 owner: send (push on the target's inbox)
 *   FREE ──────────────────────► RESERVED ─────────────────────────────► FILLED
 *    ▲  ▲                          │  (held by a blocking caller, or lent     │ │
 *    │  │ owner: release            │   to a lane call as its result spill)   │ │ owner: cancel (CAS)
 *    │  └──────────────────────────┘                                          │ ▼
 *    │                                                        target: start   │ CANCELLED ──► FREE
 *    │  target: post copied (FILLED ──► FREE)                    (CAS, sync)   │  target passes it,
 *    │◄───────────────────────────────────────────────────────────────────────┤  or the death flush
 *    │                                                                        ▼
 *    │  owner: release after reading          target: finish              RUNNING
 *    └──────────────────────────────── DONE ◄────────────────────────────────┘
 *                                       ▲  death flush: a dead target's FILLED / RUNNING sync call
 *                                       └─ becomes DONE with STATUS_GONE (a post's slot becomes FREE)
 * ```
 *
 * The express lane (X_STATE in the target's hot line):
 *
 * ```
 *   X_FREE ──caller: CAS──► X_CLAIMED ──caller: store──► X_FILLED ──target: post copied──► X_FREE
 *     ▲                                                   ▲ │
 *     │                        owner: its next call there │ │ target: finish (sync; or the death
 *     │                          (kept: no claim needed)  │ ▼ flush, STATUS_GONE)
 *     └──── owner: release when it parks or calls elsewhere ── X_DONE
 * ```
 *
 * After reading its result the caller keeps a DONE lane in its name (protocol/kept-lane.ts): the
 * line then crosses once each way per call, as the floor's word does, with no release in between.
 *
 * An agent (HOT_STATE): RUNNING ⇄ POLLING (idle, spinning; when agents outnumber cores, only while a
 * core is free: protocol/poll.ts) ⇄ PARKED (asleep on its bell) → DEAD (its thread exited; a
 * restarted thread takes the id back: DEAD → RUNNING).
 */

export const LINE_BYTES = 64;
export const MAGIC = 0x434d5053; // "SPMC" little-endian: S M P C
export const LAYOUT_VERSION = 1;

/** End of an inbox list; also "no slot". */
export const EMPTY = -1;

// ---- header words (Int32 index from the start of the buffer) ----
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_HASH = 2;
export const H_AGENTS = 3;
export const H_SLOTS = 4;
export const H_ARENA_PER_SLOT = 5;
/** 0 while open; 1 once `close()` began: no new calls are accepted anywhere. */
export const H_CLOSING = 6;
/**
 * The dead-agent cleanup lock: 0 when free, else the holder's id + 2 (the guardian thread, id -1,
 * holds it as 1). Cleanups run one at a time; a holder that died holding it can be named.
 */
export const H_CLEAN_LOCK = 7;
export const H_BIG_PAGES = 8;
export const lockValue = (agent: number): number => agent + 2;
export const lockHolder = (value: number): number => value - 2;

export const INBOX_FIELD_BITS = 22;
const INBOX_FIELD_MASK = (1 << INBOX_FIELD_BITS) - 1;
/** Inbox field: nothing queued. */
export const INBOX_EMPTY = INBOX_FIELD_MASK;
/** Inbox field: this incarnation is dead; nothing may be pushed until a restart. */
export const INBOX_DEAD = INBOX_FIELD_MASK - 1;
/** Slot indexes must fit the inbox field below its two markers. */
export const MAX_TOTAL_SLOTS = INBOX_DEAD;
const EPOCH_MASK = 0x3ff;
export const inboxWord = (epoch: number, field: number): number => ((epoch & EPOCH_MASK) << INBOX_FIELD_BITS) | field;
export const inboxField = (word: number): number => word & INBOX_FIELD_MASK;
export const inboxEpoch = (word: number): number => (word >>> INBOX_FIELD_BITS) & EPOCH_MASK;
/** S_PUSHED value of a slot pushed into incarnation `epoch` (negated: a push there is under way). */
export const pushedMark = (epoch: number): number => (epoch & EPOCH_MASK) + 1;

/** Page size of the big arenas. */
export const PAGE_BYTES = 4096;

// ---- agent states (hot line word HOT_STATE) ----
/** Awake: running a call or serving its inbox. A sender never rings a running agent. */
export const RUNNING = 0;
/** Awake and idle, polling its own hot line. A sender never rings a polling agent either. */
export const POLLING = 1;
/** Asleep on its bell (Atomics.wait or waitAsync): a sender that finds this must ring. */
export const PARKED = 2;
/** Gone: its worker exited. Calls to it fail at once. */
export const DEAD = 3;
export const STATE_NAMES = ['running', 'polling', 'parked', 'dead'] as const;

// ---- hot line: one per agent, 64 bytes, the only line an idle agent polls ----
/**
 * The inbox head: the newest queued slot, with the agent's incarnation (it grows at every restart
 * under the same id) in the high bits, so a sender learns exactly which incarnation its push reached:
 * bits 0..21 the slot index, or INBOX_EMPTY, or INBOX_DEAD (the incarnation is gone: pushes fail);
 * bits 22..31 the incarnation, modulo 1024.
 */
export const HOT_INBOX = 0;
export const HOT_STATE = 1; // RUNNING / POLLING / PARKED / DEAD
// The express record (the 2009 per-destination lock with its data in the same line):
export const X_STATE = 2; // X_FREE → X_CLAIMED (caller writes) → X_FILLED → (post) X_FREE | (sync) X_DONE → X_FREE
export const X_OWNER = 3; // agent id of the caller holding the lane
export const X_META = 4; // callId | argc << 16 | flags << 24 (same packing as a slot's S_META)
export const X_TAGS = 6; // 4 bits per argument (EXPRESS_TAG_*); after DONE: result tag | status << 8
export const X_SPILL = 7; // a RESERVED slot of the caller that takes a result too big for the line
/** Byte offset of the four f64 argument registers inside the hot line (32..63). */
export const X_NUMBERS_BYTE = 32;
export const X_MAX_ARGS = 4;

export const X_FREE = 0;
/** Low byte of a claimed lane's state; the claimer's id + 1 sits above it, so a dead claimer is known. */
export const X_CLAIMED = 1;
export const X_FILLED = 2;
export const X_DONE = 3;
export const laneClaimedBy = (agent: number): number => X_CLAIMED | ((agent + 1) << 8);
export const isLaneClaimed = (x: number): boolean => (x & 0xff) === X_CLAIMED;
export const laneClaimer = (x: number): number => (x >>> 8) - 1;

// Express argument / result tags (4 bits each).
export const XT_UNDEFINED = 0;
export const XT_NULL = 1;
export const XT_FALSE = 2;
export const XT_TRUE = 3;
export const XT_NUMBER = 4;
/** Result only: the result did not fit in the line and was written to the caller's spill slot. */
export const XT_SPILLED = 5;
/** A string of at most X_SHORT_CHARS ASCII characters, in the register: its length byte, then its characters. */
export const XT_SHORT = 6;
export const X_SHORT_CHARS = 7;

// ---- cold line: one per agent, written mostly by the agent itself ----
export const COLD_BELL = 0; // the futex word the agent parks on; bumped by whoever rings
export const COLD_BUSY_CALL = 1; // callId + 1 of the call being run, 0 when idle
export const COLD_BUSY_FROM = 2; // caller of that call
// Word 3 is unused: it held the bell value an agent parked on, for the core gate to tell a rung
// agent from a sleeping one, until a ring took the agent to RUNNING itself (protocol/doorbell.ts).
/** First of the statistics words: the agent counts privately and publishes them here when it goes idle. */
export const COLD_STATS = 4;
export const STAT_SENT = 0; // calls sent (slots and lanes)
export const STAT_SERVED = 1; // calls run for others
export const STAT_RINGS = 2; // doorbells rung
export const STAT_PARKS = 3; // times parked
export const STAT_SLOT_WAITS = 4; // times a call waited for a free slot of its own
export const STAT_EXPRESS = 5; // calls sent through a lane
export const STAT_COUNT = 6;

// ---- slots: two lines each; the header and the first 32 bytes of inline data share line one ----
export const SLOT_BYTES = 128;
export const S_STATE = 0; // S_FREE / S_FILLED / S_DONE / S_RESERVED
export const S_NEXT = 1; // inbox link
export const S_SEQ = 2; // bumped by the owner at every fill
export const S_META = 3; // callId | argc << 16 | flags << 24
export const S_TARGET = 4; // agent the slot was sent to
export const S_STATUS = 5; // result status (STATUS_*) once DONE
export const S_LEN = 6; // where the payload is: LEN_* below, or bytes used in the slot's arena share (>= 0)
/**
 * Where the owner's push of this slot stands: pushedMark(incarnation) once the push put it on the
 * target's inbox; -pushedMark(incarnation) from before the fill until then, naming the incarnation
 * the push is about to try (so a successor of an owner killed mid-push knows where it may have gone:
 * fence.ts). Death cleanups act only on the positive mark.
 */
export const S_PUSHED = 7;
/** Byte offset of the inline area inside a slot, and its size. */
export const S_INLINE_BYTE = 32;
export const S_INLINE_BYTES = SLOT_BYTES - S_INLINE_BYTE;

// S_LEN values below zero (codec/payloads.ts):
export const LEN_INLINE = -1; // the payload is in the inline area
export const LEN_BIG = -2; // pages of a big arena: a descriptor (BIG_*) in the inline area
export const LEN_CONSUMED = -3; // a big payload that was read and its pages freed
// A big payload's descriptor: Int32 words at the start of the slot's inline area.
export const BIG_OWNER = 0; // whose big arena holds the pages
export const BIG_PAGE = 1; // first page
export const BIG_BYTES = 2; // payload length

export const S_FREE = 0;
export const S_FILLED = 1;
export const S_DONE = 2;
/** Held by its owner for a call in the express lane, so the target can spill a large result into it. */
export const S_RESERVED = 3;
/** A sync call its target has started (FILLED → RUNNING by CAS): too late to cancel. */
export const S_RUNNING = 4;
/** A queued call its owner cancelled (FILLED → CANCELLED by CAS); the target skips it and frees the slot. */
export const S_CANCELLED = 5;

// ---- call metadata packing (S_META and X_META) ----
export const F_SYNC = 1; // the caller waits for a result (call / callSync); else post
export const F_ARENA = 2; // arguments are in the slot's arena share, not inline
/** A fence in a lane (fence.ts): no call; answered once every call pushed to the target before it has started. */
export const F_FENCE = 4;
export const META_ID_MASK = 0xffff;
export const MAX_CALLS = 0xffff;

export const packMeta = (callId: number, argc: number, flags: number): number =>
  (callId & META_ID_MASK) | ((argc & 0xff) << 16) | ((flags & 0x7f) << 24);
export const metaCallId = (meta: number): number => meta & META_ID_MASK;
export const metaArgc = (meta: number): number => (meta >>> 16) & 0xff;
export const metaFlags = (meta: number): number => (meta >>> 24) & 0x7f;

// ---- result status ----
export const STATUS_OK = 0;
export const STATUS_THREW = 1; // the function threw: the result area holds the encoded error
export const STATUS_ARENA = 2; // flag: the result is in the arena, not inline
export const STATUS_GONE = 4; // the target died (or was closed) before finishing the call

export interface LayoutOptions {
  agents: number;
  slotsPerAgent: number;
  arenaPerSlot: number;
  /** Pages of big arena per agent. */
  bigPages?: number;
  tableHash: number;
}

/** Every offset of one domain's buffer, computed once from its sizes. */
export interface Layout {
  readonly agents: number;
  readonly slotsPerAgent: number;
  readonly totalSlots: number;
  readonly arenaPerSlot: number;
  readonly tableHash: number;
  /** Int32 index of word 0 of agent 0's hot line. */
  readonly hotBase: number;
  readonly coldBase: number;
  readonly slotBase: number;
  /** Byte offset of the arena. */
  readonly arenaBaseByte: number;
  readonly bigPages: number;
  /** Int32 index of agent 0's page bitmap; each agent has `bitmapWords` words. */
  readonly bitmapBase: number;
  readonly bitmapWords: number;
  /** Byte offset of agent 0's big arena. */
  readonly bigBaseByte: number;
  readonly totalBytes: number;
}

export const WORDS_PER_LINE = LINE_BYTES / 4;
export const WORDS_PER_SLOT = SLOT_BYTES / 4;

export function makeLayout(o: LayoutOptions): Layout {
  const arenaPerSlot = Math.ceil(o.arenaPerSlot / 8) * 8;
  const hotBase = WORDS_PER_LINE;
  const coldBase = hotBase + o.agents * WORDS_PER_LINE;
  const slotBase = coldBase + o.agents * WORDS_PER_LINE;
  const totalSlots = o.agents * o.slotsPerAgent;
  const arenaBaseByte = (slotBase + totalSlots * WORDS_PER_SLOT) * 4;
  const bigPages = o.bigPages ?? 0;
  const bitmapWords = Math.ceil(bigPages / 32);
  const bitmapBase = (arenaBaseByte + totalSlots * arenaPerSlot) / 4;
  const bigBaseByte = Math.ceil(((bitmapBase + o.agents * bitmapWords) * 4) / PAGE_BYTES) * PAGE_BYTES;
  const totalBytes = bigBaseByte + o.agents * bigPages * PAGE_BYTES;
  return {
    agents: o.agents,
    slotsPerAgent: o.slotsPerAgent,
    totalSlots,
    arenaPerSlot,
    tableHash: o.tableHash >>> 0,
    hotBase,
    coldBase,
    slotBase,
    arenaBaseByte,
    bigPages,
    bitmapBase,
    bitmapWords,
    bigBaseByte,
    totalBytes,
  };
}

/** Int32 index of `word` in `agent`'s hot line. */
export const hot = (L: Layout, agent: number, word: number): number => L.hotBase + agent * WORDS_PER_LINE + word;
/** Int32 index of `word` in `agent`'s cold line. */
export const cold = (L: Layout, agent: number, word: number): number => L.coldBase + agent * WORDS_PER_LINE + word;
/** Int32 index of `word` in slot `slot` (a global slot index: owner * slotsPerAgent + i). */
export const slotWord = (L: Layout, slot: number, word: number): number => L.slotBase + slot * WORDS_PER_SLOT + word;
/** Byte offset of a slot's first byte. */
export const slotByte = (L: Layout, slot: number): number => (L.slotBase + slot * WORDS_PER_SLOT) * 4;
/** Byte offset of a slot's share of its owner's arena. */
export const arenaByte = (L: Layout, slot: number): number => L.arenaBaseByte + slot * L.arenaPerSlot;
/** Byte offset of an agent's hot line. */
export const hotByte = (L: Layout, agent: number): number => (L.hotBase + agent * WORDS_PER_LINE) * 4;
export const coldByte = (L: Layout, agent: number): number => (L.coldBase + agent * WORDS_PER_LINE) * 4;
/** Int32 index of word `w` of `agent`'s page bitmap. */
export const bitmapWord = (L: Layout, agent: number, w: number): number => L.bitmapBase + agent * L.bitmapWords + w;
/** Byte offset of page `page` of `agent`'s big arena. */
export const pageByte = (L: Layout, agent: number, page: number): number => L.bigBaseByte + (agent * L.bigPages + page) * PAGE_BYTES;
export const slotOwner = (L: Layout, slot: number): number => (slot / L.slotsPerAgent) | 0;
export const firstSlot = (L: Layout, agent: number): number => agent * L.slotsPerAgent;

/** What an Int32 word of the buffer is, for diagnostics (the watchdog, the checker's traces). */
export type WordKind = 'header' | 'hot' | 'cold' | 'slot' | 'data';
export interface WordName {
  kind: WordKind;
  /** The agent whose line it is (hot, cold), or the slot's owner. */
  agent: number;
  /** The global slot index (slot words), else -1. */
  slot: number;
  /** The word inside its header, line or slot (HOT_*, X_*, COLD_*, S_* above). */
  word: number;
}

export function decodeWord(L: Layout, index: number): WordName {
  if (index < L.hotBase) return { kind: 'header', agent: -1, slot: -1, word: index };
  if (index < L.coldBase) {
    const agent = Math.floor((index - L.hotBase) / WORDS_PER_LINE);
    return { kind: 'hot', agent, slot: -1, word: (index - L.hotBase) % WORDS_PER_LINE };
  }
  if (index < L.slotBase) {
    const agent = Math.floor((index - L.coldBase) / WORDS_PER_LINE);
    return { kind: 'cold', agent, slot: -1, word: (index - L.coldBase) % WORDS_PER_LINE };
  }
  const slot = Math.floor((index - L.slotBase) / WORDS_PER_SLOT);
  if (slot < L.totalSlots) return { kind: 'slot', agent: slotOwner(L, slot), slot, word: (index - L.slotBase) % WORDS_PER_SLOT };
  return { kind: 'data', agent: -1, slot: -1, word: index };
}

/** Write the header of a fresh buffer. */
export function writeHeader(i32: Int32Array, L: Layout): void {
  i32[H_VERSION] = LAYOUT_VERSION;
  i32[H_HASH] = L.tableHash | 0;
  i32[H_AGENTS] = L.agents;
  i32[H_SLOTS] = L.slotsPerAgent;
  i32[H_ARENA_PER_SLOT] = L.arenaPerSlot;
  i32[H_BIG_PAGES] = L.bigPages;
  for (let a = 0; a < L.agents; a++) {
    i32[hot(L, a, HOT_INBOX)] = inboxWord(0, INBOX_EMPTY);
    i32[hot(L, a, HOT_STATE)] = RUNNING;
  }
  for (let s = 0; s < L.totalSlots; s++) i32[slotWord(L, s, S_NEXT)] = EMPTY;
  // Magic last: an agent that attaches sees a fully written header or none.
  Atomics.store(i32, H_MAGIC, MAGIC);
}

/** Read the layout back without checking the call table (for threads that run no calls). */
export function readHeaderUnchecked(i32: Int32Array): Layout {
  return readHeader(i32, i32[H_HASH]! >>> 0);
}

/**
 * Read the layout back from a buffer written by `writeHeader`, checking that it is one and that the
 * attaching agent agrees on the call table. Throws a plain Error with a reason; the caller wraps it.
 */
export function readHeader(i32: Int32Array, expectedTableHash: number): Layout {
  if (i32.length < WORDS_PER_LINE) throw new Error('buffer is smaller than a header');
  if (Atomics.load(i32, H_MAGIC) !== MAGIC) throw new Error('bad magic: not an smpcall buffer');
  if (i32[H_VERSION] !== LAYOUT_VERSION) {
    throw new Error(`layout version ${i32[H_VERSION]} is not ${LAYOUT_VERSION}: mixed smpcall versions`);
  }
  const L = makeLayout({
    agents: i32[H_AGENTS]!,
    slotsPerAgent: i32[H_SLOTS]!,
    arenaPerSlot: i32[H_ARENA_PER_SLOT]!,
    bigPages: i32[H_BIG_PAGES]!,
    tableHash: i32[H_HASH]! >>> 0,
  });
  if (L.agents < 1 || L.slotsPerAgent < 1 || L.totalSlots > MAX_TOTAL_SLOTS || L.bigPages < 0 || L.arenaPerSlot < 0 || !(L.totalBytes <= i32.byteLength)) {
    throw new Error('header sizes do not fit the buffer');
  }
  if (L.tableHash !== expectedTableHash >>> 0) {
    throw new Error('call table differs between agents (its fingerprint does not match)');
  }
  return L;
}
