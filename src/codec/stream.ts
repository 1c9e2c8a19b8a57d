/**
 * The arena codec: JSON-like values of any shape (within the slot's arena share), written as a tagged
 * byte stream. Used when the inline codec says a call does not fit. Tags:
 *
 *   undefined null false true | number: f64 | bigint: decimal string | string: u32 length + UTF-16
 *   array: u32 length + items | object: u32 count + (key, value)... | typed: u8 kind + u32 bytes + bytes
 *
 * Plain objects and arrays only; functions, symbols, class instances and cycles are refused with
 * ERR_SMPCALL_UNCLONEABLE, and a value larger than the space with ERR_SMPCALL_TOO_LARGE, both before
 * anything is sent.
 */
import { SmpcallTypeError, codes } from '../errors.js';
import { TYPED_KINDS, type AnyTyped, typedKind, type Views } from './views.js';
import { T_BIGINT, T_FALSE, T_NULL, T_NUMBER, T_STRING, T_TRUE, T_TYPED, T_UNDEFINED } from './inline.js';

const T_ARRAY = 8;
const T_OBJECT = 9;
const MAX_DEPTH = 256;

class TooLarge extends Error {}

export class StreamWriter {
  private pos = 0;
  private end = 0;
  private readonly stack: object[] = [];
  constructor(private readonly v: Views) {}

  /** Encode `values[0..count)` at `base` within `capacity` bytes; returns the bytes used. */
  writeAll(base: number, capacity: number, values: ArrayLike<unknown>, count: number, what: string): number {
    this.pos = base;
    this.end = base + capacity;
    this.stack.length = 0;
    try {
      for (let i = 0; i < count; i++) this.value(values[i], what);
    } catch (e) {
      if (e instanceof TooLarge) {
        throw new SmpcallTypeError(codes.TOO_LARGE, `${what} does not fit in the ${capacity}-byte arena share of a slot (raise arenaPerSlot)`);
      }
      throw e;
    }
    return this.pos - base;
  }

  private room(n: number): void {
    if (this.pos + n > this.end) throw new TooLarge();
  }
  private u8(x: number): void {
    this.room(1);
    this.v.u8[this.pos++] = x;
  }
  private u32(x: number): void {
    this.room(4);
    this.v.dv.setUint32(this.pos, x, true);
    this.pos += 4;
  }
  private str(s: string): void {
    this.u32(s.length);
    this.room(2 * s.length);
    const dv = this.v.dv;
    for (let k = 0; k < s.length; k++) dv.setUint16(this.pos + 2 * k, s.charCodeAt(k), true);
    this.pos += 2 * s.length;
  }

  private value(x: unknown, what: string): void {
    switch (typeof x) {
      case 'undefined':
        return this.u8(T_UNDEFINED);
      case 'boolean':
        return this.u8(x ? T_TRUE : T_FALSE);
      case 'number':
        this.u8(T_NUMBER);
        this.room(8);
        this.v.dv.setFloat64(this.pos, x, true);
        this.pos += 8;
        return;
      case 'bigint':
        this.u8(T_BIGINT);
        return this.str(x.toString());
      case 'string':
        this.u8(T_STRING);
        return this.str(x);
      case 'object':
        if (x === null) return this.u8(T_NULL);
        return this.object(x, what);
      default:
        throw new SmpcallTypeError(codes.UNCLONEABLE, `${what}: a ${typeof x} cannot be sent to another agent`);
    }
  }

  private object(x: object, what: string): void {
    if (this.stack.includes(x)) throw new SmpcallTypeError(codes.UNCLONEABLE, `${what}: a value with a cycle cannot be sent yet`);
    if (this.stack.length >= MAX_DEPTH) throw new SmpcallTypeError(codes.UNCLONEABLE, `${what}: nested deeper than ${MAX_DEPTH}`);
    this.stack.push(x);
    if (Array.isArray(x)) {
      this.u8(T_ARRAY);
      this.u32(x.length);
      for (let i = 0; i < x.length; i++) this.value(x[i], what);
    } else if (ArrayBuffer.isView(x)) {
      const kind = typedKind(x);
      if (kind < 0) throw new SmpcallTypeError(codes.UNCLONEABLE, `${what}: a ${x.constructor.name} cannot be sent yet`);
      const t = x as AnyTyped;
      this.u8(T_TYPED);
      this.u8(kind);
      this.u32(t.byteLength);
      this.room(t.byteLength);
      this.v.u8.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), this.pos);
      this.pos += t.byteLength;
    } else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) {
        const name = (x as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        throw new SmpcallTypeError(codes.UNCLONEABLE, `${what}: a ${name} instance cannot be sent (only plain objects, arrays and typed arrays)`);
      }
      const keys = Object.keys(x);
      this.u8(T_OBJECT);
      this.u32(keys.length);
      for (const k of keys) {
        this.str(k);
        this.value((x as Record<string, unknown>)[k], what);
      }
    }
    this.stack.pop();
  }
}

export class StreamReader {
  private pos = 0;
  constructor(private readonly v: Views) {}

  readAll(base: number, count: number, into: unknown[]): void {
    this.pos = base;
    for (let i = 0; i < count; i++) into[i] = this.value();
  }

  private u32(): number {
    const x = this.v.dv.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }
  private str(): string {
    const n = this.u32();
    const dv = this.v.dv;
    let s = '';
    // Chunked fromCharCode: fast for long strings without building one huge argument list.
    const chunk: number[] = [];
    for (let k = 0; k < n; k++) {
      chunk.push(dv.getUint16(this.pos + 2 * k, true));
      if (chunk.length === 4096) {
        s += String.fromCharCode(...chunk);
        chunk.length = 0;
      }
    }
    if (chunk.length) s += String.fromCharCode(...chunk);
    this.pos += 2 * n;
    return s;
  }

  private value(): unknown {
    const tag = this.v.u8[this.pos++];
    switch (tag) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NUMBER: {
        const x = this.v.dv.getFloat64(this.pos, true);
        this.pos += 8;
        return x;
      }
      case T_BIGINT:
        return BigInt(this.str());
      case T_STRING:
        return this.str();
      case T_ARRAY: {
        const n = this.u32();
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.value();
        return out;
      }
      case T_OBJECT: {
        const n = this.u32();
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.str();
          const x = this.value();
          // A plain assignment to "__proto__" would set the prototype instead of a property.
          if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
          else out[k] = x;
        }
        return out;
      }
      case T_TYPED: {
        const kind = this.v.u8[this.pos++]!;
        const bytes = this.u32();
        const K = TYPED_KINDS[kind]!;
        const copy = new Uint8Array(bytes);
        copy.set(this.v.u8.subarray(this.pos, this.pos + bytes));
        this.pos += bytes;
        return new K(copy.buffer, 0, bytes / K.BYTES_PER_ELEMENT);
      }
      default:
        throw new Error(`bad arena tag ${tag} at byte ${this.pos - 1}`);
    }
  }
}
