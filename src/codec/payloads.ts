/**
 * Where a call's arguments or result go, by size: inline in the slot (no allocation, the common
 * case), in the slot's own arena share, or in pages of the writer's big arena. The slot's S_LEN word
 * says which (LEN_* in layout.ts): inline, >= 0 bytes in the share, big (a descriptor in the inline
 * area), or consumed once a big payload was read (so a caller whose target died knows whether the
 * pages are still its to free).
 */
import { BIG_BYTES, BIG_OWNER, BIG_PAGE, LEN_BIG, LEN_CONSUMED, LEN_INLINE, PAGE_BYTES, S_INLINE_BYTE, S_LEN, arenaByte, slotByte, slotWord, type Layout } from '../layout.js';
import { SmpcallError, SmpcallTypeError, codes } from '../errors.js';
import { InlineReader, encodeInline } from './inline.js';
import { PageArena } from './page-arena.js';
import type { SharedBuffers } from './shared-buffers.js';
import { StructuredReader } from './structured-reader.js';
import { StructuredWriter } from './structured-writer.js';
import type { Views } from './views.js';


/**
 * An error raised while encoding: smpcall's own keep their code; anything user code threw on the way
 * (a getter, a registered class's encode) becomes ERR_SMPCALL_UNCLONEABLE with it as `cause`.
 */
function coded(e: unknown, what: string, step = 'encoded'): unknown {
  if (typeof (e as { code?: unknown })?.code === 'string' && String((e as { code: string }).code).startsWith('ERR_SMPCALL_')) return e;
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new SmpcallError(codes.UNCLONEABLE, `${what} could not be ${step}: ${why}`, { cause: e });
}

export class Payloads {
  // One writer and one reader are reused by every call. User code runs while they work (a getter,
  // a registered class's encode or decode) and may itself make a call: that nested call gets a
  // fresh writer or reader, so it never restarts the one the outer call is using.
  private readonly writer: StructuredWriter;
  private readonly reader: StructuredReader;
  private writerBusy = false;
  private readerBusy = false;
  private readonly inline: InlineReader;
  readonly arena: PageArena;

  constructor(
    private readonly v: Views,
    private readonly L: Layout,
    id: number,
    private readonly shared: SharedBuffers,
    /** Called when the big arena has no room: serve and wait a little, then return to retry. */
    private readonly waitForPages: (bytes: number) => void,
  ) {
    this.writer = new StructuredWriter(shared);
    this.reader = new StructuredReader(v.u8, v.dv, shared);
    this.inline = new InlineReader(v);
    this.arena = new PageArena(v.i32, L, id);
  }

  /** Write `values[0..count)` into `slot`. Throws (nothing written that anyone reads) if they cannot travel. */
  write(slot: number, values: ArrayLike<unknown>, count: number, what: string): void {
    const len = slotWord(this.L, slot, S_LEN);
    // Values from the inline codec are plain data; a view of shared memory must go by reference.
    if (encodeInline(this.v, slotByte(this.L, slot) + S_INLINE_BYTE, values, count)) {
      this.v.i32[len] = LEN_INLINE;
      return;
    }
    const own = !this.writerBusy;
    const writer = own ? this.writer : new StructuredWriter(this.shared);
    this.writerBusy = true;
    try {
      this.writeStructured(writer, slot, len, values, count, what);
    } catch (e) {
      throw coded(e, what);
    } finally {
      writer.release();
      if (own) this.writerBusy = false;
    }
  }

