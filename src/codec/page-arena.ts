/**
 * The big arena: each agent owns `bigPages` pages of 4 KiB in the domain buffer for payloads too
 * large for a slot's own arena share. Only the owner allocates (a first-fit scan of its bitmap, bits
 * set with Atomics.or); whoever consumes the payload frees it (bits cleared with Atomics.and). One
 * writer of set bits and atomic clears make it lock-free without a CAS loop.
 *
 * A payload travels as a descriptor (owner, first page, byte length) in the slot's inline area.
 */
import { PAGE_BYTES, bitmapWord, pageByte, type Layout } from '../layout.js';

export const pagesFor = (bytes: number): number => Math.max(1, Math.ceil(bytes / PAGE_BYTES));

export class PageArena {
  /** Where the next first-fit scan starts (owner-private). */
  private cursor = 0;
  constructor(
    private readonly i32: Int32Array,
    private readonly L: Layout,
    /** The agent whose arena this is (the only one that allocates in it). */
    readonly owner: number,
  ) {}

  /** Can a payload of this size ever fit? */
  fits(bytes: number): boolean {
    return pagesFor(bytes) <= this.L.bigPages;
  }

  private used(page: number): boolean {
    return (Atomics.load(this.i32, bitmapWord(this.L, this.owner, page >>> 5)) & (1 << (page & 31))) !== 0;
  }

  /** Allocate pages for `bytes` (owner only). Returns the first page, or -1 when no run is free now. */
  alloc(bytes: number): number {
    const n = pagesFor(bytes);
    const total = this.L.bigPages;
    if (n > total) return -1;
    for (let tries = 0, start = this.cursor; tries < 2; tries++, start = 0) {
      let run = 0;
      for (let p = start; p < total; p++) {
        run = this.used(p) ? 0 : run + 1;
        if (run === n) {
          const first = p - n + 1;
          this.mark(this.owner, first, n, true);
          this.cursor = p + 1 >= total ? 0 : p + 1;
          return first;
        }
      }
    }
    return -1;
  }

  /** Byte offset of a page of this arena's owner, or of any agent's. */
  byteOf(page: number, owner = this.owner): number {
    return pageByte(this.L, owner, page);
  }

  /** Free pages of `owner`'s arena (anyone may, once the payload is consumed). */
  free(owner: number, first: number, bytes: number): void {
    this.mark(owner, first, pagesFor(bytes), false);
  }

  private mark(owner: number, first: number, n: number, set: boolean): void {
    for (let p = first; p < first + n; ) {
      const w = p >>> 5;
      const bit = p & 31;
      const count = Math.min(32 - bit, first + n - p);
      const mask = count === 32 ? -1 : ((1 << count) - 1) << bit;
      if (set) Atomics.or(this.i32, bitmapWord(this.L, owner, w), mask);
      else Atomics.and(this.i32, bitmapWord(this.L, owner, w), ~mask);
      p += count;
    }
  }

  /** Pages in use right now (for stats and leak checks). */
  pagesUsed(owner = this.owner): number {
    let used = 0;
    for (let w = 0; w < this.L.bitmapWords; w++) {
      let x = Atomics.load(this.i32, bitmapWord(this.L, owner, w));
      while (x !== 0) {
        x &= x - 1;
        used++;
      }
    }
    return used;
  }
}
