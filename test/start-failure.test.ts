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
