#!/usr/bin/env node
/**
 * The hot path, stage by stage, measured side by side: main thread → one worker, both warmed, in
 * interleaved batches, medians. Each row adds one stage to the row above it, so the differences are
 * where a call's time goes:
 *
 *   floor          one shared word ping-ponged by two spinning threads (one line crossing each way)
 *   self callSync  the same call to the agent itself: checks, encode, decode, dispatch, result, no other thread
 *   callSync noop  a remote call that carries nothing back: the handoff
 *   callSync add   two numbers there, one back
 *   call (await)   the promise form: a pending entry, a promise, its continuation
 *   call async fn  callSync of an async served function (a promise settled at the target)
 *   pipelined      64 calls in flight, then awaited together (per call)
 *
 *   npm run build && node scripts/bench-hot.mjs [rounds]
 *   SMPCALL_DIST=/path/to/other/dist node scripts/bench-hot.mjs   # another build, same machine
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = resolve(process.env.SMPCALL_DIST ?? new URL('../dist', import.meta.url).pathname);
const { start } = await import(pathToFileURL(`${dist}/bundle/index.js`).href);
const { startFloor } = await import(pathToFileURL(`${dist}/bench/floors.js`).href);
const calls = pathToFileURL(`${dist}/bench/calls.js`);
const rounds = Number(process.argv[2] ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const floor = await startFloor(false);
const d = await start({ workers: 1, calls });

const cases = [
  ['floor', 20000, (n) => floor.batch(n)],
  ['self callSync', 20000, (n) => { for (let i = 0; i < n; i++) d.callSync(0, 'add', i, 1); }],
  ['callSync noop', 20000, (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'noop'); }],
  ['callSync add', 20000, (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'add', i, 1); }],
  ['callSync echo 7ch', 20000, (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'echo', 'abcdefg'); }],
  ['callSync echo 8ch', 20000, (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'echo', 'abcdefgh'); }],
  ['self call (await)', 5000, async (n) => { for (let i = 0; i < n; i++) await d.call(0, 'add', i, 1); }],
  ['call (await)', 5000, async (n) => { for (let i = 0; i < n; i++) await d.call(1, 'add', i, 1); }],
  ['callSync async fn', 10000, (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'addAsync', i, 1); }],
  ['pipelined', 5000, async (n) => {
    const ps = new Array(64);
    for (let i = 0; i < n; i += 64) {
      for (let k = 0; k < 64; k++) ps[k] = d.call(1, 'add', i, k);
      await Promise.all(ps);
    }
  }],
];

// Warm every case (JIT tiers on both threads, the adaptive spin), then measure in interleaved rounds.
for (const [, n, run] of cases) for (let w = 0; w < 10; w++) await run(n);
const times = new Map(cases.map(([name]) => [name, []]));
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...cases].reverse() : cases;
  for (const [name, n, run] of order) {
    const t0 = performance.now();
    await run(n);
    times.get(name).push(((performance.now() - t0) * 1000) / n);
  }
}
const f = median(times.get('floor'));
console.log(`${'stage'.padEnd(18)} ${'µs/call'.padStart(8)} ${'× floor'.padStart(8)}`);
for (const [name] of cases) {
  const m = median(times.get(name));
  console.log(`${name.padEnd(18)} ${m.toFixed(3).padStart(8)} ${(m / f).toFixed(2).padStart(8)}`);
}
console.log(`parks ${d.stats().map((x) => x.parks).join(',')}`);
await d.close();
await floor.close();
