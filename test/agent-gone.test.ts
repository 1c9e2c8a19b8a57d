import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('a worker that exits while the main thread awaits call to it rejects that call, and every later one at once, with ERR_SMPCALL_AGENT_GONE', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    await assert.rejects(d.call(1, 'exit', 7), (e: Error & { code: string }) => e.code === 'ERR_SMPCALL_AGENT_GONE' && /agent 1/.test(e.message));
    await assert.rejects(d.call(1, 'add', 1, 2), { code: 'ERR_SMPCALL_AGENT_GONE' });
    assert.throws(() => d.callSync(1, 'add', 1, 2), { code: 'ERR_SMPCALL_AGENT_GONE' });
    assert.throws(() => d.post(1, 'note', 'x'), { code: 'ERR_SMPCALL_AGENT_GONE' });
    // Other agents learn it too, and keep working.
    assert.equal(d.callSync(2, 'tryCall', 1, 'add', 1, 2), 'ERR_SMPCALL_AGENT_GONE');
    assert.equal(d.callSync(2, 'add', 1, 2), 3);
    const [main, one] = d.stats();
    assert.equal(one!.state, 'dead');
    assert.equal(main!.freeSlots, 64, 'no slot of the caller leaked');
  } finally {
    await d.close();
  }
});

test('a worker blocked on another worker that exits gets ERR_SMPCALL_AGENT_GONE inside its own function', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    assert.equal(d.callSync(2, 'tryCall', 1, 'exit', 3), 'ERR_SMPCALL_AGENT_GONE');
    assert.equal(d.callSync(2, 'tryCall', 1, 'add', 1, 2), 'ERR_SMPCALL_AGENT_GONE');
    assert.equal(d.callSync(2, 'add', 1, 2), 3);
  } finally {
    await d.close();
  }
});

test('calls and posts queued behind a call that ends its worker fail or vanish, and none of them hangs', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    d.post(1, 'spinFor', 30);
    for (let i = 0; i < 20; i++) d.post(1, 'note', i);
    d.post(1, 'exit', 1);
    const queued = Array.from({ length: 20 }, (_, i) => d.call(1, 'add', i, 1));
    const outcomes = await Promise.allSettled(queued);
    for (const o of outcomes) {
      assert.equal(o.status, 'rejected');
      assert.equal((o as PromiseRejectedResult).reason.code, 'ERR_SMPCALL_AGENT_GONE');
    }
    assert.equal(d.stats()[0]!.freeSlots, 64, 'no slot of the caller leaked');
    assert.equal(d.callSync(2, 'add', 1, 2), 3);
  } finally {
    await d.close();
  }
});
