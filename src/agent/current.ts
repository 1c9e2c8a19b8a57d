/**
 * `here()`: the agent handle of the thread that is running right now, and, inside a called
 * function, of the agent that runs that call (a thread can belong to several domains).
 */
import { SmpcallError, codes } from '../errors.js';
import type { SharedBuffers } from '../codec/shared-buffers.js';
import type { CallTable } from '../table.js';
import type { AgentHandle } from './types.js';

/** What this module keeps of an agent: its public handle and the buffers registered with its domain. */
export interface Current {
  readonly handle: AgentHandle;
  readonly shared: SharedBuffers;
}

interface Als {
  run<R>(store: Current, fn: () => R): R;
  getStore(): Current | undefined;
}

/** What the thread knows of its agents. */
interface ThreadState {
  /** The agent this thread is (a worker's, or the main thread's latest domain). */
  threadAgent: Current | undefined;
  /** The agent running a served call right now. */
  runningAgent: Current | undefined;
  agentsOnThread: number;
  /** Async context, once several agents share this thread. */
  als: Als | undefined;
}

// One per thread, kept on the global object: here() must answer the same in every copy of this
// module a thread may load (a bundler's duplicate; the tools' own modules beside the package's bundles).
const THREAD = Symbol.for('smpcall.thread');
const state: ThreadState = ((globalThis as { [THREAD]?: ThreadState })[THREAD] ??= {
  threadAgent: undefined,
  runningAgent: undefined,
  agentsOnThread: 0,
  als: undefined,
});

export function setThreadAgent(a: Current | undefined): void {
  state.threadAgent = a;
  if (a !== undefined && ++state.agentsOnThread === 2) {
    // Several domains on one thread: here() must follow a served call across its awaits, which
    // takes async context. Runtimes with node:async_hooks have it; others keep the thread's agent.
    const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const hooks = getBuiltin?.('node:async_hooks') as { AsyncLocalStorage?: new () => Als } | undefined;
    if (hooks?.AsyncLocalStorage) state.als = new hooks.AsyncLocalStorage();
  }
}

/** More than one agent lives on this thread (so served calls carry async context). */
export const sharedThread = (): boolean => state.als !== undefined;

/** Run `fn` with `a` as here(), also in the async continuations `fn` starts. */
export function runAs<R>(a: Current, fn: () => R): R {
  const als = state.als;
  return als === undefined ? fn() : als.run(a, fn);
}

/** Set while `a` runs a served call; returns the previous value to restore. */
export function enterAgent(a: Current | undefined): Current | undefined {
  const prev = state.runningAgent;
  state.runningAgent = a;
  return prev;
}

function current(): Current {
  const a = state.runningAgent ?? state.als?.getStore() ?? state.threadAgent;
  if (a === undefined) throw new SmpcallError(codes.USAGE, 'here() was called on a thread that is not an smpcall agent');
  return a;
}

/**
 * The handle of the agent running this code: inside a called function, the agent running the call;
 * elsewhere, this thread's agent. Pass the call table's type to get typed methods.
 *
 * @example
 * ```ts
 * import { defineCalls, here } from 'smpcall';
 * export default defineCalls({
 *   ping: () => here().id,
 *   relay: (to: number) => here().callSync(to, 'ping'),
 * });
 * ```
 */
export function here<T extends CallTable = CallTable>(): AgentHandle<T> {
  return current().handle as unknown as AgentHandle<T>;
}

/** The SharedArrayBuffers registered (`domain.share()`) with the domain of the agent running this code. */
export function sharedBuffers(): SharedBuffers {
  return current().shared;
}
