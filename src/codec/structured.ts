/**
 * The structured codec: what structured clone carries between agents, written as a tagged byte
 * stream. The writer encodes into a private, reusable scratch buffer (its size is known only at the
 * end); the caller then copies the bytes into shared memory (a slot's arena share, or pages of the
 * agent's big arena). The reader decodes straight from shared memory.
 *
 * Carried like structured clone: undefined, null, booleans, numbers (-0 and NaN exact), bigints of
 * any size, strings, plain and null-prototype objects, dense and sparse arrays, Map, Set, Date,
 * RegExp, Error (name, message, stack, cause), ArrayBuffer (copied), typed arrays and DataView (with
 * the buffer they view, so two views of one buffer stay one buffer), cycles and shared references.
 * Also: views of a SharedArrayBuffer registered with `share()` travel by reference, and instances of
 * classes registered with `registerClass`. Anything else is refused with ERR_SMPCALL_UNCLONEABLE.
 *
 * Strings: ASCII strings of 64+ characters are written one byte each with `TextEncoder.encodeInto`
 * and read with `TextDecoder` (measured 10-50x faster than a UTF-16 loop at 1-100 KB); other strings
 * as UTF-16 code units, which also keeps lone surrogates exact.
 */
import { SmpcallTypeError, codes } from '../errors.js';
import { classByName, classOf } from './class-registry.js';
import type { SharedBuffers } from './shared-buffers.js';
import { TYPED_KINDS } from './views.js';

export const S_UNDEFINED = 0;
export const S_NULL = 1;
export const S_FALSE = 2;
export const S_TRUE = 3;
export const S_NUMBER = 4;
export const S_BIGINT = 5;
export const S_STRING16 = 6;
export const S_ASCII = 7;
export const S_ARRAY = 8;
export const S_SPARSE = 9;
export const S_OBJECT = 10;
export const S_NULL_OBJECT = 11;
export const S_MAP = 12;
export const S_SET = 13;
export const S_DATE = 14;
export const S_REGEXP = 15;
export const S_ERROR = 16;
export const S_ARRAY_BUFFER = 17;
export const S_VIEW = 18;
export const S_REF = 19;
export const S_SHARED = 20;
export const S_CLASS = 21;
export const S_INT32 = 22;

const DATA_VIEW_KIND = TYPED_KINDS.length;
const SHARED_WHOLE = 255;
/**
 * The deepest nesting the encoder accepts. Decoding recurses, and the main thread's stack is the
 * smallest of any agent's (about 1 MB; workers get 4): 1,800 levels overflowed it while a worker had
 * encoded them. 512 levels decode on any agent, with room for calls nested around the decode.
 */
const MAX_DEPTH = 512;
const ASCII_MIN = 64;
// eslint-disable-next-line no-control-regex -- the whole 7-bit range, NUL and control characters included
const ASCII = /^[\x00-\x7f]*$/;
const ERROR_TYPES: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Browsers refuse to decode from a view of shared memory; Node accepts it. */
const decodesShared = ((): boolean => {
  try {
    decoder.decode(new Uint8Array(new SharedArrayBuffer(1)));
    return true;
  } catch {
    return false;
  }
})();

const refuse = (what: string, why: string): SmpcallTypeError => new SmpcallTypeError(codes.UNCLONEABLE, `${what}: ${why}`);

/** The writer's first scratch size, and the size past which it is given back after a payload. */
const INITIAL_BYTES = 4096;
const SHRINK_ABOVE = 1 << 20;

export class StructuredWriter {
  private buf = new ArrayBuffer(INITIAL_BYTES);
  private dv = new DataView(this.buf);
  private u8 = new Uint8Array(this.buf);
  private pos = 0;
  private refs = new Map<object, number>();
  /** Reference ids of the class instances whose encodings are being written (innermost last). */
  private readonly classesOpen: number[] = [];
  private depth = 0;
  private what = '';

