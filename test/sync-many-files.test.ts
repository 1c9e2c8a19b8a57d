import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'smpcall/sync';

type Op = (op: string, arg?: unknown) => Promise<unknown>;
const aUrl = new URL('./fixtures/sync-worker.js', import.meta.url);
const bUrl = new URL('./fixtures/sync-worker-b.js', import.meta.url);

test('sync functions of different worker files run on their own workers, interleaved', () => {
  const a = createSyncFn<Op>(aUrl);
  const b = createSyncFn<(x: number) => { b: number; thread: number }>(bUrl);
  for (let i = 0; i < 50; i++) {
    assert.equal(a('echo', i), i);
    assert.equal(b(i).b, 2 * i);
  }
  assert.notEqual(a('thread'), b(0).thread);
});

test('the same worker file (as a path or a URL) gives the same function, as synckit does', () => {
  assert.equal(createSyncFn(aUrl), createSyncFn(fileURLToPath(aUrl)));
  assert.equal(createSyncFn(aUrl.href), createSyncFn(aUrl));
});
