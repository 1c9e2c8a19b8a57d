/**
 * smpcall/sync: synckit's API on smpcall. Change `from 'synckit'` to `from 'smpcall/sync'` in the
 * main file and the worker file; calls then go through shared memory instead of messages.
 */
export { createSyncFn } from './create.js';
export { runAsWorker } from './registry.js';
export type { AnyFn, Syncify, SyncOptions, SynckitOptions, GlobalShim, TsRunnerName, ValueOf } from './types.js';
export * from './constants.js';
export { SmpcallError, SmpcallTypeError, codes, type SmpcallCode } from '../errors.js';
