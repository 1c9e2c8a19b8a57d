import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test("a worker's timers and intervals fire while no call is pending on it", async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    d.post(1, 'noteLater', 20, 'fired');
    d.post(1, 'startTicking', 5, 10);
    // Nothing is pending on the worker between these polls: it is idle, parked, with timers armed.
    let notes: unknown[] = [];
    let ticks = 0;
    for (let k = 0; k < 2000 && (notes.length === 0 || ticks < 10); k++) {
      await new Promise((r) => setTimeout(r, 10));
      if (notes.length === 0) notes = await d.call(1, 'notes');
      ticks = await d.call(1, 'ticks');
    }
    assert.deepEqual(notes, ['fired']);
    assert.equal(ticks, 10, 'the interval ran to its end');
  } finally {
    await d.close();
  }
});
