/**
 * A failure no caller can receive (`domain.on('error', ...)`): a post that threw on its target, or
 * shared memory found corrupt while serving. Reported once, on the main thread, whichever agent saw it;
 * with no listener it is printed as a warning.
 *
 * @example
 * ```ts
 * domain.on('error', (e) => log.error(`agent ${e.agent}: ${e.message}`));
 * ```
 */
export interface ErrorReport {
  /** The agent that saw it. */
  agent: number;
  /** ERR_SMPCALL_REMOTE for a post that threw; ERR_SMPCALL_CORRUPT for corrupt shared memory. */
  code: string;
  /** The call, for a post that threw. */
  call?: string;
  /** The agent that posted it. */
  from?: number;
  /** One line saying what happened. */
  message: string;
  /** What was thrown (an Error when it was one). */
  error?: unknown;
}
