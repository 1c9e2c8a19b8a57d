/**
 * Errors across agents. A function that throws on agent B reaches its caller on agent A as an
 * `SmpcallError` with code ERR_SMPCALL_REMOTE whose `cause` is an Error rebuilt with the remote
 * name, message, stack (and `code`, when the remote error had one).
 *
 * smpcall's own failure to carry the call on the far side is not the function's error: arguments the
 * target could not decode, a result it could not encode. Those are marked (`carrier`) and arrive with
 * their own code (ERR_SMPCALL_UNCLONEABLE, ERR_SMPCALL_TOO_LARGE), as the same failure on the
 * caller's side does. A function that throws such an error itself (a nested call it made was
 * refused) still arrives as ERR_SMPCALL_REMOTE: only the server marks.
 */
import { SmpcallError, codes, type SmpcallCode } from '../errors.js';

export interface CarriedError {
  name: string;
  message: string;
  stack: string;
  code?: string | number;
  /** smpcall failed to carry the call's arguments or its result (not the function's own error). */
  carrier?: Carried;
}

/** What the far side could not carry. */
export type Carried = 'arguments' | 'result';

/** The codes a carrier failure may arrive with; any other marked code is the function's own error. */
const CARRIER_CODES: ReadonlySet<unknown> = new Set([codes.UNCLONEABLE, codes.TOO_LARGE]);

/** Turn anything thrown into a plain object the codec can carry; `carrier` marks smpcall's own failure. */
export function encodableError(e: unknown, carrier?: Carried): CarriedError {
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
    if (carrier !== undefined) out.carrier = carrier;
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
  if ((c.carrier === 'arguments' || c.carrier === 'result') && CARRIER_CODES.has(c.code)) {
    // The far side's message names the agents and the call for arguments; a result's names the value.
    const message = c.carrier === 'arguments' ? cause.message : `agent ${agent} could not send back the result of "${callName}": ${cause.message}`;
    return new SmpcallError(c.code as SmpcallCode, message, { cause });
  }
  return new SmpcallError(codes.REMOTE, `"${callName}" on agent ${agent} threw ${cause.name}: ${cause.message}`, { cause });
}
