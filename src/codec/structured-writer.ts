/**
 * The structured codec's writer (the format: structured-format.ts): encodes into a private, reusable
 * scratch buffer, since the size is known only at the end; the caller then copies the bytes into
 * shared memory (a slot's arena share, or pages of the agent's big arena).
 */
import { SmpcallTypeError, codes } from '../errors.js';
import { classOf } from './class-registry.js';
import type { SharedBuffers } from './shared-buffers.js';
import { TYPED_KINDS } from './views.js';
import {
  S_UNDEFINED,
  S_NULL,
  S_FALSE,
  S_TRUE,
  S_NUMBER,
  S_BIGINT,
  S_STRING16,
  S_ASCII,
  S_ARRAY,
  S_SPARSE,
  S_OBJECT,
  S_NULL_OBJECT,
  S_MAP,
  S_SET,
  S_DATE,
  S_REGEXP,
  S_ERROR,
  S_ARRAY_BUFFER,
  S_VIEW,
  S_REF,
  S_SHARED,
  S_CLASS,
  S_INT32,
  DATA_VIEW_KIND,
  SHARED_WHOLE,
  MAX_DEPTH,
  ASCII_MIN,
  ASCII,
} from './structured-format.js';

const encoder = new TextEncoder();

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

  /**
   * Sign, then the magnitude's bytes, least significant first. Taken from its hex digits: shifting
   * the bigint a byte at a time copies it at every step, time growing with the square of its size
   * (a 250 KB bigint took 98 s, and one too large to send was never refused: it never got that far).
   */
  private bigint(x: bigint): void {
    this.tag(S_BIGINT);
    const negative = x < 0n;
    const hex = x === 0n ? '' : (negative ? -x : x).toString(16);
    const n = (hex.length + 1) >> 1;
    this.room(5 + n);
    this.u8[this.pos++] = negative ? 1 : 0;
    this.u32(n);
    // Byte k holds the two hex digits before `end`; the last byte of an odd count has one digit.
    for (let k = 0, end = hex.length; k < n; k++, end -= 2) {
      const lo = hexDigit(hex.charCodeAt(end - 1));
      this.u8[this.pos++] = end >= 2 ? (hexDigit(hex.charCodeAt(end - 2)) << 4) | lo : lo;
    }
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

/** The value of a digit of `bigint.toString(16)`: 0-9, then a-f (lower case). */
const hexDigit = (c: number): number => (c <= 57 ? c - 48 : c - 87);
