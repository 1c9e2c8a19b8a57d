import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('the main thread calls a worker with call, callSync and post', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    assert.equal(await d.call(1, 'add', 1, 2), 3);
    assert.equal(d.callSync(2, 'add', 3, 4), 7);
    assert.equal(d.post(1, 'note', 'posted'), undefined);
    assert.deepEqual(d.callSync(1, 'notes'), ['posted']);
    assert.equal(d.callSync(1, 'whoami'), 1);
    assert.equal(await d.call(2, 'whoami'), 2);
  } finally {
    await d.close();
  }
});

test('a worker calls the main thread, and another worker, from inside a called function', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    assert.equal(d.callSync(1, 'addVia', 0, 5, 6), 11); // main → 1 → main
    assert.equal(await d.call(1, 'addVia', 0, 5, 6), 11);
    assert.equal(d.callSync(1, 'addVia', 2, 7, 8), 15); // main → 1 → 2
    assert.equal(await d.call(2, 'addVia', 1, 7, 8), 15);
  } finally {
    await d.close();
  }
});

test('calls bounce between agents ten levels deep (A → B → A → ...) and unwind with the right path', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    assert.deepEqual(d.callSync(1, 'bounce', 10, 2), [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]);
    assert.deepEqual(d.callSync(1, 'bounce', 10, 0), [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    assert.deepEqual(await d.call(2, 'bounce', 10, 0), [2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2]);
  } finally {
    await d.close();
  }
});
