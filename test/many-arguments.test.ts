import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);
const args = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('a rest-parameter function on another agent receives every one of 255 arguments', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.equal(d.callSync(1, 'count', ...args(255)), 255);
    assert.deepEqual(await d.call(1, 'echoAll', ...args(255)), args(255));
  } finally {
    await d.close();
  }
});

test(
  'a rest-parameter function on another agent receives all of 256 or 300 arguments, or the caller is refused',
  async () => {
    const d = await start<typeof calls>({ workers: 1, calls: url });
    try {
      for (const n of [256, 300]) {
        let got: unknown;
        try {
          got = d.callSync(1, 'count', ...args(n));
        } catch (e) {
          // Refusing is acceptable; a silently wrong count is not.
          assert.ok(e instanceof TypeError, `${n} arguments: refused with a TypeError`);
          continue;
        }
        assert.equal(got, n, `${n} arguments arrived`);
      }
      // The same call to itself (inline) sees them all.
      assert.equal(d.callSync(0, 'count', ...args(300)), 300);
    } finally {
      await d.close();
    }
  },
);
