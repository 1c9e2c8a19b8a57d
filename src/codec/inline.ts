/**
 * The inline codec: up to 8 values written straight into a slot's 96-byte inline area, with no
 * allocation. Layout of an area at byte `base` (8-aligned):
 *
 *   base + 0..7   one tag byte per value
 *   base + 8..    payloads, each starting 8-aligned
 *
 * so a call like add(1, 2) fills one 64-byte line together with the slot header. Values: undefined,
 * null, booleans, numbers (f64), bigints within int64, strings (UTF-16), small typed arrays. Anything
 * else, or too much, does not fit: `encodeInline` says so and the caller uses the arena codec.
 */
import { S_INLINE_BYTES } from '../layout.js';
import { TYPED_KINDS, type AnyTyped, typedKind, type Views } from './views.js';

export const T_UNDEFINED = 0;
export const T_NULL = 1;
export const T_FALSE = 2;
export const T_TRUE = 3;
export const T_NUMBER = 4;
export const T_BIGINT = 5;
export const T_STRING = 6;
export const T_TYPED = 7;

export const INLINE_MAX_VALUES = 8;
const PAYLOAD = 8;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Encode `values[0..count)` at byte `base`, within `capacity` bytes. Returns false (having written
 * garbage that nobody will read) when a value is not inline-able or the area is too small.
 */
export function encodeInline(v: Views, base: number, values: ArrayLike<unknown>, count: number, capacity = S_INLINE_BYTES): boolean {
  if (count > INLINE_MAX_VALUES) return false;
  const end = base + capacity;
  let pos = base + PAYLOAD;
  for (let i = 0; i < count; i++) {
    const x = values[i];
    switch (typeof x) {
      case 'number':
        if (pos + 8 > end) return false;
        v.u8[base + i] = T_NUMBER;
        v.f64[pos >> 3] = x;
        pos += 8;
        break;
      case 'boolean':
        v.u8[base + i] = x ? T_TRUE : T_FALSE;
        break;
      case 'undefined':
        v.u8[base + i] = T_UNDEFINED;
        break;
      case 'string': {
        const n = x.length;
        const next = pos + align8(4 + 2 * n);
        if (next > end) return false;
        v.u8[base + i] = T_STRING;
        v.i32[pos >> 2] = n;
        const at = (pos + 4) >> 1;
        for (let k = 0; k < n; k++) v.u16[at + k] = x.charCodeAt(k);
        pos = next;
        break;
      }
      case 'bigint':
        if (x < INT64_MIN || x > INT64_MAX || pos + 8 > end) return false;
        v.u8[base + i] = T_BIGINT;
        v.i64[pos >> 3] = x;
        pos += 8;
        break;
      case 'object': {
        if (x === null) {
          v.u8[base + i] = T_NULL;
          break;
        }
        // Views of shared memory travel by reference (structured codec), never as a copy.
        if (!ArrayBuffer.isView(x) || x.buffer instanceof SharedArrayBuffer) return false;
        const kind = typedKind(x);
        if (kind < 0) return false;
        const t = x as AnyTyped;
        // Structured clone carries a view with the whole buffer it views, and one buffer once: a
        // part of a bigger buffer, or the same array twice in one call, goes the structured way.
        if (t.byteOffset !== 0 || t.byteLength !== t.buffer.byteLength) return false;
        // An empty view may sit on a detached buffer, which the copy below would throw on as a bare
        // TypeError: the structured way tells the two apart (and refuses the detached one, UNCLONEABLE).
        if (t.byteLength === 0) return false;
        for (let j = 0; j < i; j++) if (values[j] === x) return false;
        const next = pos + 8 + align8(t.byteLength);
        if (next > end) return false;
        v.u8[base + i] = T_TYPED;
        v.i32[pos >> 2] = kind;
        v.i32[(pos >> 2) + 1] = t.length;
        // Same-kind typed-array copy: no intermediate view, no allocation.
        (v.byKind[kind] as AnyTyped & { set(src: AnyTyped, offset: number): void }).set(t, (pos + 8) / t.BYTES_PER_ELEMENT);
        pos = next;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/** Decode value `i` of an area written by `encodeInline`. Values must be decoded in order: pass the running position. */
export class InlineReader {
  private pos = 0;
  private base = 0;
  constructor(private readonly v: Views) {}
  start(base: number): void {
    this.base = base;
    this.pos = base + PAYLOAD;
  }
  next(i: number): unknown {
    const v = this.v;
    switch (v.u8[this.base + i]) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NUMBER: {
        const x = v.f64[this.pos >> 3];
        this.pos += 8;
        return x;
      }
      case T_BIGINT: {
        const x = v.i64[this.pos >> 3];
        this.pos += 8;
        return x;
      }
      case T_STRING: {
        const n = v.i32[this.pos >> 2]!;
        const at = (this.pos + 4) >> 1;
        let s = '';
        for (let k = 0; k < n; k++) s += String.fromCharCode(v.u16[at + k]!);
        this.pos += align8(4 + 2 * n);
        return s;
      }
      case T_TYPED: {
        const kind = v.i32[this.pos >> 2]!;
        const n = v.i32[(this.pos >> 2) + 1]!;
        const K = TYPED_KINDS[kind]!;
        const out = new K(n);
        const from = (this.pos + 8) / K.BYTES_PER_ELEMENT;
        const src = v.byKind[kind]!;
        for (let k = 0; k < n; k++) (out as unknown as number[])[k] = (src as unknown as number[])[from + k]!;
        this.pos += 8 + align8(n * K.BYTES_PER_ELEMENT);
        return out;
      }
      default:
        throw new Error(`bad inline tag ${v.u8[this.base + i]}`);
    }
  }
}
