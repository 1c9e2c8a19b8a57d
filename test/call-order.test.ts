import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('calls from one caller to one target run in the order they were made, whatever their kind', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const expected: unknown[] = [];
    for (let i = 0; i < 1000; i++) {
      // Small numbers may take the express lane, strings and objects the slot path: order must hold across both.
      const v = i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : { i };
      expected.push(v);
      d.post(1, 'note', v);
      if (i % 97 === 0) void d.call(1, 'hit');
    }
    assert.deepEqual(d.callSync(1, 'notes'), expected);
  } finally {
    await d.close();
  }
});

test('a storm of posts far larger than the slot pool is delivered completely and in order', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url, slotsPerAgent: 4 });
  try {
    for (let i = 0; i < 10_000; i++) d.post(1, 'note', i % 2 ? i : `${i}`);
    const got = d.callSync(1, 'notes');
    assert.equal(got.length, 10_000);
    assert.deepEqual(got, Array.from({ length: 10_000 }, (_, i) => (i % 2 ? i : `${i}`)));
    assert.ok(d.stats()[0]!.slotWaits > 0, 'the caller had to wait for its own slots');
  } finally {
    await d.close();
  }
});
