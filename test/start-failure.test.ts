import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';

test('a calls module that throws in the workers makes start() reject with ERR_SMPCALL_START_FAILED instead of hanging', async () => {
  await assert.rejects(start({ workers: 2, calls: new URL('./fixtures/bad-worker-calls.js', import.meta.url) }), (e: Error & { code: string }) => {
    assert.equal(e.code, 'ERR_SMPCALL_START_FAILED');
    assert.match(e.message, /refuses to load in a worker/);
    return true;
  });
});

test('call tables that differ between agents are refused, naming the difference', async () => {
  await assert.rejects(start({ workers: 1, calls: new URL('./fixtures/mismatched-calls.js', import.meta.url) }), (e: Error & { code: string }) => {
    assert.equal(e.code, 'ERR_SMPCALL_MISMATCH');
    assert.match(e.message, /"add" takes 2\.\.2 arguments on the main thread but 3\.\.3 on agent 1/);
    assert.match(e.message, /"onlyMain" is missing on agent 1/);
    return true;
  });
});

test('bad options to start() are refused with ERR_SMPCALL_USAGE', async () => {
  const calls = new URL('./fixtures/core-calls.js', import.meta.url);
  for (const bad of [{ workers: -1, calls }, { workers: 1.5, calls }, { workers: 1, calls: 'not a url' }, { workers: 1, calls, slotsPerAgent: 0 }, { workers: 1, calls, spin: -1 }, { workers: 100, calls, slotsPerAgent: 65536 }]) {
    await assert.rejects(start(bad as never), { code: 'ERR_SMPCALL_USAGE' });
  }
});

test('a caller blocked in callSync on a worker since before it started is told when the start fails (AGENT_GONE), on every runtime', async () => {
  // smpcall/sync's way: the domain is launched without awaiting its start, and called at once. The
  // blocked thread cannot read the worker's 'failed' report (on Deno and Bun nobody else completes the
  // calls of a thread that has not ended): the worker completes them itself.
  const { launch } = await import('#internal/domain/start.js');
  const { loadRuntime } = await import('#internal/runtime/select.js');
  const url = new URL('./fixtures/bad-worker-calls.js', import.meta.url);
  const table = ((await import(url.href)) as { default: Parameters<typeof launch>[1] }).default;
  const { domain, ready } = launch({ workers: 1, calls: url }, table, await loadRuntime());
  const failed = ready.then(
    () => assert.fail('the start should fail'),
    (e: Error & { code: string }) => e,
  );
  assert.throws(() => domain.callSync(1, 'ok'), { code: 'ERR_SMPCALL_AGENT_GONE' });
  const e = await failed;
  assert.equal(e.code, 'ERR_SMPCALL_START_FAILED');
  assert.match(e.message, /refuses to load in a worker/);
});
