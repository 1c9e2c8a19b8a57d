import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

type Remote = Error & { code: string; cause: Error & { code?: string } };

test('an error thrown ten calls deep travels back through every agent to the first caller, and every agent keeps working', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const check = (e: Remote): boolean => {
      assert.equal(e.code, 'ERR_SMPCALL_REMOTE');
      assert.equal(e.cause.code, 'ERR_SMPCALL_REMOTE', 'each hop wraps the one below');
      assert.match(e.message, /RangeError: bottom on agent 1/, 'the innermost error is named at the top');
      return true;
    };
    assert.throws(() => d.callSync(1, 'deepThrow', 10, 2), check); // 1 ⇄ 2
    await assert.rejects(d.call(1, 'deepThrow', 10, 0), check); // 1 ⇄ main
    assert.throws(() => d.callSync(2, 'deepThrow', 10, 1), (e: Remote) => /bottom on agent 2/.test(e.message));
    // Caught halfway: the function that catches returns normally.
    assert.equal(d.callSync(2, 'tryCall', 1, 'deepThrow', 5, 0), 'ERR_SMPCALL_REMOTE');
    assert.equal(d.callSync(1, 'add', 1, 2), 3);
    assert.equal(d.callSync(2, 'add', 3, 4), 7);
    assert.equal(d.callSync(1, 'tryCall', 2, 'add', 1, 2), 'ok');
    for (const s of d.stats()) assert.equal(s.freeSlots, 64, `agent ${s.agent} got every slot back`);
  } finally {
    await d.close();
  }
});
