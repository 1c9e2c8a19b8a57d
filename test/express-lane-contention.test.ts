import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);
const n = 10_000;
const expected = (n * (n + 1)) / 2;

test('two callers racing for one target with small calls (one express lane between them) both get every result right', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const other = d.call(2, 'hammer', 1, n); // worker 2 → worker 1, small numeric calls
    let sum = 0;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const r = d.callSync(1, 'add', i, 1); // main → worker 1, meanwhile
      if (r !== i + 1) wrong++;
      sum += r;
    }
    assert.equal(wrong, 0);
    assert.equal(sum, expected);
    assert.equal(await other, expected);
  } finally {
    await d.close();
  }
});

test('numeric posts racing with another caller for the express lane still run in each caller’s order', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const other = d.call(2, 'hammer', 1, n); // keeps worker 1's lane busy from another caller
    for (let i = 0; i < 2000; i++) d.post(1, 'note', i);
    assert.equal(await other, expected);
    const got = d.callSync(1, 'notes');
    assert.deepEqual(got, Array.from({ length: 2000 }, (_, i) => i));
  } finally {
    await d.close();
  }
});

test("a caller keeps a target's lane between its calls and gives it back when it parks: another caller then gets that lane", async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    assert.equal(d.callSync(1, 'add', 1, 1), 2); // the main thread now keeps worker 1's lane
    await new Promise((r) => setTimeout(r, 50)); // its event loop idles: the pump parks, and gives the lane back
    const before = d.stats()[2]!.express;
    assert.equal(await d.call(2, 'hammer', 1, 1000), (1000 * 1001) / 2); // worker 2 → worker 1, 1,000 callSync
    await new Promise((r) => setTimeout(r, 50)); // worker 2 publishes its counters when idle
    // Through the lane: had the main thread kept it, every one of them would have gone through a slot.
    assert.ok(d.stats()[2]!.express - before >= 1000, `worker 2 sent ${d.stats()[2]!.express - before} of 1,000 calls through a lane`);
  } finally {
    await d.close();
  }
});
