import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('post and call return at once while the target is busy, and their calls run once it is free', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const flag = new SharedArrayBuffer(4);
    await d.share(flag);
    const view = new Int32Array(flag);
    // Worker 1 blocks until the main thread sets the flag: if post or call waited for the target,
    // this test would never reach the line that sets it.
    const busy = d.call(1, 'waitFlag', view);
    const results: unknown[] = [];
    for (let i = 0; i < 10; i++) results.push(d.post(1, 'note', i % 2 ? i : `n${i}`));
    const later = d.call(1, 'notes');
    assert.deepEqual(results, new Array(10).fill(undefined), 'post returns undefined');
    Atomics.store(view, 0, 1);
    Atomics.notify(view, 0);
    assert.equal(await busy, 'released');
    assert.deepEqual(await later, Array.from({ length: 10 }, (_, i) => (i % 2 ? i : `n${i}`)));
  } finally {
    await d.close();
  }
});
