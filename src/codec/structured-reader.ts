/**
 * The structured codec's reader (the format: structured-format.ts): decodes straight from shared
 * memory.
 */
import { classByName } from './class-registry.js';
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
} from './structured-format.js';

/** Two hex digits for every byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

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
        // Through its hex digits, most significant byte first: building it by shifts took time
        // growing with the square of its size (structured-writer.ts).
        let hex = '';
        for (let k = n - 1; k >= 0; k--) hex += HEX_BYTE[this.u8[this.pos + k]!];
        this.pos += n;
        const m = n === 0 ? 0n : BigInt(`0x${hex}`);
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

