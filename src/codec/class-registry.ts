/**
 * Classes users teach the codec to carry. Register each class in the calls module (which every
 * agent imports), so every agent knows it under the same name.
 */
import { SmpcallError, codes } from '../errors.js';

export interface ClassCodec<T = unknown, P = unknown> {
  /** The name it travels under; the same on every agent. Default: the class's name. */
  name: string;
  /** Turn an instance into carriable data (plain objects, arrays, primitives...). */
  encode(x: T): P;
  /** Rebuild an instance from that data. */
  decode(p: P): T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor<T> = abstract new (...args: any[]) => T;

const byProto = new Map<object, ClassCodec>();
const byName = new Map<string, ClassCodec>();

/**
 * Constructors the codec carries itself, or never: a codec registered for one of them would be
 * accepted and then never used. Subclasses (an Error subclass, say) may be registered. Looked up by
 * name: a page that is not cross-origin isolated has no SharedArrayBuffer, and this module must load
 * there (start() then says which headers are missing).
 */
const BUILT_INS: ReadonlySet<unknown> = new Set(
  [
    'Object', 'Array', 'Map', 'Set', 'Date', 'RegExp', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
    'TypeError', 'URIError', 'AggregateError', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array',
    'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array',
    'BigInt64Array', 'BigUint64Array', 'Promise', 'WeakMap', 'WeakSet', 'Function', 'String', 'Number', 'Boolean', 'BigInt', 'Symbol',
  ]
    .map((name) => (globalThis as Record<string, unknown>)[name])
    .filter((c) => c !== undefined),
);

/**
 * Let instances of `cls` travel between agents.
 *
 * @example
 * ```ts
 * class Point { constructor(public x: number, public y: number) {} }
 * registerClass(Point, { encode: (p) => [p.x, p.y], decode: ([x, y]) => new Point(x, y) });
 * ```
 */
export function registerClass<T, P>(cls: Ctor<T>, codec: { name?: string; encode(x: T): P; decode(p: P): T }): void {
  if (typeof cls !== 'function' || typeof codec?.encode !== 'function' || typeof codec?.decode !== 'function') {
    throw new SmpcallError(codes.USAGE, 'registerClass(cls, { encode, decode }) needs a class and two functions');
  }
  if (BUILT_INS.has(cls)) {
    throw new SmpcallError(
      codes.USAGE,
      `registerClass: ${cls.name} is built in: smpcall carries it itself or never (see "What travels"); register your own classes`,
    );
  }
  const name = codec.name ?? cls.name;
  if (!name) throw new SmpcallError(codes.USAGE, 'registerClass: an anonymous class needs a { name }');
  const mine = byProto.get(cls.prototype);
  if (mine !== undefined) {
    // The same registration again (a module evaluated twice) changes nothing; another codec for the
    // class would put this thread out of step with those that registered the first one.
    if (mine.name === name && mine.encode === codec.encode && mine.decode === codec.decode) return;
    throw new SmpcallError(
      codes.USAGE,
      `registerClass: ${cls.name || name} is already registered (as "${mine.name}") with another codec; a class has one codec, the same on every agent`,
    );
  }
  if (byName.has(name)) throw new SmpcallError(codes.USAGE, `registerClass: another class is already registered as "${name}"`);
  const entry: ClassCodec = { name, encode: codec.encode as (x: unknown) => unknown, decode: codec.decode as (p: unknown) => unknown };
  byProto.set(cls.prototype, entry);
  byName.set(name, entry);
}

/** The codec for an instance whose exact class is registered, if any. */
export function classOf(x: object): ClassCodec | undefined {
  return byName.size === 0 ? undefined : byProto.get(Object.getPrototypeOf(x));
}

export function classByName(name: string): ClassCodec | undefined {
  return byName.get(name);
}
