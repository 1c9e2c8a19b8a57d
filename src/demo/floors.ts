/**
 * The baselines smpcall is measured against, each on its own worker:
 * - the raw Atomics floor: one shared word ping-ponged between two spinning threads, the least a
 *   cross-thread round trip can cost on this machine;
 * - a plain postMessage round trip, what comlink, piscina, workerpool and synckit build on.
 */
import { Worker } from 'node:worker_threads';

const SPIN_ECHO = `
const { workerData, parentPort } = require('node:worker_threads');
const w = new Int32Array(workerData);
let last = 0;
for (;;) {
  let v;
  // Spin on the request word; when idle for a while, block on it (so the demo's other parts get the core).
  let spins = 0;
  while ((v = Atomics.load(w, 0)) === last) {
    if (++spins > 200000) { Atomics.wait(w, 0, last, 50); spins = 0; }
  }
  if (v < 0) break;
  Atomics.store(w, 16, v);
  last = v;
}
parentPort.postMessage('bye');
`;

const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));
`;

export interface Floor {
  /** `n` back-to-back round trips. */
  batch(n: number): void;
  close(): Promise<void>;
}

export async function spinFloor(): Promise<Floor> {
  const sab = new SharedArrayBuffer(128);
  const w = new Int32Array(sab);
  const worker = new Worker(SPIN_ECHO, { eval: true, workerData: sab });
  await new Promise((r) => worker.once('online', r));
  let seq = 0;
  return {
    batch(n) {
      for (let i = 0; i < n; i++) {
        const v = ++seq;
        Atomics.store(w, 0, v);
        Atomics.notify(w, 0);
        while (Atomics.load(w, 16) !== v);
      }
    },
    async close() {
      Atomics.store(w, 0, -1);
      Atomics.notify(w, 0);
      await worker.terminate();
    },
  };
}

export interface AsyncFloor {
  batch(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function postMessageFloor(): Promise<AsyncFloor> {
  const worker = new Worker(ECHO, { eval: true });
  await new Promise((r) => worker.once('online', r));
  let resolveOne: (() => void) | undefined;
  worker.on('message', () => resolveOne?.());
  return {
    async batch(n) {
      for (let i = 0; i < n; i++) {
        await new Promise<void>((r) => {
          resolveOne = r;
          worker.postMessage(i);
        });
      }
    },
    async close() {
      await worker.terminate();
    },
  };
}
