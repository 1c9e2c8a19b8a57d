import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('a call to the agent itself runs at once, inline, with the same results and errors', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.equal(d.callSync(0, 'add', 2, 2), 4);
    assert.equal(await d.call(0, 'whoami'), 0);
    d.post(0, 'note', 'mine');
    assert.deepEqual(d.callSync(0, 'notes'), ['mine']);
    assert.throws(() => d.callSync(0, 'fail', 'x'), { code: 'ERR_SMPCALL_REMOTE' });
    await assert.rejects(d.call(0, 'failAsync', 'y'), { code: 'ERR_SMPCALL_REMOTE' });
    assert.equal(d.callSync(1, 'addVia', 1, 3, 4), 7, 'a worker calling itself from inside a call');
  } finally {
    await d.close();
  }
});
