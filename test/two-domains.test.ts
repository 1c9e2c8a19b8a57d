import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

test('two domains started by one thread work side by side and close independently', async () => {
  const d1 = await start<typeof calls>({ workers: 1, calls: url });
  const d2 = await start<typeof calls>({ workers: 1, calls: url });
  try {
    d1.callSync(1, 'note', 'one');
    d2.callSync(1, 'note', 'two');
    assert.deepEqual(d1.callSync(1, 'notes'), ['one']);
    assert.deepEqual(d2.callSync(1, 'notes'), ['two']);
    // A worker calling back into the main thread reaches its own domain's main-thread agent.
    assert.equal(d1.callSync(1, 'tryCall', 0, 'noteVia', 1, 'back to one'), 'ok');
    assert.deepEqual(d1.callSync(1, 'notes'), ['back to one']);
    assert.deepEqual(d2.callSync(1, 'notes'), []);
    await d2.close();
    assert.equal(d1.callSync(1, 'add', 1, 1), 2);
    assert.equal(await d1.call(1, 'addViaAsync', 0, 2, 2), 4);
  } finally {
    await d2.close();
    await d1.close();
  }
});

test(
  'with two domains on one thread, here() inside a call to itself names the domain that was called',
  async () => {
    const d1 = await start<typeof calls>({ workers: 1, calls: url });
    const d2 = await start<typeof calls>({ workers: 1, calls: url });
    try {
      d1.callSync(0, 'noteVia', 1, 'A'); // runs on d1's agent 0, notes on d1's worker 1
      assert.deepEqual(d2.callSync(1, 'notes'), [], "nothing reached the other domain's worker");
      assert.deepEqual(d1.callSync(1, 'notes'), ['A']);
    } finally {
      await d2.close();
      await d1.close();
    }
  },
);

test(
  'with two domains on one thread, here() after an await inside a served async function names the domain that called it',
  async () => {
    const d1 = await start<typeof calls>({ workers: 1, calls: url });
    const d2 = await start<typeof calls>({ workers: 1, calls: url });
    try {
      // d1's worker 1 → d1's main thread, which awaits, then notes on worker 1 through here().
      await d1.call(1, 'tryCall', 0, 'noteAfterAwait', 1, 'E').catch(() => undefined);
      assert.equal(await d1.call(0, 'noteAfterAwait', 1, 'F'), 0);
      assert.deepEqual(d2.callSync(1, 'notes'), [], "nothing reached the other domain's worker");
      assert.deepEqual(d1.callSync(1, 'notes'), ['E', 'F']);
    } finally {
      await d2.close();
      await d1.close();
    }
  },
);