  constructor(private readonly shared: SharedBuffers) {}

  /** Encode `values[0..count)`; returns the number of bytes, readable through `bytes()`. */
  encode(values: ArrayLike<unknown>, count: number, what: string): number {
    this.pos = 0;
    this.refs.clear();
    this.classesOpen.length = 0;
    this.depth = 0;
    this.what = what;
    for (let i = 0; i < count; i++) this.value(values[i]);
    return this.pos;
  }

  /** The encoded bytes (a view of the scratch buffer, valid until the next encode or `release`). */
  bytes(): Uint8Array {
    return this.u8.subarray(0, this.pos);
  }

  /**
   * Done with the bytes: a scratch buffer grown past SHRINK_ABOVE for one large payload (or a refused
   * one) goes back to its first size, so one big call does not keep its memory for good. The values'
   * references are dropped too.
   */
  release(): void {
    this.refs.clear();
    if (this.buf.byteLength <= SHRINK_ABOVE) return;
    this.buf = new ArrayBuffer(INITIAL_BYTES);
    this.dv = new DataView(this.buf);
    this.u8 = new Uint8Array(this.buf);
    this.pos = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.pos + n) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.u8.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next);
    this.u8 = new Uint8Array(next);
  }
  private tag(t: number): void {
    this.room(1);
    this.u8[this.pos++] = t;
  }
  private u32(x: number): void {
    this.room(4);
    this.dv.setUint32(this.pos, x, true);
    this.pos += 4;
  }
  private f64(x: number): void {
    this.room(8);
    this.dv.setFloat64(this.pos, x, true);
    this.pos += 8;
  }
  private raw(src: Uint8Array): void {
    this.room(src.byteLength);
    this.u8.set(src, this.pos);
    this.pos += src.byteLength;
  }

  /** A string, with its own encoding tag. */
  private string(s: string): void {
    const n = s.length;
    if (n >= ASCII_MIN && ASCII.test(s)) {
      this.tag(S_ASCII);
      this.u32(n);
      this.room(n);
      encoder.encodeInto(s, this.u8.subarray(this.pos, this.pos + n));
      this.pos += n;
      return;
    }
    this.tag(S_STRING16);
    this.u32(n);
    this.room(2 * n);
    const dv = this.dv;
    for (let k = 0; k < n; k++) dv.setUint16(this.pos + 2 * k, s.charCodeAt(k), true);
    this.pos += 2 * n;
  }

  private value(x: unknown): void {
    switch (typeof x) {
      case 'undefined':
        return this.tag(S_UNDEFINED);
      case 'boolean':
        return this.tag(x ? S_TRUE : S_FALSE);
      case 'number':
        if ((x | 0) === x && !Object.is(x, -0)) {
          this.tag(S_INT32);
          this.room(4);
          this.dv.setInt32(this.pos, x, true);
          this.pos += 4;
          return;
        }
        this.tag(S_NUMBER);
        return this.f64(x);
      case 'string':
        return this.string(x);
      case 'bigint':
        return this.bigint(x);
      case 'object':
        if (x === null) return this.tag(S_NULL);
        return this.object(x);
      default:
        throw refuse(this.what, `a ${typeof x} cannot be sent to another agent`);
    }
  }

  private bigint(x: bigint): void {
    this.tag(S_BIGINT);
    const negative = x < 0n;
    let m = negative ? -x : x;
    const bytes: number[] = [];
    while (m > 0n) {
      bytes.push(Number(m & 0xffn));
      m >>= 8n;
    }
    this.room(5 + bytes.length);
    this.u8[this.pos++] = negative ? 1 : 0;
    this.u32(bytes.length);
    for (const b of bytes) this.u8[this.pos++] = b;
  }

  private object(x: object): void {
    const seen = this.refs.get(x);
    if (seen !== undefined) {
      // The receiver makes a class instance only once its encoding is decoded: a reference back to
      // it from inside that encoding could not be resolved there. Refuse it here, not there.
      if (this.classesOpen.includes(seen)) throw refuse(this.what, `the encoding of a registered ${x.constructor?.name ?? 'class'} refers back to the instance itself`);
      this.tag(S_REF);
      return this.u32(seen);
    }
    if (++this.depth > MAX_DEPTH) throw refuse(this.what, `nested deeper than ${MAX_DEPTH}`);
    // Shared memory travels by reference, and only if every agent knows the buffer.
    if (x instanceof SharedArrayBuffer || (ArrayBuffer.isView(x) && x.buffer instanceof SharedArrayBuffer)) {
      this.sharedRef(x);
      this.depth--;
      return;
    }
    this.refs.set(x, this.refs.size);
    const proto = Object.getPrototypeOf(x);
    if (Array.isArray(x)) this.array(x);
    else if (proto === Object.prototype) this.plain(x, S_OBJECT);
    else if (proto === null) this.plain(x, S_NULL_OBJECT);
    else if (x instanceof Map) {
      this.tag(S_MAP);
      this.u32(x.size);
      for (const [k, v] of x) {
        this.value(k);
        this.value(v);
      }
    } else if (x instanceof Set) {
      this.tag(S_SET);
      this.u32(x.size);
      for (const v of x) this.value(v);
    } else if (x instanceof Date) {
      this.tag(S_DATE);
      this.f64(x.getTime());
    } else if (x instanceof RegExp) {
      this.tag(S_REGEXP);
      this.string(x.source);
      this.string(x.flags);
    } else if (x instanceof ArrayBuffer) {
      this.tag(S_ARRAY_BUFFER);
      this.u32(x.byteLength);
      this.raw(new Uint8Array(x));
    } else if (ArrayBuffer.isView(x)) {
      const kind = x instanceof DataView ? DATA_VIEW_KIND : TYPED_KINDS.findIndex((K) => x instanceof K);
      if (kind < 0) throw refuse(this.what, `a ${x.constructor.name} cannot be sent`);
      this.tag(S_VIEW);
      this.room(9);
      this.u8[this.pos++] = kind;
      this.u32(x.byteOffset);
      this.u32(kind === DATA_VIEW_KIND ? x.byteLength : (x as unknown as { length: number }).length);
      this.value(x.buffer);
    } else if (classOf(x) !== undefined) {
      const c = classOf(x)!;
      this.tag(S_CLASS);
      this.string(c.name);
      this.classesOpen.push(this.refs.get(x)!);
      try {
        this.value(c.encode(x));
      } finally {
        this.classesOpen.pop();
      }
    } else if (x instanceof Error) {
      this.tag(S_ERROR);
      this.string(String(x.name));
      this.string(String(x.message));
      this.value(typeof x.stack === 'string' ? x.stack : undefined);
      const hasCause = Object.prototype.hasOwnProperty.call(x, 'cause');
      this.tag(hasCause ? S_TRUE : S_FALSE);
      if (hasCause) this.value((x as { cause?: unknown }).cause);
    } else {
      const name = (x as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw refuse(this.what, `a ${name} instance cannot be sent (register its class with registerClass, or send plain data)`);
    }
    this.depth--;
  }

  private plain(x: object, tag: number): void {
    const keys = Object.keys(x);
    this.tag(tag);
    this.u32(keys.length);
    for (const k of keys) {
      this.string(k);
      this.value((x as Record<string, unknown>)[k]);
    }
  }

  private array(x: unknown[]): void {
    const n = x.length;
    // Dense unless holes are present: count own indexes only when needed.
    let dense = true;
    for (let i = 0; i < n; i++) {
      if (!(i in x)) {
        dense = false;
        break;
      }
    }
    if (dense) {
      this.tag(S_ARRAY);
      this.u32(n);
      for (let i = 0; i < n; i++) this.value(x[i]);
      return;
    }
    const indexes = Object.keys(x).filter((k) => String(Number(k) >>> 0) === k && Number(k) < n);
    this.tag(S_SPARSE);
    this.u32(n);
    this.u32(indexes.length);
    for (const k of indexes) {
      this.u32(Number(k));
      this.value(x[Number(k)]);
    }
  }

  private sharedRef(x: SharedArrayBuffer | ArrayBufferView): void {
    const buffer = x instanceof SharedArrayBuffer ? x : (x.buffer as SharedArrayBuffer);
    const id = this.shared.idOf(buffer);
    if (id === undefined) {
      throw refuse(this.what, 'shared memory travels by reference only once every agent knows it: register the SharedArrayBuffer with domain.share() first');
    }
    this.tag(S_SHARED);
    this.u32(id);
    if (x instanceof SharedArrayBuffer) {
      this.room(9);
      this.u8[this.pos++] = SHARED_WHOLE;
      this.u32(0);
      this.u32(0);
      return;
    }
    const kind = x instanceof DataView ? DATA_VIEW_KIND : TYPED_KINDS.findIndex((K) => x instanceof K);
    if (kind < 0) throw refuse(this.what, `a ${x.constructor.name} cannot be sent`);
    this.room(9);
    this.u8[this.pos++] = kind;
    this.u32(x.byteOffset);
    this.u32(kind === DATA_VIEW_KIND ? x.byteLength : (x as unknown as { length: number }).length);
  }
}

