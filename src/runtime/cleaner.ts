/**
 * A protocol context for a thread that is not an agent but completes the calls of dead agents
 * (the guardian). It serves nothing and sends nothing; it only runs `failAgent`.
 */
import { EMPTY, type Layout } from '../layout.js';
import { AtomicsMem } from '../mem.js';
import type { Ctx, Host } from '../protocol/context.js';

const inert: Host = {
  take() {},
  run: () => true,
  writeArgs() {},
  reap: () => false,
  ready: () => false,
  stalled: (_i, _w) => 1000,
};

export function cleanerCtx(buffer: SharedArrayBuffer, L: Layout): Ctx {
  return {
    mem: new AtomicsMem(buffer),
    host: inert,
    L,
    id: -1,
    cursor: EMPTY,
    expressBusy: false,
    spinRounds: 0,
    parkTimeoutMs: 1000,
    nextFree: 0,
    lastSlot: new Int32Array(0),
    lastSeq: new Int32Array(0),
    stats: new Int32Array(8),
  };
}
