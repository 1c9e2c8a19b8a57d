import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSyncFn } from 'smpcall/sync';

type Op = (op: string, arg?: unknown, more?: unknown) => Promise<unknown>;
const call = createSyncFn<Op>(new URL('./fixtures/sync-worker.js', import.meta.url));

test("the worker's async result is returned synchronously, not as a promise", () => {
  const r = call('echo', 'hello');
  assert.equal(r, 'hello');
});

test('strings, numbers and nested objects travel both ways intact', () => {
  const long = 'x'.repeat(100_000) + 'é🙂';
  const values: unknown[] = [0, -0, 1.5, NaN, true, null, undefined, 10n ** 30n, '', 'short', long, [1, [2, [3]]], { a: { b: ['c', { d: 1 }] } }];
  for (const v of values) assert.deepEqual(call('echo', v), v);
  const obj = { when: new Date(0), set: new Set([1, 2]), map: new Map([['k', { v: 1 }]]), bytes: new Uint8Array([1, 2, 3]) };
  assert.deepEqual(call('pair', obj, 'two'), { arg: obj, more: 'two' });
});

test('a worker function that is not async works too, and each call gets its own result', () => {
  const b = createSyncFn<(x: number) => { b: number }>(new URL('./fixtures/sync-worker-b.js', import.meta.url));
  for (let i = 0; i < 200; i++) assert.equal(b(i).b, i * 2);
});
