import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/broadcast-calls.js';

const url = new URL('./fixtures/broadcast-calls.js', import.meta.url);

test('several agents broadcasting to everyone at the same moment all complete with correct results', async () => {
  const d = await start<typeof calls>({ workers: 3, slotsPerAgent: 4, calls: url, spin: 20 });
  try {
    const n = 300;
    // Each broadcastLoop does n onEachSync('add', i, 1) over 4 agents: sum = 4 * sum(i + 1).
    const expected = 4 * ((n * (n + 1)) / 2);
    const results = await Promise.all([d.call(1, 'broadcastLoop', n), d.call(2, 'broadcastLoop', n), d.call(3, 'broadcastLoop', n)]);
    assert.deepEqual(results, [expected, expected, expected]);
  } finally {
    await d.close();
  }
});

test('a called function can broadcast (nested onEach), the caller included', async () => {
  const d = await start<typeof calls>({ workers: 3, calls: url, spin: 20 });
  try {
    assert.deepEqual(d.callSync(1, 'nestedEach'), [0, 1, 2, 3]);
    assert.deepEqual(await d.callMany([1, 2, 3], 'nestedEach'), [
      [0, 1, 2, 3],
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ]);
  } finally {
    await d.close();
  }
});
