/**
 * The express lane's codec: a lane call carries up to four arguments that are numbers, booleans,
 * null, undefined or short ASCII strings (up to 7 characters: a name, a key, a flag), in the target's
 * own hot line (a tag word, 4 bits per value, and four 8-byte registers), and its result comes back in
 * the same line when it is one such value. Anything larger goes through a slot, or for a result, the
 * caller's spill slot (XT_SPILLED). (Measured: `callSync(1, 'echo', 'abcdefgh')`, a string through
 * the slot both ways, took 2.1× a number echo; a short string in the line costs what a number does.)
 */
import {
  STATUS_OK,
  X_MAX_ARGS,
  X_NUMBERS_BYTE,
  X_SPILL,
  X_TAGS,
  XT_FALSE,
  XT_NULL,
  XT_NUMBER,
  XT_SPILLED,
  XT_TRUE,
  XT_UNDEFINED,
  XT_SHORT,
  X_SHORT_CHARS,
  hot,
  hotByte,
  type Layout,
} from '../layout.js';
import type { Views } from './views.js';

/** Do these arguments fit a lane? */
export function fitsLane(args: ArrayLike<unknown>, argc: number): boolean {
  if (argc > X_MAX_ARGS) return false;
  for (let i = 0; i < argc; i++) {
    const x = args[i];
    if (typeof x !== 'number' && typeof x !== 'boolean' && x !== undefined && x !== null && !isShort(x)) return false;
  }
  return true;
}

/** A string short enough for one register, all ASCII (one byte per character). */
function isShort(x: unknown): x is string {
  if (typeof x !== 'string' || x.length > X_SHORT_CHARS) return false;
  for (let i = 0; i < x.length; i++) if (x.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The tag of a value that fits a lane register (writing a number or string into register `f`), or -1. */
function put(v: Views, f: number, x: unknown): number {
  if (typeof x === 'number') {
    v.f64[f] = x;
    return XT_NUMBER;
  }
  if (isShort(x)) {
    const b = f * 8;
    v.u8[b] = x.length;
    for (let i = 0; i < x.length; i++) v.u8[b + 1 + i] = x.charCodeAt(i);
    return XT_SHORT;
  }
  if (x === undefined) return XT_UNDEFINED;
  if (x === null) return XT_NULL;
  if (x === true) return XT_TRUE;
  if (x === false) return XT_FALSE;
  return -1;
}

function get(v: Views, f: number, tag: number): unknown {
  if (tag === XT_SHORT) return shortString(v.u8, f * 8);
  return tag === XT_NUMBER ? v.f64[f] : tag === XT_TRUE ? true : tag === XT_FALSE ? false : tag === XT_NULL ? null : undefined;
}

/** The string in the register at byte `b` (its length byte, then its characters). */
function shortString(u8: Uint8Array, b: number): string {
  // By length, so that no intermediate strings are built (one allocation: the result).
  const n = u8[b]!;
  if (n === 0) return '';
  const c0 = u8[b + 1]!;
  if (n === 1) return String.fromCharCode(c0);
  const c1 = u8[b + 2]!;
  if (n === 2) return String.fromCharCode(c0, c1);
  const c2 = u8[b + 3]!;
  if (n === 3) return String.fromCharCode(c0, c1, c2);
  const c3 = u8[b + 4]!;
  if (n === 4) return String.fromCharCode(c0, c1, c2, c3);
  const c4 = u8[b + 5]!;
  if (n === 5) return String.fromCharCode(c0, c1, c2, c3, c4);
  const c5 = u8[b + 6]!;
  if (n === 6) return String.fromCharCode(c0, c1, c2, c3, c4, c5);
  return String.fromCharCode(c0, c1, c2, c3, c4, c5, u8[b + 7]!);
}

/** Byte offset / 8 of lane `agent`'s first f64 register. */
const registers = (L: Layout, agent: number): number => (hotByte(L, agent) + X_NUMBERS_BYTE) >> 3;

export class LaneCodec {
  constructor(
    private readonly v: Views,
    private readonly L: Layout,
  ) {}

  /** Write arguments (checked with `fitsLane`) into `target`'s lane. */
  writeArgs(target: number, args: ArrayLike<unknown>, argc: number): void {
    const f = registers(this.L, target);
    let tags = 0;
    for (let i = 0; i < argc; i++) tags |= put(this.v, f + i, args[i]) << (4 * i);
    this.v.i32[hot(this.L, target, X_TAGS)] = tags;
  }

  /** Read `argc` arguments from agent `self`'s own lane into `into`. */
  readArgs(self: number, argc: number, into: unknown[]): void {
    const f = registers(this.L, self);
    const tags = this.v.i32[hot(this.L, self, X_TAGS)]!;
    for (let i = 0; i < argc; i++) into[i] = get(this.v, f + i, (tags >>> (4 * i)) & 15);
  }

  /** Write a result into `self`'s own lane if it fits one register; false when it must spill. */
  writeResult(self: number, value: unknown): boolean {
    const tag = put(this.v, registers(this.L, self), value);
    if (tag < 0) return false;
    this.v.i32[hot(this.L, self, X_TAGS)] = tag | (STATUS_OK << 8);
    return true;
  }

  /** The slot the caller of the call in `self`'s lane lent for a result too big for the line. */
  spillSlot(self: number): number {
    return this.v.i32[hot(this.L, self, X_SPILL)]!;
  }

  /** Say that the result (with `status`) was written to the caller's spill slot. */
  markSpilled(self: number, status: number): void {
    this.v.i32[hot(this.L, self, X_TAGS)] = XT_SPILLED | (status << 8);
  }

  /** Is the result in the spill slot rather than the line? */
  spilled(target: number): boolean {
    return (this.v.i32[hot(this.L, target, X_TAGS)]! & 15) === XT_SPILLED;
  }

  /** The result held in `target`'s lane (status OK, not spilled). */
  readResult(target: number): unknown {
    return get(this.v, registers(this.L, target), this.v.i32[hot(this.L, target, X_TAGS)]! & 15);
  }
}
