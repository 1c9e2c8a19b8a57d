import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSyncFn } from 'smpcall/sync';

type Op = (op: string, arg?: unknown) => Promise<unknown>;
const call = createSyncFn<Op>(new URL('./fixtures/sync-worker.js', import.meta.url));

test("an error the worker's async function rejects with is rethrown as itself: class, message, stack and extra properties", () => {
  let caught: unknown;
  try {
    call('reject', 'x = ;');
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SyntaxError, `got ${String(caught)}`);
  const e = caught as SyntaxError & { loc?: unknown; code?: string; hook?: unknown };
  assert.equal(e.message, 'bad input: x = ;');
  assert.match(e.stack ?? '', /sync-worker\.[jt]s/); // the worker's stack, where it was thrown (Deno maps it to the .ts source)
  assert.deepEqual(e.loc, { start: { line: 3, column: 7 } });
  assert.equal(e.code, 'E_PARSE');
  assert.equal(e.hook, undefined); // a function cannot travel; the rest of the error still did
  // and the worker goes on serving
  assert.equal(call('echo', 'after'), 'after');
});

test('a thrown value that is not an Error is rethrown as that value', () => {
  assert.throws(() => call('rejectValue'), (e: unknown) => {
    assert.deepEqual(e, { reason: 'not an Error', n: 7 });
    return true;
  });
});

test('a worker file that throws while loading: each call throws that error', () => {
  const f = createSyncFn(new URL('./fixtures/sync-worker-throws.js', import.meta.url));
  for (let i = 0; i < 2; i++) {
    assert.throws(() => f(), (e: unknown) => e instanceof RangeError && /failed at the top level/.test(e.message));
  }
});

test('a worker file that never calls runAsWorker: a clear usage error, not a hang', () => {
  const f = createSyncFn(new URL('./fixtures/sync-worker-silent.js', import.meta.url));
  assert.throws(() => f(), { code: 'ERR_SMPCALL_USAGE', message: /did not call runAsWorker/ });
});
