import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSyncFn } from 'smpcall/sync';

type Op = (op: string, arg?: unknown) => Promise<unknown>;

test('a sync worker stuck in a loop after a timeout is replaced, so later calls get an answer again', () => {
  const call = createSyncFn<Op>(new URL('./fixtures/sync-worker.js', import.meta.url), 200);
  let first: unknown;
  for (let i = 0; i < 50 && first === undefined; i++) {
    try {
      first = call('thread');
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_SMPCALL_TIMEOUT') throw e;
    }
  }
  assert.equal(typeof first, 'number');
  assert.throws(() => call('block', 1e9), { code: 'ERR_SMPCALL_TIMEOUT' }); // a loop that never ends
  let replaced = false;
  let answer: unknown;
  const t0 = performance.now();
  while (answer === undefined && performance.now() - t0 < 30_000) {
    try {
      answer = call('thread');
    } catch (e) {
      assert.equal((e as { code?: string }).code, 'ERR_SMPCALL_TIMEOUT');
      if (/is replaced/.test((e as Error).message)) replaced = true;
    }
  }
  assert.ok(replaced, 'a timeout said the stuck worker is replaced');
  assert.equal(typeof answer, 'number');
  assert.notEqual(answer, first, 'the answer came from a fresh worker thread');
});

test('a payload too large for smpcall/sync is refused in its own terms, naming no option the user cannot set', () => {
  const call = createSyncFn<Op>(new URL('./fixtures/sync-worker.js', import.meta.url));
  assert.throws(
    () => call('echo', 'x'.repeat(40 << 20)),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_SMPCALL_TOO_LARGE');
      assert.match(e.message, /smpcall\/sync carries at most 32 MiB/);
      assert.doesNotMatch(e.message, /bigArena|start\(/);
      return true;
    },
  );
  assert.equal(call('echo', 'small'), 'small');
});
