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
 *
 * This module is the format both sides share: the tags and the limits. The writer is in
 * structured-writer.ts (it owns a scratch buffer and the map of objects seen), the reader in
 * structured-reader.ts (it owns a cursor into shared memory and the list of values decoded).
 */
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

export const DATA_VIEW_KIND = TYPED_KINDS.length;
export const SHARED_WHOLE = 255;
/**
 * The deepest nesting the encoder accepts. Decoding recurses, and the main thread's stack is the
 * smallest of any agent's (about 1 MB; workers get 4): 1,800 levels overflowed it while a worker had
 * encoded them. 512 levels decode on any agent, with room for calls nested around the decode.
 */
export const MAX_DEPTH = 512;
export const ASCII_MIN = 64;
// eslint-disable-next-line no-control-regex -- the whole 7-bit range, NUL and control characters included
export const ASCII = /^[\x00-\x7f]*$/;
