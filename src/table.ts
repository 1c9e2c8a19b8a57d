/**
 * Call tables: the functions every agent of a domain can run, defined once in a module that every
 * agent imports, so all agents agree on names, ids and types.
 */
import { MAX_CALLS } from './layout.js';
import { SmpcallError, codes } from './errors.js';

/** Any function a call table may hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` parameters: every function is assignable, whatever it takes
export type AnyFn = (...args: any[]) => unknown;
/**
 * A call table: names to functions, as `defineCalls` returns it. Pass its type to `start` and `here`.
 *
 * @example
 * ```ts
 * import type calls from './calls.js';
 * const domain = await start<typeof calls>({ workers: 2, calls: new URL('./calls.js', import.meta.url) });
 * ```
 */
export type CallTable = Record<string, AnyFn>;

const TABLE = Symbol.for('smpcall.table');

/**
 * Declare the functions agents may call. Export the result as the default export of a module and
 * pass that module's URL to `start({ calls })`; every agent imports the same module.
 *
 * @example
 * ```ts
 * export default defineCalls({ add: (a: number, b: number) => a + b });
 * ```
 */
export function defineCalls<T extends CallTable>(table: T): T {
  if (table === null || typeof table !== 'object') {
    throw new TypeError('defineCalls expects an object of functions');
  }
  for (const [name, fn] of Object.entries(table)) {
    if (typeof fn !== 'function') throw new TypeError(`defineCalls: "${name}" is a ${typeof fn}, not a function`);
  }
  Object.defineProperty(table, TABLE, { value: true });
  return table;
}

/** One entry of a compiled table: what the runtime needs to check and run a call by id. */
export interface CallEntry {
  readonly id: number;
  readonly name: string;
  readonly fn: AnyFn;
  /** Fewest arguments accepted (parameters before the first default or rest). */
  readonly minArgs: number;
  /** Most arguments accepted (Infinity with a rest parameter). */
  readonly maxArgs: number;
}

export interface CompiledTable {
  readonly entries: CallEntry[];
  readonly byName: Map<string, CallEntry>;
  /** FNV-1a over the sorted names and arities: agents with different tables refuse each other. */
  readonly hash: number;
  /** One "name/min/max" string per call, sorted: what the hash is computed from. */
  readonly signature: string[];
}

/** Name the differences between two tables' signatures, for the error that refuses a mismatch. */
export function describeTableDifference(ours: readonly string[], theirs: readonly string[], here = 'here', there = 'there'): string {
  const split = (sig: readonly string[]) => new Map(sig.map((s) => [s.slice(0, s.indexOf('/')), s.slice(s.indexOf('/') + 1)] as const));
  const a = split(ours);
  const b = split(theirs);
  const out: string[] = [];
  for (const [name, arity] of b) {
    if (!a.has(name)) out.push(`"${name}" is missing ${here}`);
    else if (a.get(name) !== arity) out.push(`"${name}" takes ${arity.replace('/', '..')} arguments ${there} but ${a.get(name)!.replace('/', '..')} ${here}`);
  }
  for (const name of a.keys()) if (!b.has(name)) out.push(`"${name}" exists only ${here}`);
  return out.join('; ') || 'the tables differ';
}

/**
 * The most arguments a function declares, read from its source: its parameter list, skipping
 * strings, template literals, comments and anything nested (default values may hold calls, arrows
 * and objects). Infinity when it takes a rest parameter, or when its source does not show a
 * parameter list (a native or bound function): a call is never refused that the function would take.
 */
export function maxParams(fn: AnyFn): number {
  let src: string;
  try {
    src = Function.prototype.toString.call(fn);
  } catch {
    return Infinity;
  }
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) return Infinity;
  const start = paramListStart(src);
  if (start === ARROW_ONE) return 1;
  if (start < 0) return Infinity;
  let depth = 0;
  let count = 0;
  let sawToken = false;
  for (let i = start; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(src, i);
      sawToken = true;
      continue;
    }
    if (c === '/' && (src[i + 1] === '/' || src[i + 1] === '*')) {
      i = src[i + 1] === '/' ? src.indexOf('\n', i) : src.indexOf('*/', i + 2) + 1;
      if (i <= 0) return Infinity;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) return sawToken ? count + 1 : count;
      depth--;
    } else if (c === ',' && depth === 0) {
      count++;
      sawToken = false;
      continue;
    } else if (c === '.' && depth === 0 && src.startsWith('...', i)) return Infinity;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') sawToken = true;
  }
  return Infinity;
}

const ARROW_ONE = -2;

/** Does the function's source show its parameter list (not a native or bound function)? */
function hasParamList(fn: AnyFn): boolean {
  try {
    return !/\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/** Index just after the `(` that opens the parameter list; ARROW_ONE for `x => ...`; -1 if none is found. */
function paramListStart(src: string): number {
  // `x => ...` and `async x => ...`: one parameter, no parentheses.
  const single = /^\s*(?:async\s+)?[A-Za-z_$][\w$]*\s*=>/.exec(src);
  if (single) return ARROW_ONE;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '(') return i + 1;
    if (c === '"' || c === "'" || c === '`') i = skipString(src, i); // a computed method name
    else if (c === '{' || c === '=') return -1;
  }
  return -1;
}

/** Index of the quote that closes the string or template literal opened at `i`. */
function skipString(src: string, i: number): number {
  const q = src[i]!;
  let depth = 0;
  for (let k = i + 1; k < src.length; k++) {
    const c = src[k]!;
    if (c === '\\') k++;
    else if (q === '`' && c === '$' && src[k + 1] === '{') {
      depth++;
      k++;
    } else if (q === '`' && c === '}' && depth > 0) depth--;
    else if (c === q && depth === 0) return k;
  }
  return src.length;
}

export function compileTable(table: CallTable): CompiledTable {
  if (table === null || typeof table !== 'object') {
    throw new SmpcallError(codes.USAGE, 'the calls module must `export default defineCalls({...})`');
  }
  const names = Object.keys(table).sort();
  if (names.length > MAX_CALLS) throw new SmpcallError(codes.USAGE, `a call table holds at most ${MAX_CALLS} functions`);
  const entries: CallEntry[] = [];
  const byName = new Map<string, CallEntry>();
  const signature: string[] = [];
  let h = 0x811c9dc5;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  };
  names.forEach((name, id) => {
    const fn = table[name];
    if (typeof fn !== 'function') throw new SmpcallError(codes.USAGE, `call "${name}" is not a function`);
    const max = maxParams(fn);
    // A function whose parameter list does not show (native, bound) takes any count, from none up.
    const entry: CallEntry = { id, name, fn, minArgs: max === Infinity && !hasParamList(fn) ? 0 : fn.length, maxArgs: Math.max(max, fn.length) };
    entries.push(entry);
    byName.set(name, entry);
    signature.push(`${name}/${entry.minArgs}/${entry.maxArgs}`);
    mix(`${name}/${entry.minArgs}/${entry.maxArgs};`);
  });
  return { entries, byName, hash: h >>> 0, signature };
}
