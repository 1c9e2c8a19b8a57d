import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/micro-async-calls.js';

test("an async function's result is written as soon as it settles, not after the serving worker's idle spin", async () => {
  // A spin budget far longer than the call's timeout: a worker that kept spinning after starting the
  // async function (its continuations are microtasks) would hold the result past the deadline.
  const d = await start<typeof calls>({ workers: 1, calls: new URL('./fixtures/micro-async-calls.js', import.meta.url), spin: 1_500_000 });
  try {
    for (let i = 0; i < 3; i++) assert.equal(d.callSyncWith({ timeoutMs: 750 }, 1, 'micro', `v${i}`), `v${i}`);
  } finally {
    await d.close();
  }
});
