import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('nesting deeper than the slot pool allows fails with ERR_SMPCALL_TOO_DEEP instead of deadlocking', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url, slotsPerAgent: 8 });
  try {
    assert.throws(
      () => d.callSync(1, 'bounce', 100, 2),
      (e: Error & { code: string; cause?: { message: string } }) => e.code === 'ERR_SMPCALL_REMOTE' && /TOO_DEEP|blocking calls deep/.test(JSON.stringify(e.message)),
    );
    // Everything unwound: every slot is back and calls work.
    assert.deepEqual(d.callSync(1, 'bounce', 4, 2), [1, 2, 1, 2, 1]);
    for (const s of d.stats()) assert.equal(s.freeSlots, 8);
  } finally {
    await d.close();
  }
});
