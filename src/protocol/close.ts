/**
 * Closing a domain: one header word says no new call may be made anywhere; every agent is rung so
 * that a parked one sees it, serves what is still queued, and ends once idle (pump.ts).
 */
import { H_CLOSING } from '../layout.js';
import type { Ctx } from './context.js';
import { failAgent } from './death.js';
import { ring } from './doorbell.js';

export function beginClose(a: Ctx): void {
  const { mem, L } = a;
  mem.store(H_CLOSING, 1);
  for (let t = 0; t < L.agents; t++) if (t !== a.id) ring(a, t);
}

export function isClosing(a: Ctx): boolean {
  return a.mem.load(H_CLOSING) !== 0;
}

/** The closing agent is done: mark it DEAD and fail whatever still reached it, so no caller waits on it. */
export function retire(a: Ctx): number {
  return failAgent(a, a.id);
}
