import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from 'smpcall';
import type calls from './fixtures/core-calls.js';

const url = new URL('./fixtures/core-calls.js', import.meta.url);

test('a call cancelled before its target took it never runs; one cancelled while running releases the caller at once', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    const running = d.with({ timeoutMs: 30 }).call(1, 'spinFor', 300); // runs: times out, result dropped later
    const ac = new AbortController();
    const queued = d.callWith({ signal: ac.signal }, 1, 'hit'); // queued behind it: cancelled before it starts
    setTimeout(() => ac.abort(new Error('stop')), 10);
    await assert.rejects(running, (e: Error & { code: string }) => e.code === 'ERR_SMPCALL_TIMEOUT' && e.name === 'SmpcallError');
    await assert.rejects(queued, (e: Error & { code: string }) => e.code === 'ERR_SMPCALL_ABORTED' && e.name === 'AbortError');
    assert.equal(d.callSync(1, 'hits'), 0, 'the cancelled call never ran');
    // The late result of the timed-out call is dropped; its slot comes back.
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await d.call(1, 'add', 1, 2), 3);
    assert.equal(d.stats()[0]!.freeSlots, 64);
  } finally {
    await d.close();
  }
});

test('an already aborted signal refuses the call before anything is sent', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    await assert.rejects(d.callWith({ signal: AbortSignal.abort() }, 1, 'hit'), { code: 'ERR_SMPCALL_ABORTED' });
    assert.equal(d.callSync(1, 'hits'), 0);
    assert.equal(await d.callWith({ timeoutMs: 5000 }, 1, 'add', 2, 3), 5);
  } finally {
    await d.close();
  }
});

test('a cancellable call to the agent itself is released by its deadline or its signal, as a remote one is', async () => {
  const d = await start<typeof calls>({ workers: 1, calls: url });
  try {
    // The main thread calls itself: the function starts at once; the deadline releases the caller.
    await assert.rejects(d.callWith({ timeoutMs: 20 }, 0, 'later', 300, 'late'), { code: 'ERR_SMPCALL_TIMEOUT' });
    await assert.rejects(d.with({ timeoutMs: 20 }).call(0, 'later', 300, 'late'), { code: 'ERR_SMPCALL_TIMEOUT' });
    const ac = new AbortController();
    const aborted = d.callWith({ signal: ac.signal }, 0, 'later', 300, 'late');
    setTimeout(() => ac.abort(new Error('stop')), 10);
    await assert.rejects(aborted, (e: Error & { code: string }) => e.code === 'ERR_SMPCALL_ABORTED' && e.name === 'AbortError');
    // One that finishes in time gets its value, and its error when it throws.
    assert.equal(await d.callWith({ timeoutMs: 5000, signal: new AbortController().signal }, 0, 'later', 1, 'soon'), 'soon');
    await assert.rejects(d.callWith({ timeoutMs: 5000 }, 0, 'failAsync', 'own'), { code: 'ERR_SMPCALL_REMOTE' });
    // A worker that calls itself, the same way.
    assert.equal(await d.call(1, 'selfWithDeadline', 20, 300), 'ERR_SMPCALL_TIMEOUT');
  } finally {
    await d.close();
  }
});
