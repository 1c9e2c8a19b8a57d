import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSyncFn } from 'smpcall/sync';

const worker = new URL('./fixtures/sync-worker-b.js', import.meta.url);

test('a relative worker path is refused with ERR_SMPCALL_USAGE', () => {
  assert.throws(() => createSyncFn('./fixtures/sync-worker-b.js'), { name: 'TypeError', code: 'ERR_SMPCALL_USAGE', message: /absolute/ });
});

test('synckit options smpcall cannot honour are refused by name, not ignored', () => {
  const cases: [object, RegExp][] = [
    [{ execArgv: ['--inspect'] }, /execArgv/],
    [{ tsRunner: 'tsx' }, /tsRunner/],
    [{ globalShims: true }, /globalShims/],
    [{ transferList: [new ArrayBuffer(1)] }, /transferList/],
    [{ timeout: -1 }, /timeout/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => createSyncFn(worker, options), { code: 'ERR_SMPCALL_USAGE', message });
  }
});

test('options that ask for nothing are accepted, and a number is a timeout', () => {
  const f = createSyncFn<(x: number) => { b: number }>(worker, { execArgv: [], globalShims: false, transferList: [], tsRunner: 'node', timeout: 60_000 });
  assert.equal(f(4).b, 8);
  const g = createSyncFn<(x: number) => { b: number }>(new URL('./fixtures/sync-worker-timeout.js', import.meta.url), 60_000);
  assert.equal(typeof g, 'function');
});
