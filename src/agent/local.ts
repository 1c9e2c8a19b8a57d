/**
 * A call from an agent to itself runs at once (the kernel does the same), but otherwise exactly like a
 * call to another agent: arguments and result are copied by the codec (so what cannot travel is
 * refused the same way), errors arrive as ERR_SMPCALL_REMOTE, and here() names this agent.
 */
import { SmpcallError, codes } from '../errors.js';
import { decodeRemoteError, encodableError } from '../codec/remote-error.js';
import type { Payloads } from '../codec/payloads.js';
import type { CallEntry } from '../table.js';
import { enterAgent, runAs, type Current } from './current.js';
import { isThenable } from './thenable.js';
import type { PostErrorSink } from './server.js';

export class LocalCalls {
  constructor(
    private readonly self: Current,
    private readonly id: number,
    private readonly payloads: Payloads,
    private readonly postFailed: PostErrorSink,
  ) {}

  /** Copy values through the codec; primitives (the common case) need no copy. */
  private copy(values: unknown[], what: string): unknown[] {
    for (let i = 0; i < values.length; i++) {
      const t = typeof values[i];
      if ((t === 'object' && values[i] !== null) || t === 'function' || t === 'symbol') return this.payloads.clone(values, what);
    }
    return values;
  }

  /** Run `fn` as a served call of this agent (here() names it, also after an await). */
  private asServed<R>(fn: () => R): R {
    const outer = enterAgent(this.self);
    try {
      return runAs(this.self, fn);
    } finally {
      enterAgent(outer);
    }
  }

  private result(entry: CallEntry, value: unknown): unknown {
    try {
      return this.copy([value], `the result of "${entry.name}"`)[0];
    } catch (e) {
      // As from another agent: smpcall's refusal of the result keeps its code.
      throw decodeRemoteError(encodableError(e, 'result'), entry.name, this.id);
    }
  }

  sync(entry: CallEntry, args: unknown[]): unknown {
    const copied = this.copy(args, `arguments of "${entry.name}"`);
    let result: unknown;
    let later: boolean;
    try {
      result = this.asServed(() => entry.fn(...copied));
      // Reading `then` runs user code (a getter, a proxy), which may throw: that is the call's error.
      later = isThenable(result);
    } catch (e) {
      throw decodeRemoteError(encodableError(e), entry.name, this.id);
    }
    if (later) {
      throw new SmpcallError(codes.USAGE, `callSync to this same agent cannot block on the async function "${entry.name}"; use call()`);
    }
    return this.result(entry, result);
  }

  async(entry: CallEntry, args: unknown[]): Promise<unknown> {
    let copied: unknown[];
    try {
      copied = this.copy(args, `arguments of "${entry.name}"`);
    } catch (e) {
      return Promise.reject(e);
    }
    return (async () => {
      let result: unknown;
      try {
        result = await this.asServed(() => entry.fn(...copied));
      } catch (e) {
        throw decodeRemoteError(encodableError(e), entry.name, this.id);
      }
      return this.result(entry, result);
    })();
  }

  post(entry: CallEntry, args: unknown[]): void {
    const copied = this.copy(args, `arguments of "${entry.name}"`);
    try {
      const r = this.asServed(() => entry.fn(...copied));
      // Promise.resolve, as `await` takes it: a thenable's `then` may throw or call back twice.
      if (isThenable(r)) Promise.resolve(r).then(undefined, (e: unknown) => this.postFailed(entry.name, this.id, e));
    } catch (e) {
      this.postFailed(entry.name, this.id, e);
    }
  }
}
