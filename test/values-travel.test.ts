import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

const inline: unknown[] = [0, -0, 1.5, NaN, Infinity, -Infinity, 2 ** 53, true, false, null, undefined, 5n, -(2n ** 63n), '', 'short', 'ünï©ødé 🎉'];
const typed = [
  new Int8Array([-1, 2]),
  new Uint8Array([1, 2, 3]),
  new Uint8ClampedArray([255]),
  new Int16Array([-300]),
  new Uint16Array([65535]),
  new Int32Array([-(2 ** 31)]),
  new Uint32Array([2 ** 32 - 1]),
  new Float32Array([1.5]),
  new Float64Array([Math.PI, -0]),
  new BigInt64Array([-5n]),
  new BigUint64Array([2n ** 64n - 1n]),
];
const larger: unknown[] = [
  2n ** 200n,
  'x'.repeat(10_000),
  '日本語'.repeat(3000),
  { nested: { list: [1, 'two', { three: [3] }], flag: true, nothing: null } },
  Array.from({ length: 2000 }, (_, i) => ({ i, s: String(i) })),
  new Float64Array(5000).map((_, i) => i / 3),
];

test('numbers, booleans, null, undefined, bigints and short strings travel inline and come back equal', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const v of inline) {
      assert.deepStrictEqual(d.callSync(1, 'echo', v), v);
      assert.deepStrictEqual(await d.call(1, 'echo', v), v);
    }
  } finally {
    await d.close();
  }
});

test('typed arrays of every kind come back with the same type and contents', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const v of typed) {
      const back = d.callSync(1, 'echo', v);
      assert.equal(Object.getPrototypeOf(back), Object.getPrototypeOf(v));
      assert.deepStrictEqual(back, v);
    }
  } finally {
    await d.close();
  }
});

test('large strings, big bigints and nested JSON-like values go through the arena and come back equal', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const v of larger) {
      assert.deepStrictEqual(d.callSync(1, 'echo', v), v);
      assert.deepStrictEqual(await d.call(1, 'echo', v), v);
      d.post(1, 'note', v);
      assert.deepStrictEqual(d.callSync(1, 'notes'), [v]);
    }
  } finally {
    await d.close();
  }
});
