/**
 * The raw floors every other number is divided by, each with its own echo thread:
 * - spin: one shared word ping-ponged between two spinning threads, the least a cross-thread round
 *   trip can cost on this machine;
 * - park: the same through Atomics.wait / Atomics.notify on both sides (what a blocked thread costs).
 */
import { Worker } from 'node:worker_threads';

/** Word indexes, each on its own 64-byte line. */
export const REQ = 0;
export const REPLY = 16;
export const PARKED = 32;

export interface Floor {
  /** `n` back-to-back round trips. */
  batch(n: number): void;
  close(): Promise<void>;
}

export async function startFloor(park: boolean): Promise<Floor> {
  const buffer = new SharedArrayBuffer(256);
  const w = new Int32Array(buffer);
  const worker = new Worker(new URL('./workers/floor.js', import.meta.url), { workerData: { buffer, park } });
  await new Promise((r, j) => {
    worker.once('online', r);
    worker.once('error', j);
  });
  let seq = 0;
  const spinTrip = (): void => {
    const v = ++seq;
    Atomics.store(w, REQ, v);
    // Ring only a parked echo thread, as smpcall does.
    if (Atomics.load(w, PARKED) === 1) Atomics.notify(w, REQ);
    while (Atomics.load(w, REPLY) !== v);
  };
  const parkTrip = (): void => {
    const v = ++seq;
    Atomics.store(w, REQ, v);
    Atomics.notify(w, REQ);
    while (Atomics.load(w, REPLY) !== v) Atomics.wait(w, REPLY, v - 1);
  };
  const trip = park ? parkTrip : spinTrip;
  return {
    batch(n) {
      for (let i = 0; i < n; i++) trip();
    },
    async close() {
      Atomics.store(w, REQ, -1);
      Atomics.notify(w, REQ);
      await worker.terminate();
    },
  };
}
