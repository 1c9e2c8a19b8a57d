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
  if (e instanceof Error) {
    const out: CarriedError = { name: e.name, message: e.message, stack: String(e.stack ?? '') };
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    return out;
  }
  let message: string;
  try {
    message = typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
  } catch {
    message = String(e);
  }
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
