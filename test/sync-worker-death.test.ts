import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSyncFn } from 'smpcall/sync';

type Op = (op: string, arg?: unknown) => Promise<unknown>;
const call = createSyncFn<Op>(new URL('./fixtures/sync-worker.js', import.meta.url));

test('a worker that exits mid-call fails that call with ERR_SMPCALL_AGENT_GONE, and the next call gets a fresh worker', () => {
  const before = call('thread');
  assert.throws(() => call('exit'), { code: 'ERR_SMPCALL_AGENT_GONE' });
  assert.equal(call('echo', 'again'), 'again');
  assert.notEqual(call('thread'), before);
});

test('a worker that crashes (uncaught error) mid-call fails that call with ERR_SMPCALL_AGENT_GONE', () => {
  assert.throws(() => call('crash'), { code: 'ERR_SMPCALL_AGENT_GONE' });
  assert.equal(call('echo', 'still'), 'still');
});

test('a worker that ends between calls is replaced: the next call, after the event loop heard of it, gets a fresh worker', async () => {
  const before = call('thread');
  assert.equal(call('exitSoon'), 'answered');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(call('echo', 'fresh'), 'fresh');
  assert.notEqual(call('thread'), before);
});

test('a worker file that exits while loading fails each call with ERR_SMPCALL_AGENT_GONE, never hangs', () => {
  const f = createSyncFn(new URL('./fixtures/sync-worker-exits.js', import.meta.url));
  for (let i = 0; i < 2; i++) assert.throws(() => f(), { code: 'ERR_SMPCALL_AGENT_GONE' });
});
