import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, start, type ErrorReport } from 'smpcall';
import { H_CLEAN_LOCK, lockValue } from '#internal/layout.js';
import type calls from './fixtures/hostile-calls.js';

const url = new URL('./fixtures/hostile-calls.js', import.meta.url);

// Found by a hostile run: start() failed when both workers' calls modules threw, and now and then took
// 10 s, the main thread frozen, then said shared memory was corrupt. One worker had been terminated in
// the middle of its own last-words cleanup, holding the cleanup lock; the other's exit was heard first,
// and its cleanup spun on a lock that only the first one's cleanup takes over, until the lock's limit.
// Here the lock is left naming agent 2, as such a worker leaves it, and agent 1's exit comes first.
test("an exit heard before the exit of an agent that died holding the cleanup lock waits for it in the event loop, not 10 s on the lock", async () => {
  const d = await start<typeof calls>({ workers: 2, calls: url });
  const reports: ErrorReport[] = [];
  d.on('error', (r) => reports.push(r));
  const i32 = new Int32Array((d as unknown as Record<symbol, SharedArrayBuffer>)[Symbol.for('smpcall.buffer')]!);
  try {
    const exits: number[] = [];
    const both = new Promise<void>((r) => d.on('exit', (e) => exits.push(e.agent) === 2 && r()));
    Atomics.store(i32, H_CLEAN_LOCK, lockValue(2));
    // Agent 1 first; then agent 2, while 1's exit is being handled (where a guardian thread handles
    // exits, it tells this thread of 1's exit only once 1's calls are completed).
    const first = d.terminate(1);
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([first, d.terminate(2)]);
    await both;
    assert.deepEqual(exits.sort(), [1, 2]);
    assert.equal(Atomics.load(i32, H_CLEAN_LOCK), 0, 'the lock is free again');
    assert.deepEqual(reports.filter((r) => r.code === codes.CORRUPT).map((r) => r.message), [], 'no corruption was reported');
    assert.equal(d.callSync(0, 'add', 1, 2), 3, 'the main thread serves');
  } finally {
    await d.close();
  }
});
