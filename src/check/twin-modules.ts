/**
 * Load a compiled twin: the protocol modules as generator functions, typed for the checker.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PendingOp } from './machine.js';
import { buildTwin, readSources, type Patch } from './twin.js';

type G<T = void> = Generator<PendingOp, T, unknown>;
// The twin functions take the same arguments as the protocol's, and return generators.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Twin {
  wait: {
    UNTIL_EQUAL: number;
    acquireSlot(a: any, deadline?: number): G<number>;
    tryAcquireSlot(a: any): G<number>;
    waitFor(a: any, until: number, index: number, value: number): G;
    tryPark(a: any): G<number>;
    parkEnd(a: any): G;
  };
  send: {
    callSync(a: any, target: number, meta: number, slot: number, express: boolean): G<number>;
    releaseCall(a: any, place: number, slot: number): G;
    sendHeld(a: any, target: number, meta: number, slot: number): G;
    tryPostExpress(a: any, target: number, meta: number): G<boolean>;
  };
  serve: { serveOne(a: any): G<boolean> };
  variant?: {
    variantCallSync(a: any, target: number, meta: number): G<number>;
    variantPost(a: any, target: number, meta: number): G;
    variantServeOne(a: any): G<boolean>;
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const variantDir = fileURLToPath(new URL('../../src/variants/', import.meta.url));

/** Compile (or reuse) and import the twin of the protocol, patched, optionally with a variant. */
export async function loadTwin(patches: Patch[] = [], variant?: string): Promise<Twin> {
  const extra: Record<string, string> = {};
  if (variant) extra[`${variant}.ts`] = readFileSync(`${variantDir}${variant}.ts`, 'utf8');
  const dir = await buildTwin(readSources(patches, extra));
  const [wait, send, serve, v] = await Promise.all([
    import(`${dir}wait.js`),
    import(`${dir}send.js`),
    import(`${dir}serve.js`),
    variant ? import(`${dir}${variant}.js`) : Promise.resolve(undefined),
  ]);
  return { wait, send, serve, variant: v } as Twin;
}
