/**
 * What a sync worker returns for one call, and how the caller opens it. Primitives come back as they
 * are (the common case, and the one the express lane carries inline); any other result is wrapped in a
 * one-element array; a thrown value comes back as `{ thrown, props }`, so the caller can rethrow it as
 * synckit does: the error itself (same class, message and stack), with its own extra properties (a
 * parser's `loc`, a `code`...), not wrapped in an smpcall error. When the worker wrote to stdout or
 * stderr during the call, the outcome comes as `{ out, r }`.
 */
import { writeOutput, type Output } from './stdio.js';

export type Envelope = string | number | boolean | bigint | null | undefined | [unknown] | ThrownEnvelope | WithOutput;

interface ThrownEnvelope {
  thrown: unknown;
  props?: Record<string, unknown>;
}

/** An outcome with what the worker wrote to stdout / stderr meanwhile (see stdio.ts). */
interface WithOutput {
  out: Output;
  r: Envelope;
}

/** Attach the worker's held output, if any, to an outcome. */
export function withOutput(r: Envelope, out: Output | undefined): Envelope {
  return out === undefined ? r : { out, r };
}

export function wrapResult(value: unknown): Envelope {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value as Envelope;
  return [value];
}

/** Keys the codec carries for an Error already, or that must not be copied onto one. */
const ERROR_OWN = new Set(['name', 'message', 'stack', 'cause']);

export function wrapThrown(e: unknown): Envelope {
  if (!(e instanceof Error)) return { thrown: isData(e, { left: 10_000, seen: new Set() }) ? e : new Error(`non-Error value thrown: ${String(e)}`) };
  let props: Record<string, unknown> | undefined;
  const budget = { left: 10_000, seen: new Set<object>() };
  for (const key of Object.keys(e)) {
    if (ERROR_OWN.has(key)) continue;
    let v: unknown;
    try {
      v = (e as unknown as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    // Keep what can travel; a property that cannot (a function, a class instance) is left behind,
    // rather than losing the whole error to it.
    if (isData(v, budget)) (props ??= {})[key] = v;
  }
  const cause = (e as { cause?: unknown }).cause;
  if (cause !== undefined && !isData(cause, budget)) {
    // The codec would refuse the whole error for its cause: send a copy without it.
    const copy = new Error(e.message);
    copy.name = e.name;
    copy.stack = e.stack;
    return { thrown: copy, props };
  }
  return props ? { thrown: e, props } : { thrown: e };
}

/** Caller side: write the worker's output, then return the result or throw what the worker threw. */
export function openEnvelope(r: unknown): unknown {
  if (r === null || typeof r !== 'object') return r;
  if (Array.isArray(r)) return r[0];
  if ('out' in r) {
    writeOutput((r as WithOutput).out);
    return openEnvelope((r as WithOutput).r);
  }
  const { thrown, props } = r as ThrownEnvelope;
  if (props !== undefined && thrown !== null && typeof thrown === 'object') Object.assign(thrown, props);
  throw thrown;
}

/** Plain data the codec carries: primitives, plain objects and arrays, and the built-ins it knows. */
function isData(v: unknown, budget: { left: number; seen: Set<object> }): boolean {
  if (--budget.left < 0) return false;
  if (v === null) return true;
  const t = typeof v;
  if (t === 'function' || t === 'symbol') return false;
  if (t !== 'object') return true;
  const o = v as object;
  if (budget.seen.has(o)) return true; // the codec keeps cycles and shared references
  budget.seen.add(o);
  if (o instanceof Date || o instanceof RegExp || ArrayBuffer.isView(o) || o instanceof ArrayBuffer) return true;
  if (o instanceof Error) return isData((o as { cause?: unknown }).cause, budget);
  if (o instanceof Map) {
    for (const [k, x] of o) if (!isData(k, budget) || !isData(x, budget)) return false;
    return true;
  }
  if (o instanceof Set) {
    for (const x of o) if (!isData(x, budget)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(o);
  if (!Array.isArray(o) && proto !== Object.prototype && proto !== null) return false;
  for (const k of Object.keys(o)) if (!isData((o as Record<string, unknown>)[k], budget)) return false;
  return true;
}
