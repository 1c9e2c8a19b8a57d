import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { start } from 'smpcall';
import type calls from './fixtures/codec-calls.js';
import { describeValue } from './support/describe-value.js';

const url = new URL('./fixtures/codec-calls.js', import.meta.url);
const { Point } = (await import(url.href)) as typeof import('./fixtures/codec-calls.js');

const ERRORS = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];
const leaf = fc.oneof(
  fc.double(), // includes -0, NaN, ±Infinity
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates too
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  fc.date({ noInvalidDate: false }),
  fc.tuple(fc.constantFrom('a+b', '^x$', '[0-9]{2,}', '\\d+(?:\\.\\d*)?', ''), fc.subarray(['g', 'i', 'm', 's', 'u', 'y'])).map(([s, f]) => new RegExp(s || '(?:)', f.join(''))),
  fc.int8Array(), fc.uint8Array(), fc.uint8ClampedArray(), fc.int16Array(), fc.uint16Array(), fc.int32Array(), fc.uint32Array(),
  fc.float32Array(), fc.float64Array(), fc.bigInt64Array(), fc.bigUint64Array(),
  fc.uint8Array({ minLength: 4 }).map((a) => a.buffer),
  fc.uint8Array({ minLength: 6 }).map((a) => new DataView(a.buffer, 1, a.length - 2)),
  fc.uint8Array({ minLength: 8 }).map((a) => new Uint16Array(a.buffer, 2, (a.length - 2) >> 1)),
);

const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('sparse'), tie('object'), tie('nullProto'), tie('map'), tie('set'), tie('error'), tie('point')),
  point: fc.tuple(fc.double(), tie('value')).map(([x, label]) => new Point(x, label)),
  array: fc.array(tie('value'), { maxLength: 5 }),
  sparse: fc.sparseArray(tie('value'), { maxLength: 20, maxNumElements: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  nullProto: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }).map((d) => Object.assign(Object.create(null) as object, d)),
  map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((kv) => new Map(kv)),
  set: fc.array(tie('value'), { maxLength: 4 }).map((vs) => new Set(vs)),
  error: fc.tuple(fc.constantFrom(...ERRORS), fc.string({ maxLength: 20 }), fc.option(tie('value'), { nil: undefined })).map(([E, m, cause]) => (cause === undefined ? new E(m) : new E(m, { cause }))),
}));

/** Values with shared references and cycles, built around random values. */
const linked = value.chain((v) =>
  fc.constantFrom(
    () => [v, v, { again: v }],
    () => {
      const o: Record<string, unknown> = { v };
      o.self = o;
      const list: unknown[] = [o, v];
      list.push(list);
      return { o, list };
    },
    () => {
      const m = new Map<unknown, unknown>([['v', v]]);
      m.set(m, m);
      const s = new Set<unknown>([m, v]);
      s.add(s);
      return [m, s];
    },
    () => {
      const buf = new ArrayBuffer(16);
      return [new Uint8Array(buf, 2, 4), new Int32Array(buf, 8, 2), buf, v];
    },
  ).map((make) => make()),
);
const anything = fc.oneof(value, linked);

test('what a worker receives is exactly what the main thread sent: types, prototypes, registered classes, -0, holes, cycles and shared references', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    fc.assert(
      fc.property(anything, (v) => {
        assert.equal(d.callSync(1, 'describe', v), describeValue(v));
      }),
      { numRuns: 400 },
    );
  } finally {
    await d.close();
  }
});

test('what the main thread gets back from a worker equals what it sent, sync and async', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    fc.assert(
      fc.property(anything, (v) => {
        assert.equal(describeValue(d.callSync(1, 'echo', v)), describeValue(v));
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(anything, async (v) => {
        assert.equal(describeValue(await d.call(1, 'echo', v)), describeValue(v));
      }),
      { numRuns: 100 },
    );
  } finally {
    await d.close();
  }
});

test('values passed on by a worker to another worker inside a call arrive and come back intact', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    fc.assert(
      fc.property(anything, (v) => {
        const want = describeValue(v);
        assert.equal(d.callSync(1, 'describeAt', 2, v), want);
        assert.equal(describeValue(d.callSync(1, 'relay', 2, v)), want);
        assert.equal(describeValue(d.callSync(2, 'relay', 0, v)), want); // worker → main thread, nested
      }),
      { numRuns: 200 },
    );
  } finally {
    await d.close();
  }
});

test('short strings, which travel in the express lane, arrive exactly: every length up to 7, the ASCII edges, and the first that do not fit', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
    const strings = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh', '\u0000', '\u007f', '\u0080', 'é', 'ab\u00ffcd', '😀', 'abcdef\u0100', ...ascii];
    for (const s of strings) {
      assert.equal(d.callSync(1, 'echo', s), s, JSON.stringify(s));
      assert.equal(d.callSync(1, 'describe', s), describeValue(s), JSON.stringify(s));
      // Several at once, mixed with numbers (each a register of its own).
      assert.deepEqual(d.callSync(1, 'echoAll', s, 1.5, s, true), [s, 1.5, s, true]);
      assert.equal(await d.call(1, 'echo', s), s);
    }
  } finally {
    await d.close();
  }
});
