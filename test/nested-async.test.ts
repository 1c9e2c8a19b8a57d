import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('an async function that awaits promise calls to other agents completes, even while its caller blocks', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    // main blocks in callSync on 1; 1 awaits a promise call back to main, which main serves while blocked.
    assert.equal(d.callSync(1, 'addViaAsync', 0, 2, 3), 5);
    assert.equal(d.callSync(1, 'addViaAsync', 2, 4, 5), 9);
    assert.equal(await d.call(2, 'addViaAsync', 1, 6, 7), 13);
    assert.equal(d.callSync(1, 'fanOut', [0, 2], 1000), (1000 * 1001) / 2);
    assert.equal(await d.call(2, 'fanOut', [0, 1, 2], 1000), (1000 * 1001) / 2);
  } finally {
    await d.close();
  }
});
