/**
 * Load a compiled twin: the protocol modules as generator functions, typed for the checker. These are
 * the entry points the runtime (src/agent/) calls; the checker's programs call exactly these.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PendingOp } from './machine.js';
import { buildTwin, readSources, type Patch } from './twin.js';

type G<T = void> = Generator<PendingOp, T, unknown>;
// The twin functions take the same arguments as the protocol's, and return generators.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Twin {
  call: {
    CALL_OK: number;
    CALL_NO_SLOT: number;
    CALL_TIMED_OUT: number;
    callSync(a: any, target: number, meta: number, express: boolean, slotWaitMs: number, deadline: number): G<number>;
    callAsync(a: any, target: number, meta: number, slotWaitMs: number, k: number, express: boolean): G<number>;
    awaitCall(a: any, slot: number, seq: number): G;
    post(a: any, target: number, meta: number, express: boolean, slotWaitMs: number): G<boolean>;
    sentSeq(a: any, slot: number): number;
  };
  cancel: { CANCEL_LATE: number; CANCEL_NEVER_RAN: number; CANCEL_ABANDONED: number; cancelCall(a: any, slot: number): G<number> };
  pending: { isAwaited(a: any, slot: number, seq: number): G<boolean> };
  pump: {
    PUMP_IDLE: number;
    PUMP_SPIN: number;
    PUMP_AGAIN: number;
    PUMP_CLOSED: number;
    pumpWork(a: any): G<number>;
    pumpIdle(a: any, mayEnd: boolean): G<number>;
  };
  wait: { parkEnd(a: any): G; tryPark(a: any): G<number> };
  death: { failAgent(a: any, dead: number): G<number>; failExited(a: any): G<number> };
  adopt: { adopt(a: any): G; revive(a: any): G };
  close: { beginClose(a: any): G };
  context: { makeCtx(o: any): any };
  variant?: {
    variantCallSync(a: any, target: number, meta: number): G<number>;
    variantPost(a: any, target: number, meta: number): G;
    variantServeOne(a: any): G<boolean>;
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const variantDir = fileURLToPath(new URL('../../src/variants/', import.meta.url));
const MODULES = ['call', 'cancel', 'pending', 'pump', 'wait', 'death', 'adopt', 'close', 'context'] as const;

/** Compile (or reuse) and import the twin of the protocol, patched, optionally with a variant. */
export async function loadTwin(patches: Patch[] = [], variant?: string): Promise<Twin> {
  const extra: Record<string, string> = {};
  if (variant) extra[`${variant}.ts`] = readFileSync(`${variantDir}${variant}.ts`, 'utf8');
  const dir = await buildTwin(readSources(patches, extra));
  const loaded = await Promise.all(MODULES.map((m) => import(`${dir}${m}.js`)));
  const twin = Object.fromEntries(MODULES.map((m, k) => [m, loaded[k]])) as unknown as Twin;
  if (variant) twin.variant = await import(`${dir}${variant}.js`);
  return twin;
}
