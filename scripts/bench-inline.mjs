#!/usr/bin/env node
/**
 * A lane call's JavaScript, with no second thread: two agents of one domain in this thread, agent 0
 * calling agent 1 through the real caller and the real serving code, where agent 1 serves inline
 * whenever agent 0 looks at agent 1's lane and finds it FILLED. No cache line crosses between cores,
 * nobody spins and nobody parks, so what remains is the code both sides run for one call, in series,
 * as they do on the critical path of a real round trip. Beside it, the same call to the agent itself
 * (no lane, no protocol). Single-threaded, so it is steady where the two-thread benchmarks wander with
 * the vCPU placement: the tool for an A/B of a change to the hot path's code (run each build in a
 * few processes: one process's JIT can sit 5% off another's).
 *
 *   npm run build && node scripts/bench-inline.mjs [rounds]
 *   SMPCALL_DIST=/path/to/other/dist node scripts/bench-inline.mjs
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.env.SMPCALL_DIST ?? new URL('../dist', import.meta.url).pathname);
const load = (path) => import(pathToFileURL(`${dist}/${path}`).href);
const { Agent } = await load('agent/index.js');
const { makeLayout, writeHeader, hot, X_STATE, X_FILLED } = await load('layout.js');
const { compileTable } = await load('table.js');
const { serveOne } = await load('protocol/serve.js');
const { allocateShared } = await load('runtime/shared-memory.js');
// Builds before the WebAssembly atomics (2026-12-05) have no memFor: their agents make their own Mem.
const memFor = (await load('runtime/wasm-mem.js').catch(() => ({}))).memFor ?? (() => undefined);
const calls = (await load('bench/calls.js')).default;
const rounds = Number(process.argv[2] ?? 20);

const table = compileTable(calls);
const L = makeLayout({ agents: 2, slotsPerAgent: 8, arenaPerSlot: 1024, bigPages: 0, tableHash: table.hash });
const shared = allocateShared(L.totalBytes);
const { buffer, memory } = shared instanceof SharedArrayBuffer ? { buffer: shared, memory: undefined } : shared;
writeHeader(new Int32Array(buffer), L);
const options = { spinRounds: 1000, spinUs: 50, stallMs: 5000, slotWaitMs: 5000 };
const caller = new Agent(buffer, L, 0, table, options, memFor(buffer, memory));
const target = new Agent(buffer, L, 1, table, options, memFor(buffer, memory));

// The caller's loads go through its own Mem as always; a load of the target's lane that finds a call
// there first runs the target's serving step (which answers it), as the target's poll would have.
const mem = caller.ctx.mem;
const lane = hot(L, 1, X_STATE);
const inline = Object.create(mem);
inline.load = (i) => {
  if (i === lane && mem.load(i) === X_FILLED) serveOne(target.ctx);
  return mem.load(i);
};
caller.ctx.mem = inline;
const d = caller.handle;
if (d.callSync(1, 'add', 2, 3) !== 5) throw new Error('the inline target did not answer');

const cases = [
  ['self callSync add', (n) => { for (let i = 0; i < n; i++) d.callSync(0, 'add', i, 1); }],
  ['lane callSync noop', (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'noop'); }],
  ['lane callSync add', (n) => { for (let i = 0; i < n; i++) d.callSync(1, 'add', i, 1); }],
];
const n = 100_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [, run] of cases) for (let w = 0; w < 5; w++) run(n);
const times = new Map(cases.map(([name]) => [name, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of r % 2 ? [...cases].reverse() : cases) {
    const t0 = performance.now();
    run(n);
    times.get(name).push(((performance.now() - t0) * 1e6) / n);
  }
}
console.log(`${'one call, both sides in one thread'.padEnd(36)} ns (median)  ns (min)   ${process.versions.node ? `Node ${process.versions.node}` : ''}`);
for (const [name, xs] of times) console.log(`${name.padEnd(36)} ${median(xs).toFixed(1).padStart(11)}  ${Math.min(...xs).toFixed(1).padStart(8)}`);
