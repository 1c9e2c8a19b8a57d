/**
 * A worker that ends while the main thread is blocked waiting on it: the main thread cannot run its
 * event loop, so no exit event can complete the call. Each way a worker ends is completed by someone
 * else: the worker itself on its way out (process.exit(), an uncaught exception), or, on Node, the
 * main thread's own wait, which asks the worker handles every few ms (a terminate()).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/edge-calls.js';

const url = new URL('./fixtures/edge-calls.js', import.meta.url);
const gone = { code: 'ERR_SMPCALL_AGENT_GONE' };

test('callSync on a worker that calls process.exit() while the main thread blocks on it throws ERR_SMPCALL_AGENT_GONE', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.throws(() => d.callSync(1, 'exit', 4), gone);
    assert.throws(() => d.callSync(1, 'add', 1, 2), gone);
  } finally {
    await d.close();
  }
});

test('callSync on a worker that dies of an uncaught exception while the main thread blocks on it throws ERR_SMPCALL_AGENT_GONE', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  const errors: unknown[] = [];
  d.on('exit', () => {});
  try {
    assert.throws(() => d.callSync(1, 'crashLater', 20), gone);
  } finally {
    await d.close().catch((e: unknown) => errors.push(e));
  }
});

test('a worker terminated while the main thread blocks on it: the blocked callSync throws ERR_SMPCALL_AGENT_GONE', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const ended = d.terminate(1);
    assert.throws(() => d.callSync(1, 'never'), gone);
    await ended;
    // The other worker, and the main thread, go on.
    assert.equal(d.callSync(2, 'add', 1, 2), 3);
  } finally {
    await d.close();
  }
});

test('a worker blocked on a worker that is terminated while the main thread blocks on the first: both return', async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  try {
    const ended = d.terminate(1);
    assert.equal(d.callSync(2, 'tryCall', 1, 'never'), 'ERR_SMPCALL_AGENT_GONE');
    await ended;
    assert.equal(d.callSync(2, 'add', 2, 3), 5);
  } finally {
    await d.close();
  }
});
