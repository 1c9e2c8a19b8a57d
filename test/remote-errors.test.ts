import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

type Remote = Error & { code: string; cause: Error & { code?: string } };

test('a function that throws rejects call and throws from callSync, with the remote name, message and stack as cause', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const check = (e: Remote): boolean => {
      assert.equal(e.code, 'ERR_SMPCALL_REMOTE');
      assert.equal(e.cause.name, 'RangeError');
      assert.equal(e.cause.message, 'bad input');
      // The remote stack names the calls module (Deno maps stacks to the .ts source through source maps).
      assert.match(e.cause.stack ?? '', /core-calls\.(js|ts)/);
      assert.match(e.message, /"fail" on agent 1 threw RangeError: bad input/);
      return true;
    };
    assert.throws(() => d.callSync(1, 'fail', 'bad input'), check);
    await assert.rejects(d.call(1, 'fail', 'bad input'), check);
  } finally {
    await d.close();
  }
});

test("a remote error's own code survives in cause.code, and an async function's rejection travels too", async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    assert.throws(() => d.callSync(1, 'failCoded'), (e: Remote) => e.cause.code === 'E_CUSTOM');
    await assert.rejects(d.call(1, 'failAsync', 'later'), (e: Remote) => e.code === 'ERR_SMPCALL_REMOTE' && e.cause.name === 'TypeError' && e.cause.message === 'later');
    assert.throws(() => d.callSync(1, 'failAsync', 'sync'), (e: Remote) => e.cause.message === 'sync');
    // The agent is fine afterwards.
    assert.equal(d.callSync(1, 'add', 1, 1), 2);
  } finally {
    await d.close();
  }
});
