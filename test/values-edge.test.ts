import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);

const buffer = new ArrayBuffer(32);
/** Values at the edges of the inline codec, the express lane and the structured codec. */
const edges: Record<string, unknown> = {
  'negative zero': -0,
  NaN: NaN,
  'smallest number': Number.MIN_VALUE,
  'largest number': Number.MAX_VALUE,
  '2^31 (just past int32)': 2 ** 31,
  '-2^31 (int32 minimum)': -(2 ** 31),
  '-2^31 - 1': -(2 ** 31) - 1,
  '0n': 0n,
  '-1n': -1n,
  'int64 maximum': 2n ** 63n - 1n,
  'int64 minimum': -(2n ** 63n),
  '2^64': 2n ** 64n,
  '-2^64': -(2n ** 64n),
  '2^1000 + 7': 2n ** 1000n + 7n,
  'empty string': '',
  'lone high surrogate': '\ud800',
  'lone low surrogate inside text': 'a\udc00b',
  'many lone surrogates': '\ud800'.repeat(5000),
  'NUL characters': 'a\0b',
  '100 NUL characters': '\0'.repeat(100),
  '63 ASCII characters': 'a'.repeat(63),
  '64 ASCII characters': 'a'.repeat(64),
  'accented text': 'é'.repeat(40),
  'an own "__proto__" key': JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}'),
  'a null-prototype object': Object.assign(Object.create(null), { a: 1 }),
  'integer-like keys': { 2: 'b', 1: 'a', x: 'c' },
  // eslint-disable-next-line no-sparse-arrays -- the hole is the point
  'a sparse array': [1, , 3],
  'an array of holes': new Array(5),
  'empty containers': { a: [], b: {}, c: [[[]]] },
  'a Uint8Array at an offset': new Uint8Array(buffer, 3, 5),
  'an Int16Array at an offset': new Int16Array(buffer, 8, 4),
  'an empty Float64Array': new Float64Array(0),
  'a Float32Array of NaN, -0, Infinity': new Float32Array([NaN, -0, Infinity]),
  'a DataView at an offset': new DataView(new ArrayBuffer(8), 2, 4),
  'an ArrayBuffer': new Uint8Array([1, 2, 3]).buffer,
  'an object nested 500 deep': (() => {
    let o: object = { v: 0 };
    for (let i = 0; i < 500; i++) o = { o };
    return o;
  })(),
  '20,000 mixed array items': Array.from({ length: 20_000 }, (_, i) => (i % 2 ? i : `s${i}`)),
};

const same = (got: unknown, want: unknown, label: string): void => {
  assert.deepStrictEqual(got, want, label);
  if (want !== null && typeof want === 'object') assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(want), `${label}: same prototype`);
};

test('values at the edges of every codec come back exactly, by callSync, call and post', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const [label, v] of Object.entries(edges)) {
      same(d.callSync(1, 'echo', v), v, `${label} (callSync)`);
      same(await d.call(1, 'echo', v), v, `${label} (call)`);
      d.post(1, 'note', v);
      same(d.callSync(1, 'notes'), [v], `${label} (post)`);
    }
    const protoKey = d.callSync(1, 'echo', edges['an own "__proto__" key']) as object;
    assert.ok(Object.hasOwn(protoKey, '__proto__'), '"__proto__" stays an own key');
    assert.equal(Object.getPrototypeOf(protoKey), Object.prototype, 'and does not become the prototype');
  } finally {
    await d.close();
  }
});

test('-0 and NaN survive the express lane in arguments and results', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.ok(Object.is(d.callSync(1, 'add', -0, -0), -0));
    assert.ok(Object.is(d.callSync(1, 'echo', -0), -0));
    assert.deepStrictEqual(d.callSync(1, 'echoAll', -0, NaN, null, undefined), [-0, NaN, null, undefined]);
    assert.deepStrictEqual(d.callSync(1, 'echoAll', true, false, Infinity, -Infinity), [true, false, Infinity, -Infinity]);
  } finally {
    await d.close();
  }
});

test('several arguments of mixed kinds, on both sides of the inline size limit, arrive in their places', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (let n = 0; n < 60; n += 3) {
      const args = [n, 'x'.repeat(n), new Uint8Array(n).fill(n), BigInt(n) * 10n ** 20n, { n }, -0, '\ud800'.repeat(n % 7), true];
      same(d.callSync(1, 'echoAll', ...args), args, `8 arguments around ${n} characters`);
      same(await d.call(1, 'echoAll', ...args), args, `8 arguments around ${n} characters (call)`);
    }
    for (let n = 0; n <= 12; n++) {
      const args = Array.from({ length: n }, (_, i) => i - 0.5);
      same(d.callSync(1, 'echoAll', ...args), args, `${n} numbers`);
    }
  } finally {
    await d.close();
  }
});

test('Map, Set, Date, RegExp, Error and shared references travel as structured clone carries them', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    for (const v of [new Map<unknown, unknown>([[1, 'a'], ['k', { v: [1] }]]), new Set([1, 'x', null]), new Date(0), /a+b/gi]) {
      same(d.callSync(1, 'echo', v), v, Object.prototype.toString.call(v));
    }
    const invalid = d.callSync(1, 'echo', new Date(NaN)) as Date;
    assert.ok(invalid instanceof Date && Number.isNaN(invalid.getTime()), 'an invalid Date stays an invalid Date');
    const err = d.callSync(1, 'echo', new RangeError('boom')) as Error;
    assert.ok(err instanceof RangeError);
    assert.equal(err.message, 'boom');
    const shared = { s: 1 };
    const pair = d.callSync(1, 'echo', [shared, shared]) as object[];
    assert.equal(pair[0], pair[1], 'one object sent twice arrives as one object');
    const ab = new ArrayBuffer(8);
    const views = d.callSync(1, 'echo', [new Uint8Array(ab), new Uint32Array(ab)]) as [Uint8Array, Uint32Array];
    assert.equal(views[0].buffer, views[1].buffer, 'two views of one buffer still share it');
  } finally {
    await d.close();
  }
});
