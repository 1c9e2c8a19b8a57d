/**
 * smpcall: fast, safe cross-thread function calls over one SharedArrayBuffer.
 * Public exports only; see README.md and DESIGN.md.
 */
export { start, type Domain, type DomainEvents, type StartOptions } from './domain.js';
export type { StallReport } from './watchdog.js';
export { defineCalls, type CallTable } from './table.js';
export { here } from './current.js';
export { registerClass } from './codec/class-registry.js';
export type { AgentHandle, Args, Result, CallName, ManyOptions, Settled, CallOptions, AgentStats } from './agent.js';
export { SmpcallError, SmpcallTypeError, codes, type SmpcallCode } from './errors.js';
