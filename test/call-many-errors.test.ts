import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/broadcast-calls.js';

const url = new URL('./fixtures/broadcast-calls.js', import.meta.url);

test('callMany rejects with the first error only after every target finished, and settle gives per-target outcomes', async () => {
  const d = await start<typeof calls>({ workers: 4, calls: url, spin: 20 });
  try {
    await assert.rejects(d.callMany([0, 1, 2, 3, 4], 'failOnOdd', 'boom'), (e: Error & { code: string; cause: Error }) => {
      assert.equal(e.code, 'ERR_SMPCALL_REMOTE');
      assert.equal(e.cause.name, 'RangeError');
      return true;
    });
    assert.throws(() => d.callManySync([0, 1, 2, 3, 4], 'failOnOdd', 'boom'), { code: 'ERR_SMPCALL_REMOTE' });
    const settled = d.callManySync({ targets: [0, 1, 2, 3, 4], settle: true }, 'failOnOdd', 'x');
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(settled.filter((s) => s.status === 'fulfilled').map((s) => (s as { value: number }).value), [0, 2, 4]);
    const settledAsync = await d.callMany({ targets: [1, 2], settle: true }, 'failOnOdd', 'y');
    assert.deepEqual(settledAsync.map((s) => s.status), ['rejected', 'fulfilled']);
    // Every slot came back: a full round of calls still works.
    assert.deepEqual(d.onEachSync('whoami'), [0, 1, 2, 3, 4]);
  } finally {
    await d.close();
  }
});

test('a bad target anywhere in the list refuses the whole broadcast before anything is sent', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url, spin: 20 });
  try {
    assert.throws(() => d.callManySync([1, 7], 'hit'), { code: 'ERR_SMPCALL_BAD_TARGET' });
    await assert.rejects(d.callMany([1, -1], 'hit'), { code: 'ERR_SMPCALL_BAD_TARGET' });
    assert.throws(() => d.postMany([2, 1.5], 'hit'), { code: 'ERR_SMPCALL_BAD_TARGET' });
    // A string is said to be one, so "1" does not read as the agent 1.
    await assert.rejects(d.callMany(['1' as never], 'hit'), (e: Error & { code?: string }) => e.code === 'ERR_SMPCALL_BAD_TARGET' && /target "1" \(a string\) is not an agent/.test(e.message));
    // settle takes true or false: anything else was quietly taken as false.
    await assert.rejects(d.callMany({ targets: [1], settle: 'yes' as never }, 'hit'), (e: Error & { code?: string }) => e.code === 'ERR_SMPCALL_USAGE' && /settle must be true or false, got "yes"/.test(e.message));
    // @ts-expect-error: an unknown call name is a type error too
    assert.throws(() => d.callManySync([1, 2], 'nope'), { code: 'ERR_SMPCALL_UNKNOWN_CALL' });
    assert.deepEqual(d.callManySync([1, 2], 'hits'), [0, 0]);
  } finally {
    await d.close();
  }
});
