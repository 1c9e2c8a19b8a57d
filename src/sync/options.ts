/**
 * Check `createSyncFn`'s options: keep what is supported, refuse clearly what is not (see SyncOptions).
 */
import { SmpcallError, codes } from '../errors.js';
import type { SyncOptions } from './types.js';

export interface CheckedOptions {
  /** Milliseconds, or undefined for no limit. */
  timeoutMs: number | undefined;
}

const refuse = (what: string, why: string): SmpcallError => new SmpcallError(codes.USAGE, `createSyncFn(): ${what} ${why}`);

export function checkSyncOptions(timeoutOrOptions: SyncOptions | number | undefined): CheckedOptions {
  const o: SyncOptions = typeof timeoutOrOptions === 'number' ? { timeout: timeoutOrOptions } : (timeoutOrOptions ?? {});
  if (o === null || typeof o !== 'object') throw refuse('the second argument', `must be a timeout in ms or an options object, got ${String(o)}`);
  const t = o.timeout;
  if (t !== undefined && !(typeof t === 'number' && t >= 0)) throw refuse('timeout', `must be a number of ms >= 0, got ${String(t)}`);
  if (o.execArgv !== undefined && !(Array.isArray(o.execArgv) && o.execArgv.length === 0)) {
    throw refuse('execArgv', 'is not supported: the worker inherits the process\'s execArgv (start node with the flags instead)');
  }
  if (o.globalShims !== undefined && o.globalShims !== false && !(Array.isArray(o.globalShims) && o.globalShims.length === 0)) {
    throw refuse('globalShims', 'is not supported: import what the worker needs in the worker file');
  }
  if (o.transferList !== undefined && !(Array.isArray(o.transferList) && o.transferList.length === 0)) {
    throw refuse('transferList', 'is not supported: arguments travel through shared memory, nothing is transferred');
  }
  if (o.tsRunner !== undefined && o.tsRunner !== 'node') {
    throw refuse('tsRunner', `"${String(o.tsRunner)}" is not supported: the worker loads files the way the process does (e.g. node --import ${String(o.tsRunner)} main.js)`);
  }
  return { timeoutMs: t };
}
