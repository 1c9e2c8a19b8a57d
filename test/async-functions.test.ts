import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('an async function on the target settles call and callSync with its resolved value, timers working in the worker', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.equal(await d.call(1, 'later', 20, 'done'), 'done');
    assert.deepEqual(d.callSync(1, 'later', 5, { ok: 1 }), { ok: 1 });
    // Several pending at once on one worker, completing out of order.
    const all = await Promise.all([d.call(1, 'later', 30, 'a'), d.call(1, 'later', 1, 'b'), d.call(1, 'later', 15, 'c')]);
    assert.deepEqual(all, ['a', 'b', 'c']);
  } finally {
    await d.close();
  }
});
