import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);
const n = 10_000;
const expected = (n * (n + 1)) / 2;

/** Poll (not time) until `read` gives a defined value; bounded so a deadlock fails instead of hanging. */
async function settled<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let k = 0; k < 3000; k++) {
    const v = read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what} never finished`);
}

test('three agents calling around a cycle synchronously at the same moment (0 → 1 → 2 → 0) all complete', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const one = d.call(1, 'hammer', 2, n); // 1 → 2
    const two = d.call(2, 'hammer', 0, n); // 2 → main
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d.callSync(1, 'add', i, 1); // main → 1, meanwhile
    assert.equal(sum, expected);
    assert.equal(await one, expected);
    assert.equal(await two, expected);
  } finally {
    await d.close();
  }
});

test('two workers with a single call slot each, started by posts, call each other synchronously and both complete', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url, slotsPerAgent: 1 });
  try {
    d.post(1, 'hammerStore', 2, n);
    d.post(2, 'hammerStore', 1, n);
    // Reading the results is itself a sync call into each busy worker: served while it waits.
    assert.equal(await settled(() => d.callSync(1, 'stored') as number | undefined, 'worker 1'), expected);
    assert.equal(await settled(() => d.callSync(2, 'stored') as number | undefined, 'worker 2'), expected);
    for (const s of d.stats()) assert.equal(s.freeSlots, 1, `agent ${s.agent} got its slot back`);
  } finally {
    await d.close();
  }
});
