import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('one million sequential inline callSync calls all return the right result', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    let wrong = 0;
    for (let i = 0; i < 1_000_000; i++) if (d.callSync(1, 'add', i, 1) !== i + 1) wrong++;
    assert.equal(wrong, 0);
    assert.ok(d.stats()[1]!.served >= 1_000_000);
  } finally {
    await d.close();
  }
});
