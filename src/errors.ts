/**
 * Every error smpcall itself raises carries a stable `code`. Callers branch on the code, never on
 * the message. The README's "Errors" section lists them.
 */
/**
 * Every `code` smpcall's errors carry.
 *
 * @example
 * ```ts
 * try { domain.callSync(1, 'work'); }
 * catch (e) { if (e.code === codes.AGENT_GONE) console.warn('worker 1 died mid-call'); }
 * ```
 */
export const codes = {
  /** The call name is not in the call table. */
  UNKNOWN_CALL: 'ERR_SMPCALL_UNKNOWN_CALL',
  /** Wrong number of arguments for the function. */
  ARITY: 'ERR_SMPCALL_ARITY',
  /** The target is not an agent id of this domain. */
  BAD_TARGET: 'ERR_SMPCALL_BAD_TARGET',
  /** A value the codec cannot carry (function, symbol, class instance, cycle...). */
  UNCLONEABLE: 'ERR_SMPCALL_UNCLONEABLE',
  /** Arguments or result larger than the slot's arena share. */
  TOO_LARGE: 'ERR_SMPCALL_TOO_LARGE',
  /** The called function threw; `cause` holds the remote error. */
  REMOTE: 'ERR_SMPCALL_REMOTE',
  /** The domain is closing or closed. */
  CLOSED: 'ERR_SMPCALL_CLOSED',
  /** The caller aborted the call through its AbortSignal. */
  ABORTED: 'ERR_SMPCALL_ABORTED',
  /** The call did not finish within its `timeoutMs`. */
  TIMEOUT: 'ERR_SMPCALL_TIMEOUT',
  /** Calls nested deeper than the agent allows (runaway recursion between agents). */
  TOO_DEEP: 'ERR_SMPCALL_TOO_DEEP',
  /**
   * No slot of the caller's own pool came free within `slotWaitMs`: every one stayed in flight (the
   * message says where). Nothing was sent. Usually a cycle through a blocked event loop: see the
   * README's limits.
   */
  NO_SLOT: 'ERR_SMPCALL_NO_SLOT',
  /** The target agent exited before finishing the call. */
  AGENT_GONE: 'ERR_SMPCALL_AGENT_GONE',
  /** A blocking call where blocking is impossible (a browser main thread). */
  SYNC_UNAVAILABLE: 'ERR_SMPCALL_SYNC_UNAVAILABLE',
  /** Shared memory does not look like smpcall's (bad index, cycle, bad header). */
  CORRUPT: 'ERR_SMPCALL_CORRUPT',
  /** Agents disagree on the layout or the call table. */
  MISMATCH: 'ERR_SMPCALL_MISMATCH',
  /** `here()` outside an agent, or a bad option to `start`. */
  USAGE: 'ERR_SMPCALL_USAGE',
  /** A worker failed to start (its call table did not load, for example). */
  START_FAILED: 'ERR_SMPCALL_START_FAILED',
} as const;

/** One of the `codes`, e.g. `'ERR_SMPCALL_TIMEOUT'`. */
export type SmpcallCode = (typeof codes)[keyof typeof codes];

/**
 * An error raised by smpcall itself (a remote function's own error arrives as its `cause`, with
 * code ERR_SMPCALL_REMOTE). `code` is stable.
 *
 * @example
 * ```ts
 * try { await domain.call(1, 'fail'); }
 * catch (e) { if (e instanceof SmpcallError && e.code === codes.REMOTE) console.log(e.cause); }
 * ```
 */
export class SmpcallError extends Error {
  /** Stable: branch on it, not on the message. */
  readonly code: SmpcallCode;
  constructor(code: SmpcallCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmpcallError';
    this.code = code;
  }
}

/**
 * Bad input from the caller: a TypeError (as for any bad argument in JS) with a stable code; nothing
 * was sent.
 *
 * @example
 * ```ts
 * try { domain.callSync(1, 'echo', () => 1); }
 * catch (e) { console.log(e instanceof SmpcallTypeError, e.code); } // true 'ERR_SMPCALL_UNCLONEABLE'
 * ```
 */
export class SmpcallTypeError extends TypeError {
  /** Stable: branch on it, not on the message. */
  readonly code: SmpcallCode;
  constructor(code: SmpcallCode, message: string) {
    super(message);
    this.name = 'TypeError';
    this.code = code;
  }
}

export const corrupt = (what: string): SmpcallError =>
  new SmpcallError(codes.CORRUPT, `smpcall shared memory is corrupt: ${what}`);
