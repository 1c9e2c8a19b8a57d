import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);
const n = 10_000;
const expected = (n * (n + 1)) / 2;

test('two workers calling each other synchronously at the same moment both complete (no AB/BA deadlock)', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const [a, b] = await Promise.all([d.call(1, 'hammer', 2, n), d.call(2, 'hammer', 1, n)]);
    assert.equal(a, expected);
    assert.equal(b, expected);
  } finally {
    await d.close();
  }
});

test('a worker and the main thread calling each other synchronously at the same moment both complete', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const worker = d.call(1, 'hammer', 0, n); // worker 1 → main, n times
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d.callSync(1, 'add', i, 1); // main → worker 1, meanwhile
    assert.equal(sum, expected);
    assert.equal(await worker, expected);
  } finally {
    await d.close();
  }
});