export class StructuredReader {
  private pos = 0;
  private refs: unknown[] = [];
  constructor(
    private readonly u8: Uint8Array,
    private readonly dv: DataView,
    private readonly shared: SharedBuffers,
  ) {}

  /** Decode `count` values from byte `base` into `into`. */
  decode(base: number, count: number, into: unknown[]): void {
    this.pos = base;
    this.refs = [];
    for (let i = 0; i < count; i++) into[i] = this.value();
  }

  private u32(): number {
    const x = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }

  private string(): string {
    const tag = this.u8[this.pos++];
    const n = this.u32();
    const at = this.pos;
    if (tag === S_ASCII) {
      this.pos += n;
      if (decodesShared) return decoder.decode(this.u8.subarray(at, at + n));
      return decoder.decode(this.u8.slice(at, at + n));
    }
    if (tag !== S_STRING16) throw new Error(`bad string tag ${tag}`);
    this.pos += 2 * n;
    let s = '';
    const dv = this.dv;
    const chunk = new Array<number>(Math.min(n, 4096));
    for (let k = 0; k < n; ) {
      const m = Math.min(4096, n - k);
      chunk.length = m;
      for (let j = 0; j < m; j++) chunk[j] = dv.getUint16(at + 2 * (k + j), true);
      s += String.fromCharCode.apply(null, chunk);
      k += m;
    }
    return s;
  }

