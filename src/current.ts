/**
 * `here()`: the agent handle of the thread that is running right now, and, inside a called
 * function, of the agent that runs that call (a thread can belong to several domains).
 */
import type { Agent } from './agent.js';
import type { AgentHandle } from './agent.js';
import { SmpcallError, codes } from './errors.js';
import type { CallTable } from './table.js';

let threadAgent: Agent | undefined;
let runningAgent: Agent | undefined;

export function setThreadAgent(a: Agent | undefined): void {
  threadAgent = a;
}

/** Set while `a` runs a served call; returns the previous value to restore. */
export function enterAgent(a: Agent | undefined): Agent | undefined {
  const prev = runningAgent;
  runningAgent = a;
  return prev;
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
  const a = runningAgent ?? threadAgent;
  if (a === undefined) throw new SmpcallError(codes.USAGE, 'here() was called on a thread that is not an smpcall agent');
  return a as unknown as AgentHandle<T>;
}
