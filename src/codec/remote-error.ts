/**
 * Errors across agents. A function that throws on agent B reaches its caller on agent A as an
 * `SmpcallError` with code ERR_SMPCALL_REMOTE whose `cause` is an Error rebuilt with the remote
 * name, message, stack (and `code`, when the remote error had one).
 */
import { SmpcallError, codes } from '../errors.js';

export interface CarriedError {
  name: string;
  message: string;
  stack: string;
  code?: string | number;
}

/** Turn anything thrown into a plain object the codec can carry. */
export function encodableError(e: unknown): CarriedError {
  // Whatever was thrown, describing it must not throw (getters, null prototypes, bigints in JSON...).
  const safe = (f: () => string, fallback: string): string => {
    try {
      return f();
    } catch {
      return fallback;
    }
  };
  if (e instanceof Error) {
    const out: CarriedError = {
      name: safe(() => String(e.name), 'Error'),
      message: safe(() => String(e.message), '(unreadable message)'),
      stack: safe(() => String(e.stack ?? ''), ''),
    };
    const code = safe(() => {
      const c = (e as { code?: unknown }).code;
      return typeof c === 'string' || typeof c === 'number' ? String(c) : '';
    }, '');
    if (code !== '') out.code = code;
    return out;
  }
  const message = safe(
    () => (typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e))),
    safe(() => String(e), `a value of type ${typeof e} that cannot be described`),
  );
  return { name: 'Error', message: `non-Error value thrown: ${message}`, stack: '' };
}

/** Rebuild a carried error on the caller's side. */
export function decodeRemoteError(carried: unknown, callName: string, agent: number): SmpcallError {
  const c = (carried ?? {}) as Partial<CarriedError>;
  const cause = new Error(String(c.message ?? ''));
  cause.name = String(c.name ?? 'Error');
  if (c.stack) cause.stack = c.stack;
  if (c.code !== undefined) (cause as Error & { code?: unknown }).code = c.code;
  return new SmpcallError(codes.REMOTE, `"${callName}" on agent ${agent} threw ${cause.name}: ${cause.message}`, { cause });
}
