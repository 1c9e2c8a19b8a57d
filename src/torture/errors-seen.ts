/**
 * The first few errors, in words, for the report. Each thread keeps its own; workers print theirs
 * (their counters are in the ledger, so nothing is lost if a line is). The main thread's list goes
 * into the result.
 */
import { KINDS, type Kind } from './kinds.js';
import type { Ledger } from './ledger.js';

const MAX_NOTED = 20;
export const seen: string[] = [];
let dropped = 0;
/** Where a thread's error lines go (main: collected into the report; workers: printed). */
export let errorSink: ((line: string) => void) | undefined;
export const setErrorSink = (f: ((line: string) => void) | undefined): void => {
  errorSink = f;
};

export function noteError(_L: Ledger, kind: Kind, text: string): void {
  if (seen.length >= MAX_NOTED) {
    dropped++;
    return;
  }
  const line = `[${KINDS[kind] ?? kind}] ${text}`;
  seen.push(line);
  if (errorSink) errorSink(line);
  else console.error(`smpcall torture: ${line}`);
}

export const droppedErrors = (): number => dropped;
