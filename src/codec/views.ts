/**
 * Typed views over the whole domain buffer, made once per agent at start so that encoding and
 * decoding never allocate a view on the call path.
 */
export const TYPED_KINDS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

export type AnyTyped = InstanceType<(typeof TYPED_KINDS)[number]>;

/** Index of a typed array's constructor in TYPED_KINDS, or -1 (DataView, subclass, not a view). */
export function typedKind(v: object): number {
  const proto = Object.getPrototypeOf(v);
  for (let k = 0; k < TYPED_KINDS.length; k++) if (TYPED_KINDS[k]!.prototype === proto) return k;
  return -1;
}

export class Views {
  readonly buffer: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly dv: DataView;
  /** One view per typed-array kind, for copies without an intermediate view. */
  readonly byKind: AnyTyped[];
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.i64 = new BigInt64Array(buffer);
    this.dv = new DataView(buffer);
    this.byKind = TYPED_KINDS.map((K) => new (K as unknown as new (b: SharedArrayBuffer) => AnyTyped)(buffer));
  }
}
