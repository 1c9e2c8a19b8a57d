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

/** Count a function's declared parameters from its source (rest → Infinity). */
function maxParams(fn: AnyFn): number {
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf('(');
  const arrow = src.indexOf('=>');
  // `x => ...` with no parentheses: exactly one parameter.
  if (arrow >= 0 && (open < 0 || open > arrow)) return 1;
  if (open < 0) return fn.length;
  let depth = 0;
  let count = 0;
  let sawToken = false;
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) {
      count++;
      sawToken = false;
      continue;
    } else if (c === '.' && src.startsWith('...', i) && depth === 0) return Infinity;
    if (!/\s/.test(c)) sawToken = true;
  }
  return sawToken ? count + 1 : count;
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
    const entry: CallEntry = { id, name, fn, minArgs: fn.length, maxArgs: Math.max(max, fn.length) };
    entries.push(entry);
    byName.set(name, entry);
    signature.push(`${name}/${entry.minArgs}/${entry.maxArgs}`);
    mix(`${name}/${entry.minArgs}/${entry.maxArgs};`);
  });
  return { entries, byName, hash: h >>> 0, signature };
}