  private writeStructured(writer: StructuredWriter, slot: number, len: number, values: ArrayLike<unknown>, count: number, what: string): void {
    const n = writer.encode(values, count, what);
    if (n <= this.L.arenaPerSlot) {
      this.v.u8.set(writer.bytes(), arenaByte(this.L, slot));
      this.v.i32[len] = n;
      return;
    }
    if (!this.arena.fits(n)) {
      throw new SmpcallTypeError(
        codes.TOO_LARGE,
        `${what}: ${n} bytes, more than the ${this.L.bigPages * PAGE_BYTES}-byte big arena of an agent: raise start({ bigArena }), or put the data in a SharedArrayBuffer registered with domain.share() and send a view of it`,
      );
    }
    let page = this.arena.alloc(n);
    if (page < 0) {
      // Full for now: keep the encoded bytes (serving may encode other payloads), wait, retry.
      const bytes = writer.bytes().slice();
      while ((page = this.arena.alloc(n)) < 0) this.waitForPages(n);
      this.v.u8.set(bytes, this.arena.byteOf(page));
    } else {
      this.v.u8.set(writer.bytes(), this.arena.byteOf(page));
    }
    const d = (slotByte(this.L, slot) + S_INLINE_BYTE) >> 2;
    this.v.i32[d + BIG_OWNER] = this.arena.owner;
    this.v.i32[d + BIG_PAGE] = page;
    this.v.i32[d + BIG_BYTES] = n;
    this.v.i32[len] = LEN_BIG;
  }

  /** Read `count` values from `slot` into `into`; a big payload's pages are freed once read. */
  read(slot: number, count: number, into: unknown[]): void {
    const lenWord = slotWord(this.L, slot, S_LEN);
    const len = this.v.i32[lenWord]!;
    if (len === LEN_INLINE) {
      this.inline.start(slotByte(this.L, slot) + S_INLINE_BYTE);
      for (let i = 0; i < count; i++) into[i] = this.inline.next(i);
    } else if (len >= 0) {
      this.decode(arenaByte(this.L, slot), count, into);
    } else if (len === LEN_BIG) {
      const d = (slotByte(this.L, slot) + S_INLINE_BYTE) >> 2;
      const owner = this.v.i32[d + BIG_OWNER]!;
      const page = this.v.i32[d + BIG_PAGE]!;
      const bytes = this.v.i32[d + BIG_BYTES]!;
      try {
        this.decode(this.arena.byteOf(page, owner), count, into);
      } finally {
        this.arena.free(owner, page, bytes);
        this.v.i32[lenWord] = LEN_CONSUMED;
      }
    } else {
      throw new Error(`slot ${slot} holds no payload (S_LEN ${len})`);
    }
  }

  private decode(base: number, count: number, into: unknown[]): void {
    const own = !this.readerBusy;
    const reader = own ? this.reader : new StructuredReader(this.v.u8, this.v.dv, this.shared);
    this.readerBusy = true;
    try {
      reader.decode(base, count, into);
    } finally {
      if (own) this.readerBusy = false;
    }
  }

  /** Copy values the way a call would carry them (for calls to the agent itself). */
  clone(values: unknown[], what: string): unknown[] {
    // Always a fresh writer: user code run by encode may call, and clone is off the hot path.
    const writer = new StructuredWriter(this.shared);
    let n: number;
    try {
      n = writer.encode(values, values.length, what);
    } catch (e) {
      throw coded(e, what);
    }
    const bytes = writer.bytes().slice(0, n);
    const out: unknown[] = new Array(values.length);
    try {
      new StructuredReader(bytes, new DataView(bytes.buffer), this.shared).decode(0, values.length, out);
    } catch (e) {
      throw coded(e, what, 'decoded');
    }
    return out;
  }

  /** Free a big payload nobody will read (a dropped late result, a call its target never took). */
  discard(slot: number): void {
    const lenWord = slotWord(this.L, slot, S_LEN);
    if (this.v.i32[lenWord] !== LEN_BIG) return;
    const d = (slotByte(this.L, slot) + S_INLINE_BYTE) >> 2;
    this.arena.free(this.v.i32[d + BIG_OWNER]!, this.v.i32[d + BIG_PAGE]!, this.v.i32[d + BIG_BYTES]!);
    this.v.i32[lenWord] = LEN_CONSUMED;
  }
}
