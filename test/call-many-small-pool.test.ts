import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/broadcast-calls.js';

const url = new URL('./fixtures/broadcast-calls.js', import.meta.url);

test('a broadcast to more targets than the caller has slots still completes, without allocating a fallback', async () => {
  const d = await start<typeof calls>({ workers: 6, slotsPerAgent: 2, calls: url, spin: 20 });
  try {
    const targets = [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6];
    assert.deepEqual(d.callManySync(targets, 'whoami'), targets);
    assert.deepEqual(await d.callMany(targets, 'whoami'), targets);
    assert.deepEqual(d.onEachSync('whoami'), [0, 1, 2, 3, 4, 5, 6]);
    const waits = d.stats()[0]!.slotWaits;
    assert.ok(waits >= 0);
  } finally {
    await d.close();
  }
});
