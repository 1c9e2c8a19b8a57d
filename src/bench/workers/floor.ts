/**
 * The floor's echo thread: one shared word, WORD. The caller stores an odd number; this thread
 * answers with the next even one. `park: false` spins (the least a round trip can cost), parking only
 * after SPIN_MS idle so an idle floor does not steal a core from the other cases; `park: true`
 * always blocks in Atomics.wait and answers with Atomics.notify (the wait/notify round trip).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PARKED, WORD } from '../floors.js';

const { buffer, park } = workerData as { buffer: SharedArrayBuffer; park: boolean };
const w = new Int32Array(buffer);
const SPIN_MS = 0.2;
let last = 0;
for (;;) {
  let v: number;
  if (park) {
    while ((v = Atomics.load(w, WORD)) === last) Atomics.wait(w, WORD, last);
  } else {
    let spins = 0;
    let since = performance.now();
    while ((v = Atomics.load(w, WORD)) === last) {
      if ((++spins & 1023) === 0 && performance.now() - since > SPIN_MS) {
        // Announce the park before the re-check inside wait: a caller that stores WORD after this
        // store sees PARKED and notifies (sequentially consistent Atomics: no lost wake-up).
        Atomics.store(w, PARKED, 1);
        Atomics.wait(w, WORD, last, 100);
        Atomics.store(w, PARKED, 0);
        since = performance.now();
      }
    }
  }
  if (v < 0) break;
  last = v + 1;
  Atomics.store(w, WORD, last);
  if (park) Atomics.notify(w, WORD);
}
parentPort?.postMessage('bye');
