/**
 * The floor's echo thread: waits for a new number in word REQ and writes it back to word REPLY.
 * `park: false` spins (the least a round trip can cost), parking only after SPIN_MS idle so an idle
 * floor does not steal a core from the other cases; `park: true` always blocks in Atomics.wait and
 * answers with Atomics.notify (the wait/notify round trip).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PARKED, REPLY, REQ } from '../floors.js';

const { buffer, park } = workerData as { buffer: SharedArrayBuffer; park: boolean };
const w = new Int32Array(buffer);
const SPIN_MS = 0.2;
let last = 0;
for (;;) {
  let v: number;
  if (park) {
    while ((v = Atomics.load(w, REQ)) === last) Atomics.wait(w, REQ, last);
  } else {
    let spins = 0;
    let since = performance.now();
    while ((v = Atomics.load(w, REQ)) === last) {
      if ((++spins & 1023) === 0 && performance.now() - since > SPIN_MS) {
        // Announce the park before the re-check inside wait: a caller that stores REQ after this
        // store sees PARKED and notifies (sequentially consistent Atomics: no lost wake-up).
        Atomics.store(w, PARKED, 1);
        Atomics.wait(w, REQ, last, 100);
        Atomics.store(w, PARKED, 0);
        since = performance.now();
      }
    }
  }
  if (v < 0) break;
  Atomics.store(w, REPLY, v);
  if (park) Atomics.notify(w, REPLY);
  last = v;
}
parentPort?.postMessage('bye');
