#!/usr/bin/env node
/**
 * Is the lane's handoff at the floor? Three round trips measured side by side in one process (so at
 * one vCPU placement), interleaved batches, medians:
 *
 *   floor          one shared word ping-ponged by two spinning threads
 *   lane, mocked   the express lane's memory traffic with no smpcall code: the caller writes two f64
 *                  arguments, the tags, owner and meta words into the target's 64-byte line, stores
 *                  FILLED and loads the target's state; the target polls its inbox and lane words,
 *                  reads the call, writes an f64 result and its tags, stores DONE and loads the caller's
 *                  state; the caller spins on the lane (and on its own line, as a waiter serves its inbox)
 *   callSync add   the same call through smpcall (main thread → one polling worker, kept lane)
 *
 * If the mock costs what the floor does, the protocol's lines are not where a call's time goes; the
 * difference between the mock and callSync is the JavaScript on each side (checks, codec, dispatch,
 * the pump), which sits on the critical path between the two handoffs.
 *
 *   npm run build && node scripts/bench-handoff.mjs [rounds]
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = resolve(process.env.SMPCALL_DIST ?? new URL('../dist', import.meta.url).pathname);
const { start } = await import(pathToFileURL(`${dist}/bundle/index.js`).href);
const calls = pathToFileURL(`${dist}/bench/calls.js`);
const rounds = Number(process.argv[2] ?? 12);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// One page, lines of 16 words: line 0 the caller's, line 1 the target's (as the layout's hot lines),
// line 8 the floor's word, line 10 the mode word. f64 registers at bytes 32..63 of the target's line.
const buffer = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer;
const i32 = new Int32Array(buffer);
const f64 = new Float64Array(buffer);
const CALLER = 0, TARGET = 16, FLOOR = 128, MODE = 160;
const STATE = 1, X_STATE = 2, X_OWNER = 3, X_META = 4, X_TAGS = 6, REGS = (TARGET * 4 + 32) / 8;
const FILLED = 2, DONE = 3;
const MODE_PARK = 0, MODE_FLOOR = 1, MODE_LANE = 2, MODE_EXIT = 3;

const echo = new Worker(
  `const { workerData: b } = require('node:worker_threads');
  const i32 = new Int32Array(b), f64 = new Float64Array(b);
  for (;;) {
    const mode = Atomics.load(i32, ${MODE});
    if (mode === ${MODE_EXIT}) break;
    if (mode === ${MODE_PARK}) { Atomics.wait(i32, ${MODE}, ${MODE_PARK}); continue; }
    if (mode === ${MODE_FLOOR}) {
      const v = Atomics.load(i32, ${FLOOR});
      if (v & 1) Atomics.store(i32, ${FLOOR}, v + 1);
      continue;
    }
    const inbox = Atomics.load(i32, ${TARGET});
    if (Atomics.load(i32, ${TARGET + X_STATE}) !== ${FILLED}) continue;
    const owner = i32[${TARGET + X_OWNER}], tags = i32[${TARGET + X_TAGS}] + i32[${TARGET + X_META}];
    f64[${REGS}] = f64[${REGS}] + f64[${REGS + 1}] + (tags & inbox & 0);
    i32[${TARGET + X_TAGS}] = 4;
    Atomics.store(i32, ${TARGET + X_STATE}, ${DONE});
    Atomics.load(i32, ${CALLER} + 16 * owner + ${STATE});
  }`,
  { eval: true, workerData: buffer },
);
await new Promise((r) => echo.once('online', r));
const mode = (m) => {
  Atomics.store(i32, MODE, m);
  Atomics.notify(i32, MODE);
};

let seq = 0;
const floor = (n) => {
  for (let i = 0; i < n; i++) {
    const ask = (seq += 2) - 1;
    Atomics.store(i32, FLOOR, ask);
    while (Atomics.load(i32, FLOOR) === ask);
  }
};
const lane = (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    f64[REGS] = i;
    f64[REGS + 1] = 1;
    i32[TARGET + X_TAGS] = 0x44;
    i32[TARGET + X_OWNER] = 0;
    i32[TARGET + X_META] = 7;
    Atomics.store(i32, TARGET + X_STATE, FILLED);
    Atomics.load(i32, TARGET + STATE);
    while (Atomics.load(i32, TARGET + X_STATE) !== DONE) {
      Atomics.load(i32, CALLER);
      Atomics.load(i32, CALLER + X_STATE);
    }
    sum += f64[REGS];
  }
  return sum;
};
const d = await start({ workers: 1, calls });
const callSync = (n) => {
  for (let i = 0; i < n; i++) d.callSync(1, 'add', i, 1);
};

const cases = [
  ['floor', MODE_FLOOR, floor],
  ['lane, mocked', MODE_LANE, lane],
  ['callSync add', MODE_PARK, callSync],
];
const times = new Map(cases.map(([name]) => [name, []]));
for (let r = 0; r < rounds + 2; r++) {
  for (const [name, m, run] of r % 2 ? [...cases].reverse() : cases) {
    mode(m);
    run(2000);
    const n = 50_000;
    const t0 = performance.now();
    run(n);
    if (r >= 2) times.get(name).push(((performance.now() - t0) * 1000) / n);
  }
}
mode(MODE_EXIT);
await echo.terminate();
await d.close();
const f = median(times.get('floor'));
console.log(`${'round trip'.padEnd(14)} ${'µs'.padStart(7)} ${'× floor'.padStart(8)}`);
for (const [name] of cases) {
  const m = median(times.get(name));
  console.log(`${name.padEnd(14)} ${m.toFixed(3).padStart(7)} ${(m / f).toFixed(2).padStart(8)}`);
}
