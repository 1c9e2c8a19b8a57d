/**
 * The raw floors every other number is divided by, each with its own echo thread:
 * - spin: one shared word ping-ponged between two spinning threads, the least a cross-thread round
 *   trip can cost on this machine;
 * - park: the same through Atomics.wait / Atomics.notify on both sides (what a blocked thread costs).
 */
import { Worker } from 'node:worker_threads';

/** Word indexes: the ping-pong word, and (on its own 64-byte line) the echo thread's "I am parked" flag. */
export const WORD = 0;
export const PARKED = 16;

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
  // The caller stores odd numbers, the echo thread answers with the next even one: one word, one
  // cache line crossing each way.
  let seq = 0;
  const spinTrip = (): void => {
    const ask = (seq += 2) - 1;
    Atomics.store(w, WORD, ask);
    // Ring only a parked echo thread, as smpcall does.
    if (Atomics.load(w, PARKED) === 1) Atomics.notify(w, WORD);
    while (Atomics.load(w, WORD) === ask);
  };
  const parkTrip = (): void => {
    const ask = (seq += 2) - 1;
    Atomics.store(w, WORD, ask);
    Atomics.notify(w, WORD);
    while (Atomics.load(w, WORD) === ask) Atomics.wait(w, WORD, ask);
  };
  const trip = park ? parkTrip : spinTrip;
  return {
    batch(n) {
      for (let i = 0; i < n; i++) trip();
    },
    async close() {
      Atomics.store(w, WORD, -1);
      Atomics.notify(w, WORD);
      await worker.terminate();
    },
  };
}
