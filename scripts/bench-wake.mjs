#!/usr/bin/env node
/**
 * The runtime's own wake-up primitives, with no smpcall code: the main thread wakes N idle workers
 * and waits until every one has answered, N = the worker counts given. Three ways:
 *
 *   futex   each worker parks with Atomics.waitAsync on a word of its own; the main thread bumps each
 *           word and Atomics.notify's it, then waits (waitAsync) for the last worker's notify. This
 *           is what a broadcast to parked smpcall agents costs at the least.
 *   message each worker waits for a postMessage and answers with one (what "postMessage to each"
 *           costs in the benchmark).
 *   hybrid  the main thread wakes workers with postMessage; they answer through shared memory and
 *           one Atomics.notify from the last.
 *
 * It answers one question: is a broadcast to workers that all have to be woken bounded by the
 * runtime's asynchronous futex rather than by smpcall's protocol? Batches of 3,000 rounds, the first
 * thrown away, medians of the rest, the ways interleaved. Node and Bun (node:worker_threads).
 *
 *   node scripts/bench-wake.mjs 4 8
 */
import { Worker } from 'node:worker_threads';

const counts = process.argv.slice(2).map(Number);
if (counts.length === 0 || counts.some((n) => !(n >= 1))) {
  console.error('usage: node scripts/bench-wake.mjs WORKERS...   (for example 4 8)');
  process.exit(2);
}
// One 64-byte line per word: word 0 the answer count, word 4 the main thread's bell, line k+1 worker k's bell.
const LINE = 16;
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { sab, k, n, way } = workerData;
const i32 = new Int32Array(sab);
const bell = ${LINE} * (k + 1);
const keep = setInterval(() => {}, 1 << 30); // a pending waitAsync does not hold a worker's event loop
parentPort.on('close', () => clearInterval(keep));
function answer() {
  if (Atomics.add(i32, 0, 1) === n - 1) {
    Atomics.add(i32, 4, 1);
    Atomics.notify(i32, 4);
  }
}
if (way === 'futex') {
  let seen = 0;
  const park = () => {
    const r = Atomics.waitAsync(i32, bell, seen);
    if (r.async) r.value.then(wake);
    else wake();
  };
  const wake = () => {
    seen = Atomics.load(i32, bell);
    answer();
    park();
  };
  park();
} else if (way === 'hybrid') parentPort.on('message', answer);
else parentPort.on('message', () => parentPort.postMessage(0));
`;

function group(n, way) {
  const sab = new SharedArrayBuffer(4 * LINE * (n + 1));
  const i32 = new Int32Array(sab);
  const workers = Array.from({ length: n }, (_, k) => new Worker(WORKER, { eval: true, workerData: { sab, k, n, way } }));
  const waitMain = async (seen) => {
    const r = Atomics.waitAsync(i32, 4, seen);
    if (r.async) await r.value;
  };
  let round;
  if (way === 'message') {
    let left = 0;
    let done;
    for (const w of workers) w.on('message', () => --left === 0 && done());
    round = () =>
      new Promise((resolve) => {
        done = resolve;
        left = n;
        for (const w of workers) w.postMessage(0);
      });
  } else {
    round = () => {
      Atomics.store(i32, 0, 0);
      const seen = Atomics.load(i32, 4);
      if (way === 'futex') {
        for (let k = 0; k < n; k++) {
          Atomics.add(i32, LINE * (k + 1), 1);
          Atomics.notify(i32, LINE * (k + 1));
        }
      } else for (const w of workers) w.postMessage(0);
      return waitMain(seen);
    };
  }
  return { round, stop: () => Promise.all(workers.map((w) => w.terminate())) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const keep = setInterval(() => {}, 1 << 30); // nor does the main thread's
const ways = ['futex', 'message', 'hybrid'];
for (const n of counts) {
  const groups = Object.fromEntries(ways.map((w) => [w, group(n, w)]));
  await new Promise((r) => setTimeout(r, 300)); // let every worker start
  const times = Object.fromEntries(ways.map((w) => [w, []]));
  for (let batch = 0; batch < 6; batch++) {
    for (const way of batch % 2 ? [...ways].reverse() : ways) {
      const N = 3000;
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await groups[way].round();
      if (batch > 0) times[way].push(((performance.now() - t0) * 1000) / N);
    }
  }
  const pm = median(times.message);
  console.log(`${n} worker(s): ` + ways.map((w) => `${w} ${median(times[w]).toFixed(1)} µs${w === 'message' ? '' : ` (${(median(times[w]) / pm).toFixed(2)}x message)`}`).join(', '));
  await Promise.all(ways.map((w) => groups[w].stop()));
}
clearInterval(keep);
