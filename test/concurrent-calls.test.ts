import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('thousands of promise calls in flight at once from a caller with two slots all settle with the right results', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url, slotsPerAgent: 2 });
  try {
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => d.call(1 + (i % 2), 'add', i, 1)));
    let wrong = 0;
    results.forEach((r, i) => {
      if (r !== i + 1) wrong++;
    });
    assert.equal(wrong, 0);
    // The same from inside a worker: an async function awaiting 500 calls to main and worker 2.
    assert.equal(await d.call(1, 'fanOut', [0, 2], 500), (500 * 501) / 2);
    for (const s of d.stats()) assert.equal(s.freeSlots, 2, `agent ${s.agent} got every slot back`);
  } finally {
    await d.close();
  }
});
