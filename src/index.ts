/**
 * smpcall: fast, safe cross-thread function calls over one SharedArrayBuffer.
 * Public exports only; see README.md and DESIGN.md.
 */
export { start } from './domain/start.js';
export type { Domain } from './domain/domain.js';
export type { DomainEvents } from './domain/events.js';
export type { StartOptions } from './domain/options.js';
export type { StallReport } from './stall-report.js';
export type { ErrorReport } from './error-report.js';
export { defineCalls, type CallTable } from './table.js';
export { here } from './agent/current.js';
export { registerClass } from './codec/class-registry.js';
export type { AgentHandle, AgentProxy, AgentSyncProxy, Args, Result, CallName, ManyOptions, Settled, CallOptions, AgentStats, CondPredicate } from './agent/types.js';
export { SmpcallError, SmpcallTypeError, codes, type SmpcallCode } from './errors.js';
