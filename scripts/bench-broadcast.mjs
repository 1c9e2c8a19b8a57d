#!/usr/bin/env node
/**
 * onEach against postMessage to each worker, nothing else alive: for each worker count, one domain
 * and as many postMessage echo workers, measured in interleaved batches of 1,000 broadcasts (10
 * measured rounds after 2 warm-up rounds), medians. `npm run bench` measures the same in its
 * broadcast sessions, beside the floor's echo thread; this is the quick A/B for a change of spin policy.
 *
 *   npm run build && node scripts/bench-broadcast.mjs 1 2 4 8
 *   SMPCALL_DIST=/path/to/other/dist node scripts/bench-broadcast.mjs 2   # another build, same machine
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = resolve(process.env.SMPCALL_DIST ?? new URL('../dist', import.meta.url).pathname);
const { start } = await import(pathToFileURL(`${dist}/bundle/index.js`).href);
const calls = pathToFileURL(`${dist}/bench/calls.js`);
const counts = process.argv.slice(2).map(Number);
if (counts.length === 0 || counts.some((n) => !(n >= 1))) {
  console.error('usage: node scripts/bench-broadcast.mjs WORKERS...   (for example 1 2 4 8)');
  process.exit(2);
}
const ECHO = "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));";
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const n of counts) {
  const echoes = Array.from({ length: n }, () => {
    const w = new Worker(ECHO, { eval: true });
    const e = { w, resolve: undefined };
    w.on('message', () => e.resolve());
    return e;
  });
  const postEach = () => Promise.all(echoes.map((e) => new Promise((r) => ((e.resolve = r), e.w.postMessage(0)))));
  const d = await start({ workers: n, calls });
  const onEach = () => d.onEach('noop');
  const times = { onEach: [], postMessage: [] };
  for (let round = 0; round < 12; round++) {
    const order = round % 2 ? [['postMessage', postEach], ['onEach', onEach]] : [['onEach', onEach], ['postMessage', postEach]];
    for (const [name, op] of order) {
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) await op();
      if (round >= 2) times[name].push(performance.now() - t0); // ms per 1,000 = µs per broadcast
    }
  }
  const s = median(times.onEach);
  const p = median(times.postMessage);
  console.log(`${n} worker(s): onEach ${s.toFixed(1)} µs, postMessage to each ${p.toFixed(1)} µs (${s <= p ? `${(p / s).toFixed(2)}x faster` : `${(s / p).toFixed(2)}x slower`}); parks ${d.stats().map((x) => x.parks).join(',')}`);
  await d.close();
  for (const e of echoes) await e.w.terminate();
}
