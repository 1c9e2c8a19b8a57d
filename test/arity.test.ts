import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start } from 'smpcall';
import type calls from './fixtures/hostile-calls.js';

test('calls a function would accept are never refused for their argument count: defaults holding a ")" and native functions', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: new URL('./fixtures/hostile-calls.js', import.meta.url) });
  try {
    assert.equal(d.callSync(1, 'paren', 'a'), 'a)');
    assert.equal(d.callSync(1, 'paren', 'a', 'b'), 'ab');
    assert.equal(d.callSync(1, 'max', 1, 7, 3, 5, 2), 7);
    assert.equal(d.callSync(1, 'max'), -Infinity);
    // A function that declares two parameters still refuses a third, as before.
    assert.throws(() => (d.callSync as (...a: unknown[]) => unknown)(1, 'add', 1, 2, 3), { code: codes.ARITY });
  } finally {
    await d.close();
  }
});
