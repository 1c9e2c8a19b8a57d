/**
 * SharedArrayBuffers registered with the domain (`share()`): every agent holds the same buffer under
 * the same id, so a view of it travels as (id, offset, length) and arrives as a view of the same memory.
 */
export class SharedBuffers {
  private readonly ids = new Map<SharedArrayBuffer, number>();
  private readonly buffers: SharedArrayBuffer[] = [];

  idOf(b: SharedArrayBuffer): number | undefined {
    return this.ids.get(b);
  }
  byId(id: number): SharedArrayBuffer | undefined {
    return this.buffers[id];
  }
  /** Register `b` under `id` (the id is chosen by the main thread and the same everywhere). */
  add(id: number, b: SharedArrayBuffer): void {
    this.ids.set(b, id);
    this.buffers[id] = b;
  }
  get size(): number {
    return this.ids.size;
  }
}