  private keep<T>(x: T): T {
    this.refs.push(x);
    return x;
  }

  private value(): unknown {
    const tag = this.u8[this.pos]!;
    if (tag === S_STRING16 || tag === S_ASCII) return this.string();
    this.pos++;
    switch (tag) {
      case S_UNDEFINED:
        return undefined;
      case S_NULL:
        return null;
      case S_FALSE:
        return false;
      case S_TRUE:
        return true;
      case S_INT32: {
        const x = this.dv.getInt32(this.pos, true);
        this.pos += 4;
        return x;
      }
      case S_NUMBER: {
        const x = this.dv.getFloat64(this.pos, true);
        this.pos += 8;
        return x;
      }
      case S_BIGINT: {
        const negative = this.u8[this.pos++] === 1;
        const n = this.u32();
        let m = 0n;
        for (let k = n - 1; k >= 0; k--) m = (m << 8n) | BigInt(this.u8[this.pos + k]!);
        this.pos += n;
        return negative ? -m : m;
      }
      case S_ARRAY: {
        const n = this.u32();
        const out = this.keep(new Array(n));
        for (let i = 0; i < n; i++) out[i] = this.value();
        return out;
      }
      case S_SPARSE: {
        const n = this.u32();
        const count = this.u32();
        const out = this.keep(new Array(n));
        for (let k = 0; k < count; k++) {
          const i = this.u32();
          out[i] = this.value();
        }
        return out;
      }
      case S_OBJECT:
      case S_NULL_OBJECT: {
        const out = this.keep(tag === S_OBJECT ? {} : Object.create(null)) as Record<string, unknown>;
        const n = this.u32();
        for (let k = 0; k < n; k++) {
          const key = this.string();
          const v = this.value();
          // A plain assignment to "__proto__" would set the prototype instead of a property.
          if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
          else out[key] = v;
        }
        return out;
      }
      case S_MAP: {
        const out = this.keep(new Map());
        const n = this.u32();
        for (let k = 0; k < n; k++) {
          const key = this.value();
          out.set(key, this.value());
        }
        return out;
      }
      case S_SET: {
        const out = this.keep(new Set());
        const n = this.u32();
        for (let k = 0; k < n; k++) out.add(this.value());
        return out;
      }
      case S_DATE: {
        const t = this.dv.getFloat64(this.pos, true);
        this.pos += 8;
        return this.keep(new Date(t));
      }
      case S_REGEXP: {
        const slot = this.refs.push(undefined) - 1;
        const source = this.string();
        const flags = this.string();
        return (this.refs[slot] = new RegExp(source, flags));
      }
      case S_ERROR: {
        const slot = this.refs.push(undefined) - 1;
        const name = this.string();
        const message = this.string();
        const known = Object.hasOwn(ERROR_TYPES, name);
        const Ctor = known ? ERROR_TYPES[name]! : Error;
        const e = new Ctor(message);
        if (!known) e.name = name;
        this.refs[slot] = e;
        const stack = this.value();
        if (typeof stack === 'string') e.stack = stack;
        if (this.u8[this.pos++] === S_TRUE) Object.defineProperty(e, 'cause', { value: this.value(), writable: true, configurable: true });
        return e;
      }
      case S_ARRAY_BUFFER: {
        const n = this.u32();
        const out = this.keep(new ArrayBuffer(n));
        new Uint8Array(out).set(this.u8.subarray(this.pos, this.pos + n));
        this.pos += n;
        return out;
      }
      case S_VIEW: {
        const slot = this.refs.push(undefined) - 1;
        const kind = this.u8[this.pos++]!;
        const offset = this.u32();
        const length = this.u32();
        const buffer = this.value() as ArrayBuffer;
        const view = kind === DATA_VIEW_KIND ? new DataView(buffer, offset, length) : new TYPED_KINDS[kind]!(buffer, offset, length);
        return (this.refs[slot] = view);
      }
      case S_SHARED: {
        const id = this.u32();
        const kind = this.u8[this.pos++]!;
        const offset = this.u32();
        const length = this.u32();
        const sab = this.shared.byId(id);
        if (sab === undefined) throw new Error(`shared buffer #${id} is not known on this agent`);
        if (kind === SHARED_WHOLE) return sab;
        return kind === DATA_VIEW_KIND ? new DataView(sab, offset, length) : new (TYPED_KINDS[kind] as unknown as new (b: SharedArrayBuffer, o: number, n: number) => unknown)(sab, offset, length);
      }
      case S_CLASS: {
        const slot = this.refs.push(undefined) - 1;
        const name = this.string();
        const c = classByName(name);
        if (c === undefined) throw new Error(`class "${name}" is not registered on this agent (call registerClass in the calls module)`);
        return (this.refs[slot] = c.decode(this.value()));
      }
      case S_REF: {
        const i = this.u32();
        if (i >= this.refs.length || this.refs[i] === undefined) throw new Error(`bad back-reference ${i}`);
        return this.refs[i];
      }
      default:
        throw new Error(`bad tag ${tag} at byte ${this.pos - 1}`);
    }
  }
}
